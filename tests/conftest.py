import inspect
import os
import secrets
from pathlib import Path

import pytest
from django.db import connection
from django.db.backends.postgresql.operations import DatabaseOperations as PostgresOperations
from django.db.backends.sqlite3.base import DatabaseWrapper as SQLiteDatabase
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import selectors as account_selectors
from ledger import immutability, note
from records.roles import Role
from tests.factories import AgencyFactory, StaffMembershipFactory, UserFactory
from tests.migrated_template import migrated_template
from tests.random_seed import pytest_report_header as seed_header
from tests.random_seed import pytest_runtest_makereport, test_data_seeded  # noqa: F401
from tests.worker.tasks_data import IMMEDIATE, reset_task_backends, use_tasks


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def tasks_run_at_once(settings, tmp_path):
    """Background tasks run as they are enqueued, inside the test (Django's ImmediateBackend); a test of the
    queue itself switches to the database backend (tests/worker/tasks_data.py). The worker's status file
    is the test's own."""
    use_tasks(settings, IMMEDIATE)
    settings.TASKS_STATUS_FILE = tmp_path / "worker-status.json"
    yield
    reset_task_backends()


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    """Uploaded files go to a folder of the test's own."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return settings.PRIVATE_MEDIA_ROOT


@pytest.fixture(autouse=True)
def ledger_of_its_own(settings, tmp_path):
    """Each test signs with the suite's key and witnesses into a folder of its own,
    so no test's checkpoints are held against another's database."""
    settings.LEDGER_WITNESS_DIR = str(tmp_path / "witness")
    settings.LEDGER_SIGNING_KEY_FILE = str(_suite_signing_key(tmp_path))
    return settings


_SUITE_KEY = []


def _suite_signing_key(tmp_path):
    # One key for the whole run, made once (generating is cheap, but a cached signer per path is not).
    if not _SUITE_KEY:
        path = tmp_path.parent / "ledger-signing.key"
        if not path.exists():
            note.generate_key_file(path)
        _SUITE_KEY.append(path)
    return _SUITE_KEY[0]


@pytest.fixture(autouse=True)
def two_factor_as_in_production(settings):
    """The suite runs with the production default, whatever the shell says:
    everyone signs in with a second factor."""
    settings.TWO_FACTOR = "everyone"


@pytest.fixture(autouse=True)
def force_login_includes_the_second_factor(monkeypatch):
    """``client.force_login(user)`` stands for a completed sign-in; for someone
    who needs a second factor, that includes it: they have an authenticator
    app and the session is verified with it. The sign-in steps themselves go
    through the real pages in tests/accounts."""
    password_only = Client.force_login

    def force_login(self, user, backend=None):
        password_only(self, user, backend)
        if account_selectors.second_step_for(user) is None:
            return
        device = account_selectors.authenticator_for(user) or TOTPDevice.objects.create(
            user=user, name="Authenticator app", confirmed=True
        )
        session = self.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()

    monkeypatch.setattr(Client, "force_login", force_login)


@pytest.fixture
def agency(db):
    return AgencyFactory(name="Northgate Children's Services")


@pytest.fixture
def other_agency(db):
    return AgencyFactory(name="Southvale Police")


def _member(agency, role, **kwargs):
    return StaffMembershipFactory(agency=agency, role=role, **kwargs).user


@pytest.fixture
def practitioner(agency):
    return _member(agency, Role.PRACTITIONER)


@pytest.fixture
def lead(agency):
    return _member(agency, Role.SAFEGUARDING_LEAD, job_title="Designated safeguarding lead")


@pytest.fixture
def agency_admin(agency):
    return _member(agency, Role.AGENCY_ADMIN, job_title="Business support")


@pytest.fixture
def other_practitioner(other_agency):
    return _member(other_agency, Role.PRACTITIONER)


@pytest.fixture
def platform_admin(db):
    return UserFactory(is_staff=True, is_superuser=True, full_name="Platform Administrator")


@pytest.fixture
def practitioner_client(client, practitioner):
    client.force_login(practitioner)
    return client


@pytest.fixture
def lead_client(client, lead):
    client.force_login(lead)
    return client


@pytest.fixture
def admin_client_agency(client, agency_admin):
    client.force_login(agency_admin)
    return client


@pytest.fixture
def platform_client(client, platform_admin):
    client.force_login(platform_admin)
    return client


@pytest.fixture(autouse=True)
def _release_immutable_tables_for_flush(request):
    """A transactional test ends by emptying every table, which the
    immutability triggers rightly refuse. Such tests get the triggers at the
    start and lose them just before that flush; tests in a transaction (the
    rest) always have them, from the migrations."""
    if "transactional_db" not in request.fixturenames:
        yield
        return
    request.getfixturevalue("transactional_db")
    immutability.install(connection)
    yield
    immutability.remove(connection)


# What a transactional test's flush leaves in place: the content types and permissions, which Django's
# post_migrate signal writes back straight after every flush (0.3 s a test on PostgreSQL); left, it
# finds them there. They are the models', not any test's.
KEPT_BY_FLUSH = frozenset({"django_content_type", "auth_permission"})


def _flush_by_delete(operations, style, tables, *, reset_sequences=False, allow_cascade=False):
    """PostgreSQL emptied with DELETE: TRUNCATE gives each of some eighty tables a new file, about 0.4 s
    a transactional test even when they hold a few rows; DELETE takes 0.02. Every foreign key Django makes
    is checked at commit (DEFERRABLE INITIALLY DEFERRED), so the order of the tables does not matter."""
    if reset_sequences or not tables:
        return _TRUNCATE(operations, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade)
    # The tables' names come from the schema, never from input.
    deletes = [f"DELETE FROM {operations.quote_name(table)}" for table in tables]  # noqa: S608  # nosec B608
    return ["SET CONSTRAINTS ALL DEFERRED", *deletes]


_TRUNCATE = PostgresOperations.sql_flush
SQLiteOperations = SQLiteDatabase.ops_class


def _keeping_what_the_models_own(sql_flush):
    """``sql_flush`` for every table but those in KEPT_BY_FLUSH."""

    def flush(operations, style, tables, **options):
        return sql_flush(operations, style, [table for table in tables if table not in KEPT_BY_FLUSH], **options)

    return flush


@pytest.fixture(scope="session", autouse=True)
def _transactional_tests_empty_the_database_quickly():
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(PostgresOperations, "sql_flush", _keeping_what_the_models_own(_flush_by_delete))
        patch.setattr(SQLiteOperations, "sql_flush", _keeping_what_the_models_own(SQLiteOperations.sql_flush))
        yield


# The suite as the service's database role (make test-postgres, first pass; docs/operations.md, "Database roles").
# TEST_DATABASE_ROLE=service: the test database is created and migrated as the owner (the user of
# DATABASE_URL), then `database_roles` gives it a service role of its own and every test query runs as
# that role, which may only SELECT and INSERT on the tables written once.
SERVICE_ROLE = os.environ.get("TEST_DATABASE_ROLE", "") == "service"

TRANSACTIONAL = (
    "needs the owner's rights: a transactional test is emptied by TRUNCATE, with the immutability "
    "triggers dropped first, neither of which the service's role may do"
)
DROPS_TRIGGERS = (
    "needs the owner's rights: drops the immutability triggers to play someone who edits the database "
    "(the service's role cannot; tests/ledger/test_database_roles.py shows it)"
)
# What in a test's own source says it must be the tables' owner.
_OWNER_ONLY_SOURCE = ("immutability.remove(", "immutability.lifted(", "DISABLE TRIGGER", "session_replication_role")


# make test-postgres runs the suite in two passes: as the service's role (TEST_DATABASE_ROLE=service),
# then, as the owner, only the tests that need the owner's rights (TEST_DATABASE_ROLE=owner).
ROLE_PASS = os.environ.get("TEST_DATABASE_ROLE", "")
OWNER_PASS = ROLE_PASS == "owner"


def pytest_configure(config):
    if ROLE_PASS not in ("", "service", "owner"):
        raise pytest.UsageError(f"TEST_DATABASE_ROLE={ROLE_PASS!r}: leave it unset, or set it to 'service' or 'owner'")


def _owner_only_reason(item) -> str | None:
    marker = item.get_closest_marker("owner_only")
    if marker is not None:
        return marker.kwargs.get("reason") or (marker.args[0] if marker.args else "needs the owner's rights")
    django_db = item.get_closest_marker("django_db")
    transactional = django_db is not None and (
        django_db.kwargs.get("transaction") or (django_db.args and django_db.args[0])
    )
    if transactional or {"transactional_db", "live_server"} & set(getattr(item, "fixturenames", ())):
        return TRANSACTIONAL
    try:
        source = inspect.getsource(item.function)
    except (AttributeError, OSError, TypeError):
        return None
    if any(words in source for words in _OWNER_ONLY_SOURCE):
        return DROPS_TRIGGERS
    return None


# The fixtures through which a test reaches the test database.
_DATABASE_FIXTURES = frozenset(
    {"db", "transactional_db", "django_db_reset_sequences", "django_db_serialized_rollback", "live_server"}
)


def _uses_the_test_database(item) -> bool:
    return item.get_closest_marker("django_db") is not None or bool(
        _DATABASE_FIXTURES & set(getattr(item, "fixturenames", ()))
    )


def _runs_in_this_pass(item) -> bool:
    """Each test runs once per database that can change its answer (docs/adr/0019-test-runs.md): a test
    that never reaches the test database runs in the SQLite pass only, unless it is marked ``postgresql``
    (it uses PostgreSQL itself: a dump loaded into a database of its own). The reliability tests but the
    generated form posts (faults, concurrency, backups: ``make test-reliability``) run whole in the
    owner's pass, as they do on their own."""
    if _reliability_only(item):
        return OWNER_PASS
    if not _uses_the_test_database(item) and item.get_closest_marker("postgresql") is None:
        return False
    return (_owner_only_reason(item) is not None) == OWNER_PASS


