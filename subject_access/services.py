"""Recording a subject access request, its extension and its redactions, and releasing the answer (ADR 22)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date

from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from core.errors import ApplicationError
from ledger import services as ledger
from notifications.models import Kind as NotificationKind
from notifications.services import Notice, Recipients, notification_send
from records.models import Adult, Child, User
from subject_access import deadlines, releasing
from subject_access.models import (
    REASON_LAW,
    Reason,
    Redaction,
    ReleaseApproval,
    SubjectAccessRelease,
    SubjectAccessRequest,
)
from worker import once


class AlreadyReleased(ApplicationError):
    def __init__(self):
        super().__init__("This request has already been answered: its release can no longer change")


class AlreadyExtended(ApplicationError):
    def __init__(self):
        super().__init__("This request has already been extended: a deadline is extended once, by two months at most")


@dataclass(frozen=True, kw_only=True)
class RequestDetails:
    """Who asks, how their identity (and their authority to ask for someone else) was checked, and when."""

    requester_name: str
    requester_is: str  # models.Requester
    identity_checked: str
    received_on: date


@dataclass(frozen=True, kw_only=True)
class RedactionDetails:
    """Words to take out of one piece of one record (subject_access.redaction.pieces), and why."""

    record_kind: str
    record_id: str
    piece: int
    where: str
    words: str
    reason: str  # models.Reason
    reason_detail: str = ""


def _locked(subject_access_request: SubjectAccessRequest, *, approved: bool = False) -> SubjectAccessRequest:
    """The request, its row locked until the transaction ends; refused if it has been answered meanwhile, or
    approved for release (unless ``approved``: the release made from its approval)."""
    locked = SubjectAccessRequest.objects.select_for_update().get(pk=subject_access_request.pk)
    if SubjectAccessRelease.objects.filter(request_id=locked.pk).exists():
        raise AlreadyReleased
    if not approved and ReleaseApproval.objects.filter(request_id=locked.pk, failed_at__isnull=True).exists():
        raise AlreadyReleased
    return locked


@transaction.atomic
def subject_access_request_record(
    *, user: User, details: RequestDetails, child: Child | None = None, adult: Adult | None = None
) -> SubjectAccessRequest:
    """Record a request about a child or an adult of the agency; it is due a calendar month after receipt."""
    person = child if child is not None else adult
    recorded = SubjectAccessRequest(
        agency=person.agency,
        child=child,
        adult=adult,
        requester_name=details.requester_name,
        requester_is=details.requester_is,
        identity_checked=details.identity_checked,
        received_on=details.received_on,
        due_on=deadlines.due_on(details.received_on),
        recorded_by=user,
        recorder_name=user.full_name,
        recorded_at=timezone.now(),
    )
    recorded.full_clean()
    recorded.save()
    return recorded


@transaction.atomic
def subject_access_request_extend(
    *, user: User, subject_access_request: SubjectAccessRequest, months: int, reason: str
) -> SubjectAccessRequest:
    """Extend the deadline by one or two further months (article 12(3)), once, with the reason."""
    locked = _locked(subject_access_request)
    if locked.extension_months:
        raise AlreadyExtended
    locked.extension_months = months
    locked.extension_reason = reason
    locked.due_on = deadlines.due_on(locked.received_on, months)
    locked.extended_by_name = user.full_name
    locked.extended_at = timezone.now()
    locked.save(update_fields=["extension_months", "extension_reason", "due_on", "extended_by_name", "extended_at"])
    return locked


@transaction.atomic
def redactions_add(
    *, user: User, subject_access_request: SubjectAccessRequest, redactions: list[RedactionDetails]
) -> list[Redaction]:
    _locked(subject_access_request)
    now = timezone.now()
    made = [
        Redaction(
            request=subject_access_request,
            redacted_by=user,
            redactor_name=user.full_name,
            redacted_at=now,
            record_kind=details.record_kind,
            record_id=details.record_id,
            piece=details.piece,
            where=details.where[:300],
            words=details.words,
            reason=details.reason,
            reason_detail=details.reason_detail,
        )
        for details in redactions
    ]
    return Redaction.objects.bulk_create(made)


@transaction.atomic
def redaction_remove(*, user: User, subject_access_request: SubjectAccessRequest, redaction_id: int) -> None:
    """Take a redaction back, before the release."""
    _locked(subject_access_request)
    subject_access_request.redactions.filter(pk=redaction_id).delete()


def redaction_log_entry(redaction: Redaction, *, record_title: str) -> dict:
    """One line of the redaction log: what was taken out of which record, why, by whom and when."""
    reason = Reason(redaction.reason)
    return {
        "record_kind": redaction.record_kind,
        "record_id": redaction.record_id,
        "record": record_title,
        "piece": redaction.piece,
        "where": redaction.where,
        "words": redaction.words,
        "reason": reason.value,
        "reason_label": reason.label,
        "law": REASON_LAW[reason],
        "reason_detail": redaction.reason_detail,
        "redacted_by_id": redaction.redacted_by_id,
        "redacted_by": redaction.redactor_name,
        "redacted_at": redaction.redacted_at,
    }


@dataclass(frozen=True, kw_only=True)
class Answer:
    """What is released: the PDF, the records in it, and the redaction log."""

    pdf: bytes
    records: list[dict]
    redaction_log: list[dict]
    # The redactions it was made with: if they changed meanwhile (another tab), it is not released.
    redaction_ids: frozenset[int]


class RedactionsChanged(ApplicationError):
    def __init__(self):
        super().__init__(
            "The redactions changed while you were reading them: nothing was released. Read the release again."
        )


def release_approve(
    *, user: User, subject_access_request: SubjectAccessRequest, redaction_ids: frozenset[int], approver_redacted: bool
) -> ReleaseApproval:
    """Record the approval at once, closing the request to changes, and enqueue the task that makes the release
    (``tasks.release_make``), in one transaction: both or neither. Returned as it stands once enqueued."""
    from subject_access.tasks import release_make

    with transaction.atomic():
        locked = _locked(subject_access_request)
        if set(locked.redactions.values_list("pk", flat=True)) != set(redaction_ids):
            raise RedactionsChanged
        # An approval whose release could not be made gives way to this one.
        ReleaseApproval.objects.filter(request=locked, failed_at__isnull=False).delete()
        approval = ReleaseApproval.objects.create(
            request=locked,
            approved_by=user,
            approver_name=user.full_name,
            approved_at=timezone.now(),
            approver_redacted=approver_redacted,
            redaction_ids=sorted(redaction_ids),
        )
        release_make.enqueue(approval_id=approval.pk)
    approval.refresh_from_db(fields=["failed_at"])
    return approval


class ApprovalNotFound(Exception):
    """The approval is not (yet) in the database: with a queue outside it (Redis), a task can arrive before the
    approval's transaction commits. Raised to be tried again."""


