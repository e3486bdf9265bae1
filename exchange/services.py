"""Writes for requests and disclosures. Outcomes, disclosures and follow-ups
are written once and entered in the log."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from datetime import date, datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from core.errors import ApplicationError
from exchange import through_service, verification
from exchange.models import (
    Channel,
    Disclosure,
    DisclosureDraft,
    InformationRequest,
    InformedFollowUp,
    RequestMatch,
    RequestOutcome,
    RequestStatus,
    SentRequest,
    VerificationMethod,
)

# Read by the views and tests through the services, as they were before the selectors held them.
from exchange.selectors import request_status  # noqa: F401
from ledger import services as ledger
from notifications.models import Kind
from notifications.services import Notice, Recipients, notification_send
from records.models import Adult, Agency, Child, User
from sharing import guidance
from sharing import selectors as sharing_selectors
from sharing.models import SharingDecision


class NotAllowed(ApplicationError):
    """The guidance does not allow this, and the message says why."""


@dataclass(frozen=True, kw_only=True)
class RequestDetails:
    """Who asked for what, when and why (3.7.1): the intake of an information request."""

    received_at: datetime
    channel: str  # Channel
    requester_name: str
    requester_role: str
    requester_agency: str
    requester_agency_kind: str  # Agency.Kind
    requester_contact: str
    information_needed: str
    reason: str
    intended_use: str
    risk_level: str  # guidance.Concern
    requester_known: bool = False
    others_to_tell: str = ""
    # 3.6.9-3.6.10: asked of a police agency only.
    police_category: str = ""

    @classmethod
    def of(cls, information_request: InformationRequest) -> RequestDetails:
        """The intake as the request holds it now, to correct one part."""
        return cls(**{column.name: getattr(information_request, column.name) for column in fields(cls)})


@dataclass(frozen=True, kw_only=True)
class ClosingDetails:
    """What became of a request: decided (with the decision), declined or withdrawn (with the reasons)."""

    outcome: RequestStatus
    reasons: str = ""
    decision: SharingDecision | None = None


@dataclass(frozen=True, kw_only=True)
class DisclosureDetails:
    """What was disclosed, to whom, when and how (3.7.6-3.7.9), and whether the person was told (3.5.19)."""

    items: list[dict[str, str]]
    recipient_name: str
    recipient_role: str
    recipient_agency: str
    disclosed_at: datetime
    method: str  # Method
    onward_sharing: str
    informed: bool
    method_detail: str = ""
    checks: list[str] = field(default_factory=list)  # METHOD_CHECKS of the method
    onward_detail: str = ""
    # 3.5.20: told only under consent that covers the share; None when none was relied on.
    consent_limits_told: bool | None = None
    informed_on: date | None = None
    informed_by: str = ""
    not_informed_reason: str = ""
    reconsider_on: date | None = None
    # 3.7.4: why an unverified requester was answered all the same.
    unverified_override: str = ""
    # 3.3.21-3.3.22: the other basis for disclosing once the consent relied on has lapsed.
    consent_lapsed_reason: str = ""


@dataclass(frozen=True, kw_only=True)
class Sending:
    """A disclosure sent through this service (ADR 27): to which agency on it, to whom there (None: its
    safeguarding leads), and until when they may keep it (3.5.20). Sent by the delivery app."""

    agency_id: int
    person_id: int | None
    keep_until: date


@dataclass(frozen=True, kw_only=True)
class FollowUpDetails:
    """Whether the person has now been told of a disclosure, or why not yet and when to reconsider (3.5.19)."""

    informed: bool
    informed_on: date | None = None
    informed_by: str = ""
    reasons: str = ""
    reconsider_on: date | None = None


@transaction.atomic
def request_log(*, user: User, child: Child, adults: list[Adult], details: RequestDetails) -> InformationRequest:
    information_request = InformationRequest(agency=child.agency, child=child, logged_by=user, **asdict(details))
    information_request._history_user = user
    information_request.full_clean()
    information_request.save()
    information_request.adults.set(adults)
    # The agency's leads, but for whoever logged it (the handler, who knows already).
    notification_send(
        notice=Notice(
            kind=Kind.REQUEST_RECEIVED,
            link=reverse("exchange:request_detail", args=[information_request.pk]),
            about=f"request:{information_request.pk}",
        ),
        to=Recipients(leads_of_agency=information_request.agency_id, other_than=(user.pk,)),
    )
    return information_request


@transaction.atomic
def request_correct(
    *, user: User, information_request: InformationRequest, adults: list[Adult], details: RequestDetails
) -> InformationRequest:
    """Correct the intake of an open request; the history keeps what it said before."""
    for name, value in asdict(details).items():
        setattr(information_request, name, value)
    information_request._history_user = user
    information_request.full_clean()
    information_request.save()
    information_request.adults.set(adults)
    return information_request


@transaction.atomic
def request_verify(
    *,
    user: User,
    information_request: InformationRequest,
    method: str,
    details: str,
    verified_at: datetime | None = None,
) -> InformationRequest:
    """3.7.4: record how, and by whom, an unknown requester was verified.

    Until something is disclosed under the request (verification.can_verify),
    a decision answering it or not; once only. ``verified_at`` is when the
    call back was made, if not now (never later than now).
    """
    information_request = InformationRequest.objects.select_for_update().get(pk=information_request.pk)
    if not information_request.can_be_verified:
        raise NotAllowed(
            "This requester is already verified, or the request is past verifying: something has been disclosed "
            "under it, or it was declined or withdrawn"
        )
    now = timezone.now()
    if verified_at is not None and verified_at > now:
        raise NotAllowed("The requester cannot have been verified in the future")
    information_request.verified_at = verified_at or now
    information_request.verified_by = user
    information_request.verification_method = method
    information_request.verification_details = details
    information_request._history_user = user
    information_request.save(
        update_fields=["verified_at", "verified_by", "verification_method", "verification_details"]
    )
    return information_request


@transaction.atomic
def request_outcome_record(
    *, user: User, information_request: InformationRequest, closing: ClosingDetails
) -> RequestOutcome:
    """Record what became of a request, once."""
    information_request = InformationRequest.objects.select_for_update().get(pk=information_request.pk)
    existing = RequestOutcome.objects.filter(request=information_request).first()
    if existing is not None:
        return existing
    if closing.outcome == RequestStatus.DECIDED and closing.decision is None:
        raise NotAllowed("A decided request needs its decision")
    if closing.outcome in (RequestStatus.DECLINED, RequestStatus.WITHDRAWN) and not closing.reasons.strip():
        raise NotAllowed("Give the reasons")
    record = RequestOutcome(
        request=information_request,
        outcome=closing.outcome,
        decision=closing.decision,
        reasons=closing.reasons,
        recorded_by=user,
        recorder_name=user.full_name,
        recorded_at=timezone.now(),
    )
    ledger.append(record)
    if information_request.channel == Channel.THROUGH_SERVICE:  # asked by another agency on the service
        match = RequestMatch.objects.filter(information_request=information_request).select_related("sent_request")
        if (matched := match.first()) is not None:
            _tell_the_sender_answered(matched.sent_request)
    # A decision leaves the requester open to verifying until something is
    # disclosed under it; a decline or withdrawal ends it (3.7.4).
    still_verifiable = verification.verification_stays_open(outcome=closing.outcome, disclosed=False)
    InformationRequest.objects.filter(pk=information_request.pk).update(
        is_open=False, verification_open=information_request.verification_open and still_verifiable
    )
    return record


def draft_prefill(information_request: InformationRequest) -> dict[str, Any]:
    """Question 1 of a decision, started from a request, typed in for the practitioner to check."""
    requester = (
        f"{information_request.requester_name} ({information_request.requester_role}, "
        f"{information_request.requester_agency})"
    )
    purpose = (
        f"{requester} asked for: {information_request.information_needed}\nWhy: {information_request.reason}\n"
        f"What they will do with it: {information_request.intended_use}"
    )
    if information_request.others_to_tell:
        purpose += f"\nWho else needs to know: {information_request.others_to_tell}"
    return {"purpose": purpose, "concern_level": information_request.risk_level}


def disclosure_problems(
    *,
    decision: SharingDecision,
    information_request: InformationRequest | None,
    override: str,
    checks: list[str] = (),
) -> list[str]:
    # Messages say what to do; the paragraphs (3.7.4, 3.6.10) are in the comments, and linked on the pages.
    problems = []
    if decision.outcome == guidance.Outcome.DO_NOT_SHARE:
        problems.append("The decision was not to share: nothing can be disclosed against it")
    unverified = information_request is not None and not information_request.is_verified
    # 3.7.4: an unknown requester is verified by calling back before anything is disclosed.
    if unverified and not override.strip():
        problems.append(
            "The requester has not been verified: verify them by calling their agency back, or give the "
            "reason for disclosing without it"
        )
    if unverified and verification.CALLER_VERIFIED in checks:
        problems.append("The requester has not been verified: the record cannot say that they were")
    if information_request is not None and information_request.outside_police_categories:  # 3.6.10
        problems.append("The request is outside the categories the police can answer and must be declined")
    return problems


def consent_problems(*, decision: SharingDecision, lapsed_reason: str) -> list[str]:
    """3.3.21-3.3.22: nothing is disclosed under a decision whose consent lapsed, unless on another basis, said why."""
    lapsed = sharing_selectors.consent_lapse_of(decision=decision)
    if lapsed is None or lapsed_reason.strip():
        return []
    return [f"{lapsed.note.cited} {guidance.CONSENT_LAPSE_NEXT_STEP}"]


@transaction.atomic
def disclosure_record(
    *,
    user: User,
    decision: SharingDecision,
    details: DisclosureDetails,
    information_request: InformationRequest | None = None,
    draft: DisclosureDraft | None = None,
) -> Disclosure:
    """Record what was disclosed, once, in the log; ``draft``: the draft it was recorded from, gone with it."""
    if information_request is not None:
        # Locked, as verifying it does: a disclosure ends verifying (3.7.4).
        information_request = InformationRequest.objects.select_for_update().get(pk=information_request.pk)
    problems = disclosure_problems(
        decision=decision,
        information_request=information_request,
        override=details.unverified_override,
        checks=details.checks,
    )
    problems += consent_problems(decision=decision, lapsed_reason=details.consent_lapsed_reason)
    if problems:
        raise NotAllowed(problems[0])
    disclosure = Disclosure(
        agency=decision.agency,
        child=decision.child,
        decision=decision,
        request=information_request,
        recorded_by=user,
        recorder_name=user.full_name,
        recorder_role=user.role_then.role,
        recorded_at=timezone.now(),
        **asdict(details),
    )
    ledger.append(disclosure)
    if information_request is not None and information_request.verification_open:
        # 3.7.4: verifying is for before anything is divulged.
        InformationRequest.objects.filter(pk=information_request.pk).update(verification_open=False)
    if draft is not None:
        DisclosureDraft.objects.filter(pk=draft.pk).delete()
    return disclosure


def reconsider_date(disclosure: Disclosure):
    follow_ups = sorted(disclosure.follow_ups.all(), key=lambda f: f.recorded_at)
    return (follow_ups[-1] if follow_ups else disclosure).reconsider_on


@transaction.atomic
def follow_up_record(*, user: User, disclosure: Disclosure, details: FollowUpDetails) -> InformedFollowUp:
    follow_up = InformedFollowUp(
        disclosure=disclosure,
        recorded_by=user,
        recorder_name=user.full_name,
        recorded_at=timezone.now(),
        **asdict(details),
    )
    ledger.append(follow_up)
    return follow_up


@dataclass(frozen=True, kw_only=True)
class SentRequestDetails:
    """What a practitioner asks another agency on this service, and why (000, 3.7.1; 3.6.9 of the police)."""

    to_agency: Agency
    information_needed: str
    reason: str
    intended_use: str
    others_to_tell: str
    risk_level: str  # guidance.Concern
    police_category: str = ""


@transaction.atomic
def sent_request_send(*, user: User, child: Child, details: SentRequestDetails, two_factor: bool) -> SentRequest:
    """Send a request about a child to another agency on this service (ADR 26): written once, with the child's
    details as they are now for the agency asked to find the child among its own; its leads are told."""
    to_agency = details.to_agency
    if not to_agency.is_active or to_agency.pk == child.agency_id:
        raise NotAllowed("Choose another agency on this service")
    answers = through_service.Answers(asked_agency_is_police=to_agency.kind == Agency.Kind.POLICE)
    police_category = details.police_category if through_service.page_applies("police-category", answers) else ""
    if through_service.page_applies("police-category", answers) and not police_category:
        raise NotAllowed("Select the category of request (3.6.9)")
    role = user.role_then
    sent_request = SentRequest(
        agency=child.agency,
        child=child,
        to_agency=to_agency,
        child_name=child.full_name,
        child_other_names=child.other_names,
        child_date_of_birth=child.date_of_birth,
        child_expected_date_of_birth=child.expected_date_of_birth,
        child_nhs_number=child.nhs_number,
        child_address=child.address,
        child_postcode=child.postcode,
        information_needed=details.information_needed,
        reason=details.reason,
        intended_use=details.intended_use,
        others_to_tell=details.others_to_tell,
        risk_level=details.risk_level,
        police_category=police_category,
        sent_by=user,
        sender_name=user.full_name,
        sender_role=role.role,
        sender_job_title=role.job_title,
        sender_email=user.email,
        sender_agency_name=child.agency.name,
        sender_agency_kind=child.agency.kind,
        sender_two_factor=two_factor,
        sent_at=timezone.now(),
    )
    sent_request.full_clean()
    ledger.append(sent_request)
    notification_send(
        notice=Notice(
            kind=Kind.REQUEST_RECEIVED,
            link=reverse("exchange:received_detail", args=[sent_request.pk]),
            about=f"sent-request:{sent_request.pk}",
        ),
        to=Recipients(leads_of_agency=to_agency.pk),
    )
    return sent_request


ALREADY_MATCHED = "This request has already been matched, or said not to be a child you know"


def _match_lock(*, user: User, sent_request: SentRequest) -> SentRequest:
    # Not locked with SELECT ... FOR UPDATE, which the service's role may not run on a table written once
    # (docs/operations.md): two at once are kept to one by the match's unique request (_match_append).
    sent_request = SentRequest.objects.get(pk=sent_request.pk)
    if sent_request.to_agency_id != user.agency.pk:
        raise NotAllowed("This request was sent to another agency")
    if RequestMatch.objects.filter(sent_request=sent_request).exists():
        raise NotAllowed(ALREADY_MATCHED)
    return sent_request


def _match_append(match: RequestMatch) -> None:
    """The match written once: one made meanwhile by someone else refuses it, and all written with it."""
    try:
        ledger.append(match)  # in a savepoint of its own
    except IntegrityError as error:
        raise NotAllowed(ALREADY_MATCHED) from error


@transaction.atomic
def sent_request_match(*, user: User, sent_request: SentRequest, child: Child) -> InformationRequest:
    """Match a request sent to the user's agency to a child of its own, once: the request is logged for that
    child, received through this service, its requester verified by their account (3.7.4), and answered as
    any other (the eight questions, then its outcome). The agency asking sees only where it stands."""
    sent_request = _match_lock(user=user, sent_request=sent_request)
    if child.agency_id != sent_request.to_agency_id:
        raise NotAllowed("Choose a child of your own agency")
    now = timezone.now()
    information_request = InformationRequest(
        agency=child.agency,
        child=child,
        received_at=sent_request.sent_at,
        channel=Channel.THROUGH_SERVICE,
        requester_name=sent_request.sender_name,
        requester_role=sent_request.sender_job_title or sent_request.sender_role,
        requester_agency=sent_request.sender_agency_name,
        requester_agency_kind=sent_request.sender_agency_kind,
        requester_contact=sent_request.sender_email,
        information_needed=sent_request.information_needed,
        reason=sent_request.reason,
        intended_use=sent_request.intended_use,
        others_to_tell=sent_request.others_to_tell,
        risk_level=sent_request.risk_level,
        police_category=sent_request.police_category,
        verified_at=now,
        verified_by=user,
        verification_method=VerificationMethod.SERVICE_ACCOUNT,
        verification_details=verification.verified_by_account(
            name=sent_request.sender_name,
            role=sent_request.sender_role,
            job_title=sent_request.sender_job_title,
            agency=sent_request.sender_agency_name,
            two_factor=sent_request.sender_two_factor,
        ),
        logged_by=user,
    )
    information_request._history_user = user
    information_request.full_clean()
    information_request.save()
    _match_append(
        RequestMatch(
            sent_request=sent_request,
            information_request=information_request,
            recorded_by=user,
            recorder_name=user.full_name,
            recorded_at=now,
        )
    )
    return information_request


@transaction.atomic
def sent_request_not_known(*, user: User, sent_request: SentRequest, reason: str) -> RequestMatch:
    """Say, once, that a request sent to the user's agency is not about a child it knows, and why: the agency
    asking sees it."""
    if not reason.strip():
        raise NotAllowed("Give the reason")
    sent_request = _match_lock(user=user, sent_request=sent_request)
    match = RequestMatch(
        sent_request=sent_request, reason=reason, recorded_by=user, recorder_name=user.full_name,
        recorded_at=timezone.now(),
    )  # fmt: skip
    _match_append(match)
    _tell_the_sender_answered(sent_request)
    return match


def _tell_the_sender_answered(sent_request: SentRequest) -> None:
    """The practitioner who asked another agency is told it answered (not a child they know, or what it decided);
    the link is their own page of the request, which says only where it stands (ADR 26)."""
    link = reverse("exchange:sent_request_detail", args=[sent_request.pk])
    notification_send(
        notice=Notice(kind=Kind.REQUEST_ANSWERED, link=link, about=f"sent-request:{sent_request.pk}:answered"),
        to=Recipients(people=(sent_request.sent_by_id,)),
    )
