"""Writes to agencies, staff, children and adults.

Every write names the acting user, which django-simple-history records with
the new version of the row.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from datetime import date

from django.db import transaction

from records.models import Adult, Agency, Child, ChildAdultRelationship, Sex, StaffMembership, User
from records.roles import Role


@dataclass(frozen=True, kw_only=True)
class ChildDetails:
    """What the child's record says about them. An unborn child has an expected date of birth and no given names."""

    family_name: str
    given_name: str = ""
    other_names: str = ""
    date_of_birth: date | None = None
    expected_date_of_birth: date | None = None
    sex: str = Sex.NOT_KNOWN
    gender_identity: str = ""
    nhs_number: str = ""
    local_reference: str = ""
    address: str = ""
    postcode: str = ""

    @classmethod
    def of(cls, child: Child) -> ChildDetails:
        """The details as the record holds them now, to change one or two."""
        return cls(**{field.name: getattr(child, field.name) for field in fields(cls)})


@dataclass(frozen=True, kw_only=True)
class AdultDetails:
    given_name: str
    family_name: str
    other_names: str = ""
    date_of_birth: date | None = None
    address: str = ""
    postcode: str = ""
    phone: str = ""
    email: str = ""


@dataclass(frozen=True, kw_only=True)
class RelationshipDetails:
    """How an adult is connected to a child (3.3.18-3.3.19 read who holds parental responsibility, who lives there)."""

    relationship: str
    parental_responsibility: str
    lives_with_child: bool
    relationship_other: str = ""


@dataclass(frozen=True, kw_only=True)
class StaffDetails:
    """A member of staff's name, role and flags. ``is_active`` None leaves whether they can sign in as it is."""

    full_name: str
    role: Role
    job_title: str = ""
    is_lead_information_officer: bool = False
    is_caldicott_guardian: bool = False
    is_active: bool | None = None


@dataclass(frozen=True, kw_only=True)
class AgencyDetails:
    """An agency as a platform administrator sets it up. A deactivated agency's staff open no case records."""

    name: str
    kind: str
    address: str = ""
    phone: str = ""
    email: str = ""
    is_active: bool = True


@dataclass(frozen=True, kw_only=True)
class PlatformAdminDetails:
    """A new platform administrator: a name and the address they sign in with, never a password."""

    full_name: str
    email: str


def _save(instance, *, user: User | None) -> None:
    instance._history_user = user
    instance.full_clean()
    instance.save()


@transaction.atomic
def child_create(*, user: User, agency: Agency, details: ChildDetails) -> Child:
    child = Child(agency=agency, **asdict(details))
    _save(child, user=user)
    return child


@transaction.atomic
def child_update(*, user: User, child: Child, details: ChildDetails) -> Child:
    for field, value in asdict(details).items():
        setattr(child, field, value)
    _save(child, user=user)
    return child


@transaction.atomic
def adult_add_to_child(
    *, user: User, child: Child, details: AdultDetails, relationship: RelationshipDetails
) -> ChildAdultRelationship:
    adult = Adult(agency=child.agency, **asdict(details))
    _save(adult, user=user)
    return relationship_create(user=user, child=child, adult=adult, relationship=relationship)


@transaction.atomic
def relationship_create(
    *, user: User, child: Child, adult: Adult, relationship: RelationshipDetails
) -> ChildAdultRelationship:
    link = ChildAdultRelationship(child=child, adult=adult, **asdict(relationship))
    _save(link, user=user)
    return link


@transaction.atomic
def adult_update(
    *, user: User, link: ChildAdultRelationship, details: AdultDetails, relationship: RelationshipDetails
) -> ChildAdultRelationship:
    adult = link.adult
    for field, value in asdict(details).items():
        setattr(adult, field, value)
    _save(adult, user=user)
    for field, value in asdict(relationship).items():
        setattr(link, field, value)
    _save(link, user=user)
    return link


@transaction.atomic
def agency_create(*, user: User | None, details: AgencyDetails) -> Agency:
    agency = Agency(**asdict(details))
    _save(agency, user=user)
    return agency


@transaction.atomic
def agency_update(*, user: User, agency: Agency, details: AgencyDetails) -> Agency:
    """Change an agency's name, kind or contact details, or deactivate it: its staff then open no case records
    and manage no staff, and are signed out everywhere now, so no open session keeps a page of its records."""
    from accounts import services as account_services

    deactivated = agency.is_active and not details.is_active
    for field, value in asdict(details).items():
        setattr(agency, field, value)
    _save(agency, user=user)
    if deactivated:
        account_services.agency_sessions_end(agency=agency)
    return agency


@transaction.atomic
def platform_admin_create(*, user: User, details: PlatformAdminDetails) -> User:
    """A platform administrator, without a password: they choose it with the invitation
    (``accounts.services.invitation_send``), and set up a second factor at their first sign-in."""
    member = User(email=details.email.lower(), full_name=details.full_name, is_superuser=True, is_staff=True)
    member.set_unusable_password()
    _save(member, user=user)
    return member


@transaction.atomic
def platform_admin_deactivate(*, user: User, member: User) -> User:
    """They can no longer sign in, and are signed out everywhere now. Nobody is deleted:
    the history of what they did stays with their name."""
    from accounts import services as account_services

    if member.pk == user.pk:
        raise ValueError("A platform administrator does not deactivate their own account")
    member.is_active = False
    _save(member, user=user)
    account_services.user_sessions_end(user=member)
    return member


STAFF_MEMBERSHIP_FIELDS = ("role", "job_title", "is_lead_information_officer", "is_caldicott_guardian")


@transaction.atomic
def staff_create(
    *,
    user: User | None,
    agency: Agency,
    email: str,
    password: str | None,
    details: StaffDetails,
) -> StaffMembership:
    """A new member of staff, with their sign-in and their place in an agency."""
    member = User(email=email.lower(), full_name=details.full_name)
    if password:
        member.set_password(password)
    else:
        member.set_unusable_password()
    _save(member, user=user)
    membership = StaffMembership(
        user=member, agency=agency, **{key: getattr(details, key) for key in STAFF_MEMBERSHIP_FIELDS}
    )
    _save(membership, user=user)
    return membership


def staff_sync_admin_access(*, user: User) -> None:
    """Only platform administrators use the admin site."""
    if user.is_staff != user.is_superuser:
        user.is_staff = user.is_superuser
        user.save(update_fields=["is_staff"])


@transaction.atomic
def staff_update(*, user: User, member: User, details: StaffDetails) -> User:
    """Change a member of staff's name, role or flags, or deactivate them.

    Deactivating signs them out everywhere at once, not at their next request.
    """
    from accounts import services as account_services

    deactivated = member.is_active and details.is_active is False
    member.full_name = details.full_name
    if details.is_active is not None:
        member.is_active = details.is_active
    _save(member, user=user)
    membership = member.membership
    for key in STAFF_MEMBERSHIP_FIELDS:
        setattr(membership, key, getattr(details, key))
    _save(membership, user=user)
    if deactivated:
        account_services.user_sessions_end(user=member)
    return member
