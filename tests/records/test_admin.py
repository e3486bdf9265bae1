"""The admin site: for platform administrators and agency administrators only."""

import pytest
from django.urls import reverse

from records.models import StaffMembership, User
from records.roles import Role
from tests.factories import ChildFactory, StaffMembershipFactory

ADMIN = reverse("admin:index")


def test_practitioners_never_see_the_admin(practitioner_client):
    response = practitioner_client.get(ADMIN)
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_leads_never_see_the_admin(lead_client):
    assert lead_client.get(ADMIN).status_code == 302


def test_an_agency_administrator_sees_only_their_own_staff(admin_client_agency, practitioner, other_practitioner):
    response = admin_client_agency.get(reverse("admin:records_user_changelist"))
    assert response.status_code == 200
    listed = set(response.context["cl"].queryset)
    assert practitioner in listed
    assert other_practitioner not in listed
    other = admin_client_agency.get(reverse("admin:records_user_change", args=[other_practitioner.pk]))
    assert other.status_code == 302  # the admin's "does not exist" redirect to its index


def test_an_agency_administrator_cannot_open_case_records_in_the_admin(admin_client_agency, agency):
    ChildFactory(agency=agency)
    assert admin_client_agency.get(reverse("admin:records_child_changelist")).status_code == 403


def test_an_agency_administrator_sees_only_their_agency(admin_client_agency, agency, other_agency):
    response = admin_client_agency.get(reverse("admin:records_agency_changelist"))
    assert list(response.context["cl"].queryset) == [agency]
    assert admin_client_agency.get(reverse("admin:records_agency_add")).status_code == 403


def test_an_agency_administrator_adds_staff_to_their_own_agency(admin_client_agency, agency, other_agency):
    response = admin_client_agency.post(
        reverse("admin:records_user_add"),
        {
            "email": "New.Worker@Example.org",
            "full_name": "New Worker",
            "usable_password": "true",
            "password1": "a-long-enough-passphrase",
            "password2": "a-long-enough-passphrase",
            "staff_membership-TOTAL_FORMS": "1",
            "staff_membership-INITIAL_FORMS": "0",
            "staff_membership-MIN_NUM_FORMS": "1",
            "staff_membership-MAX_NUM_FORMS": "1",
            "staff_membership-0-agency": str(other_agency.pk),
            "staff_membership-0-role": Role.SAFEGUARDING_LEAD,
        },
    )
    # Another agency is not a choice for an agency administrator.
    assert response.status_code == 200
    assert not User.objects.filter(email="new.worker@example.org").exists()


def test_making_someone_an_agency_administrator_gives_them_the_admin(platform_admin, client, agency):
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
    assert member.is_staff
    assert StaffMembership.objects.get(user=member).role == Role.AGENCY_ADMIN


@pytest.mark.django_db
def test_the_platform_administrator_sees_every_agency(client, platform_admin, agency, other_agency):
    client.force_login(platform_admin)
    response = client.get(reverse("admin:records_agency_changelist"))
    assert set(response.context["cl"].queryset) == {agency, other_agency}
