"""On PostgreSQL an access event costs its own INSERT and one statement more:
the log entry and its place in the sequencer's queue are written together
(ledger.services._insert_with_pending). What that statement stores must be
exactly what ledger.canonical and the entry's leaf hash make, and no writer
waits on a lock another writer holds (ADR 13)."""

import hashlib
import threading

import pytest
from django.db import connection, connections, transaction
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from audit.models import Action, Subject
from audit.services import access_record
from ledger import canonical
from ledger.models import Entry, Leaf, Pending
from tests.factories import ChildFactory
from tests.ledger_data import seal, verify_log

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the entry and its queue row in one statement is PostgreSQL's"
)

AWKWARD = [
    "plain",
    'quotes " and \\ backslashes and a \n newline',
    "Zoë, Łukasz, 王秀英, مريم, emoji 🧒🏽",
    "-1234567890123 looks like a number",
    "0" * 64,
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "%s %(name)s {} $1",
]

LOCKING = ("FOR UPDATE", "FOR NO KEY UPDATE", "FOR SHARE", "LOCK TABLE", "PG_ADVISORY_LOCK", "PG_ADVISORY_XACT_LOCK")


def _log(practitioner, child, detail):
    request = RequestFactory().get("/children/", REMOTE_ADDR="10.0.0.1")
    request.user = practitioner
    return access_record(request=request, action=Action.VIEW, subject=Subject.CHILD, target=child, detail=detail)


def test_an_event_is_its_insert_and_one_statement_for_entry_and_queue(practitioner, agency):
    child = ChildFactory(agency=agency)
    _log(practitioner, child, "the first")
    events = []
    for detail in AWKWARD:
        with CaptureQueriesContext(connection) as captured:
            events.append(_log(practitioner, child, detail))
        statements = [q["sql"] for q in captured.captured_queries if "SAVEPOINT" not in q["sql"]]
        assert len(statements) == 2, statements
        assert statements[0].lstrip().startswith('INSERT INTO "audit_accessevent"'), statements
        assert statements[1].lstrip().startswith("WITH entry AS ( INSERT INTO ledger_entry"), statements
        assert "INSERT INTO ledger_pending" in statements[1]
        assert not [sql for sql in statements if any(word in sql.upper() for word in LOCKING)], statements
    for event in events:
        entry = Entry.objects.get(kind="access", record_id=str(event.pk))
        content = canonical.canonical_bytes(event.ledger_document())
        assert entry.content_sha256 == hashlib.sha256(content).hexdigest(), event.detail
        assert entry.leaf_hash == entry.computed_leaf_hash(), event.detail
        assert Pending.objects.filter(entry=entry).exists(), "queued in the same statement"
    assert not Leaf.objects.exists(), "places in the tree are given after commit, not by the writer"
    seal()
    assert not Pending.objects.exists()
    report = verify_log()
    assert report.intact, report.first_problem
    assert report.entries == Entry.objects.count() >= len(AWKWARD) + 1


@pytest.mark.usefixtures("transactional_db")
def test_a_writer_does_not_wait_for_another_writers_open_transaction(practitioner, agency):
    """Under the chains every logged page queued on the chain head's row lock;
    now one writer holding its transaction open keeps no other writer waiting."""
    child = ChildFactory(agency=agency)
    written, release, errors = threading.Event(), threading.Event(), []

    def slow_writer():
        try:
            with transaction.atomic():
                _log(practitioner, child, "held open")
                written.set()
                assert release.wait(30), "the other writer never finished"
        except Exception as error:
            errors.append(error)
            written.set()
        finally:
            connections.close_all()

    def quick_writer():
        try:
            with transaction.atomic():
                with connection.cursor() as cursor:
                    # Waiting for any lock at all fails the write instead of hanging.
                    cursor.execute("SET LOCAL lock_timeout = '2s'")
                _log(practitioner, child, "not kept waiting")
        except Exception as error:
            errors.append(error)
        finally:
            release.set()
            connections.close_all()

    slow = threading.Thread(target=slow_writer)
    slow.start()
    assert written.wait(30)
    quick = threading.Thread(target=quick_writer)
    quick.start()
    quick.join(30)
    release.set()
    slow.join(30)
    assert not quick.is_alive() and not slow.is_alive()
    assert errors == []
    assert Entry.objects.filter(kind="access").count() == 2, "both events entered"
    seal()
    report = verify_log()
    assert report.intact, report.first_problem
