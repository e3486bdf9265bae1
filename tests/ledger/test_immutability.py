"""A record written once cannot be changed or removed: the model, the admin and
the database itself refuse, whatever the statement: UPDATE, DELETE, TRUNCATE,
an upsert (INSERT ... ON CONFLICT DO UPDATE), and on SQLite REPLACE and
INSERT OR REPLACE, tried with the sqlite3 shell on a migrated database file
as someone at the server would."""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.db import DatabaseError, connection, models, transaction
from django.utils import timezone

from ledger import immutability
from ledger.immutability import MESSAGE, immutable_tables
from ledger.models import Entry, ImmutableRecordError, Node
from sharing.models import Addendum, DecisionAnswer, SharingDecision
from sharing.services import addendum_add
from tests.factories import ChildFactory
from tests.sharing.recorded import record_decision

SQLITE3 = "/usr/bin/sqlite3"
ROOT = Path(settings.BASE_DIR)

on_sqlite = pytest.mark.skipif(
    connection.vendor != "sqlite",
    reason="REPLACE, INSERT OR REPLACE and the sqlite3 shell are SQLite's; this run is on PostgreSQL",
)
on_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL's triggers and TRUNCATE; this run is on SQLite"
)


@pytest.fixture
def decision(practitioner, agency):
    return record_decision(user=practitioner, child=ChildFactory(agency=agency))


def refused_by_database(statement, params=()):
    with pytest.raises(DatabaseError) as raised, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement, params)
    assert "cannot be changed or deleted" in str(raised.value)


def test_the_model_refuses_to_save_changes(decision):
    decision.reasons = "Rewritten"
    with pytest.raises(ImmutableRecordError):
        decision.save()


def test_the_model_refuses_to_delete(decision):
    with pytest.raises(ImmutableRecordError):
        decision.delete()


def test_querysets_refuse_updates_and_deletes(decision):
    with pytest.raises(ImmutableRecordError):
        SharingDecision.objects.filter(pk=decision.pk).update(reasons="Rewritten")
    with pytest.raises(ImmutableRecordError):
        DecisionAnswer.objects.filter(decision=decision).delete()


def plain_queryset(model):
    """A queryset without the model's own refusal, as other code might use."""
    return models.QuerySet(model)


def test_the_database_refuses_an_update_that_gets_past_the_model(decision):
    with pytest.raises(DatabaseError), transaction.atomic():
        plain_queryset(SharingDecision).filter(pk=decision.pk).update(reasons="Rewritten")
    with pytest.raises(DatabaseError), transaction.atomic():
        plain_queryset(DecisionAnswer).filter(decision=decision).update(answers={})


def test_the_database_refuses_a_delete_that_gets_past_the_model(decision):
    with pytest.raises(DatabaseError), transaction.atomic():
        plain_queryset(DecisionAnswer).filter(decision=decision)._raw_delete(connection.alias)


@pytest.mark.owner_only(
    reason="shows the trigger's own refusal; the service's role is refused before, by its privileges"
)
@pytest.mark.parametrize("table", ["sharing_sharingdecision", "sharing_decisionanswer", "sharing_addendum"])
def test_raw_sql_updates_and_deletes_are_refused(decision, practitioner, table):
    addendum_add(decision=decision, user=practitioner, text="A later note.")
    column = {"sharing_sharingdecision": "reasons", "sharing_decisionanswer": "paragraphs", "sharing_addendum": "text"}
    refused_by_database(f"UPDATE {table} SET {column[table]} = 'x'")  # noqa: S608 - fixed table names
    refused_by_database(f"DELETE FROM {table}")  # noqa: S608
    assert SharingDecision.objects.count() == 1
    assert Addendum.objects.get().text == "A later note."


def test_emptying_a_table_is_refused(transactional_db, decision):
    # PostgreSQL's TRUNCATE skips row triggers, so it has its own; SQLite has
    # no TRUNCATE, and empties a table with an unqualified DELETE. Committed
    # rows (transactional_db): PostgreSQL refuses TRUNCATE of rows with
    # pending constraint checks for its own reasons.
    emptying = (
        "TRUNCATE sharing_decisionanswer CASCADE"
        if connection.vendor == "postgresql"
        else ("DELETE FROM sharing_decisionanswer")
    )
    refused_by_database(emptying)
    assert DecisionAnswer.objects.filter(decision=decision).exists()


