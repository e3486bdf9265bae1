"""Practitioners recording at the same moment: each record is entered in the log
once, and the sequencers their commits start never fork the tree (positions run
from 0 without gaps or repeats)."""

import threading

import pytest
from django.db import connection

from ledger.models import Entry, Leaf, TreeHead
from sharing import services
from sharing.models import SharingDecision
from tests.factories import ChildFactory
from tests.ledger_data import seal, verify_log
from tests.sharing.recorded import complete_draft

WRITERS = 6


def run_at_once(jobs):
    barrier = threading.Barrier(len(jobs))
    results, errors = [], []

    def run(job):
        try:
            barrier.wait(timeout=10)
            results.append(job())
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    return results


@pytest.fixture
def needs_postgresql(transactional_db):
    if connection.vendor != "postgresql":
        pytest.skip("row locks across threads are exercised on PostgreSQL, the production database")


def one_tree_that_verifies():
    """Sealed: every entry has one place, the places run from 0 without gaps, and the log verifies."""
    seal()
    positions = list(Leaf.objects.order_by("position").values_list("position", flat=True))
    assert positions == list(range(Entry.objects.count()))
    assert TreeHead.objects.order_by("-size").first().size == len(positions)
    report = verify_log()
    assert report.intact, report.first_problem
    assert report.entries == report.size == len(positions) and report.pending == 0
    return report


def test_writers_recording_at_once_leave_one_intact_tree(needs_postgresql, practitioner, agency):
    child = ChildFactory(agency=agency)
    drafts = [complete_draft(user=practitioner, child=child) for _ in range(WRITERS)]
    run_at_once([lambda draft=draft: services.decision_record(draft=draft, user=practitioner) for draft in drafts])
    entered = sorted(Entry.objects.filter(kind="decision").values_list("record_id", flat=True))
    assert entered == sorted(str(pk) for pk in SharingDecision.objects.values_list("pk", flat=True))
    assert len(entered) == WRITERS
    one_tree_that_verifies()
    assert Leaf.objects.filter(entry__kind="decision").count() == WRITERS


def test_the_same_draft_recorded_twice_at_once_is_recorded_once(needs_postgresql, practitioner, agency):
    draft = complete_draft(user=practitioner, child=ChildFactory(agency=agency))
    decisions = run_at_once([lambda: services.decision_record(draft=draft, user=practitioner)] * 2)
    assert decisions[0].pk == decisions[1].pk
    assert SharingDecision.objects.count() == 1
    assert Entry.objects.filter(kind="decision").count() == 1
    one_tree_that_verifies()
