"""Two-factor authentication: a passkey or a code from an authenticator app
after the password, for everyone (TWO_FACTOR=everyone, the default), or for
leads and administrators only (roles), or no one (the demo). Passkeys
themselves: tests/browser/test_passkeys.py."""

import re
from base64 import b32decode
from datetime import timedelta

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import services
from accounts.models import UserSession
from accounts.recovery_codes import recovery_code_digest
from tests.accounts.codes import authenticator_code
from tests.accounts.conftest import sign_in_with_password
from tests.factories import ChildFactory

ENROL = reverse("two_factor:enrol")
VERIFY = reverse("two_factor:verify")
RECOVERY_CODES = reverse("two_factor:recovery_codes")
SEARCH = reverse("records:child_search")


def typed_key_on(page: str) -> bytes:
    key = re.search(r'id="typed-key">([A-Z2-7 ]+)<', page).group(1)
    return b32decode(key.replace(" ", ""))


def enrol(client, email) -> tuple[bytes, list[str]]:
    """Sign in with a password and set up an app; the key and recovery codes."""
    assert sign_in_with_password(client, email).url == ENROL
    key = typed_key_on(client.get(ENROL).content.decode())
    response = client.post(ENROL, {"code": authenticator_code(key)})
    assert response.url == RECOVERY_CODES
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", client.get(RECOVERY_CODES).content.decode())
    return key, codes


def verified(client) -> bool:
    return DEVICE_ID_SESSION_KEY in client.session


@pytest.fixture
def lead_with_app(lead):
    device = TOTPDevice.objects.create(user=lead, name="Authenticator app", confirmed=True)
    return lead, device


# Who is asked.


def test_with_two_factor_for_roles_a_practitioner_signs_in_with_a_password_alone(client, practitioner, settings):
    settings.TWO_FACTOR = "roles"
    response = sign_in_with_password(client, practitioner.email)
    assert response.url == reverse("home")
    assert client.get(SEARCH).status_code == 200


def test_leads_and_administrators_must_set_up_an_app_before_anything_else(lead, agency_admin, platform_admin):
    for user in (lead, agency_admin, platform_admin):
        browser = Client()
        assert sign_in_with_password(browser, user.email).url == ENROL
        for elsewhere in (reverse("home"), SEARCH, reverse("admin:index"), VERIFY):
            assert browser.get(elsewhere).url == ENROL, (user, elsewhere)


def test_by_default_practitioners_set_up_a_second_factor_too(client, practitioner):
    assert sign_in_with_password(client, practitioner.email).url == ENROL


def test_a_practitioner_made_a_lead_while_signed_in_is_asked_to_set_up_an_app(client, practitioner, settings):
    settings.TWO_FACTOR = "roles"
    sign_in_with_password(client, practitioner.email)
    assert client.get(SEARCH).status_code == 200
    practitioner.staff_membership.role = "safeguarding_lead"
    practitioner.staff_membership.save()
    assert client.get(SEARCH).url == ENROL


def test_two_factor_required_for_everyone_while_a_practitioner_is_signed_in_asks_them(client, practitioner, settings):
    settings.TWO_FACTOR = "roles"
    sign_in_with_password(client, practitioner.email)
    assert client.get(SEARCH).status_code == 200
    settings.TWO_FACTOR = "everyone"
    assert client.get(SEARCH).url == ENROL


def test_with_two_factor_off_a_lead_signs_in_with_a_password_alone(client, lead_with_app, settings):
    settings.TWO_FACTOR = "off"
    lead, _ = lead_with_app
    assert sign_in_with_password(client, lead.email).url == reverse("home")
    assert client.get(SEARCH).status_code == 200
    assert client.get(ENROL).url == reverse("home")


def test_half_signed_in_reaches_only_sign_out_static_files_and_the_health_check(client, lead_with_app):
    lead, _ = lead_with_app
    assert sign_in_with_password(client, lead.email).url == VERIFY
    assert client.get(reverse("healthz")).status_code == 200
    assert client.get("/static/css/app.css").status_code != 302
    assert client.get(ENROL).url == VERIFY
    assert client.post(reverse("logout")).url == reverse("login")
    assert SESSION_KEY not in client.session


# Setting up an app.


