"""The sequencer: committed entries get consecutive positions, nobody waits for it, a killed one loses nothing."""

import html
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import psycopg2
import pytest
from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection, connections
from django.test import RequestFactory
from django.urls import reverse

from audit import services as audit_services
from audit.models import Action, Subject
from ledger import merkle, sequencer
from ledger.models import Checkpoint, Entry, Leaf, Node, Pending, TreeHead
from tests.factories import ChildFactory
from tests.ledger_data import seal, verify_log
from tests.sharing.recorded import record_decision

ROOT = Path(__file__).resolve().parents[2]

postgresql_only = pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="advisory locks and concurrent writers: PostgreSQL",
)


def look(user, child):
    request = RequestFactory().get("/children/")
    request.user = user
    return audit_services.access_record(request=request, action=Action.VIEW, subject=Subject.CHILD, target=child)


def other_connection():
    """A second session on the test database, as another process would have."""
    params = connection.get_connection_params()
    return psycopg2.connect(**{key: params[key] for key in ("dbname", "user", "host", "port") if key in params})


def positions() -> list[int]:
    return list(Leaf.objects.order_by("position").values_list("position", flat=True))


def test_entries_wait_until_sequenced_then_take_consecutive_positions(transactional_db, practitioner, settings):
    child = ChildFactory(agency=practitioner.membership.agency)
    placed = Leaf.objects.count()  # the staff and the child's change history, sequenced as they were written
    assert placed == Entry.objects.count() > 0
    settings.LEDGER_SEQUENCE_ON_COMMIT = False
    for _ in range(5):
        look(practitioner, child)
    assert Pending.objects.count() == Entry.objects.count() - placed == 5
    assert sequencer.sequence(limit=3, sign=False) == 3
    assert sequencer.sequence(sign=False) == 2
    assert positions() == list(range(placed + 5))
    assert list(TreeHead.objects.order_by("size").values_list("size", flat=True))[-2:] == [placed + 3, placed + 5]
    assert not Pending.objects.exists()


def test_placing_what_waits_takes_one_batch_when_less_than_a_batch_waits(
    transactional_db, practitioner, settings, monkeypatch
):
    """After a logged page, one transaction places its entry: none more only to find the queue empty."""
    child = ChildFactory(agency=practitioner.membership.agency)
    settings.LEDGER_SEQUENCE_ON_COMMIT = False
    monkeypatch.setattr(sequencer, "BATCH", 3)
    for _ in range(7):
        look(practitioner, child)
    batches = []
    place = sequencer.sequence
    monkeypatch.setattr(sequencer, "sequence", lambda **kwargs: batches.append(place(**kwargs)) or batches[-1])
    sequencer.sequence_waiting()
    assert batches == [3, 3, 1]
    assert not Pending.objects.exists()
    look(practitioner, child)
    sequencer.sequence_waiting()
    assert batches[3:] == [1]


def _log_rows_read_placing() -> int:
    """How many rows of the log PostgreSQL reads to find the leaf hashes of what waits (EXPLAIN ANALYZE of
    the sequencer's own query, run as it runs it)."""
    sql, params = sequencer._waiting()[: sequencer.BATCH].query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql, params)
        plan = cursor.fetchone()[0]  # psycopg2 reads a json column as Python

    def rows(node: dict) -> int:
        own = node["Actual Rows"] * node["Actual Loops"] if node.get("Relation Name") == "ledger_entry" else 0
        return own + sum(rows(child) for child in node.get("Plans", ()))

    return rows(plan[0]["Plan"])


@postgresql_only
def test_placing_one_entry_reads_one_row_of_the_log_however_long_it_is(transactional_db, practitioner, settings):
    """The queue is emptied as fast as it fills, so the statistics PostgreSQL keeps of it count the rows it
    held when last analysed. Joined to the log with those, the sequencer read the log's index from its first
    entry to its newest on every logged page."""
    child = ChildFactory(agency=practitioner.membership.agency)
    settings.LEDGER_SEQUENCE_ON_COMMIT = False
    for _ in range(1500):
        look(practitioner, child)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE ledger_pending")
        cursor.execute("ANALYZE ledger_entry")
    sequencer.sequence_waiting()
    assert not Pending.objects.exists()
    look(practitioner, child)
    assert Entry.objects.count() > 1500
    assert _log_rows_read_placing() == 1
    assert sequencer.sequence(sign=False) == 1


