"""The second factor leaves a trace in the access log (ASVS 16.3.1), each case through the real pages:
the password accepted with a second factor asked for, then "Signed in" with it; each code refused, saying
why (wrong, used already, too many tries, not a code) and never the code; an app set up; and a second
factor reset by an agency administrator, or removed or added by a platform administrator in the admin."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.models import AccessEvent, Action, Subject
from tests.accounts.codes import authenticator_code
from tests.accounts.conftest import sign_in_with_password
from tests.accounts.test_two_factor import ENROL, VERIFY, enrol, typed_key_on
from tests.page_text import reader_text

SECOND_FACTOR = [Action.PASSWORD_ACCEPTED, Action.SIGN_IN, Action.SECOND_FACTOR_FAILED]


@pytest.fixture
def frozen(time_machine):
    time_machine.move_to(datetime(2026, 3, 2, 14, 0, tzinfo=ZoneInfo("Europe/London")), tick=False)
    return time_machine


def trail(user) -> list[tuple[str, str]]:
    """What the access log says of this person's sign-in, in order: (action, detail)."""
    events = AccessEvent.objects.filter(user=user, action__in=SECOND_FACTOR).order_by("pk")
    return list(events.values_list("action", "detail"))


def other_code(code: str) -> str:
    return f"{(int(code) + 500_000) % 1_000_000:06d}"


@pytest.fixture
def lead_with_app(lead):
    return lead, TOTPDevice.objects.create(user=lead, name="Authenticator app", confirmed=True)


def test_with_two_factor_for_roles_a_practitioner_is_signed_in_by_the_password(client, practitioner, settings):
    settings.TWO_FACTOR = "roles"
    sign_in_with_password(client, practitioner.email)
    assert trail(practitioner) == [(Action.SIGN_IN, "password alone")]


def test_the_password_step_and_the_code_are_two_events(client, lead_with_app, frozen):
    lead, device = lead_with_app
    assert sign_in_with_password(client, lead.email).url == VERIFY
    assert trail(lead) == [(Action.PASSWORD_ACCEPTED, "a passkey or a code asked for")], "not signed in yet"
    client.post(VERIFY, {"code": authenticator_code(device.bin_key)})
    assert trail(lead)[1:] == [(Action.SIGN_IN, "authenticator app")]
    signed_in = AccessEvent.objects.get(user=lead, action=Action.SIGN_IN)
    assert (signed_in.subject, signed_in.role) == (Subject.ACCOUNT, "Safeguarding lead")


def test_a_wrong_code_is_logged_without_the_code(client, lead_with_app, frozen):
    lead, device = lead_with_app
    sign_in_with_password(client, lead.email)
    wrong = other_code(authenticator_code(device.bin_key))
    client.post(VERIFY, {"code": wrong})
    assert trail(lead)[1:] == [(Action.SECOND_FACTOR_FAILED, "wrong code from the authenticator app")]
    failed = AccessEvent.objects.get(action=Action.SECOND_FACTOR_FAILED)
    assert wrong not in str(failed.ledger_document())


def test_a_code_used_already_is_logged_as_used(client, lead_with_app, frozen):
    lead, device = lead_with_app
    code = authenticator_code(device.bin_key)
    sign_in_with_password(client, lead.email)
    client.post(VERIFY, {"code": code})
    other = Client()
    sign_in_with_password(other, lead.email)
    frozen.shift(timedelta(seconds=2))
    assert "The code is not right" in other.post(VERIFY, {"code": code}).content.decode()
    assert trail(lead)[-1] == (Action.SECOND_FACTOR_FAILED, "code from the authenticator app used already")


def test_a_code_while_told_to_wait_is_logged_as_throttled(client, lead_with_app, frozen):
    lead, device = lead_with_app
    sign_in_with_password(client, lead.email)
    right = authenticator_code(device.bin_key)
    client.post(VERIFY, {"code": other_code(right)})
    page = client.post(VERIFY, {"code": right}).content.decode()
    assert "There have been too many wrong codes" in page
    assert trail(lead)[1:] == [
        (Action.SECOND_FACTOR_FAILED, "wrong code from the authenticator app"),
        (Action.SECOND_FACTOR_FAILED, "too many wrong codes: told to wait"),
    ]


@pytest.mark.parametrize(
    ("typed", "why"), [("", "no code typed"), ("12345", "not a code"), ("9" * 10_000, "not a code")]
)
def test_something_that_is_not_a_code_is_logged_as_such(client, lead_with_app, typed, why):
    lead, _ = lead_with_app
    sign_in_with_password(client, lead.email)
    client.post(VERIFY, {"code": typed})
    assert trail(lead)[1:] == [(Action.SECOND_FACTOR_FAILED, why)]