TRIGGERS = {
    "postgresql": ("{table}_immutable_rows", "{table}_immutable_truncate"),
    "sqlite": ("{table}_no_update", "{table}_no_delete", "{table}_no_replace"),
}


def test_the_triggers_exist_after_migrating(db):
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT tgrelid::regclass::text, tgname FROM pg_trigger "
                "WHERE NOT tgisinternal AND tgfoid = 'ledger_refuse_change'::regproc"
            )
        else:
            cursor.execute("SELECT tbl_name, name FROM sqlite_master WHERE type = 'trigger'")
        triggers = set(cursor.fetchall())
    assert len(immutable_tables()) >= 20
    for table in immutable_tables():
        expected = {(table, name.format(table=table)) for name in TRIGGERS[connection.vendor]}
        assert expected <= triggers, f"{table} lacks its triggers: {sorted(expected - triggers)}"


def test_every_table_written_once_has_a_model_that_refuses_too():
    models_by_table = {model._meta.db_table: model for model in apps.get_models()}
    for table in immutable_tables():
        model = models_by_table[table]
        assert model.objects.none().__class__.__name__ == "ImmutableQuerySet" or table.split("_")[1].startswith(
            "historical"
        ), table


# A row in every table written once, written as the service writes them.


def write_every_kind():
    """At least one row in every table of immutable_tables(), through the service code; then sealed.

    Used in this process (the test database) and in a subprocess writing a
    migrated SQLite file for the sqlite3 shell.
    """
    from datetime import timedelta

    from audit.models import Action, Subject
    from audit.services import access_record
    from bundles.models import Kind
    from delivery import services as delivery_services
    from exchange import services as exchange_services
    from exchange.models import RequestStatus
    from ledger import services as ledger
    from ledger.models import Disposal
    from records.roles import Role
    from sharing.models import LegalBasis, ReviewOutcome
    from sharing.services import review_record
    from subject_access import services as subject_access_services
    from tests.advice.asked import answer, ask
    from tests.bundles.bundle_data import made_by
    from tests.consent.consent_data import record_consent
    from tests.delivery.sent import send
    from tests.exchange.recorded import disclose, log_request
    from tests.exchange.through_service_data import matched_and_declined, sent_about
    from tests.factories import AgencyFactory, RelationshipFactory, StaffMembershipFactory
    from tests.ledger_data import seal
    from tests.sharing.recorded import complete_draft
    from tests.subject_access.sar_data import request_about

    agency = AgencyFactory(name="Eastmoor Children's Services")
    practitioner = StaffMembershipFactory(agency=agency, role=Role.PRACTITIONER).user
    lead = StaffMembershipFactory(agency=agency, role=Role.SAFEGUARDING_LEAD).user
    child = RelationshipFactory(child__agency=agency).child
    LegalBasis.objects.create(code="immutability-test", label="A legal basis written in the test", position=99)
    decision = record_decision(user=practitioner, child=child)
    addendum_add(decision=decision, user=practitioner, text="A later note.")
    review_record(decision=decision, user=lead, outcome=ReviewOutcome.AGREE)
    record_consent(user=practitioner, child=child)
    disclosure = disclose(practitioner, decision, informed=False)
    exchange_services.follow_up_record(
        user=practitioner,
        disclosure=disclosure,
        details=exchange_services.FollowUpDetails(
            informed=False,
            informed_on=None,
            informed_by="",
            reasons="Still at risk",
            reconsider_on=timezone.localdate() + timedelta(days=7),
        ),
    )
    answer(lead, ask(practitioner, complete_draft(user=practitioner, child=child)))
    request = log_request(practitioner, child, days_ago=1)
    exchange_services.request_outcome_record(
        user=practitioner,
        information_request=request,
        closing=exchange_services.ClosingDetails(outcome=RequestStatus.WITHDRAWN, reasons="No longer needed."),
    )
    # Requests sent through this service to another agency: one matched there, one not a child they know.
    asked = StaffMembershipFactory(agency=AgencyFactory(), role=Role.PRACTITIONER).user
    matched_and_declined(sent_about(practitioner, child, asked.agency), by=asked)
    exchange_services.sent_request_not_known(
        user=asked, sent_request=sent_about(practitioner, child, asked.agency), reason="Not known to us."
    )
    # A disclosure sent through this service: opened, acknowledged and asked about by the agency it went to.
    sent = send(practitioner, record_decision(user=practitioner, child=child), to_agency=asked.agency, to_person=asked)
    delivery_services.delivery_open(user=asked, delivery=sent)
    delivery_services.delivery_acknowledge(user=asked, delivery=sent)
    delivery_services.thread_write(user=asked, delivery=sent, text="A question.")
    access_record(request=None, action=Action.VIEW, subject=Subject.CHILD, target=child, user=practitioner)
    made_by(lead, child, kinds=[Kind.CONSENTS])
    subject_access_services.subject_access_release(
        user=lead,
        subject_access_request=request_about(lead=lead, child=child),
        answer=subject_access_services.Answer(
            pdf=b"%PDF-1.4\n%%EOF\n", records=[], redaction_log=[], redaction_ids=frozenset()
        ),
        approver_redacted=False,
    )
    ledger.append(
        Disposal(
            entry=Entry.objects.order_by("id").first(),
            disposed_at=timezone.now(),
            rule="written by the immutability test",
            disposed_by="the test suite",
        )
    )
    seal()
    models_by_table = {model._meta.db_table: model for model in apps.get_models()}
    empty = [table for table in immutable_tables() if not models_by_table[table]._base_manager.exists()]
    assert not empty, f"nothing was written to {empty}"


