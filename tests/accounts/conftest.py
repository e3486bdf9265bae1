from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import selectors as account_selectors
from tests.accounts.codes import authenticator_code
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


def sign_in(client, email: str, *, password: str = PASSWORD, next_url: str | None = None, **extra):
    """Sign in as a person does (TWO_FACTOR=everyone): the password, then a code from their
    authenticator app (set up beforehand if they have none; setting it up: test_two_factor.py).
    Returns the answer to the last step."""
    user = get_user_model().objects.get(email=email)
    if account_selectors.two_factor_required_for(user) and account_selectors.second_step_for(user) == "enrol":
        TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    response = sign_in_with_password(client, email, password=password, next_url=next_url, **extra)
    if response.status_code == 302 and response.url == reverse("two_factor:verify"):
        device = account_selectors.authenticator_for(user)
        code = authenticator_code(device.bin_key, after=device.last_t)
        response = client.post(reverse("two_factor:verify"), {"code": code}, **extra)
    return response


@pytest.fixture
def frozen(time_machine):
    """Time stands still at MONDAY_2PM until a test moves it (time_machine.shift)."""
    time_machine.move_to(MONDAY_2PM, tick=False)
    return time_machine
