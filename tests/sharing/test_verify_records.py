"""verify_records: an intact chain passes; any change to stored bytes, a
removed record or an inserted one is named. Tampering is done as someone
with database access would: triggers dropped, raw SQL."""

import json
import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from sharing import immutability
from sharing.guidance import Q
from sharing.models import RECORDS_CHAIN, ChainHead, SharingDecision
from sharing.services import addendum_add
from sharing.verification import verify_chain
from tests.factories import ChildFactory
from tests.sharing.recorded import record_decision


@pytest.fixture
def chain(practitioner, agency):
    """Three decisions and an addendum: records 1 to 4."""
    child = ChildFactory(agency=agency)
    decisions = [record_decision(user=practitioner, child=child) for _ in range(3)]
    addendum_add(decision=decisions[0], user=practitioner, text="Later information.")
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


def broken(match):
    with pytest.raises(CommandError, match=match) as raised:
        verify()
    return str(raised.value)


def test_an_intact_chain_passes_and_says_how_many_records_it_checked(chain):
    assert "Chain intact: 4 records checked, head at record 4." in verify()


def test_an_empty_chain_is_intact(db):
    assert "0 records checked" in verify()


def test_a_changed_reason_is_detected_and_named(chain):
    target = chain[1]
    tamper(("UPDATE sharing_sharingdecision SET reasons = %s WHERE id = %s", ["Rewritten later.", target.pk.hex]))
    message = broken("record 2")
    assert str(target.pk) in message
    assert "no longer matches its hash" in message


def test_one_changed_character_in_an_answer_is_detected(chain):
    target = chain[2]
    answer = target.answers.first()
    tamper(
        (
            "UPDATE sharing_decisionanswer SET question_wording = %s WHERE id = %s",
            [answer.question_wording.replace("?", "!"), answer.pk],
        )
    )
    broken("record 3")


def test_a_changed_addendum_is_detected(chain):
    tamper(("UPDATE sharing_addendum SET text = %s", ["Different text."]))
    broken("record 4 \\(addendum")


def test_a_removed_record_is_detected(chain):
    target = chain[1]
    tamper(
        ("DELETE FROM sharing_decisionanswer WHERE decision_id = %s", [target.pk.hex]),
        ("UPDATE sharing_decisiondraft SET decision_id = NULL WHERE decision_id = %s", [target.pk.hex]),
        ("DELETE FROM sharing_sharingdecision WHERE id = %s", [target.pk.hex]),
    )
    broken("expected record 2 next, found 3: a record is missing")


def test_removing_the_newest_records_is_detected_by_the_chain_head(chain, practitioner):
    newest = SharingDecision.objects.get(chain_sequence=3)
    tamper(
        ("DELETE FROM sharing_addendum", []),
        ("DELETE FROM sharing_decisionanswer WHERE decision_id = %s", [newest.pk.hex]),
        ("UPDATE sharing_decisiondraft SET decision_id = NULL WHERE decision_id = %s", [newest.pk.hex]),
        ("DELETE FROM sharing_sharingdecision WHERE id = %s", [newest.pk.hex]),
    )
    broken("the head says 4 records")


def test_a_record_inserted_without_going_through_the_chain_is_detected(chain):
    template = chain[0]
    columns = [f.column for f in SharingDecision._meta.concrete_fields]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {', '.join(columns)} FROM sharing_sharingdecision WHERE id = %s",  # noqa: S608
            [template.pk.hex],
        )
        row = dict(zip(columns, cursor.fetchone(), strict=True))
    forged_id = "f" * 32
    row.update(id=forged_id, chain_sequence=5, previous_hash=row["record_hash"], record_hash="e" * 64)
    row.update(draft_key="d" * 32)
    placeholders = ", ".join(["%s"] * len(columns))
    tamper(
        (
            f"INSERT INTO sharing_sharingdecision ({', '.join(columns)}) VALUES ({placeholders})",  # noqa: S608
            [row[c] for c in columns],
        )
    )
    broken("record 5")


def test_a_renumbered_record_is_detected(chain):
    # Record 3 moved to the end, to make room for a record slipped in before it.
    third = chain[2]
    tamper(("UPDATE sharing_sharingdecision SET chain_sequence = 5 WHERE id = %s", [third.pk.hex]))
    head = ChainHead.objects.get(pk=RECORDS_CHAIN)
    head.sequence = 5
    head.save()
    broken("expected record 3 next, found 4")


def test_a_checkpoint_is_printed_and_later_checked(chain, practitioner, tmp_path):
    output = verify("--checkpoint")
    saved = json.loads(output.strip().splitlines()[-1])
    assert saved["sequence"] == 4
    checkpoint = tmp_path / "checkpoint.json"
    checkpoint.write_text(json.dumps(saved))
    addendum_add(decision=chain[1], user=practitioner, text="Another note.")
    assert "Matches the checkpoint at record 4." in verify("--against", str(checkpoint))


def test_a_restore_that_lost_the_newest_records_is_caught_by_the_checkpoint(chain, tmp_path):
    checkpoint = tmp_path / "checkpoint.json"
    checkpoint.write_text(json.dumps(json.loads(verify("--checkpoint").strip().splitlines()[-1])))
    # An old backup: the addendum (record 4) never happened, and the head agrees.
    third = SharingDecision.objects.get(chain_sequence=3)
    tamper(("DELETE FROM sharing_addendum", []))
    head = ChainHead.objects.get(pk=RECORDS_CHAIN)
    head.sequence, head.head_hash = 3, third.record_hash
    head.save()
    assert "Chain intact: 3 records checked" in verify()
    with pytest.raises(CommandError, match="records have been lost"):
        verify("--against", str(checkpoint))