# An upsert, on both databases.


def _models_by_table():
    return {model._meta.db_table: model for model in apps.get_models()}


def _row(table: str, key_column: str, key) -> tuple:
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {quote(table)} WHERE {quote(key_column)} = %s", [key])  # noqa: S608
        return cursor.fetchone()


def refused(raised) -> bool:
    """The trigger's message; as the service's role (no UPDATE privilege), PostgreSQL refuses before the trigger."""
    if os.environ.get("TEST_DATABASE_ROLE") == "service":
        return "permission denied" in str(raised.value)
    return MESSAGE in str(raised.value)


def test_an_upsert_is_refused_on_every_table_written_once(db):
    write_every_kind()
    quote = connection.ops.quote_name
    for table, model in sorted((table, _models_by_table()[table]) for table in immutable_tables()):
        key = model._meta.pk.column
        columns = [field.column for field in model._meta.concrete_fields]
        changed = next(column for column in columns if column != key)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {quote(key)} FROM {quote(table)} ORDER BY 1 LIMIT 1")  # noqa: S608
            (existing,) = cursor.fetchone()
        before = _row(table, key, existing)
        listed = ", ".join(quote(column) for column in columns)
        # Table and column names come from the models.
        upsert = (
            f"INSERT INTO {quote(table)} ({listed}) SELECT {listed} FROM {quote(table)} "  # noqa: S608
            f"WHERE {quote(key)} = %s ON CONFLICT ({quote(key)}) "
            f"DO UPDATE SET {quote(changed)} = EXCLUDED.{quote(changed)}"
        )
        with pytest.raises(DatabaseError) as raised, transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(upsert, [existing])
        assert refused(raised), (table, str(raised.value))
        assert _row(table, key, existing) == before, table


def test_an_upsert_through_the_orm_is_refused(db, decision):
    from tests.ledger_data import seal

    seal()
    node = Node.objects.order_by("level", "index").first()
    rewritten = Node(level=node.level, index=node.index, hash="0" * 64)
    with pytest.raises(DatabaseError) as raised, transaction.atomic():
        Node.objects.bulk_create(
            [rewritten], update_conflicts=True, unique_fields=["level", "index"], update_fields=["hash"]
        )
    assert refused(raised), str(raised.value)
    assert Node.objects.get(pk=node.pk).hash == node.hash


# The sqlite3 shell on a migrated database file, as someone at the server would use it.