def release_from_approval(*, approval_id: int) -> SubjectAccessRelease | None:
    """Make the release approved: its PDF printed with the records and redactions approved, kept, and the
    release written once and entered in the log; None if it was written already (a task run a second time)."""
    approval = (
        ReleaseApproval.objects.select_related("request__agency", "request__child", "request__adult", "approved_by")
        .filter(pk=approval_id)
        .first()
    )
    if approval is None:
        raise ApprovalNotFound(approval_id)
    subject_access_request = approval.request
    if SubjectAccessRelease.objects.filter(request_id=subject_access_request.pk).exists():
        return None
    redactions = list(subject_access_request.redactions.order_by("redacted_at", "pk"))
    made, records = releasing.release_pdf(
        subject_access_request=subject_access_request, user=approval.approved_by, redactions=redactions
    )
    titles = {f"{record['kind']}:{record['id']}": record["title"] for record in records}
    answer = Answer(
        pdf=made,
        records=records,
        redaction_log=[
            redaction_log_entry(row, record_title=titles.get(f"{row.record_kind}:{row.record_id}", ""))
            for row in redactions
        ],
        redaction_ids=frozenset(row.pk for row in redactions),
    )
    try:
        release = subject_access_release(
            user=approval.approved_by,
            subject_access_request=subject_access_request,
            answer=answer,
            approver_redacted=approval.approver_redacted,
            approved_at=approval.approved_at,
            approval_ids=frozenset(approval.redaction_ids),
        )
    except AlreadyReleased:
        return None
    _tell_approver(approval, kind=NotificationKind.RELEASE_READY, about=f"release:{release.pk}")
    return release


def release_failed(*, approval_id: int) -> None:
    """The approval's task failed for good (ADR 23): the request's page says the release could not be made, and
    the lead who approved it is told. Said more than once (worker.failed_for_good), it is marked and told once."""
    with transaction.atomic():
        if ReleaseApproval.objects.filter(pk=approval_id, failed_at__isnull=True).update(failed_at=timezone.now()):
            approval = ReleaseApproval.objects.get(pk=approval_id)
            _tell_approver(approval, kind=NotificationKind.RELEASE_NOT_MADE, about=f"release-approval:{approval.pk}")


def _tell_approver(approval: ReleaseApproval, *, kind: NotificationKind, about: str) -> None:
    # The request's page, which has the release's download, or says it could not be made and may be approved again.
    link = reverse("subject_access:detail", args=[approval.request_id])
    to = Recipients(people=(approval.approved_by_id,))
    notification_send(notice=Notice(kind=kind, link=link, about=about), to=to)


@transaction.atomic
def subject_access_release(
    *,
    user: User,
    subject_access_request: SubjectAccessRequest,
    answer: Answer,
    approver_redacted: bool,
    approved_at=None,
    approval_ids: frozenset[int] | None = None,
) -> SubjectAccessRelease:
    """The approved answer, written once and entered in the log with its PDF's SHA-256; the PDF kept privately.
    Made by the worker from an approval (``release_from_approval``; ``approved_at`` when the lead approved,
    ``approval_ids`` the redactions approved), or at once for tests. AlreadyReleased if it was written
    already."""
    locked = _locked(subject_access_request, approved=True)
    if not once.first_time(f"subject-access-release:{locked.pk}"):
        raise AlreadyReleased
    expected = answer.redaction_ids if approval_ids is None else approval_ids
    if set(locked.redactions.values_list("pk", flat=True)) != set(expected) or expected != answer.redaction_ids:
        raise RedactionsChanged
    person = locked.child if locked.child_id else locked.adult
    release = SubjectAccessRelease(
        request=locked,
        agency_id=locked.agency_id,
        child_id=locked.child_id,
        adult_id=locked.adult_id,
        subject_name=person.full_name,
        requester_name=locked.requester_name,
        requester_is=locked.requester_is,
        identity_checked=locked.identity_checked,
        received_on=locked.received_on,
        due_on=locked.due_on,
        extension_months=locked.extension_months,
        extension_reason=locked.extension_reason,
        records=answer.records,
        redaction_log=answer.redaction_log,
        approved_by=user,
        approver_name=user.full_name,
        approver_role=user.role_then.role,
        approver_redacted=approver_redacted,
        released_at=approved_at or timezone.now(),
        pdf_size=len(answer.pdf),
        pdf_sha256=hashlib.sha256(answer.pdf).hexdigest(),
    )
    release.pdf = ContentFile(answer.pdf, name="release.pdf")
    ledger.append(release)
    return release
