"""The attacks the ledger must catch, made as someone with full access to the database would make them.

Each test writes real records through the services, seals them (placed in
the tree, a checkpoint signed and witnessed), then tampers with the database,
often recomputing every hash and rebuilding the tree as the code would, and
expects ``verify_records`` to fail naming what was changed. The attacker
holds neither the signing key nor the witness store.
"""

import base64
import os
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import RequestFactory
from django.utils import timezone

from audit import services as audit_services
from audit.models import Action, Subject
from consent.models import ConsentRecord
from ledger import witness
from ledger.models import Checkpoint, Entry, Leaf
from ledger.note import Signer
from records.models import Child
from sharing.models import SharingDecision
from tests.consent.consent_data import consent_details
from tests.factories import ChildFactory
from tests.ledger.attack_data import db_id, rebuild_tree, rewrite_everything, sql, unguarded
from tests.ledger_data import seal, verify_log
from tests.sharing.recorded import record_decision

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture
def sealed(transactional_db, practitioner):
    """Two decisions, a consent with its signed form, looks at the child, change history; sealed twice."""
    from consent import services as consent_services

    child = ChildFactory(agency=practitioner.membership.agency)
    first = record_decision(user=practitioner, child=child)
    consent = consent_services.consent_record(
        user=practitioner,
        child=child,
        responder=None,
        about_adult=None,
        details=consent_details(
            competence={"understands_question": True},
            child_competent=True,
            assessed_by="Priya Shah",
            assessed_on=timezone.localdate(),
            explained_how="In plain words.",
        ),
        signed_form=SimpleUploadedFile("form.pdf", PDF, content_type="application/pdf"),
        signed_form_type="application/pdf",
    )
    request = RequestFactory().get("/children/")
    request.user = practitioner
    audit_services.access_record(request=request, action=Action.VIEW, subject=Subject.CHILD, target=child)
    child.family_name = "Changed-Name"
    child.save()
    seal()
    second = record_decision(user=practitioner, child=child)
    audit_services.access_record(request=request, action=Action.VIEW, subject=Subject.DECISION, target=second)
    seal()
    assert verify_log().intact
    return {"child": child, "first": first, "second": second, "consent": consent}


def position_of(kind: str, record_id) -> int:
    return Leaf.objects.get(entry__kind=kind, entry__record_id=str(record_id)).position


def problem() -> str:
    report = verify_log()
    assert not report.intact, "the tampering was not found"
    return str(report.first_problem)


def test_a_record_changed_in_place_is_named(sealed):
    decision = sealed["first"]
    unguarded(lambda: sql("UPDATE sharing_sharingdecision SET reasons = 'Other' WHERE id = %s", [db_id(decision.pk)]))
    assert problem() == (
        f"log entry {position_of('decision', decision.pk)} (decision {decision.pk}): "
        "the record's content no longer matches its entry in the log"
    )


def test_a_record_rewritten_with_every_hash_recomputed_and_the_heads_moved_is_named(sealed):
    decision = sealed["first"]

    def attack():
        sql("UPDATE sharing_sharingdecision SET reasons = 'Other' WHERE id = %s", [db_id(decision.pk)])
        rewrite_everything()

    unguarded(attack)
    assert Checkpoint.objects.count() == 0, "the attacker removed the checkpoints that no longer match"
    found = problem()
    assert found.startswith(f"log entry {position_of('decision', decision.pk)} (decision {decision.pk}): ")
    assert "differs from the entry witnessed at this position" in found


def test_a_record_rewritten_is_found_by_its_checkpoint_even_without_the_witnessed_leaves(sealed, settings):
    decision = sealed["first"]
    # Only the signed checkpoints kept elsewhere, no leaves: the root no longer matches.
    kept = [line.note for line in witness.read()]
    settings.LEDGER_WITNESS_DIR = ""
    unguarded(
        lambda: (
            sql("UPDATE sharing_sharingdecision SET reasons = 'Other' WHERE id = %s", [db_id(decision.pk)]),
            rewrite_everything(),
        )
    )
    report = verify_log(also=tuple((text, f"kept copy {number}") for number, text in enumerate(kept)))
    assert not report.intact
    assert "no longer have the root that was signed" in str(report.first_problem)


