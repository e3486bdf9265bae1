"""verify_records: an intact log passes and says what it checked (exit status 0);
a changed, removed, inserted or moved record is named (CommandError, exit
status 1); a signed checkpoint kept elsewhere catches a restore of an older
backup. Tampering is done as someone with database access would: triggers
dropped, raw SQL."""

import re
from io import StringIO

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from ledger import immutability, keys, note, verification
from ledger.models import Checkpoint, Entry, Leaf, Node, Pending, TreeHead
from sharing.guidance import QuestionKey
from sharing.models import Addendum, SharingDecision
from sharing.services import addendum_add
from tests.factories import ChildFactory
from tests.ledger_data import seal, verify_log
from tests.sharing.recorded import record_decision

pytestmark = pytest.mark.owner_only(
    reason="plays someone who edits the database as its owner: drops the triggers, rewrites rows"
)

CHANGED = "the record's content no longer matches its entry in the log"


@pytest.fixture
def witnessed(django_capture_on_commit_callbacks):
    """Seal, and witness the checkpoint as a committed one would be (the test's transaction never commits)."""

    def seal_and_witness():
        with django_capture_on_commit_callbacks(execute=True):
            return seal()

    return seal_and_witness


@pytest.fixture
def logged(practitioner, agency, witnessed):
    """Three decisions and an addendum, placed in the tree under a signed, witnessed checkpoint."""
    child = ChildFactory(agency=agency)
    decisions = [record_decision(user=practitioner, child=child) for _ in range(3)]
    addendum_add(decision=decisions[0], user=practitioner, text="Later information.")
    witnessed()
    return decisions


def verify(*args):
    out = StringIO()
    call_command("verify_records", *args, stdout=out)
    return out.getvalue()


def tamper(*statements):
    immutability.remove(connection)
    with connection.cursor() as cursor:
        for statement, params in statements:
            cursor.execute(statement, params)
    immutability.install(connection)


def broken(match, *args):
    with pytest.raises(CommandError, match=match) as raised:
        verify(*args)
    assert raised.value.returncode == 1, "manage.py exits with status 1"
    return str(raised.value)


def db_id(pk):
    """A uuid primary key as the database holds it, for raw SQL."""
    return pk.hex if connection.vendor == "sqlite" else str(pk)


def position(kind, record_id) -> int:
    return Leaf.objects.get(entry__kind=kind, entry__record_id=str(record_id)).position


def records_in_the_log() -> int:
    return sum(model.objects.count() for model in verification.ledger_models())


def removed(decision):
    """Statements that delete a decision and its answers, as someone with the database to themselves would."""
    return [
        ("DELETE FROM sharing_addendum WHERE decision_id = %s", [db_id(decision.pk)]),
        ("DELETE FROM sharing_decisionanswer WHERE decision_id = %s", [db_id(decision.pk)]),
        ("UPDATE sharing_decisiondraft SET decision_id = NULL WHERE decision_id = %s", [db_id(decision.pk)]),
        ("DELETE FROM sharing_sharingdecision WHERE id = %s", [db_id(decision.pk)]),
    ]


def test_an_intact_log_passes_and_says_what_it_checked(logged):
    assert Entry.objects.filter(kind="decision").count() == 3 and Entry.objects.filter(kind="addendum").count() == 1
    size = Entry.objects.count()
    root = TreeHead.objects.get(size=size).root
    records = records_in_the_log()
    assert records == size, "every record of every kind is in the log, and checked"
    assert verify() == (
        f"Log intact: {size} entries in the tree (root {root[:16]}...), {records} records checked against their "
        "entries, 0 signed forms, 0 disposed of, 0 waiting to be placed; 1 signed checkpoints and 1 witnessed "
        f"checkpoints verified (the newest witnessed covers {size} entries).\n"
    )


