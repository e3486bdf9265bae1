"""Writes for decisions: drafts, recording a decision, addenda.

Recording writes the decision and its answers in one transaction, as a
snapshot, and enters it in the log (ledger) in the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from core.dates import decided_at
from core.errors import ApplicationError
from exchange import services as exchange_services
from exchange.models import InformationRequest, RequestStatus
from ledger import services as ledger
from notifications.models import Kind
from notifications.services import Notice, Recipients, notification_send
from records.models import Adult, Child, User
from sharing import guidance, selectors, summary
from sharing.guidance import QuestionKey
from sharing.models import Addendum, DecisionAnswer, DecisionDraft, DecisionReview, LegalBasis, SharingDecision


class DraftIncomplete(ApplicationError):
    """The draft still has a question to answer: ``question``."""

    def __init__(self, question: QuestionKey):
        asked = guidance.QUESTION_BY_KEY[question]
        super().__init__(
            f'Question {asked.number}, "{asked.wording}", needs an answer before the decision can be recorded',
            field=question.value,
        )
        self.question = question


class OwnDecision(ApplicationError):
    """Nobody reviews a decision they recorded themselves."""

    status = 403


@transaction.atomic
def draft_start(
    *, user: User, child: Child, adults: list[Adult], direction: str, request: InformationRequest | None = None
) -> DecisionDraft:
    """A new draft; from a request, question 1 starts with what the requester explained."""
    unsaved = {QuestionKey.PURPOSE: exchange_services.draft_prefill(request)} if request else {}
    draft = DecisionDraft.objects.create(
        agency=child.agency, child=child, author=user, direction=direction, request=request, unsaved=unsaved
    )
    draft.adults.set(adults)
    return draft


@transaction.atomic
def draft_save_answers(
    *, draft: DecisionDraft, question: QuestionKey, answers: dict[str, Any], page: str | None = None
) -> DecisionDraft:
    """Keep a question's validated answers. Later answers are kept too, so
    changing an earlier answer and changing it back loses nothing.

    ``page``: the answers are those of one page of a question asked over
    several (``guidance.PAGES``): they join the answers of its other pages
    (less those given for an answer this page changed:
    ``guidance.page_answers_kept``), and only that page's unchecked typing is
    forgotten.
    """
    draft = DecisionDraft.objects.select_for_update().get(pk=draft.pk)
    unsaved = {key: value for key, value in draft.unsaved.items() if key != question}
    if page is None:
        draft.answers = {**draft.answers, question: answers}
    else:
        fields = guidance.page_named(question, page).fields
        kept = guidance.page_answers_kept(draft.answers.get(question, {}), question, page, answers)
        draft.answers = {**draft.answers, question: kept}
        typed_elsewhere = {name: value for name, value in draft.unsaved.get(question, {}).items() if name not in fields}
        if typed_elsewhere:
            unsaved[question] = typed_elsewhere
    draft.unsaved = unsaved
    draft.save(update_fields=["answers", "unsaved", "updated_at"])
    return draft


@transaction.atomic
def draft_save_unsaved(
    *, draft: DecisionDraft, question: QuestionKey, typed: dict[str, Any], page: str | None = None
) -> DecisionDraft:
    """Keep what was typed on a page without checking it ("save and come back later").

    ``page``: typed on one page of a question asked over several, kept beside what its other pages hold.
    """
    draft = DecisionDraft.objects.select_for_update().get(pk=draft.pk)
    kept = {**draft.unsaved.get(question, {}), **typed} if page is not None else typed
    draft.unsaved = {**draft.unsaved, question: kept}
    draft.save(update_fields=["unsaved", "updated_at"])
    return draft


@transaction.atomic
def draft_item_save(*, draft: DecisionDraft, question: QuestionKey, number: int, item: dict[str, str]) -> DecisionDraft:
    """Keep item ``number`` of a question's items (3.7.9), changed, or added when it is one more than there are.

    Kept at once, under the draft's lock, so that no item added in another tab is lost; what was typed on the
    item's page and saved for later is forgotten.
    """
    draft = DecisionDraft.objects.select_for_update().get(pk=draft.pk)
    given = dict(draft.answers.get(question, {}))
    items = guidance.items_of(draft.answers, question)
    if 1 <= number <= len(items):
        items[number - 1] = item
    elif len(items) < guidance.MAX_ITEMS:
        items.append(item)
    draft.answers = {**draft.answers, question: {**given, "items": items}}
    typed = {name: value for name, value in draft.unsaved.get(question, {}).items() if name != "item"}
    draft.unsaved = {key: value for key, value in draft.unsaved.items() if key != question}
    if typed:
        draft.unsaved[question] = typed
    draft.save(update_fields=["answers", "unsaved", "updated_at"])
    return draft


@transaction.atomic
def draft_item_remove(*, draft: DecisionDraft, question: QuestionKey, number: int) -> DecisionDraft:
    """Remove item ``number`` of a question's items; the last one is kept (guidance.ITEMS_PAGE: it is changed)."""
    draft = DecisionDraft.objects.select_for_update().get(pk=draft.pk)
    items = guidance.items_of(draft.answers, question)
    if not 1 <= number <= len(items) or len(items) == 1:
        return draft
    del items[number - 1]
    draft.answers = {**draft.answers, question: {**draft.answers[question], "items": items}}
    draft.save(update_fields=["answers", "updated_at"])
    return draft


