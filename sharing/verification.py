"""Walk a hash chain (case records, or the access log) and say whether it is intact."""

from __future__ import annotations

import heapq
from dataclasses import dataclass, field

from django.apps import apps

from sharing import integrity
from sharing.models import RECORDS_CHAIN, ChainedRecord, ChainHead

CHUNK = 500


@dataclass
class Problem:
    sequence: int | None
    kind: str
    record_id: str
    reason: str

    def __str__(self):
        where = f"record {self.sequence}" if self.sequence is not None else "the chain head"
        return f"{where} ({self.kind} {self.record_id}): {self.reason}"


@dataclass
class Report:
    checked: int = 0
    head_sequence: int = 0
    head_hash: str = integrity.GENESIS_HASH
    problems: list[Problem] = field(default_factory=list)

    @property
    def intact(self) -> bool:
        return not self.problems

    @property
    def first_problem(self) -> Problem | None:
        return self.problems[0] if self.problems else None


def chained_models(chain_id: int = RECORDS_CHAIN) -> list[type[ChainedRecord]]:
    return [model for model in apps.get_models() if issubclass(model, ChainedRecord) and model.chain_id == chain_id]


def _records(chain_id: int):
    """Every record of every kind in the chain, in chain order, read in chunks."""
    streams = []
    for model in chained_models(chain_id):
        records = model.objects.order_by("chain_sequence")
        if model.chain_prefetch:
            records = records.prefetch_related(*model.chain_prefetch)
        streams.append((record.chain_sequence, record) for record in records.iterator(CHUNK))
    return heapq.merge(*streams, key=lambda item: item[0])


def verify_chain(chain_id: int = RECORDS_CHAIN) -> Report:
    """Recompute every hash in chain order.

    An edited byte changes a record's hash; a removed or inserted record
    breaks the sequence or the link to the previous hash; removing the
    newest records leaves the chain head pointing past the end.
    """
    report = Report()
    expected_sequence = 1
    previous_hash = integrity.GENESIS_HASH
    for sequence, record in _records(chain_id):
        report.checked += 1
        record_id = str(record.pk)
        kind = record._meta.verbose_name
        if sequence != expected_sequence:
            reason = (
                f"expected record {expected_sequence} next, found {sequence}: a record is missing"
                if sequence > expected_sequence
                else f"record {sequence} appears twice"
            )
            report.problems.append(Problem(sequence, kind, record_id, reason))
            return report
        if record.previous_hash != previous_hash:
            report.problems.append(
                Problem(sequence, kind, record_id, "its link to the previous record is broken (removed or inserted)")
            )
            return report
        try:
            recomputed = integrity.record_hash(previous_hash=record.previous_hash, document=record.chain_document())
        except integrity.NotCanonical as error:
            recomputed = f"not canonical: {error}"
        if recomputed != record.record_hash:
            report.problems.append(Problem(sequence, kind, record_id, "its content no longer matches its hash"))
            return report
        previous_hash = record.record_hash
        expected_sequence += 1
    head = ChainHead.objects.filter(pk=chain_id).first()
    report.head_sequence = expected_sequence - 1
    report.head_hash = previous_hash
    head_sequence = head.sequence if head else 0
    head_hash = head.head_hash if head else integrity.GENESIS_HASH
    if (head_sequence, head_hash) != (report.head_sequence, report.head_hash):
        report.problems.append(
            Problem(
                None,
                "chain head",
                str(chain_id),
                f"the head says {head_sequence} records ending in {head_hash[:12]}, but the chain has "
                f"{report.head_sequence} ending in {report.head_hash[:12]}: the newest records were removed or "
                "the head was altered",
            )
        )
    return report


def hash_at(sequence: int, chain_id: int = RECORDS_CHAIN) -> str | None:
    for model in chained_models(chain_id):
        found = model.objects.filter(chain_sequence=sequence).values_list("record_hash", flat=True).first()
        if found:
            return found
    return None
