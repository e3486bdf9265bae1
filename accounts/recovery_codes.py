"""Recovery codes are kept only as keyed digests (ASVS 6.5.2; ADR 16).

django-otp's static device stores its tokens as typed, so whoever reads the
database (a backup, a leaked dump) could sign in with them. Here each code is
stored as the first 16 characters (80 bits) of an HMAC-SHA256 of the code,
keyed with the service's SECRET_KEY, in the same ``StaticToken.token`` column
(16 characters), and django-otp is given that digest to check and use up. A
code has 40 random bits: a slow password hash would cost that much for each of
ten codes at every sign-in, while without the key a digest tells nothing at
all. A key moved to SECRET_KEY_FALLBACKS still checks the codes made under it.
"""

import base64
import re

from django.conf import settings
from django.utils.crypto import salted_hmac

DIGEST_SALT = "accounts.recovery_code"
DIGEST_LENGTH = 16
# StaticToken.random_token(): 8 characters of base 32, shown in lower case.
RECOVERY_CODE = re.compile(r"^[a-z2-7]{8}$")


def recovery_code_digest(code: str, *, secret: str | None = None) -> str:
    """What is stored for a recovery code (already normalised: lower case, no spaces)."""
    mac = salted_hmac(DIGEST_SALT, code, secret=secret or settings.SECRET_KEY, algorithm="sha256").digest()
    return base64.b32encode(mac).decode("ascii").lower()[:DIGEST_LENGTH]


def recovery_code_digests(code: str) -> list[str]:
    """The digest under the current key first, then under each earlier key still accepted."""
    return [recovery_code_digest(code, secret=key) for key in (settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS)]