def _environment(database: Path) -> dict[str, str]:
    environment = {key: value for key, value in os.environ.items() if key != "TEST_DATABASE_ROLE"}
    environment.update(
        DATABASE_URL=f"sqlite:///{database}",
        DEBUG="true",
        DJANGO_SETTINGS_MODULE="config.settings",
        LEDGER_SIGNING_KEY_FILE=str(database.parent / "ledger-signing.key"),
        LEDGER_WITNESS_DIR=str(database.parent / "witness"),
        LEDGER_SEQUENCE_ON_COMMIT="false",
        PRIVATE_MEDIA_ROOT=str(database.parent / "private"),
    )
    return environment


def _run(command: list[str], environment: dict[str, str]) -> None:
    done = subprocess.run(command, cwd=ROOT, env=environment, capture_output=True, text=True, timeout=600, check=False)  # noqa: S603
    assert done.returncode == 0, f"{command[:3]} failed:\n{done.stdout}\n{done.stderr}"


@pytest.fixture(scope="module")
def database_file(tmp_path_factory):
    """A SQLite file migrated by manage.py, with a row in every table written once."""
    if connection.vendor != "sqlite":
        pytest.skip("the sqlite3 shell works on SQLite files; this run is on PostgreSQL")
    if not Path(SQLITE3).exists():
        pytest.fail(f"{SQLITE3} is missing: apt-get install sqlite3")
    database = tmp_path_factory.mktemp("shell") / "db.sqlite3"
    environment = _environment(database)
    _run([sys.executable, "manage.py", "migrate", "--no-input", "-v0"], environment)
    _run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); "
            "from tests.ledger.test_immutability import write_every_kind; write_every_kind()",
        ],
        environment,
    )
    return database


def shell(database: Path, statement: str) -> subprocess.CompletedProcess:
    """The statement typed into the sqlite3 shell (its defaults: no recursive triggers, no foreign keys)."""
    return subprocess.run(  # noqa: S603
        [SQLITE3, str(database)], input=statement + "\n", capture_output=True, text=True, timeout=60, check=False
    )


class Table:
    """One table of the file, as the shell sees it: its columns, and the first row."""

    def __init__(self, database: Path, name: str):
        self.name = name
        with sqlite3.connect(database) as reading:
            info = reading.execute(f'PRAGMA table_info("{name}")').fetchall()
            self.columns = [row[1] for row in info]
            self.key = next(row[1] for row in info if row[5] == 1)
            foreign = {row[3] for row in reading.execute(f'PRAGMA foreign_key_list("{name}")')}
            unique = set()
            for index in reading.execute(f'PRAGMA index_list("{name}")').fetchall():
                if index[2]:  # unique
                    unique |= {row[2] for row in reading.execute(f'PRAGMA index_info("{index[1]}")')}
            self.rowid = reading.execute(f'SELECT min(rowid) FROM "{name}"').fetchone()[0]  # noqa: S608
            # A text column a rewrite would change, if the table has one that is neither key nor reference.
            self.rewritten = next(
                (
                    row[1]
                    for row in info
                    if row[2].lower().startswith(("varchar", "text"))
                    and row[1] not in unique | foreign | {self.key}
                    and "json" not in row[1]
                ),
                None,
            )
        assert self.rowid is not None, f"{name} has no row to try to replace"

    def row(self, database: Path):
        with sqlite3.connect(database) as reading:
            return reading.execute(f'SELECT * FROM "{self.name}" WHERE rowid = ?', [self.rowid]).fetchone()  # noqa: S608

    def replacing(self, verb: str) -> str:
        listed = ", ".join(f'"{column}"' for column in self.columns)
        values = ", ".join(
            f"\"{column}\" || ' (rewritten)'" if column == self.rewritten else f'"{column}"' for column in self.columns
        )
        return f'{verb} INTO "{self.name}" ({listed}) SELECT {values} FROM "{self.name}" WHERE rowid = {self.rowid};'  # noqa: S608


def refused_by_the_shell(database: Path, table: Table, statement: str, operation: str) -> None:
    before = table.row(database)
    done = shell(database, statement)
    assert done.returncode != 0, f"the shell ran {statement!r}: {done.stdout}"
    assert f"{operation} on {table.name}: {MESSAGE}" in done.stderr, done.stderr
    assert table.row(database) == before, f"{statement!r} changed the row"