def test_the_set_up_page_shows_a_qr_code_and_a_key_to_type(client, lead):
    sign_in_with_password(client, lead.email)
    response = client.get(ENROL)
    page = response.content.decode()
    device = TOTPDevice.objects.get(user=lead, confirmed=False)
    svg = re.search(r"<svg[^>]*>.*?</svg>", page, re.DOTALL).group(0)
    assert 'role="img"' in svg
    assert "<title" in svg
    # The Content Security Policy forbids inline styles and scripts.
    assert "style" not in svg
    assert "<script" not in svg
    assert "style=" not in page
    key = re.search(r'id="typed-key">([A-Z2-7 ]+)<', page).group(1)
    assert all(len(group) == 4 for group in key.split(" "))
    assert typed_key_on(page) == device.bin_key
    # Reloading keeps the same key: what was scanned stays good.
    assert typed_key_on(client.get(ENROL).content.decode()) == device.bin_key


def test_a_wrong_first_code_is_explained_and_nothing_is_set_up(client, lead, frozen):
    sign_in_with_password(client, lead.email)
    key = typed_key_on(client.get(ENROL).content.decode())
    right = authenticator_code(key)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    response = client.post(ENROL, {"code": wrong})
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert 'href="#id_code"' in page
    assert "The code is not right" in page
    assert not TOTPDevice.objects.filter(user=lead, confirmed=True).exists()
    # Straight away again: django-otp makes each try after a wrong one wait longer.
    again = client.post(ENROL, {"code": right}).content.decode()
    assert "There have been too many wrong codes. Wait 1 second, then try again" in again
    frozen.shift(timedelta(seconds=2))
    assert client.post(ENROL, {"code": authenticator_code(key)}).url == RECOVERY_CODES


@pytest.mark.parametrize("typed", ["", "12345", "abcdef", "1234567", "x" * 100, "\x00"])
def test_a_first_code_that_is_not_6_digits_is_refused(client, lead, typed):
    sign_in_with_password(client, lead.email)
    client.get(ENROL)
    response = client.post(ENROL, {"code": typed})
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()


def test_setting_up_an_app_verifies_the_session_and_shows_recovery_codes_once(client, lead):
    _key, codes = enrol(client, lead.email)
    assert len(codes) == 10
    assert len(set(codes)) == 10
    # Kept as digests only (ASVS 6.5.2): the database holds none of the codes shown.
    stored = set(StaticToken.objects.filter(device__user=lead).values_list("token", flat=True))
    assert stored == {recovery_code_digest(code) for code in codes}
    assert not stored & set(codes)
    assert verified(client)
    assert client.get(SEARCH).status_code == 200
    again = client.get(RECOVERY_CODES).content.decode()
    assert "Recovery codes are shown only once" in again
    assert not any(code in again for code in codes)


def test_the_page_asked_for_is_reached_after_setting_up(client, lead):
    wanted = reverse("records:child_add")
    response = sign_in_with_password(client, lead.email, next_url=wanted)
    assert response.url == ENROL
    key = typed_key_on(client.get(ENROL).content.decode())
    client.post(ENROL, {"code": authenticator_code(key)})
    page = client.get(RECOVERY_CODES).content.decode()
    assert f'href="{wanted}"' in page


# Signing in with an app.


def test_a_lead_with_an_app_enters_its_code_and_reaches_the_page_asked_for(client, lead_with_app):
    lead, device = lead_with_app
    wanted = reverse("records:child_add")
    response = sign_in_with_password(client, lead.email, next_url=wanted)
    assert response.url == VERIFY
    page = client.get(VERIFY).content.decode()
    assert "Enter the code from your authenticator app" in page
    # Half signed in: no service menu to pages that cannot be opened yet.
    assert "Find a child" not in page
    assert client.post(VERIFY, {"code": authenticator_code(device.bin_key)}).url == wanted
    assert verified(client)


def test_a_wrong_code_is_explained(client, lead_with_app):
    lead, device = lead_with_app
    sign_in_with_password(client, lead.email)
    right = authenticator_code(device.bin_key)
    response = client.post(VERIFY, {"code": f"{(int(right) + 500) % 1_000_000:06d}"})
    page = response.content.decode()
    assert "There is a problem" in page
    assert "The code is not right" in page
    assert not verified(client)
    assert client.get(SEARCH).url == VERIFY


def test_a_code_is_taken_once(client, lead_with_app, frozen):
    lead, device = lead_with_app
    code = authenticator_code(device.bin_key)
    sign_in_with_password(client, lead.email)
    client.post(VERIFY, {"code": code})
    other = Client()
    sign_in_with_password(other, lead.email)
    frozen.shift(timedelta(seconds=2))
    assert "The code is not right" in other.post(VERIFY, {"code": code}).content.decode()