TESTS = Path(__file__).resolve().parent
RELIABILITY = TESTS / "reliability"
# Generated posts to every form: in the service's pass, as the service's role.
FORM_POSTS = RELIABILITY / "test_forms_properties.py"


def _reliability_only(item) -> bool:
    path = Path(item.path)
    return RELIABILITY in path.parents and path != FORM_POSTS


# Tests that each start a browser journey, a server or a worker, taking 5 to 40 seconds apiece where most take
# a fraction of one (--durations in CI). They came at the end of a pass in the order of their files' names, and
# one test process went on with them for a minute and more while the other waited.
LONG = (
    TESTS / "browser",
    TESTS / "reliability" / "test_two_servers.py",
    TESTS / "reliability" / "test_worker_killed.py",
    TESTS / "reliability" / "test_backup_restore.py",
    TESTS / "reliability" / "test_sqlite_writers.py",
    TESTS / "reliability" / "test_concurrency.py",
)


def _first_the_longest_tests(items) -> None:
    """The tests at the top of tests/ (every page for every role, every page's queries), then the long ones
    above, come first: the short ones that follow fill in around them, and neither process waits long for the
    other at the end. pytest-django then puts them in Django's order, keeping this one within each group."""

    def rank(item) -> int:
        path = Path(item.path)
        if path.parent == TESTS:
            return 0
        return 1 if any(path == long or long in path.parents for long in LONG) else 2

    items.sort(key=rank)


