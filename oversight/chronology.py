"""A child's chronology: every request, verification of a requester,
decision, consent, disclosure, refusal, addendum, review, follow-up, and
advice asked and given about a recorded decision, in one order.

Each kind of record is declared once, in ``oversight.case_records``; the
audit histories read the same declarations.

One query, whatever the number of events, with the kinds put together by
UNION ALL: why, in ADR 18 §1 (docs/adr/0018-performance-reasoning.md).
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache

from django.db.models import (
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    F,
    IntegerField,
    QuerySet,
    Value,
)
from django.db.models.functions import Cast

from consent.models import ConsentRecord
from oversight.case_records import CASE_RECORDS, COLUMNS, SAME_TIME_ORDER, Words, day_start
from records.models import Child

KINDS = {kind: record_kind.title for kind, record_kind in CASE_RECORDS.items()}
_RANKS = {kind: rank for rank, kind in enumerate(SAME_TIME_ORDER)}


@dataclass(frozen=True, slots=True)
class ChronologyEvent:
    """One event in a child's chronology: a case record, when it happened, who recorded it, what it says."""

    when: datetime
    kind: str
    who: str
    summary: str
    url: str
    # When the record was written down: of two events of a kind at the same
    # moment (two consents on one day), the one recorded later is the later.
    recorded: datetime | None = None

    @property
    def kind_label(self) -> str:
        return KINDS[self.kind]


# The columns every kind gives (case_records.COLUMNS), after its kind and its
# rank at the same moment. A consent has a day instead of a moment, placed at
# the start of that day in the service's time zone when the rows are read.
# Named the same in every kind's SELECT (the union's columns take the first
# kind's names), to order the union by.
_ORDERED_BY = ("entry_at", "recorded")
# Typed NULLs: PostgreSQL takes an untyped NULL in a UNION's first SELECT for text.
_NULLS = {
    "entry_at": Cast(Value(None), output_field=DateTimeField()),
    "recorded": Cast(Value(None), output_field=DateTimeField()),
    "day": Cast(Value(None), output_field=DateField()),
    "text1": Cast(Value(None), output_field=CharField()),
    "text2": Cast(Value(None), output_field=CharField()),
    "text3": Cast(Value(None), output_field=CharField()),
    "text4": Cast(Value(None), output_field=CharField()),
    "text5": Cast(Value(None), output_field=CharField()),
    "text6": Cast(Value(None), output_field=CharField()),
    "flag": Cast(Value(None), output_field=BooleanField()),
    "number": Cast(Value(None), output_field=IntegerField()),
}
_KIND_VALUES = {kind: Value(kind, output_field=CharField()) for kind in KINDS}
_RANK_VALUES = {kind: Value(rank, output_field=IntegerField()) for kind, rank in _RANKS.items()}


def _select(queryset: QuerySet, kind: str, columns: dict) -> QuerySet:
    """The kind's rows as the chronology's columns (see case_records.COLUMNS)."""
    expressions = {"entry_kind": _KIND_VALUES[kind], "entry_rank": _RANK_VALUES[kind]}
    names = ["entry_kind", "entry_rank"]
    for column in COLUMNS:
        value = columns.get(column)
        if isinstance(value, str) and column not in _ORDERED_BY:
            names.append(value)
            continue
        name = column if column.startswith("entry_") else f"entry_{column}"
        expressions[name] = _NULLS[column] if value is None else F(value) if isinstance(value, str) else value
        names.append(name)
    return queryset.order_by().annotate(**expressions).values_list(*names)


def _between(queryset: QuerySet, field: str, start: date | None, end: date | None, is_date: bool = False):
    lookup = field if is_date else f"{field}__date"
    if start:
        queryset = queryset.filter(**{f"{lookup}__gte": start})
    if end:
        queryset = queryset.filter(**{f"{lookup}__lte": end})
    return queryset


