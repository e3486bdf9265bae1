"""Who has notifications: staff who work with case records, each reading only their own (the selectors
find another person's notification not found)."""

import rules

from records.roles import Permission
from records.rules import has_case_role

rules.add_perm(Permission.NOTIFICATIONS, has_case_role)
