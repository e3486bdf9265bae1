"""Writes to agencies, staff, children and adults.

Every write names the acting user, which django-simple-history records with
the new version of the row.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from records.models import Adult, Agency, Child, ChildAdultRelationship, StaffMembership, User
from records.roles import Role


def _save(instance, *, user: User | None) -> None:
    instance._history_user = user
    instance.full_clean()
    instance.save()


@transaction.atomic
def child_create(*, user: User, agency: Agency, details: dict[str, Any]) -> Child:
    child = Child(agency=agency, **details)
    _save(child, user=user)
    return child


@transaction.atomic
def child_update(*, user: User, child: Child, details: dict[str, Any]) -> Child:
    for field, value in details.items():
        setattr(child, field, value)
    _save(child, user=user)
    return child


@transaction.atomic
def adult_add_to_child(
    *, user: User, child: Child, details: dict[str, Any], relationship: dict[str, Any]
) -> ChildAdultRelationship:
    adult = Adult(agency=child.agency, **details)
    _save(adult, user=user)
    return relationship_create(user=user, child=child, adult=adult, relationship=relationship)


@transaction.atomic
def relationship_create(
    *, user: User, child: Child, adult: Adult, relationship: dict[str, Any]
) -> ChildAdultRelationship:
    link = ChildAdultRelationship(child=child, adult=adult, **relationship)
    _save(link, user=user)
    return link


@transaction.atomic
def adult_update(
    *, user: User, link: ChildAdultRelationship, details: dict[str, Any], relationship: dict[str, Any]
) -> ChildAdultRelationship:
    adult = link.adult
    for field, value in details.items():
        setattr(adult, field, value)
    _save(adult, user=user)
    for field, value in relationship.items():
        setattr(link, field, value)
    _save(link, user=user)
    return link


@transaction.atomic
def agency_create(*, user: User | None, name: str, kind: str, **contact: str) -> Agency:
    agency = Agency(name=name, kind=kind, **contact)
    _save(agency, user=user)
    return agency


@transaction.atomic
def staff_create(
    *,
    user: User | None,
    agency: Agency,
    email: str,
    full_name: str,
    role: Role,
    password: str | None,
    job_title: str = "",
    is_lead_information_officer: bool = False,
    is_caldicott_guardian: bool = False,
) -> StaffMembership:
    """A new member of staff, with their sign-in and their place in an agency."""
    member = User(email=email.lower(), full_name=full_name)
    if password:
        member.set_password(password)
    else:
        member.set_unusable_password()
    _save(member, user=user)
    membership = StaffMembership(
        user=member,
        agency=agency,
        role=role,
        job_title=job_title,
        is_lead_information_officer=is_lead_information_officer,
        is_caldicott_guardian=is_caldicott_guardian,
    )
    _save(membership, user=user)
    return membership


def staff_sync_admin_access(*, user: User) -> None:
    """Only platform administrators use the admin site."""
    if user.is_staff != user.is_superuser:
        user.is_staff = user.is_superuser
        user.save(update_fields=["is_staff"])


STAFF_MEMBERSHIP_FIELDS = ("role", "job_title", "is_lead_information_officer", "is_caldicott_guardian")


@transaction.atomic
def staff_update(*, user: User, member: User, details: dict[str, Any]) -> User:
    """Change a member of staff's name, role or flags, or deactivate them.

    Deactivating signs them out everywhere at once, not at their next request.
    """
    from accounts import services as account_services

    deactivated = member.is_active and details.get("is_active") is False
    member.full_name = details["full_name"]
    member.is_active = details.get("is_active", member.is_active)
    _save(member, user=user)
    membership = member.membership
    for key in STAFF_MEMBERSHIP_FIELDS:
        setattr(membership, key, details[key])
    _save(membership, user=user)
    if deactivated:
        account_services.user_sessions_end(user=member)
    return member
