"""A child's bundle for court or a conference (docs/adr/0021-court-bundles.md): one PDF with a cover page,
contents with page numbers, the chronology, each record in full with its receipt and every record's place in
the log; kept, entered in the log with the SHA-256 of its bytes, and downloaded again, logged."""

import hashlib
import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from audit.models import AccessEvent, Action
from bundles import services
from bundles.models import Bundle, Kind, Purpose
from ledger import canonical
from ledger.models import Entry
from records.roles import Role
from tests.bundles.bundle_data import (
    ADDENDUM,
    DECLINED_BECAUSE,
    FOLLOW_UP_REASONS,
    REASON,
    RECIPIENT,
    REVIEW_COMMENTS,
    bundle_post,
    download,
    every_kind,
    make_bundle,
)
from tests.core.test_pdf import has_ink, pages_as_images
from tests.factories import StaffMembershipFactory
from tests.ledger_data import seal, verify_log
from tests.page_text import page_text, reader_text
from tests.pdf_data import assert_every_page_is_marked, downloaded_pdf


@pytest.fixture
def records(practitioner, lead):
    made = every_kind(practitioner=practitioner, lead=lead)
    seal()
    return made


def bundle_pages(client, bundle) -> list[str]:
    return downloaded_pdf(download(client, bundle), filename=f"bundle-{bundle.pk}.pdf")


def test_a_lead_makes_a_bundle_holding_every_record_in_full(lead_client, lead, records):
    bundle = make_bundle(lead_client, records.child)
    pages = bundle_pages(lead_client, bundle)
    text = " ".join(pages)
    child, decision, consent = records.child, records.decision, records.consent

    cover = pages[0]
    assert cover.startswith(f"{child.agency.name} Bundle of records about {child.full_name}"), cover
    for words in (
        f"Agency {child.agency.name}",
        f"For {Purpose.COURT.label}",
        f"For whom {RECIPIENT}",
        f"Why {REASON}",
        "Period From the first record to the day it was made",
        f"Made by {lead.full_name}, safeguarding lead",
    ):
        assert words in cover, words
    assert pages[1].startswith("Contents Chronology")
    for words in (
        # The decision, its review and its addendum, the advice asked about it, the request answered.
        f"Reasons {decision.reasons}",
        "1. Is there a legitimate purpose to share the information?",
        REVIEW_COMMENTS,
        ADDENDUM,
        records.advice.question,
        records.advice.answer.advice,
        # The consent, the request and its outcome, the disclosure and its follow-up.
        f"Consent given by {consent.responder_name}",
        consent.how_signalled,
        f"Information needed {records.information_request.information_needed}",
        DECLINED_BECAUSE,
        f"Disclosure to {records.disclosure.recipient_name}",
        FOLLOW_UP_REASONS,
    ):
        assert words in text, words
    # Each record with its receipt: its place in the log and the SHA-256 of its content.
    for record in (decision, consent, records.disclosure, records.advice):
        entry = Entry.objects.get(kind=record.ledger_kind, record_id=str(record.pk))
        assert f"SHA-256 of the record {entry.content_sha256}" in text, record
    assert_every_page_is_marked(pages, printed_by=lead)


def test_the_last_pages_list_every_record_with_its_place_in_the_log(lead_client, records):
    bundle = make_bundle(lead_client, records.child)
    pages = bundle_pages(lead_client, bundle)
    start = next(i for i, page in enumerate(pages) if "Every record's place in the log Each record" in page)
    listed = " ".join(pages[start:])
    # decision, review, addendum, consent, request, its outcome, disclosure, follow-up, advice asked and given
    assert len(bundle.contents) == 10
    for went_in in bundle.contents:
        entry = Entry.objects.select_related("leaf").get(kind=went_in["kind"], record_id=went_in["id"])
        assert (went_in["position"], went_in["sha256"]) == (entry.leaf.position, entry.content_sha256)
        assert f"{went_in['id']} {entry.leaf.position} {entry.content_sha256}" in listed, went_in


