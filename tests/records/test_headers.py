"""Headers every page carries: a strict Content Security Policy, and no
caching of anything seen while signed in."""

import uuid

import pytest
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
    response = practitioner_client.get(reverse("records:child_detail", args=[uuid.uuid4()]))
    assert response.status_code == 404
    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_pages_seen_while_signed_in_are_not_stored(practitioner_client, agency):
    child = ChildFactory(agency=agency)
    for url in (reverse("records:child_search"), reverse("records:child_detail", args=[child.pk])):
        assert "no-store" in practitioner_client.get(url)["Cache-Control"]
