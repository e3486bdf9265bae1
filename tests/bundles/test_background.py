"""A bundle is made in the background (ADR 21 and 23): the page records what was asked for and the worker makes
it; the child's list says "Being made", then "Ready" with its download, or "Could not be made" and what to do.
However often its task runs, one bundle is made and entered in the log."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.tasks import TaskResultStatus
from django.urls import reverse
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult

from bundles import services, tasks
from bundles.models import Bundle, BundleOrder, Kind, Purpose
from ledger.models import Entry
from notifications.models import Kind as NotificationKind
from tests.bundles.bundle_data import REASON, RECIPIENT, bundle_post, download, every_kind
from tests.ledger_data import seal
from tests.notifications.notified_data import told
from tests.page_text import page_text
from tests.pdf_data import downloaded_pdf
from tests.worker.tasks_data import DATABASE, run_ready_tasks, use_tasks

ROOT = Path(django_settings.BASE_DIR)


@pytest.fixture
def records(practitioner, lead):
    made = every_kind(practitioner=practitioner, lead=lead)
    seal()
    return made


@pytest.fixture
def queued(settings, monkeypatch):
    """Tasks wait in the database's queue (django-tasks-db) until a worker runs them."""
    use_tasks(settings, DATABASE)
    # The worker in this process drops connections it thinks stale: here that would be the test's transaction.
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)


def _list_text(client, child) -> str:
    return page_text(client.get(reverse("bundles:list", args=[child.pk])))


def _ask(client, child, **choices):
    response = client.post(reverse("bundles:make", args=[child.pk]), bundle_post(**choices))
    assert response.status_code == 302, response.content[:2000]
    assert response.url == reverse("bundles:list", args=[child.pk])


def test_a_bundle_asked_for_is_being_made_until_the_worker_has_made_it(
    queued, lead_client, lead, records, django_capture_on_commit_callbacks
):
    _ask(lead_client, records.child, kinds=(Kind.CONSENTS, Kind.DECISIONS))
    assert not Bundle.objects.exists(), "made while the lead waited"
    text = _list_text(lead_client, records.child)
    assert "A bundle is being made" in text
    assert "Being made" in text
    assert "Refresh this page to see if it is ready." in text
    assert "Download" not in text

    with django_capture_on_commit_callbacks(execute=True):  # as the worker's commit would
        run_ready_tasks()
    run_ready_tasks()  # and the notification it enqueued
    bundle = Bundle.objects.get()
    text = _list_text(lead_client, records.child)
    assert "being made" not in text.lower()
    assert "Ready" in text and "Download (" in text, text
    assert f"SHA-256 {bundle.pdf_sha256}" in text
    pages = downloaded_pdf(download(lead_client, bundle), filename=f"bundle-{bundle.pk}.pdf")
    assert records.consent.responder_name in " ".join(pages)
    # The lead who asked is told it is ready, and the notification leads to the child's bundles.
    assert told(lead_client, lead, NotificationKind.BUNDLE_READY) == [reverse("bundles:list", args=[records.child.pk])]


def test_a_bundle_whose_task_runs_twice_is_made_once(queued, lead_client, records, settings):
    _ask(lead_client, records.child, kinds=(Kind.CONSENTS,))
    order = BundleOrder.objects.get()
    # Enqueued twice (by mistake, or run again after its worker was lost): one bundle, one file, one entry.
    tasks.bundle_order_make.enqueue(order_id=str(order.pk))
    run_ready_tasks()
    runs = DBTaskResult.objects.filter(task_path=tasks.bundle_order_make.module_path)
    assert sorted(run.return_value for run in runs) == ["made", "made already"]
    bundle = Bundle.objects.get()
    order.refresh_from_db()
    assert order.bundle == bundle
    assert Entry.objects.filter(kind="bundle", record_id=str(bundle.pk)).count() == 1
    kept = list((Path(settings.PRIVATE_MEDIA_ROOT) / "bundles").iterdir())
    assert [path.name for path in kept] == [Path(bundle.pdf.name).name]


