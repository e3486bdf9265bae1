"""'Your sign-in methods': the signed-in person's own passkeys, authenticator app and recovery codes;
recovery codes kept as digests only (ASVS 6.5.2). Adding and using a passkey in a browser:
tests/browser/test_passkeys.py."""

import os
import re
from datetime import timedelta
from importlib import import_module

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from accounts import services
from accounts.recovery_codes import RECOVERY_CODE, recovery_code_digest
from audit.models import AccessEvent, Action
from tests.accounts.conftest import sign_in, sign_in_with_password
from tests.page_text import reader_text

METHODS = reverse("sign_in_methods")
VERIFY = reverse("two_factor:verify")
ENROL = reverse("two_factor:enrol")
RECOVERY_CODES = reverse("two_factor:recovery_codes")
REGENERATE = reverse("recovery_codes_regenerate")
SEARCH = reverse("records:child_search")
HASHING = import_module("accounts.migrations.0002_recovery_codes_hashed")


def passkey_for(user) -> WebAuthnCredential:
    return WebAuthnCredential.objects.create(
        user=user, name="Passkey", credential_id=os.urandom(32), public_key=b"key", confirmed=True
    )


def text(response) -> str:
    return reader_text(response.content.decode())


def recovery_codes_on(client) -> list[str]:
    return re.findall(r"<li><code>([a-z2-7]{8})</code></li>", client.get(RECOVERY_CODES).content.decode())


def device_events(user, action) -> list[str]:
    return list(AccessEvent.objects.filter(action=action, object_id=str(user.pk)).values_list("detail", flat=True))


def test_the_page_lists_the_app_and_the_recovery_codes_left(client, practitioner):
    sign_in(client, practitioner.email)
    page = text(client.get(METHODS))
    assert "You have not added a passkey." in page
    assert re.search(r"\nAuthenticator app\nAdded \d+ \w+ \d{4}\nLast used \d+ \w+ \d{4}, \d+:\d\d[ap]m\n", page), page
    assert "You have 0 recovery codes left." in page
    # The only way in beside the password is not offered for removal.
    assert "You cannot remove the only passkey or authenticator app you sign in with" in page


def test_the_only_app_cannot_be_removed(client, practitioner):
    sign_in(client, practitioner.email)
    response = client.post(reverse("authenticator_remove"), follow=True)
    assert "You cannot remove your only passkey or authenticator app" in text(response)
    assert TOTPDevice.objects.filter(user=practitioner, confirmed=True).exists()
    assert device_events(practitioner, Action.DEVICE_REMOVED) == []


def test_with_a_passkey_the_app_can_be_removed_and_the_session_goes_on(client, practitioner):
    sign_in(client, practitioner.email)
    passkey = passkey_for(practitioner)
    assert f'action="{reverse("authenticator_remove")}"' in client.get(METHODS).content.decode()
    response = client.post(reverse("authenticator_remove"), follow=True)
    assert "Your authenticator app has been removed" in text(response)
    assert not TOTPDevice.objects.filter(user=practitioner).exists()
    assert device_events(practitioner, Action.DEVICE_REMOVED) == ["authenticator app, by its owner"]
    # Signed in with the app just removed: still signed in, now under the passkey.
    assert client.session[DEVICE_ID_SESSION_KEY] == passkey.persistent_id
    assert client.get(SEARCH).status_code == 200


def test_a_passkey_is_removed_by_its_owner_only(client, practitioner, other_practitioner):
    sign_in(client, practitioner.email)
    theirs = passkey_for(other_practitioner)
    assert client.post(reverse("passkey_remove", args=[theirs.pk])).status_code == 404
    assert WebAuthnCredential.objects.filter(pk=theirs.pk).exists()
    mine = passkey_for(practitioner)
    response = client.post(reverse("passkey_remove", args=[mine.pk]), follow=True)
    assert "Your passkey has been removed" in text(response)
    assert not WebAuthnCredential.objects.filter(pk=mine.pk).exists()
    assert device_events(practitioner, Action.DEVICE_REMOVED) == ["passkey, by its owner"]


def test_new_recovery_codes_replace_the_old_and_each_works_once(client, practitioner, frozen):
    sign_in(client, practitioner.email)
    client.post(REGENERATE)
    first = recovery_codes_on(client)
    response = client.post(REGENERATE)
    assert response.url == RECOVERY_CODES
    page = client.get(RECOVERY_CODES)
    assert "Your new recovery codes" in text(page)
    assert "Your earlier recovery codes no longer work." in text(page)
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", page.content.decode())
    assert len(set(codes)) == 10 and not set(codes) & set(first)
    # Shown once.
    assert not any(code in client.get(RECOVERY_CODES).content.decode() for code in codes)
    assert (
        device_events(practitioner, Action.DEVICE_ADDED)
        == ["recovery codes, a new set by its owner, the old ones removed"] * 2
    )

    def signs_in_with(code: str) -> bool:
        # Past django-otp's wait after a wrong code.
        frozen.shift(timedelta(minutes=1))
        browser = Client()
        assert sign_in_with_password(browser, practitioner.email).url == VERIFY
        return browser.post(VERIFY, {"code": code}).status_code == 302

    assert not signs_in_with(first[0])
    assert signs_in_with(codes[0])
    assert not signs_in_with(codes[0]), "a recovery code works once"
    assert signs_in_with(codes[1].upper())


