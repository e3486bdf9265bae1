"""On PostgreSQL an access event is appended to its chain in one statement
(sharing.chain.append_in_one_statement): the database hashes it, and the
result must be exactly what sharing.integrity makes, or nothing is written."""

import itertools

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from audit.models import AccessEvent, Action, Subject
from audit.services import access_record
from sharing import chain, integrity
from sharing.models import ACCESS_CHAIN, ChainHead
from sharing.verification import verify_chain
from tests.factories import ChildFactory

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the one-statement append is PostgreSQL's (SQLite takes three)"
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


def _log(practitioner, child, detail):
    request = RequestFactory().get("/children/", REMOTE_ADDR="10.0.0.1")
    request.user = practitioner
    return access_record(request=request, action=Action.VIEW, subject=Subject.CHILD, target=child, detail=detail)


def test_events_appended_in_one_statement_hash_as_integrity_does_and_verify(practitioner, agency):
    child = ChildFactory(agency=agency)
    _log(practitioner, child, "the first: the chain head is made the usual way")
    events = []
    for detail in AWKWARD:
        with CaptureQueriesContext(connection) as captured:
            events.append(_log(practitioner, child, detail))
        statements = [q["sql"] for q in captured.captured_queries if "SAVEPOINT" not in q["sql"]]
        assert len(statements) == 1 and statements[0].lstrip().startswith("WITH old AS"), statements
    head = ChainHead.objects.get(pk=ACCESS_CHAIN)
    stored = list(AccessEvent.objects.order_by("chain_sequence"))
    assert [e.detail for e in stored[1:]] == AWKWARD
    for before, event in itertools.pairwise(stored):
        assert event.chain_sequence == before.chain_sequence + 1
        assert event.previous_hash == before.record_hash
        assert event.record_hash == integrity.record_hash(
            previous_hash=event.previous_hash, document=event.chain_document()
        )
    assert [e.pk for e in events] == [e.pk for e in stored[1:]]
    assert (head.sequence, head.head_hash) == (stored[-1].chain_sequence, stored[-1].record_hash)
    assert verify_chain(ACCESS_CHAIN).intact


def test_without_a_chain_head_nothing_is_written_in_one_statement(practitioner, agency):
    ChainHead.objects.filter(pk=ACCESS_CHAIN).delete()
    event = AccessEvent(action=Action.VIEW, subject=Subject.CHILD, user_email="x@example.org")
    event.occurred_at = ChildFactory(agency=agency).created_at
    assert chain.append_in_one_statement(event) is False
    assert not AccessEvent.objects.exists()
