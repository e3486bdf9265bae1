"""A child's chronology: every request, verification of a requester,
decision, consent, disclosure, refusal, addendum, review, follow-up, and
advice asked and given about a recorded decision, in one order.

One query, whatever the number of entries: each kind of record gives the same
columns (its moment, the record the entry links to, a few texts), and the
kinds are put together with UNION ALL. Each kind's SELECT is built once per
process and only narrowed to the child (and dates) for each chronology; rows
are read as tuples, not model instances; and each entry's link is made from
the view's address resolved once, not again for every entry. A chronology of
hundreds of entries is read and ordered in a few milliseconds.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from functools import cache

from django.db.models import (
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    F,
    Func,
    IntegerField,
    QuerySet,
    Value,
)
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone

from advice.advisers import URGENCY_LABELS
from advice.models import AdviceAnswer, AdviceRequest
from consent.models import ConsentRecord
from exchange import verification
from exchange.models import (
    Disclosure,
    InformationRequest,
    InformedFollowUp,
    Method,
    RequestOutcome,
    VerificationMethod,
)
from records.links import record_link
from records.models import Child
from sharing.models import Addendum, DecisionReview, SharingDecision

KINDS = {
    "request": "Request received",
    # 3.7.4: the call back that verified the person asking.
    "verification": "Requester verified",
    "outcome": "Request outcome",
    "decision": "Decision",
    "addendum": "Addendum",
    "review": "Review",
    "consent": "Consent",
    "disclosure": "Disclosure",
    "follow_up": "Follow-up",
    "advice_asked": "Advice asked",
    "advice_given": "Advice given",
}


SAME_TIME_ORDER = {
    "request": 0,
    "verification": 1,
    "consent": 2,
    "decision": 3,
    "outcome": 4,
    "addendum": 5,
    "review": 6,
    "disclosure": 7,
    "follow_up": 8,
    "advice_asked": 9,
    "advice_given": 10,
}


@dataclass(frozen=True, slots=True)
class Entry:
    when: datetime
    kind: str
    who: str
    summary: str
    url: str
    # When the record was written down: of two entries of a kind at the same
    # moment (two consents on one day), the one recorded later is the later.
    recorded: datetime | None = None

    @property
    def kind_label(self) -> str:
        return KINDS[self.kind]


def _at(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


class _JSONArrayLength(Func):
    """How many elements a JSON array holds (a disclosure's items)."""

    function = "JSON_ARRAY_LENGTH"
    output_field = IntegerField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, function="JSONB_ARRAY_LENGTH", **extra_context)


# The columns every kind gives, in this order: its kind and SAME_TIME_ORDER,
# the entry's moment (``entry_at``; a consent has a day instead, placed at the
# start of that day in the service's time zone when the rows are read), when
# the record was written down (``recorded``), the primary key of the record
# the entry links to (``target``), up to five texts, a yes or no, a
# number, and a sixth text. A kind gives a column as a field's name (read as it is, the
# cheapest for the ORM to build) or an expression; the ones it does not give
# are NULL.
_COLUMNS = (
    "entry_at", "recorded", "day", "target", "text1", "text2", "text3", "text4", "text5", "flag", "number", "text6",
)  # fmt: skip
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
_RANK_VALUES = {kind: Value(rank, output_field=IntegerField()) for kind, rank in SAME_TIME_ORDER.items()}


def _select(queryset: QuerySet, kind: str, columns: dict) -> QuerySet:
    """The kind's rows as the chronology's columns (see _COLUMNS)."""
    expressions = {"entry_kind": _KIND_VALUES[kind], "entry_rank": _RANK_VALUES[kind]}
    names = ["entry_kind", "entry_rank"]
    for column in _COLUMNS:
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


@dataclass(frozen=True)
class _Kind:
    """Where a kind's records are, how they reach the child, and the field dates are filtered on."""

    model: type
    child: str
    dated_by: str
    columns: dict
    is_date: bool = False
    # Only the records that belong in a chronology: a filter on the kind's rows (all, unless given).
    where: dict = field(default_factory=dict)


