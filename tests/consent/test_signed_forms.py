"""Signed consent forms: checked on the way in, kept outside the web root,
served only to staff who may see the consent."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from consent.models import ConsentRecord
from tests.consent.forms import consent_post
from tests.factories import ChildFactory

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture
def private_files(settings):
    return Path(settings.PRIVATE_MEDIA_ROOT)


@pytest.fixture
def child(agency):
    return ChildFactory(agency=agency)


def upload(client, child, name, content, content_type="application/pdf"):
    data = consent_post(signed_form=SimpleUploadedFile(name, content, content_type=content_type))
    return client.post(reverse("consent:add", args=[child.pk]), data)


def test_a_signed_pdf_is_kept_with_its_hash_and_served_to_the_agency(practitioner_client, child, private_files):
    response = upload(practitioner_client, child, "Ellie Adeyemi consent.pdf", PDF)
    assert response.status_code == 302
    record = ConsentRecord.objects.get()
    assert (record.signed_form_type, record.signed_form_size) == ("application/pdf", len(PDF))
    assert len(record.signed_form_sha256) == 64
    stored = Path(record.signed_form.path)
    assert private_files in stored.parents
    assert "Ellie" not in stored.name, "no personal data in file names"
    download = practitioner_client.get(reverse("consent:signed_form", args=[record.pk]))
    assert b"".join(download.streaming_content) == PDF
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith("attachment")
    assert download["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in download["Cache-Control"] or "no-cache" in download["Cache-Control"]


def test_a_png_is_accepted(practitioner_client, child):
    assert upload(practitioner_client, child, "form.png", PNG, "image/png").status_code == 302
    assert ConsentRecord.objects.get().signed_form_type == "image/png"


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("form.pdf", b"just some text pretending"),
        ("form.exe", b"MZ\x90\x00"),
        ("form.html", b"<script>alert(1)</script>"),
    ],
)
def test_other_kinds_of_file_are_refused_whatever_their_name(practitioner_client, child, name, content):
    response = upload(practitioner_client, child, name, content)
    assert response.status_code == 200
    assert "The signed consent form must be a PDF, PNG or JPEG" in response.content.decode()
    assert not ConsentRecord.objects.exists()


def test_a_file_over_the_limit_is_refused(practitioner_client, child, settings):
    settings.CONSENT_FORM_MAX_BYTES = 1024
    response = upload(practitioner_client, child, "big.pdf", PDF + b"0" * 2048)
    assert "must be smaller than" in response.content.decode()
    assert not ConsentRecord.objects.exists()


def test_what_was_typed_is_kept_when_the_file_is_refused(practitioner_client, child):
    response = upload(practitioner_client, child, "form.pdf", b"not a pdf")
    assert "A referral for emotional support." in response.content.decode()


def test_the_form_is_not_reachable_without_a_signed_in_colleague(client, practitioner, other_practitioner, child):
    client.force_login(practitioner)
    upload(client, child, "form.pdf", PDF)
    url = reverse("consent:signed_form", args=[ConsentRecord.objects.get().pk])
    client.logout()
    assert client.get(url).status_code == 302
    client.force_login(other_practitioner)
    assert client.get(url).status_code == 404
