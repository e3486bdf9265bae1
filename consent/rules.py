"""Who may see and record consent: case staff of the agency holding the child."""

import rules

from records.roles import Permission
from records.rules import has_case_role, in_same_agency

rules.add_perm(Permission.CONSENT_VIEW, has_case_role & in_same_agency)
rules.add_perm(Permission.CONSENT_RECORD, has_case_role & in_same_agency)