def test_the_checkpoint_output_can_be_saved_as_it_is_and_checked_later(chain, tmp_path):
    out, err = StringIO(), StringIO()
    call_command("verify_records", "--checkpoint", stdout=out, stderr=err)
    assert "Chain intact: 4 records checked" in err.getvalue()
    checkpoint = tmp_path / "checkpoint.json"
    checkpoint.write_text(out.getvalue())
    assert "Matches the checkpoint at record 4." in verify("--against", str(checkpoint))


# Cut into spans (as worker processes verify a long chain), the walk reports exactly what one walk would.


def decision_at(sequence):
    return SharingDecision.objects.get(chain_sequence=sequence).pk.hex


SCENARIOS = {
    "intact": (lambda: [], None),
    "a changed reason": (
        lambda: [("UPDATE sharing_sharingdecision SET reasons = 'Later.' WHERE id = %s", [decision_at(2)])],
        "record 2 .*no longer matches its hash",
    ),
    "a changed answer": (
        lambda: [("UPDATE sharing_decisionanswer SET summary = '[]' WHERE decision_id = %s", [decision_at(3)])],
        "record 3 .*no longer matches its hash",
    ),
    "a removed record": (
        lambda: [
            ("DELETE FROM sharing_decisionanswer WHERE decision_id = %s", [decision_at(2)]),
            ("UPDATE sharing_decisiondraft SET decision_id = NULL WHERE decision_id = %s", [decision_at(2)]),
            ("DELETE FROM sharing_sharingdecision WHERE id = %s", [decision_at(2)]),
        ],
        "record 3 .*expected record 2 next, found 3",
    ),
    "the newest record removed": (lambda: [("DELETE FROM sharing_addendum", [])], "the head says 4 records"),
    "a record moved to the end": (
        lambda: [("UPDATE sharing_sharingdecision SET chain_sequence = 6 WHERE id = %s", [decision_at(3)])],
        "record 4 .*expected record 3 next, found 4",
    ),
    "two records with one number": (
        lambda: [("UPDATE sharing_addendum SET chain_sequence = 3", [])],
        "record 3 .*record 3 appears twice",
    ),
    "a record numbered 0": (
        lambda: [("UPDATE sharing_sharingdecision SET chain_sequence = 0 WHERE id = %s", [decision_at(1)])],
        "record 0 .*record 0 appears twice",
    ),
    "a broken link": (
        lambda: [("UPDATE sharing_sharingdecision SET previous_hash = %s WHERE id = %s", ["a" * 64, decision_at(3)])],
        "record 3 .*link to the previous record is broken",
    ),
    "a broken first link": (
        lambda: [("UPDATE sharing_sharingdecision SET previous_hash = %s WHERE id = %s", ["a" * 64, decision_at(1)])],
        "record 1 .*link to the previous record is broken",
    ),
}


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_cut_into_spans_the_walk_reports_what_one_walk_reports(chain, scenario):
    statements, expected = SCENARIOS[scenario]
    tamper(*statements())
    reports = {spans: verify_chain(spans=spans) for spans in (1, 2, 3, 4, 6)}
    whole = reports[1]
    if expected is None:
        assert whole.intact and whole.checked == 4
    else:
        assert re.search(expected, str(whole.first_problem)), whole.first_problem
    for report in reports.values():
        assert (report.checked, str(report.first_problem), report.head_sequence, report.head_hash) == (
            whole.checked,
            str(whole.first_problem),
            whole.head_sequence,
            whole.head_hash,
        )


# The fast reading of stored JSON: the same bytes as integrity's, and what integrity refuses is a problem.


def test_a_decision_full_of_unusual_characters_verifies(practitioner, agency):
    text = 'Zoë Ōkawa-Nguyễn 😀 \u2028 "quoted" back\\slash </script> \t tab \x01 \u202eright-to-left'
    child = ChildFactory(agency=agency, given_name="Zoë 😀", family_name="Ōkawa-Nguyễn \u2028")
    record_decision(
        user=practitioner,
        child=child,
        **{
            Q.DECISION: {
                "reasons": text,
                "decided_on": timezone.localdate().isoformat(),
                "decided_time": "09:00",
            }
        },
    )
    stored = SharingDecision.objects.get()
    assert stored.subject["child"]["name"].startswith("Zoë 😀")
    assert [answer.answers["reasons"] for answer in stored.answers.all() if "reasons" in answer.answers] == [text]
    assert "Chain intact: 1 records checked" in verify()


@pytest.mark.parametrize(
    ("table", "column"),
    [("sharing_decisionanswer", "answers"), ("sharing_sharingdecision", "subject")],
)
def test_a_float_put_into_stored_json_is_a_problem_not_a_crash(chain, table, column):
    key = "decision_id" if table == "sharing_decisionanswer" else "id"
    tamper((f"UPDATE {table} SET {column} = %s WHERE {key} = %s", ['{"amount": 1.5}', decision_at(2)]))  # noqa: S608
    assert "record 2 (sharing decision" in broken("no longer matches its hash")
