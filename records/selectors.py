"""Reads, always scoped to the signed-in user's agency."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from records import identity
from records.models import Adult, Agency, Child, ChildAdultRelationship, User
from records.roles import Permission, Role


def children_visible_to(user: User) -> QuerySet[Child]:
    agency = user.agency
    if agency is None or not user.has_perm(Permission.CHILD_VIEW):
        return Child.objects.none()
    return Child.objects.filter(agency=agency)


def child_get_for_user(*, user: User, child_id: uuid.UUID, adults: bool = True) -> Child:
    """The child, with connected adults unless ``adults`` is false, or a 404 for anyone outside its agency."""
    children = children_visible_to(user).select_related("agency")
    if adults:
        relationships = ChildAdultRelationship.objects.select_related("adult").order_by(
            "adult__family_name", "adult__given_name"
        )
        children = children.prefetch_related(Prefetch("relationships", queryset=relationships))
    child = children.filter(pk=child_id).first()
    if child is None:
        raise Http404("No child found")
    return child


def relationship_get_for_user(*, user: User, child: Child, relationship_id: int) -> ChildAdultRelationship:
    relationship = (
        ChildAdultRelationship.objects.select_related("adult", "child")
        .filter(child=child, pk=relationship_id, adult__agency=user.agency)
        .first()
    )
    if relationship is None:
        raise Http404("No connected adult found")
    return relationship


def adults_linkable_to(*, user: User, child: Child, name: str) -> QuerySet[Adult]:
    """Adults of the agency, matching a name, not yet connected to this child."""
    adults = Adult.objects.filter(agency=user.agency).exclude(relationships__child=child)
    for token in _name_tokens(name):
        adults = adults.filter(
            Q(given_name__icontains=token) | Q(family_name__icontains=token) | Q(other_names__icontains=token)
        )
    return adults.order_by("family_name", "given_name")


@dataclass(frozen=True)
class ChildSearch:
    """What a practitioner typed to find a child."""

    text: str = ""
    date_of_birth: date | None = None

    @property
    def is_empty(self) -> bool:
        return not self.text.strip() and self.date_of_birth is None

    @property
    def kind(self) -> str:
        """What was searched by, without what was typed (for the access log)."""
        text = self.text.strip()
        digits = identity.nhs_number_normalise(text)
        parts = []
        if text:
            is_nhs = digits.isdigit() and len(digits) == identity.NHS_NUMBER_LENGTH
            parts.append("NHS number" if is_nhs else "name or reference")
        if self.date_of_birth is not None:
            parts.append("date of birth")
        return " and ".join(parts)


SEARCH_RESULT_LIMIT = 100


def child_search(*, user: User, search: ChildSearch) -> QuerySet[Child]:
    """Children of the user's agency matching a name, NHS number, reference or date of birth.

    A ten-digit entry is taken as an NHS number; any entry also matches a case
    reference exactly; otherwise every word must appear in a name.
    """
    children = children_visible_to(user)
    if search.is_empty:
        return children.none()
    text = search.text.strip()
    if text:
        digits = identity.nhs_number_normalise(text)
        if digits.isdigit() and len(digits) == identity.NHS_NUMBER_LENGTH:
            matches = Q(nhs_number=digits)
        else:
            names = Q()
            for token in _name_tokens(text):
                names &= (
                    Q(given_name__icontains=token) | Q(family_name__icontains=token) | Q(other_names__icontains=token)
                )
            matches = names | Q(local_reference__iexact=text)
        children = children.filter(matches)
    if search.date_of_birth:
        children = children.filter(
            Q(date_of_birth=search.date_of_birth) | Q(expected_date_of_birth=search.date_of_birth)
        )
    return children.order_by("family_name", "given_name", "date_of_birth")[:SEARCH_RESULT_LIMIT]


def recently_changed_children(*, user: User, limit: int = 10) -> QuerySet[Child]:
    return children_visible_to(user).order_by("-updated_at")[:limit]


def _name_tokens(text: str) -> list[str]:
    return [token for token in re.split(r"[\s,]+", text.strip()) if token]


def staff_managed_by(user: User) -> QuerySet[User]:
    """The staff of an agency administrator's agency (nobody, for anyone else)."""
    if user.agency is None:
        return User.objects.none()
    return (
        User.objects.filter(staff_membership__agency=user.agency, is_superuser=False)
        .select_related("staff_membership")
        .order_by("-is_active", "full_name")
    )


def staff_member_get_for_admin(*, user: User, member_id: int) -> User:
    member = staff_managed_by(user).filter(pk=member_id).first()
    if member is None:
        raise Http404("No such member of staff")
    return member


# A platform administrator's pages: agencies and the platform's own administrators.
# The view has checked Permission.PLATFORM_MANAGE before it reads any of these.


def agencies_for_platform() -> QuerySet[Agency]:
    """Every agency, active first, with how many of its staff can sign in: one query, however many."""
    return Agency.objects.annotate(
        active_staff=Count("staff", filter=Q(staff__user__is_active=True)),
    ).order_by("-is_active", "name")


def agency_get_for_platform(*, agency_id: int) -> Agency:
    agency = Agency.objects.filter(pk=agency_id).first()
    if agency is None:
        raise Http404("No such agency")
    return agency


def agency_administrators(agency: Agency) -> QuerySet[User]:
    return User.objects.filter(staff_membership__agency=agency, staff_membership__role=Role.AGENCY_ADMIN).order_by(
        "-is_active", "full_name"
    )


def platform_admins() -> QuerySet[User]:
    """The platform's administrators, who can sign in first."""
    return User.objects.filter(is_superuser=True).order_by("-is_active", "full_name")


def invitee_get_for_platform(*, administrator_id: int) -> User:
    """A platform administrator, or an agency's administrator: the people a platform administrator invites."""
    people = User.objects.filter(Q(is_superuser=True) | Q(staff_membership__role=Role.AGENCY_ADMIN))
    member = people.select_related("staff_membership__agency").filter(pk=administrator_id).first()
    if member is None:
        raise Http404("No such administrator")
    return member


def platform_admin_get(*, administrator_id: int) -> User:
    member = platform_admins().filter(pk=administrator_id).first()
    if member is None:
        raise Http404("No such platform administrator")
    return member
