"""Disposing of a record's content keeps its place in the log: verification says disposed, not tampered."""

from datetime import UTC
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import RequestFactory

from audit import services as audit_services
from audit.models import AccessEvent, Action, Subject
from ledger.disposal import NotDisposable, record_dispose
from ledger.models import Disposal, Entry, Leaf
from sharing.models import DecisionAnswer, DecisionDraft, SharingDecision
from tests.factories import ChildFactory
from tests.ledger_data import seal, verify_log
from tests.sharing.recorded import record_decision


@pytest.fixture
def looked_at(transactional_db, practitioner):
    child = ChildFactory(agency=practitioner.membership.agency)
    request = RequestFactory().get("/children/")
    request.user = practitioner
    event = audit_services.access_record(request=request, action=Action.VIEW, subject=Subject.CHILD, target=child)
    decision = record_decision(user=practitioner, child=child)
    seal()
    return event, decision


def test_a_disposed_access_event_keeps_its_leaf_and_verifies_as_disposed(looked_at):
    event, _ = looked_at
    position = Leaf.objects.get(entry__kind="access", entry__record_id=str(event.pk)).position
    disposal = record_dispose(record=event, rule="Access log kept 7 years", disposed_by="Records manager")
    seal()
    assert not AccessEvent.objects.filter(pk=event.pk).exists()
    entry = Entry.objects.get(kind="access", record_id=str(event.pk))
    assert Leaf.objects.get(entry=entry).position == position, "the entry keeps its place in the tree"
    assert Entry.objects.get(kind="disposal", record_id=str(disposal.pk)), "the disposal is itself in the log"
    report = verify_log()
    assert report.intact, report.first_problem
    assert report.disposed == 1
    [disposed] = report.disposals
    assert disposed.where == f"log entry {position} (access {event.pk})"
    assert (disposed.rule, disposed.disposed_by) == ("Access log kept 7 years", "Records manager")
    assert disposed.disposed_at == disposal.disposed_at
    output = StringIO()
    call_command("verify_records", stdout=output)
    assert "1 disposed of" in output.getvalue()
    assert (
        f"Disposed of, not removed: log entry {position} (access {event.pk}): disposed of "
        f"{disposal.disposed_at.astimezone(UTC):%Y-%m-%d %H:%M:%S} UTC "
        "under 'Access log kept 7 years' by Records manager"
    ) in output.getvalue()


def test_a_disposed_decision_takes_its_answers_with_it(looked_at):
    _, decision = looked_at
    # What points at a decision (its draft) is the retention schedule's to clear first.
    DecisionDraft.objects.filter(decision=decision).update(decision=None)
    record_dispose(record=decision, rule="Case closed 25 years", disposed_by="Records manager")
    seal()
    assert not SharingDecision.objects.filter(pk=decision.pk).exists()
    assert not DecisionAnswer.objects.filter(decision_id=decision.pk).exists()
    report = verify_log()
    assert report.intact, report.first_problem
    assert report.disposed == 1


def test_removing_a_record_is_not_disposing_of_it(looked_at):
    event, _ = looked_at
    from tests.ledger.attack_data import sql, unguarded

    unguarded(lambda: sql("DELETE FROM audit_accessevent WHERE id = %s", [event.pk]))
    report = verify_log()
    assert not report.intact
    assert "has been removed (its content is gone and no disposal is recorded)" in str(report.first_problem)
    assert not Disposal.objects.exists()


def test_a_disposal_needs_its_rule_and_who(looked_at):
    event, _ = looked_at
    with pytest.raises(NotDisposable, match="needs the retention rule"):
        record_dispose(record=event, rule=" ", disposed_by="Records manager")
    assert AccessEvent.objects.filter(pk=event.pk).exists()
