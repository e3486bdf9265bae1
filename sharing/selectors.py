"""Reads for decisions and drafts, always scoped to the user's agency."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from django.db.models import Exists, OuterRef, Prefetch, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone

from advice.selectors import advice_column, advice_shown
from consent.models import ConsentRecord
from consent.selectors import live_consents
from core.paging import Page, page_counted
from core.periods import within
from exchange import selectors as exchange_selectors
from ledger import receipts
from records.models import Agency, Child, User
from records.roles import Permission
from records.rules import is_lead
from sharing import guidance, summary
from sharing.guidance import QuestionKey
from sharing.models import (
    Addendum,
    DecisionAnswer,
    DecisionDraft,
    DecisionReview,
    LegalBasis,
    ReviewOutcome,
    SharingDecision,
)

# A decision's review by a lead (3.5.18), as the practitioner's own list says it: the newest review's outcome.
NOT_REVIEWED = "Not reviewed yet"
REVIEW_STATUS_LABELS = {
    ReviewOutcome.AGREE: "Agreed",
    ReviewOutcome.AGREE_WITH_COMMENTS: "Agreed, with comments",
    ReviewOutcome.DISAGREE: "Disagreed",
}


def draft_get_for_user(*, user: User, draft_id: uuid.UUID, with_advice: bool = False) -> DecisionDraft:
    """A draft its author or a lead of its agency may see; 404 for anyone else.

    with_advice: ``draft.advice_asked`` holds every request for advice about it, read in the same query.
    """
    # Not the decision: a view needs only whether there is one (decision_id), and its twenty columns cost
    # 0.9 of the 2.3 ms the ORM took to compile this query, on every question page and every answer sent.
    drafts = DecisionDraft.objects.select_related("child", "agency", "author", "request")
    if with_advice:
        drafts = drafts.annotate(advice_asked=advice_column(draft="draft"))
    draft = drafts.filter(pk=draft_id, agency=user.agency).first()
    if draft is None or not user.has_perm(Permission.DRAFT_VIEW, draft):
        raise Http404("No draft found")
    return draft


def drafts_open_for_user(*, user: User) -> QuerySet[DecisionDraft]:
    """The user's own unrecorded drafts; a lead also sees their agency's."""
    drafts = DecisionDraft.objects.filter(agency=user.agency, decision__isnull=True).select_related("child", "author")
    if not user.has_perm(Permission.DECISION_VIEW):
        return drafts.none()
    if not is_lead(user):
        drafts = drafts.filter(author=user)
    return drafts.order_by("-updated_at")


def my_drafts(*, user: User, page: int) -> Page:
    """A page of the user's own drafts in their agency, last saved first, each with ``reached``: the question
    the practitioner has come to (``guidance.first_incomplete``), None once every answer is there to check."""
    if not user.has_perm(Permission.DECISION_VIEW):
        return Page([], 0)
    drafts = (
        DecisionDraft.objects.filter(agency=user.agency, author=user, decision__isnull=True)
        .select_related("child")
        .order_by("-updated_at", "id")
    )
    listing = page_counted(drafts, page)
    for draft in listing.rows:
        reached = guidance.first_incomplete(draft.answers)
        draft.reached = guidance.QUESTION_BY_KEY[reached] if reached else None
    return listing


def my_decisions(*, user: User, page: int) -> Page:
    """A page of the decisions the user recorded in their agency, newest first: one query for the page and
    its count, then one for the records' places in the log (ADR 13), however many.

    Each row carries ``record_number`` (its place in the log, None until the sequencer places it),
    ``review_label`` (the newest review by a lead, or none yet, 3.5.18) and ``reconsider_has_come``
    (3.5.19: the date to reconsider telling the person has come, as the lead's list of people not told reads it).
    """
    if not user.has_perm(Permission.DECISION_VIEW):
        return Page([], 0)
    newest_review = DecisionReview.objects.filter(decision=OuterRef("pk")).order_by("-recorded_at", "-id")
    decisions = (
        SharingDecision.objects.filter(agency=user.agency, recorded_by=user)
        .only("id", "agency_id", "recorded_by_id", "subject", "outcome", "decided_at", "recorded_at", "reconsider_on")
        .annotate(newest_review=Subquery(newest_review.values("outcome")[:1]))
        # Once something is disclosed, the disclosure says whether the person was told (as the lead's list reads it).
        .annotate(disclosed=Exists(SharingDecision.objects.filter(pk=OuterRef("pk"), disclosures__isnull=False)))
        .order_by("-recorded_at", "-id")
    )
    listing = page_counted(decisions, page)
    places = receipts.positions(listing.rows)
    today = timezone.localdate()
    for decision in listing.rows:
        decision.record_number = places.get(decision.ledger_record_id)
        decision.review_label = REVIEW_STATUS_LABELS.get(decision.newest_review, NOT_REVIEWED)
        decision.reconsider_has_come = (
            decision.reconsider_on is not None
            and not decision.disclosed
            and not guidance.reconsider_date_is_valid(decision.reconsider_on, today)
        )
    return listing


def _decisions_in_full() -> QuerySet[SharingDecision]:
    """Decisions with what their page and their PDF show: the request answered, the answers, addenda, reviews."""
    return SharingDecision.objects.select_related(
        "child", "agency", "recorded_by", "draft__request", "draft__request__verified_by"
    ).prefetch_related(
        Prefetch("answers", queryset=DecisionAnswer.objects.order_by("position")),
        Prefetch("addenda", queryset=Addendum.objects.order_by("recorded_at", "id")),
        Prefetch("reviews", queryset=DecisionReview.objects.order_by("recorded_at", "id")),
    )


def decision_get_for_user(*, user: User, decision_id: uuid.UUID, with_advice: bool = False) -> SharingDecision:
    """A recorded decision of the user's agency; 404 for anyone else.

    With the request it answers (its page shows who asked: exchange.selectors.answered_request).
    with_advice: ``decision.advice_asked`` holds every request for advice about its draft, read in the same query.
    """
    decisions = _decisions_in_full()
    if with_advice:
        decisions = decisions.annotate(advice_asked=advice_column(draft="draft__decision"))
    decision = decisions.filter(pk=decision_id, agency=user.agency).first()
    if decision is None or not user.has_perm(Permission.DECISION_VIEW, decision):
        raise Http404("No decision found")
    return decision


def review_get_for_user(*, user: User, decision_id: uuid.UUID, review_id: uuid.UUID) -> DecisionReview:
    """A review of a decision the user may see (it is shown on the decision's page); 404 otherwise."""
    decision = decision_get_for_user(user=user, decision_id=decision_id)
    review = next((review for review in decision.reviews.all() if review.pk == review_id), None)
    if review is None:
        raise Http404("No review found")
    return review


def addendum_get_for_user(*, user: User, decision_id: uuid.UUID, addendum_id: uuid.UUID) -> Addendum:
    """An addendum to a decision the user may see (it is shown on the decision's page); 404 otherwise."""
    decision = decision_get_for_user(user=user, decision_id=decision_id)
    addendum = next((addendum for addendum in decision.addenda.all() if addendum.pk == addendum_id), None)
    if addendum is None:
        raise Http404("No addendum found")
    return addendum


def decision_standings(*, decision: SharingDecision) -> dict[str, receipts.Standing]:
    """Where the decision, its reviews and its addenda stand in the log (ADR 13, item 6): two queries at most."""
    return receipts.standings([decision, *decision.reviews.all(), *decision.addenda.all()])


def decisions_for_child(*, user: User, child: Child) -> list[SharingDecision]:
    """The child's decisions, newest first: the columns the child's page lists, not the whole records."""
    if not user.has_perm(Permission.DECISION_VIEW, child):
        return []
    decisions = (
        SharingDecision.objects.filter(child=child)
        .only("id", "agency_id", "decided_at", "outcome", "departs_from_guidance", "recorder_name")
        .order_by("-decided_at")
    )
    # The agency is checked on the rows read, not in the WHERE clause (ADR 18 §4).
    return [decision for decision in decisions if decision.agency_id == user.agency.pk]


def drafts_for_child(*, user: User, child: Child) -> QuerySet[DecisionDraft]:
    return drafts_open_for_user(user=user).filter(child=child)


def consent_relied_on_has_lapsed(*, draft: DecisionDraft) -> bool:
    """The consent record chosen at question 4 was withdrawn or replaced since."""
    chosen = (draft.answers.get(QuestionKey.CONSENT) or {}).get("consent_record")
    if not chosen:
        return False
    adult_ids = {adult.pk for adult in draft.adults.all()}
    return chosen not in {str(record.pk) for record in live_consents(child=draft.child, about_adult_ids=adult_ids)}


@dataclass(frozen=True)
class LapsedConsent:
    """The consent a recorded decision relied on, which no longer stands (guidance.consent_lapse)."""

    lapse: guidance.ConsentLapse
    note: guidance.Note
    record: ConsentRecord
    # The record that withdrew or replaced it, if one did.
    superseded_by: ConsentRecord | None


def consent_lapse_of(*, decision: SharingDecision) -> LapsedConsent | None:
    """Whether the consent the decision relied on was withdrawn, replaced or is past its review date (3.3.21-3.3.22).

    Reads the decision's answers (prefetched by decision_get_for_user) and, only when the decision relied
    on consent, the consent record: one query.
    """
    return consent_lapses(decisions=[decision]).get(decision.pk)


def _consent_relied_on(answers: dict) -> str | None:
    if not guidance.has_consent(answers):
        return None
    return (answers.get(QuestionKey.CONSENT) or {}).get("consent_record") or None


def consent_lapses(*, decisions: Sequence[SharingDecision]) -> dict[uuid.UUID, LapsedConsent]:
    """``consent_lapse_of`` for many decisions, by decision id (those whose consent still stands left out):
    the consent records relied on are read in one query, none if no decision relied on consent."""
    relied_on = {decision.pk: _consent_relied_on(decision.answers_by_question()) for decision in decisions}
    record_ids = {record_id for record_id in relied_on.values() if record_id}
    if not record_ids:
        return {}
    records = ConsentRecord.objects.select_related("superseded_by").in_bulk(record_ids)
    today = timezone.localdate()
    lapses = {}
    for decision in decisions:
        record = records.get(uuid.UUID(str(relied_on[decision.pk]))) if relied_on[decision.pk] else None
        if record is None:
            continue
        superseded_by = getattr(record, "superseded_by", None)
        lapse = guidance.consent_lapse(
            decision.answers_by_question(),
            superseded_by=superseded_by.response if superseded_by else None,
            today=today,
        )
        if lapse is not None:
            lapses[decision.pk] = LapsedConsent(lapse, guidance.CONSENT_LAPSE_NOTES[lapse], record, superseded_by)
    return lapses


def decisions_on_paper(decisions: Sequence[SharingDecision]) -> list[dict]:
    """What each decision's PDF shows (its page adds its forms and buttons), in the decisions' order: for a
    decision's own PDF, a bundle of a child's records, a release to the person it is about. Needs no request.

    The decisions come as ``decision_get_for_user`` or ``child_decisions_on_paper`` read them (answers,
    addenda, reviews, the request answered, the advice asked, their disclosures); then, for all of them at
    once, their places in the log (two queries) and the consents relied on (one query, if any did).
    """
    standings = receipts.standings(
        [part for decision in decisions for part in (decision, *decision.reviews.all(), *decision.addenda.all())]
    )
    lapses = consent_lapses(decisions=decisions)
    return [
        {
            "decision": decision,
            "on_paper": True,
            "lapsed_consent": lapses.get(decision.pk),
            "lapse_next_step": guidance.CONSENT_LAPSE_NEXT_STEP,
            "answers": list(decision.answers.all()),
            "addenda": list(decision.addenda.all()),
            "reviews": list(decision.reviews.all()),
            "addendum_form": None,
            "can_disclose": False,
            "can_review": False,
            "standings": standings,
            "answered_request": exchange_selectors.answered_request(user=None, decision=decision),
            "advice_asked": advice_shown(getattr(decision, "advice_asked", None), decision_recorded=True),
        }
        for decision in decisions
    ]


def decision_on_paper(decision: SharingDecision) -> dict:
    """What one decision's PDF shows: ``decisions_on_paper`` of it alone."""
    return decisions_on_paper([decision])[0]


def child_decisions_on_paper(*, child: Child, start: date | None = None, end: date | None = None) -> list[dict]:
    """The child's decisions made from ``start`` to ``end`` (days, either open), oldest first, as on paper.

    The caller has checked that whoever asked may see the child's records.
    """
    decisions = (
        _decisions_in_full()
        .annotate(advice_asked=advice_column(draft="draft__decision"))
        .prefetch_related("disclosures")
        .filter(child=child, agency_id=child.agency_id)
        .order_by("decided_at", "id")
    )
    decisions = within(decisions, "decided_at__date", start, end)
    return decisions_on_paper(list(decisions))


def legal_bases_offered() -> dict[str, str]:
    """The legal bases question 1 offers now (3.5.4), {code: label}."""
    return {basis.code: basis.label for basis in LegalBasis.objects.filter(is_active=True)}


def legal_bases_all() -> QuerySet[LegalBasis]:
    """Every legal basis, offered or retired, in the order question 1 lists them: one query."""
    return LegalBasis.objects.order_by("-is_active", "position", "label")


def legal_basis_get(*, legal_basis_id: int) -> LegalBasis:
    basis = LegalBasis.objects.filter(pk=legal_basis_id).first()
    if basis is None:
        raise Http404("No such legal basis")
    return basis


def summary_vocabulary(*, legal_bases: Mapping[str, str]) -> summary.Vocabulary:
    """The labels ``sharing.summary`` reads answers by that the models hold, with the legal bases given."""
    return summary.Vocabulary(
        legal_bases=legal_bases,
        agency_kinds=dict(Agency.Kind.choices),
        consent_explicitness=dict(ConsentRecord.Explicitness.choices),
        consent_forms=dict(ConsentRecord.Form.choices),
    )


def answer_summaries(draft: DecisionDraft) -> list[tuple[guidance.Question, list[summary.Line]]]:
    """Each question of the draft answered so far, with its answers as the practitioner reads them:
    the check page, and whoever is asked for advice about the draft."""
    # As the decision would be recorded: without answers to questions that do not apply.
    answers = guidance.answers_that_apply(guidance.answers_as_one_page(draft.answers))
    keys = [key for key in guidance.questions_needed(answers) if key in answers]
    # The legal bases are read only when question 1's answers are shown.
    vocabulary = summary_vocabulary(legal_bases=legal_bases_offered() if QuestionKey.PURPOSE in keys else {})
    return [(guidance.QUESTION_BY_KEY[key], summary.answer_lines(key, answers, vocabulary)) for key in keys]