@on_sqlite
@pytest.mark.parametrize("verb", ["REPLACE", "INSERT OR REPLACE"])
def test_the_sqlite3_shell_cannot_replace_a_row_of_any_table_written_once(database_file, verb):
    for name in immutable_tables():
        table = Table(database_file, name)
        refused_by_the_shell(database_file, table, table.replacing(verb), "REPLACE")


@on_sqlite
def test_the_sqlite3_shell_cannot_update_or_delete_a_row_of_any_table_written_once(database_file):
    for name in immutable_tables():
        table = Table(database_file, name)
        column = table.rewritten or table.key
        update = f'UPDATE "{name}" SET "{column}" = "{column}" WHERE rowid = {table.rowid};'  # noqa: S608
        refused_by_the_shell(database_file, table, update, "UPDATE")
        delete = f'DELETE FROM "{name}" WHERE rowid = {table.rowid};'  # noqa: S608
        refused_by_the_shell(database_file, table, delete, "DELETE")
        refused_by_the_shell(database_file, table, f'DELETE FROM "{name}";', "DELETE")  # noqa: S608


@on_sqlite
def test_the_sqlite3_shell_cannot_upsert_a_row_of_any_table_written_once(database_file):
    for name in immutable_tables():
        table = Table(database_file, name)
        column = table.rewritten or next(column for column in table.columns if column != table.key)
        upsert = table.replacing("INSERT").rstrip(";") + (
            f' ON CONFLICT ("{table.key}") DO UPDATE SET "{column}" = excluded."{column}";'
        )
        refused_by_the_shell(database_file, table, upsert, "REPLACE")


@on_sqlite
@pytest.mark.parametrize(
    ("table", "columns"),
    [
        # A new id, and the same (kind, record_id): the entry of a record replaced by another.
        ("ledger_entry", ["kind", "record_id", "content_sha256", "appended_at", "leaf_hash"]),
        # A new id, and the same (level, index): a subtree's hash replaced.
        ("ledger_node", ["level", "index", "hash"]),
    ],
)
def test_replace_meeting_a_row_on_another_unique_column_is_refused(database_file, table, columns):
    table = Table(database_file, table)
    listed = ", ".join(f'"{column}"' for column in columns)
    changed = ", ".join(
        f'"{column}"' if column in ("kind", "record_id", "level", "index", "appended_at") else "'0'"
        for column in columns
    )
    with sqlite3.connect(database_file) as reading:
        count = reading.execute(f'SELECT count(*) FROM "{table.name}"').fetchone()[0]  # noqa: S608
    statement = (
        f'REPLACE INTO "{table.name}" ({listed}) SELECT {changed} FROM "{table.name}" WHERE rowid = {table.rowid};'  # noqa: S608
    )
    refused_by_the_shell(database_file, table, statement, "REPLACE")
    with sqlite3.connect(database_file) as reading:
        assert reading.execute(f'SELECT count(*) FROM "{table.name}"').fetchone()[0] == count  # noqa: S608


@on_sqlite
def test_a_new_row_is_still_written_by_the_shell(database_file):
    """The refusal is of meeting an existing row, not of inserting: the log can still grow."""
    done = shell(database_file, "INSERT INTO ledger_node (level, \"index\", hash) VALUES (40, 0, 'new');")
    assert done.returncode == 0, done.stderr
    with sqlite3.connect(database_file) as reading:
        assert reading.execute('SELECT hash FROM ledger_node WHERE level = 40 AND "index" = 0').fetchone() == ("new",)


@on_postgres
@pytest.mark.owner_only(
    reason="shows the trigger's own refusal; the service's role is refused before, by its privileges"
)
def test_the_triggers_refuse_even_the_owner_and_name_the_table(db, decision):
    """The function behind every trigger answers with SQLSTATE 42501 and the table's name."""
    with pytest.raises(DatabaseError) as raised, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE sharing_sharingdecision SET reasons = 'x'")
    assert f"UPDATE on sharing_sharingdecision: {MESSAGE}" in str(raised.value)
    assert raised.value.__cause__.pgcode == "42501"


@on_postgres
def test_immutability_sql_is_the_ledgers(db):
    assert "ledger_refuse_change()" in immutability.POSTGRES_FUNCTION
