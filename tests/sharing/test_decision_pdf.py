"""A recorded decision as a PDF made on the server (ADR 20): what its page shows, its receipt, and on every page
the marking, who printed it and the page number. A download is an export in the access log."""

import pytest
from django.urls import reverse

from audit.models import AccessEvent, Action
from ledger.models import Entry
from sharing import services
from tests.factories import ChildFactory
from tests.ledger_data import seal
from tests.pdf_data import assert_every_page_is_marked, downloaded_pdf
from tests.receipt_data import checkpoint_text, place_text
from tests.sharing.recorded import record_decision


@pytest.fixture
def decision(practitioner, lead):
    decision = record_decision(user=practitioner, child=ChildFactory(agency=practitioner.agency, given_name="Ellie"))
    services.review_record(decision=decision, user=lead, outcome="agree_with_comments", comments="Proportionate.")
    services.addendum_add(decision=decision, user=practitioner, text="The school nurse was told on Friday.")
    return decision


def decision_pdf(client, decision) -> list[str]:
    response = client.get(reverse("sharing:decision_pdf", args=[decision.pk]))
    return downloaded_pdf(response, filename=f"decision-{decision.pk}.pdf")


def test_the_pdf_holds_the_record_its_receipt_and_on_every_page_the_marking(lead_client, lead, decision):
    seal()
    pages = decision_pdf(lead_client, decision)
    text = " ".join(pages)

    assert pages[0].startswith(
        f"{decision.agency_name} Information-sharing decision: share the information About {decision.child.full_name},"
    )
    for words in (
        f"Reasons {decision.reasons}",
        f"Decided and recorded by {decision.recorder_name}, practitioner",
        "1. Is there a legitimate purpose to share the information?",
        "What is the purpose of sharing the information? To plan a safe home visit.",
        "Proportionate.",
        f"Reviewed by {lead.full_name}, safeguarding lead",
        "The school nurse was told on Friday.",
    ):
        assert words in text, words
    # The receipt, last (after the addenda; it may run on over a page): its place in the log, the signed
    # checkpoint, the record's hash and how to check it.
    receipt = text[text.index("The decision in the log") :]
    assert text.index("The school nurse was told on Friday.") < text.index("The decision in the log")
    entry = Entry.objects.get(kind="decision", record_id=str(decision.pk))
    assert f"Place in the log {place_text(decision)}" in receipt
    assert f"Signed checkpoint {checkpoint_text(decision)}" in receipt
    assert f"SHA-256 of the record {entry.content_sha256}" in receipt
    assert "python tools/verify_receipt.py receipt.json --key KEY" in receipt
    # Once: the record itself leaves its place in the log to the receipt.
    assert text.count(place_text(decision)) == 1
    # Nothing of the page's controls is on paper (the receipt's "how to check it" names the download).
    record = text[: text.index("The decision in the log")]
    for control in ("Download as PDF", "Download the receipt", "Review this decision", "Add addendum"):
        assert control not in record, control
    # A decision's own PDF prints the guidance each question showed with the question (a bundle prints it once).
    shown = [answer for answer in decision.answers.all() if answer.guidance_shown]
    assert shown
    for answer in shown:
        for _paragraph, words in answer.guidance_shown:
            assert words in record, words
    assert "printed in full as passage" not in text
    assert len(pages) > 1
    assert_every_page_is_marked(pages, printed_by=lead)


def test_a_download_is_an_export_in_the_access_log(practitioner_client, practitioner, decision):
    seal()
    decision_pdf(practitioner_client, decision)
    event = AccessEvent.objects.filter(user=practitioner).order_by("-pk").first()
    assert (event.action, event.subject, event.object_id, event.detail, event.child_id) == (
        Action.EXPORT,
        "decision",
        str(decision.pk),
        "PDF",
        decision.child_id,
    )


def test_before_its_checkpoint_the_pdf_says_it_is_being_placed_in_the_log(practitioner_client, practitioner, decision):
    pages = decision_pdf(practitioner_client, decision)
    receipt = pages[-1][pages[-1].index("The decision in the log") :]
    assert "Being placed in the log: its signed checkpoint is usually ready within seconds." in receipt
    assert "How to check it" not in receipt


def test_the_marking_is_the_services_setting(settings, practitioner_client, practitioner, decision):
    settings.PROTECTIVE_MARKING = "OFFICIAL"
    pages = decision_pdf(practitioner_client, decision)
    assert_every_page_is_marked(pages, printed_by=practitioner)
    assert "OFFICIAL-SENSITIVE" not in " ".join(pages)


def test_the_page_offers_the_pdf(practitioner_client, decision):
    page = practitioner_client.get(reverse("sharing:decision_detail", args=[decision.pk])).content.decode()
    assert f'href="{reverse("sharing:decision_pdf", args=[decision.pk])}"' in page
    assert ">Download as PDF</a>" in page
