"""Receipts (ADR 13, item 6): a record's place in the log on its page and on paper, and the receipt an
auditor downloads and checks with tools/verify_receipt.py, run as a separate program, against the key the
service publishes at /ledger/public-key.
"""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from audit.models import AccessEvent, Action
from consent import services as consent_services
from exchange import services as exchange_services
from ledger import immutability, keys, note, receipts
from ledger.models import Checkpoint, Leaf
from sharing import services as sharing_services
from tests.accounts.conftest import sign_in_with_password
from tests.consent.consent_data import consent_details
from tests.exchange.recorded import disclose
from tests.factories import ChildFactory, RelationshipFactory
from tests.ledger_data import seal
from tests.page_text import reader_text
from tests.receipt_data import checkpoint_text, place_text
from tests.sharing.recorded import record_decision

PROJECT = Path(__file__).resolve().parents[2]
TOOL = PROJECT / "tools" / "verify_receipt.py"
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
WAITING = "Being placed in the log: its signed checkpoint is usually ready within seconds."
DOWNLOAD = "Download the receipt (JSON)"


class Recorded:
    """A decision, its review by a lead and an addendum, a consent with its signed form, and a disclosure with a
    follow-up, made through the services."""

    def __init__(self, practitioner, lead):
        self.child = ChildFactory(agency=practitioner.agency)
        link = RelationshipFactory(child=self.child)
        self.decision = record_decision(user=practitioner, child=self.child)
        self.review = sharing_services.review_record(
            decision=self.decision, user=lead, outcome="agree_with_comments", comments="Proportionate — école notes."
        )
        self.consent = consent_services.consent_record(
            user=practitioner,
            child=self.child,
            responder=link.adult,
            details=consent_details(),
            signed_form=SimpleUploadedFile("form.pdf", PDF, content_type="application/pdf"),
            signed_form_type="application/pdf",
        )
        self.addendum = sharing_services.addendum_add(
            decision=self.decision, user=practitioner, text="The school nurse was told on Friday."
        )
        self.disclosure = disclose(practitioner, self.decision, informed=False)
        self.follow_up = exchange_services.follow_up_record(
            user=practitioner,
            disclosure=self.disclosure,
            details=exchange_services.FollowUpDetails(
                informed=True, informed_on=timezone.localdate(), informed_by="Priya"
            ),
        )

    def receipt_urls(self) -> dict[str, tuple[object, str]]:
        return {
            "decision": (self.decision, reverse("sharing:decision_receipt", args=[self.decision.pk])),
            "review": (self.review, reverse("sharing:review_receipt", args=[self.decision.pk, self.review.pk])),
            "consent": (self.consent, reverse("consent:consent_receipt", args=[self.consent.pk])),
            "disclosure": (self.disclosure, reverse("exchange:disclosure_receipt", args=[self.disclosure.pk])),
            "addendum": (
                self.addendum,
                reverse("sharing:addendum_receipt", args=[self.decision.pk, self.addendum.pk]),
            ),
            "follow-up": (
                self.follow_up,
                reverse("exchange:follow_up_receipt", args=[self.disclosure.pk, self.follow_up.pk]),
            ),
        }


def published_key() -> str:
    """The key as anyone fetches it: no sign-in."""
    response = Client().get("/ledger/public-key")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    return response.content.decode().strip()


