"""Reads of requests and disclosures, scoped to the user's agency."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Exists, Max, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404

from core.paging import Page, page_counted
from core.periods import within
from exchange import through_service, verification
from exchange.models import (
    METHOD_CHECKS,
    Disclosure,
    InformationRequest,
    InformedFollowUp,
    Method,
    PoliceCategory,
    RequestOutcome,
    RequestStatus,
    SentRequest,
)
from ledger import history, receipts
from records.models import Agency, Child, StaffMembership, User
from records.roles import CASE_ROLES, Permission
from sharing import guidance, summary
from sharing.models import DecisionDraft, Direction, SharingDecision


def request_status(information_request: InformationRequest) -> RequestStatus:
    outcome = getattr(information_request, "outcome", None)
    return RequestStatus(outcome.outcome) if outcome else RequestStatus.OPEN


def request_get_for_user(*, user: User, request_id: uuid.UUID) -> InformationRequest:
    information_request = (
        InformationRequest.objects.select_related("child", "agency", "logged_by", "verified_by", "outcome")
        .prefetch_related("adults", "drafts", "disclosures")
        .filter(pk=request_id, agency=user.agency)
        .first()
    )
    if information_request is None or not user.has_perm(Permission.REQUEST_VIEW, information_request):
        raise Http404("No request found")
    return information_request


def requests_for_agency(
    *, user: User, status: str = "", received_from: date | None = None, received_to: date | None = None
) -> QuerySet[InformationRequest]:
    if not user.has_perm(Permission.REQUEST_VIEW):
        return InformationRequest.objects.none()
    requests = InformationRequest.objects.filter(agency=user.agency).select_related("child", "outcome")
    if status == RequestStatus.OPEN:
        requests = requests.filter(outcome__isnull=True)
    elif status:
        requests = requests.filter(outcome__outcome=status)
    requests = within(requests, "received_at__date", received_from, received_to)
    return requests.order_by("-received_at", "-logged_at")


def handling_status(*, outcome: str, disclosed: bool, awaits_verification: bool) -> str:
    """Where a request stands, as the list of requests a practitioner is handling says it: disclosed, closed
    (decided, declined, withdrawn) or open, and whether its requester is still to be verified (3.7.4,
    ``verification.awaits_verification``: recording a decision does not end that, verifying does)."""
    if disclosed:
        return "Disclosed"
    label = RequestStatus(outcome).label if outcome else RequestStatus.OPEN.label
    return f"{label}: verification outstanding" if awaits_verification else label


def requests_handled_by(*, user: User, page: int) -> Page:
    """A page of the requests of the user's agency that the user logged, verified, decided from, closed or
    disclosed under, newest received first: one query for the page and its count.

    Each row carries ``status_label`` (``handling_status``), ``first_disclosed_at`` and, while it is open,
    ``answer_by``: the day it goes on the lead's list of requests open too long (OPEN_REQUEST_ALERT_DAYS).
    """
    if not user.has_perm(Permission.REQUEST_VIEW):
        return Page([], 0)
    handled = (
        Q(logged_by=user)
        | Q(verified_by=user)
        | Exists(RequestOutcome.objects.filter(request=OuterRef("pk"), recorded_by=user))
        | Exists(DecisionDraft.objects.filter(request=OuterRef("pk"), author=user))
        | Exists(Disclosure.objects.filter(request=OuterRef("pk"), recorded_by=user))
    )
    first_disclosure = Disclosure.objects.filter(request=OuterRef("pk")).order_by("disclosed_at", "id")
    requests = (
        InformationRequest.objects.filter(handled, agency=user.agency)
        .select_related("child", "outcome")
        .annotate(first_disclosed_at=Subquery(first_disclosure.values("disclosed_at")[:1]))
        .order_by("-received_at", "-logged_at", "id")
    )
    listing = page_counted(requests, page)
    alert_after = timedelta(days=settings.OPEN_REQUEST_ALERT_DAYS)
    for row in listing.rows:
        outcome = getattr(row, "outcome", None)
        row.status_label = handling_status(
            outcome=outcome.outcome if outcome else "",
            disclosed=row.first_disclosed_at is not None,
            awaits_verification=row.can_be_verified,
        )
        row.closed_at = outcome.recorded_at if outcome else None
        row.answer_by = None if outcome or row.first_disclosed_at else row.received_at + alert_after
    return listing


def requests_awaiting_decision(*, user: User, child: Child) -> list[InformationRequest]:
    """The child's open requests a decision can answer (not those the police must decline, 3.6.10), newest first."""
    if not user.has_perm(Permission.REQUEST_VIEW, child):
        return []
    requests = InformationRequest.objects.filter(agency=user.agency, child=child, is_open=True).exclude(
        police_category=PoliceCategory.NONE
    )
    return list(requests.order_by("-received_at", "-logged_at"))


