"""Audit history: records, changes and accesses as rows for one table and one CSV.

A child's history, a member of staff's history and the change history of
editable records are each a handful of queries whatever their length: one per
kind of row, then merged in time order.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Model, QuerySet
from django.urls import reverse
from django.utils import timezone

from audit.models import AccessEvent
from consent.models import ConsentRecord
from exchange import chronology
from exchange.models import Disclosure, InformationRequest, InformedFollowUp, RequestOutcome
from records.models import Adult, Agency, Child, ChildAdultRelationship, StaffMembership, User
from sharing.models import Addendum, DecisionReview, SharingDecision

# The most rows a page shows; the CSV export has them all.
PAGE_ROWS = 500

RECORDS = "records"
CHANGES = "changes"
ACCESSES = "accesses"
SECTIONS = {RECORDS: "Records", CHANGES: "Changes to details", ACCESSES: "Views, searches and exports"}

# Fields never shown in a change history.
HIDDEN_FIELDS = {"id", "password", "last_login", "created_at", "updated_at"}


@dataclass(frozen=True)
class Row:
    when: datetime
    section: str
    kind: str
    who: str
    what: str
    url: str = ""

    @property
    def section_label(self) -> str:
        return SECTIONS[self.section]


@dataclass(frozen=True)
class Filters:
    sections: frozenset[str] = frozenset(SECTIONS)
    start: date | None = None
    end: date | None = None

    def between(self, queryset: QuerySet, field: str) -> QuerySet:
        if self.start:
            queryset = queryset.filter(**{f"{field}__date__gte": self.start})
        if self.end:
            queryset = queryset.filter(**{f"{field}__date__lte": self.end})
        return queryset

    def covers(self, when: datetime) -> bool:
        day = timezone.localtime(when).date()
        return (self.start is None or day >= self.start) and (self.end is None or day <= self.end)


def _newest_first(rows: Iterable[Row]) -> list[Row]:
    return sorted(rows, key=lambda row: row.when, reverse=True)


# Accesses


def _who(event: AccessEvent) -> str:
    name = event.user_name or event.user_email or "Unknown"
    return f"{name}, {event.role.lower()}" if event.role else name


def access_rows(events: QuerySet[AccessEvent], filters: Filters, limit: int | None) -> list[Row]:
    events = filters.between(events, "occurred_at").order_by("-occurred_at")
    if limit is not None:
        events = events[:limit]
    rows = []
    for event in events:
        what = f"{event.get_action_display()}: {event.get_subject_display().lower()}"
        if event.detail:
            what += f" ({event.detail})"
        if event.ip_address:
            what += f" from {event.ip_address}"
        rows.append(Row(event.occurred_at, ACCESSES, event.get_action_display(), _who(event), what, event.path))
    return rows


# Changes to editable records (django-simple-history)


def _value(row: Model, field) -> str:
    value = getattr(row, field.attname)
    if value is None or value == "":
        return "(blank)"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return str(value)


def change_rows(
    history: QuerySet, kind: str, name_of, filters: Filters, url_of=None, by: User | None = None
) -> list[Row]:
    """One row per change, old and new values side by side.

    Rows are read oldest first so each is compared with the one before it;
    only the rows in the chosen dates (and, with ``by``, made by that
    person) are kept.
    """
    fields = [f for f in history.model.tracked_fields if f.name not in HIDDEN_FIELDS]
    previous: dict = {}
    rows = []
    for row in history.select_related("history_user").order_by("history_date", "history_id"):
        before = previous.get(row.id)
        previous[row.id] = row
        if row.history_type == "+":
            what = "Added: " + "; ".join(
                f"{field.verbose_name}: {_value(row, field)}"
                for field in fields
                if not field.is_relation and _value(row, field) != "(blank)"
            )
        elif row.history_type == "-":
            what = "Removed"
        else:
            changed = [
                f"{field.verbose_name}: {_value(before, field)} → {_value(row, field)}"
                for field in fields
                if before is None or _value(before, field) != _value(row, field)
            ]
            if not changed:
                continue
            what = "Changed: " + "; ".join(changed)
        if not filters.covers(row.history_date) or (by is not None and row.history_user_id != by.pk):
            continue
        who = row.history_user.full_name if row.history_user else "The system"
        url = url_of(row) if url_of else ""
        rows.append(Row(row.history_date, CHANGES, f"{kind}: {name_of(row)}", who, what, url))
    return rows


def _child_name(row) -> str:
    return " ".join(part for part in (row.given_name, row.family_name) if part) or "Unborn child"


def _adult_name(row) -> str:
    return " ".join(part for part in (row.given_name, row.family_name) if part)


# Records (append-only): the chronology's, plus reviews of decisions


def child_history(*, child: Child, filters: Filters, limit: int | None = PAGE_ROWS) -> list[Row]:
    rows: list[Row] = []
    if RECORDS in filters.sections:
        for entry in chronology.chronology(child=child, start=filters.start, end=filters.end):
            rows.append(Row(entry.when, RECORDS, entry.kind_label, entry.who, entry.summary, entry.url))
    if CHANGES in filters.sections:
        child_url = reverse("records:child_detail", args=[child.pk])
        rows += change_rows(Child.history.filter(id=child.pk), "Child", _child_name, filters, lambda r: child_url)
        adult_ids = list(child.relationships.values_list("adult_id", flat=True))
        rows += change_rows(Adult.history.filter(id__in=adult_ids), "Adult", _adult_name, filters)
        rows += change_rows(
            ChildAdultRelationship.history.filter(child_id=child.pk).select_related("adult"),
            "Relationship",
            lambda row: row.adult.full_name if row.adult else "",
            filters,
        )
    if ACCESSES in filters.sections:
        rows += access_rows(AccessEvent.objects.filter(child=child), filters, limit)
    rows = _newest_first(rows)
    return rows if limit is None else rows[:limit]


@dataclass(frozen=True)
class RecordedKind:
    """One kind of append-only record, as a row of a member of staff's history."""

    kind: str
    by: Callable[[User], QuerySet]
    when: str
    who: Callable[[Model], str]
    what: Callable[[Model], str]
    url: Callable[[Model], str]