def test_the_database_holds_no_recovery_code_in_clear(client, practitioner):
    sign_in(client, practitioner.email)
    client.post(REGENERATE)
    codes = recovery_codes_on(client)
    stored = list(StaticToken.objects.filter(device__user=practitioner).values_list("token", flat=True))
    assert len(stored) == 10
    assert not set(stored) & set(codes)
    assert not any(RECOVERY_CODE.match(token) for token in stored)
    assert sorted(stored) == sorted(recovery_code_digest(code) for code in codes)


def test_codes_made_under_an_earlier_secret_key_still_work(client, practitioner, settings):
    sign_in(client, practitioner.email)
    client.post(REGENERATE)
    codes = recovery_codes_on(client)
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a-new-key-" + "x" * 50
    browser = Client()
    sign_in_with_password(browser, practitioner.email)
    assert browser.post(VERIFY, {"code": codes[0]}).url == reverse("home")


def test_codes_stored_in_clear_before_are_hashed_by_the_migration_and_still_work(practitioner):
    TOTPDevice.objects.create(user=practitioner, name="Authenticator app", confirmed=True)
    device = StaticDevice.objects.create(user=practitioner, name="Recovery codes", confirmed=True)
    device.token_set.create(token="abcdefgh")
    HASHING.recovery_codes_hash(apps, None)
    HASHING.recovery_codes_hash(apps, None)  # a second run changes nothing
    assert list(device.token_set.values_list("token", flat=True)) == [recovery_code_digest("abcdefgh")]
    browser = Client()
    sign_in_with_password(browser, practitioner.email)
    assert browser.post(VERIFY, {"code": "abcd efgh"}).url == reverse("home")


def test_someone_with_a_passkey_cannot_set_up_an_app_instead_of_using_it(client, practitioner):
    """The set-up page is open to someone half signed in; with a passkey, they use it first."""
    passkey_for(practitioner)
    assert sign_in_with_password(client, practitioner.email).url == VERIFY
    assert client.get(ENROL).url == VERIFY
    assert client.post(ENROL, {"code": "123456"}).url == VERIFY
    assert not TOTPDevice.objects.filter(user=practitioner).exists()
    assert DEVICE_ID_SESSION_KEY not in client.session
    assert client.get(SEARCH).url == VERIFY


def test_someone_with_an_app_cannot_add_a_passkey_before_using_it(client, practitioner):
    TOTPDevice.objects.create(user=practitioner, name="Authenticator app", confirmed=True)
    sign_in_with_password(client, practitioner.email)
    response = client.post(reverse("passkey_add_begin"))
    assert response.status_code == 403
    assert "verify your identity first" in response.json()["detail"]


def test_the_sign_in_page_offers_a_passkey_first(client, practitioner):
    passkey_for(practitioner)
    TOTPDevice.objects.create(user=practitioner, name="Authenticator app", confirmed=True)
    sign_in_with_password(client, practitioner.email)
    page = text(client.get(VERIFY))
    assert page.index("Use your passkey") < page.index("Or enter a code")


def test_resetting_two_factor_removes_passkeys_too(practitioner):
    passkey_for(practitioner)
    TOTPDevice.objects.create(user=practitioner, name="Authenticator app", confirmed=True)
    services.two_factor_reset(user=practitioner)
    assert not WebAuthnCredential.objects.filter(user=practitioner).exists()


@pytest.mark.parametrize("code", ["", "12ab"])
def test_a_code_after_using_a_recovery_code_shows_how_many_are_left(client, practitioner, code):
    sign_in(client, practitioner.email)
    client.post(REGENERATE)
    codes = recovery_codes_on(client)
    browser = Client()
    sign_in_with_password(browser, practitioner.email)
    if code:
        assert browser.post(VERIFY, {"code": code}).status_code == 200
    response = browser.post(VERIFY, {"code": codes[3]}, follow=True)
    assert "You have 9 left" in text(response)


def test_removing_a_passkey_ends_the_persons_other_sessions(client, practitioner):
    """A session verified with it elsewhere must not stay verified: the service takes a session's word
    for the device it was verified with (accounts.middleware.VerifiedSessionMiddleware)."""
    sign_in(client, practitioner.email)
    passkey = passkey_for(practitioner)
    elsewhere = Client()
    elsewhere.force_login(practitioner)
    session = elsewhere.session
    session[DEVICE_ID_SESSION_KEY] = passkey.persistent_id
    session.save()
    assert elsewhere.get(SEARCH).status_code == 200
    client.post(reverse("passkey_remove", args=[passkey.pk]))
    assert elsewhere.get(SEARCH).url.startswith(reverse("login"))
    assert client.get(SEARCH).status_code == 200
