"""Headers every page carries: a strict Content Security Policy, and no
caching of anything seen while signed in."""

import uuid

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import ChildFactory


def test_pages_forbid_inline_scripts_and_styles(client, db):
    policy = client.get(reverse("login"))["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "style-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy


@pytest.mark.django_db
def test_error_pages_carry_the_policy_too(practitioner_client):
    response = practitioner_client.get(reverse("oversight:child_detail", args=[uuid.uuid4()]))
    assert response.status_code == 404
    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_pages_seen_while_signed_in_are_not_stored(practitioner_client, agency):
    child = ChildFactory(agency=agency)
    for url in (reverse("records:child_search"), reverse("oversight:child_detail", args=[child.pk])):
        assert "no-store" in practitioner_client.get(url)["Cache-Control"]


def test_a_refused_page_carries_the_policy(practitioner_client):
    response = practitioner_client.get(reverse("oversight:dashboard"))
    assert response.status_code == 403
    assert "script-src 'self'" in response["Content-Security-Policy"]


@pytest.mark.urls("tests.records.error_urls")
def test_the_server_error_page_carries_the_policy_and_no_details(practitioner, settings):
    settings.DEBUG = False
    client = Client(raise_request_exception=False)
    client.force_login(practitioner)
    response = client.get("/broken/")
    assert response.status_code == 500
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert "a fault" not in response.content.decode()
