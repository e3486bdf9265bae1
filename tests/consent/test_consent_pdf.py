"""A consent record as a PDF made on the server (ADR 20): what its page shows, its receipt, the marking and page
numbers on every page; a download is an export in the access log."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from audit.models import AccessEvent, Action
from consent import services as consent_services
from ledger.models import Entry
from tests.consent.consent_data import consent_details
from tests.factories import ChildFactory, RelationshipFactory
from tests.ledger_data import seal
from tests.pdf_data import assert_every_page_is_marked, downloaded_pdf
from tests.receipt_data import checkpoint_text, place_text

FORM = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def test_the_pdf_holds_the_consent_record_and_its_receipt(practitioner_client, practitioner):
    child = ChildFactory(agency=practitioner.agency)
    mother = RelationshipFactory(child=child).adult
    record = consent_services.consent_record(
        user=practitioner,
        child=child,
        responder=mother,
        details=consent_details(),
        signed_form=SimpleUploadedFile("form.pdf", FORM, content_type="application/pdf"),
        signed_form_type="application/pdf",
    )
    seal()
    response = practitioner_client.get(reverse("consent:consent_pdf", args=[record.pk]))
    pages = downloaded_pdf(response, filename=f"consent-{record.pk}.pdf")
    text = " ".join(pages)

    assert text.startswith(f"{child.full_name} Consent given by {record.responder_name}")
    for words in (
        f"Answer given by {record.responder_name}",
        "Information Concerns about the child's safety at home.",
        "Purposes To plan support and keep the child safe.",
        "What recipients may use it for To plan a safe home visit.",
        "Signed form Kept with the record in the service",
        f"Recorded By {practitioner.full_name}, practitioner",
        f"Place in the log {place_text(record)}",
        f"Signed checkpoint {checkpoint_text(record)}",
        f"SHA-256 of the record {Entry.objects.get(kind='consent', record_id=str(record.pk)).content_sha256}",
        "python tools/verify_receipt.py receipt.json --key KEY",
    ):
        assert words in text, words
    assert "Download the signed form" not in text
    assert "Renew or change this consent" not in text
    assert_every_page_is_marked(pages, printed_by=practitioner)

    event = AccessEvent.objects.filter(user=practitioner).order_by("-pk").first()
    assert (event.action, event.subject, event.object_id, event.detail, event.child_id) == (
        Action.EXPORT,
        "consent",
        str(record.pk),
        "PDF",
        child.pk,
    )
    # The page offers it, and still links to the signed form.
    page = practitioner_client.get(reverse("consent:detail", args=[record.pk])).content.decode()
    assert f'href="{reverse("consent:consent_pdf", args=[record.pk])}"' in page
    assert "Download the signed form" in page
