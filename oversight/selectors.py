"""What the safeguarding lead's dashboard lists, scoped to the lead's agency.

Each list shows a page of rows (the dashboard the first page of each, and a
page of its own the rest) with how many there are in all. Two lists of the
same records are read in one query, and each count rides on its rows, so the
dashboard runs the same few queries however much is waiting. Counts stop at
COUNT_LIMIT: past that a lead is told "more than 100", which is true, and is
not kept waiting while a backlog of a hundred thousand is counted exactly;
the list's own pages count further.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import connections
from django.db.models import (
    Case,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.http import Http404
from django.utils import timezone

from advice import selectors as advice_selectors
from advice.advisers import may_answer
from advice.models import AdviceRequest
from advice.rules import colleague
from consent import capacity
from consent.models import ConsentRecord
from core.links import record_link
from core.paging import Page
from delivery import selectors as delivery_selectors
from exchange.models import Disclosure, InformationRequest, InformedFollowUp
from records.models import User
from records.roles import Permission
from records.rules import is_lead
from sharing import guidance
from sharing.models import DecisionAnswer, DecisionReview, SharingDecision
from worker import selectors as worker_selectors

# Each list shows this many at a time, with the total.
LIST_LIMIT = 25
# The dashboard counts each list up to this many, and past it says "more than";
# a list's own pages count up to LIST_COUNT_LIMIT past the page shown.
COUNT_LIMIT = 100
LIST_COUNT_LIMIT = 1000

SHARING_OUTCOMES = (guidance.Outcome.SHARE, guidance.Outcome.SHARE_IN_PART)


class CappedCount(Subquery):
    """How many rows a query has, counting no further than ``limit`` + 1.

    Uncorrelated, so the database works it out once for the whole query. The
    rows are counted in the list's own order, so that the database walks the
    same index as for the page and stops at the limit.
    """

    template = "(SELECT COUNT(*) FROM (%(subquery)s) capped)"
    output_field = IntegerField()

    def __init__(self, queryset: QuerySet, limit: int | None = None):
        limit = COUNT_LIMIT if limit is None else limit
        super().__init__(queryset.values("pk")[: limit + 1])


def _listing(rows: list, total: int | None, offset: int = 0, limit: int | None = None) -> Page:
    total = total or 0
    limit = COUNT_LIMIT if limit is None else limit
    if total > limit:
        return Page(rows, limit, offset, more_than=True, size=LIST_LIMIT)
    return Page(rows, total, offset, size=LIST_LIMIT)


# What the lists show of each record (the rest, such as a decision's JSON, is not read).
CHILD_COLUMNS = ("child__given_name", "child__family_name", "child__date_of_birth", "child__expected_date_of_birth")
SHOWN = {
    SharingDecision: ("recorded_at", "decided_at", "outcome", "recorder_name", "recorded_by", "reconsider_on"),
    InformationRequest: (
        "received_at",
        "requester_name",
        "requester_agency",
        "verified_at",
        "requester_known",
        "is_open",
        "verification_open",
    ),
    Disclosure: ("recipient_name", "recipient_agency", "disclosed_at", "reconsider_on", "recorder_name"),
    ConsentRecord: ("review_on", "response", "responder_name", "responded_on"),
    AdviceRequest: ("asked_at", "answer_by", "urgency", "asker_name", "asked_by", "asked_of", "adviser", "question"),
}


DETAIL_VIEWS = {
    SharingDecision: "sharing:decision_detail",
    InformationRequest: "exchange:request_detail",
    Disclosure: "exchange:disclosure_detail",
    ConsentRecord: "consent:detail",
    AdviceRequest: "advice:detail",
}


def _shown(queryset: QuerySet) -> QuerySet:
    return queryset.select_related("child").only(*SHOWN[queryset.model], *CHILD_COLUMNS)


def _linked(rows: list) -> list:
    """Each row with ``detail_url``, the address of its page: each view's address
    is resolved once for the list, not once a row (a list may hold two kinds of record)."""
    links: dict[type, Callable] = {}
    for row in rows:
        kind = type(row)
        if kind not in links:
            links[kind] = record_link(DETAIL_VIEWS[kind])
        row.detail_url = links[kind](row.pk)
    return rows


def _either(*lists: QuerySet) -> Q:
    """Rows on the first page of any of some lists of the same records, as one filter.

    Where the database allows a LIMIT inside a UNION (PostgreSQL), one
    semi-join that reads the LIST_LIMIT rows of each by their keys; elsewhere
    (SQLite) an IN list each.
    """
    pages = [listed.values("pk")[:LIST_LIMIT] for listed in lists]
    if connections[lists[0].db].features.supports_slicing_ordering_in_compound:
        return Q(pk__in=pages[0].union(*pages[1:], all=True))
    either = Q(pk__in=pages[0])
    for page in pages[1:]:
        either |= Q(pk__in=page)
    return either


def _first_of(rows: list, belongs: Callable, order_key: Callable) -> list:
    """The first page of one list, out of the rows read for two lists.

    The rows read hold the first LIST_LIMIT of each list, and perhaps later
    rows of this list that were on the other's first page: sorted in the list's
    own order, the first LIST_LIMIT are its first page.
    """
    return sorted((row for row in rows if belongs(row)), key=order_key)[:LIST_LIMIT]


# The lists, each a query in its own order (with a unique last key, so that pages never overlap).


def _agency_decisions(user: User) -> QuerySet[SharingDecision]:
    return SharingDecision.objects.filter(agency=user.agency)


def to_review_queryset(*, user: User) -> QuerySet[SharingDecision]:
    """Decisions nobody has reviewed yet, other than the lead's own, oldest first."""
    reviewed = DecisionReview.objects.filter(decision=OuterRef("pk"))
    return _agency_decisions(user).exclude(recorded_by=user).filter(~Exists(reviewed)).order_by("recorded_at", "id")