def test_batches_store_each_leaf_and_every_complete_subtree_as_the_tree_computes_them(
    transactional_db, practitioner, settings
):
    child = ChildFactory(agency=practitioner.membership.agency)
    settings.LEDGER_SEQUENCE_ON_COMMIT = False
    for _ in range(13):
        look(practitioner, child)
    while sequencer.sequence(limit=4, sign=False):
        pass
    leaves = list(Leaf.objects.order_by("position").values_list("position", "entry_id", "entry__leaf_hash"))
    assert [leaf[1] for leaf in leaves] == list(Entry.objects.order_by("id").values_list("id", flat=True))
    assert [leaf[0] for leaf in leaves] == list(range(len(leaves)))
    levels = merkle.subtree_levels([bytes.fromhex(leaf[2]) for leaf in leaves])
    expected = {
        (level, index, node.hex()) for level in range(1, len(levels)) for index, node in enumerate(levels[level])
    }
    assert set(Node.objects.values_list("level", "index", "hash")) == expected
    head = TreeHead.objects.order_by("-size").first()
    assert (head.size, head.root) == (len(leaves), merkle.root_at(levels, len(leaves)).hex())
    assert not Pending.objects.exists()


def test_a_page_is_sent_before_its_access_event_is_placed(transactional_db, practitioner_client, practitioner):
    """The server writes the page, then closes the response (request_finished): only then are entries placed."""
    child = ChildFactory(agency=practitioner.membership.agency)
    cookie = "; ".join(f"{name}={morsel.value}" for name, morsel in practitioner_client.cookies.items())
    environ = RequestFactory()._base_environ(
        PATH_INFO=reverse("oversight:child_detail", args=[child.pk]), REQUEST_METHOD="GET", HTTP_COOKIE=cookie
    )
    placed = Leaf.objects.count()
    started = []
    response = WSGIHandler()(environ, lambda status, headers: started.append(status))
    page = b"".join(response)
    assert started == ["200 OK"] and html.escape(child.family_name).encode() in page
    assert Pending.objects.count() == 1, "the page's access event waits while the page is sent"
    response.close()
    assert not Pending.objects.exists()
    assert Leaf.objects.count() == Entry.objects.count() == placed + 1


def test_a_checkpoint_is_signed_at_most_every_few_seconds_and_witnessed(transactional_db, practitioner, settings):
    settings.LEDGER_CHECKPOINT_SECONDS = 3600
    child = ChildFactory(agency=practitioner.membership.agency)
    look(practitioner, child)
    assert Checkpoint.objects.count() == 1, "the first batch is signed at once"
    look(practitioner, child)
    assert Checkpoint.objects.count() == 1, "the next waits for the interval"
    assert Pending.objects.count() == 0, "but it is in the tree already"
    seal()
    assert Checkpoint.objects.count() == 2
    witnessed = sorted(Path(settings.LEDGER_WITNESS_DIR).glob("checkpoints-*.jsonl"))
    assert len(witnessed) == 1 and len(witnessed[0].read_text().splitlines()) == 2


@postgresql_only
def test_a_sequencer_never_waits_for_another(transactional_db, practitioner):
    child = ChildFactory(agency=practitioner.membership.agency)
    other = other_connection()
    try:
        with other.cursor() as cursor:
            cursor.execute("BEGIN; SELECT pg_advisory_xact_lock(%s)", [sequencer.ADVISORY_LOCK])
        started = time.monotonic()
        look(practitioner, child)  # writes, then tries to sequence after commit
        assert sequencer.sequence() is None, "another sequencer holds the lock: this one gives up at once"
        assert time.monotonic() - started < 5
        assert Pending.objects.count() >= 1, "the entry waits for whoever runs next"
    finally:
        other.rollback()
        other.close()
    sequencer.sequence_waiting()
    assert not Pending.objects.exists()


