from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from tests.factories import PASSWORD

LONDON = ZoneInfo("Europe/London")
# A Monday afternoon, so that times on pages read plainly (2:15pm).
MONDAY_2PM = datetime(2026, 3, 2, 14, 0, tzinfo=LONDON)


def sign_in_with_password(client, email: str, *, password: str = PASSWORD, next_url: str | None = None, **extra):
    """Post the real sign-in form, as a browser would."""
    data = {"username": email, "password": password}
    url = reverse("login")
    if next_url:
        data["next"] = next_url
        url += f"?next={next_url}"
    return client.post(url, data, **extra)


@pytest.fixture
def frozen(time_machine):
    """Time stands still at MONDAY_2PM until a test moves it (time_machine.shift)."""
    time_machine.move_to(MONDAY_2PM, tick=False)
    return time_machine