def without_consent_queryset(*, user: User, days: int) -> QuerySet[SharingDecision]:
    """Decisions in the last ``days`` to share confidential information without consent (3.3.6-3.3.8).

    Question 4 was answered (the information was confidential) and consent
    was not obtained, or did not cover this sharing: its purpose (3.3.14,
    3.3.22) or its recipient's kind of agency (3.3.28).
    """
    since = timezone.now() - timedelta(days=days)
    # The rule as a query: guidance.has_consent. guidance.questions_needed asks question 5 exactly when question 4
    # is answered and has_consent is false, so a decision made without consent is one with an answer to question 5.
    # tests/oversight/test_dashboard.py (test_decisions_without_consent_are_those_the_rule_says) pins the two.
    asked_about_a_duty = DecisionAnswer.objects.filter(
        decision=OuterRef("pk"), question_key=guidance.QuestionKey.STATUTORY
    )
    return (
        _agency_decisions(user)
        .filter(outcome__in=SHARING_OUTCOMES, decided_at__gte=since)
        .filter(Exists(asked_about_a_duty))
        .order_by("-decided_at", "-recorded_at")
    )


def _open_requests(user: User) -> QuerySet[InformationRequest]:
    """Requests with no outcome yet, from the index of open requests (services.request_outcome_record keeps it)."""
    return InformationRequest.objects.filter(agency=user.agency, is_open=True)


def open_requests_queryset(*, user: User, days: int) -> QuerySet[InformationRequest]:
    """Requests with no outcome, received more than ``days`` ago, oldest first."""
    cutoff = timezone.now() - timedelta(days=days)
    return _open_requests(user).filter(received_at__lt=cutoff).order_by("received_at", "pk")


def unverified_queryset(*, user: User) -> QuerySet[InformationRequest]:
    """Requests whose requester can still be verified and is not (3.7.4), oldest first.

    Mirrors exchange.verification.awaits_verification: open or decided, with
    nothing disclosed under it yet (the flag ``verification_open``), and the
    requester neither known nor verified. Recording a decision does not take a
    request off this list; verifying does.
    """
    return InformationRequest.objects.filter(
        agency=user.agency, verification_open=True, requester_known=False, verified_at__isnull=True
    ).order_by("received_at", "pk")