@postgresql_only
def test_eight_writers_at_once_get_positions_without_gaps_or_repeats(transactional_db, practitioner):
    child = ChildFactory(agency=practitioner.membership.agency)
    errors = []

    def write(number):
        try:
            for count in range(15):
                look(practitioner, child)
                if count % 5 == 0:
                    record_decision(user=practitioner, child=child)
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connections.close_all()

    writers = [threading.Thread(target=write, args=(number,)) for number in range(8)]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join(timeout=120)
    assert not errors, errors
    seal()
    entries = Entry.objects.count()
    assert entries >= 8 * 18
    assert positions() == list(range(entries))
    assert not Pending.objects.exists()
    report = verify_log()
    assert report.intact, report.first_problem
    assert report.size == entries


@postgresql_only
def test_a_sequencer_killed_mid_batch_loses_nothing_and_the_next_carries_on(transactional_db, practitioner, settings):
    settings.LEDGER_SEQUENCE_ON_COMMIT = False
    child = ChildFactory(agency=practitioner.membership.agency)
    placed = Leaf.objects.count()
    for _ in range(20):
        look(practitioner, child)
    waiting = Pending.objects.count()
    assert waiting >= 20
    blocker = other_connection()
    env = {
        **os.environ,
        "DEBUG": "true",
        "DATABASE_URL": "postgres://{user}@{host}:{port}/{name}".format(
            user=connection.settings_dict["USER"] or "postgres",
            host=connection.settings_dict["HOST"] or "127.0.0.1",
            port=connection.settings_dict["PORT"] or 5432,
            name=connection.settings_dict["NAME"],
        ),
        "LEDGER_SIGNING_KEY_FILE": settings.LEDGER_SIGNING_KEY_FILE,
        "LEDGER_WITNESS_DIR": settings.LEDGER_WITNESS_DIR,
        "PGAPPNAME": "sequencer-to-kill",
    }
    process = None
    try:
        with blocker.cursor() as cursor:
            # Reads go on, inserts into the tree heads wait: the sequencer places the leaves, then stops there.
            cursor.execute("BEGIN; LOCK TABLE ledger_treehead IN SHARE MODE")
        process = subprocess.Popen(
            [sys.executable, "manage.py", "ledger", "sequence"], cwd=ROOT, env=env, stdout=subprocess.PIPE
        )
        backend = _wait_for_backend_waiting_on_a_lock(process, "sequencer-to-kill")
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
        with blocker.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [backend])
    finally:
        blocker.rollback()
        blocker.close()
        if process and process.poll() is None:
            process.kill()
    _wait_until_gone("sequencer-to-kill")
    assert Leaf.objects.count() == placed, "the killed batch left nothing placed"
    assert Pending.objects.count() == waiting, "and nothing lost"
    seal()
    assert positions() == list(range(Entry.objects.count()))
    assert verify_log().intact


def _wait_for_backend_waiting_on_a_lock(process, application: str) -> int:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert process.poll() is None, f"the sequencer ended: {process.communicate()}"
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pid, query FROM pg_stat_activity WHERE application_name = %s AND wait_event_type = 'Lock'",
                [application],
            )
            row = cursor.fetchone()
        if row:
            assert "ledger_treehead" in row[1], row[1]
            return row[0]
        time.sleep(0.1)
    raise AssertionError("the sequencer never reached the tree heads")


def _wait_until_gone(application: str) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE application_name = %s", [application])
            if cursor.fetchone()[0] == 0:
                return
        time.sleep(0.1)
    raise AssertionError("the killed sequencer's session is still there")


def test_settings_used_by_the_sequencer_have_working_defaults():
    assert settings.LEDGER_CHECKPOINT_SECONDS > 0
    assert settings.LEDGER_ORIGIN