@pytest.hookimpl(wrapper=True)
def pytest_collection_modifyitems(config, items):
    """The longest tests first, before pytest-django's stable sort into Django's order: tests in a transaction,
    then those that empty the database at their end (taking the legal bases and triggers the migrations put
    there), then those that never reach it. Then the service's pass leaves out the tests that need the owner's
    rights; the owner's pass runs only those. Neither runs a test that never reaches the test database, which
    the SQLite pass has run."""
    _first_the_longest_tests(items)
    yield
    if not (SERVICE_ROLE or OWNER_PASS):
        return
    kept, left_out = [], []
    for item in items:
        (kept if _runs_in_this_pass(item) else left_out).append(item)
    if left_out:
        config.hook.pytest_deselected(items=left_out)
        items[:] = kept


def pytest_report_header(config):
    lines = [seed_header(config)]
    if SERVICE_ROLE:
        lines.append(
            "database role: the service's; tests needing the owner's rights are left to TEST_DATABASE_ROLE=owner"
        )
    elif OWNER_PASS:
        lines.append("database role: the owner's, for only the tests that need the owner's rights")
    return lines


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings):
    """On PostgreSQL, each test database is a copy of one migrated once (tests/migrated_template.py)."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.postgresql":
        database.setdefault("TEST", {})["TEMPLATE"] = migrated_template(database)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    if not SERVICE_ROLE:
        yield
        return
    from django.db import connections

    from ledger import roles

    database = connections["default"]
    if database.vendor != "postgresql":
        pytest.exit("TEST_DATABASE_ROLE=service needs PostgreSQL (DATABASE_URL=postgres://...)", returncode=4)
    service = f"test_service_{secrets.token_hex(4)}"
    settings_dict = database.settings_dict
    owner_user, owner_password = settings_dict["USER"], settings_dict["PASSWORD"]
    with django_db_blocker.unblock():
        with database.cursor() as cursor:
            cursor.execute("SELECT current_user")
            owner = cursor.fetchone()[0]
        roles.apply(database, owner=owner, service=service)
        # A password of its own, so that the run works where the server asks for one, not only with trust.
        password = secrets.token_urlsafe(24)
        with database.cursor() as cursor:
            cursor.execute(f"ALTER ROLE {database.ops.quote_name(service)} PASSWORD %s", [password])
        connections.close_all()
    settings_dict["USER"], settings_dict["PASSWORD"] = service, password
    try:
        with django_db_blocker.unblock(), database.cursor() as cursor:
            cursor.execute("SELECT current_user")
            assert cursor.fetchone()[0] == service
        yield
    finally:
        with django_db_blocker.unblock():
            connections.close_all()
            settings_dict["USER"], settings_dict["PASSWORD"] = owner_user, owner_password
            with database.cursor() as cursor:
                cursor.execute(f"DROP OWNED BY {database.ops.quote_name(service)}")
                cursor.execute(f"DROP ROLE {database.ops.quote_name(service)}")
            connections.close_all()