def test_entries_waiting_to_be_placed_are_checked_too(logged, practitioner):
    addendum = addendum_add(decision=logged[1], user=practitioner, text="Not yet placed.")
    waiting = Pending.objects.count()
    assert waiting >= 1 and f"{waiting} waiting to be placed" in verify()
    tamper(("UPDATE sharing_addendum SET text = %s WHERE id = %s", ["Changed.", db_id(addendum.pk)]))
    broken(re.escape(f"a log entry not yet in the tree (addendum {addendum.pk}): {CHANGED}"))


def test_an_empty_log_is_intact(db):
    records = records_in_the_log()
    output = verify()
    assert f"Log intact: {Entry.objects.count()} entries in the tree" in output
    assert f"{records} records checked against their entries" in output


def test_a_changed_reason_is_detected_and_named(logged):
    target = logged[1]
    tamper(("UPDATE sharing_sharingdecision SET reasons = %s WHERE id = %s", ["Rewritten later.", db_id(target.pk)]))
    message = broken("The log does not verify")
    named = f"log entry {position('decision', target.pk)} (decision {target.pk})"
    assert message.endswith(f"First problem: {named}: {CHANGED}")


def test_one_changed_character_in_an_answer_is_detected(logged):
    target = logged[2]
    answer = target.answers.first()
    tamper(
        (
            "UPDATE sharing_decisionanswer SET question_wording = %s WHERE id = %s",
            [answer.question_wording.replace("?", "!"), answer.pk],
        )
    )
    broken(re.escape(f"log entry {position('decision', target.pk)} (decision {target.pk}): {CHANGED}"))


def test_a_changed_addendum_is_detected(logged):
    addendum = Addendum.objects.get()
    tamper(("UPDATE sharing_addendum SET text = %s", ["Different text."]))
    broken(re.escape(f"log entry {position('addendum', addendum.pk)} (addendum {addendum.pk}): {CHANGED}"))


def test_a_removed_record_is_detected(logged):
    target = logged[1]
    tamper(*removed(target))
    broken(
        re.escape(
            f"log entry {position('decision', target.pk)} (decision {target.pk}): the sharing decision has been "
            "removed (its content is gone and no disposal is recorded)"
        )
    )


def test_a_record_inserted_without_going_through_the_log_is_detected(logged):
    template = logged[0]
    columns = [f.column for f in SharingDecision._meta.concrete_fields]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {', '.join(columns)} FROM sharing_sharingdecision WHERE id = %s",  # noqa: S608
            [db_id(template.pk)],
        )
        row = dict(zip(columns, cursor.fetchone(), strict=True))
    forged = "ffffffff-ffff-ffff-ffff-ffffffffffff"
    row.update(id=forged.replace("-", "") if connection.vendor == "sqlite" else forged)
    row.update(draft_key="d" * 32 if connection.vendor == "sqlite" else "dddddddd-dddd-dddd-dddd-dddddddddddd")
    placeholders = ", ".join(["%s"] * len(columns))
    tamper(
        (
            f"INSERT INTO sharing_sharingdecision ({', '.join(columns)}) VALUES ({placeholders})",  # noqa: S608
            [row[c] for c in columns],
        )
    )
    broken(re.escape(f"sharing decision {forged}: it is not in the log"))


def test_two_entries_swapped_in_the_tree_are_detected(logged):
    # The third decision moved before the second, as a renumbering once would have.
    second, third = (position("decision", decision.pk) for decision in logged[1:])
    entries = dict(Leaf.objects.filter(position__in=[second, third]).values_list("position", "entry_id"))
    tamper(
        ("DELETE FROM ledger_leaf WHERE position IN (%s, %s)", [second, third]),
        ("INSERT INTO ledger_leaf (position, entry_id) VALUES (%s, %s)", [second, entries[third]]),
        ("INSERT INTO ledger_leaf (position, entry_id) VALUES (%s, %s)", [third, entries[second]]),
    )
    message = broken(rf"log entry {second} \(decision {logged[2].pk}\): differs from the entry witnessed")
    assert "it was changed, removed or moved" in message


