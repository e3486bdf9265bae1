"""Who may ask for advice, read a request for advice, and answer it: staff of the draft's own agency."""

from __future__ import annotations

import rules

from advice import advisers
from records.models import StaffMembership, User
from records.roles import Permission, Role
from records.rules import has_case_role, in_same_agency
from sharing.rules import is_draft_author, is_lead


def colleague(membership: StaffMembership) -> advisers.Colleague:
    """A member of staff as the advice rules see them."""
    return advisers.Colleague(
        id=membership.user_id,
        name=membership.user.full_name,
        job_title=membership.job_title,
        is_lead=membership.role == Role.SAFEGUARDING_LEAD,
        is_caldicott_guardian=membership.is_caldicott_guardian,
        is_lead_information_officer=membership.is_lead_information_officer,
    )


@rules.predicate
def draft_not_recorded(user, draft) -> bool:
    return draft is not None and draft.decision_id is None


@rules.predicate
def asked_it(user, advice) -> bool:
    return advice is not None and advice.asked_by_id == user.pk


@rules.predicate
def answered_it(user: User, advice) -> bool:
    answer = getattr(advice, "answer", None) if advice is not None else None
    return answer is not None and answer.answered_by_id == user.pk


@rules.predicate
def may_answer(user: User, advice) -> bool:
    membership = getattr(user, "membership", None)
    if advice is None or membership is None:
        return False
    return advisers.may_answer(
        asked_of=advice.asked_of_choice,
        adviser_id=advice.adviser_id,
        asked_by_id=advice.asked_by_id,
        colleague=colleague(membership),
    )


@rules.predicate
def still_open(user, advice) -> bool:
    return advice is not None and advisers.is_open(
        answered=getattr(advice, "answer", None) is not None, decision_recorded=advice.draft.decision_id is not None
    )


# Asked with the draft as the object: its author, while it is a draft.
rules.add_perm(Permission.ADVICE_ASK, has_case_role & in_same_agency & is_draft_author & draft_not_recorded)
# Their own list of requests for advice, asked of them and by them.
rules.add_perm(Permission.ADVICE_LIST, has_case_role)
# A request and the draft it is about: who asked, whoever may answer it or did, and the agency's leads.
rules.add_perm(Permission.ADVICE_VIEW, has_case_role & in_same_agency & (asked_it | may_answer | answered_it | is_lead))
rules.add_perm(Permission.ADVICE_ANSWER, has_case_role & in_same_agency & may_answer & still_open)
