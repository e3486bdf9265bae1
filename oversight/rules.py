"""Who may see the oversight pages: the agency's safeguarding leads."""

import rules

from records.roles import Permission
from records.rules import has_case_role, in_same_agency, is_lead

# The dashboard and the audit histories (of a child, a member of staff, the
# agency's changes) are for the safeguarding leads of the agency.
rules.add_perm(Permission.OVERSIGHT_VIEW, has_case_role & is_lead & in_same_agency)
