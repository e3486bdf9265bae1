"""Writes for disclosures sent through the service (ADR 27): sending (the disclosure recorded as ever, and
what was sent, in one transaction), opening, acknowledging, and the questions and answers on the thread. Each
is a record of its own, entered in the log, never changed."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from consent.models import ConsentRecord
from core.errors import ApplicationError
from delivery import rules
from delivery.models import Acknowledgement, Delivery, Opened, Side, ThreadMessage
from exchange import services as exchange_services
from exchange.models import DisclosureDraft, InformationRequest, Method
from ledger import services as ledger
from notifications.models import Kind
from notifications.services import Notice, Recipients, notification_send
from records.models import Agency, StaffMembership, User
from records.roles import CASE_ROLES
from sharing import guidance
from sharing.guidance import QuestionKey
from sharing.models import SharingDecision


class NotSent(ApplicationError):
    """It cannot be sent so: the message says why."""


class NotYours(ApplicationError):
    """The person is not on the side of the thread that may do this."""

    status = 404


def _addressed_to(agency: Agency, membership: StaffMembership | None) -> str:
    if membership is None:
        return f"The safeguarding leads of {agency.name}"
    what = membership.job_title or membership.get_role_display().lower()
    return f"{membership.user.full_name}, {what}, {agency.name}"


def _consent_limits(decision: SharingDecision, *, told: bool | None) -> str:
    """3.5.20, 3.3.28: what the person agreed to, from the consent the decision went under; empty if none."""
    answers = decision.answers_by_question()
    if told is None or not guidance.has_consent(answers):
        return ""
    record_id = (answers.get(QuestionKey.CONSENT) or {}).get("consent_record")
    record = ConsentRecord.objects.filter(pk=record_id).first() if record_id else None
    if record is None:
        return ""
    said = [
        ("Information they agreed to share", record.scope_information),
        ("For these purposes", record.scope_purposes),
        ("With", record.scope_recipients),
        ("What the recipient may do with it", record.scope_recipient_use),
    ]
    return "\n".join(f"{label}: {text}" for label, text in said if text.strip())


@transaction.atomic
def disclosure_send(
    *,
    user: User,
    decision: SharingDecision,
    details: exchange_services.DisclosureDetails,
    sending: exchange_services.Sending,
    information_request: InformationRequest | None = None,
    draft: DisclosureDraft | None = None,
) -> Delivery:
    """Record the disclosure as any other (exchange.services.disclosure_record) and send it, in one
    transaction: to an active agency on the service other than the sender's, to a named person of it who
    works with case records, or to its safeguarding leads (3.7.8, 3.7.9)."""
    if details.method != Method.THROUGH_THE_SERVICE:
        raise NotSent("Only a disclosure made through this service is sent through it")
    to_agency = Agency.objects.filter(pk=sending.agency_id, is_active=True).exclude(pk=decision.agency_id).first()
    if to_agency is None:
        raise NotSent("Choose an agency on this service, other than your own")
    membership = None
    if sending.person_id is not None:
        membership = (
            StaffMembership.objects.select_related("user")
            .filter(user_id=sending.person_id, agency=to_agency, role__in=CASE_ROLES, user__is_active=True)
            .first()
        )
        if membership is None:
            raise NotSent("Choose someone of that agency who can receive it, or its safeguarding leads")
    disclosure = exchange_services.disclosure_record(
        user=user, decision=decision, details=details, information_request=information_request, draft=draft
    )
    child = decision.child
    delivery = Delivery(
        disclosure=disclosure,
        from_agency_id=decision.agency_id,
        to_agency=to_agency,
        to_person=membership.user if membership else None,
        addressed_to=_addressed_to(to_agency, membership),
        sent_by=user,
        sender_name=user.full_name,
        sender_role=user.role_then.role,
        sender_agency=decision.agency.name,
        sent_at=disclosure.recorded_at,
        child_name=child.full_name,
        child_born_on=child.date_of_birth,
        items=disclosure.items,
        onward_sharing=disclosure.onward_sharing,
        onward_detail=disclosure.onward_detail,
        consent_limits=_consent_limits(decision, told=disclosure.consent_limits_told),
        informed=disclosure.informed,
        not_informed_reason=disclosure.not_informed_reason,
        reconsider_on=disclosure.reconsider_on,
        keep_until=sending.keep_until,
        acknowledge_by=disclosure.recorded_at + timedelta(hours=settings.DELIVERY_ACKNOWLEDGE_WITHIN_HOURS),
    )
    ledger.append(delivery)
    notification_send(
        notice=Notice(kind=Kind.DISCLOSURE_RECEIVED, link=received_page(delivery), about=f"delivery:{delivery.pk}"),
        to=_receiving_side(delivery, other_than=user),
    )
    return delivery


def received_page(delivery: Delivery) -> str:
    return reverse("delivery:received_detail", args=[delivery.pk])


def sent_page(delivery: Delivery) -> str:
    return reverse("delivery:sent_detail", args=[delivery.disclosure_id])


def _receiving_side(delivery: Delivery, *, other_than: User) -> Recipients:
    # The person named, and the agency's leads (who can read it either way).
    people = (delivery.to_person_id,) if delivery.to_person_id else ()
    return Recipients(people=people, leads_of_agency=delivery.to_agency_id, other_than=(other_than.pk,))


def delivery_open(*, user: User, delivery: Delivery) -> Opened | None:
    """The first time this person of the receiving side opened it, in the log; None if they had before."""
    if not rules.receives(user, delivery):
        raise NotYours("Not sent to you")
    if any(opened.opened_by_id == user.pk for opened in delivery.openings.all()):
        return None
    try:
        with transaction.atomic():
            opened = Opened(
                delivery=delivery,
                opened_by=user,
                opener_name=user.full_name,
                opener_role=user.role_then.role,
                opened_at=timezone.now(),
            )
            ledger.append(opened)
    except IntegrityError:
        # Opened in another tab at the same moment: the first time is the one kept.
        return None
    return opened


@transaction.atomic
def delivery_acknowledge(*, user: User, delivery: Delivery) -> Acknowledgement:
    """The receiving side acknowledges it, once: a second acknowledgement returns the first."""
    if not rules.receives(user, delivery):
        raise NotYours("Not sent to you")
    existing = Acknowledgement.objects.filter(delivery=delivery).first()
    if existing is not None:
        return existing
    acknowledgement = Acknowledgement(
        delivery=delivery,
        acknowledged_by=user,
        acknowledger_name=user.full_name,
        acknowledger_role=user.role_then.role,
        acknowledged_at=timezone.now(),
    )
    # Two at once (another tab, another lead): the delivery's one acknowledgement is unique, so the second is
    # refused by the database and returns the first. Not SELECT ... FOR UPDATE, which the service's role may not
    # run on a table written once (docs/operations.md).
    try:
        ledger.append(acknowledgement)  # in a savepoint of its own: refused, this transaction carries on
    except IntegrityError:
        return Acknowledgement.objects.get(delivery=delivery)
    return acknowledgement


@transaction.atomic
def thread_write(*, user: User, delivery: Delivery, text: str) -> ThreadMessage:
    """A question from the receiving side, or the sending side's answer once something was asked."""
    if rules.receives(user, delivery):
        side = Side.RECIPIENT
    elif rules.sends(user, delivery):
        side = Side.SENDER
        if not rules.may_answer(asked=delivery.thread.filter(side=Side.RECIPIENT).exists()):
            raise NotSent("Nothing has been asked about this disclosure yet")
    else:
        raise NotYours("Not a disclosure of yours")
    message = ThreadMessage(
        delivery=delivery,
        side=side,
        written_by=user,
        writer_name=user.full_name,
        writer_role=user.role_then.role,
        writer_agency=user.agency.name,
        text=text,
        written_at=timezone.now(),
    )
    ledger.append(message)
    # The other side is told: the sender (and their leads) of a question, the receiving side of an answer.
    if side == Side.RECIPIENT:
        link = sent_page(delivery)
        to = Recipients(people=(delivery.sent_by_id,), leads_of_agency=delivery.from_agency_id, other_than=(user.pk,))
    else:
        link, to = received_page(delivery), _receiving_side(delivery, other_than=user)
    notification_send(notice=Notice(kind=Kind.DISCLOSURE_MESSAGE, link=link, about=f"message:{message.pk}"), to=to)
    return message