def test_a_second_run_that_printed_before_the_first_committed_keeps_nothing(lead, records, settings, monkeypatch):
    """Two runs at once: both print, the second to commit finds the bundle made and removes its own file."""
    choices = services.BundleChoices(
        purpose=Purpose.COURT, recipient=RECIPIENT, reason=REASON, period_start=None, period_end=None,
        kinds=(Kind.CONSENTS,),
    )  # fmt: skip
    order = services._order_record(user=lead, child=records.child, choices=choices)
    made_meanwhile = []
    real_pdf = services.bundle_pdf
    runs = []

    def printing_while_another_run_commits(**kwargs):
        printed = real_pdf(**kwargs)
        runs.append(1)
        if len(runs) == 1:  # the first run, printed: the second runs from start to end meanwhile
            made_meanwhile.append(services.bundle_order_make(order_id=order.pk))
        return printed

    monkeypatch.setattr(services, "bundle_pdf", printing_while_another_run_commits)
    assert services.bundle_order_make(order_id=order.pk) is None
    bundle = Bundle.objects.get()
    assert made_meanwhile == [bundle]
    kept = list((Path(settings.PRIVATE_MEDIA_ROOT) / "bundles").iterdir())
    assert [path.name for path in kept] == [Path(bundle.pdf.name).name]


def test_a_bundle_whose_task_fails_for_good_could_not_be_made_and_says_what_to_do(
    lead_client, lead, records, settings, monkeypatch, django_capture_on_commit_callbacks
):
    def out_of_memory(**kwargs):
        raise MemoryError("the worker ran out of memory")

    monkeypatch.setattr(services, "bundle_pdf", out_of_memory)
    with django_capture_on_commit_callbacks(execute=True):
        _ask(lead_client, records.child)  # tasks run as they are enqueued: one attempt, failed for good
    assert not Bundle.objects.exists()
    assert BundleOrder.objects.get().failed_at is not None
    text = _list_text(lead_client, records.child)
    assert "Could not be made" in text
    assert "It failed each time it was tried; nothing was kept or entered in the log." in text
    assert "Make the bundle again" in text
    assert told(lead_client, lead, NotificationKind.BUNDLE_NOT_MADE) == [
        reverse("bundles:list", args=[records.child.pk])
    ]
    assert "being made" not in text.lower()
    assert not (Path(settings.PRIVATE_MEDIA_ROOT) / "bundles").exists() or not any(
        (Path(settings.PRIVATE_MEDIA_ROOT) / "bundles").iterdir()
    )


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a served database: PostgreSQL")
def test_a_real_worker_makes_the_bundle_asked_for(transactional_db, lead_client, records, settings, tmp_path):
    """The database backend and a `manage.py worker` process of its own, as `make run` starts it."""
    use_tasks(settings, DATABASE)
    var = tmp_path / "var"
    settings.PRIVATE_MEDIA_ROOT = var / "private"  # where the worker keeps the PDF
    _ask(lead_client, records.child, kinds=(Kind.CONSENTS,))
    order = BundleOrder.objects.get()
    assert not order.is_ready
    params = connection.settings_dict
    user, host, port = params["USER"] or "postgres", params["HOST"] or "127.0.0.1", params["PORT"] or 5432
    environment = {
        **os.environ,
        "DATABASE_URL": f"postgres://{user}@{host}:{port}/{params['NAME']}",
        "DEBUG": "true",
        "VAR_DIR": str(var),
        "CONN_MAX_AGE": "0",
        "TASKS_BACKEND": "database",
        "LEDGER_SIGNING_KEY_FILE": str(settings.LEDGER_SIGNING_KEY_FILE),
        "LEDGER_WITNESS_DIR": str(settings.LEDGER_WITNESS_DIR),
        "LEDGER_ORIGIN": settings.LEDGER_ORIGIN,
    }
    log = (tmp_path / "worker.log").open("w")
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "worker", "--interval", "0.1"],
        cwd=ROOT,
        env=environment,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        # The worker writes the bundle, then marks its task finished in a transaction of its own: it is
        # stopped only once both are done, or it would be killed between the two.
        deadline = time.monotonic() + 120
        while not (
            BundleOrder.objects.filter(pk=order.pk, bundle__isnull=False).exists()
            and DBTaskResult.objects.filter(
                task_path=tasks.bundle_order_make.module_path, finished_at__isnull=False
            ).exists()
        ):
            assert time.monotonic() < deadline, (tmp_path / "worker.log").read_text()[-3000:]
            time.sleep(0.2)
    finally:
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(timeout=30)
    bundle = Bundle.objects.get()
    # The task the worker ran is the one the page enqueued, and it finished at its first attempt.
    finished = DBTaskResult.objects.get(task_path=tasks.bundle_order_make.module_path)
    outcome = (finished.status, len(finished.worker_ids))
    assert outcome == (TaskResultStatus.SUCCESSFUL, 1), (finished.traceback, (tmp_path / "worker.log").read_text())
    assert "Ready" in _list_text(lead_client, records.child)
    downloaded_pdf(download(lead_client, bundle), filename=f"bundle-{bundle.pk}.pdf")