def _subject_snapshot(draft: DecisionDraft) -> dict[str, Any]:
    child = draft.child
    chosen = {adult.pk for adult in draft.adults.all()}
    links = child.relationships.select_related("adult").filter(adult_id__in=chosen)
    return {
        "child": {
            "id": str(child.pk),
            "name": child.full_name,
            "other_names": child.other_names,
            "date_of_birth": child.date_of_birth.isoformat() if child.date_of_birth else None,
            "expected_date_of_birth": (
                child.expected_date_of_birth.isoformat() if child.expected_date_of_birth else None
            ),
            "nhs_number": child.nhs_number,
            "local_reference": child.local_reference,
        },
        "adults": [
            {
                "id": str(link.adult_id),
                "name": link.adult.full_name,
                "relationship": link.relationship_display,
                "parental_responsibility": link.get_parental_responsibility_display(),
                "lives_with_child": link.lives_with_child,
            }
            for link in links
        ],
    }


@transaction.atomic
def decision_record(*, draft: DecisionDraft, user: User) -> SharingDecision:
    """Record the decision from a complete draft, once.

    Submitting twice (a double click, or back then submit) returns the
    decision already recorded rather than making another.
    """
    # The draft's row only: why, docs/adr/0018-performance-reasoning.md §5.
    draft = (
        DecisionDraft.objects.select_for_update(of=("self",))
        .select_related("child", "agency")
        .prefetch_related("adults")
        .get(pk=draft.pk)
    )
    if draft.decision_id is not None:
        return draft.decision
    if draft.request_id is not None:
        # The request is locked before anything is written, as declining it does.
        InformationRequest.objects.select_for_update().filter(pk=draft.request_id).first()
    # Only the answers to questions that apply are recorded: none the other answers contradict.
    answers = guidance.answers_that_apply(guidance.answers_as_one_page(draft.answers))
    if not guidance.is_complete(answers):
        raise DraftIncomplete(guidance.first_incomplete(answers))
    if guidance.reconsider_date_has_passed(answers, timezone.localdate()):
        raise DraftIncomplete(QuestionKey.SHARING)  # 3.5.19: the date to reconsider telling them must still be to come
    now = timezone.now()
    role, job_title = user.role_then
    sharing_answers = answers[QuestionKey.SHARING]
    decision_answers = answers[QuestionKey.DECISION]
    decision = SharingDecision(
        agency=draft.agency,
        child=draft.child,
        recorded_by=user,
        recorder_name=user.full_name,
        recorder_role=role,
        recorder_job_title=job_title,
        agency_name=draft.agency.name,
        subject=_subject_snapshot(draft),
        direction=draft.direction,
        outcome=sharing_answers["outcome"],
        recommendation=guidance.recommendation(answers),
        departs_from_guidance=guidance.departs_from_guidance(answers),
        reasons=decision_answers["reasons"],
        departure_reason=decision_answers.get("departure_reason") or "",
        decided_at=decided_at(decision_answers),
        recorded_at=now,
        guidance_version=guidance.GUIDANCE_VERSION,
        draft_key=draft.pk,
        reconsider_on=guidance.reconsider_date(answers),
    )
    # Each answer in words, as the check page showed it (question 1 names the legal bases offered now).
    vocabulary = selectors.summary_vocabulary(legal_bases=selectors.legal_bases_offered())
    rows = []
    for position, key in enumerate(guidance.questions_needed(answers), start=1):
        question = guidance.QUESTION_BY_KEY[key]
        rows.append(
            DecisionAnswer(
                decision=decision,
                position=position,
                question_key=key.value,
                question_number=question.number,
                question_wording=question.wording,
                paragraphs=question.paragraphs,
                answers=answers[key],
                summary=summary.answer_lines(key, answers, vocabulary),
                guidance_shown=[[note.paragraph, note.text] for note in guidance.notes_for(key, answers)],
            )
        )
    ledger.append(decision, decision.ledger_document(answers=rows))
    # One INSERT for all the answers, hashed with the decision.
    DecisionAnswer.objects.bulk_create(rows)
    draft.decision = decision
    draft.save(update_fields=["decision", "updated_at"])
    if draft.request_id is not None:
        exchange_services.request_outcome_record(
            user=user,
            information_request=draft.request,
            closing=exchange_services.ClosingDetails(outcome=RequestStatus.DECIDED, decision=decision),
        )
    # The agency's other leads review it ("For review"); nobody reviews their own.
    notification_send(
        notice=Notice(kind=Kind.DECISION_TO_REVIEW, link=_decision_page(decision), about=f"decision:{decision.pk}"),
        to=Recipients(leads_of_agency=decision.agency_id, other_than=(user.pk,)),
    )
    return decision


