from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def require_secret_key() -> None:
    """Refuse to serve without a secret key: it signs sessions and CSRF tokens."""
    try:
        key = settings.SECRET_KEY
    except ImproperlyConfigured:
        key = ""
    if not key:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")


def require_ledger_key() -> None:
    """Refuse to serve with DEBUG off unless the ledger can sign: a key of its own, private, and a witness store."""
    from ledger.checks import signing_key

    problems = signing_key(None)
    if problems:
        raise ImproperlyConfigured(" ".join(problem.msg for problem in problems))


def require_two_factor() -> None:
    """Refuse to serve with DEBUG off and TWO_FACTOR=off: a password alone must never reach case records
    (ASVS 6.3.3). ``manage.py check`` says so too (accounts.E001), but a server started without it would not."""
    if settings.TWO_FACTOR == "off" and not settings.DEBUG:
        raise ImproperlyConfigured(
            "TWO_FACTOR=off is for the demo only and refused when DEBUG is off: leave TWO_FACTOR unset "
            "(everyone) or set it to roles."
        )