def test_a_checkpoint_is_printed_and_later_checked(logged, practitioner, tmp_path):
    out, err = StringIO(), StringIO()
    call_command("verify_records", "--checkpoint", stdout=out, stderr=err)
    assert err.getvalue().startswith("Log intact:"), "the summary goes to stderr, the checkpoint alone to stdout"
    size = Entry.objects.count()
    assert out.getvalue() == Checkpoint.objects.get(size=size).note
    assert note.open_checkpoint(out.getvalue(), keys.verifier_key()).size == size
    checkpoint = tmp_path / "checkpoint.txt"
    checkpoint.write_text(out.getvalue())
    addendum_add(decision=logged[1], user=practitioner, text="Another note.")
    seal()
    assert "2 witnessed checkpoints verified" in verify("--against", str(checkpoint))


def test_no_checkpoint_to_print_before_one_is_signed(db):
    with pytest.raises(CommandError, match="No checkpoint has been signed yet"):
        call_command("verify_records", "--checkpoint", stdout=StringIO(), stderr=StringIO())


def test_a_checkpoint_signed_with_another_key_is_not_accepted(logged, tmp_path, settings):
    other = note.Signer(settings.LEDGER_ORIGIN, Ed25519PrivateKey.generate())
    forged = tmp_path / "forged.txt"
    forged.write_text(other.sign_checkpoint(Entry.objects.count(), b"\x00" * 32))
    broken("not a genuine checkpoint of this log", "--against", str(forged))
    # Checked with that other key, the service's own checkpoints are the ones refused.
    key = tmp_path / "other.pub"
    key.write_text(other.verifier_key())
    broken(r"checkpoint signed .* \(in the database\): not a genuine checkpoint of this log", "--key", str(key))


def test_a_restore_of_an_older_backup_is_caught_by_a_checkpoint_taken_before(logged, practitioner, tmp_path, settings):
    older = {
        "entry": Entry.objects.order_by("-pk").values_list("pk", flat=True).first(),
        "node": Node.objects.order_by("-pk").values_list("pk", flat=True).first(),
        "size": Entry.objects.count(),
    }
    addendum_add(decision=logged[2], user=practitioner, text="Written after the backup was taken.")
    seal()
    checkpoint = tmp_path / "checkpoint.txt"
    out = StringIO()
    call_command("verify_records", "--checkpoint", stdout=out, stderr=StringIO())
    checkpoint.write_text(out.getvalue())
    size = Entry.objects.count()
    # The older backup restored: nothing written after it, not even in the ledger's own tables.
    later = Entry.objects.filter(pk__gt=older["entry"])
    assert set(later.values_list("kind", flat=True)) == {"addendum"}
    statements = [("DELETE FROM sharing_addendum WHERE id = %s", [db_id(Addendum.objects.latest("recorded_at").pk)])]
    for table, where, value in (
        ("ledger_checkpoint", "size >", older["size"]),
        ("ledger_treehead", "size >", older["size"]),
        ("ledger_node", "id >", older["node"] or 0),
        ("ledger_leaf", "position >=", older["size"]),
        ("ledger_entry", "id >", older["entry"]),
    ):
        statements.append((f"DELETE FROM {table} WHERE {where} %s", [value]))  # noqa: S608
    tamper(*statements)
    # Without the witness store, the old copy is intact in itself: only the checkpoint shows what it lost.
    settings.LEDGER_WITNESS_DIR = ""
    assert f"Log intact: {older['size']} entries" in verify()
    broken(
        re.escape(
            f"log entry {older['size']}: the log has {older['size']} entries but {size} were witnessed: "
            f"entries from position {older['size']} on have been removed (or an older backup restored)"
        ),
        "--against",
        str(checkpoint),
    )


# Cut into stretches (as worker processes check a long log), the check reports exactly what one pass would.


