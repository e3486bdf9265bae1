"""Cookies over HTTPS carry the ``__Host-`` prefix (ASVS 3.3.3): Secure, for
every path, and for this host alone; the demo over plain http keeps plain names."""

from datetime import timedelta

import pytest
from django.urls import reverse

from tests.accounts.conftest import sign_in
from tests.accounts.test_settings import run

SHOW = "from django.conf import settings as s; print(s.SESSION_COOKIE_NAME, s.CSRF_COOKIE_NAME)"


def test_production_names_the_cookies_with_the_host_prefix_and_the_demo_does_not(tmp_path):
    production = run(["-c", f"import django; django.setup(); {SHOW}"], tmp_path, DEBUG="false", SECRET_KEY="x" * 60)
    assert production.stdout.split() == ["__Host-sessionid", "__Host-csrftoken"], production.stderr
    demo = run(["-c", f"import django; django.setup(); {SHOW}"], tmp_path, DEBUG="true")
    assert demo.stdout.split() == ["sessionid", "csrftoken"], demo.stderr


@pytest.fixture
def as_in_production(settings):
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True
    settings.SESSION_COOKIE_NAME = "__Host-sessionid"
    settings.CSRF_COOKIE_NAME = "__Host-csrftoken"


def assert_host_only(morsel) -> None:
    """What a browser requires of a __Host- cookie before it keeps it."""
    assert morsel.key.startswith("__Host-")
    assert morsel["secure"] is True
    assert morsel["path"] == "/"
    assert morsel["domain"] == ""


def test_every_cookie_the_service_sets_over_https_is_host_only(client, practitioner, as_in_production, frozen):
    sign_in_page = client.get(reverse("login"), secure=True)
    assert_host_only(sign_in_page.cookies["__Host-csrftoken"])
    signed_in = sign_in(client, practitioner.email, secure=True)
    assert_host_only(signed_in.cookies["__Host-sessionid"])
    assert client.get(reverse("records:child_search"), secure=True).status_code == 200
    # A message to show on the next page ("You were signed out ...") travels in a cookie of its own.
    frozen.shift(timedelta(minutes=31))
    timed_out = client.get(reverse("records:child_search"), secure=True)
    assert_host_only(timed_out.cookies["__Host-messages"])
    page = client.get(timed_out.url, secure=True).content.decode()
    assert "You were signed out after 30 minutes without activity." in page
    assert not [name for name in client.cookies if not name.startswith("__Host-") and client.cookies[name].value]