def _awaits_verification(row: InformationRequest) -> bool:
    """unverified_queryset's filter, for a row read already."""
    return row.verification_open and not row.requester_known and row.verified_at is None


def decisions_not_told_queryset(*, user: User) -> QuerySet[SharingDecision]:
    """Decisions to share without telling the person whose date to reconsider has come, nothing disclosed yet.

    3.5.19, 3.7.3: a decision to share without telling carries a date to
    reconsider (``guidance.reconsider_date``, kept as ``reconsider_on``). Once
    something is disclosed under it, the disclosure records whether the person
    was told, and the list follows the disclosure instead.
    """
    return (
        _agency_decisions(user)
        .filter(reconsider_on__lte=timezone.localdate())
        .filter(~Exists(Disclosure.objects.filter(decision=OuterRef("pk"))))
        .annotate(reconsider_by=F("reconsider_on"))
        .order_by("reconsider_by", "id")
    )


def not_told_querysets(*, user: User) -> tuple[QuerySet, ...]:
    """People not told of a share whose date to reconsider has come (3.5.19): disclosures, and decisions.

    Nobody told yet means the disclosure said so and so did its newest
    follow-up, if it has one; the date to reconsider is the newest one's. In
    three parts, each read in that date's order from its own index: the
    disclosures never followed up, those whose newest follow-up says not told
    yet, and the decisions to share without telling with nothing disclosed.
    """
    if not _sees_not_told(user):
        return (Disclosure.objects.none(),)
    return (*_disclosures_not_told(user), decisions_not_told_queryset(user=user))


def _sees_not_told(user: User) -> bool:
    return user.has_perm(Permission.REQUEST_VIEW) and is_lead(user)


def _disclosures_not_told(user: User) -> tuple[QuerySet[Disclosure], ...]:
    today = timezone.localdate()
    not_told = Disclosure.objects.filter(agency=user.agency, informed=False)
    follow_ups = InformedFollowUp.objects.filter(disclosure=OuterRef("pk"))
    never_followed_up = (
        not_told.filter(reconsider_on__lte=today)
        .filter(~Exists(follow_ups))
        .annotate(reconsider_by=F("reconsider_on"))
        .order_by("reconsider_by", "id")
    )
    newer = follow_ups.filter(
        Q(recorded_at__gt=OuterRef("newest_recorded_at"))
        | Q(recorded_at=OuterRef("newest_recorded_at"), id__gt=OuterRef("newest_id"))
    )
    newest_not_told = (
        not_told.filter(follow_ups__informed=False, follow_ups__reconsider_on__lte=today)
        .annotate(
            reconsider_by=F("follow_ups__reconsider_on"),
            newest_recorded_at=F("follow_ups__recorded_at"),
            newest_id=F("follow_ups__id"),
        )
        .filter(~Exists(newer))
        .order_by("reconsider_by", "id")
    )
    return never_followed_up, newest_not_told


def consent_lapsed_queryset(*, user: User, days: int) -> QuerySet[Disclosure]:
    """Disclosures in the last ``days`` made after the consent their decision relied on lapsed, newest first.

    3.3.21-3.3.22: the practitioner recorded why each went ahead on another
    basis (``Disclosure.consent_lapsed_reason``), for a lead to see.
    """
    if not (user.has_perm(Permission.REQUEST_VIEW) and is_lead(user)):
        return Disclosure.objects.none()
    since = timezone.now() - timedelta(days=days)
    return (
        Disclosure.objects.filter(agency=user.agency, disclosed_at__gte=since)
        .exclude(consent_lapsed_reason="")
        .order_by("-disclosed_at", "-id")
    )


