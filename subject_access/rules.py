"""Who handles subject access requests: the agency's safeguarding leads (ADR 22).

A request is about everything the agency holds on a person, so it is the
leads' work, as the audit histories are; a practitioner gets 403. The lead
who approves a release has made none of its redactions, unless the agency
has no other safeguarding lead: then the one lead approves their own, and the
redaction log says so.
"""

import rules

from records.roles import Permission
from records.rules import has_case_role, in_same_agency, is_lead


@rules.predicate
def is_open(user, subject_access_request) -> bool:
    return subject_access_request is not None and not subject_access_request.is_released


@rules.predicate
def may_approve(user, subject_access_request) -> bool:
    """Someone who made none of the redactions; or, when the agency has no other lead, the one who made them."""
    from subject_access import selectors

    if subject_access_request is None:
        return False
    if user.pk not in selectors.redactor_ids(subject_access_request):
        return True
    return not selectors.other_leads_exist(user=user)


rules.add_perm(Permission.SUBJECT_ACCESS, has_case_role & is_lead & in_same_agency)
rules.add_perm(Permission.SUBJECT_ACCESS_APPROVE, has_case_role & is_lead & in_same_agency & is_open & may_approve)
