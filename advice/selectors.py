"""Reads of requests for advice, always scoped to the user's agency."""

from __future__ import annotations

import functools
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime

from django.conf import settings
from django.db import connection
from django.db.models import Aggregate, DateTimeField, F, JSONField, OuterRef, Q, QuerySet, Subquery
from django.db.models.expressions import RawSQL
from django.db.models.functions import JSONObject
from django.http import Http404
from django.utils import timezone

from advice import advisers
from advice.models import AdviceRequest
from advice.rules import colleague
from core.paging import PAGE_ROWS, Page, page_counted
from core.periods import within
from ledger import receipts
from records.models import StaffMembership, User
from records.roles import CASE_ROLES, Permission, Role

# The most of each list on the start page; a person's own page of requests for advice shows each list
# a page at a time (core.paging).
LIST_LIMIT = 100
LIST_PAGE_ROWS = PAGE_ROWS


def within_hours() -> dict[advisers.Urgency, int]:
    """The hours within which advice is due, by urgency (settings: ADVICE_*ANSWER_WITHIN_HOURS)."""
    return {
        advisers.Urgency.URGENT: settings.ADVICE_URGENT_ANSWER_WITHIN_HOURS,
        advisers.Urgency.ROUTINE: settings.ADVICE_ANSWER_WITHIN_HOURS,
    }


def colleagues_of(*, user: User) -> list[advisers.Colleague]:
    """The staff of the user's agency who work with case records and can sign in: who may be asked."""
    memberships = StaffMembership.objects.filter(
        agency=user.agency, role__in=CASE_ROLES, user__is_active=True
    ).select_related("user")
    return [colleague(membership) for membership in memberships]


# Rules that are also queries.


def is_open() -> Q:
    """Mirrors advisers.is_open: no answer, and the decision not recorded."""
    return Q(answer__isnull=True, draft__decision__isnull=True)


def answerable_by(user: User) -> Q:
    """Requests the user may answer, whatever their state: mirrors advisers.may_answer."""
    membership = user.membership
    if membership is None or membership.role not in CASE_ROLES:
        return Q(pk__in=[])
    addressed = Q(asked_of=advisers.AskedOf.NAMED_LEAD, adviser=user)
    roles = {
        advisers.AskedOf.ANY_LEAD: membership.role == Role.SAFEGUARDING_LEAD,
        advisers.AskedOf.CALDICOTT_GUARDIAN: membership.is_caldicott_guardian,
        advisers.AskedOf.LEAD_INFORMATION_OFFICER: membership.is_lead_information_officer,
    }
    for asked_of, holds in roles.items():
        if holds:
            addressed |= Q(asked_of=asked_of)
    return addressed & ~Q(asked_by=user)


def overdue(now: datetime) -> Q:
    """Mirrors advisers.is_overdue."""
    return is_open() & Q(answer_by__lte=now)


def _agency_requests(user: User) -> QuerySet[AdviceRequest]:
    return AdviceRequest.objects.filter(agency=user.agency)


def waiting_for_queryset(*, user: User) -> QuerySet[AdviceRequest]:
    """Open requests the user may answer, the answer due soonest first."""
    return _agency_requests(user).filter(is_open() & answerable_by(user)).order_by("answer_by", "id")


def overdue_queryset(*, user: User) -> QuerySet[AdviceRequest]:
    """The agency's open requests past the time their answer was due, most overdue first."""
    return _agency_requests(user).filter(overdue(timezone.now())).order_by("answer_by", "id")


def asked_by_queryset(*, user: User) -> QuerySet[AdviceRequest]:
    """The user's requests about decisions still in draft, answered or not, newest first."""
    return _agency_requests(user).filter(asked_by=user, draft__decision__isnull=True).order_by("-asked_at", "-id")


def with_state(advice: AdviceRequest, *, decision_recorded: bool, now: datetime | None = None) -> AdviceRequest:
    """The request with ``given`` (its answer, or None), ``overdue`` and ``status_label`` set for showing."""
    advice.given = getattr(advice, "answer", None)
    advice.overdue = advisers.is_overdue(
        answer_by=advice.answer_by,
        now=now or timezone.now(),
        answered=advice.given is not None,
        decision_recorded=decision_recorded,
    )
    advice.status_label = advisers.status(
        answered=advice.given is not None, decision_recorded=decision_recorded, overdue=advice.overdue
    )
    return advice


def _with_states(rows: list[AdviceRequest]) -> list[AdviceRequest]:
    """Rows about decisions still in draft (every list of them here is), with their states."""
    now = timezone.now()
    return [with_state(row, decision_recorded=False, now=now) for row in rows]