def not_acknowledged_queryset(*, user: User) -> QuerySet[Disclosure]:
    """Disclosures the agency sent through the service and not acknowledged in time
    (DELIVERY_ACKNOWLEDGE_WITHIN_HOURS; ADR 27), the longest overdue first."""
    if not _sees_not_told(user):
        return Disclosure.objects.none()
    return (
        delivery_selectors.not_acknowledged_disclosures(agency_id=user.agency.pk)
        .annotate(acknowledge_by=F("delivery__acknowledge_by"), addressed_to=F("delivery__addressed_to"))
        .order_by("acknowledge_by", "id")
    )


def consent_reviews_queryset(*, user: User) -> QuerySet[ConsentRecord]:
    """Current consents whose review date has come (3.3.21), oldest review date first.

    A consent is current when it was not withdrawn and no later consent
    superseded it (consent.capacity.status_of).
    """
    if not user.has_perm(Permission.CONSENT_REVIEWS):
        return ConsentRecord.objects.none()
    return (
        ConsentRecord.objects.filter(agency=user.agency, review_on__lte=timezone.localdate())
        .exclude(response=capacity.Response.WITHDRAWN)
        .filter(~Exists(ConsentRecord.objects.filter(supersedes=OuterRef("pk"))))
        .order_by("review_on", "id")
    )


def _with_overdue(queryset: QuerySet[AdviceRequest]) -> QuerySet[AdviceRequest]:
    """Each request marked ``overdue`` when its answer was due by now (the lists hold open requests only)."""
    return queryset.annotate(overdue=Case(When(answer_by__lte=timezone.now(), then=Value(True)), default=Value(False)))


def advice_waiting_queryset(*, user: User) -> QuerySet[AdviceRequest]:
    """Requests for advice (3.5.17) the lead may answer, the answer due soonest first."""
    return _with_overdue(advice_selectors.waiting_for_queryset(user=user))


def advice_overdue_queryset(*, user: User) -> QuerySet[AdviceRequest]:
    """The agency's requests for advice not answered by the time set (ADVICE_*ANSWER_WITHIN_HOURS)."""
    return _with_overdue(advice_selectors.overdue_queryset(user=user))


@dataclass
class Dashboard:
    to_review: Page
    without_consent: Page
    without_consent_days: int
    consent_lapsed: Page
    not_told: Page
    consent_reviews: Page
    open_requests: Page
    open_request_days: int
    unverified: Page
    advice_waiting: Page
    advice_overdue: Page
    advice_within_hours: int
    advice_urgent_within_hours: int
    # Disclosures sent through the service and not acknowledged in time (ADR 27).
    not_acknowledged: Page
    acknowledge_within_hours: int
    # Lists added by the apps beside oversight on the top floor, which it does not import (add_dashboard_panel).
    panels: list[dict]


# What the apps beside oversight on the top floor add to "For review" (subject access requests, ADR 22),
# registered from their AppConfig.ready(): each takes the lead and gives its list's template and what it shows.
DASHBOARD_PANELS: list[Callable[..., dict]] = []


def add_dashboard_panel(panel: Callable[..., dict]) -> None:
    if panel not in DASHBOARD_PANELS:
        DASHBOARD_PANELS.append(panel)


def failing_tasks_panel(*, user: User) -> dict:
    """Background tasks failing across the service (emails, checks, the ledger's sequencing), by kind and how
        many, and whether a worker is running at all: the service's own work, without a word of what any task was
    about, read without a query (worker.status; ADR 23)."""
    worker_status = worker_selectors.worker_status()
    return {
        "template": "oversight/includes/failing_tasks.html",
        "status": worker_status,
        "support_email": settings.SERVICE_SUPPORT_EMAIL,
        "days": worker_selectors.FAILED_SHOWN_DAYS,
    }