def disclosure_get_for_user(*, user: User, disclosure_id: uuid.UUID) -> Disclosure:
    disclosure = _disclosures_in_full().filter(pk=disclosure_id, agency=user.agency).first()
    if disclosure is None or not user.has_perm(Permission.REQUEST_VIEW, disclosure):
        raise Http404("No disclosure found")
    return disclosure


def disclosure_standings(*, disclosure: Disclosure) -> dict[str, receipts.Standing]:
    """Where the disclosure and its follow-ups stand in the log (ADR 13, item 6): two queries at most."""
    return receipts.standings([disclosure, *disclosure.follow_ups.all()])


def follow_up_get_for_user(*, user: User, disclosure_id: uuid.UUID, follow_up_id: uuid.UUID) -> InformedFollowUp:
    """A follow-up of a disclosure the user may see (it is shown on the disclosure's page); 404 otherwise."""
    disclosure = disclosure_get_for_user(user=user, disclosure_id=disclosure_id)
    follow_up = next((follow_up for follow_up in disclosure.follow_ups.all() if follow_up.pk == follow_up_id), None)
    if follow_up is None:
        raise Http404("No follow-up found")
    return follow_up


def requester_warning(information_request: InformationRequest | None) -> str:
    """3.7.4: what a decision started from a request says on each of its pages
    while the person asking is not verified; nothing otherwise."""
    if information_request is None or information_request.is_verified:
        return ""
    return verification.unverified_warning(
        name=information_request.requester_name,
        role=information_request.requester_role,
        agency=information_request.requester_agency,
    )


@dataclass(frozen=True)
class AnsweredRequest:
    """The request a recorded decision answers, read from the request itself
    (not copied into the decision): who asked, how, and whether they were
    verified when the decision was made (3.7.1, 3.7.4, 3.7.9; 000 for a refusal)."""

    information_request: InformationRequest | None
    when_verified: verification.WhenVerified | None
    # The signed-in person may verify the requester now (3.7.4: until something is disclosed).
    can_verify: bool

    @property
    def logged(self) -> bool:
        return self.information_request is not None


def answered_request(*, user: User | None, decision: SharingDecision) -> AnsweredRequest | None:
    """What the decision's page says of the request it answers; None for a
    decision nobody asked for. Reads what ``decision_get_for_user`` read with
    the decision (its draft and the draft's request): no query of its own.
    Without a user (on paper), nobody is offered to verify the requester."""
    try:
        information_request = decision.draft.request
    except ObjectDoesNotExist:
        # Recorded without a draft (a loaded data set, say): nobody is known to have asked.
        information_request = None
    if information_request is None:
        if decision.direction != Direction.REQUEST_RECEIVED:
            return None
        return AnsweredRequest(information_request=None, when_verified=None, can_verify=False)
    when = verification.verified_when(
        known=information_request.requester_known,
        verified_at=information_request.verified_at,
        decided_at=decision.decided_at,
    )
    may_verify = (
        user is not None
        and information_request.can_be_verified
        and user.has_perm(Permission.REQUEST_LOG, information_request)
    )
    return AnsweredRequest(information_request=information_request, when_verified=when, can_verify=may_verify)


# On paper: what a record's PDF shows, for its own PDF, a bundle of a child's records, or a release to the
# person it is about. None of these needs a request; the caller has checked who may see the records.


@dataclass(frozen=True)
class _LoggedRow:
    """A row of a request's change history as its entry in the log names it (ledger.history)."""

    ledger_kind: str
    ledger_record_id: str


def _requests_in_full() -> QuerySet[InformationRequest]:
    return InformationRequest.objects.select_related(
        "child", "agency", "logged_by", "verified_by", "outcome"
    ).prefetch_related("adults", "drafts", "disclosures")


def request_labels(information_request: InformationRequest) -> dict[str, str]:
    """The police category and the risk of harm in words, as the request's page and paper show them."""
    return {
        "police_category_label": dict(PoliceCategory.choices).get(information_request.police_category, ""),
        "risk_label": guidance.CONCERN_LABELS.get(information_request.risk_level, information_request.risk_level),
    }


