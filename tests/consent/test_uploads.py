"""A signed form is refused for its size while it arrives, nothing past the
limit is kept in memory or on disk, nothing else typed on the form is lost,
and what is kept is readable by the service's own user alone (0600, in
folders of 0700)."""

import stat
from io import BytesIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import MemoryFileUploadHandler, TemporaryFileUploadHandler
from django.http.multipartparser import MultiPartParser
from django.test import RequestFactory
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from django.urls import reverse

from consent.models import ConsentRecord
from consent.uploads import RefusedUpload, SizeLimitedUploadHandler
from tests.consent.consent_post_data import consent_post, through_the_pages
from tests.factories import ChildFactory
from tests.page_text import reader_text

LIMIT = 1024 * 1024
TYPED_AFTER = "Typed after the file, further down the form"


@pytest.fixture
def child(agency):
    return ChildFactory(agency=agency)


@pytest.fixture
def small_limit(settings):
    settings.CONSENT_FORM_MAX_BYTES = LIMIT
    return LIMIT


def pdf(size: int) -> bytes:
    head = b"%PDF-1.4\n"
    return head + b"0" * (size - len(head))


class KeepingCount(TemporaryFileUploadHandler):
    """Django's temporary-file handler, noting the most it was ever given to write."""

    most = 0

    def receive_data_chunk(self, raw_data, start):
        KeepingCount.most = max(KeepingCount.most, start + len(raw_data))
        return super().receive_data_chunk(raw_data, start)


def parse(fields: dict):
    body = encode_multipart(BOUNDARY, fields)
    request = RequestFactory().generic("POST", "/", data=body, content_type=MULTIPART_CONTENT)
    handlers = [SizeLimitedUploadHandler(request), MemoryFileUploadHandler(request), KeepingCount(request)]
    request.upload_handlers = handlers
    parser = MultiPartParser(request.META, BytesIO(body), handlers)
    return parser.parse(), handlers


def test_a_file_over_the_limit_stops_being_kept_at_the_limit_and_the_rest_of_the_form_arrives(small_limit):
    KeepingCount.most = 0
    big = SimpleUploadedFile("form.pdf", pdf(LIMIT * 8), content_type="application/pdf")
    (post, files), handlers = parse({"how_signalled": "Typed first", "signed_form": big, "scope_use": TYPED_AFTER})
    assert post["how_signalled"] == "Typed first"
    assert post["scope_use"] == TYPED_AFTER
    refused = files["signed_form"]
    assert isinstance(refused, RefusedUpload)
    assert (refused.name, refused.size, refused.read()) == ("form.pdf", LIMIT * 8, b"")
    # Django's handler was given no more than the limit (and a chunk), and its copy is gone already.
    assert KeepingCount.most <= LIMIT + 64 * 1024
    temporary = handlers[2].file
    assert temporary.closed
    assert not Path(temporary.temporary_file_path()).exists()


def test_a_file_within_the_limit_is_kept_whole(small_limit):
    (_, files), _ = parse({"signed_form": SimpleUploadedFile("form.pdf", pdf(LIMIT), content_type="application/pdf")})
    assert not isinstance(files["signed_form"], RefusedUpload)
    assert files["signed_form"].read() == pdf(LIMIT)


def test_a_form_sent_with_too_large_a_file_says_so_next_to_it_and_keeps_everything_typed(
    practitioner_client, child, small_limit, private_media
):
    data = consent_post(
        signed_form=SimpleUploadedFile("form.pdf", pdf(LIMIT * 8), content_type="application/pdf"),
        scope_recipient_use=TYPED_AFTER,
    )
    response = through_the_pages(practitioner_client, reverse("consent:add", args=[child.pk]), data)
    assert response.status_code == 200
    page = reader_text(response.content.decode())
    assert "There is a problem" in page
    assert "The signed consent form must be smaller than 1 MB" in page
    assert response.context["form"].errors["signed_form"] == ["The signed consent form must be smaller than 1 MB"]
    # What was typed on the pages before is kept.
    scope = practitioner_client.get(reverse("consent:add_page", args=[child.pk, "scope"]))
    assert TYPED_AFTER in reader_text(scope.content.decode())
    assert not ConsentRecord.objects.exists()
    assert not [path for path in Path(private_media).rglob("*") if path.is_file()]


def test_the_field_tells_the_browser_the_limit_and_the_message(practitioner_client, child):
    form = practitioner_client.get(reverse("consent:add", args=[child.pk])).context["form"]
    attributes = form.fields["signed_form"].widget.attrs
    assert attributes["data-app-max-bytes"] == 5 * 1024 * 1024
    assert attributes["data-app-too-large"] == "The signed consent form must be smaller than 5 MB"


def test_a_kept_form_is_readable_by_the_service_s_user_alone(practitioner_client, child, private_media):
    signed = SimpleUploadedFile("form.pdf", pdf(1024), content_type="application/pdf")
    assert (
        through_the_pages(
            practitioner_client, reverse("consent:add", args=[child.pk]), consent_post(signed_form=signed)
        ).status_code
        == 302
    )
    stored = Path(ConsentRecord.objects.get().signed_form.path)
    assert stat.S_IMODE(stored.stat().st_mode) == 0o600
    for folder in stored.parents:
        if folder == Path(private_media).parent:
            break
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder


def test_a_large_kept_form_is_readable_by_the_service_s_user_alone_too(practitioner_client, child, private_media):
    """Over FILE_UPLOAD_MAX_MEMORY_SIZE a form arrives in a temporary file, which is moved into place."""
    signed = SimpleUploadedFile("form.pdf", pdf(3 * 1024 * 1024), content_type="application/pdf")
    assert (
        through_the_pages(
            practitioner_client, reverse("consent:add", args=[child.pk]), consent_post(signed_form=signed)
        ).status_code
        == 302
    )
    stored = Path(ConsentRecord.objects.get().signed_form.path)
    assert stat.S_IMODE(stored.stat().st_mode) == 0o600


def test_a_request_of_many_files_gets_no_more_kept_than_one_may_have(small_limit):
    KeepingCount.most = 0
    files = [SimpleUploadedFile(f"form{n}.pdf", pdf(LIMIT // 2 + 1), content_type="application/pdf") for n in range(6)]
    (_, parsed), _ = parse({"signed_form": files})
    kept = [upload for upload in parsed.getlist("signed_form") if not isinstance(upload, RefusedUpload)]
    assert len(kept) == 1
    assert sum(upload.size for upload in kept) <= LIMIT
