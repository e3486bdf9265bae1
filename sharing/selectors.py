"""Reads for decisions and drafts, always scoped to the user's agency."""

from __future__ import annotations

import uuid

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from consent.selectors import live_consents
from records.models import Child, User
from records.roles import Permission
from sharing.guidance import Q
from sharing.models import Addendum, DecisionAnswer, DecisionDraft, DecisionReview, SharingDecision
from sharing.rules import is_lead


def draft_get_for_user(*, user: User, draft_id: uuid.UUID) -> DecisionDraft:
    """A draft its author or a lead of its agency may see; 404 for anyone else."""
    draft = (
        DecisionDraft.objects.select_related("child", "agency", "author", "decision")
        .filter(pk=draft_id, agency=user.agency)
        .first()
    )
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


def decision_get_for_user(*, user: User, decision_id: uuid.UUID) -> SharingDecision:
    decision = (
        SharingDecision.objects.select_related("child", "agency", "recorded_by")
        .prefetch_related(
            Prefetch("answers", queryset=DecisionAnswer.objects.order_by("position")),
            Prefetch("addenda", queryset=Addendum.objects.order_by("chain_sequence")),
            Prefetch("reviews", queryset=DecisionReview.objects.order_by("chain_sequence")),
        )
        .filter(pk=decision_id, agency=user.agency)
        .first()
    )
    if decision is None or not user.has_perm(Permission.DECISION_VIEW, decision):
        raise Http404("No decision found")
    return decision


def decisions_for_child(*, user: User, child: Child) -> list[SharingDecision]:
    """The child's decisions, newest first: the columns the child's page lists, not the whole records."""
    if not user.has_perm(Permission.DECISION_VIEW, child):
        return []
    decisions = (
        SharingDecision.objects.filter(child=child)
        .only("id", "agency_id", "decided_at", "outcome", "departs_from_guidance", "recorder_name")
        .order_by("-decided_at")
    )
    # The agency is checked here rather than in the WHERE clause: given both,
    # SQLite (which keeps no statistics) reads the agency's index, every
    # decision of the agency, instead of the child's.
    return [decision for decision in decisions if decision.agency_id == user.agency.pk]


def drafts_for_child(*, user: User, child: Child) -> QuerySet[DecisionDraft]:
    return drafts_open_for_user(user=user).filter(child=child)


def consent_relied_on_has_lapsed(*, draft: DecisionDraft) -> bool:
    """The consent record chosen at question 4 was withdrawn or replaced since."""
    chosen = (draft.answers.get(Q.CONSENT) or {}).get("consent_record")
    if not chosen:
        return False
    adult_ids = {adult.pk for adult in draft.adults.all()}
    return chosen not in {str(record.pk) for record in live_consents(child=draft.child, about_adult_ids=adult_ids)}
