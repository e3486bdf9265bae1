"""Audit history: records, changes and accesses as rows for one table and one CSV.

A history is shown a page at a time, newest first, with how many rows it has
in all; the CSV export has every row. Whatever its length, a page is a few
queries:

- the rows that grow without end (every look at a child's records; everything
  a member of staff recorded or looked at) are one query, ordered and cut to
  the page by the database, and counted by another;
- the rows bounded by one child's case (its chronology, one query) and the
  changes to the details of the records concerned (one query for all of them)
  are read whole, and merged into the page in Python.

The case records (what a child's history lists, and what a member of staff
recorded) are the kinds declared in ``oversight.case_records``, which the
chronology reads too; the access log is ``audit``'s.
"""

from __future__ import annotations

import functools
import heapq
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from itertools import islice

from django.conf import settings
from django.db import connections
from django.db.models import Case, CharField, DateField, F, IntegerField, QuerySet, Value, When
from django.db.models.functions import Cast, Coalesce, JSONObject
from django.urls import reverse
from django.utils import timezone

from audit.models import AccessEvent, Action, Subject
from core import paging
from core.paging import Page
from core.periods import within
from exchange.models import InformationRequest
from oversight import chronology
from oversight.case_records import CASE_RECORDS, STAFF_HISTORY_ORDER, Words
from records.models import Adult, Agency, Child, ChildAdultRelationship, StaffMembership, User

# The rows a page shows (the CSV export has them all), and how far past it they are counted.
PAGE_ROWS, COUNT_LIMIT = paging.PAGE_ROWS, paging.COUNT_LIMIT

RECORDS = "records"
CHANGES = "changes"
ACCESSES = "accesses"
SECTIONS = {RECORDS: "Records", CHANGES: "Changes to details", ACCESSES: "Views, searches and exports"}

# Fields never shown in a change history.
HIDDEN_FIELDS = {"id", "password", "last_login", "created_at", "updated_at"}

# At the same moment, records come first, then changes, then accesses (as the
# rows are listed newest first, a higher rank comes first).
RECORD_RANK, CHANGE_RANK, ACCESS_RANK = 2, 1, 0


@dataclass(frozen=True)
class HistoryLine:
    """One line of an audit history: a record written, a change to details, or a look at records."""

    when: datetime
    section: str
    kind: str
    who: str
    # Text, or (while a history is put together) a function that writes it:
    # a long history's changes are worded only for the page shown.
    what: str | Callable[[], str]
    url: str = ""
    # The record looked at, named in ``what``, and its page where the reader may open it.
    about: str = ""
    about_url: str = ""

    @property
    def section_label(self) -> str:
        return SECTIONS[self.section]

    @property
    def link(self) -> str:
        """Where the row's record is: the record written or changed, or the child a look was about (a look's
        ``url`` is the address looked at, which is no record's page)."""
        return self.about_url if self.section == ACCESSES else self.url

    @property
    def what_around_about(self) -> tuple[str, str]:
        """``what`` before and after the record's name, for a page that links the name."""
        before, _name, after = str(self.what).partition(self.about)
        return before, after


def _worded(lines: Iterable[HistoryLine]) -> list[HistoryLine]:
    return [replace(line, what=line.what()) if callable(line.what) else line for line in lines]


@dataclass(frozen=True)
class Filters:
    sections: frozenset[str] = frozenset(SECTIONS)
    start: date | None = None
    end: date | None = None

    def between(self, queryset: QuerySet, field: str) -> QuerySet:
        return within(queryset, f"{field}__date", self.start, self.end)

    @property
    def ticked_sections(self) -> frozenset[str]:
        """The sections ticked in the page's filter: none while every section is shown."""
        return self.sections if len(self.sections) < len(SECTIONS) else frozenset()

    def covers(self, when: datetime) -> bool:
        day = timezone.localtime(when).date()
        return (self.start is None or day >= self.start) and (self.end is None or day <= self.end)


def _newest_first(lines: Iterable[HistoryLine]) -> list[HistoryLine]:
    return sorted(lines, key=lambda line: line.when, reverse=True)


