"""Who may make a child's bundle and download it again (docs/adr/0021-court-bundles.md).

A bundle hands a child's whole record outside the agency: the agency's
safeguarding leads make them, and so does its lead information officer (3.2.4:
the senior manager who decides controversial questions of sharing), whatever
their role. Other practitioners see the child's records but not its bundles.
"""

import rules

from records.roles import Permission
from records.rules import has_case_role, in_same_agency, is_lead


@rules.predicate
def is_lead_information_officer(user) -> bool:
    membership = getattr(user, "membership", None)
    return bool(membership and membership.is_lead_information_officer)


# Asked with the child (making, listing) or the bundle (downloading) as the object.
rules.add_perm(Permission.BUNDLE_MAKE, has_case_role & in_same_agency & (is_lead | is_lead_information_officer))
