"""A disclosure as a PDF made on the server (ADR 20): what its page shows with its follow-ups, its receipt, the
marking and page numbers on every page; a download is an export in the access log."""

from django.urls import reverse
from django.utils import timezone

from audit.models import AccessEvent, Action
from exchange import services
from ledger.models import Entry
from tests.exchange.recorded import disclose
from tests.factories import ChildFactory
from tests.ledger_data import seal
from tests.pdf_data import assert_every_page_is_marked, downloaded_pdf
from tests.receipt_data import checkpoint_text, place_text
from tests.sharing.recorded import record_decision


def test_the_pdf_holds_the_disclosure_its_follow_ups_and_its_receipt(practitioner_client, practitioner):
    child = ChildFactory(agency=practitioner.agency)
    disclosure = disclose(practitioner, record_decision(user=practitioner, child=child), informed=False)
    services.follow_up_record(
        user=practitioner,
        disclosure=disclosure,
        details=services.FollowUpDetails(informed=True, informed_on=timezone.localdate(), informed_by="Priya Shah"),
    )
    seal()
    response = practitioner_client.get(reverse("exchange:disclosure_pdf", args=[disclosure.pk]))
    pages = downloaded_pdf(response, filename=f"disclosure-{disclosure.pk}.pdf")
    text = " ".join(pages)

    assert text.startswith(f"{child.full_name} Disclosure to Nadia Hughes, Northgate NHS Foundation Trust")
    today = timezone.localdate()
    for words in (
        "To Nadia Hughes, Health visitor, Northgate NHS Foundation Trust",
        "Item 1 (fact) A fact",
        "Child or parent told No: Risk",
        f"Told on {today.day} {today:%B %Y} by Priya Shah.",
        f"Place in the log {place_text(disclosure)}",
        f"Signed checkpoint {checkpoint_text(disclosure)}",
        f"SHA-256 of the record {Entry.objects.get(kind='disclosure', record_id=str(disclosure.pk)).content_sha256}",
    ):
        assert words in text, words
    assert "Record a follow-up" not in text
    assert_every_page_is_marked(pages, printed_by=practitioner)

    event = AccessEvent.objects.filter(user=practitioner).order_by("-pk").first()
    assert (event.action, event.subject, event.object_id, event.detail, event.child_id) == (
        Action.EXPORT,
        "disclosure",
        str(disclosure.pk),
        "PDF",
        child.pk,
    )
    page = practitioner_client.get(reverse("exchange:disclosure_detail", args=[disclosure.pk])).content.decode()
    assert f'href="{reverse("exchange:disclosure_pdf", args=[disclosure.pk])}"' in page