def check_receipt(path: Path, key: str) -> subprocess.CompletedProcess:
    """tools/verify_receipt.py as an auditor runs it: another Python process, isolated, no Django."""
    return subprocess.run(  # noqa: S603 (our own tool, with arguments of our own)
        [sys.executable, "-I", str(TOOL), str(path), "--key", key],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def download(client, url: str, tmp_path: Path, name: str) -> Path:
    response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/json"
    path = tmp_path / name
    path.write_bytes(response.content)
    return path


def place_line(record) -> str:
    return f"Place in the log {place_text(record)}"


def checkpoint_line(record) -> str:
    return f"Signed checkpoint {checkpoint_text(record)}"


def lines_of(client, url: str, *, printed: bool = False) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200
    return reader_text(response.content.decode(), printed=printed).splitlines()


# Receipts checked by the independent tool ----------------------------------------------------------


def test_every_kind_of_receipt_is_genuine_by_the_published_key(transactional_db, client, practitioner, lead, tmp_path):
    recorded = Recorded(practitioner, lead)
    seal()
    key = published_key()
    assert key == keys.verifier_key()
    client.force_login(practitioner)

    for kind, (record, url) in recorded.receipt_urls().items():
        response = client.get(url)
        assert response.status_code == 200, (kind, response.content[:300])
        assert response["Content-Type"] == "application/json"
        assert response["Content-Disposition"] == f'attachment; filename="receipt-{kind}-{record.pk}.json"'
        path = tmp_path / f"receipt-{kind}.json"
        path.write_bytes(response.content)
        checked = check_receipt(path, key)
        assert checked.returncode == 0, (kind, checked.stdout, checked.stderr)
        assert checked.stdout.startswith("Receipt genuine.\n"), checked.stdout
        assert f"Record:      {kind} {record.pk}" in checked.stdout
        assert "Content:     matches the log" in checked.stdout

    # Each download is in the access log as an export; a review's or an addendum's against the decision whose
    # page shows it, a follow-up's against its disclosure.
    exports = AccessEvent.objects.filter(action=Action.EXPORT, user=practitioner)
    assert sorted(exports.values_list("subject", "object_id", "detail")) == sorted(
        [
            ("decision", str(recorded.decision.pk), "log receipt"),
            ("decision", str(recorded.decision.pk), f"log receipt of review {recorded.review.pk}"),
            ("decision", str(recorded.decision.pk), f"log receipt of addendum {recorded.addendum.pk}"),
            ("consent", str(recorded.consent.pk), "log receipt"),
            ("disclosure", str(recorded.disclosure.pk), "log receipt"),
            ("disclosure", str(recorded.disclosure.pk), f"log receipt of follow-up {recorded.follow_up.pk}"),
        ]
    )
    assert {event.child_id for event in exports} == {recorded.child.pk}


def test_a_receipt_whose_record_was_changed_is_refused(transactional_db, client, practitioner, lead, tmp_path):
    recorded = Recorded(practitioner, lead)
    seal()
    key = published_key()
    client.force_login(practitioner)
    url = recorded.receipt_urls()["decision"][1]
    receipt = json.loads(download(client, url, tmp_path, "genuine.json").read_text(encoding="utf-8"))

    # The record's content edited in the receipt.
    content = receipt["record"]["content"]
    assert recorded.decision.reasons in content
    receipt["record"]["content"] = content.replace(recorded.decision.reasons, "Nothing of concern was found.")
    edited = tmp_path / "edited.json"
    edited.write_text(json.dumps(receipt, ensure_ascii=False), encoding="utf-8")
    checked = check_receipt(edited, key)
    assert checked.returncode == 1
    assert checked.stdout == (
        "Receipt NOT genuine: the record content does not match the SHA-256 in the log entry:"
        " it differs from what was logged\n"
    )

    # The record changed in the database itself (past the immutability triggers): the service's own
    # receipt of it is refused too.
    record_id = recorded.decision.pk.hex if connection.vendor == "sqlite" else str(recorded.decision.pk)
    immutability.remove(connection)
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE sharing_sharingdecision SET reasons = %s WHERE id = %s", ["Nothing of concern.", record_id]
            )
    finally:
        immutability.install(connection)
    checked = check_receipt(download(client, url, tmp_path, "after.json"), key)
    assert checked.returncode == 1
    assert "the record content does not match the SHA-256 in the log entry" in checked.stdout


def test_a_receipt_is_not_genuine_by_another_key(transactional_db, client, practitioner, lead, tmp_path):
    recorded = Recorded(practitioner, lead)
    seal()
    client.force_login(practitioner)
    path = download(client, recorded.receipt_urls()["consent"][1], tmp_path, "consent.json")
    stranger = note.Signer(settings.LEDGER_ORIGIN, Ed25519PrivateKey.generate())
    checked = check_receipt(path, stranger.verifier_key())
    assert checked.returncode == 1
    assert checked.stdout.startswith("Receipt NOT genuine: the checkpoint is not signed by the given key")


# Before a signed checkpoint includes the record ----------------------------------------------------


def test_before_its_checkpoint_the_receipt_page_says_it_follows_within_seconds(practitioner_client, practitioner):
    # Outside transaction=True nothing commits, so the sequencer has not run: the decision waits.
    decision = record_decision(user=practitioner, child=ChildFactory(agency=practitioner.agency))
    url = reverse("sharing:decision_receipt", args=[decision.pk])

    response = practitioner_client.get(url)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    lines = reader_text(response.content.decode()).splitlines()
    assert "The receipt is not ready yet" in lines
    assert (
        "This decision is in the log. Its receipt is ready as soon as a signed checkpoint includes it,"
        " usually within seconds."
    ) in lines
    assert "Back to the decision" in lines
    assert 'href="{}"'.format(reverse("sharing:decision_detail", args=[decision.pk])) in response.content.decode()
    assert not AccessEvent.objects.filter(action=Action.EXPORT).exists(), "nothing was exported"
    with pytest.raises(receipts.ReceiptNotReady):
        receipts.receipt_for(decision)

    seal()
    receipt = json.loads(practitioner_client.get(url).content)
    assert receipt["position"] == Leaf.objects.get(entry__record_id=str(decision.pk)).position