def test_how_to_check_a_receipt_is_said_once_on_the_cover_and_each_receipt_names_its_entry(lead_client, records):
    pages = bundle_pages(lead_client, make_bundle(lead_client, records.child))
    text = " ".join(pages)
    command = "python tools/verify_receipt.py receipt.json --key KEY"
    assert command in pages[0]
    assert text.count(command) == 1
    # What the log is, said once on the cover rather than with each of hundreds of records and their parts.
    promise = "Nobody can change a record once it is recorded."
    assert promise in pages[0]
    assert text.count(promise) == 1
    assert "Nobody can change this record" not in text
    assert "How to check it:" not in pages[0]
    for record, what in ((records.decision, "decision"), (records.consent, "consent record")):
        entry = Entry.objects.select_related("leaf").get(kind=record.ledger_kind, record_id=str(record.pk))
        assert f"The {what} in the log Place in the log Entry {entry.leaf.position}, entered" in text, what
        assert f"SHA-256 of the record {entry.content_sha256}" in text, what
        assert (
            f'How to check it: with the {what}\'s receipt, as "How to check this bundle" on the first page says.'
            in text
        ), what
    # A review's and an addendum's place in the log, within the decision's record.
    for part in (*records.decision.reviews.all(), *records.decision.addenda.all()):
        entry = Entry.objects.select_related("leaf").get(kind=part.ledger_kind, record_id=str(part.pk))
        assert f"Place in the log Entry {entry.leaf.position}, entered" in text, part


def test_the_guidance_shown_with_the_questions_is_printed_once_and_each_question_names_its_passage(
    lead_client, records
):
    pages = bundle_pages(lead_client, make_bundle(lead_client, records.child))
    contents = pages[1]
    appendix_starts = next(i for i, page in enumerate(pages) if page.startswith("Guidance shown with the questions"))
    log_starts = next(i for i, page in enumerate(pages) if page.startswith("Every record's place in the log"))
    records_part = " ".join(pages[2:appendix_starts])
    appendix = " ".join(pages[appendix_starts:log_starts])
    assert re.search(r"Guidance shown with the questions[ .]*" + str(appendix_starts + 1) + r"\b", contents)

    answers = [answer for answer in records.decision.answers.order_by("position") if answer.guidance_shown]
    assert answers
    for answer in answers:
        # One decision: each question showed one passage, named by the question's number.
        number = answer.question_number
        assert f'printed in full as passage {number} of "Guidance shown with the questions"' in records_part
        assert f"Passage {number}, shown with question {number}. {answer.question_wording}" in appendix
        for _paragraph, words in answer.guidance_shown:
            assert words in appendix, words
            assert words not in records_part, words


def test_the_contents_give_the_page_each_part_and_record_starts_on(lead_client, records):
    pages = bundle_pages(lead_client, make_bundle(lead_client, records.child))
    contents = pages[1]

    def page_of(title: str) -> str:
        found = re.search(re.escape(title) + r"[ .]*?(\d+)\b", contents)
        assert found, (title, contents)
        return pages[int(found.group(1)) - 1]

    for part in (
        "Chronology",
        "Information-sharing decisions, with their reviews and addenda",
        "Consent records",
        "Requests for information and what became of them",
        "Disclosures and their follow-ups",
        "Advice asked and given",
        "Every record's place in the log",
    ):
        assert page_of(part).startswith(part), part
    decided = timezone.localtime(records.decision.decided_at)
    decision = f"Decision of {decided.day} {decided:%B %Y}: share the information"
    assert f"{decision} About {records.child.full_name}" in page_of(decision)
    # The first record of a kind starts on the kind's first page, under its heading.
    responded = records.consent.responded_on
    consent = f"Consent given by {records.consent.responder_name}, {responded.day} {responded:%B %Y}"
    assert page_of(consent).startswith(f"Consent records {consent}")


