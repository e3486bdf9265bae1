"""Verification reads records back as rows, without the models: for every kind of
record in the log (every LedgerRecord model and every historical model), a
change in the database to any hashed column is named, with its position in the
log; and on PostgreSQL worker processes report what one process does."""

import json
import uuid
from datetime import UTC, date, datetime, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection, models, transaction

from audit.models import AccessEvent
from bundles.models import Kind
from delivery import services as delivery_services
from exchange import services as exchange_services
from ledger import disposal, history, immutability, verification
from ledger.fields import CanonicalJSONField, canonical_text
from ledger.models import Disposal, Entry, Leaf, LedgerRecord
from records.models import Child
from records.roles import Role
from sharing.models import DecisionAnswer, SharingDecision
from subject_access import services as subject_access_services
from tests.advice.asked import answer, ask
from tests.bundles.bundle_data import made_by
from tests.delivery.sent import send
from tests.factories import AgencyFactory, ChildFactory, StaffMembershipFactory
from tests.ledger_data import seal, verify_log
from tests.sharing.recorded import complete_draft, record_decision
from tests.subject_access.sar_data import request_about

pytestmark = pytest.mark.owner_only(
    reason="plays someone who edits the database as its owner: drops the triggers, rewrites rows"
)

CHANGED = "the record's content no longer matches its entry in the log"


def kind_of(model) -> str:
    return model.ledger_kind if issubclass(model, LedgerRecord) else history.kind_of(model)


def hashed_columns(model) -> tuple[str, ...]:
    return model.ledger_reads() if issubclass(model, LedgerRecord) else history.fields_of(model)


def seed(settings, tmp_path):
    """A small area from seed_scale, a disposal (the one kind it makes none of), all sealed."""
    settings.DEBUG = True
    call_command(
        "seed_scale",
        children=12,
        records=150,
        access_events=40,
        chronology_entries=10,
        fixture=tmp_path / "fixture.json",
        stdout=StringIO(),
        stderr=StringIO(),
    )
    disposal.record_dispose(
        record=AccessEvent.objects.order_by("id").first(), rule="Access log kept 7 years", disposed_by="Records team"
    )
    # Advice asked and given about a draft (seed_scale makes none).
    child = Child.objects.order_by("pk").first()
    practitioner = StaffMembershipFactory(agency=child.agency, role=Role.PRACTITIONER).user
    lead = StaffMembershipFactory(agency=child.agency, role=Role.SAFEGUARDING_LEAD).user
    answer(lead, ask(practitioner, complete_draft(user=practitioner, child=child)))
    # A bundle of the child's consents, its PDF kept (seed_scale makes none).
    made_by(lead, child, kinds=[Kind.CONSENTS])
    # A subject access request answered, its PDF kept (seed_scale makes none).
    subject_access_services.subject_access_release(
        user=lead,
        subject_access_request=request_about(lead=lead, child=child),
        answer=subject_access_services.Answer(
            pdf=b"%PDF-1.4\n%%EOF\n", records=[], redaction_log=[], redaction_ids=frozenset()
        ),
        approver_redacted=False,
    )
    # Requests sent through this service to another agency, one matched and one not known (seed_scale makes
    # none).
    asked = StaffMembershipFactory(agency=AgencyFactory(), role=Role.PRACTITIONER).user
    for matched in (True, False):
        sent = exchange_services.sent_request_send(
            user=practitioner,
            child=child,
            details=exchange_services.SentRequestDetails(
                to_agency=asked.agency, information_needed="Whether known", reason="A visit",
                intended_use="To plan it", others_to_tell="Nobody", risk_level="lower",
            ),
            two_factor=True,
        )  # fmt: skip
        if matched:
            exchange_services.sent_request_match(user=asked, sent_request=sent, child=ChildFactory(agency=asked.agency))
        else:
            exchange_services.sent_request_not_known(user=asked, sent_request=sent, reason="Not known to us")
    # A disclosure sent through this service, opened, acknowledged and asked about there (seed_scale makes none).
    delivered = send(practitioner, record_decision(user=practitioner, child=child), to_agency=asked.agency)
    received_by = StaffMembershipFactory(agency=asked.agency, role=Role.SAFEGUARDING_LEAD).user
    delivery_services.delivery_open(user=received_by, delivery=delivered)
    delivery_services.delivery_acknowledge(user=received_by, delivery=delivered)
    delivery_services.thread_write(user=received_by, delivery=delivered, text="A question.")
    for model in history.historical_models():
        if not model.objects.exists():
            # Made by a migration (the legal bases), never changed since: a change gives it its history.
            # (A transactional test's database has lost them to an earlier test's flush: none to change.)
            for row in model.instance_type.objects.order_by("pk")[:3]:
                row.save()
    seal()


