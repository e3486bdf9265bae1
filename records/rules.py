"""Who may do what: predicates behind each ``Permission``.

Agencies are the tenants. A case record (child, adult) is open only to staff
of the agency holding it who have a case role; anyone else gets a 404 from the
selectors before these predicates are asked.
"""

import rules

from records.roles import CASE_ROLES, Permission, Role


def _membership_of_active_agency(user):
    """The person's place in an agency, unless a platform administrator has deactivated the agency: then
    nobody acts in it any more, neither on its case records nor on its staff."""
    membership = getattr(user, "membership", None)
    return membership if membership and membership.agency.is_active else None


@rules.predicate
def has_case_role(user) -> bool:
    membership = _membership_of_active_agency(user)
    return bool(membership and membership.role in CASE_ROLES)


@rules.predicate
def is_agency_admin(user) -> bool:
    membership = _membership_of_active_agency(user)
    return bool(membership and membership.role == Role.AGENCY_ADMIN)


@rules.predicate
def is_lead(user) -> bool:
    """The agency's safeguarding lead: who reviews decisions and oversees the agency's records."""
    membership = _membership_of_active_agency(user)
    return bool(membership and membership.role == Role.SAFEGUARDING_LEAD)


@rules.predicate
def is_platform_admin(user) -> bool:
    return bool(user.is_active and user.is_superuser)


@rules.predicate
def in_same_agency(user, record) -> bool:
    membership = getattr(user, "membership", None)
    if record is None or membership is None:
        return record is None
    return record.agency_id == membership.agency_id


rules.add_perm(Permission.CHILD_VIEW, has_case_role & in_same_agency)
rules.add_perm(Permission.CHILD_ADD, has_case_role)
rules.add_perm(Permission.CHILD_CHANGE, has_case_role & in_same_agency)
rules.add_perm(Permission.ADULT_CHANGE, has_case_role & in_same_agency)
# Agency administrators manage their own staff; platform administrators manage
# agencies, legal bases and each other (the admin site is for emergencies only).
rules.add_perm(Permission.STAFF_MANAGE, is_agency_admin)
rules.add_perm(Permission.PLATFORM_MANAGE, is_platform_admin)
