"""verify_records reads records back as rows, without the models: a change to
any hashed field of any kind of record (and of a decision's answers) is still
named, and on PostgreSQL worker processes report what one process does."""

import json
import multiprocessing.pool
import uuid
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection, models, transaction

from sharing import immutability, verification
from sharing.models import ACCESS_CHAIN, RECORDS_CHAIN, DecisionAnswer, SharingDecision
from sharing.verification import chained_models, verify_chain

# Structural: a changed number or link is a missing record or a broken link, tested in test_verify_records.
STRUCTURAL = {"chain_sequence", "previous_hash"}


@pytest.fixture
def seeded(db, settings, tmp_path):
    """A small area from seed_scale: every kind of record, in both chains."""
    settings.DEBUG = True
    call_command(
        "seed_scale",
        children=40,
        records=400,
        access_events=150,
        chronology_entries=20,
        fixture=tmp_path / "fixture.json",
        stdout=StringIO(),
        stderr=StringIO(),
    )
    for chain_id in (RECORDS_CHAIN, ACCESS_CHAIN):
        for model in chained_models(chain_id):
            assert model.objects.exists(), f"seed_scale made no {model._meta.verbose_name}"
    if connection.vendor == "postgresql" and connection.in_atomic_block:
        # seed_scale checks foreign keys as it writes; an edit below may point one nowhere until rolled back.
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def changed(field: models.Field, value):
    """Another value the column can hold, as someone editing the database might write."""
    target = field.target_field if field.is_relation else field
    if isinstance(field, models.JSONField):
        return {"edited": value}
    if isinstance(target, models.UUIDField):
        return uuid.uuid4()
    if isinstance(target, models.BooleanField):
        return not value
    if isinstance(target, models.IntegerField):
        return (value or 0) + 100
    if isinstance(target, models.DateTimeField):
        return value + timedelta(microseconds=1)
    if isinstance(target, models.DateField):
        return (value or date(2020, 1, 1)) + timedelta(days=1)
    if isinstance(target, models.GenericIPAddressField):
        return "192.0.2.1" if value != "192.0.2.1" else "192.0.2.2"
    if isinstance(target, models.CharField | models.TextField):
        return (value or "")[:-1] + ("y" if (value or "").endswith("x") else "x")
    raise AssertionError(f"no edit for {field!r}")


def edit(model, pk, name: str) -> None:
    field = model._meta.get_field(name)
    value = model.objects.filter(pk=pk).values_list(name, flat=True).get()
    prepared = field.get_db_prep_save(changed(field, value), connection)
    key = model._meta.pk.get_db_prep_value(pk, connection)
    immutability.remove(connection)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {model._meta.db_table} SET {field.column} = %s WHERE {model._meta.pk.column} = %s",  # noqa: S608
            [prepared, key],
        )


def problem_after_editing(model, pk, name: str, chain_id: int) -> tuple:
    with transaction.atomic():
        edit(model, pk, name)
        problem = verify_chain(chain_id).first_problem
        transaction.set_rollback(True)
    # An edited id is named as it now is.
    return problem and (problem.sequence, problem.kind, problem.record_id if name != "id" else str(pk), problem.reason)


CHANGED = "its content no longer matches its hash"


def test_every_kind_of_record_says_what_of_it_is_hashed():
    models_ = chained_models(RECORDS_CHAIN) + chained_models(ACCESS_CHAIN)
    kinds = [model.chain_kind for model in models_]
    assert all(kinds) and len(set(kinds)) == len(kinds)
    for model in [*models_, DecisionAnswer]:
        columns = {field.attname for field in model._meta.concrete_fields}
        reads = model.chain_fields if model is DecisionAnswer else model.chain_reads()
        assert set(reads) <= columns, set(reads) - columns