def test_only_the_kinds_and_period_chosen_go_in(lead_client, practitioner, records):
    long_ago = timezone.localdate() - timedelta(days=400)
    bundle = make_bundle(
        lead_client, records.child, kinds=(Kind.CONSENTS,), start=timezone.localdate() - timedelta(days=30)
    )
    text = " ".join(bundle_pages(lead_client, bundle))
    assert f"Consent given by {records.consent.responder_name}" in text
    assert records.decision.reasons not in text
    assert FOLLOW_UP_REASONS not in text
    assert [went_in["kind"] for went_in in bundle.contents] == ["consent"]
    # A period that ended before anything was recorded holds nothing but says so.
    empty = make_bundle(lead_client, records.child, end=long_ago)
    text = " ".join(bundle_pages(lead_client, empty))
    assert "Nothing of these kinds was recorded in the period." in text
    assert "None in the period." in text
    assert empty.contents == []


def test_the_bundles_hash_in_the_log_is_the_file_kept_and_the_file_downloaded(lead_client, records, private_media):
    bundle = make_bundle(lead_client, records.child)
    seal()
    kept = (private_media / bundle.pdf.name).read_bytes()
    handed_over = download(lead_client, bundle).content
    assert hashlib.sha256(kept).hexdigest() == hashlib.sha256(handed_over).hexdigest() == bundle.pdf_sha256
    assert bundle.pdf.name.startswith("bundles/") and records.child.full_name not in bundle.pdf.name
    entry = Entry.objects.get(kind="bundle", record_id=str(bundle.pk))
    assert entry.content_sha256 == Entry.content_hash(canonical.canonical_bytes(bundle.ledger_document()))
    assert bundle.ledger_document()["pdf_sha256"] == bundle.pdf_sha256
    report = verify_log()
    assert report.intact, report.first_problem


