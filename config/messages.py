"""Django's messages, kept in a cookie that carries the ``__Host-`` prefix
wherever the session's does (ASVS 3.3.3), and in the session when they do
not fit in it."""

from django.contrib.messages.storage import cookie, fallback, session

from core import cookies


class CookieStorage(cookie.CookieStorage):
    @property
    def cookie_name(self) -> str:
        # Set with the session cookie's Secure, Path=/ and no Domain, as the prefix needs.
        return cookies.named(cookies.MESSAGES)


class FallbackStorage(fallback.FallbackStorage):
    storage_classes = (CookieStorage, session.SessionStorage)
