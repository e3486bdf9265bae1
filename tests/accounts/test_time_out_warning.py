"""The time-out warning's server side (WCAG 2.2.1): every signed-in page says
how long its session has left, and "Stay signed in" makes it last. The
dialog itself is driven in the browser (tests/browser/test_session_time_out.py)."""

import re
from datetime import timedelta

from django.test import Client
from django.urls import reverse

from tests.accounts.conftest import sign_in

SEARCH = reverse("records:child_search")
STAY = reverse("stay_signed_in")


def warning(page: str) -> dict[str, str]:
    """The time-out dialog's numbers, or {} when the page has none."""
    dialog = re.search(r"<dialog[^>]*id=\"app-timeout-dialog\"[^>]*>", page, re.S)
    if dialog is None:
        return {}
    return dict(re.findall(r'data-([a-z-]+)="([^"]*)"', dialog.group(0)))


def test_a_signed_in_page_says_how_long_is_left_and_when_to_warn(client, practitioner, frozen):
    sign_in(client, practitioner.email)
    frozen.shift(timedelta(minutes=10))
    # Activity is written at most once a minute: the page counts from the last write.
    assert warning(client.get(SEARCH).content.decode()) == {
        "idle-seconds-left": str(30 * 60),
        "absolute-seconds-left": str(12 * 3600 - 10 * 60),
        "warning-seconds": "120",
    }
    frozen.shift(timedelta(seconds=30))
    assert warning(client.get(SEARCH).content.decode())["idle-seconds-left"] == str(30 * 60 - 30)


def test_the_warning_comes_when_settings_say(client, practitioner, settings, frozen):
    settings.SESSION_IDLE_MINUTES = 15
    settings.SESSION_WARNING_MINUTES = 5
    sign_in(client, practitioner.email)
    found = warning(client.get(SEARCH).content.decode())
    assert (found["idle-seconds-left"], found["warning-seconds"]) == ("900", "300")


def test_no_warning_for_anyone_not_signed_in_or_half_way_through_signing_in(client, lead):
    assert warning(client.get(reverse("login")).content.decode()) == {}
    sign_in(client, lead.email)  # a password, and a code still owed
    assert warning(client.get(reverse("two_factor:enrol")).content.decode()) == {}


def test_stay_signed_in_keeps_the_session_past_the_idle_limit(client, practitioner, frozen):
    sign_in(client, practitioner.email)
    frozen.shift(timedelta(minutes=28, seconds=30))  # the warning is showing
    response = client.post(STAY)
    assert response.status_code == 200
    assert response.json() == {"idle_seconds_left": 30 * 60, "absolute_seconds_left": 12 * 3600 - (28 * 60 + 30)}
    frozen.shift(timedelta(minutes=29))  # 57 minutes after the last page
    assert client.get(SEARCH).status_code == 200


def test_without_staying_signed_in_the_session_ends(client, practitioner, frozen):
    sign_in(client, practitioner.email)
    frozen.shift(timedelta(minutes=28, seconds=30))
    frozen.shift(timedelta(minutes=29))
    response = client.get(SEARCH)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_staying_signed_in_does_not_move_the_absolute_limit(client, practitioner, frozen):
    sign_in(client, practitioner.email)
    for _ in range(24):  # "Stay signed in" every 29 minutes, for 11 hours 36 minutes
        frozen.shift(timedelta(minutes=29))
        left = client.post(STAY).json()
    assert left == {"idle_seconds_left": 30 * 60, "absolute_seconds_left": 24 * 60}
    frozen.shift(timedelta(minutes=24))
    assert client.post(STAY).url.startswith(reverse("login"))


def test_after_the_time_out_stay_signed_in_leads_to_sign_in(client, practitioner, frozen):
    sign_in(client, practitioner.email)
    frozen.shift(timedelta(minutes=31))
    response = client.post(STAY)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert client.get(SEARCH).url.startswith(reverse("login"))


def test_stay_signed_in_needs_the_page_s_csrf_token(practitioner):
    browser = Client(enforce_csrf_checks=True)
    sign_in(browser, practitioner.email)
    assert browser.post(STAY).status_code == 403