def test_a_bundle_changed_after_it_was_made_is_not_handed_over_and_verification_names_it(
    lead_client, lead, records, private_media
):
    bundle = make_bundle(lead_client, records.child)
    seal()
    stored = private_media / bundle.pdf.name
    # A copy with one byte changed in its middle, put in its place.
    changed = bytearray(stored.read_bytes())
    changed[len(changed) // 2] ^= 1
    stored.write_bytes(bytes(changed))
    response = download(lead_client, bundle)
    assert response.status_code == 409
    assert "The bundle cannot be downloaded" in reader_text(response.content.decode())
    event = AccessEvent.objects.filter(user=lead).order_by("-pk").first()
    assert (event.action, event.object_id) == (Action.REFUSED, str(bundle.pk))
    report = verify_log()
    assert str(report.first_problem) == (
        f"bundle {bundle.pk}: its PDF has been changed or replaced (the file no longer matches its recorded SHA-256)"
    )


def test_a_download_is_an_export_in_the_childs_access_log(lead_client, lead, records):
    bundle = make_bundle(lead_client, records.child)
    download(lead_client, bundle)
    event = AccessEvent.objects.filter(user=lead).order_by("-pk").first()
    assert (event.action, event.subject, event.object_id, event.child_id, event.detail) == (
        Action.EXPORT,
        "child",
        str(bundle.pk),
        records.child.pk,
        "bundle PDF",
    )


def test_the_bundles_made_are_listed_with_who_made_them_for_whom_and_their_hash(lead_client, lead, records):
    bundle = make_bundle(lead_client, records.child)
    text = page_text(lead_client.get(reverse("bundles:list", args=[records.child.pk])))
    assert f"Court proceedings: {RECIPIENT}" in text
    assert REASON in text
    assert f"{lead.full_name}, safeguarding lead" in text
    assert f"SHA-256 {bundle.pdf_sha256}" in text
    assert f"{bundle.pages} pages" in text


def test_the_childs_page_links_to_bundles_for_those_who_may_make_them(client, lead, practitioner, records):
    child_page = reverse("oversight:child_detail", args=[records.child.pk])
    client.force_login(lead)
    text = page_text(client.get(child_page))
    assert "Make a bundle of the child's records for court or a conference, or see the bundles made." in text
    client.force_login(practitioner)
    assert "Make a bundle" not in page_text(client.get(child_page))


def test_what_is_missing_or_wrong_is_said_and_what_was_typed_kept(lead_client, records):
    url = reverse("bundles:make", args=[records.child.pk])
    response = lead_client.post(url, {"recipient": RECIPIENT})
    text = page_text(response)
    assert response.status_code == 200
    for message in (
        "Select what the bundle is for",
        "Enter why the bundle is needed",
        "Select at least one kind of record",
    ):
        assert message in text, message
    assert f'value="{RECIPIENT}"' in response.content.decode()
    today = timezone.localdate()
    response = lead_client.post(url, bundle_post(start=today, end=today - timedelta(days=1)))
    assert "The last day must be the same as or after the first day" in page_text(response)
    assert not Bundle.objects.exists()


def test_more_records_than_a_bundle_holds_is_said_next_to_the_period_and_nothing_is_made(
    lead_client, records, settings
):
    settings.BUNDLE_MOST_RECORDS = 1
    url = reverse("bundles:make", args=[records.child.pk])
    response = lead_client.post(url, bundle_post())
    text = page_text(response)
    assert response.status_code == 200
    held = len(services.selectors.bundle_contents(child=records.child, kinds=tuple(Kind), start=None, end=None).logged)
    message = (
        f"The period and kinds chosen hold {held} records, and a bundle can hold 1: choose a shorter period or "
        "fewer kinds, and make more than one bundle"
    )
    assert text.count(message) == 2  # in the error summary, and next to the period's first day
    assert f'value="{RECIPIENT}"' in response.content.decode()
    assert not Bundle.objects.exists()
    # One kind of record, a single consent, fits.
    assert make_bundle(lead_client, records.child, kinds=(Kind.CONSENTS,)).contents


def test_a_practitioner_needs_the_permission_and_another_agency_finds_nothing(
    client, agency, practitioner, other_practitioner, records
):
    url = reverse("bundles:make", args=[records.child.pk])
    client.force_login(practitioner)
    assert client.get(url).status_code == 403
    client.force_login(other_practitioner)
    assert client.get(url).status_code == 404
    # 3.2.4: the agency's lead information officer may, whatever their role.
    officer = StaffMembershipFactory(agency=agency, role=Role.PRACTITIONER, is_lead_information_officer=True).user
    client.force_login(officer)
    assert client.get(url).status_code == 200


def test_making_a_bundle_reads_the_same_number_of_queries_however_many_records(practitioner, lead, records):
    choices = services.BundleChoices(
        purpose=Purpose.COURT, recipient=RECIPIENT, reason=REASON, period_start=None, period_end=None, kinds=tuple(Kind)
    )

    def counted() -> list[str]:
        with CaptureQueriesContext(connection) as captured:
            services.bundle_pdf(user=lead, child=records.child, choices=choices)
        return [query["sql"] for query in captured.captured_queries]

    few = counted()
    for _ in range(3):
        every_kind(practitioner=practitioner, lead=lead, child=records.child)
    seal()
    more = counted()
    assert len(more) == len(few), "\n".join(more)


def test_the_marking_and_page_numbers_are_drawn_on_every_page_of_a_bundle(lead_client, records, tmp_path):
    bundle = make_bundle(lead_client, records.child, kinds=(Kind.CONSENTS, Kind.REQUESTS))
    (tmp_path / "pages").mkdir()
    images = pages_as_images(download(lead_client, bundle).content, tmp_path / "pages")
    assert len(images) == bundle.pages >= 4  # cover, contents, chronology, records, the log's entries
    for image in images:
        assert has_ink(image, top_mm=0, bottom_mm=20, left_mm=60, right_mm=150)  # the marking, centred at the top
        assert has_ink(image, top_mm=272, bottom_mm=297, left_mm=10, right_mm=100)  # Printed on ... by ...
        assert has_ink(image, top_mm=272, bottom_mm=297, left_mm=170, right_mm=200)  # Page x of y


def test_nothing_runs_off_the_right_of_a_bundles_pages(lead_client, records, tmp_path):
    # Each receipt's SHA-256 is printed whole, inside the margin (16 mm): a hash cut off at the page's edge
    # cannot be compared with the log.
    bundle = make_bundle(lead_client, records.child)
    (tmp_path / "pages").mkdir()
    images = pages_as_images(download(lead_client, bundle).content, tmp_path / "pages")
    for number, image in enumerate(images, start=1):
        assert not has_ink(image, top_mm=22, bottom_mm=270, left_mm=196, right_mm=210), number