def test_a_recovery_code_signs_in_once_and_then_is_refused(client, lead, frozen):
    _key, codes = enrol(client, lead.email)
    client.post(reverse("logout"))
    sign_in_with_password(client, lead.email)
    client.post(VERIFY, {"code": codes[0]})
    client.post(reverse("logout"))
    sign_in_with_password(client, lead.email)
    client.post(VERIFY, {"code": codes[0]})
    assert trail(lead)[-4:] == [
        (Action.PASSWORD_ACCEPTED, "a passkey or a code asked for"),
        (Action.SIGN_IN, "recovery code"),
        (Action.PASSWORD_ACCEPTED, "a passkey or a code asked for"),
        (Action.SECOND_FACTOR_FAILED, "recovery code wrong or used already"),
    ]


def test_setting_up_an_app_logs_each_wrong_code_then_the_app_and_the_sign_in(client, lead, frozen):
    assert sign_in_with_password(client, lead.email).url == ENROL
    key = typed_key_on(client.get(ENROL).content.decode())
    client.post(ENROL, {"code": other_code(authenticator_code(key))})
    frozen.shift(timedelta(seconds=2))
    client.post(ENROL, {"code": authenticator_code(key)})
    assert trail(lead) == [
        (Action.PASSWORD_ACCEPTED, "a passkey or an authenticator app to set up first"),
        (Action.SECOND_FACTOR_FAILED, "setting up an authenticator app: wrong code from the authenticator app"),
        (Action.SIGN_IN, "authenticator app"),
    ]
    added = AccessEvent.objects.get(action=Action.DEVICE_ADDED)
    assert (added.user, added.object_id, added.detail) == (
        lead,
        str(lead.pk),
        "authenticator app, with new recovery codes",
    )
    assert added.pk < AccessEvent.objects.get(action=Action.SIGN_IN).pk


def test_an_agency_administrator_resetting_a_second_factor_is_logged_for_the_lead_to_read(
    admin_client_agency, agency_admin, lead_with_app
):
    lead, _ = lead_with_app
    StaticDevice.objects.create(user=lead, name="Recovery codes").token_set.create(token="abcdefgh")
    admin_client_agency.post(reverse("records:staff_two_factor_reset", args=[lead.pk]))
    reset = AccessEvent.objects.get(action=Action.TWO_FACTOR_RESET)
    assert (reset.user, reset.object_id, reset.subject) == (agency_admin, str(lead.pk), Subject.ACCOUNT)
    assert reset.detail == "removed: authenticator app and recovery codes"
    leads_browser = Client()
    leads_browser.force_login(lead)  # a new app: the old one is gone
    history = leads_browser.get(reverse("oversight:staff_history", args=[agency_admin.pk]))
    assert "Reset two-factor authentication: account (removed: authenticator app and recovery codes)" in reader_text(
        history.content.decode()
    )


def test_a_platform_administrators_reset_in_the_admin_is_logged(client, platform_admin, lead_with_app):
    lead, _ = lead_with_app
    client.force_login(platform_admin)
    client.post(reverse("admin:records_user_changelist"), {"action": "reset_two_factor", "_selected_action": [lead.pk]})
    reset = AccessEvent.objects.get(action=Action.TWO_FACTOR_RESET)
    assert (reset.user, reset.object_id, reset.detail) == (platform_admin, str(lead.pk), "removed: authenticator app")


def test_removing_a_device_in_the_admin_is_logged_with_whose_it_was(client, platform_admin, lead_with_app):
    lead, device = lead_with_app
    codes = StaticDevice.objects.create(user=lead, name="Recovery codes", confirmed=True)
    client.force_login(platform_admin)
    response = client.post(reverse("admin:otp_totp_totpdevice_delete", args=[device.pk]), {"post": "yes"})
    assert response.status_code == 302
    client.post(
        reverse("admin:otp_static_staticdevice_changelist"),
        {"action": "delete_selected", "_selected_action": [codes.pk], "post": "yes"},
    )
    assert not TOTPDevice.objects.filter(user=lead).exists()
    assert not StaticDevice.objects.filter(user=lead).exists()
    removed = AccessEvent.objects.filter(action=Action.DEVICE_REMOVED).order_by("pk")
    assert [(event.user, event.object_id, event.detail) for event in removed] == [
        (platform_admin, str(lead.pk), "authenticator app, in the admin"),
        (platform_admin, str(lead.pk), "recovery codes, in the admin"),
    ]


def test_nobody_adds_a_device_for_someone_in_the_admin(client, platform_admin, lead):
    """Whoever adds a device knows its secret: the admin refuses, and nothing is added or logged as added."""
    client.force_login(platform_admin)
    response = client.post(
        reverse("admin:otp_static_staticdevice_add"),
        {
            "user": lead.pk,
            "name": "Recovery codes",
            "confirmed": "on",
            "token_set-TOTAL_FORMS": "1",
            "token_set-INITIAL_FORMS": "0",
            "token_set-0-token": "abcdefgh",
        },
    )
    assert response.status_code == 403
    assert not StaticToken.objects.filter(device__user=lead).exists()
    assert not AccessEvent.objects.filter(action=Action.DEVICE_ADDED).exists()
