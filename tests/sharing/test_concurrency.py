"""Practitioners recording at the same moment never fork the hash chain."""

import threading

import pytest
from django.db import connection

from sharing import services
from sharing.models import SharingDecision
from sharing.verification import verify_chain
from tests.factories import ChildFactory
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


def test_writers_recording_at_once_leave_one_intact_chain(needs_postgresql, practitioner, agency):
    child = ChildFactory(agency=agency)
    drafts = [complete_draft(user=practitioner, child=child) for _ in range(WRITERS)]
    run_at_once([lambda draft=draft: services.decision_record(draft=draft, user=practitioner) for draft in drafts])
    sequences = sorted(SharingDecision.objects.values_list("chain_sequence", flat=True))
    assert sequences == list(range(1, WRITERS + 1))
    report = verify_chain()
    assert report.intact, report.first_problem
    assert report.checked == WRITERS


def test_the_same_draft_recorded_twice_at_once_is_recorded_once(needs_postgresql, practitioner, agency):
    draft = complete_draft(user=practitioner, child=ChildFactory(agency=agency))
    decisions = run_at_once([lambda: services.decision_record(draft=draft, user=practitioner)] * 2)
    assert decisions[0].pk == decisions[1].pk
    assert SharingDecision.objects.count() == 1
    assert verify_chain().intact
