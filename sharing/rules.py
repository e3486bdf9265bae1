"""Who may start, see and add to information-sharing decisions."""

import rules

from records.roles import Permission
from records.rules import has_case_role, in_same_agency, is_lead


@rules.predicate
def is_draft_author(user, draft) -> bool:
    return draft is not None and draft.author_id == user.pk


@rules.predicate
def recorded_the_decision(user, decision) -> bool:
    return decision is not None and decision.recorded_by_id == user.pk


# Starting a decision is asked with the child as the object.
rules.add_perm(Permission.DECISION_START, has_case_role & in_same_agency)
rules.add_perm(Permission.DECISION_VIEW, has_case_role & in_same_agency)
# Drafts are seen by their author and the agency's safeguarding leads, and
# changed only by their author.
rules.add_perm(Permission.DRAFT_VIEW, has_case_role & in_same_agency & (is_draft_author | is_lead))
rules.add_perm(Permission.DRAFT_EDIT, has_case_role & in_same_agency & is_draft_author)
rules.add_perm(Permission.ADDENDUM_ADD, has_case_role & in_same_agency & (recorded_the_decision | is_lead))
# A safeguarding lead of the agency reviews decisions, but never their own.
rules.add_perm(Permission.DECISION_REVIEW, has_case_role & in_same_agency & is_lead & ~recorded_the_decision)