# The rows read a page at a time: each kind of row gives the same columns
# (its moment, its rank at the same moment, its kind, the key it links to or
# is told apart by, and up to ten words of text), put together with UNION ALL.

TEXT_COLUMNS = tuple(f"h_{n}" for n in range(1, 16))
STREAM_COLUMNS = ("h_when", "h_rank", "h_kind", "h_ref", *TEXT_COLUMNS)


def _text(expression) -> Coalesce:
    return Coalesce(Cast(expression, CharField()), Value("", output_field=CharField()))


ORDER = ("-h_when", "-h_rank", "-h_ref")


@dataclass(frozen=True)
class Part:
    """One kind of row of a stream: the rows (for counting them) and their columns."""

    rows: QuerySet
    columns: QuerySet


def _stream_part(queryset: QuerySet, kind: str, rank: int, when, ref, *texts) -> Part:
    columns = {name: _text(text) for name, text in zip(TEXT_COLUMNS, texts, strict=False)}
    columns.update({name: Value("", output_field=CharField()) for name in TEXT_COLUMNS[len(texts) :]})
    queryset = queryset.order_by()
    annotated = queryset.annotate(
        h_when=when,
        h_rank=Value(rank),
        h_kind=Value(kind, output_field=CharField()),
        h_ref=Cast(ref, CharField()),
        **columns,
    )
    return Part(queryset, annotated.values_list(*STREAM_COLUMNS))


class Stream:
    """Rows of several kinds, newest first, read and counted by the database a page at a time."""

    def __init__(self, parts: list[Part]):
        self.parts = parts

    @staticmethod
    def _union(querysets: list[QuerySet]) -> QuerySet:
        first, *rest = querysets
        return first.union(*rest, all=True) if rest else first

    def rows(self, start: int = 0, end: int | None = None) -> QuerySet:
        columns = [part.columns for part in self.parts]
        features = connections[columns[0].db].features
        if end is not None and len(columns) > 1 and features.supports_slicing_ordering_in_compound:
            # Each kind's newest rows as far as the end of the page, from its own index (ADR 18 §1).
            columns = [part.order_by(*ORDER)[:end] for part in columns]
        return self._union(columns).order_by(*ORDER)[start:end]

    def count(self, limit: int) -> int:
        """How many rows there are, counting no further than ``limit`` + 1."""
        if len(self.parts) == 1:
            return self.parts[0].rows[: limit + 1].count()
        one = Value(1, output_field=IntegerField())
        parts = [part.rows.annotate(h_one=one).values_list("h_one") for part in self.parts]
        return self._union(parts).order_by()[: limit + 1].count()


def _stream(parts: list[Part]) -> Stream | None:
    return Stream(parts) if parts else None