_SOURCES = {
    "request": _Kind(
        InformationRequest,
        "child",
        "received_at",
        {
            "entry_at": "received_at",
            "recorded": "logged_at",
            "target": "pk",
            "text1": "requester_name",
            "text2": "requester_role",
            "text3": "requester_agency",
            "text4": "information_needed",
        },
    ),
    "verification": _Kind(
        InformationRequest,
        "child",
        "verified_at",
        {
            "entry_at": "verified_at",
            "recorded": "verified_at",
            "target": "pk",
            "text1": "verified_by__full_name",
            "text2": "verification_method",
            "text3": "requester_name",
            "text4": "requester_agency",
            "text5": "verification_details",
        },
        where={"verified_at__isnull": False},
    ),
    "outcome": _Kind(
        RequestOutcome,
        "request__child",
        "recorded_at",
        {
            # A decided request is answered when its decision was made.
            "entry_at": Coalesce(F("decision__decided_at"), F("recorded_at")),
            "recorded": "recorded_at",
            "target": "request_id",
            "text1": "recorder_name",
            "text2": "outcome",
            "text3": "request__requester_agency",
            "text4": "reasons",
        },
    ),
    "decision": _Kind(
        SharingDecision,
        "child",
        "decided_at",
        {
            "entry_at": "decided_at",
            "recorded": "recorded_at",
            "target": "pk",
            "text1": "recorder_name",
            "text2": "recorder_role",
            "text3": "outcome",
            "text4": "reasons",
        },
    ),
    "addendum": _Kind(
        Addendum,
        "decision__child",
        "recorded_at",
        {
            "entry_at": "recorded_at",
            "recorded": "recorded_at",
            "target": "decision_id",
            "text1": "author_name",
            "text4": "text",
        },
    ),
    "review": _Kind(
        DecisionReview,
        "decision__child",
        "recorded_at",
        {
            "entry_at": "recorded_at",
            "recorded": "recorded_at",
            "target": "decision_id",
            "text1": "reviewer_name",
            "text2": "reviewer_role",
            "text3": "outcome",
            "text4": "comments",
            "text5": "reasons",
        },
    ),
    "consent": _Kind(
        ConsentRecord,
        "child",
        "responded_on",
        {
            "day": "responded_on",
            "recorded": "recorded_at",
            "target": "pk",
            "text1": "recorder_name",
            "text2": "response",
            "text3": "responder_name",
            # Whom the consent is about: one of the child's adults, or else the child.
            "text4": "about_adult__given_name",
            "text5": "about_adult__family_name",
        },
        is_date=True,
    ),
    "disclosure": _Kind(
        Disclosure,
        "child",
        "disclosed_at",
        {
            "entry_at": "disclosed_at",
            "recorded": "recorded_at",
            "target": "pk",
            "text1": "recorder_name",
            "text2": "recipient_name",
            "text3": "recipient_role",
            "text4": "recipient_agency",
            "text5": "method",
            "flag": "informed",
            "number": _JSONArrayLength(F("items")),
            "text6": "not_informed_reason",
        },
    ),
    "follow_up": _Kind(
        InformedFollowUp,
        "disclosure__child",
        "recorded_at",
        {
            "entry_at": "recorded_at",
            "recorded": "recorded_at",
            "target": "disclosure_id",
            "text1": "recorder_name",
            "text4": "reasons",
            "flag": "informed",
        },
    ),
    # Advice about a decision is part of its record once the decision is recorded (3.5.17; 001: record
    # the outcome of the discussion); about a draft, it is read with the draft by its author and the leads.
    "advice_asked": _Kind(
        AdviceRequest,
        "child",
        "asked_at",
        {
            "entry_at": "asked_at",
            "recorded": "asked_at",
            "target": "draft__decision_id",
            "text1": "asker_name",
            "text2": "asker_role",
            "text3": "addressed_to",
            "text4": "question",
            "text5": "urgency",
        },
        where={"draft__decision__isnull": False},
    ),
    "advice_given": _Kind(
        AdviceAnswer,
        "request__child",
        "answered_at",
        {
            "entry_at": "answered_at",
            "recorded": "answered_at",
            "target": "request__draft__decision_id",
            "text1": "adviser_name",
            "text2": "adviser_capacity",
            "text3": "request__asker_name",
            "text4": "advice",
        },
        where={"request__draft__decision__isnull": False},
    ),
}