def _decision_lists(user: User, days: int) -> tuple[Page, Page, Page]:
    """The decisions to review, those to share without consent, and those whose person is not told yet (the
    decisions' part of the list of people not told), read in one query."""
    to_review = to_review_queryset(user=user)
    without = without_consent_queryset(user=user, days=days)
    not_told = decisions_not_told_queryset(user=user)
    reviewed = DecisionReview.objects.filter(decision=OuterRef("pk"))
    rows = list(
        _shown(SharingDecision.objects.filter(_either(to_review, without, not_told)))
        .order_by()
        .annotate(
            to_review_total=CappedCount(to_review),
            without_consent_total=CappedCount(without),
            not_told_total=CappedCount(not_told),
            is_reviewed=Exists(reviewed),
            without_consent=Exists(without.filter(pk=OuterRef("pk"))),
            not_told_due=Exists(not_told.filter(pk=OuterRef("pk"))),
        )
    )
    first = rows[0] if rows else None
    for row in rows:
        row.reconsider_by = row.reconsider_on
    _linked(rows)
    return (
        _listing(
            _first_of(
                rows,
                lambda d: d.recorded_by_id != user.pk and not d.is_reviewed,
                lambda d: (d.recorded_at, d.id),
            ),
            first and first.to_review_total,
        ),
        _listing(
            _first_of(
                rows, lambda d: d.without_consent, lambda d: (-d.decided_at.timestamp(), -d.recorded_at.timestamp())
            ),
            first and first.without_consent_total,
        ),
        _listing(
            _first_of(rows, lambda d: d.not_told_due, lambda d: (d.reconsider_by, d.id)),
            first and first.not_told_total,
        ),
    )


def _together(first: Page, second: Page) -> Page:
    """Two lists' first pages in the order of the date to reconsider, as one list (people not told)."""
    rows = sorted(first.rows + second.rows, key=lambda row: (row.reconsider_by, row.id))[:LIST_LIMIT]
    total = first.total + second.total
    if first.more_than or second.more_than or total > COUNT_LIMIT:
        return Page(rows, min(total, COUNT_LIMIT), more_than=True, size=LIST_LIMIT)
    return Page(rows, total, size=LIST_LIMIT)


def _request_lists(user: User, days: int) -> tuple[Page, Page]:
    open_requests = open_requests_queryset(user=user, days=days)
    unverified = unverified_queryset(user=user)
    cutoff = timezone.now() - timedelta(days=days)
    rows = list(
        _shown(InformationRequest.objects.filter(_either(open_requests, unverified)))
        .order_by()
        .annotate(open_total=CappedCount(open_requests), unverified_total=CappedCount(unverified))
    )
    first = rows[0] if rows else None
    _linked(rows)

    def oldest_first(r):
        return (r.received_at, str(r.pk))

    # The rows read are on either list: each list keeps its own (a decided request can await verification).
    return (
        _listing(
            _first_of(rows, lambda r: r.is_open and r.received_at < cutoff, oldest_first), first and first.open_total
        ),
        _listing(_first_of(rows, _awaits_verification, oldest_first), first and first.unverified_total),
    )


def _disclosure_lists(user: User, days: int) -> tuple[Page, Page, Page]:
    """The disclosures whose person was never told nor followed up (the first part of the people not told),
    those made after consent lapsed, and those sent through the service and not acknowledged in time, read
    in one query (for a lead: ``_sees_not_told``)."""
    never_told = _disclosures_not_told(user)[0]
    lapsed = consent_lapsed_queryset(user=user, days=days)
    unacknowledged = not_acknowledged_queryset(user=user)
    rows = list(
        _shown(Disclosure.objects.filter(_either(never_told, lapsed, unacknowledged)))
        .order_by()
        .annotate(
            never_told_total=CappedCount(never_told),
            lapsed_total=CappedCount(lapsed),
            unacknowledged_total=CappedCount(unacknowledged),
            never_told_due=Exists(never_told.filter(pk=OuterRef("pk"))),
            after_lapse=Exists(lapsed.filter(pk=OuterRef("pk"))),
            not_acknowledged=Exists(unacknowledged.filter(pk=OuterRef("pk"))),
            acknowledge_by=F("delivery__acknowledge_by"),
            addressed_to=F("delivery__addressed_to"),
        )
    )
    first = rows[0] if rows else None
    for row in rows:
        row.reconsider_by = row.reconsider_on
    _linked(rows)
    newest_first = sorted(
        (row for row in rows if row.after_lapse), key=lambda row: (row.disclosed_at, row.id), reverse=True
    )
    return (
        _listing(
            _first_of(rows, lambda row: row.never_told_due, lambda row: (row.reconsider_by, row.id)),
            first and first.never_told_total,
        ),
        _listing(newest_first[:LIST_LIMIT], first and first.lapsed_total),
        _listing(
            _first_of(rows, lambda row: row.not_acknowledged, lambda row: (row.acknowledge_by, row.id)),
            first and first.unacknowledged_total,
        ),
    )


