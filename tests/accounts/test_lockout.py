"""Lockout after repeated failed sign-ins (django-axes), by account or by
address, which a forged X-Forwarded-For header neither escapes nor resets."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import SESSION_KEY
from django.test import Client, RequestFactory
from django.urls import reverse

from accounts.lockout import client_address
from tests.accounts.conftest import sign_in, sign_in_with_password

WRONG = "not-the-password"


def fail(client, email, times, **extra):
    return [sign_in_with_password(client, email, password=WRONG, **extra) for _ in range(times)]


def signed_in(client) -> bool:
    return SESSION_KEY in client.session


def test_four_failures_are_answered_with_the_form_and_the_fifth_locks_out(client, practitioner, frozen):
    for response in fail(client, practitioner.email, 4):
        assert response.status_code == 200
        assert "Enter a correct email address and password" in response.content.decode()
    locked = sign_in_with_password(client, practitioner.email, password=WRONG)
    assert locked.status_code == 429
    page = locked.content.decode()
    assert '<h1 class="govuk-heading-l">You cannot sign in for now</h1>' in page
    assert "You can try again from <strong>2:15pm</strong> (in 15 minutes)" in page
    # A GOV.UK page of the service, under its Content Security Policy.
    assert 'class="govuk-header' in page
    assert "script-src 'self'" in locked["Content-Security-Policy"]


def test_while_locked_out_even_the_right_password_does_not_sign_in(client, practitioner, frozen):
    fail(client, practitioner.email, 5)
    response = sign_in_with_password(client, practitioner.email)
    assert response.status_code == 429
    assert not signed_in(client)


def test_the_lockout_follows_the_account_to_any_address_and_any_spelling(client, practitioner, frozen):
    for number in range(5):
        sign_in_with_password(client, practitioner.email, password=WRONG, REMOTE_ADDR=f"192.0.2.{number}")
    elsewhere = sign_in_with_password(client, practitioner.email.upper(), REMOTE_ADDR="198.51.100.1")
    assert elsewhere.status_code == 429
    assert not signed_in(client)


def test_the_lockout_holds_an_address_whatever_accounts_it_tries(client, practitioner, frozen):
    for number in range(5):
        sign_in_with_password(client, f"guess{number}@example.org", password=WRONG)
    assert sign_in_with_password(client, practitioner.email).status_code == 429
    # The same person from another address is not held up by it.
    other_address = Client(REMOTE_ADDR="198.51.100.20")
    assert sign_in_with_password(other_address, practitioner.email).status_code == 302
    assert signed_in(other_address)


def test_a_forged_x_forwarded_for_neither_escapes_nor_resets_the_lockout(client, practitioner, frozen):
    for number in range(4):
        response = sign_in_with_password(
            client, f"guess{number}@example.org", password=WRONG, HTTP_X_FORWARDED_FOR=f"203.0.113.{number}"
        )
        assert response.status_code == 200
    # Each "new address" counted against the one real address.
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"127.0.0.1"}
    fifth = sign_in_with_password(client, "guess5@example.org", password=WRONG, HTTP_X_FORWARDED_FOR="203.0.113.99")
    assert fifth.status_code == 429
    fresh_header = sign_in_with_password(client, practitioner.email, HTTP_X_FORWARDED_FOR="198.51.100.77")
    assert fresh_header.status_code == 429
    assert not signed_in(client)


def test_the_cool_off_ends_the_lockout_and_the_person_signs_in(client, practitioner, frozen):
    fail(client, practitioner.email, 5)
    frozen.shift(timedelta(minutes=15, seconds=1))
    response = sign_in(client, practitioner.email)
    assert response.status_code == 302
    assert response.url == reverse("home")
    assert signed_in(client)


def test_trying_again_while_locked_out_starts_the_wait_again(client, practitioner, frozen):
    fail(client, practitioner.email, 5)
    frozen.shift(timedelta(minutes=10))
    again = sign_in_with_password(client, practitioner.email)
    assert "You can try again from <strong>2:25pm</strong>" in again.content.decode()
    frozen.shift(timedelta(minutes=6))  # 16 minutes after the fifth failure: still locked out
    assert sign_in_with_password(client, practitioner.email).status_code == 429
    frozen.shift(timedelta(minutes=15, seconds=1))  # after a whole wait without trying
    assert sign_in_with_password(client, practitioner.email).status_code == 302


def test_the_failure_limit_and_cool_off_come_from_settings(client, practitioner, frozen, settings):
    settings.AXES_FAILURE_LIMIT = 2
    settings.AXES_COOLOFF_TIME = timedelta(minutes=5)
    fail(client, practitioner.email, 1)
    locked = sign_in_with_password(client, practitioner.email, password=WRONG)
    assert locked.status_code == 429
    assert "2:05pm" in locked.content.decode()
    frozen.shift(timedelta(minutes=5, seconds=1))
    assert sign_in_with_password(client, practitioner.email).status_code == 302


def test_the_admin_site_signs_in_through_the_same_page(client, agency_admin):
    response = client.get(reverse("admin:login") + "?next=/admin/records/user/")
    assert response.status_code == 302
    assert response.url == reverse("login") + "?next=/admin/records/user/"


# Where the client address comes from.


@pytest.fixture
def request_from():
    factory = RequestFactory()

    def build(remote, forwarded=None):
        extra = {"REMOTE_ADDR": remote}
        if forwarded is not None:
            extra["HTTP_X_FORWARDED_FOR"] = forwarded
        return factory.get("/", **extra)

    return build


def test_without_trusted_proxies_the_address_is_the_connections(request_from, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_address(request_from("192.0.2.1", "203.0.113.9")) == "192.0.2.1"


def test_behind_one_proxy_the_address_is_the_one_it_saw(request_from, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    # The client wrote "203.0.113.9, "; the proxy appended what it saw.
    assert client_address(request_from("10.0.0.2", "203.0.113.9, 198.51.100.4")) == "198.51.100.4"
    assert client_address(request_from("10.0.0.2", "198.51.100.4")) == "198.51.100.4"


def test_behind_two_proxies_the_outer_ones_view_counts(request_from, settings):
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_address(request_from("10.0.0.3", "203.0.113.9, 198.51.100.4, 10.0.0.2")) == "198.51.100.4"


def test_a_missing_or_garbled_header_falls_back_to_the_connection(request_from, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_address(request_from("10.0.0.2")) == "10.0.0.2"
    assert client_address(request_from("10.0.0.2", "not-an-address")) == "10.0.0.2"


def test_behind_a_trusted_proxy_forging_the_left_of_the_header_does_not_escape(client, practitioner, settings, frozen):
    settings.TRUSTED_PROXY_COUNT = 1
    for number in range(5):
        sign_in_with_password(
            client,
            f"guess{number}@example.org",
            password=WRONG,
            REMOTE_ADDR="10.0.0.2",
            HTTP_X_FORWARDED_FOR=f"203.0.113.{number}, 198.51.100.4",
        )
    response = sign_in_with_password(
        client, practitioner.email, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="192.0.2.200, 198.51.100.4"
    )
    assert response.status_code == 429


def test_someone_signed_in_whom_the_admin_refuses_is_told_so_not_sent_round(practitioner_client):
    response = practitioner_client.get(reverse("admin:index"), follow=True)
    assert response.status_code == 403
    assert "You cannot open this page" in response.content.decode()