class _IPAddress(Cast):
    """An address as typed (PostgreSQL's inet as text would add "/32")."""

    def as_postgresql(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"HOST({sql})", params


OTHER_AGENCY = "other agency"


# The child a look was about, read with the look: its key and what its name is made of.
CHILD_NAME_FIELDS = ("child_id", "child__given_name", "child__family_name", "child__date_of_birth")
CHILD_NAME_FIELDS += ("child__expected_date_of_birth",)


def _access_part(
    events: QuerySet[AccessEvent], filters: Filters, *, agency_id: int | None = None, naming: int | None = None
) -> Part:
    """The access log's rows; with ``agency_id``, those of anyone not of that agency are marked (a child's
    history shows another agency's attempts on the child's records, and no more of them than it should).

    With ``naming`` (an agency's key), the child each look was about is read with it, by the same query,
    where the child is that agency's: never a child of another agency, whom the reader may not know of."""
    elsewhere = (
        Case(
            When(agency_id=agency_id, then=Value("")),
            default=Value(OTHER_AGENCY),
            output_field=CharField(),
        )
        if agency_id is not None
        else Value("", output_field=CharField())
    )
    return _stream_part(
        filters.between(events, "occurred_at"),
        "access",
        ACCESS_RANK,
        F("occurred_at"),
        F("pk"),
        F("user_name"),
        F("user_email"),
        F("role"),
        F("action"),
        F("subject"),
        F("detail"),
        _IPAddress(F("ip_address"), CharField()),
        F("path"),
        F("agency_name"),
        elsewhere,
        *[
            Case(When(child__agency_id=naming, then=F(name)), default=Value(None))
            if naming is not None
            else Value("", output_field=CharField())
            for name in CHILD_NAME_FIELDS
        ],
    )


class _ToHistoryLines:
    """Turns the stream's rows into a history's lines: accesses worded here, case records as case_records says."""

    def __init__(self):
        self.actions = dict(Action.choices)
        self.subjects = dict(Subject.choices)
        self.words = Words()

    def __call__(self, values: tuple) -> HistoryLine:
        when, _rank, kind, ref, *texts = values
        if kind == "access":
            return self.access(when, ref, *texts)
        # The key read as text: SQLite keeps a UUID as 32 hex digits, PostgreSQL's has hyphens.
        said = CASE_RECORDS[kind].staff_history.says(self.words, uuid.UUID(ref), *texts)
        return HistoryLine(when, RECORDS, CASE_RECORDS[kind].title, said.who, said.what, said.url)

    def access(
        self, when, ref, name, email, role, action, subject, detail, ip_address, path, agency, elsewhere, *child
    ):
        action_label = self.actions.get(action, action)
        if elsewhere:
            return self._elsewhere(when, name, role, action_label, subject, path, agency)
        about, about_url = self._child(*child)
        what = f"{action_label}: {self.subjects.get(subject, subject).lower()}"
        if about:
            what += f" {about}" if subject == Subject.CHILD else f" about {about}"
        if detail:
            what += f" ({detail})"
        if ip_address:
            what += f" from {ip_address}"
        who = name or email or "Unknown"
        who = f"{who}, {role.lower()}" if role else who
        return HistoryLine(when, ACCESSES, action_label, who, what, path, about, about_url)

    def _child(self, child_id="", given_name="", family_name="", date_of_birth="", expected_date_of_birth=""):
        """The name of the child a look was about, and the child's page; nothing where none was read."""
        if not child_id:
            return "", ""
        dates = {
            "date_of_birth": DateField().to_python(date_of_birth or None),
            "expected_date_of_birth": DateField().to_python(expected_date_of_birth or None),
        }
        child = Child(given_name=given_name, family_name=family_name, **dates)
        return child.full_name, reverse("oversight:child_detail", args=[uuid.UUID(child_id)])

    def _elsewhere(self, when, name, role, action_label, subject, path, agency):
        """Someone not of the child's agency, in the child's history: their name and agency, when, and what
        they were refused (or did); not their email, role or address, which are their own agency's to see."""
        who = ", ".join(part for part in (name or "Unknown", agency or (role.lower() if role else "")) if part)
        what = f"{action_label}: {self.subjects.get(subject, subject).lower()}, by someone outside this agency"
        return HistoryLine(when, ACCESSES, action_label, who, what, path)


def _recorded_by(member: User, filters: Filters) -> list[Part]:
    """What a member of staff recorded, one SELECT per kind of case record, in the stream's columns.

    At the same moment the kinds come in case_records.STAFF_HISTORY_ORDER, each ranked above changes and accesses.
    """
    parts = []
    for index, kind in enumerate(STAFF_HISTORY_ORDER):
        record_kind = CASE_RECORDS[kind]
        shown = record_kind.staff_history
        queryset = record_kind.model.objects.filter(**{shown.recorded_by: member})
        if shown.annotations:
            queryset = queryset.annotate(**shown.annotations)
        parts.append(
            _stream_part(
                filters.between(queryset, shown.recorded_at),
                kind,
                RECORD_RANK + 10 - index,
                F(shown.recorded_at),
                F(shown.ref),
                *[F(text) for text in shown.texts],
            )
        )
    return parts


# Changes to editable records (django-simple-history): every version of the
# records concerned, of every kind, in one query, each compared with the one
# before it.


@dataclass(frozen=True)
class ChangeSource:
    history: QuerySet
    kind: str
    # The record's name, from a version's values and what ``related`` read with it.
    name_of: Callable[[dict, dict], str]
    url_of: Callable[[dict], str] | None = None
    # Values read with each version from related records, such as a relationship's adult's name.
    related: dict | None = None


def _value_of(field, value):
    """A version's value as its field holds it (a JSON object gives dates as text, booleans as 1 on SQLite)."""
    if value is None:
        return None
    value = field.to_python(value)
    if isinstance(value, datetime) and timezone.is_naive(value) and settings.USE_TZ:
        value = timezone.make_aware(value, UTC)
    return value


@functools.cache
def _choice_labels(field) -> dict:
    return dict(field.flatchoices)


def _shown(value, field) -> str:
    if value is None or value == "":
        return "(blank)"
    if field.choices:
        return str(_choice_labels(field).get(value, value))
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return str(value)


def _shown_of(values: dict, field) -> str:
    return _shown(_value_of(field, values.get(field.attname)), field)


def _added(values: dict, fields: list) -> str:
    return "Added: " + "; ".join(
        f"{field.verbose_name}: {_shown_of(values, field)}"
        for field in fields
        if not field.is_relation and _shown_of(values, field) != "(blank)"
    )


def _changed(old: dict, values: dict, fields: list) -> str:
    return "Changed: " + "; ".join(
        f"{field.verbose_name}: {_shown_of(old, field)} → {_shown_of(values, field)}" for field in fields
    )


def _fields(history: QuerySet) -> list:
    return [f for f in history.model.tracked_fields if f.name not in HIDDEN_FIELDS]


def changes(sources: list[ChangeSource], filters: Filters, by: User | None = None) -> list[HistoryLine]:
    """One row per change, old and new values side by side, newest first.

    Every version is read, oldest first, so that each is compared with the one
    before it; only those in the chosen dates (and, with ``by``, made by that
    person) are kept.
    """
    if not sources:
        return []
    parts = []
    for index, source in enumerate(sources):
        fields = _fields(source.history)
        parts.append(
            source.history.order_by()
            .annotate(
                c_source=Value(index),
                c_id=Cast(F("id"), CharField()),
                c_user=F("history_user__full_name"),
                c_related=JSONObject(**(source.related or {})),
                c_values=JSONObject(**{field.attname: F(field.attname) for field in fields}),
            )
            .values_list(
                "c_source",
                "c_id",
                "history_id",
                "history_date",
                "history_type",
                "history_user_id",
                "c_user",
                "c_related",
                "c_values",
            )
        )
    first, *rest = parts
    versions = (first.union(*rest, all=True) if rest else first).order_by()
    fields_of = [_fields(source.history) for source in sources]
    previous: dict = {}
    rows = []
    for index, record_id, _history_id, when, history_type, user_id, user_name, related, values in sorted(
        versions, key=lambda version: (version[3], version[2])
    ):
        # Values as read (JSON), compared as they are and made into the
        # field's own values only to be shown.
        values = values or {}
        before = previous.get((index, record_id))
        previous[(index, record_id)] = values
        if not filters.covers(when) or (by is not None and user_id != by.pk):
            continue
        source, fields = sources[index], fields_of[index]
        if history_type == "+":
            what = functools.partial(_added, values, fields)
        elif history_type == "-":
            what = "Removed"
        else:
            old = before or {}
            changed = [
                field
                for field in fields
                # Values shown alike (None and "" are both "(blank)") are no change.
                if old.get(field.attname) != values.get(field.attname)
                and _shown_of(old, field) != _shown_of(values, field)
            ]
            if not changed:
                continue
            what = functools.partial(_changed, old, values, changed)
        who = user_name if user_id is not None else "The system"
        url = source.url_of(values) if source.url_of else ""
        name = source.name_of(values, related or {})
        rows.append(HistoryLine(when, CHANGES, f"{source.kind}: {name}", who, what, url))
    return _newest_first(rows)


def _child_name(values: dict, _related: dict | None = None) -> str:
    return " ".join(part for part in (values.get("given_name"), values.get("family_name")) if part) or "Unborn child"


def _adult_name(values: dict, _related: dict | None = None) -> str:
    return " ".join(part for part in (values.get("given_name"), values.get("family_name")) if part)


# A relationship's adult (and child), as they are now: read with each version.
RELATED_ADULT = {"adult_given_name": F("adult__given_name"), "adult_family_name": F("adult__family_name")}
RELATED_CHILD = {
    "child_given_name": F("child__given_name"),
    "child_family_name": F("child__family_name"),
    "child_date_of_birth": F("child__date_of_birth"),
    "child_expected_date_of_birth": F("child__expected_date_of_birth"),
}


def _related_adult(related: dict) -> str:
    if related.get("adult_family_name") is None:
        return ""
    return Adult(given_name=related["adult_given_name"], family_name=related["adult_family_name"]).full_name


def _related_child(related: dict) -> str:
    if related.get("child_family_name") is None:
        return ""
    dates = {
        name: DateField().to_python(related[f"child_{name}"]) for name in ("date_of_birth", "expected_date_of_birth")
    }
    return Child(given_name=related["child_given_name"], family_name=related["child_family_name"], **dates).full_name


# Putting a page together.


def _key(line: HistoryLine) -> tuple:
    return (line.when, {RECORDS: RECORD_RANK, CHANGES: CHANGE_RANK, ACCESSES: ACCESS_RANK}[line.section])


def _page(
    stream: Stream | None, to_line: Callable[[tuple], HistoryLine], whole: list[HistoryLine], page: int | None
) -> Page:
    """A page of the rows of ``stream`` (which the database orders and cuts) and
    of ``whole`` (rows already read, newest first), merged newest first; with
    ``page`` None, every row (for the CSV).

    At most len(whole) rows of ``whole`` come before any row of the stream, so
    the page's rows of the stream are among those from ``offset - len(whole)``
    to the end of the page: that much of the stream is read (and one row
    more before it, to place the rest), however long the stream.
    """
    if page is None:
        streamed = [to_line(values) for values in stream.rows()] if stream is not None else []
        rows = _worded(heapq.merge(streamed, whole, key=_key, reverse=True))
        return Page(rows, len(rows), size=PAGE_ROWS)
    offset = (page - 1) * PAGE_ROWS
    end = offset + PAGE_ROWS
    if stream is None:
        return Page(_worded(whole[offset:end]), len(whole), offset, size=PAGE_ROWS)
    limit = end + COUNT_LIMIT
    counted = stream.count(limit)
    total, more_than = min(counted, limit) + len(whole), counted > limit
    skipped = max(0, offset - len(whole))
    read = [to_line(values) for values in stream.rows(max(0, skipped - 1), end)]
    base = 0
    if skipped:
        if not read:
            # The stream, and so the history, ends before this page.
            return Page([], total, offset, more_than, size=PAGE_ROWS)
        # The row before the stream's part of the page, and the rows of
        # ``whole`` newer than it, come before everything still to merge.
        boundary, read = read[0], read[1:]
        older = [row for row in whole if _key(row) < _key(boundary)]
        base = skipped + len(whole) - len(older)
        whole = older
    merged = heapq.merge(read, whole, key=_key, reverse=True)
    return Page(_worded(islice(merged, offset - base, end - base)), total, offset, more_than, size=PAGE_ROWS)


def _page_number(page: int | None) -> int | None:
    return None if page is None else max(1, page)


def child_history(*, child: Child, filters: Filters, page: int | None = 1) -> Page:
    """Every record about a child, every change to their details and the adults
    around them, and every look at their records."""
    whole: list[HistoryLine] = []
    if RECORDS in filters.sections:
        whole += [
            HistoryLine(event.when, RECORDS, event.kind_label, event.who, event.summary, event.url)
            for event in chronology.chronology(child=child, start=filters.start, end=filters.end)
        ]
    if CHANGES in filters.sections:
        child_url = reverse("oversight:child_detail", args=[child.pk])
        adults = ChildAdultRelationship.objects.filter(child=child).values("adult_id")
        whole += changes(
            [
                ChangeSource(Child.history.filter(id=child.pk), "Child", _child_name, lambda values: child_url),
                ChangeSource(Adult.history.filter(id__in=adults), "Adult", _adult_name),
                ChangeSource(
                    ChildAdultRelationship.history.filter(child_id=child.pk),
                    "Relationship",
                    lambda values, related: _related_adult(related),
                    related=RELATED_ADULT,
                ),
            ],
            filters,
        )
    # Records first at the same moment, then changes (a stable sort keeps the chronology's order).
    whole.sort(key=_key, reverse=True)
    stream = None
    if ACCESSES in filters.sections:
        events = AccessEvent.objects.filter(child=child)
        stream = _stream([_access_part(events, filters, agency_id=child.agency_id)])
    return _page(stream, _ToHistoryLines(), whole, _page_number(page))


def staff_history(*, member: User, filters: Filters, page: int | None = 1, agency: Agency | None = None) -> Page:
    """What a member of staff recorded, changed and looked at; each look names the child it was about where
    the child is ``agency``'s (the reader's)."""
    parts = []
    if RECORDS in filters.sections:
        parts += _recorded_by(member, filters)
    if ACCESSES in filters.sections:
        naming = agency.pk if agency is not None else None
        parts.append(_access_part(AccessEvent.objects.filter(user=member), filters, naming=naming))
    whole: list[HistoryLine] = []
    if CHANGES in filters.sections:
        sources = [
            ChangeSource(
                model.history.filter(id__in=model.history.filter(history_user=member).values("id")), kind, name
            )
            for model, kind, name in (
                (Child, "Child", _child_name),
                (Adult, "Adult", _adult_name),
                (InformationRequest, "Request", lambda values, related: values.get("requester_agency") or ""),
            )
        ]
        whole = changes(sources, filters, by=member)
    return _page(_stream(parts), _ToHistoryLines(), whole, _page_number(page))


# The change history of the agency's editable records.

CHANGE_KINDS = {
    "child": "Children",
    "adult": "Adults",
    "relationship": "Relationships",
    "request": "Requests",
    "staff": "Staff",
    "agency": "Agency",
}


def _relationship_name(values: dict, related: dict) -> str:
    adult, child = _related_adult(related), _related_child(related)
    return f"{adult} and {child}" if adult and child else ""


def agency_changes(*, agency: Agency, kinds: set[str], filters: Filters, page: int | None = 1) -> Page:
    """The change history of the agency's editable records, old and new values, a page at a time; with
    ``page`` None, every row (for the CSV). Every version is read (one query), and only the page worded."""
    kinds = kinds or set(CHANGE_KINDS)
    sources = {
        "child": ChangeSource(Child.history.filter(agency_id=agency.pk), "Child", _child_name),
        "adult": ChangeSource(Adult.history.filter(agency_id=agency.pk), "Adult", _adult_name),
        "relationship": ChangeSource(
            ChildAdultRelationship.history.filter(child__agency=agency),
            "Relationship",
            _relationship_name,
            related={**RELATED_ADULT, **RELATED_CHILD},
        ),
        "request": ChangeSource(
            InformationRequest.history.filter(agency_id=agency.pk),
            "Request",
            lambda values, related: f"from {values.get('requester_agency')}",
        ),
        "staff": ChangeSource(
            StaffMembership.history.filter(agency_id=agency.pk),
            "Staff",
            lambda values, related: related.get("name") or "",
            related={"name": F("user__full_name")},
        ),
        "agency": ChangeSource(Agency.history.filter(id=agency.pk), "Agency", lambda values, related: values["name"]),
    }
    chosen = [sources[kind] for kind in CHANGE_KINDS if kind in kinds]
    if "staff" in kinds:
        member_ids = StaffMembership.objects.filter(agency=agency).values("user_id")
        chosen.append(
            ChangeSource(
                User.history.filter(id__in=member_ids), "Staff account", lambda values, related: values["full_name"]
            )
        )
    return _page(None, _ToHistoryLines(), changes(chosen, filters), _page_number(page))
