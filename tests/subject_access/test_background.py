"""A release is made in the background once a lead approves it (ADR 22 and 23): the approval is recorded at
once and closes the request; the request's page says the release is being made, then offers its download, or
says it could not be made and lets it be approved again. However often its task runs, one release is written."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.urls import reverse
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult

from ledger.models import Entry
from notifications.models import Kind as NotificationKind
from notifications.models import Notification
from records.roles import Role
from subject_access import releasing, services, tasks
from subject_access.models import ReleaseApproval, SubjectAccessRelease
from tests.factories import ChildFactory, StaffMembershipFactory
from tests.notifications.notified_data import told
from tests.page_text import page_text
from tests.subject_access.sar_data import approved, redact_words, request_about
from tests.worker.tasks_data import DATABASE, run_ready_tasks, use_tasks


@pytest.fixture
def child(agency):
    return ChildFactory(agency=agency, given_name="Ellie", family_name="Hughes")


@pytest.fixture
def second_lead(agency):
    return StaffMembershipFactory(agency=agency, role=Role.SAFEGUARDING_LEAD, user__full_name="Priya Shah").user


@pytest.fixture
def queued(settings, monkeypatch):
    use_tasks(settings, DATABASE)
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)


def _detail(client, recorded) -> str:
    return page_text(client.get(reverse("subject_access:detail", args=[recorded.pk])))


def test_an_approved_release_is_being_made_then_downloads(
    queued, client, lead, second_lead, child, django_capture_on_commit_callbacks
):
    recorded = request_about(lead=lead, child=child)
    redact_words(recorded, user=lead, words="Ellie")
    client.force_login(second_lead)
    assert approved(client, recorded).is_released is False
    assert ReleaseApproval.objects.filter(request=recorded, approved_by=second_lead).exists()
    text = _detail(client, recorded)
    assert "Approved: the release is being made" in text
    assert "Being made The PDF to release is being made" in text
    assert "Priya Shah approved the release on" in text
    assert "Refresh this page to see if it is ready to download." in text
    assert "Download the PDF released" not in text
    # Closed to changes from the moment it is approved.
    assert client.get(reverse("subject_access:extend", args=[recorded.pk])).status_code == 302
    with pytest.raises(services.AlreadyReleased):
        redact_words(recorded, user=lead, words="Hughes")

    with django_capture_on_commit_callbacks(execute=True):  # as the worker's commit would
        run_ready_tasks()
    run_ready_tasks()  # and the notification it enqueued
    release = SubjectAccessRelease.objects.get(request=recorded)
    assert (release.approver_name, release.approver_redacted) == ("Priya Shah", False)
    text = _detail(client, recorded)
    assert "being made" not in text.lower()
    assert "Download the PDF released" in text
    response = client.get(reverse("subject_access:release_pdf", args=[release.pk]))
    assert response.status_code == 200
    # The lead who approved it is told it is ready, once, and the notification leads to the request's page.
    detail = reverse("subject_access:detail", args=[recorded.pk])
    assert told(client, second_lead, NotificationKind.RELEASE_READY) == [detail]
    assert not Notification.objects.filter(recipient=lead).exists()


def test_a_release_whose_task_runs_twice_is_written_once(queued, client, lead, second_lead, child, settings):
    recorded = request_about(lead=lead, child=child)
    client.force_login(second_lead)
    approved(client, recorded)
    approval = ReleaseApproval.objects.get()
    tasks.release_make.enqueue(approval_id=approval.pk)
    run_ready_tasks()
    runs = DBTaskResult.objects.filter(task_path=tasks.release_make.module_path)
    assert sorted(run.return_value for run in runs) == ["released", "released already"]
    release = SubjectAccessRelease.objects.get()
    assert Entry.objects.filter(kind="subject access release", record_id=str(release.pk)).count() == 1
    kept = list((Path(settings.PRIVATE_MEDIA_ROOT) / "subject-access").iterdir())
    assert [path.name for path in kept] == [Path(release.pdf.name).name]


def test_a_release_that_could_not_be_made_says_so_and_is_approved_again(
    client, lead, second_lead, child, monkeypatch, django_capture_on_commit_callbacks
):
    recorded = request_about(lead=lead, child=child)
    client.force_login(second_lead)

    def broken(**kwargs):
        raise MemoryError("the worker ran out of memory")

    with monkeypatch.context() as patched:
        patched.setattr(releasing, "release_pdf", broken)
        with django_capture_on_commit_callbacks(execute=True):
            approved(client, recorded)  # tasks run as they are enqueued: one attempt, failed for good
    assert not SubjectAccessRelease.objects.exists()
    text = _detail(client, recorded)
    assert "Approved: the release could not be made" in text
    assert "Could not be made" in text
    assert "nothing was released, kept or entered in the log. Approve it again below" in text
    assert "Read the release and approve it" in text
    detail = reverse("subject_access:detail", args=[recorded.pk])
    assert told(client, second_lead, NotificationKind.RELEASE_NOT_MADE) == [detail]

    assert approved(client, recorded).is_released
    assert ReleaseApproval.objects.get().failed_at is None
    assert "Download the PDF released" in _detail(client, recorded)