def _decision_page(decision: SharingDecision) -> str:
    return reverse("sharing:decision_detail", args=[decision.pk])


@transaction.atomic
def addendum_add(*, decision: SharingDecision, user: User, text: str) -> Addendum:
    role = user.role_then.role
    addendum = Addendum(
        decision=decision,
        text=text,
        author=user,
        author_name=user.full_name,
        author_role=role,
        recorded_at=timezone.now(),
    )
    ledger.append(addendum)
    return addendum


@transaction.atomic
def review_record(
    *, decision: SharingDecision, user: User, outcome: str, comments: str = "", reasons: str = "", actions: str = ""
) -> DecisionReview:
    """A lead's review, appended to the record of the decision.

    Two leads reviewing at once each get their own record: none replaces another.
    """
    if decision.recorded_by_id == user.pk:
        raise OwnDecision("A decision cannot be reviewed by the person who recorded it")
    role = user.role_then.role
    review = DecisionReview(
        decision=decision,
        reviewer=user,
        reviewer_name=user.full_name,
        reviewer_role=role,
        outcome=outcome,
        comments=comments,
        reasons=reasons,
        actions=actions,
        recorded_at=timezone.now(),
    )
    ledger.append(review)
    return review


# The list of legal bases question 1 offers (3.5.4), kept by platform administrators.


@dataclass(frozen=True, kw_only=True)
class LegalBasisDetails:
    """A legal basis as question 1 offers it: its wording, its place in the list, and whether it is offered."""

    label: str
    position: int
    is_active: bool = True


def legal_basis_code(label: str) -> str:
    """The code a new basis is kept under in decisions' answers, made from its wording once, never changed."""
    return slugify(label)[:60].strip("-")


def _legal_basis_save(basis: LegalBasis, *, user: User) -> None:
    basis._history_user = user
    basis.full_clean()
    basis.save()


@transaction.atomic
def legal_basis_create(*, user: User, details: LegalBasisDetails) -> LegalBasis:
    basis = LegalBasis(code=legal_basis_code(details.label), **vars(details))
    _legal_basis_save(basis, user=user)
    return basis


@transaction.atomic
def legal_basis_update(*, user: User, basis: LegalBasis, details: LegalBasisDetails) -> LegalBasis:
    """New wording, place or whether it is offered. Its code stays: recorded decisions keep the code they
    used, and show the wording they were recorded with (their snapshot)."""
    for field, value in vars(details).items():
        setattr(basis, field, value)
    _legal_basis_save(basis, user=user)
    return basis