def test_a_recovery_code_signs_in_once(client, lead):
    _key, codes = enrol(client, lead.email)
    client.post(reverse("logout"))
    sign_in_with_password(client, lead.email)
    response = client.post(VERIFY, {"code": codes[0].upper()})
    assert response.url == reverse("home")
    assert "You have 9 left" in client.get(response.url, follow=True).content.decode()
    client.post(reverse("logout"))
    sign_in_with_password(client, lead.email)
    page = client.post(VERIFY, {"code": codes[0]}).content.decode()
    assert "That recovery code is not right, or it has been used already" in page


def test_the_session_gets_a_new_key_at_sign_in_and_again_after_the_code(client, lead_with_app):
    lead, device = lead_with_app
    client.get(reverse("login"))
    client.session.save()
    anonymous_key = client.session.session_key
    sign_in_with_password(client, lead.email)
    password_key = client.session.session_key
    client.post(VERIFY, {"code": authenticator_code(device.bin_key)})
    verified_key = client.session.session_key
    assert len({anonymous_key, password_key, verified_key}) == 3
    # The record of who is signed in where follows the key.
    assert list(UserSession.objects.filter(user=lead).values_list("session_key", flat=True)) == [verified_key]


def test_losing_the_app_means_setting_one_up_again(client, lead_with_app):
    lead, device = lead_with_app
    client.force_login(lead)
    assert client.get(SEARCH).status_code == 200
    # An administrator removed the lost phone's app: the sessions verified with it end (ADR 16).
    services.second_factor_delete(request=None, device=device, how="in the admin")
    assert client.get(SEARCH).url.startswith(reverse("login"))
    assert sign_in_with_password(client, lead.email).url == ENROL


def test_typing_kept_through_a_sign_in_with_a_code(client, lead_with_app, agency, frozen):
    """A lead whose session timed out while typing (accounts.kept_typing) gets it back after the second step too."""
    lead, device = lead_with_app
    child = ChildFactory(agency=agency)
    client.force_login(lead)
    question = client.post(reverse("sharing:start", args=[child.pk]), {"direction": "proposing"}).url
    frozen.shift(timedelta(minutes=31))
    response = client.post(question, {"purpose": "Typed while signed out"})
    assert response.url.startswith(reverse("login"))
    assert sign_in_with_password(client, lead.email, next_url=question).url == VERIFY
    frozen_code = authenticator_code(device.bin_key, after=TOTPDevice.objects.get(pk=device.pk).last_t)
    assert client.post(VERIFY, {"code": frozen_code}).url == question
    page = client.get(question).content.decode()
    assert "Typed while signed out" in page
    assert "What you typed has been kept" in page


@pytest.mark.parametrize("payload", [{}, {"code": "\x00"}, {"code": "' OR 1=1 --"}, {"code": "9" * 10_000}])
def test_garbage_on_the_code_pages_gets_messages_not_errors(client, lead_with_app, payload):
    lead, _ = lead_with_app
    sign_in_with_password(client, lead.email)
    response = client.post(VERIFY, payload)
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()


def test_services_replace_an_unconfirmed_app_with_the_confirmed_one(lead):
    first = services.authenticator_start(user=lead)
    assert services.authenticator_start(user=lead) == first


def test_a_platform_administrator_resets_a_lost_phone_from_the_admin(client, platform_admin, lead_with_app):
    lead, _ = lead_with_app
    client.force_login(platform_admin)
    leads_browser = Client()
    leads_browser.force_login(lead)
    response = client.post(
        reverse("admin:records_user_changelist"), {"action": "reset_two_factor", "_selected_action": [lead.pk]}
    )
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=lead).exists()
    assert not StaticToken.objects.filter(device__user=lead).exists()
    # Signed out everywhere, and asked to set up a new app at the next sign-in.
    assert leads_browser.get(SEARCH).url.startswith(reverse("login"))
    assert sign_in_with_password(leads_browser, lead.email).url == ENROL


def test_resetting_two_factor_ends_the_persons_sessions(lead_with_app):
    lead, _ = lead_with_app
    browser = Client()
    browser.force_login(lead)
    services.two_factor_reset(user=lead)
    assert not UserSession.objects.filter(user=lead).exists()
    assert browser.get(SEARCH).url.startswith(reverse("login"))
