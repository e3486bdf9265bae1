"""Requests and uploads too large to accept are refused with a page that says
so in the service's own layout: never a server error, never Django's bare
"Bad Request (400)"."""

from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from consent.models import ConsentRecord
from records.models import Child
from tests.consent.consent_post_data import consent_post, through_the_pages
from tests.factories import ChildFactory
from tests.reliability.pages import child_post

BARE_400 = b"<h1>Bad Request (400)</h1>"


@pytest.fixture
def child(agency):
    return ChildFactory(agency=agency)


@pytest.fixture
def strict_client(practitioner):
    """A browser as in production: the CSRF check reads the body before the view does."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(practitioner)
    client.get(reverse("records:child_add"))
    return client


def _csrf(client) -> str:
    return client.cookies[settings.CSRF_COOKIE_NAME].value


def assert_the_service_s_400_page(response):
    assert response.status_code == 400
    assert response.content != b"" and BARE_400 not in response.content
    assert "400.html" in [template.name for template in response.templates]
    page = response.content.decode()
    assert "Something was wrong with that request" in page
    assert "Go back and try again" in page
    assert 'class="govuk-template' in page, "the page is in the service's layout"


def test_the_limits_are_as_documented():
    """Bodies over 1 MB are refused; a signed form may be up to 5 MB (README)."""
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE == 1_048_576
    assert settings.CONSENT_FORM_MAX_BYTES == 5 * 1024 * 1024


@pytest.mark.parametrize("encoding", ["urlencoded", "multipart"])
def test_a_form_post_over_the_size_limit_gets_the_service_s_400_page(practitioner_client, encoding):
    data = child_post(address="x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1))
    url = reverse("records:child_add")
    if encoding == "urlencoded":
        response = practitioner_client.post(url, urlencode(data), content_type="application/x-www-form-urlencoded")
    else:
        response = practitioner_client.post(url, data)
    assert_the_service_s_400_page(response)
    assert not Child.objects.exists()


def test_an_oversized_post_is_refused_the_same_way_when_the_csrf_check_reads_it_first(strict_client):
    data = child_post(
        address="x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1), csrfmiddlewaretoken=_csrf(strict_client)
    )
    response = strict_client.post(
        reverse("records:child_add"), urlencode(data), content_type="application/x-www-form-urlencoded"
    )
    assert_the_service_s_400_page(response)
    assert not Child.objects.exists()


def test_a_post_with_too_many_fields_gets_the_service_s_400_page(practitioner_client):
    data = {**child_post(), **{f"field_{n}": "x" for n in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)}}
    response = practitioner_client.post(
        reverse("records:child_add"), urlencode(data), content_type="application/x-www-form-urlencoded"
    )
    assert_the_service_s_400_page(response)
    assert not Child.objects.exists()


def test_a_post_just_under_the_limit_is_read_and_answered_with_the_form_s_own_message(practitioner_client):
    # Long, but a body Django reads: the form says what is wrong with it.
    data = child_post(given_name="x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE - 10_000))
    response = practitioner_client.post(
        reverse("records:child_add"), urlencode(data), content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert "Ensure this value has at most 100 characters" in response.content.decode()


def _pdf(size: int) -> bytes:
    head = b"%PDF-1.4\n"
    return head + b"0" * (size - len(head))


def _upload(client, child, size: int):
    form = SimpleUploadedFile("signed consent.pdf", _pdf(size), content_type="application/pdf")
    return through_the_pages(client, reverse("consent:add", args=[child.pk]), consent_post(signed_form=form))


def test_a_signed_form_over_the_limit_is_refused_with_a_clear_message(practitioner_client, child, private_media):
    response = _upload(practitioner_client, child, settings.CONSENT_FORM_MAX_BYTES + 1)
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert "The signed consent form must be smaller than 5 MB" in page
    assert not ConsentRecord.objects.exists()
    stored = [path for path in Path(private_media).rglob("*") if path.is_file()] if Path(private_media).exists() else []
    assert not stored, "nothing refused is kept on disk"


def test_a_signed_form_at_the_limit_is_accepted(practitioner_client, child):
    # Over the 1 MB form-body limit too: an upload is not counted in it.
    response = _upload(practitioner_client, child, settings.CONSENT_FORM_MAX_BYTES)
    assert response.status_code == 302
    assert ConsentRecord.objects.get().signed_form_size == settings.CONSENT_FORM_MAX_BYTES