def _advice_lists(user: User) -> tuple[Page, Page]:
    waiting = advice_waiting_queryset(user=user)
    overdue = advice_overdue_queryset(user=user)
    rows = list(
        _with_overdue(_shown(AdviceRequest.objects.filter(_either(waiting, overdue))))
        .order_by()
        .annotate(waiting_total=CappedCount(waiting), overdue_total=CappedCount(overdue))
    )
    first = rows[0] if rows else None
    _linked(rows)
    me = colleague(user.membership)

    def for_me(row: AdviceRequest) -> bool:
        # The rows read are open: the lead may answer those the rule says they may.
        return may_answer(
            asked_of=row.asked_of_choice, adviser_id=row.adviser_id, asked_by_id=row.asked_by_id, colleague=me
        )

    def soonest_first(row: AdviceRequest) -> tuple:
        return (row.answer_by, str(row.pk))

    return (
        _listing(_first_of(rows, for_me, soonest_first), first and first.waiting_total),
        _listing(_first_of(rows, lambda row: row.overdue, soonest_first), first and first.overdue_total),
    )


def _page(querysets: QuerySet | tuple[QuerySet, ...], *, offset: int = 0, count_limit: int | None = None) -> Page:
    """One page of a list, with its total (counted up to ``count_limit`` past the page).

    A list in parts (each in the same ascending order) is read a part at a
    time, as far as the end of the page, and the parts merged.
    """
    parts = (querysets,) if isinstance(querysets, QuerySet) else querysets
    limit = offset + (COUNT_LIMIT if count_limit is None else count_limit)
    start = offset if len(parts) == 1 else 0
    rows, total = [], 0
    for part in parts:
        read = list(_shown(part).annotate(list_total=CappedCount(part, limit))[start : offset + LIST_LIMIT])
        rows += read
        total += read[0].list_total if read else 0
    if len(parts) > 1:
        order = parts[0].query.order_by
        rows = sorted(rows, key=lambda row: tuple(getattr(row, name) for name in order))[offset : offset + LIST_LIMIT]
    _linked(rows)
    if not rows and offset:
        # Past the end: the total still has to be told.
        total = sum(part.order_by()[: limit + 1].count() for part in parts)
    return _listing(rows, total, offset, limit)


def dashboard(*, user: User) -> Dashboard:
    days_recent, days_open = settings.DASHBOARD_RECENT_DAYS, settings.OPEN_REQUEST_ALERT_DAYS
    to_review, without_consent, decisions_not_told = _decision_lists(user, days_recent)
    open_requests, unverified = _request_lists(user, days_open)
    advice_waiting, advice_overdue = _advice_lists(user)
    if _sees_not_told(user):
        never_told, consent_lapsed, not_acknowledged = _disclosure_lists(user, days_recent)
        told_later = _page(_disclosures_not_told(user)[1])
        not_told = _together(_together(never_told, told_later), decisions_not_told)
    else:
        not_told = consent_lapsed = not_acknowledged = _page(Disclosure.objects.none())
    return Dashboard(
        to_review=to_review,
        without_consent=without_consent,
        without_consent_days=days_recent,
        consent_lapsed=consent_lapsed,
        not_told=not_told,
        consent_reviews=_page(consent_reviews_queryset(user=user)),
        open_requests=open_requests,
        open_request_days=days_open,
        unverified=unverified,
        advice_waiting=advice_waiting,
        advice_overdue=advice_overdue,
        advice_within_hours=settings.ADVICE_ANSWER_WITHIN_HOURS,
        advice_urgent_within_hours=settings.ADVICE_URGENT_ANSWER_WITHIN_HOURS,
        not_acknowledged=not_acknowledged,
        acknowledge_within_hours=settings.DELIVERY_ACKNOWLEDGE_WITHIN_HOURS,
        panels=[panel(user=user) for panel in DASHBOARD_PANELS],
    )


