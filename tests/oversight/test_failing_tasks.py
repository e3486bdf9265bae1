"""The lead's "For review" shows background tasks failing, by kind and how many, and a worker not running;
nothing of what any task was about (ADR 23)."""

from datetime import timedelta

import pytest
from django.tasks import TaskResultStatus
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from tests.page_text import page_text
from tests.worker.tasks_data import DATABASE, fails_until_attempt, use_tasks
from worker import selectors, status

pytestmark = pytest.mark.django_db

HEADING = "Work the service does in the background is failing"


def failing(*, state, about="Zebedee Quillfeather"):
    """A task with a child's name among its arguments, failed for good or waiting to be tried again."""
    result = fails_until_attempt.enqueue(succeeds_on=99)
    DBTaskResult.objects.filter(pk=result.id).update(
        status=state,
        args_kwargs={"args": [], "kwargs": {"succeeds_on": 99, "about": about}},
        exception_class_path="smtplib.SMTPServerDisconnected",
        traceback=f"SMTPServerDisconnected: while sending about {about}",
        finished_at=timezone.now() if state == TaskResultStatus.FAILED else None,
        worker_ids=["w"],
    )


def for_review(client) -> str:
    return page_text(client.get(reverse("oversight:dashboard")))


def test_the_lead_sees_which_kinds_of_task_fail_and_how_many_without_what_they_were_about(lead_client, settings):
    use_tasks(settings, DATABASE)
    failing(state=TaskResultStatus.FAILED)
    failing(state=TaskResultStatus.FAILED)
    failing(state=TaskResultStatus.READY)
    fails_until_attempt.enqueue(succeeds_on=1)  # waiting for its first run: not failing
    # What the worker writes every few seconds (worker.runner.Housekeeping).
    status.write(selectors.failing_tasks())

    page = for_review(lead_client)

    assert HEADING in page
    assert "Background tasks failing, by kind" in page
    assert "Fails until attempt\n2\n1" in page
    assert "not running" not in page
    # A name no factory gives anyone (the lead's own name is on every page).
    assert "Zebedee" not in page and "Quillfeather" not in page
    assert "SMTP" not in page


def test_a_worker_not_heard_from_is_said_to_be_so(lead_client, settings):
    use_tasks(settings, DATABASE)
    assert "The background worker is not running." in for_review(lead_client)
    status.write([], now=timezone.now() - timedelta(seconds=settings.TASKS_WORKER_LOST_SECONDS + 1))
    assert "The background worker has not been heard from since" in for_review(lead_client)


def test_nothing_is_said_while_a_worker_runs_and_no_task_fails(lead_client, settings):
    use_tasks(settings, DATABASE)
    fails_until_attempt.enqueue(succeeds_on=1)
    status.write(selectors.failing_tasks())
    assert HEADING not in for_review(lead_client)
