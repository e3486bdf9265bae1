"""The cookies the service sets, read from the settings that name them, so the
cookies page cannot drift from what a browser is given."""

from dataclasses import dataclass

from django.conf import settings

from core import cookies


@dataclass(frozen=True)
class Cookie:
    name: str
    purpose: str
    expires: str


def cookies_set() -> list[Cookie]:
    hours = settings.SESSION_MAX_HOURS
    return [
        Cookie(
            settings.SESSION_COOKIE_NAME,
            "Keeps you signed in as you move from page to page.",
            f"When you close your browser, sign out, or after {settings.SESSION_IDLE_MINUTES} minutes "
            f"without using the service ({hours} hours at most)",
        ),
        Cookie(
            settings.CSRF_COOKIE_NAME,
            "Checks that a form you send came from this service's own pages, not from another website.",
            f"{settings.CSRF_COOKIE_AGE // 86400} days",
        ),
        Cookie(
            cookies.named(cookies.MESSAGES),
            "Carries a message to the next page, such as \u201cDecision recorded\u201d.",
            "When the next page has shown it",
        ),
        Cookie(
            cookies.named(cookies.JUST_RECORDED),
            "Shows the confirmation of a decision you have just recorded, once, on the decision's page. "
            "It holds only the record's reference.",
            "When that page has shown it, or after 5 minutes",
        ),
    ]
