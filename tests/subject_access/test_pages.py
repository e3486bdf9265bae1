"""A lead records a subject access request, redacts the records, another lead approves, and the PDF released
holds none of the words redacted; the release and its redaction log are in the log, and kept (ADR 22)."""

from __future__ import annotations

import csv
import hashlib
import io
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AccessEvent, Action
from ledger import canonical
from ledger.models import Entry
from records.models import Relationship
from records.roles import Role
from sharing.guidance import QuestionKey
from subject_access import deadlines, paper
from subject_access.models import Reason, SubjectAccessRelease, SubjectAccessRequest
from tests.consent.consent_data import record_consent
from tests.factories import ChildFactory, RelationshipFactory, StaffMembershipFactory
from tests.ledger_data import seal, verify_log
from tests.page_text import page_text, reader_text
from tests.pdf_data import assert_every_page_is_marked, pdf_pages
from tests.sharing.recorded import complete_answers, record_decision
from tests.subject_access.sar_data import (
    IDENTITY_CHECKED,
    approved,
    received_on_fields,
    redact_words,
    request_about,
)

# Long enough to wrap over more than one line of the PDF.
AUNTS_ADDRESS = (
    "Care of Morwenna Lopez, the child's aunt, at Flat 12 Rosebank Court, 145 Long Meadow Lane, Upper Northgate, "
    "where the family has been staying since the fire at their own home in the spring"
)


@pytest.fixture
def child(agency):
    child = ChildFactory(agency=agency, given_name="Ellie", family_name="Hughes", address=AUNTS_ADDRESS)
    RelationshipFactory(
        child=child, adult__given_name="Morwenna", adult__family_name="Lopez", relationship=Relationship.OTHER_RELATIVE
    )
    return child


@pytest.fixture
def second_lead(agency):
    return StaffMembershipFactory(agency=agency, role=Role.SAFEGUARDING_LEAD, user__full_name="Priya Shah").user


def _post(**changes) -> dict:
    return {
        "requester_is": "parent",
        "requester_name": "Dan Hughes",
        "identity_checked": IDENTITY_CHECKED,
        **received_on_fields(timezone.localdate() - timedelta(days=3)),
        **changes,
    }


def test_a_lead_records_a_request_and_sees_when_it_is_due(lead_client, child):
    url = reverse("subject_access:new_for_child", args=[child.pk])
    assert "Record a subject access request" in page_text(lead_client.get(url))
    response = lead_client.post(url, _post(requester_name="", identity_checked="", received_on_2=""))
    text = page_text(response)
    assert response.status_code == 200
    assert "Enter the name of the person asking" in text
    assert "Say how you checked who is asking" in text
    assert "The date the request was received must include a year" in text
    response = lead_client.post(url, _post())
    recorded = SubjectAccessRequest.objects.get()
    received = timezone.localdate() - timedelta(days=3)
    assert response.url == reverse("subject_access:detail", args=[recorded.pk])
    assert (recorded.child, recorded.received_on, recorded.due_on) == (child, received, deadlines.due_on(received))
    text = page_text(lead_client.get(response.url))
    assert f"Answer by {deadlines.due_on(received):%-d %B %Y}" in text
    assert "Asked by Dan Hughes: a parent or carer" in text
    assert "Details held about Ellie Hughes" in text


def test_a_request_received_in_the_future_is_refused_with_its_reason(lead_client, child):
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = lead_client.post(
        reverse("subject_access:new_for_child", args=[child.pk]), _post(**received_on_fields(tomorrow))
    )
    assert "The date the request was received must be today or in the past" in page_text(response)
    assert not SubjectAccessRequest.objects.exists()


def test_open_requests_are_on_for_review_soonest_due_first(lead_client, lead, child, agency):
    today = timezone.localdate()
    later = request_about(lead=lead, child=child, received_on=today - timedelta(days=2))
    sooner = request_about(lead=lead, child=ChildFactory(agency=agency), received_on=today - timedelta(days=40))
    text = page_text(lead_client.get(reverse("oversight:dashboard")))
    assert "Subject access requests to answer (2)" in text
    overdue = (today - sooner.due_on).days
    assert (
        f"{sooner.child.full_name}\n{sooner.received_on:%-d %B %Y}\n{sooner.due_on:%-d %B %Y}\n{overdue} days overdue"
        in text
    )
    left = (later.due_on - today).days
    assert f"Ellie Hughes\n{later.received_on:%-d %B %Y}\n{later.due_on:%-d %B %Y}\n{left} days left" in text
    assert text.index(sooner.child.full_name) < text.index("Ellie Hughes")


