"""Writes for requests and disclosures. Outcomes, disclosures and follow-ups
are written once and entered in the log."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from core.errors import ApplicationError
from exchange import verification
from exchange.models import (
    Disclosure,
    InformationRequest,
    InformedFollowUp,
    RequestOutcome,
    RequestStatus,
)
from ledger import services as ledger
from records.models import Adult, Child, User
from sharing import guidance
from sharing import selectors as sharing_selectors
from sharing.models import SharingDecision


class NotAllowed(ApplicationError):
    """The guidance does not allow this, and the message says why."""


@transaction.atomic
def request_log(*, user: User, child: Child, adults: list[Adult], details: dict[str, Any]) -> InformationRequest:
    request = InformationRequest(agency=child.agency, child=child, logged_by=user, **details)
    request._history_user = user
    request.full_clean()
    request.save()
    request.adults.set(adults)
    return request


@transaction.atomic
def request_correct(
    *, user: User, request: InformationRequest, adults: list[Adult], details: dict[str, Any]
) -> InformationRequest:
    """Correct the intake of an open request; the history keeps what it said before."""
    for field, value in details.items():
        setattr(request, field, value)
    request._history_user = user
    request.full_clean()
    request.save()
    request.adults.set(adults)
    return request


@transaction.atomic
def request_verify(
    *, user: User, request: InformationRequest, method: str, details: str, verified_at: datetime | None = None
) -> InformationRequest:
    """3.7.4: record how, and by whom, an unknown requester was verified.

    Until something is disclosed under the request (verification.can_verify),
    a decision answering it or not; once only. ``verified_at`` is when the
    call back was made, if not now (never later than now).
    """
    request = InformationRequest.objects.select_for_update().get(pk=request.pk)
    if not request.can_be_verified:
        raise NotAllowed(
            "This requester is already verified, or the request is past verifying: something has been disclosed "
            "under it, or it was declined or withdrawn"
        )
    now = timezone.now()
    if verified_at is not None and verified_at > now:
        raise NotAllowed("The requester cannot have been verified in the future")
    request.verified_at = verified_at or now
    request.verified_by = user
    request.verification_method = method
    request.verification_details = details
    request._history_user = user
    request.save(update_fields=["verified_at", "verified_by", "verification_method", "verification_details"])
    return request


def request_status(request: InformationRequest) -> RequestStatus:
    outcome = getattr(request, "outcome", None)
    return RequestStatus(outcome.outcome) if outcome else RequestStatus.OPEN


@transaction.atomic
def request_close(
    *,
    user: User,
    request: InformationRequest,
    outcome: RequestStatus,
    reasons: str = "",
    decision: SharingDecision | None = None,
) -> RequestOutcome:
    """Record what became of a request, once."""
    request = InformationRequest.objects.select_for_update().get(pk=request.pk)
    existing = RequestOutcome.objects.filter(request=request).first()
    if existing is not None:
        return existing
    if outcome == RequestStatus.DECIDED and decision is None:
        raise NotAllowed("A decided request needs its decision")
    if outcome in (RequestStatus.DECLINED, RequestStatus.WITHDRAWN) and not reasons.strip():
        raise NotAllowed("Give the reasons")
    record = RequestOutcome(
        request=request,
        outcome=outcome,
        decision=decision,
        reasons=reasons,
        recorded_by=user,
        recorder_name=user.full_name,
        recorded_at=timezone.now(),
    )
    ledger.append(record)
    # A decision leaves the requester open to verifying until something is
    # disclosed under it; a decline or withdrawal ends it (3.7.4).
    still_verifiable = verification.verification_stays_open(outcome=outcome, disclosed=False)
    InformationRequest.objects.filter(pk=request.pk).update(
        is_open=False, verification_open=request.verification_open and still_verifiable
    )
    return record


def draft_prefill(request: InformationRequest) -> dict[str, Any]:
    """Question 1 of a decision, started from a request, typed in for the practitioner to check."""
    purpose = (
        f"{request.requester_name} ({request.requester_role}, {request.requester_agency}) asked for: "
        f"{request.information_needed}\nWhy: {request.reason}\nWhat they will do with it: {request.intended_use}"
    )
    if request.others_to_tell:
        purpose += f"\nWho else needs to know: {request.others_to_tell}"
    return {"purpose": purpose, "concern_level": request.risk_level}


def disclosure_problems(
    *, decision: SharingDecision, request: InformationRequest | None, override: str, checks: list[str] = ()
) -> list[str]:
    problems = []
    if decision.outcome == guidance.Outcome.DO_NOT_SHARE:
        problems.append("The decision was not to share: nothing can be disclosed against it")
    unverified = request is not None and not request.is_verified
    if unverified and not override.strip():
        problems.append(
            "The requester has not been verified: verify them by calling their agency back (3.7.4), or give the "
            "reason for disclosing without it"
        )
    if unverified and verification.CALLER_VERIFIED in checks:
        problems.append("The requester has not been verified: the record cannot say that they were (3.7.4)")
    if request is not None and request.outside_police_categories:
        problems.append("The request is outside the categories the police can answer and must be declined (3.6.10)")
    return problems


def consent_problems(*, decision: SharingDecision, lapsed_reason: str) -> list[str]:
    """3.3.21-3.3.22: nothing is disclosed under a decision whose consent lapsed, unless on another basis, said why."""
    lapsed = sharing_selectors.consent_lapse_of(decision=decision)
    if lapsed is None or lapsed_reason.strip():
        return []
    return [f"{lapsed.note.cited} {guidance.CONSENT_LAPSE_NEXT_STEP}"]


@transaction.atomic
def disclosure_record(
    *, user: User, decision: SharingDecision, details: dict[str, Any], request: InformationRequest | None = None
) -> Disclosure:
    if request is not None:
        # Locked, as verifying it does: a disclosure ends verifying (3.7.4).
        request = InformationRequest.objects.select_for_update().get(pk=request.pk)
    problems = disclosure_problems(
        decision=decision,
        request=request,
        override=details.get("unverified_override", ""),
        checks=details.get("checks", []),
    )
    problems += consent_problems(decision=decision, lapsed_reason=details.get("consent_lapsed_reason", ""))
    if problems:
        raise NotAllowed(problems[0])
    disclosure = Disclosure(
        agency=decision.agency,
        child=decision.child,
        decision=decision,
        request=request,
        recorded_by=user,
        recorder_name=user.full_name,
        recorder_role=user.role_then.role,
        recorded_at=timezone.now(),
        **details,
    )
    ledger.append(disclosure)
    if request is not None and request.verification_open:
        # 3.7.4: verifying is for before anything is divulged.
        InformationRequest.objects.filter(pk=request.pk).update(verification_open=False)
    return disclosure


def still_not_informed(disclosure: Disclosure) -> bool:
    """Nobody has been told yet, by the disclosure or its newest follow-up."""
    follow_ups = sorted(disclosure.follow_ups.all(), key=lambda f: f.recorded_at)
    latest = follow_ups[-1] if follow_ups else disclosure
    return not latest.informed


def reconsider_date(disclosure: Disclosure):
    follow_ups = sorted(disclosure.follow_ups.all(), key=lambda f: f.recorded_at)
    return (follow_ups[-1] if follow_ups else disclosure).reconsider_on


@transaction.atomic
def follow_up_record(*, user: User, disclosure: Disclosure, details: dict[str, Any]) -> InformedFollowUp:
    follow_up = InformedFollowUp(
        disclosure=disclosure,
        recorded_by=user,
        recorder_name=user.full_name,
        recorded_at=timezone.now(),
        **details,
    )
    ledger.append(follow_up)
    return follow_up
