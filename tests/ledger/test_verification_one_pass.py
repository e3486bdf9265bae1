"""Verification reads each kind of record, and the tree, in one pass, and checks again row by row only
where something disagrees. On an intact log the one pass alone must decide, for every kind of record
and for the tree: otherwise a log of millions of entries is checked at the row-by-row speed, and the
tests of tampering (which the row-by-row check answers) would not notice."""

from datetime import UTC, datetime

import pytest
from django.conf import settings

from audit.models import AccessEvent
from ledger import in_database, keys, merkle, sequencer, verification, witness
from ledger.models import Entry, Leaf, Pending
from tests.factories import ChildFactory
from tests.ledger.attack_data import recompute_entries, sql, unguarded
from tests.ledger.test_sequencer import look
from tests.ledger.test_verification_every_kind import seed
from tests.ledger_data import verify_log

pytestmark = pytest.mark.owner_only(
    reason="plays someone who edits the database as its owner: drops the triggers, rewrites rows"
)


def one_pass(model) -> verification._Stretch | None:
    return verification._check_stretch_in_one_pass(model._meta.label, None, None)


def row_by_row(model) -> verification._Stretch:
    return verification._check_stretch_exactly(model._meta.label, None, None)


@pytest.fixture
def seeded(db, settings, tmp_path):
    seed(settings, tmp_path)


def test_every_kind_of_record_is_checked_in_one_pass(seeded):
    for model in verification.ledger_models():
        found = one_pass(model)
        assert found is not None, f"{model._meta.verbose_name}: the one pass found a difference in an intact log"
        exact = row_by_row(model)
        assert exact.problem is None
        assert (found.records, found.files) == (exact.records, exact.files) == (model.objects.count(), found.files)


def test_the_tree_is_checked_in_one_pass_with_the_root_of_the_leaf_by_leaf_walk(seeded):
    lines = list(witness.read())
    report = verification.Report()
    checkpoints = verification._signed_checkpoints(report, keys.verifier_key(), settings.LEDGER_ORIGIN, lines)
    assert checkpoints and not report.problems
    walked = verification._tree_in_one_pass(checkpoints, [line for line in lines if line.leaves])
    assert walked is not None, "the one pass found a difference in an intact tree"
    exact = verification.Report()
    verification._check_tree_exactly(exact, checkpoints, verification._Witnessed(lines))
    assert not exact.problems
    assert walked == (exact.size, exact.root) == (Leaf.objects.count(), verify_log().root)


def test_entries_placed_out_of_the_order_they_were_written_are_checked_in_one_pass(seeded, settings, practitioner):
    """The one pass reads the leaves in their entries' order. An entry written first and committed last is
    placed after the next one (two writers at once): its leaf is put back at its own position."""
    settings.LEDGER_SEQUENCE_ON_COMMIT = False
    child = ChildFactory(agency=practitioner.membership.agency)
    sequencer.sequence(sign=False)  # the child's change history
    events = [look(practitioner, child) for _ in range(3)]
    entries = list(Entry.objects.filter(kind="access", record_id__in=[str(e.pk) for e in events]).order_by("pk"))
    assert len(entries) == 3 and Pending.objects.count() == 3
    Pending.objects.filter(entry=entries[0]).delete()  # the first written, not yet committed
    assert sequencer.sequence(sign=False) == 2
    Pending.objects.create(entry=entries[0])
    assert sequencer.sequence(force_sign=True) == 1
    placed = dict(Leaf.objects.filter(entry__in=entries).values_list("entry_id", "position"))
    assert placed[entries[0].pk] > placed[entries[2].pk], "the first written is placed last"
    lines = list(witness.read())
    report = verification.Report()
    checkpoints = verification._signed_checkpoints(report, keys.verifier_key(), settings.LEDGER_ORIGIN, lines)
    walked = verification._tree_in_one_pass(checkpoints, [line for line in lines if line.leaves])
    assert walked is not None, "the one pass found a difference in an intact tree"
    assert walked == (Leaf.objects.count(), verify_log().root)
    assert verify_log().intact


def tree_in_one_pass() -> tuple[int, str] | None:
    lines = list(witness.read())
    report = verification.Report()
    checkpoints = verification._signed_checkpoints(report, keys.verifier_key(), settings.LEDGER_ORIGIN, lines)
    return verification._tree_in_one_pass(checkpoints, [line for line in lines if line.leaves])


def test_the_tree_read_a_few_entries_at_a_time_has_the_same_root_and_finds_a_changed_leaf(seeded, monkeypatch):
    """On PostgreSQL the database makes the leaf hashes, a range of entries at a time (elsewhere Python does):
    the ranges meet without a gap, and a leaf hash stored that is not its entry's fails the pass."""
    monkeypatch.setattr(in_database, "TREE_RANGE", 3)
    assert tree_in_one_pass() == (Leaf.objects.count(), verify_log().root)
    entry = Entry.objects.order_by("id").values_list("pk", flat=True)[4]
    unguarded(lambda: sql("UPDATE ledger_entry SET leaf_hash = %s WHERE id = %s", ["0" * 64, entry]))
    assert tree_in_one_pass() is None
    assert not verify_log().intact


def test_a_difference_the_one_pass_finds_is_named_by_the_row_by_row_check(seeded):
    event = AccessEvent.objects.order_by("-id").values_list("pk", flat=True)[2]
    unguarded(lambda: sql("UPDATE audit_accessevent SET detail = 'changed' WHERE id = %s", [event]))
    assert one_pass(AccessEvent) is None
    found = row_by_row(AccessEvent)
    assert found.problem is not None and found.problem.where.endswith(f"(access {event})")
    assert str(verify_log().first_problem) == str(found.problem)


@pytest.mark.parametrize("when", [datetime(999, 7, 1, 9, 5, 7, 120, tzinfo=UTC), datetime(2026, 1, 2, tzinfo=UTC)])
def test_times_are_read_as_the_text_they_were_hashed_as(seeded, when):
    """Whatever the year (before 1000 strftime writes no leading zeros) and with no microseconds, the one
    pass makes the bytes the row-by-row check makes: with the entries made to match, both agree."""
    event = AccessEvent.objects.order_by("id").values_list("pk", flat=True)[1]
    unguarded(lambda: sql("UPDATE audit_accessevent SET occurred_at = %s WHERE id = %s", [when, event]))
    assert one_pass(AccessEvent) is None, "the content changed: its entry no longer matches"
    unguarded(recompute_entries)
    assert row_by_row(AccessEvent).problem is None
    assert one_pass(AccessEvent) is not None
    lines = list(witness.read())
    # The entries were recomputed after the checkpoints were signed: the tree's one pass finds a difference.
    report = verification.Report()
    checkpoints = verification._signed_checkpoints(report, keys.verifier_key(), settings.LEDGER_ORIGIN, lines)
    assert verification._tree_in_one_pass(checkpoints, [line for line in lines if line.leaves]) is None


@pytest.mark.parametrize("count", [0, 1, 2, 3, 7, 8, 9, 100, 1025])
def test_the_root_at_every_size_from_the_levels_is_the_rfc_root(count):
    leaves = [merkle.leaf_hash(str(index).encode()) for index in range(count)]
    levels = merkle.subtree_levels(leaves)
    frontier = merkle.Frontier()
    assert merkle.root_at(levels, 0) == merkle.EMPTY_ROOT
    for size, leaf in enumerate(leaves, start=1):
        frontier.append(leaf)
        assert merkle.root_at(levels, size) == frontier.root() == merkle.root_of(leaves[:size])