def test_the_deadline_is_extended_once_with_its_reason(lead_client, lead, child):
    recorded = request_about(lead=lead, child=child, received_on=timezone.localdate() - timedelta(days=5))
    url = reverse("subject_access:extend", args=[recorded.pk])
    response = lead_client.post(url, {"months": "", "reason": ""})
    assert "Select how long to extend by" in page_text(response)
    assert "Say why more time is needed" in page_text(response)
    lead_client.post(url, {"months": "2", "reason": "Eleven years of records from three services."})
    recorded.refresh_from_db()
    assert recorded.due_on == deadlines.due_on(recorded.received_on, 2)
    text = page_text(lead_client.get(reverse("subject_access:detail", args=[recorded.pk])))
    assert f"Extended from {deadlines.due_on(recorded.received_on):%-d %B %Y} by 2 months" in text
    assert "Eleven years of records from three services." in text
    assert lead_client.get(url).status_code == 302  # once only


def test_words_are_redacted_from_a_piece_of_a_record_through_its_page(lead_client, lead, child):
    recorded = request_about(lead=lead, child=child)
    url = reverse("subject_access:record", args=[recorded.pk, "details", child.pk])
    text = page_text(lead_client.get(url))
    assert "Morwenna Lopez: other relative" in text
    number = next(p.number for p, _ in lead_client.get(url).context["pieces"] if "Morwenna Lopez: other" in p.text)
    response = lead_client.post(url, {"piece": number, "words": "Mary Lopez", "reason": "third_party"})
    assert "These words are not in this part of the record" in page_text(response)
    response = lead_client.post(url, {"piece": number, "words": "Morwenna Lopez", "reason": "other"})
    assert "Say which exemption applies, and why" in page_text(response)
    response = lead_client.post(
        url, {"piece": number, "words": "morwenna  lopez", "reason": "third_party", "everywhere": "on"}
    )
    assert response.status_code == 302
    # In the list of adults, and in the address (everywhere it appears, for the same reason).
    assert recorded.redactions.count() == 2
    text = page_text(lead_client.get(url))
    assert "[Redacted: third party]: other relative" in text
    assert "Care of [Redacted: third party], the child's aunt" in text


def _released_text(release: SubjectAccessRelease) -> tuple[list[str], str]:
    with release.pdf.open("rb") as kept:
        pages = pdf_pages(kept.read())
    return pages, " ".join(pages)


def _squeezed(text: str) -> str:
    return "".join(text.split()).lower()


def test_the_pdf_released_holds_none_of_the_words_redacted(client, lead, second_lead, child):
    recorded = request_about(lead=lead, child=child)
    redactions = [
        redact_words(recorded, user=lead, words=AUNTS_ADDRESS, reason=Reason.THIRD_PARTY),
        redact_words(recorded, user=lead, words="Morwenna Lopez", beside="other relative", reason=Reason.SERIOUS_HARM),
    ]
    client.force_login(second_lead)
    released = approved(client, recorded).release
    pages, text = _released_text(released)
    assert_every_page_is_marked(pages, printed_by=second_lead)
    for redaction in redactions:
        # Not on any line, nor split over lines (white space removed, a word cut at a line's end rejoined).
        assert " ".join(redaction.words.split()) not in text
        assert _squeezed(redaction.words) not in _squeezed(text)
    assert "Rosebank" not in text and "Morwenna" not in text
    assert "Address [Redacted: third party]" in text
    assert "[Redacted: serious harm]: other relative" in text
    assert "Information held about Ellie Hughes" in text
    assert f"Name Ellie Hughes Date of birth {child.date_of_birth:%-d %B %Y}" in text
    assert "[Redacted: third party]: another person's information, without their consent" in text


def test_each_record_released_starts_a_page_of_its_own(client, lead, second_lead, child):
    recorded = request_about(lead=lead, child=child)
    client.force_login(second_lead)
    pages, _text = _released_text(approved(client, recorded).release)
    assert "Words withheld" in pages[0] and "1. Details held about Ellie Hughes" not in pages[0]
    assert pages[1].startswith("1. Details held about Ellie Hughes Name Ellie Hughes"), pages[1][:80]