def test_a_review_of_another_decision_has_no_receipt_here(practitioner_client, practitioner, lead):
    child = ChildFactory(agency=practitioner.agency)
    first, second = record_decision(user=practitioner, child=child), record_decision(user=practitioner, child=child)
    review = sharing_services.review_record(decision=first, user=lead, outcome="agree")
    assert practitioner_client.get(reverse("sharing:review_receipt", args=[second.pk, review.pk])).status_code == 404
    assert practitioner_client.get(reverse("sharing:review_receipt", args=[first.pk, review.pk])).status_code == 200


def test_an_addendum_or_follow_up_of_another_record_has_no_receipt_here(practitioner_client, practitioner):
    def status(name: str, *args) -> int:
        return practitioner_client.get(reverse(name, args=args)).status_code

    child = ChildFactory(agency=practitioner.agency)
    first, second = record_decision(user=practitioner, child=child), record_decision(user=practitioner, child=child)
    addendum = sharing_services.addendum_add(decision=first, user=practitioner, text="A later note.")
    assert status("sharing:addendum_receipt", second.pk, addendum.pk) == 404
    assert status("sharing:addendum_receipt", first.pk, addendum.pk) == 200
    told, other = disclose(practitioner, first, informed=False), disclose(practitioner, second, informed=False)
    details = exchange_services.FollowUpDetails(informed=True, informed_on=timezone.localdate(), informed_by="Priya")
    follow_up = exchange_services.follow_up_record(user=practitioner, disclosure=told, details=details)
    assert status("exchange:follow_up_receipt", other.pk, follow_up.pk) == 404
    assert status("exchange:follow_up_receipt", told.pk, follow_up.pk) == 200


# On the page and on paper --------------------------------------------------------------------------


def test_the_decision_page_shows_where_it_stands_in_the_log(practitioner_client, practitioner, lead):
    recorded = Recorded(practitioner, lead)
    url = reverse("sharing:decision_detail", args=[recorded.decision.pk])

    before = lines_of(practitioner_client, url)
    # The decision, its review, its addendum: each waiting, with nothing to download yet.
    assert before.count(f"Place in the log {WAITING}") == 3
    assert DOWNLOAD not in before

    seal()
    lines = lines_of(practitioner_client, url)

    assert WAITING not in "\n".join(lines)
    assert place_line(recorded.decision) in lines
    assert checkpoint_line(recorded.decision) in lines
    assert place_line(recorded.review) in lines
    assert checkpoint_line(recorded.review) in lines
    assert place_line(recorded.addendum) in lines
    assert checkpoint_line(recorded.addendum) in lines
    assert lines.count(DOWNLOAD) == 3
    html = practitioner_client.get(url).content.decode()
    assert reverse("sharing:decision_receipt", args=[recorded.decision.pk]) in html
    assert reverse("sharing:review_receipt", args=[recorded.decision.pk, recorded.review.pk]) in html
    assert reverse("sharing:addendum_receipt", args=[recorded.decision.pk, recorded.addendum.pk]) in html


def test_the_printed_decision_carries_its_place_and_checkpoint_but_no_download_link(
    practitioner_client, practitioner, lead
):
    recorded = Recorded(practitioner, lead)
    seal()

    printed = lines_of(
        practitioner_client, reverse("sharing:decision_detail", args=[recorded.decision.pk]), printed=True
    )

    # Position, checkpoint size, root, signing time and key ID, for whoever holds the paper.
    assert place_line(recorded.decision) in printed
    assert checkpoint_line(recorded.decision) in printed
    assert checkpoint_line(recorded.review) in printed
    assert checkpoint_line(recorded.addendum) in printed
    assert not [line for line in printed if "Download the receipt" in line]
    assert not [line for line in printed if "Add addendum" in line], "the print stylesheet is what is read here"