@pytest.fixture
def seeded(db, settings, tmp_path):
    seed(settings, tmp_path)
    for model in verification.ledger_models():
        assert model.objects.exists(), f"no {model._meta.verbose_name} to change"
    if connection.vendor == "postgresql":
        # seed_scale checks foreign keys as it writes; an edit below may point one nowhere until rolled back.
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def changed(field: models.Field, value):
    """Another value the column can hold, as someone editing the database might write."""
    target = field.target_field if field.is_relation else field
    if isinstance(field, models.JSONField | CanonicalJSONField):
        return {"edited": value}
    if isinstance(target, models.UUIDField):
        return uuid.uuid4()
    if isinstance(target, models.BooleanField):
        return not value
    if isinstance(target, models.IntegerField | models.AutoField):
        return (value or 0) + 100
    if isinstance(target, models.DateTimeField):
        return (value or datetime(2020, 1, 1, tzinfo=UTC)) + timedelta(microseconds=1)
    if isinstance(target, models.DateField):
        return (value or date(2020, 1, 1)) + timedelta(days=1)
    if isinstance(target, models.GenericIPAddressField):
        return "192.0.2.1" if value != "192.0.2.1" else "192.0.2.2"
    if isinstance(target, models.CharField | models.TextField):
        return (value or "")[:-1] + ("y" if (value or "").endswith("x") else "x")
    raise AssertionError(f"no edit for {field!r}")


def edit(model, pk, name: str):
    """Change one column of one row with the triggers dropped, as raw SQL; the new value."""
    field = model._meta.get_field(name)
    value = model.objects.filter(pk=pk).values_list(name, flat=True).get()
    if field.primary_key and not isinstance(field, models.UUIDField):
        new = model.objects.aggregate(highest=models.Max("pk"))["highest"] + 1000  # a number no row has
    else:
        new = changed(field, value)
    prepared = field.get_db_prep_save(new, connection)
    key = model._meta.pk.get_db_prep_value(pk, connection)
    immutability.remove(connection)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {model._meta.db_table} SET {field.column} = %s WHERE {model._meta.pk.column} = %s",  # noqa: S608
            [prepared, key],
        )
    return new


def problem_after_editing(model, pk, name: str, *, whole_log: bool = True) -> tuple[str, object]:
    """The first problem verification names with one column changed (then rolled back), and the new value.

    whole_log=False asks only the check of the edited kind's records, the part of verification that finds
    a changed column: the same words, without reading every other kind and the tree again.
    """
    with transaction.atomic():
        new = edit(model, pk, name)
        if whole_log:
            problem = verify_log().first_problem
        else:
            problem = verification._check_stretch(model._meta.label, None, None).problem
        transaction.set_rollback(True)
    return str(problem), new