def test_the_release_its_redaction_log_and_its_hash_are_in_the_log(client, lead, second_lead, child):
    recorded = request_about(lead=lead, child=child)
    redact_words(recorded, user=lead, words="Morwenna Lopez")
    client.force_login(second_lead)
    release = approved(client, recorded).release
    with release.pdf.open("rb") as kept:
        assert hashlib.sha256(kept.read()).hexdigest() == release.pdf_sha256
    entry = Entry.objects.get(kind="subject access release", record_id=str(release.pk))
    assert entry.content_sha256 == Entry.content_hash(canonical.canonical_bytes(release.ledger_document()))
    (line,) = release.redaction_log
    assert (line["words"], line["reason"], line["redacted_by"]) == ("Morwenna Lopez", "third_party", lead.full_name)
    assert (release.approver_name, release.approver_redacted) == ("Priya Shah", False)


def test_the_pdf_released_downloads_again_as_kept_and_each_download_is_logged(client, lead, second_lead, child):
    recorded = request_about(lead=lead, child=child)
    client.force_login(second_lead)
    release = approved(client, recorded).release
    client.force_login(lead)
    response = client.get(reverse("subject_access:release_pdf", args=[release.pk]))
    assert response["Content-Disposition"] == f'attachment; filename="subject-access-release-{release.pk}.pdf"'
    assert hashlib.sha256(response.content).hexdigest() == release.pdf_sha256
    event = AccessEvent.objects.filter(user=lead).latest("pk")
    assert (event.action, event.object_id, event.child_id) == (Action.EXPORT, str(release.pk), child.pk)


def test_a_pdf_changed_in_storage_is_not_handed_over(client, lead, second_lead, child):
    recorded = request_about(lead=lead, child=child)
    client.force_login(second_lead)
    release = approved(client, recorded).release
    with release.pdf.storage.open(release.pdf.name, "wb") as kept:
        kept.write(b"%PDF-1.7 something else")
    response = client.get(reverse("subject_access:release_pdf", args=[release.pk]))
    assert response.status_code == 409
    assert "application/pdf" not in response["Content-Type"]
    assert "matches the SHA-256 the log holds" in reader_text(response.content.decode())
    release.pdf.storage.delete(release.pdf.name)
    response = client.get(reverse("subject_access:release_pdf", args=[release.pk]))
    assert response.status_code == 409
    assert "The PDF kept for this release is missing" in reader_text(response.content.decode())


