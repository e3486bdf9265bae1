"""Who may see and record consent: case staff of the agency holding the child."""

import rules

from records.roles import Permission
from records.rules import has_case_role, in_same_agency, is_lead

rules.add_perm(Permission.CONSENT_VIEW, has_case_role & in_same_agency)
rules.add_perm(Permission.CONSENT_RECORD, has_case_role & in_same_agency)
# 3.3.21: the safeguarding lead sees the agency's consents due for review.
rules.add_perm(Permission.CONSENT_REVIEWS, has_case_role & is_lead)
