"""A recorded decision cannot be changed or removed: the model, the admin and
the database itself refuse."""

import pytest
from django.db import DatabaseError, connection, models, transaction
from django.urls import reverse

from sharing import immutability
from sharing.models import Addendum, DecisionAnswer, ImmutableRecordError, SharingDecision
from sharing.services import addendum_add
from tests.factories import ChildFactory
from tests.sharing.recorded import record_decision


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


def test_the_triggers_exist_after_migrating(db):
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT tgrelid::regclass::text FROM pg_trigger WHERE NOT tgisinternal")
        else:
            cursor.execute("SELECT tbl_name FROM sqlite_master WHERE type = 'trigger'")
        tables = [row[0] for row in cursor.fetchall()]
    for table in immutability.IMMUTABLE_TABLES:
        assert tables.count(table) == 2, f"{table} lacks its triggers: {tables}"


def test_the_admin_shows_decisions_read_only(client, platform_admin, decision):
    client.force_login(platform_admin)
    url = reverse("admin:sharing_sharingdecision_change", args=[decision.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert b'name="reasons"' not in page.content
    client.post(url, {"reasons": "Rewritten"})
    decision.refresh_from_db()
    assert decision.reasons != "Rewritten"
    assert client.get(reverse("admin:sharing_sharingdecision_delete", args=[decision.pk])).status_code == 403
    assert client.get(reverse("admin:sharing_sharingdecision_add")).status_code == 403