@pytest.mark.parametrize("chain_id", [RECORDS_CHAIN, ACCESS_CHAIN])
def test_a_change_to_any_hashed_field_of_any_kind_is_named(seeded, chain_id):
    assert verify_chain(chain_id).intact
    for model in chained_models(chain_id):
        # One from the middle of the chain, so records before and after it are read too.
        sequences = sorted(model.objects.values_list("chain_sequence", flat=True))
        sequence = sequences[len(sequences) // 2]
        pk = model.objects.get(chain_sequence=sequence).pk
        where = (sequence, model._meta.verbose_name, str(pk), CHANGED)
        for name in set(model.chain_reads()) - STRUCTURAL:
            assert problem_after_editing(model, pk, name, chain_id) == where, name


def test_a_change_to_any_field_of_an_answer_is_named(seeded):
    decision = SharingDecision.objects.order_by("chain_sequence")[10]
    answer = decision.answers.order_by("position").last()
    where = (decision.chain_sequence, "sharing decision", str(decision.pk), CHANGED)
    for name in [*DecisionAnswer.chain_fields, "decision_id"]:
        assert problem_after_editing(DecisionAnswer, answer.pk, name, RECORDS_CHAIN) == where, name


# Worker processes, on PostgreSQL, where they are used.


@pytest.fixture
def in_workers(transactional_db, monkeypatch):
    """Where each verification's spans were walked: in this process, or by a pool of workers."""
    if connection.vendor != "postgresql":
        pytest.skip("verification is shared between processes on PostgreSQL only")
    monkeypatch.setattr(verification, "PARALLEL_FROM", 1)
    walked, join = [], verification._join

    def spy(walks, report):
        walked.append("workers" if isinstance(walks, multiprocessing.pool.IMapIterator) else "here")
        return join(walks, report)

    monkeypatch.setattr(verification, "_join", spy)
    return walked


def reports(chain_id: int) -> list[tuple]:
    found = []
    for workers, spans in ((1, 1), (2, None), (2, 7)):
        report = verify_chain(chain_id, workers=workers, spans=spans)
        found.append((report.checked, str(report.first_problem), report.head_sequence, report.head_hash))
    return found


def test_workers_report_what_one_process_reports(in_workers, seeded, tmp_path):
    for chain_id in (RECORDS_CHAIN, ACCESS_CHAIN):
        found = reports(chain_id)
        assert found[0][1] == "None" and found[0][0] > 100
        assert found[1:] == [found[0]] * 2
    assert in_workers == ["here", "workers", "workers"] * 2
    out, err = StringIO(), StringIO()
    call_command("verify_records", "--workers", "2", "--checkpoint", stdout=out, stderr=err)
    assert "Chain intact" in err.getvalue() and "Access log intact" in err.getvalue()
    saved = json.loads(out.getvalue())
    assert (saved["sequence"], saved["access_log"]["sequence"]) == (reports(RECORDS_CHAIN)[0][2], found[0][2])
    checkpoint = tmp_path / "checkpoint.json"
    checkpoint.write_text(out.getvalue())
    against = StringIO()
    call_command("verify_records", "--workers", "2", "--against", str(checkpoint), stdout=against)
    assert f"Matches the checkpoint at record {saved['sequence']}." in against.getvalue()

    # A record edited in the middle of the records chain, and one near the end of the access log.
    decision = SharingDecision.objects.order_by("chain_sequence")[len(SharingDecision.objects.all()) // 2]
    edit(SharingDecision, decision.pk, "reasons")
    access = chained_models(ACCESS_CHAIN)[0]
    last = access.objects.order_by("-chain_sequence")[3]
    edit(access, last.pk, "detail")
    immutability.install(connection)
    records, accesses = reports(RECORDS_CHAIN), reports(ACCESS_CHAIN)
    assert f"record {decision.chain_sequence} (sharing decision {decision.pk})" in records[0][1]
    assert f"record {last.chain_sequence} (access event {last.pk})" in accesses[0][1]
    assert records[1:] == [records[0]] * 2
    assert accesses[1:] == [accesses[0]] * 2