def request_on_paper(information_request: InformationRequest) -> dict:
    """What one request shows on paper: ``requests_on_paper`` of it alone."""
    return requests_on_paper([information_request])[0]


def requests_on_paper(requests: list[InformationRequest]) -> list[dict]:
    """What each request shows on paper, with its outcome: as its page, and where each stands in the log (the
    request as last changed, a row of its change history; its outcome): three queries and two, for them all."""
    latest = dict(
        InformationRequest.history.filter(id__in=[information_request.pk for information_request in requests])
        .order_by()
        .values("id")
        .annotate(latest=Max("history_id"))
        .values_list("id", "latest")
    )
    kind = history.kind_of(InformationRequest.history.model)
    logged = {request_id: _LoggedRow(kind, str(history_id)) for request_id, history_id in latest.items()}
    request_standings = receipts.standings(logged.values())
    outcomes = [information_request.outcome for information_request in requests if _outcome_of(information_request)]
    outcome_standings = receipts.standings(outcomes)
    on_paper = []
    for information_request in requests:
        row = logged.get(information_request.pk)
        outcome = _outcome_of(information_request)
        on_paper.append(
            {
                "info_request": information_request,
                "on_paper": True,
                "status": request_status(information_request),
                **request_labels(information_request),
                "request_standing": request_standings.get(row.ledger_record_id) if row else None,
                "outcome_standing": outcome_standings.get(str(outcome.pk)) if outcome else None,
            }
        )
    return on_paper


def _outcome_of(information_request: InformationRequest) -> RequestOutcome | None:
    return getattr(information_request, "outcome", None)


def child_requests_on_paper(*, child: Child, start: date | None = None, end: date | None = None) -> list[dict]:
    """The child's requests received from ``start`` to ``end`` (days, either open), oldest first, on paper."""
    requests = _requests_in_full().filter(child=child, agency_id=child.agency_id).order_by("received_at", "logged_at")
    requests = within(requests, "received_at__date", start, end)
    return requests_on_paper(list(requests))


def _disclosures_in_full() -> QuerySet[Disclosure]:
    return Disclosure.objects.select_related("child", "decision", "request").prefetch_related(
        Prefetch("follow_ups", queryset=InformedFollowUp.objects.order_by("recorded_at"))
    )


def still_not_informed(disclosure: Disclosure) -> bool:
    """Nobody has been told yet, by the disclosure or its newest follow-up."""
    follow_ups = sorted(disclosure.follow_ups.all(), key=lambda f: f.recorded_at)
    latest = follow_ups[-1] if follow_ups else disclosure
    return not latest.informed


def disclosures_on_paper(disclosures: list[Disclosure]) -> list[dict]:
    """What each disclosure's PDF shows, with its follow-ups (its page adds the follow-up form), in the
    disclosures' order; their places in the log are read for them all at once (two queries)."""
    standings = receipts.standings(
        [part for disclosure in disclosures for part in (disclosure, *disclosure.follow_ups.all())]
    )
    on_paper = []
    for disclosure in disclosures:
        checks = dict(METHOD_CHECKS.get(disclosure.method, []))
        follow_ups = list(disclosure.follow_ups.all())
        on_paper.append(
            {
                "disclosure": disclosure,
                "on_paper": True,
                "method_label": dict(Method.choices)[disclosure.method],
                "onward_label": dict(summary.ONWARD_SHARING).get(disclosure.onward_sharing, disclosure.onward_sharing),
                "checks": [checks.get(key, key) for key in disclosure.checks],
                "follow_ups": follow_ups,
                "outstanding": still_not_informed(disclosure),
                "follow_up_form": None,
                "standings": standings,
            }
        )
    return on_paper


def disclosure_on_paper(disclosure: Disclosure) -> dict:
    """What one disclosure's PDF shows: ``disclosures_on_paper`` of it alone."""
    return disclosures_on_paper([disclosure])[0]


def child_disclosures_on_paper(*, child: Child, start: date | None = None, end: date | None = None) -> list[dict]:
    """The child's disclosures made from ``start`` to ``end`` (days, either open), oldest first, on paper."""
    disclosures = _disclosures_in_full().filter(child=child, agency_id=child.agency_id).order_by("disclosed_at", "id")
    disclosures = within(disclosures, "disclosed_at__date", start, end)
    return disclosures_on_paper(list(disclosures))


