"""Two application servers on one PostgreSQL, directly and through PgBouncer in transaction pooling mode
(issue 20, ADR 29): nothing but the database is shared. One person's requests alternate between the two, as
a load balancer without sticky sessions sends them; the sign-in, the session, the draft of a decision, its
one-use submission key, the sign-in lockout, background tasks and the ledger's sequencer all hold across
them, and one instance lost at once loses nothing the other cannot carry on."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from importlib import import_module
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings as django_settings
from django.db import connection
from django_tasks_db.models import DBTaskResult

from bench.client import sign_in
from bench.flow import flow_answers, walk_decision
from bench.server import PGBOUNCER, PgBouncer
from ledger import roles
from ledger.models import Entry, Leaf, Pending
from notifications.models import Kind, Notification
from records.roles import Role
from sharing.models import DecisionDraft, SharingDecision
from tests.factories import PASSWORD, ChildFactory, StaffMembershipFactory
from tests.ledger_data import verify_log
from tests.page_text import reader_text
from tests.reliability.instances import Instance, LoadBalanced, instances_environment
from worker.models import WorkerHeartbeat

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="several servers share a served database"),
]


def _wait(condition, what: str, instances, seconds: float = 60):
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}, not within {seconds} s\n" + "\n".join(i.logs() for i in instances))
        time.sleep(0.2)


# The reference data a migration puts in (the legal bases offered on question 1): a transactional test ends by
# emptying every table, so it is put back first, as a migrated database would have it.
SHARING_REFERENCE_DATA = import_module("sharing.migrations.0002_immutability_chain_head_legal_bases")


@pytest.fixture
def service_role(transactional_db):
    """The least-privilege role the servers run as (docs/operations.md), made for this test and dropped after."""
    SHARING_REFERENCE_DATA.seed_legal_bases(apps, None)
    name = f"test_service_{uuid.uuid4().hex[:8]}"
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        owner = cursor.fetchone()[0]
    roles.apply(connection, owner=owner, service=name)
    yield name
    with connection.cursor() as cursor:
        cursor.execute(f"DROP OWNED BY {connection.ops.quote_name(name)}")
        cursor.execute(f"DROP ROLE {connection.ops.quote_name(name)}")


@pytest.fixture(params=["direct", "pgbouncer"])
def database_url(request, service_role):
    params = connection.settings_dict
    host, port, name = params["HOST"] or "127.0.0.1", int(params["PORT"] or 5432), params["NAME"]
    if request.param == "direct":
        yield f"postgres://{service_role}@{host}:{port}/{name}", "session"
        return
    if not os.path.exists(PGBOUNCER):
        pytest.fail("pgbouncer is not installed (Debian's pgbouncer: .ci/run installs it)")
    # A folder of its own outside the test's, which only root may enter: PgBouncer runs as another user.
    folder = Path(tempfile.mkdtemp(prefix="pgbouncer-"))
    bouncer = PgBouncer(folder, users=[service_role], host=host, port=port)
    try:
        yield f"postgres://{service_role}@127.0.0.1:{bouncer.port}/{name}", "transaction"
    finally:
        bouncer.stop()
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def instances(database_url, tmp_path, settings):
    url, pool_mode = database_url
    ledger = {
        "LEDGER_SIGNING_KEY_FILE": str(settings.LEDGER_SIGNING_KEY_FILE),
        "LEDGER_WITNESS_DIR": str(settings.LEDGER_WITNESS_DIR),
        "LEDGER_ORIGIN": settings.LEDGER_ORIGIN,
    }
    env = instances_environment(url, ledger=ledger, pool_mode=pool_mode)
    started = [Instance(name, env, tmp_path / name) for name in ("server-a", "server-b")]
    try:
        for instance in started:
            instance.wait_ready()
        yield started
    finally:
        for instance in started:
            instance.stop()


def _person(agency, role, settings):
    """Someone who signs in to the servers, whose password is hashed as production hashes it (not as the
    suite's fast hasher, which the servers do not know)."""
    user = StaffMembershipFactory(agency=agency, role=role).user
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    user.set_password(PASSWORD)
    user.save(update_fields=["password"])
    return user


def test_two_servers_share_nothing_but_the_database_and_one_lost_loses_nothing(
    transactional_db, instances, agency, database_url, settings
):
    a, b = instances
    url, pool_mode = database_url
    practitioner = _person(agency, Role.PRACTITIONER, settings)
    lead = StaffMembershipFactory(agency=agency, role=Role.SAFEGUARDING_LEAD).user
    child = ChildFactory(agency=agency)
    browser = LoadBalanced([a.port, b.port], "practitioner")

    # Signed in through both (the password on one, the authenticator set up on the other): one session.
    sign_in(browser, practitioner.email, PASSWORD, None)
    home = browser.follow("/")
    assert practitioner.full_name in reader_text(home.body)
    assert set(browser.served_by) == {a.port, b.port}

    # A form with a one-use key sent twice, to each server once: recorded once, the second shown the first.
    start = f"/children/{child.pk}/decisions/start/"
    browser.get(start)
    key = browser.submission_keys[start]
    first = browser.post(start, {"direction": "proposing"})
    browser.submission_keys[start] = key
    again = browser.post(start, {"direction": "proposing"})
    assert again.location == first.location
    assert DecisionDraft.objects.filter(child=child).count() == 1

    # A decision, every page of it sent to the other server than the last: the draft is the database's.
    steps, _ = walk_decision(browser, str(child.pk), flow_answers())
    assert all(response.status in (200, 302) for step in steps for response in step)
    assert SharingDecision.objects.filter(child=child).count() == 1
    assert "Decision recorded" in reader_text(steps[-1][-1].body)

    # The lead is told by a background task that one of the two workers ran, once.
    _wait(
        lambda: Notification.objects.filter(recipient=lead, kind=Kind.DECISION_TO_REVIEW).exists(),
        "the lead told of the decision to review",
        instances,
    )
    delivered = DBTaskResult.objects.filter(task_path="notifications.tasks.notifications_deliver")
    assert [len(task.worker_ids) for task in delivered] == [1] * delivered.count()
    assert set(WorkerHeartbeat.objects.values_list("worker_id", flat=True)) == {"server-a", "server-b"}

    # Sign-in failures counted together wherever they land: the limit locks the address out of both.
    stranger = LoadBalanced([a.port, b.port], "someone guessing")
    stranger.get("/accounts/login/")
    wrong = {"username": practitioner.email, "password": "not-the-password"}
    for _ in range(django_settings.AXES_FAILURE_LIMIT - 1):
        stranger.post("/accounts/login/", wrong, (200,))
    refused = stranger.post("/accounts/login/", wrong, (429,))  # the limit reached, on one server or the other
    assert "You cannot sign in for now" in reader_text(refused.body)
    # Then the right password is refused too, by both.
    stranger.post("/accounts/login/", {"username": practitioner.email, "password": PASSWORD}, (429,))
    stranger.post("/accounts/login/", {"username": practitioner.email, "password": PASSWORD}, (429,))
    assert set(stranger.served_by) == {a.port, b.port}

    # Every entry both wrote is placed in the one tree, without gaps or repeats, and the log verifies.
    _wait(lambda: not Pending.objects.exists(), "every entry placed in the tree", instances)
    positions = list(Leaf.objects.order_by("position").values_list("position", flat=True))
    assert positions == list(range(Entry.objects.count()))
    report = verify_log()
    assert report.intact, report.problems

    # A sequencer in the middle of a batch: it holds the lock, so nobody else places anything meanwhile.
    holder = subprocess.Popen(  # noqa: S603
        [sys.executable, "-c", HOLD_THE_LOCK],
        env={**a.environment, "DATABASE_URL": url, "DATABASE_POOL_MODE": pool_mode},
        cwd=django_settings.BASE_DIR,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "holding", "the stand-in sequencer did not take the lock"
        browser.get(f"/children/{child.pk}/")  # a look at the child's page: its access event waits
        browser.get(f"/children/{child.pk}/")
        time.sleep(2)  # the workers try every second; the lock refuses them
        assert Pending.objects.exists(), "placed while another held the sequencer's lock"
    finally:
        holder.kill()  # it dies mid-batch: its transaction, and the lock with it, end with its connection
        holder.wait(10)
    _wait(lambda: not Pending.objects.exists(), "the entries placed once the holder died", instances)

    # Server A lost at once (every process killed); the load balancer sends everything to B, which carries on.
    a.kill()
    browser.only(b.port)
    walk_decision(browser, str(child.pk), flow_answers())
    assert SharingDecision.objects.filter(child=child).count() == 2
    _wait(lambda: not Pending.objects.exists(), "server B's entries placed", [b])
    positions = list(Leaf.objects.order_by("position").values_list("position", flat=True))
    assert positions == list(range(Entry.objects.count()))
    report = verify_log()
    assert report.intact, report.problems


# Takes the ledger's sequencer lock as a sequencer does (when no other has it), says so, and waits to be killed.
HOLD_THE_LOCK = """
import os, time
import django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()
from django.db import transaction
from ledger import sequencer
while True:
    with transaction.atomic():
        if sequencer._lock():
            print("holding", flush=True)
            time.sleep(600)
    time.sleep(0.05)
"""