@cache
def _every_childs(kind: str) -> QuerySet:
    """The kind's rows as the chronology's columns, of every child.

    Built once: each chronology only narrows it to one child (and dates),
    which costs the ORM a fraction of building the SELECT again.
    """
    source = _SOURCES[kind]
    return _select(source.model.objects.filter(**source.where), kind, source.columns)


def _queries(child: Child, kinds: set[str], start: date | None, end: date | None) -> list[QuerySet]:
    """One SELECT per kind asked for, each giving the chronology's columns."""
    selects = []
    for kind in KINDS:
        if kind in kinds:
            source = _SOURCES[kind]
            rows = _every_childs(kind).filter(**{source.child: child})
            selects.append(_between(rows, source.dated_by, start, end, is_date=source.is_date))
    return selects


def _union(selects: list[QuerySet]) -> QuerySet:
    first, *rest = selects
    # Ordered by a column of its own: the first kind's default ordering (by a
    # field of its model) is no column of the union.
    return (first.union(*rest, all=True) if rest else first).order_by("entry_at")


def _choices(model, field: str) -> dict[str, str]:
    return {str(value): str(label) for value, label in model._meta.get_field(field).flatchoices}


class _Entries:
    """Turns the chronology's rows into entries, each kind's wording as the record pages give it."""

    def __init__(self, child: Child):
        self.child = child
        self.request_url = record_link("exchange:request_detail")
        self.decision_url = record_link("sharing:decision_detail")
        self.consent_url = record_link("consent:detail")
        self.disclosure_url = record_link("exchange:disclosure_detail")
        self.outcome_labels = _choices(RequestOutcome, "outcome")
        self.decision_labels = _choices(SharingDecision, "outcome")
        self.review_labels = _choices(DecisionReview, "outcome")
        self.response_labels = _choices(ConsentRecord, "response")
        self.methods = dict(Method.choices)
        self.verification_methods = dict(VerificationMethod.choices)

    def __call__(self, row) -> Entry:
        kind, _rank, *columns = row
        return getattr(self, kind)(*columns)

    def request(self, at, recorded, day, target, name, role, agency, needed, *_):
        who, summary = f"{name}, {role}, {agency}", f"Asked for: {needed}"
        return Entry(at, "request", who, summary, self.request_url(target), recorded)

    def verification(self, at, recorded, day, target, verifier, method, name, agency, details, *_):
        method = self.verification_methods.get(method, method)
        summary = f"Verified {name}, {agency}: {method[:1].lower()}{method[1:]}"
        if details:
            summary += f". {details}"
        return Entry(at, "verification", verifier or "", summary, self.request_url(target), recorded)

    def outcome(self, at, recorded, day, target, recorder, outcome, agency, reasons, *_):
        summary = f"{self.outcome_labels.get(outcome, outcome)}: request from {agency}"
        if reasons:
            summary += f". {reasons}"
        return Entry(at, "outcome", recorder, summary, self.request_url(target), recorded)

    def decision(self, at, recorded, day, target, recorder, role, outcome, reasons, *_):
        summary = f"{self.decision_labels.get(outcome, outcome)}. {reasons}"
        return Entry(at, "decision", f"{recorder}, {role.lower()}", summary, self.decision_url(target), recorded)

    def addendum(self, at, recorded, day, target, author, _role, _outcome, text, *_):
        return Entry(at, "addendum", author, text, self.decision_url(target), recorded)

    def review(self, at, recorded, day, target, reviewer, role, outcome, comments, reasons, *_):
        text = " ".join(part for part in (comments, reasons) if part)
        summary = f"{self.review_labels.get(outcome, outcome)}{f': {text}' if text else ''}"
        return Entry(at, "review", f"{reviewer}, {role.lower()}", summary, self.decision_url(target), recorded)

    def consent(self, at, recorded, day, target, recorder, response, responder, given_name, family_name, *_):
        # As ConsentRecord.about_name: the adult the consent is about, or else the child.
        about = f"{given_name} {family_name}" if family_name is not None else self.child.full_name
        response = self.response_labels.get(response, response).lower()
        summary = f"Consent {response} by {responder} about {about}"
        return Entry(_at(day), "consent", recorder, summary, self.consent_url(target), recorded)

    def consent_record(self, record: ConsentRecord) -> Entry:
        adult = record.about_adult if record.about_adult_id else None
        return self.consent(
            None,
            record.recorded_at,
            record.responded_on,
            record.pk,
            record.recorder_name,
            record.response,
            record.responder_name,
            adult.given_name if adult else None,
            adult.family_name if adult else None,
        )

    def disclosure(self, at, recorded, day, target, recorder, name, role, agency, method, informed, items, reason):
        summary = (
            f"Disclosed to {name}, {role}, {agency}, by {self.methods[method].lower()}: "
            f"{items} item{'s' if items != 1 else ''}"
        )
        # 3.5.19, 3.7.3: whether the child or parents were told of it.
        not_told = verification.disclosure_told_line(informed=bool(informed), reason=reason or "")
        if not_told:
            summary += f". {not_told}"
        return Entry(at, "disclosure", recorder, summary, self.disclosure_url(target), recorded)

    def follow_up(self, at, recorded, day, target, recorder, _name, _role, reasons, _text, informed, *_):
        summary = "The child or a parent has now been told" if informed else f"Not told yet: {reasons}"
        return Entry(at, "follow_up", recorder, summary, self.disclosure_url(target), recorded)

    def advice_asked(self, at, recorded, day, target, asker, role, addressed_to, question, urgency, *_):
        label = URGENCY_LABELS.get(urgency, urgency)
        summary = f"Asked of {addressed_to} ({label.lower()}): {question}"
        return Entry(at, "advice_asked", f"{asker}, {role.lower()}", summary, self.decision_url(target), recorded)

    def advice_given(self, at, recorded, day, target, adviser, capacity, asker, advice, *_):
        who = f"{adviser}, {capacity.lower()}"
        return Entry(at, "advice_given", who, f"To {asker}: {advice}", self.decision_url(target), recorded)


