"""Writes for advice: asking about a draft decision, and answering. Each is a record of its own, entered
in the log (ledger) in the same transaction, and never changed."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from advice import advisers, selectors
from advice.models import AdviceAnswer, AdviceRequest
from advice.rules import colleague
from core.errors import ApplicationError
from ledger import services as ledger
from notifications.models import Kind
from notifications.services import Notice, Recipients, notification_send
from records.models import User
from sharing.models import DecisionDraft


class AdviceClosed(ApplicationError):
    """The request has been answered already, or its decision recorded: it takes no answer now."""

    def __init__(self):
        super().__init__("This request for advice has been answered or its decision recorded")


class NotAnAdviser(ApplicationError):
    """The person chosen, or the person answering, is not one the rules allow (advisers.choices_for, may_answer)."""

    status = 403


class DecisionRecorded(ApplicationError):
    """Advice is asked about a draft; once its decision is recorded, a lead's view of it is a review."""

    def __init__(self, decision_id):
        super().__init__("The decision has been recorded: ask a safeguarding lead to review it instead")
        self.decision_id = decision_id


@dataclass(frozen=True)
class Asking:
    """What a practitioner asks: the question, to whom (a choice's value, advisers.Choice.value), how urgently."""

    question: str
    to: str
    urgency: advisers.Urgency


def _addressed_to(choice: advisers.Choice, agency_name: str) -> str:
    """To whom, in words, as it is then."""
    names = " or ".join(reader.name for reader in choice.readers)
    if choice.asked_of == advisers.AskedOf.NAMED_LEAD:
        lead = choice.adviser
        return f"{lead.name}, safeguarding lead" + (f" ({lead.job_title})" if lead.job_title else "")
    if choice.asked_of == advisers.AskedOf.ANY_LEAD:
        return f"Any safeguarding lead of {agency_name} ({names})"
    return f"{advisers.ASKED_OF_LABELS[choice.asked_of]} ({names})"


def _locked_draft(draft: DecisionDraft) -> DecisionDraft:
    # The draft's row, as recording its decision locks it: an answer is never
    # written beside a decision being recorded without it (sharing.services.decision_record).
    return DecisionDraft.objects.select_for_update(of=("self",)).select_related("agency").get(pk=draft.pk)


@transaction.atomic
def advice_ask(*, user: User, draft: DecisionDraft, asking: Asking) -> AdviceRequest:
    """A request for advice about a draft, to a colleague of the draft's agency (3.5.17, 3.5.18, 3.2.4)."""
    draft = _locked_draft(draft)
    if draft.decision_id is not None:
        raise DecisionRecorded(draft.decision_id)
    choices = {
        choice.value: choice
        for choice in advisers.choices_for(asker_id=user.pk, colleagues=selectors.colleagues_of(user=user))
    }
    choice = choices.get(asking.to)
    if choice is None or draft.agency_id != user.agency.pk:
        raise NotAnAdviser("You cannot ask this person for advice about this decision")
    now = timezone.now()
    advice = AdviceRequest(
        agency=draft.agency,
        child_id=draft.child_id,
        draft=draft,
        asked_by=user,
        asker_name=user.full_name,
        asker_role=user.role_then.role,
        asked_of=choice.asked_of,
        adviser_id=choice.adviser.id if choice.adviser else None,
        addressed_to=_addressed_to(choice, draft.agency.name),
        question=asking.question,
        urgency=asking.urgency,
        asked_at=now,
        answer_by=advisers.answer_by(asked_at=now, urgency=asking.urgency, within_hours=selectors.within_hours()),
    )
    ledger.append(advice)
    # The named lead, or everyone who holds the role asked of now (advisers.Choice.readers).
    notification_send(
        notice=Notice(kind=Kind.ADVICE_ASKED, link=_advice_page(advice), about=f"advice:{advice.pk}"),
        to=Recipients(people=tuple(reader.id for reader in choice.readers), other_than=(user.pk,)),
    )
    return advice


def _advice_page(advice: AdviceRequest) -> str:
    return reverse("advice:detail", args=[advice.pk])


@transaction.atomic
def advice_answer(*, user: User, advice: AdviceRequest, text: str) -> AdviceAnswer:
    """The advice given, once: a second answer (two leads at once, say) is refused, and so is an answer
    once the decision has been recorded."""
    draft = _locked_draft(advice.draft)
    if draft.decision_id is not None or AdviceAnswer.objects.filter(request=advice).exists():
        raise AdviceClosed
    membership = user.membership
    if membership is None or membership.agency_id != advice.agency_id:
        raise NotAnAdviser("This request for advice is not addressed to you")
    asked_of = advice.asked_of_choice
    if not advisers.may_answer(
        asked_of=asked_of,
        adviser_id=advice.adviser_id,
        asked_by_id=advice.asked_by_id,
        colleague=colleague(membership),
    ):
        raise NotAnAdviser("This request for advice is not addressed to you")
    answer = AdviceAnswer(
        request=advice,
        answered_by=user,
        adviser_name=user.full_name,
        adviser_role=user.role_then.role,
        adviser_capacity=advisers.CAPACITY[asked_of],
        advice=text,
        answered_at=timezone.now(),
        draft_saved_at=draft.updated_at,
    )
    ledger.append(answer)
    notification_send(
        notice=Notice(kind=Kind.ADVICE_ANSWERED, link=_advice_page(advice), about=f"advice:{advice.pk}"),
        to=Recipients(people=(advice.asked_by_id,)),
    )
    return answer