# Sending a disclosure through this service (ADR 27).


def service_agencies(*, user: User) -> list[tuple[str, str]]:
    """The agencies on this service a disclosure can be sent to, as choices: those a request can be sent to."""
    return [(str(agency.pk), agency.name) for agency in agencies_to_ask(user=user)]


def service_people(*, agency_id: str | int | None) -> list[tuple[str, str]]:
    """The people of an active agency on this service who work with case records and can sign in: who a
    disclosure can be sent to by name."""
    if not str(agency_id or "").isdigit():
        return []
    staff = (
        StaffMembership.objects.filter(
            agency_id=int(agency_id), agency__is_active=True, role__in=CASE_ROLES, user__is_active=True
        )
        .select_related("user")
        .order_by("user__full_name", "pk")
    )
    return [
        (str(member.user_id), f"{member.user.full_name}, {member.job_title or member.get_role_display().lower()}")
        for member in staff
    ]


# Requests sent through this service (ADR 26). The agency asking reads its own, with where each stands; the
# agency asked reads those sent to it, with the details it needs to find the child; neither reads the other's
# records.


def agencies_to_ask(*, user: User) -> list[Agency]:
    """The other agencies on this service, active, by name."""
    return list(Agency.objects.filter(is_active=True).exclude(pk=user.agency.pk).order_by("name"))


def _sent_with_standing() -> QuerySet[SentRequest]:
    return SentRequest.objects.select_related("to_agency", "match__information_request__outcome__decision")


def sent_standing(sent_request: SentRequest) -> dict:
    """Where a sent request stands for the agency asking (through_service.standing), with the times: sent,
    matched (or said not known), answered. Read with the request (``_sent_with_standing``): no query."""
    match = getattr(sent_request, "match", None)
    information_request = match.information_request if match is not None else None
    outcome = getattr(information_request, "outcome", None) if information_request is not None else None
    decision = outcome.decision if outcome is not None else None
    key = through_service.standing(
        matched=None if match is None else match.matched,
        outcome=outcome.outcome if outcome is not None else "",
        decision_outcome=decision.outcome if decision is not None else "",
    )
    return {
        "key": key,
        "label": through_service.STANDING_LABELS[key],
        "sent_at": sent_request.sent_at,
        "matched_at": match.recorded_at if match is not None and match.matched else None,
        "not_known_at": match.recorded_at if match is not None and not match.matched else None,
        "not_known_reason": match.reason if match is not None and not match.matched else "",
        "answered_at": outcome.recorded_at if outcome is not None else None,
    }


def sent_requests_for_child(*, user: User, child: Child) -> list[tuple[SentRequest, dict]]:
    """The requests the user's agency sent about the child, newest first, each with where it stands."""
    if not user.has_perm(Permission.REQUEST_VIEW, child):
        return []
    sent = _sent_with_standing().filter(agency=user.agency, child=child).order_by("-sent_at")
    return [(sent_request, sent_standing(sent_request)) for sent_request in sent]


def sent_request_get_for_user(*, user: User, sent_id: uuid.UUID) -> SentRequest:
    """A request the user's agency sent; 404 for anyone else (the agency asked reads it as received)."""
    sent_request = _sent_with_standing().select_related("child").filter(pk=sent_id, agency=user.agency).first()
    if sent_request is None or not user.has_perm(Permission.REQUEST_VIEW, sent_request):
        raise Http404("No request found")
    return sent_request


def received_to_match(*, user: User) -> list[SentRequest]:
    """The requests sent to the user's agency through this service and not yet matched, oldest first."""
    if not user.has_perm(Permission.REQUEST_VIEW) or user.agency is None:
        return []
    return list(SentRequest.objects.filter(to_agency=user.agency, match__isnull=True).order_by("sent_at"))


def received_get_for_user(*, user: User, received_id: uuid.UUID) -> SentRequest:
    """A request sent to the user's agency through this service; 404 for anyone else, the agency that sent it
    too (it reads it as sent)."""
    received = (
        # The child asked about, read with it: its look is logged against that child (ADR 26).
        SentRequest.objects.select_related("child", "match__information_request")
        .filter(pk=received_id, to_agency=user.agency)
        .first()
        if user.agency is not None
        else None
    )
    if received is None or not user.has_perm(Permission.REQUEST_VIEW):
        raise Http404("No request found")
    return received