# Each list of the dashboard on a page of its own, to see past the first LIST_LIMIT.


@dataclass(frozen=True)
class DashboardList:
    slug: str
    title: str
    queryset: Callable[[User], QuerySet | tuple[QuerySet, ...]]
    # The table's template (oversight/includes/) and which rows come first.
    table: str
    order: str


DASHBOARD_LISTS = {
    dashboard_list.slug: dashboard_list
    for dashboard_list in (
        DashboardList(
            "to-review",
            "Decisions to review",
            lambda user: to_review_queryset(user=user),
            "to_review.html",
            "oldest first",
        ),
        DashboardList(
            "without-consent",
            "Decisions to share without consent",
            lambda user: without_consent_queryset(user=user, days=settings.DASHBOARD_RECENT_DAYS).annotate(
                is_reviewed=Exists(DecisionReview.objects.filter(decision=OuterRef("pk")))
            ),
            "without_consent.html",
            "newest first",
        ),
        DashboardList(
            "consent-lapsed",
            "Disclosures after the consent relied on lapsed",
            lambda user: consent_lapsed_queryset(user=user, days=settings.DASHBOARD_RECENT_DAYS),
            "consent_lapsed.html",
            "newest first",
        ),
        DashboardList(
            "not-told",
            "People not yet told of a share",
            lambda user: not_told_querysets(user=user),
            "not_told.html",
            "oldest reconsider date first",
        ),
        DashboardList(
            "not-acknowledged",
            "Disclosures sent and not acknowledged in time",
            lambda user: not_acknowledged_queryset(user=user),
            "not_acknowledged.html",
            "the longest overdue first",
        ),
        DashboardList(
            "consent-reviews",
            "Consents due for review",
            lambda user: consent_reviews_queryset(user=user),
            "consent_reviews.html",
            "oldest review date first",
        ),
        DashboardList(
            "open-requests",
            "Requests open too long",
            lambda user: open_requests_queryset(user=user, days=settings.OPEN_REQUEST_ALERT_DAYS),
            "requests.html",
            "oldest first",
        ),
        DashboardList(
            "advice-waiting",
            "Requests for advice waiting for your answer",
            lambda user: advice_waiting_queryset(user=user),
            "advice.html",
            "the answer due soonest first",
        ),
        DashboardList(
            "advice-overdue",
            "Requests for advice not answered in time",
            lambda user: advice_overdue_queryset(user=user),
            "advice.html",
            "the most overdue first",
        ),
        DashboardList(
            "unverified",
            "Requests not verified",
            lambda user: unverified_queryset(user=user),
            "requests.html",
            "oldest first",
        ),
    )
}


def dashboard_list(*, user: User, slug: str, page: int) -> tuple[DashboardList, Page]:
    chosen_list = DASHBOARD_LISTS.get(slug)
    if chosen_list is None:
        raise Http404("No such list")
    offset = (max(page, 1) - 1) * LIST_LIMIT
    return chosen_list, _page(chosen_list.queryset(user), offset=offset, count_limit=LIST_COUNT_LIMIT)


def staff_member_get_for_user(*, user: User, member_id: int) -> User:
    """A member of the user's own agency; 404 for anyone else's."""
    member = (
        User.objects.select_related("staff_membership")
        .filter(pk=member_id, staff_membership__agency=user.agency)
        .first()
    )
    if member is None or user.agency is None:
        raise Http404("No such member of staff")
    return member


def staff_of_agency(*, user: User) -> QuerySet[User]:
    return (
        User.objects.filter(staff_membership__agency=user.agency)
        .select_related("staff_membership")
        .order_by("full_name")
    )