@dataclass
class AdviceLists:
    waiting_for_you: list[AdviceRequest]
    asked_by_you: list[AdviceRequest]
    # On a person's own page: each list's page, and how many it has in all.
    waiting_page: Page | None = None
    asked_page: Page | None = None

    @property
    def overdue_waiting(self) -> int:
        return sum(1 for advice in self.waiting_for_you if advice.overdue)


def lists_for_user(*, user: User, waiting_page: int = 1, asked_page: int = 1) -> AdviceLists:
    """A person's own page: the requests waiting for their answer, and their own requests on open drafts,
    each a page at a time with how many it has."""
    if not user.has_perm(Permission.ADVICE_LIST):
        return AdviceLists([], [], Page([], 0), Page([], 0))
    shown = ("child", "answer")
    waiting = page_counted(waiting_for_queryset(user=user).select_related(*shown), waiting_page, size=LIST_PAGE_ROWS)
    asked = page_counted(asked_by_queryset(user=user).select_related(*shown), asked_page, size=LIST_PAGE_ROWS)
    waiting.rows, asked.rows = _with_states(waiting.rows), _with_states(asked.rows)
    return AdviceLists(waiting.rows, asked.rows, waiting, asked)


def for_start_page(*, user: User) -> AdviceLists:
    """What the start page says about advice, in one query: the requests waiting for the user's answer,
    and the answers to the user's own requests about decisions still in draft."""
    if not user.has_perm(Permission.ADVICE_LIST):
        return AdviceLists([], [])
    answered = Q(asked_by=user, draft__decision__isnull=True, answer__isnull=False)
    rows = _with_states(
        list(
            _agency_requests(user)
            .filter(answered | (is_open() & answerable_by(user)))
            .select_related("child", "answer")
            .order_by("-asked_at", "-id")[: 2 * LIST_LIMIT]
        )
    )
    # Nobody answers their own request (answerable_by), so the two never overlap.
    return AdviceLists(
        waiting_for_you=sorted(
            (row for row in rows if row.asked_by_id != user.pk), key=lambda row: (row.answer_by, str(row.pk))
        ),
        asked_by_you=[row for row in rows if row.asked_by_id == user.pk],
    )


def advice_get_for_user(*, user: User, advice_id: uuid.UUID) -> AdviceRequest:
    """A request for advice the user may read; 404 for anyone else (another agency's existence is not told)."""
    advice = (
        AdviceRequest.objects.select_related("draft", "draft__child", "draft__author", "child", "answer")
        .filter(pk=advice_id, agency=user.agency)
        .first()
    )
    if advice is None or not user.has_perm(Permission.ADVICE_VIEW, advice):
        raise Http404("No request for advice found")
    return advice


# Every request for advice about a draft, read with the draft (or its recorded decision) in one query.


class _JSONRows(Aggregate):
    """A group's rows as one JSON array: SQLite's json_group_array, PostgreSQL's jsonb_agg."""

    function = "JSON_GROUP_ARRAY"
    output_field = JSONField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, function="JSONB_AGG", **extra_context)


_SHOWN = ("asker_name", "asker_role", "addressed_to", "question", "urgency", "asked_at", "answer_by")
_ANSWER_SHOWN = ("adviser_name", "adviser_role", "adviser_capacity", "advice", "answered_at", "draft_saved_at")


def advice_column(*, draft: str) -> RawSQL:
    """An annotation: the requests for advice whose ``draft`` (a lookup from AdviceRequest: "draft", or
    "draft__decision" for a recorded decision) is the outer row, with their answers, as a JSON array.

    The pages of a draft and of a decision show every request for advice with
    the record itself, for no more queries than before (docs/adr/0014). Every
    page of the decision flow reads it, twice a step: its SQL, the same every
    time, is made by the ORM once per process and database and kept
    (``_advice_column_sql``), which saved 0.8 ms of a request's 1.5 for
    reading the draft (docs/performance.md).
    """
    sql, params = _advice_column_sql(connection.vendor, draft)
    # The ORM's own SQL, with its parameters: nothing of a request is in it.
    return RawSQL(sql, params, output_field=JSONField())  # noqa: S611  # nosec B611


@functools.cache
def _advice_column_sql(vendor: str, draft: str) -> tuple[str, tuple]:
    """The SQL of ``_advice_subquery(draft)`` as a column of the outer model's table (the model ``draft`` leads
    to, read under its table's own name, as the main table of a query is)."""
    outer = AdviceRequest
    for name in draft.split("__"):
        outer = outer._meta.get_field(name).related_model
    query = outer.objects.annotate(advice_asked=_advice_subquery(draft)).query
    compiler = query.get_compiler(connection=connection)
    sql, params = compiler.compile(query.annotations["advice_asked"])
    return sql, tuple(params)


