"""On PostgreSQL, verification has the database make and hash most records' canonical content
(``ledger.in_database``). Its bytes must be those ``canonical_bytes`` makes of ``ledger_document_of``,
record by record and for awkward values, or an intact log would be checked again in Python (slowly), and
a record whose columns were changed must never match its entry."""

from datetime import UTC, datetime

import pytest
from django.db import connection

from audit.models import AccessEvent
from ledger import canonical, history, in_database, verification
from ledger.models import LedgerRecord
from sharing.models import SharingDecision
from tests.ledger.attack_data import recompute_entries, sql, unguarded
from tests.ledger.test_verification_every_kind import seed
from tests.ledger_data import verify_log

pytestmark = pytest.mark.owner_only(
    reason="plays someone who edits the database as its owner: drops the triggers, rewrites rows"
)
on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="the database makes content on PostgreSQL")


@pytest.fixture
def seeded(db, settings, tmp_path):
    seed(settings, tmp_path)


def python_content(record) -> bytes:
    document = record.ledger_document() if isinstance(record, LedgerRecord) else history.document(record)
    return canonical.canonical_bytes(document)


def checked_whole(model) -> int | None:
    return in_database.DatabaseDocument(model).check(None, None)


def database_contents(model) -> dict[str, bytes]:
    """{primary key: the content the database makes} of every record of a kind."""
    document = in_database.DatabaseDocument(model)
    pk = in_database._quoted(model, model._meta.pk.name)
    with connection.cursor() as cursor:
        table = connection.ops.quote_name(model._meta.db_table)
        cursor.execute(
            f"SELECT ({pk})::text, '{{' || {document.content} || '}}' FROM {table}",  # noqa: S608 (names quoted by quote_name)
            document.params,
        )
        return {row[0]: row[1].encode() for row in cursor.fetchall()}


@on_postgresql
def test_the_database_makes_the_bytes_python_makes_for_every_kind_it_makes(seeded):
    made_here = [model for model in verification.ledger_models() if in_database.DatabaseDocument(model).content]
    # Every kind: if one fell back to Python, verification would be slower without any other test failing.
    assert made_here == verification.ledger_models()
    for model in made_here:
        made = database_contents(model)
        for record in model.objects.all():
            assert made[str(record.pk)] == python_content(record), f"{model._meta.label} {record.pk}"
        assert checked_whole(model) == model.objects.count()


@on_postgresql
@pytest.mark.parametrize(
    "text",
    [
        'a "quoted" word, a back\\slash and a solidus /',
        "lines\nand\ttabs\r, a bell \x07, \x01 and \x1f, DEL \x7f",
        "é, ß, 漢字, 🙂, a line separator \u2028 and a BOM \ufeff",
        "",
    ],
)
def test_text_is_escaped_as_json_escapes_it(seeded, text):
    event = AccessEvent.objects.order_by("-id").first()
    unguarded(lambda: sql("UPDATE audit_accessevent SET detail = %s WHERE id = %s", [text, event.pk]))
    assert checked_whole(AccessEvent) is None, "changed: no longer matches"
    unguarded(recompute_entries)
    event.refresh_from_db()
    assert database_contents(AccessEvent)[str(event.pk)] == python_content(event)


@on_postgresql
@pytest.mark.parametrize(
    ("address", "when"),
    [
        ("2001:db8::1", datetime(999, 7, 1, 9, 5, 7, 120, tzinfo=UTC)),
        ("::ffff:192.0.2.1", datetime(2026, 1, 2, tzinfo=UTC)),
        ("10.1.0.0/16", datetime(1, 1, 1, tzinfo=UTC)),
        (None, datetime(9999, 12, 31, 23, 59, 59, 999999, tzinfo=UTC)),
    ],
)
def test_addresses_and_times_are_written_as_python_reads_them(seeded, address, when):
    event = AccessEvent.objects.order_by("-id").first()
    unguarded(
        lambda: sql(
            "UPDATE audit_accessevent SET ip_address = %s, occurred_at = %s WHERE id = %s", [address, when, event.pk]
        )
    )
    unguarded(recompute_entries)
    event = AccessEvent.objects.get(pk=event.pk)
    assert database_contents(AccessEvent)[str(event.pk)] == python_content(event)


@on_postgresql
def test_a_changed_answer_is_found_and_named(seeded):
    decision = SharingDecision.objects.order_by("recorded_at").first()
    answer = decision.answers.order_by("position").last()
    unguarded(lambda: sql("UPDATE sharing_decisionanswer SET question_wording = 'x' WHERE id = %s", [answer.pk]))
    assert checked_whole(SharingDecision) is None
    report = verify_log()
    assert report.first_problem.where.endswith(f"(decision {decision.pk})")


def test_sqlite_is_left_to_python(db):
    if connection.vendor == "postgresql":
        pytest.skip("SQLite only")
    assert in_database.DatabaseDocument(AccessEvent).content is None


@on_postgresql
def test_a_kind_too_large_to_join_at_once_is_checked_in_stretches(seeded, monkeypatch):
    """Beyond WHOLE_KIND_MOST records a kind is cut into stretches, each record's entry looked up: the stretches
    cover every record, and a change in one of them is found and named."""
    monkeypatch.setattr(in_database, "WHOLE_KIND_MOST", 10)
    stretches = verification._stretches(AccessEvent, 15, AccessEvent.objects.count())
    assert len(stretches) > 2
    document = in_database.DatabaseDocument(AccessEvent)
    assert sum(document.check(after, until) for _, after, until in stretches) == (AccessEvent.objects.count())
    assert verify_log().intact
    event = AccessEvent.objects.order_by("id").values_list("pk", flat=True)[20]
    unguarded(lambda: sql("UPDATE audit_accessevent SET detail = 'changed' WHERE id = %s", [event]))
    found = [document.check(after, until) for _, after, until in stretches]
    assert found.count(None) == 1
    assert verify_log().first_problem.where.endswith(f"(access {event})")


def test_the_largest_kinds_are_checked_first(seeded):
    """The workers share the cores: the kind with the most bytes to read (on SQLite, records) is started
    first, not left to run alone at the end."""

    def size(model) -> int:
        if connection.vendor != "postgresql":
            return model.objects.count()
        tables = [model._meta.db_table] + [
            model._meta.get_field(name).related_model._meta.db_table for name in getattr(model, "ledger_parts", ())
        ]
        with connection.cursor() as cursor:
            cursor.execute("SELECT " + " + ".join(["pg_table_size(%s::regclass)"] * len(tables)), tables)
            return cursor.fetchone()[0]

    sizes = {model._meta.label: size(model) for model in verification.ledger_models()}
    jobs = verification._jobs()
    assert sorted(label for label, _, _ in jobs) == sorted(sizes)
    assert [sizes[label] for label, _, _ in jobs] == sorted(sizes.values(), reverse=True)
