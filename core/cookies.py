"""The cookies the service sets besides Django's session and CSRF cookies, named once: the cookies
page (about/selectors.py) lists them from here."""

from django.conf import settings

MESSAGES = "messages"
JUST_RECORDED = "just-recorded"


def named(base: str) -> str:
    """With the ``__Host-`` prefix wherever the session cookie has it (ASVS 3.3.3): taken by a browser
    only from this host, over HTTPS, for every path, never set by a neighbouring subdomain."""
    return f"__Host-{base}" if settings.SESSION_COOKIE_NAME.startswith("__Host-") else base