def _decision_url(decision_id) -> str:
    return reverse("sharing:decision_detail", args=[decision_id])


RECORDED_BY_STAFF = (
    RecordedKind(
        "Decision",
        lambda member: SharingDecision.objects.filter(recorded_by=member),
        "recorded_at",
        lambda d: d.recorder_name,
        lambda d: f"{d.get_outcome_display()} (about {d.subject['child']['name']})",
        lambda d: _decision_url(d.pk),
    ),
    RecordedKind(
        "Addendum",
        lambda member: Addendum.objects.filter(author=member),
        "recorded_at",
        lambda a: a.author_name,
        lambda a: a.text,
        lambda a: _decision_url(a.decision_id),
    ),
    RecordedKind(
        "Review",
        lambda member: DecisionReview.objects.filter(reviewer=member),
        "recorded_at",
        lambda r: f"{r.reviewer_name}, {r.reviewer_role.lower()}",
        lambda r: " ".join(part for part in (r.get_outcome_display() + ".", r.comments, r.reasons) if part),
        lambda r: _decision_url(r.decision_id),
    ),
    RecordedKind(
        "Consent",
        lambda member: ConsentRecord.objects.filter(recorded_by=member),
        "recorded_at",
        lambda c: c.recorder_name,
        lambda c: f"Consent {c.get_response_display().lower()} by {c.responder_name}",
        lambda c: reverse("consent:detail", args=[c.pk]),
    ),
    RecordedKind(
        "Request received",
        lambda member: InformationRequest.objects.filter(logged_by=member).select_related("logged_by"),
        "logged_at",
        lambda r: r.logged_by.full_name,
        lambda r: f"From {r.requester_agency}",
        lambda r: reverse("exchange:request_detail", args=[r.pk]),
    ),
    RecordedKind(
        "Request outcome",
        lambda member: RequestOutcome.objects.filter(recorded_by=member),
        "recorded_at",
        lambda o: o.recorder_name,
        lambda o: o.get_outcome_display(),
        lambda o: reverse("exchange:request_detail", args=[o.request_id]),
    ),
    RecordedKind(
        "Disclosure",
        lambda member: Disclosure.objects.filter(recorded_by=member),
        "recorded_at",
        lambda d: d.recorder_name,
        lambda d: f"To {d.recipient_name}, {d.recipient_agency}",
        lambda d: reverse("exchange:disclosure_detail", args=[d.pk]),
    ),
    RecordedKind(
        "Follow-up",
        lambda member: InformedFollowUp.objects.filter(recorded_by=member),
        "recorded_at",
        lambda f: f.recorder_name,
        lambda f: "Told" if f.informed else "Not told yet",
        lambda f: reverse("exchange:disclosure_detail", args=[f.disclosure_id]),
    ),
)