def test_the_redaction_log_downloads_as_csv_for_the_commissioner(client, lead, second_lead, child):
    recorded = request_about(lead=lead, child=child)
    redact_words(recorded, user=lead, words="Morwenna Lopez", reason=Reason.OTHER)
    client.force_login(second_lead)
    release = approved(client, recorded).release
    response = client.get(reverse("subject_access:redaction_log", args=[release.pk]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:8] == ["Record", "Kind of record", "Record id", "Part", "Where", "Words redacted", "Reason", "Law"]
    (row,) = rows[1:]
    assert row[0] == "Details held about Ellie Hughes"
    assert row[5:7] == ["Morwenna Lopez", "Another reason (say which)"]
    assert row[8:10] == ["Named in confidence", lead.full_name]
    assert row[11] == "Priya Shah" and row[13] == "no"


def test_the_lead_who_redacted_does_not_approve_while_the_agency_has_another(client, lead, second_lead, child):
    recorded = request_about(lead=lead, child=child)
    redact_words(recorded, user=lead, words="Morwenna Lopez")
    client.force_login(lead)
    url = reverse("subject_access:approve", args=[recorded.pk])
    assert "another safeguarding lead approves its release" in page_text(client.get(url))
    assert client.post(url, {"confirmed": "on"}).status_code == 403
    assert not SubjectAccessRelease.objects.exists()


def test_an_agency_with_one_lead_has_its_lead_approve_their_own_redactions(lead_client, lead, child):
    recorded = request_about(lead=lead, child=child)
    redact_words(recorded, user=lead, words="Morwenna Lopez")
    response = lead_client.post(reverse("subject_access:approve", args=[recorded.pk]), {})
    assert "Confirm that you have read the records as they will be released" in page_text(response)
    release = approved(lead_client, recorded).release
    assert release.approver_redacted is True
    text = page_text(lead_client.get(reverse("subject_access:detail", args=[recorded.pk])))
    assert "who also made redactions: the agency had no other safeguarding lead" in text
    # Answered: nothing of it changes any more.
    assert lead_client.get(reverse("subject_access:approve", args=[recorded.pk])).status_code == 302


def test_a_request_about_an_adult_gathers_what_is_held_about_them(lead_client, child):
    mother = RelationshipFactory(child=child, adult__given_name="Sara", adult__family_name="Hughes").adult
    url = reverse("subject_access:new_for_adult", args=[mother.pk])
    response = lead_client.post(url, _post(requester_is="self", requester_name="Sara Hughes"))
    recorded = SubjectAccessRequest.objects.get()
    assert (recorded.adult, recorded.child) == (mother, None)
    response = lead_client.get(reverse("subject_access:record", args=[recorded.pk, "details", mother.pk]))
    text = page_text(response)
    assert "Details held about Sara Hughes" in text
    assert "Ellie Hughes: mother of the child" in text


def test_the_childs_page_offers_a_lead_to_record_a_request_about_the_child_or_an_adult(
    client, lead, practitioner, child
):
    url = reverse("oversight:child_detail", args=[child.pk])
    client.force_login(lead)
    text = page_text(client.get(url))
    assert "Record a request about Ellie Hughes" in text
    assert "Record a request about Morwenna Lopez" in text
    client.force_login(practitioner)
    assert "Record a request about" not in page_text(client.get(url))


# Long enough to wrap over several lines of the PDF.
IN_CONFIDENCE = (
    "said in confidence that the father drinks heavily and shouts at the children late at night, and asked that "
    "her name and where she lives are never given to him or to anyone who might pass them on"
)


def test_words_redacted_from_a_decision_are_gone_from_the_pdf_and_the_rest_is_there(
    client, lead, second_lead, practitioner, child
):
    decided = complete_answers()[QuestionKey.DECISION]
    record_decision(
        user=practitioner,
        child=child,
        **{QuestionKey.DECISION: {**decided, "reasons": f"Her aunt {IN_CONFIDENCE}. The school agreed."}},
    )
    record_consent(user=practitioner, child=child)
    recorded = request_about(lead=lead, child=child)
    redact_words(recorded, user=lead, words=IN_CONFIDENCE, kind="decision")
    client.force_login(second_lead)
    # The reasons are also the answer to question 8: the approver is told where the words can still be read.
    text = page_text(client.get(reverse("subject_access:approve", args=[recorded.pk])))
    assert f'"{IN_CONFIDENCE}" is redacted in one place but can still be read in:' in text
    assert "Information-sharing decision of" in text.split("can still be read in:")[1].splitlines()[1]
    redact_words(recorded, user=lead, words=IN_CONFIDENCE, kind="decision", everywhere=True)
    assert "can still be read in" not in page_text(client.get(reverse("subject_access:approve", args=[recorded.pk])))
    release = approved(client, recorded).release
    pages, text = _released_text(release)
    assert [entry["kind"] for entry in release.records] == ["details", "decision", "consent"]
    assert " ".join(IN_CONFIDENCE.split()) not in text
    assert _squeezed(IN_CONFIDENCE) not in _squeezed(text)
    for phrase in ("drinks heavily", "late at night", "never given to him"):
        assert phrase not in text
    assert "Her aunt [Redacted: third party]. The school agreed." in text
    assert "The eight key questions" in text
    assert "Tamper check" not in text and "SHA-256" not in text.split("Words withheld")[-1]
    assert_every_page_is_marked(pages, printed_by=second_lead)


def test_verifying_the_log_checks_the_pdf_released_against_its_sha256(client, lead, second_lead, child):
    recorded = request_about(lead=lead, child=child)
    redact_words(recorded, user=lead, words="Morwenna Lopez")
    client.force_login(second_lead)
    release = approved(client, recorded).release
    seal()
    report = verify_log()
    assert report.intact, report.first_problem
    assert report.files == 1
    with release.pdf.storage.open(release.pdf.name, "wb") as kept:
        kept.write(b"%PDF-1.7 another document")
    report = verify_log()
    assert f"subject access release {release.pk}" in str(report.first_problem)
    assert str(report.first_problem).endswith(
        "its PDF released has been changed or replaced (the file no longer matches its recorded SHA-256)"
    )


def test_two_decisions_released_together_each_name_their_own_questions(lead, practitioner, child):
    # Each question's heading labels its card by id: two decisions must not both define "question-1".
    record_decision(user=practitioner, child=child)
    record_decision(user=practitioner, child=child)
    recorded = request_about(lead=lead, child=child)
    records = [
        record for record in paper.gather(subject_access_request=recorded, user=lead) if record.kind == "decision"
    ]
    assert len(records) == 2
    ids = [found for record in records for found in re.findall(r'\bid="([^"]+)"', record.html)]
    assert sum(found.endswith("-question-1") for found in ids) == 2
    assert len(ids) == len(set(ids)), sorted(ids)