def _advice_subquery(draft: str) -> Subquery:
    rows = (
        AdviceRequest.objects.filter(**{draft: OuterRef("pk")})
        .order_by()
        .values(draft)
        .annotate(
            rows=_JSONRows(
                JSONObject(
                    id=F("id"),
                    **{name: F(name) for name in _SHOWN},
                    **{name: F(f"answer__{name}") for name in _ANSWER_SHOWN},
                )
            )
        )
        .values("rows")
    )
    return Subquery(rows, output_field=JSONField())


@dataclass(frozen=True)
class AdviceShown:
    """A request for advice and its answer, as the draft and the decision show them."""

    id: uuid.UUID
    asker_name: str
    asker_role: str
    addressed_to: str
    question: str
    urgency: str
    asked_at: datetime
    answer_by: datetime
    adviser_name: str
    adviser_role: str
    adviser_capacity: str
    advice: str
    answered_at: datetime | None
    draft_saved_at: datetime | None
    decision_recorded: bool

    @property
    def answered(self) -> bool:
        return self.answered_at is not None

    @property
    def urgency_label(self) -> str:
        return advisers.URGENCY_LABELS[advisers.Urgency(self.urgency)]

    @property
    def overdue(self) -> bool:
        return advisers.is_overdue(
            answer_by=self.answer_by,
            now=timezone.now(),
            answered=self.answered,
            decision_recorded=self.decision_recorded,
        )

    @property
    def status(self) -> str:
        return advisers.status(answered=self.answered, decision_recorded=self.decision_recorded, overdue=self.overdue)


_DATETIME = DateTimeField()


def _moment(value) -> datetime | None:
    """A date and time as the JSON holds it (SQLite: naive UTC text; PostgreSQL: ISO 8601 with an offset)."""
    if value is None:
        return None
    moment = _DATETIME.to_python(value)
    return moment.replace(tzinfo=UTC) if timezone.is_naive(moment) else moment


def advice_shown(rows: list[dict] | None, *, decision_recorded: bool) -> list[AdviceShown]:
    """The JSON of ``advice_column`` as requests for advice, in the order they were asked."""
    shown = [
        AdviceShown(
            id=uuid.UUID(str(row["id"])),
            **{name: row[name] for name in ("asker_name", "asker_role", "addressed_to", "question", "urgency")},
            asked_at=_moment(row["asked_at"]),
            answer_by=_moment(row["answer_by"]),
            **{name: row[name] or "" for name in ("adviser_name", "adviser_role", "adviser_capacity", "advice")},
            answered_at=_moment(row["answered_at"]),
            draft_saved_at=_moment(row["draft_saved_at"]),
            decision_recorded=decision_recorded,
        )
        for row in rows or []
    ]
    return sorted(shown, key=lambda advice: (advice.asked_at, str(advice.id)))


def advice_on_paper(requests: list[AdviceRequest]) -> list[dict]:
    """Each request for advice with its answer as on paper (as a decision's record shows them,
    advice/includes/advice_asked.html), and where both stand in the log: two queries for them all.
    Needs no request; the caller has checked who may see them."""
    answers = [answer for asked in requests if (answer := getattr(asked, "answer", None)) is not None]
    standings = receipts.standings([*requests, *answers])
    on_paper = []
    for asked in requests:
        answer = getattr(asked, "answer", None)
        recorded = asked.draft.decision_id is not None
        shown = AdviceShown(
            id=asked.pk,
            **{name: getattr(asked, name) for name in _SHOWN},
            **{name: getattr(answer, name) if answer else "" for name in _ANSWER_SHOWN[:4]},
            answered_at=answer.answered_at if answer else None,
            draft_saved_at=answer.draft_saved_at if answer else None,
            decision_recorded=recorded,
        )
        on_paper.append(
            {
                "advice": asked,
                "advice_asked": [shown],
                "decision_id": asked.draft.decision_id,
                "on_paper": True,
                "standing": standings.get(asked.ledger_record_id),
                "answer_standing": standings.get(answer.ledger_record_id) if answer else None,
            }
        )
    return on_paper


def child_advice_on_paper(*, child, start: date | None = None, end: date | None = None) -> list[dict]:
    """The requests for advice about the child's decisions asked from ``start`` to ``end`` (days, either
    open), oldest first, with their answers, on paper."""
    requests = (
        AdviceRequest.objects.select_related("draft", "answer")
        .filter(child=child, agency_id=child.agency_id)
        .order_by("asked_at", "id")
    )
    requests = within(requests, "asked_at__date", start, end)
    return advice_on_paper(list(requests))
