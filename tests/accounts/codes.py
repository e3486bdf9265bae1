"""What an authenticator app would show, for tests here and in tests/browser."""

import time

from django_otp.oath import TOTP


def authenticator_code(key: bytes, *, after: int = -1) -> str:
    """The code an app holding this key shows now; if that one was used
    already (the service takes each code once), the next one, which the
    service still accepts (django-otp allows one step of clock drift)."""
    totp = TOTP(key)
    totp.time = time.time()
    if totp.t() <= after:
        totp.time = (after + 1) * totp.step
    return f"{totp.token():0{totp.digits}d}"