@cache
def _every_childs(kind: str) -> QuerySet:
    """The kind's rows as the chronology's columns, of every child.

    Built once: each chronology only narrows it to one child (and dates),
    which costs the ORM a fraction of building the SELECT again.
    """
    record_kind = CASE_RECORDS[kind]
    shown = record_kind.chronology
    return _select(record_kind.model.objects.filter(**shown.where), kind, shown.columns)


def _queries(child: Child, kinds: set[str], start: date | None, end: date | None) -> list[QuerySet]:
    """One SELECT per kind asked for, each giving the chronology's columns."""
    selects = []
    for kind, record_kind in CASE_RECORDS.items():
        if kind in kinds:
            shown = record_kind.chronology
            rows = _every_childs(kind).filter(**{record_kind.child: child})
            selects.append(_between(rows, shown.dated_by, start, end, is_date=shown.is_date))
    return selects


def _union(selects: list[QuerySet]) -> QuerySet:
    first, *rest = selects
    # Ordered by a column of its own: the first kind's default ordering (by a
    # field of its model) is no column of the union.
    return (first.union(*rest, all=True) if rest else first).order_by("entry_at")


class _ToEvents:
    """Turns the chronology's rows into events, each kind worded as case_records says."""

    def __init__(self, child: Child):
        self.child = child
        self.words = Words()

    def __call__(self, row) -> ChronologyEvent:
        kind, _rank, *columns = row
        at, recorded, day = columns[0], columns[1], columns[2]
        said = CASE_RECORDS[kind].chronology.says(self.words, self.child, *columns)
        return ChronologyEvent(day_start(day) if at is None else at, kind, said.who, said.what, said.url, recorded)

    def consent_record(self, record: ConsentRecord) -> ChronologyEvent:
        adult = record.about_adult if record.about_adult_id else None
        return self(
            (
                "consent",
                _RANKS["consent"],
                None,
                record.recorded_at,
                record.responded_on,
                record.pk,
                record.recorder_name,
                record.response,
                record.responder_name,
                adult.given_name if adult else None,
                adult.family_name if adult else None,
                None,
                None,
                None,
            )
        )


def _order(event: ChronologyEvent) -> tuple:
    # Events at the same moment follow cause and effect (case_records.SAME_TIME_ORDER);
    # then the order they were written down in.
    return event.when, _RANKS[event.kind], event.recorded or event.when


def _ordered(events: Iterable[ChronologyEvent], newest_first: bool) -> list[ChronologyEvent]:
    return sorted(events, key=_order, reverse=newest_first)


def chronology(
    *,
    child: Child,
    kinds: set[str] | None = None,
    start: date | None = None,
    end: date | None = None,
    newest_first: bool = True,
) -> list[ChronologyEvent]:
    kinds = kinds or set(KINDS)
    selects = _queries(child, kinds, start, end)
    if not selects:
        return []
    to_event = _ToEvents(child)
    return _ordered((to_event(row) for row in _union(selects)), newest_first)


def latest(*, child: Child, count: int, consents: Iterable[ConsentRecord]) -> list[ChronologyEvent]:
    """The ``count`` most recent events, newest first, for the child's page.

    The database picks them from every kind but consent, in one query ordered
    as the chronology is. A consent has a day, not a moment, and the start of a
    day in the service's time zone is not worked out in SQL: the consents come
    from the caller, who has read the child's consent records already (the
    child's page lists them all).
    """
    to_event = _ToEvents(child)
    selects = _queries(child, set(KINDS) - {"consent"}, None, None)
    rows = _union(selects).order_by("-entry_at", "-entry_rank", "-entry_recorded")[:count]
    events = [to_event(row) for row in rows]
    # Only the newest consents can be among the most recent events.
    newest = heapq.nlargest(count, consents, key=lambda record: (record.responded_on, record.recorded_at))
    events += [to_event.consent_record(record) for record in newest]
    return _ordered(events, newest_first=True)[:count]
