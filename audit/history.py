"""Audit history: records, changes and accesses as rows for one table and one CSV.

A child's history, a member of staff's history and the change history of
editable records are each a handful of queries whatever their length: one per
kind of row, then merged in time order.
"""

from __future__ import annotations

from collections.abc import Iterable
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


def review_rows(reviews: QuerySet[DecisionReview], filters: Filters) -> list[Row]:
    return [
        Row(
            review.recorded_at,
            RECORDS,
            "Review",
            f"{review.reviewer_name}, {review.reviewer_role.lower()}",
            f"{review.get_outcome_display()}. {review.comments or review.reasons}".strip(". "),
            reverse("sharing:decision_detail", args=[review.decision_id]),
        )
        for review in filters.between(reviews, "recorded_at")
    ]


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


def staff_history(*, member: User, filters: Filters, limit: int | None = PAGE_ROWS) -> list[Row]:
    """What a member of staff recorded, changed and looked at."""
    rows: list[Row] = []
    if RECORDS in filters.sections:
        for decision in filters.between(SharingDecision.objects.filter(recorded_by=member), "recorded_at"):
            rows.append(
                Row(
                    decision.recorded_at,
                    RECORDS,
                    "Decision",
                    decision.recorder_name,
                    f"{decision.get_outcome_display()} (about {decision.subject['child']['name']})",
                    reverse("sharing:decision_detail", args=[decision.pk]),
                )
            )
        for addendum in filters.between(Addendum.objects.filter(author=member), "recorded_at"):
            rows.append(
                Row(
                    addendum.recorded_at,
                    RECORDS,
                    "Addendum",
                    addendum.author_name,
                    addendum.text,
                    reverse("sharing:decision_detail", args=[addendum.decision_id]),
                )
            )
        rows += review_rows(DecisionReview.objects.filter(reviewer=member), filters)
        for record in filters.between(ConsentRecord.objects.filter(recorded_by=member), "recorded_at"):
            rows.append(
                Row(
                    record.recorded_at,
                    RECORDS,
                    "Consent",
                    record.recorder_name,
                    f"Consent {record.get_response_display().lower()} by {record.responder_name}",
                    reverse("consent:detail", args=[record.pk]),
                )
            )
        for info_request in filters.between(InformationRequest.objects.filter(logged_by=member), "logged_at"):
            rows.append(
                Row(
                    info_request.logged_at,
                    RECORDS,
                    "Request received",
                    member.full_name,
                    f"From {info_request.requester_agency}",
                    reverse("exchange:request_detail", args=[info_request.pk]),
                )
            )
        for outcome in filters.between(RequestOutcome.objects.filter(recorded_by=member), "recorded_at"):
            rows.append(
                Row(
                    outcome.recorded_at,
                    RECORDS,
                    "Request outcome",
                    outcome.recorder_name,
                    outcome.get_outcome_display(),
                    reverse("exchange:request_detail", args=[outcome.request_id]),
                )
            )
        for disclosure in filters.between(Disclosure.objects.filter(recorded_by=member), "recorded_at"):
            rows.append(
                Row(
                    disclosure.recorded_at,
                    RECORDS,
                    "Disclosure",
                    disclosure.recorder_name,
                    f"To {disclosure.recipient_name}, {disclosure.recipient_agency}",
                    reverse("exchange:disclosure_detail", args=[disclosure.pk]),
                )
            )
        for follow_up in filters.between(InformedFollowUp.objects.filter(recorded_by=member), "recorded_at"):
            rows.append(
                Row(
                    follow_up.recorded_at,
                    RECORDS,
                    "Follow-up",
                    follow_up.recorder_name,
                    "Told" if follow_up.informed else "Not told yet",
                    reverse("exchange:disclosure_detail", args=[follow_up.disclosure_id]),
                )
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