def test_the_newest_record_deleted_with_the_tree_rolled_back_is_found(sealed):
    decision = sealed["second"]
    entry = Entry.objects.get(kind="decision", record_id=str(decision.pk))
    newest = Leaf.objects.order_by("-position").first().position

    def attack():
        # Everything written after the decision goes too, as a restore of an older copy would do.
        later = list(
            Leaf.objects.filter(position__gte=position_of("decision", decision.pk)).values_list("entry_id", flat=True)
        )
        sql("DELETE FROM sharing_decisionanswer WHERE decision_id = %s", [db_id(decision.pk)])
        sql("UPDATE sharing_decisiondraft SET decision_id = NULL WHERE decision_id = %s", [db_id(decision.pk)])
        sql("DELETE FROM sharing_sharingdecision WHERE id = %s", [db_id(decision.pk)])
        sql("DELETE FROM audit_accessevent WHERE object_id = %s", [str(decision.pk)])
        for entry_id in later:
            sql("DELETE FROM ledger_leaf WHERE entry_id = %s", [entry_id])
            sql("DELETE FROM ledger_pending WHERE entry_id = %s", [entry_id])
            sql("DELETE FROM ledger_entry WHERE id = %s", [entry_id])
        rebuild_tree()

    unguarded(attack)
    assert not Entry.objects.filter(pk=entry.pk).exists()
    found = problem()
    assert f"but {newest + 1} were witnessed" in found
    assert "have been removed" in found


def test_a_record_deleted_but_its_entry_left_is_named(sealed):
    decision = sealed["first"]

    def attack():
        sql("DELETE FROM sharing_decisionreview WHERE decision_id = %s", [db_id(decision.pk)])
        sql("DELETE FROM sharing_decisionanswer WHERE decision_id = %s", [db_id(decision.pk)])
        sql("UPDATE sharing_decisiondraft SET decision_id = NULL WHERE decision_id = %s", [db_id(decision.pk)])
        sql("DELETE FROM sharing_sharingdecision WHERE id = %s", [db_id(decision.pk)])

    unguarded(attack)
    assert problem() == (
        f"log entry {position_of('decision', decision.pk)} (decision {decision.pk}): the sharing decision has been "
        "removed (its content is gone and no disposal is recorded)"
    )


def test_two_entries_swapped_are_named(sealed):
    first, second = sealed["first"], sealed["second"]
    a, b = position_of("decision", first.pk), position_of("decision", second.pk)

    def attack():
        sql("UPDATE ledger_leaf SET position = -1 WHERE position = %s", [a])
        sql("UPDATE ledger_leaf SET position = %s WHERE position = %s", [a, b])
        sql("UPDATE ledger_leaf SET position = %s WHERE position = -1", [b])
        rebuild_tree()

    unguarded(attack)
    found = problem()
    assert found.startswith(f"log entry {a} (decision {second.pk}): ")
    assert "differs from the entry witnessed at this position" in found


def test_an_edited_row_of_change_history_is_named(sealed):
    child = sealed["child"]
    history_id = child.history.order_by("history_id").first().history_id

    def attack():
        sql("UPDATE records_historicalchild SET family_name = 'Someone-Else' WHERE history_id = %s", [history_id])
        rewrite_everything()

    unguarded(attack)
    position = position_of("history records.historicalchild", history_id)
    found = problem()
    assert found.startswith(f"log entry {position} (history records.historicalchild {history_id}): ")


def test_an_edited_row_of_change_history_left_unhashed_is_named(sealed):
    child = sealed["child"]
    history_id = child.history.order_by("history_id").first().history_id
    unguarded(lambda: sql("UPDATE records_historicalchild SET family_name = 'X' WHERE history_id = %s", [history_id]))
    assert "the record's content no longer matches its entry" in problem()


def test_a_signed_form_swapped_is_named(sealed):
    consent = ConsentRecord.objects.get(pk=sealed["consent"].pk)
    Path(consent.signed_form.path).write_bytes(PDF.replace(b"1.4", b"1.7"))
    assert problem() == (
        f"consent record {consent.pk}: its signed form has been changed or replaced "
        "(the file no longer matches its recorded SHA-256)"
    )