def staff_history(*, member: User, filters: Filters, limit: int | None = PAGE_ROWS) -> list[Row]:
    """What a member of staff recorded, changed and looked at."""
    rows: list[Row] = []
    if RECORDS in filters.sections:
        for recorded in RECORDED_BY_STAFF:
            for record in filters.between(recorded.by(member), recorded.when):
                when = getattr(record, recorded.when)
                rows.append(
                    Row(when, RECORDS, recorded.kind, recorded.who(record), recorded.what(record), recorded.url(record))
                )
    if CHANGES in filters.sections:
        for model, kind, name_of in (
            (Child, "Child", _child_name),
            (Adult, "Adult", _adult_name),
            (InformationRequest, "Request", lambda row: row.requester_agency),
        ):
            touched = model.history.filter(history_user=member).values("id")
            rows += change_rows(model.history.filter(id__in=touched), kind, name_of, filters, by=member)
    if ACCESSES in filters.sections:
        rows += access_rows(AccessEvent.objects.filter(user=member), filters, limit)
    rows = _newest_first(rows)
    return rows if limit is None else rows[:limit]


CHANGE_KINDS = {
    "child": "Children",
    "adult": "Adults",
    "relationship": "Relationships",
    "request": "Requests",
    "staff": "Staff",
    "agency": "Agency",
}


def agency_changes(*, agency: Agency, kinds: set[str], filters: Filters, limit: int | None = PAGE_ROWS) -> list[Row]:
    """The change history of the agency's editable records, old and new values."""
    kinds = kinds or set(CHANGE_KINDS)
    sources = {
        "child": (Child.history.filter(agency_id=agency.pk), "Child", _child_name),
        "adult": (Adult.history.filter(agency_id=agency.pk), "Adult", _adult_name),
        "relationship": (
            ChildAdultRelationship.history.filter(child__agency=agency).select_related("adult", "child"),
            "Relationship",
            lambda row: f"{row.adult.full_name} and {row.child.full_name}" if row.adult and row.child else "",
        ),
        "request": (
            InformationRequest.history.filter(agency_id=agency.pk),
            "Request",
            lambda row: f"from {row.requester_agency}",
        ),
        "staff": (
            StaffMembership.history.filter(agency_id=agency.pk).select_related("user"),
            "Staff",
            lambda row: row.user.full_name if row.user else "",
        ),
        "agency": (Agency.history.filter(id=agency.pk), "Agency", lambda row: row.name),
    }
    rows: list[Row] = []
    for kind in CHANGE_KINDS:
        if kind in kinds:
            history, label, name_of = sources[kind]
            rows += change_rows(history, label, name_of, filters)
    member_ids = StaffMembership.objects.filter(agency=agency).values_list("user_id", flat=True)
    if "staff" in kinds:
        rows += change_rows(User.history.filter(id__in=member_ids), "Staff account", lambda row: row.full_name, filters)
    rows = _newest_first(rows)
    return rows if limit is None else rows[:limit]
