"""Requests, disclosures and the chronology: case staff of the holding agency."""

import rules

from records.roles import Permission
from records.rules import has_case_role, in_same_agency

rules.add_perm(Permission.REQUEST_VIEW, has_case_role & in_same_agency)
rules.add_perm(Permission.REQUEST_LOG, has_case_role & in_same_agency)
rules.add_perm(Permission.DISCLOSURE_RECORD, has_case_role & in_same_agency)
rules.add_perm(Permission.CHRONOLOGY_VIEW, has_case_role & in_same_agency)