def test_a_signed_form_deleted_is_named(sealed):
    consent = ConsentRecord.objects.get(pk=sealed["consent"].pk)
    Path(consent.signed_form.path).unlink()
    assert problem() == f"consent record {consent.pk}: its signed form is missing"


def test_a_form_re_pointed_at_another_file_is_named(sealed, private_media):
    consent = ConsentRecord.objects.get(pk=sealed["consent"].pk)
    other = Path(consent.signed_form.path).with_name("other.pdf")
    other.write_bytes(b"%PDF-1.4 another form")
    unguarded(
        lambda: sql(
            "UPDATE consent_consentrecord SET signed_form = %s WHERE id = %s",
            [str(Path(consent.signed_form.name).with_name("other.pdf")), db_id(consent.pk)],
        )
    )
    found = problem()
    assert str(consent.pk) in found


def _forged(size: int, root: bytes, name: str) -> str:
    return Signer(name, Ed25519PrivateKey.generate()).sign_checkpoint(size, root)


def test_a_checkpoint_signed_by_another_key_is_refused(sealed, settings):
    head = Checkpoint.objects.order_by("-size").first()
    forged = _forged(head.size, bytes.fromhex(head.root), settings.LEDGER_ORIGIN)
    Checkpoint.objects.create(size=head.size, root=head.root, note=forged, signed_at=timezone.now())
    found = problem()
    assert "(in the database): not a genuine checkpoint of this log" in found


def test_a_forged_checkpoint_in_the_witness_store_is_refused(sealed, settings):
    head = Checkpoint.objects.order_by("-size").first()
    forged = _forged(head.size + 5, base64.b64decode(base64.b64encode(b"\x01" * 32)), settings.LEDGER_ORIGIN)
    witness.append(note=forged, signed_at=timezone.now(), first=head.size, leaves=[])
    found = problem()
    assert "checkpoint witnessed in checkpoints-" in found
    assert "not a genuine checkpoint of this log" in found


def test_a_checkpoint_whose_text_was_edited_is_refused(sealed):
    head = Checkpoint.objects.order_by("-size").first()
    lines = head.note.split("\n")
    lines[1] = str(head.size + 1)
    unguarded(lambda: sql("UPDATE ledger_checkpoint SET note = %s WHERE id = %s", ["\n".join(lines), head.pk]))
    assert "not a genuine checkpoint of this log" in problem()


def test_verify_records_exits_with_the_first_problem(sealed):
    decision = sealed["first"]
    unguarded(lambda: sql("UPDATE sharing_sharingdecision SET reasons = 'Other' WHERE id = %s", [db_id(decision.pk)]))
    with pytest.raises(CommandError, match=f"decision {decision.pk}"):
        call_command("verify_records")


def test_an_intact_log_verifies_with_its_counts(sealed, capsys):
    call_command("verify_records")
    output = capsys.readouterr().out
    entries = Entry.objects.count()
    assert f"Log intact: {entries} entries in the tree" in output
    assert "1 signed forms" in output
    assert Child.objects.count() == 1 and SharingDecision.objects.count() == 2


@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"), reason="worker processes share a PostgreSQL snapshot"
)
def test_worker_processes_name_the_same_first_problem_as_one_process(sealed, monkeypatch):
    from ledger import verification

    monkeypatch.setattr(verification, "PARALLEL_FROM", 0)
    monkeypatch.setattr(verification, "STRETCH", 2)
    first, second = sealed["first"], sealed["second"]

    def attack():
        for decision in (second, first):
            sql("UPDATE sharing_sharingdecision SET reasons = 'Other' WHERE id = %s", [db_id(decision.pk)])

    intact_alone, intact_shared = verify_log(workers=0), verify_log(workers=2)
    assert intact_shared.intact and (intact_shared.records, intact_shared.size) == (
        intact_alone.records,
        intact_alone.size,
    )
    unguarded(attack)
    alone = verify_log(workers=0)
    shared = verify_log(workers=2)
    assert str(shared.first_problem) == str(alone.first_problem)
    assert str(alone.first_problem).startswith(f"log entry {position_of('decision', first.pk)} (decision {first.pk})")
