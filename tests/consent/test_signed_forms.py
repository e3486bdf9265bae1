"""Signed consent forms: checked on the way in, kept outside the web root,
served only to staff who may see the consent, and only while the file is
still the one recorded (its SHA-256, which the consent's log entry covers)."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from audit.models import AccessEvent, Action, Subject
from consent.models import ConsentRecord
from tests.consent.consent_post_data import consent_post, through_the_pages
from tests.factories import ChildFactory
from tests.page_text import reader_text

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
    return through_the_pages(client, reverse("consent:add", args=[child.pk]), data)


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
    assert "The signed consent form must be a PDF, PNG or JPEG" in response.content.decode()
    # The answers of the pages before are kept: without a file, the page goes on to check them.
    check = practitioner_client.post(response.request["PATH_INFO"], {}, follow=True)
    assert "A referral for emotional support." in check.content.decode()
    assert "None uploaded" in check.content.decode()


def test_the_form_is_not_reachable_without_a_signed_in_colleague(client, practitioner, other_practitioner, child):
    client.force_login(practitioner)
    upload(client, child, "form.pdf", PDF)
    url = reverse("consent:signed_form", args=[ConsentRecord.objects.get().pk])
    client.logout()
    assert client.get(url).status_code == 302
    client.force_login(other_practitioner)
    assert client.get(url).status_code == 404


# A stored form that no longer matches its record is never served as if it were the signed form.


def _recorded_form(client, child) -> ConsentRecord:
    assert upload(client, child, "form.pdf", PDF).status_code == 302
    return ConsentRecord.objects.get()


def _refused(client, record):
    response = client.get(reverse("consent:signed_form", args=[record.pk]))
    assert response.status_code == 409
    assert response["Content-Type"].startswith("text/html")
    assert "Content-Disposition" not in response
    text = reader_text(response.content.decode())
    assert "The signed form cannot be downloaded" in text
    assert "The file kept for this consent no longer matches the signed form recorded with it." in text
    assert "Your safeguarding lead has been told, in the access log, that this needs investigating." in text
    return response


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda path: path.write_bytes(PDF.replace(b"1 0 obj", b"2 0 obj")), id="changed"),
        pytest.param(lambda path: path.write_bytes(PNG), id="replaced by another file"),
        pytest.param(lambda path: path.write_bytes(PDF + b"%% appended\n"), id="grown"),
        pytest.param(lambda path: path.write_bytes(b""), id="emptied"),
        pytest.param(lambda path: path.unlink(), id="removed"),
    ],
)
def test_a_form_that_no_longer_matches_its_record_is_refused_and_logged(practitioner_client, child, change):
    record = _recorded_form(practitioner_client, child)
    change(Path(record.signed_form.path))

    response = _refused(practitioner_client, record)

    assert PDF not in response.content
    refusal = AccessEvent.objects.get(action=Action.REFUSED)
    assert (refusal.subject, refusal.object_id, refusal.child_id) == (Subject.SIGNED_FORM, str(record.pk), child.pk)
    assert refusal.detail == "signed form does not match its record"
    assert not AccessEvent.objects.filter(action=Action.EXPORT).exists()


def test_a_form_that_matches_its_record_is_served_as_recorded_and_logged(practitioner_client, child):
    record = _recorded_form(practitioner_client, child)
    download = practitioner_client.get(reverse("consent:signed_form", args=[record.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    export = AccessEvent.objects.get(action=Action.EXPORT)
    assert (export.subject, export.object_id) == (Subject.SIGNED_FORM, str(record.pk))
    assert not AccessEvent.objects.filter(action=Action.REFUSED).exists()