def one_from_the_middle(model):
    """A row from the middle of its kind, so rows before and after it are read too (and not the disposed one)."""
    kept = model.objects.exclude(pk__in=disposed_ids(model)).order_by("pk").values_list("pk", flat=True)
    return kept[kept.count() // 2]


def disposed_ids(model) -> list[str]:
    return list(Disposal.objects.filter(entry__kind=kind_of(model)).values_list("entry__record_id", flat=True))


def where(model, pk) -> str:
    kind = kind_of(model)
    position = Leaf.objects.get(entry__kind=kind, entry__record_id=str(pk)).position
    return f"log entry {position} ({kind} {pk})"


def test_every_kind_of_record_says_what_of_it_is_hashed():
    models_ = verification.ledger_models()
    kinds = [kind_of(model) for model in models_]
    assert all(kinds) and len(set(kinds)) == len(kinds)
    assert {"decision", "addendum", "review", "consent", "disclosure", "follow-up", "request outcome"} <= set(kinds)
    assert {"advice request", "advice answer", "bundle"} <= set(kinds)
    assert {"access", "disposal"} <= set(kinds) and any(kind.startswith(history.PREFIX) for kind in kinds)
    for model in [*models_, DecisionAnswer]:
        columns = {field.attname for field in model._meta.concrete_fields}
        reads = model.ledger_fields if model is DecisionAnswer else hashed_columns(model)
        assert set(reads) <= columns, set(reads) - columns
    for model in models_:
        if not issubclass(model, LedgerRecord):
            assert set(hashed_columns(model)) == {field.attname for field in model._meta.concrete_fields}, (
                f"every column of {model._meta.label} is hashed"
            )


def test_a_change_to_any_hashed_column_of_any_kind_is_named(seeded):
    report = verify_log()
    assert report.intact, report.first_problem
    assert report.disposed == 1
    assert report.records + report.disposed == report.entries == Entry.objects.count()
    for model in verification.ledger_models():
        pk = one_from_the_middle(model)
        named = where(model, pk)
        columns = hashed_columns(model)
        # Each kind's primary key and first other column through the whole verification; its other columns
        # through its kind's check alone (406 columns: the whole log read for each took over a minute).
        whole_log = {model._meta.pk.attname, next(name for name in columns if name != model._meta.pk.attname)}
        for name in columns:
            problem, new = problem_after_editing(model, pk, name, whole_log=name in whole_log)
            if name == model._meta.pk.attname:
                # The row now has an id the log has never seen, and the one it had is gone.
                assert problem in (
                    f"{model._meta.verbose_name} {new}: it is not in the log",
                    f"{named}: the {model._meta.verbose_name} has been removed "
                    "(its content is gone and no disposal is recorded)",
                ), (model, name)
            else:
                assert problem == f"{named}: {CHANGED}", (model._meta.label, name)


def test_a_change_to_any_column_of_an_answer_names_its_decision(seeded):
    decision = SharingDecision.objects.order_by("pk")[10]
    answer = decision.answers.order_by("position").last()
    named = where(SharingDecision, decision.pk)
    for name in [*DecisionAnswer.ledger_fields, "decision_id"]:
        assert problem_after_editing(DecisionAnswer, answer.pk, name)[0] == f"{named}: {CHANGED}", name


def test_an_answer_stored_as_other_text_of_the_same_json_is_named_as_changed(seeded):
    """The stored canonical text is what was hashed: reformatted, its decision's content no longer matches."""
    decision = SharingDecision.objects.order_by("pk")[10]
    answer = decision.answers.order_by("position").first()
    named = where(SharingDecision, decision.pk)
    for name in ("answers", "summary", "guidance_shown"):
        value = getattr(answer, name)
        reformatted = json.dumps(value, indent=1)
        assert json.loads(reformatted) == value and reformatted != canonical_text(value)
        with transaction.atomic():
            immutability.remove(connection)
            with connection.cursor() as cursor:
                cursor.execute(f"UPDATE sharing_decisionanswer SET {name} = %s WHERE id = %s", [reformatted, answer.pk])  # noqa: S608
            assert str(verify_log().first_problem) == f"{named}: {CHANGED}", name
            transaction.set_rollback(True)
    assert verify_log().intact


def test_a_disposed_record_is_reported_as_disposed_and_its_entry_stays(seeded):
    gone = Disposal.objects.get()
    assert not AccessEvent.objects.filter(pk=gone.entry.record_id).exists()
    assert Leaf.objects.filter(entry=gone.entry).exists()
    report = verify_log()
    assert report.intact and report.disposed == 1
    # Without its disposal, the same missing record is a removal, and named.
    with transaction.atomic():
        immutability.remove(connection)
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM ledger_disposal WHERE id = %s", [gone.pk])
        problem = verify_log().first_problem
        transaction.set_rollback(True)
    removed = "has been removed (its content is gone and no disposal is recorded)"
    assert str(problem) in (
        f"{where(AccessEvent, gone.entry.record_id)}: the access event {removed}",
        f"{where(Disposal, gone.pk)}: the disposal {removed}",
    )


# Worker processes, on PostgreSQL, where they are used.


@pytest.fixture
def in_workers(transactional_db, settings, tmp_path, monkeypatch):
    """A seeded log, checked by worker processes as soon as there is more than one stretch."""
    if connection.vendor != "postgresql":
        pytest.skip("verification is shared between processes on PostgreSQL only")
    seed(settings, tmp_path)
    monkeypatch.setattr(verification, "PARALLEL_FROM", 1)
    monkeypatch.setattr(verification, "STRETCH", 37)
    pools, make = [], verification._pool

    def spy(requested):
        pool = make(requested)
        pools.append(pool is not None)
        return pool

    monkeypatch.setattr(verification, "_pool", spy)
    return pools


def reports() -> list[tuple]:
    found = []
    for workers in (0, 2, 3):
        report = verify_log(workers=workers)
        found.append(
            (report.records, report.files, report.entries, report.size, report.root, str(report.first_problem))
        )
    return found


def test_workers_report_what_one_process_reports(in_workers):
    intact = reports()
    assert intact[0][-1] == "None"
    assert intact[0][0] == sum(model.objects.count() for model in verification.ledger_models()) > 300
    assert intact[1:] == [intact[0]] * 2
    assert in_workers == [False, True, True], "one process, then two pools of workers"
    # A decision changed in the middle, and an access event near the end: the lower position is named.
    decision = one_from_the_middle(SharingDecision)
    access = AccessEvent.objects.order_by("-id").values_list("pk", flat=True)[3]
    edit(SharingDecision, decision, "reasons")
    edit(AccessEvent, access, "detail")
    immutability.install(connection)
    first = min((where(SharingDecision, decision), where(AccessEvent, access)), key=lambda w: int(w.split()[2]))
    broken = reports()
    assert broken[0][-1] == f"{first}: {CHANGED}"
    assert broken[1:] == [broken[0]] * 2