def test_the_consent_and_disclosure_pages_show_where_they_stand_in_the_log(practitioner_client, practitioner, lead):
    recorded = Recorded(practitioner, lead)
    consent_url = reverse("consent:detail", args=[recorded.consent.pk])
    disclosure_url = reverse("exchange:disclosure_detail", args=[recorded.disclosure.pk])
    for url in (consent_url, disclosure_url):
        lines = lines_of(practitioner_client, url)
        assert f"Place in the log {WAITING}" in lines
        assert DOWNLOAD not in lines
        assert not [line for line in lines if "Record number" in line]

    seal()

    for record, url in (
        (recorded.consent, consent_url),
        (recorded.disclosure, disclosure_url),
        (recorded.follow_up, disclosure_url),
    ):
        lines = lines_of(practitioner_client, url)
        assert place_line(record) in lines
        assert checkpoint_line(record) in lines
        assert DOWNLOAD in lines
        printed = lines_of(practitioner_client, url, printed=True)
        assert checkpoint_line(record) in printed
        assert DOWNLOAD not in printed
    # The disclosure's and its follow-up's.
    assert lines_of(practitioner_client, disclosure_url).count(DOWNLOAD) == 2
    html = practitioner_client.get(disclosure_url).content.decode()
    assert reverse("exchange:follow_up_receipt", args=[recorded.disclosure.pk, recorded.follow_up.pk]) in html


# The log's own pages -------------------------------------------------------------------------------


def test_the_public_key_is_open_to_anyone_even_half_signed_in(client, lead):
    assert published_key() == keys.verifier_key()
    # A lead who has given a password but owes a second step reaches the key, and nothing of the log else.
    sign_in_with_password(client, lead.email)
    assert client.get(reverse("records:child_search")).url == reverse("two_factor:enrol")
    assert client.get("/ledger/public-key").content.decode() == f"{keys.verifier_key()}\n"
    assert client.get("/ledger/checkpoint").status_code == 302


def test_the_newest_checkpoint_is_served_to_signed_in_staff(client, practitioner_client, practitioner):
    checkpoint_url = reverse("ledger:checkpoint")
    assert checkpoint_url == "/ledger/checkpoint"
    none_yet = practitioner_client.get(checkpoint_url)
    assert (none_yet.status_code, none_yet.content) == (404, b"No checkpoint has been signed yet.\n")

    record_decision(user=practitioner, child=ChildFactory(agency=practitioner.agency))
    seal()
    response = practitioner_client.get(checkpoint_url)

    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    signed = note.open_checkpoint(response.content.decode(), keys.verifier_key(), origin=settings.LEDGER_ORIGIN)
    newest = Checkpoint.objects.order_by("-size").first()
    assert (signed.size, signed.root.hex()) == (newest.size, newest.root)
    assert Client().get(checkpoint_url).status_code == 302, "not for anyone signed out"


def test_standings_of_many_records_take_two_queries(django_assert_num_queries, practitioner, lead):
    recorded = Recorded(practitioner, lead)
    records = [recorded.decision, recorded.review, recorded.consent, recorded.disclosure]
    with django_assert_num_queries(1):
        waiting = receipts.standings(records)
    assert {standing.position for standing in waiting.values()} == {None}
    seal()
    with django_assert_num_queries(2):
        placed = receipts.standings(records)
    assert set(placed) == {str(record.pk) for record in records}
    for record in records:
        standing = placed[str(record.pk)]
        assert standing.position == Leaf.objects.get(entry__record_id=str(record.pk)).position
        assert standing.checkpoint.size > standing.position
        assert (standing.key_name, standing.key_id) == (settings.LEDGER_ORIGIN, keys.signer().key_id.hex())
    with django_assert_num_queries(0):
        assert receipts.standings([]) == {}


def test_the_tamper_check_follows_the_record_under_details_of_its_own(practitioner_client, practitioner, lead):
    """Issue 17, point 9: the log's proof is not a row in the middle of the record."""
    recorded = Recorded(practitioner, lead)
    seal()
    for record, url, name in (
        (recorded.decision, reverse("sharing:decision_detail", args=[recorded.decision.pk]), "Recorded"),
        (recorded.consent, reverse("consent:detail", args=[recorded.consent.pk]), "Recorded"),
        (recorded.disclosure, reverse("exchange:disclosure_detail", args=[recorded.disclosure.pk]), "Recorded"),
    ):
        html = practitioner_client.get(url).content.decode()
        lines = reader_text(html).splitlines()
        recorded_row = next(index for index, line in enumerate(lines) if line.startswith(f"{name} "))
        tamper_check = lines.index("Tamper check")
        assert recorded_row < tamper_check < lines.index(place_line(record))
        assert lines[tamper_check + 1].startswith("Nobody can change this record once it is recorded.")
        assert any(line.startswith("The root is a SHA-256 fingerprint of every entry in the log") for line in lines)
        assert any("tools/verify_receipt.py" in line for line in lines)
        # In a GOV.UK details component, closed until asked for, and outside the record's summary list.
        details = html[html.index('<details class="govuk-details app-tamper-check">') :]
        assert details.index("Place in the log") < details.index("</details>")
        assert "Place in the log" not in html[: html.index('<details class="govuk-details app-tamper-check">')]
