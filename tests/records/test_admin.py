"""The admin site: for platform administrators only."""

import pytest
from django.urls import reverse

from records.models import StaffMembership
from records.roles import Role
from tests.factories import StaffMembershipFactory

ADMIN = reverse("admin:index")


@pytest.mark.parametrize("role", ["practitioner", "lead", "agency_admin"])
def test_nobody_but_platform_administrators_reaches_the_admin(client, request, role):
    client.force_login(request.getfixturevalue(role))
    response = client.get(ADMIN)
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))
    assert client.get(reverse("admin:records_user_changelist")).status_code == 302


def test_an_agency_administrator_with_the_old_admin_flag_still_cannot_enter(client, agency_admin):
    agency_admin.is_staff = True
    agency_admin.save()
    client.force_login(agency_admin)
    assert client.get(ADMIN).status_code == 302


@pytest.mark.django_db
def test_the_platform_administrator_sees_every_agency(client, platform_admin, agency, other_agency):
    client.force_login(platform_admin)
    response = client.get(reverse("admin:records_agency_changelist"))
    assert set(response.context["cl"].queryset) == {agency, other_agency}


def test_the_platform_administrator_makes_an_agency_administrator(platform_admin, client, agency):
    client.force_login(platform_admin)
    member = StaffMembershipFactory(agency=agency, role=Role.PRACTITIONER).user
    membership = member.staff_membership
    response = client.post(
        reverse("admin:records_user_change", args=[member.pk]),
        {
            "email": member.email,
            "full_name": member.full_name,
            "is_active": "on",
            "staff_membership-TOTAL_FORMS": "1",
            "staff_membership-INITIAL_FORMS": "1",
            "staff_membership-MIN_NUM_FORMS": "1",
            "staff_membership-MAX_NUM_FORMS": "1",
            "staff_membership-0-id": str(membership.pk),
            "staff_membership-0-user": str(member.pk),
            "staff_membership-0-agency": str(agency.pk),
            "staff_membership-0-role": Role.AGENCY_ADMIN,
        },
    )
    assert response.status_code == 302, response.context["errors"] if response.context else response
    member.refresh_from_db()
    assert StaffMembership.objects.get(user=member).role == Role.AGENCY_ADMIN
    assert not member.is_staff, "agency administrators manage staff on the service's pages, not the admin"


def test_case_records_are_read_only_in_the_admin(client, platform_admin):
    client.force_login(platform_admin)
    assert client.get(reverse("admin:records_child_add")).status_code == 403