def decision_at(logged, index):
    return db_id(logged[index].pk)


SCENARIOS = {
    "intact": (lambda logged: [], None),
    "a changed reason": (
        lambda logged: [
            ("UPDATE sharing_sharingdecision SET reasons = 'Later.' WHERE id = %s", [decision_at(logged, 1)])
        ],
        r"\(decision .*\): the record's content no longer matches",
    ),
    "a changed answer": (
        lambda logged: [
            ("UPDATE sharing_decisionanswer SET summary = '[]' WHERE decision_id = %s", [decision_at(logged, 2)])
        ],
        r"\(decision .*\): the record's content no longer matches",
    ),
    "a removed record": (lambda logged: removed(logged[1]), "the sharing decision has been removed"),
    "the newest record removed": (
        lambda logged: [("DELETE FROM sharing_addendum", [])],
        "the addendum has been removed",
    ),
    "two changed, the later named second": (
        lambda logged: [
            ("UPDATE sharing_sharingdecision SET reasons = 'Later.' WHERE id = %s", [decision_at(logged, 2)]),
            ("UPDATE sharing_sharingdecision SET reasons = 'Later.' WHERE id = %s", [decision_at(logged, 0)]),
        ],
        r"\(decision .*\): the record's content no longer matches",
    ),
}


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_cut_into_stretches_the_check_reports_what_one_pass_reports(logged, scenario, monkeypatch):
    statements, expected = SCENARIOS[scenario]
    tamper(*statements(logged))
    reports = {}
    for stretch in (1, 2, 3, verification.STRETCH):
        monkeypatch.setattr(verification, "STRETCH", stretch)
        report = verify_log()
        reports[stretch] = (report.records, report.entries, report.size, report.root, str(report.first_problem))
    whole = verify_log()
    if expected is None:
        assert whole.intact and whole.records == records_in_the_log()
    else:
        assert re.search(expected, str(whole.first_problem)), whole.first_problem
    if scenario == "two changed, the later named second":
        assert str(logged[0].pk) in str(whole.first_problem), "the lower position is named first"
    assert set(reports.values()) == {reports[verification.STRETCH]}


# The fast reading of stored JSON: the same bytes as canonical's, and what canonical refuses is a problem.


def test_a_decision_full_of_unusual_characters_verifies(practitioner, agency):
    text = 'Zoë Ōkawa-Nguyễn 😀 \u2028 "quoted" back\\slash </script> \t tab \x01 \u202eright-to-left'
    child = ChildFactory(agency=agency, given_name="Zoë 😀", family_name="Ōkawa-Nguyễn \u2028")
    record_decision(
        user=practitioner,
        child=child,
        **{
            QuestionKey.DECISION: {
                "reasons": text,
                "decided_on": timezone.localdate().isoformat(),
                "decided_time": "09:00",
            }
        },
    )
    stored = SharingDecision.objects.get()
    assert stored.subject["child"]["name"].startswith("Zoë 😀")
    assert [answer.answers["reasons"] for answer in stored.answers.all() if "reasons" in answer.answers] == [text]
    seal()
    output = verify()
    assert f"{records_in_the_log()} records checked against their entries" in output
    assert Entry.objects.filter(kind="decision", record_id=str(stored.pk)).exists()


@pytest.mark.parametrize(
    ("table", "column"),
    [("sharing_decisionanswer", "answers"), ("sharing_sharingdecision", "subject")],
)
def test_a_float_put_into_stored_json_is_a_problem_not_a_crash(logged, table, column):
    key = "decision_id" if table == "sharing_decisionanswer" else "id"
    target = logged[1]
    tamper((f"UPDATE {table} SET {column} = %s WHERE {key} = %s", ['{"amount": 1.5}', db_id(target.pk)]))  # noqa: S608
    broken(re.escape(f"log entry {position('decision', target.pk)} (decision {target.pk}): {CHANGED}"))