def _order(entry: Entry) -> tuple:
    # Entries at the same moment follow cause and effect: a decision before the
    # request outcome it produced, a disclosure after its decision; then the
    # order they were written down in.
    return entry.when, SAME_TIME_ORDER[entry.kind], entry.recorded or entry.when


def _ordered(entries: Iterable[Entry], newest_first: bool) -> list[Entry]:
    return sorted(entries, key=_order, reverse=newest_first)


def chronology(
    *,
    child: Child,
    kinds: set[str] | None = None,
    start: date | None = None,
    end: date | None = None,
    newest_first: bool = True,
) -> list[Entry]:
    kinds = kinds or set(KINDS)
    selects = _queries(child, kinds, start, end)
    if not selects:
        return []
    entry = _Entries(child)
    return _ordered((entry(row) for row in _union(selects)), newest_first)


def latest(*, child: Child, count: int, consents: Iterable[ConsentRecord]) -> list[Entry]:
    """The ``count`` most recent entries, newest first, for the child's page.

    The database picks them from every kind but consent, in one query ordered
    as the chronology is. A consent has a day, not a moment, and the start of a
    day in the service's time zone is not worked out in SQL: the consents come
    from the caller, who has read the child's consent records already (the
    child's page lists them all).
    """
    entry = _Entries(child)
    selects = _queries(child, set(KINDS) - {"consent"}, None, None)
    rows = _union(selects).order_by("-entry_at", "-entry_rank", "-entry_recorded")[:count]
    entries = [entry(row) for row in rows]
    # Only the newest consents can be among the most recent entries.
    newest = heapq.nlargest(count, consents, key=lambda record: (record.responded_on, record.recorded_at))
    entries += [entry.consent_record(record) for record in newest]
    return _ordered(entries, newest_first=True)[:count]
