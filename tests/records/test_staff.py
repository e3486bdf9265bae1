"""Agency administrators manage their own staff on the service's pages."""

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from records.models import User
from records.roles import Role
from tests.accounts.conftest import sign_in
from tests.factories import StaffMembershipFactory
from tests.page_text import reader_text

LIST = reverse("records:staff_list")
ADD = reverse("records:staff_add")


def change_url(member):
    return reverse("records:staff_change", args=[member.pk])


def new_member(**overrides):
    data = {
        "full_name": "Sam Rivers",
        "email": "Sam.Rivers@Northgate.example",
        "role": Role.PRACTITIONER,
        "job_title": "Family support worker",
    }
    data.update(overrides)
    return data


def test_the_list_shows_only_the_agencys_own_staff(admin_client_agency, practitioner, other_practitioner):
    page = admin_client_agency.get(LIST)
    listed = [member for member, *_ in page.context["staff"]]
    assert practitioner in listed and other_practitioner not in listed


def test_adding_a_member_of_staff_sends_them_an_invitation(admin_client_agency, agency_admin, agency, mailoutbox):
    response = admin_client_agency.post(ADD, new_member(password="set-by-the-administrator"), follow=True)
    member = User.objects.get(email="sam.rivers@northgate.example")
    assert (member.agency, member.role, member.membership.job_title) == (
        agency,
        Role.PRACTITIONER,
        "Family support worker",
    )
    assert not member.is_staff
    assert member.history.first().history_user == agency_admin
    # Nobody knows a password for the account, the administrator included: a password posted is ignored.
    assert not member.has_usable_password()
    assert not member.check_password("set-by-the-administrator")
    (invitation,) = mailoutbox
    assert invitation.to == ["sam.rivers@northgate.example"]
    assert "Choose your password with this link" in invitation.body
    assert "We have emailed them an invitation to choose a password" in reader_text(response.content.decode())
    assert "Invited" in reader_text(admin_client_agency.get(LIST).content.decode())


def test_the_form_has_no_password_field(admin_client_agency):
    page = admin_client_agency.get(ADD).content.decode()
    assert 'type="password"' not in page


def test_a_duplicate_email_is_explained_next_to_the_field(admin_client_agency, practitioner, mailoutbox):
    response = admin_client_agency.post(ADD, new_member(email=practitioner.email.upper()))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Someone already signs in with this email address" in page
    assert 'value="Sam Rivers"' in page, "what was typed is kept"
    assert not mailoutbox


def test_a_forged_role_is_refused(admin_client_agency):
    response = admin_client_agency.post(ADD, new_member(role="superuser"))
    assert "Select a role" in response.content.decode()
    assert not User.objects.filter(email="sam.rivers@northgate.example").exists()


def test_changing_role_and_job_title_is_kept_in_the_history(admin_client_agency, agency_admin, practitioner):
    data = {"full_name": practitioner.full_name, "role": Role.SAFEGUARDING_LEAD, "job_title": "DSL", "is_active": "yes"}
    assert admin_client_agency.post(change_url(practitioner), data).status_code == 302
    membership = practitioner.staff_membership
    membership.refresh_from_db()
    assert (membership.role, membership.job_title) == (Role.SAFEGUARDING_LEAD, "DSL")
    assert membership.history.first().history_user == agency_admin


def test_the_email_cannot_be_changed_on_the_form(admin_client_agency, practitioner):
    original = practitioner.email
    data = {"full_name": "Renamed", "email": "else@example.org", "role": Role.PRACTITIONER, "is_active": "yes"}
    admin_client_agency.post(change_url(practitioner), data)
    practitioner.refresh_from_db()
    assert (practitioner.email, practitioner.full_name) == (original, "Renamed")


def test_deactivating_someone_signs_them_out_everywhere(admin_client_agency, practitioner):
    client = Client()
    practitioner.set_password("a-long-enough-passphrase")
    practitioner.save()
    # The password, then the second factor (TWO_FACTOR=everyone).
    assert sign_in(client, practitioner.email, password="a-long-enough-passphrase").status_code == 302
    assert client.get(reverse("records:child_search")).status_code == 200
    sessions_before = Session.objects.count()
    data = {"full_name": practitioner.full_name, "role": Role.PRACTITIONER, "is_active": "no"}
    assert admin_client_agency.post(change_url(practitioner), data).status_code == 302
    practitioner.refresh_from_db()
    assert not practitioner.is_active
    assert Session.objects.count() == sessions_before - 1
    response = client.get(reverse("records:child_search"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_an_administrator_cannot_deactivate_themselves_or_drop_their_role(admin_client_agency, agency_admin):
    data = {"full_name": agency_admin.full_name, "role": Role.PRACTITIONER, "is_active": "no"}
    page = admin_client_agency.post(change_url(agency_admin), data).content.decode()
    assert "You cannot deactivate your own account" in page
    assert "You cannot change your own role" in page
    agency_admin.refresh_from_db()
    assert agency_admin.is_active and agency_admin.role == Role.AGENCY_ADMIN


def test_another_agencys_staff_are_not_found(admin_client_agency, other_practitioner):
    assert admin_client_agency.get(change_url(other_practitioner)).status_code == 404
    reset = reverse("records:staff_two_factor_reset", args=[other_practitioner.pk])
    assert admin_client_agency.post(reset).status_code == 404


@pytest.mark.parametrize("role", ["practitioner", "lead"])
def test_case_roles_do_not_manage_staff(client, request, role):
    client.force_login(request.getfixturevalue(role))
    assert client.get(LIST).status_code == 403
    assert client.post(ADD, new_member()).status_code == 403


def test_the_navigation_offers_staff_to_agency_administrators_only(admin_client_agency, client, practitioner):
    assert 'href="/staff/"' in admin_client_agency.get(reverse("home")).content.decode()
    client.force_login(practitioner)
    assert 'href="/staff/"' not in client.get(reverse("records:child_search")).content.decode()


def test_a_second_administrator_can_be_made(admin_client_agency, agency):
    admin_client_agency.post(ADD, new_member(role=Role.AGENCY_ADMIN))
    member = User.objects.get(email="sam.rivers@northgate.example")
    assert member.role == Role.AGENCY_ADMIN and not member.is_staff
    colleague = StaffMembershipFactory(agency=agency, role=Role.AGENCY_ADMIN).user
    assert admin_client_agency.get(change_url(colleague)).status_code == 200
