"""The ledger's background tasks (ADR 13, ADR 23): the worker enqueues them when entries wait or a checkpoint
is due; each places or signs once, however often it runs."""

from datetime import timedelta

import pytest
import time_machine
from django.test import RequestFactory
from django.utils import timezone

from audit import services as audit_services
from audit.models import Action, Subject
from ledger import sequencer, tasks
from ledger.models import Checkpoint, Leaf, Pending
from tests.factories import ChildFactory
from tests.ledger_data import verify_log

pytestmark = pytest.mark.django_db


def look(user, child):
    request = RequestFactory().get("/children/")
    request.user = user
    audit_services.access_record(request=request, action=Action.VIEW, subject=Subject.CHILD, target=child)


def test_entries_waiting_are_placed_by_the_task_and_a_second_run_places_nothing(practitioner):
    child = ChildFactory(agency=practitioner.membership.agency)
    look(practitioner, child)
    look(practitioner, child)
    # In a test's transaction nothing is placed on commit: the entries wait, as for the worker.
    assert sequencer.entries_waiting()
    waiting = Pending.objects.count()
    assert tasks.place_entries.enqueue().return_value == waiting
    assert not sequencer.entries_waiting()
    assert tasks.place_entries.enqueue().return_value == 0
    assert list(Leaf.objects.order_by("position").values_list("position", flat=True)) == list(range(waiting))


def test_a_checkpoint_is_due_once_the_tree_grew_and_signed_once(practitioner, settings):
    child = ChildFactory(agency=practitioner.membership.agency)
    look(practitioner, child)
    tasks.place_entries.enqueue()
    assert sequencer.checkpoint_due()
    size = tasks.sign_checkpoint.enqueue().return_value
    assert size == Leaf.objects.count()
    assert not sequencer.checkpoint_due()
    assert tasks.sign_checkpoint.enqueue().return_value is None
    assert Checkpoint.objects.count() == 1

    look(practitioner, child)
    tasks.place_entries.enqueue()
    # The tree grew, but the last checkpoint is younger than LEDGER_CHECKPOINT_SECONDS: not yet.
    assert not sequencer.checkpoint_due()
    with time_machine.travel(timezone.now() + timedelta(seconds=settings.LEDGER_CHECKPOINT_SECONDS + 1)):
        assert sequencer.checkpoint_due()
        tasks.sign_checkpoint.enqueue()
    assert Checkpoint.objects.count() == 2
    report = verify_log()
    assert report.intact, report.first_problem
