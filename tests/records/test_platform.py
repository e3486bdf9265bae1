"""Platform administrators manage agencies, their first administrators and each other on the
service's pages, in its look; the Django admin is for emergencies only (ADR 15)."""

from django.test import Client
from django.urls import reverse

from audit.models import AccessEvent, Action
from records.models import Agency, User
from records.roles import Role
from tests.accounts.conftest import sign_in
from tests.factories import AgencyFactory, StaffMembershipFactory, UserFactory
from tests.mail_data import body_of, link_in
from tests.page_text import page_line, reader_text

AGENCIES = reverse("records:agency_list")
AGENCY_ADD = reverse("records:agency_add")
ADMINISTRATORS = reverse("records:platform_admin_list")
ADMINISTRATOR_ADD = reverse("records:platform_admin_add")


def new_agency(**overrides):
    data = {
        "name": "Eastbrook Primary School",
        "kind": Agency.Kind.SCHOOL,
        "address": "1 School Lane\nEastbrook",
        "phone": "01632 960 123",
        "email": "Safeguarding@Eastbrook.example",
    }
    data.update(overrides)
    return data


def test_the_agencies_are_listed_with_their_kind_staff_and_status(platform_client, agency, practitioner, lead):
    AgencyFactory(name="Closed Youth Project", kind=Agency.Kind.VOLUNTARY, is_active=False)
    StaffMembershipFactory(agency=agency, role=Role.PRACTITIONER, user__is_active=False)
    text = page_line(platform_client.get(AGENCIES))
    assert "Northgate Children's Services Local authority children's social care 2 Active" in text
    assert "Closed Youth Project Voluntary sector 0 Deactivated" in text
    # Active agencies first.
    assert text.index("Northgate Children's Services") < text.index("Closed Youth Project")


def test_an_agency_is_added_with_its_history(platform_client, platform_admin):
    response = platform_client.post(AGENCY_ADD, new_agency(), follow=True)
    agency = Agency.objects.get(name="Eastbrook Primary School")
    assert (agency.kind, agency.email, agency.address, agency.is_active) == (
        Agency.Kind.SCHOOL,
        "safeguarding@eastbrook.example",
        "1 School Lane\nEastbrook",
        True,
    )
    assert response.redirect_chain[-1][0] == reverse("records:agency_change", args=[agency.pk])
    assert "Eastbrook Primary School has been added. Now invite its first agency administrator" in page_line(response)
    assert "Eastbrook Primary School has no administrator yet." in page_line(response)
    assert agency.history.get().history_user == platform_admin


def test_bad_input_is_summarised_at_the_top(platform_client, agency):
    response = platform_client.post(AGENCY_ADD, new_agency(name=" northgate  children's services ", kind="", email="x"))
    text = page_line(response)
    assert response.status_code == 200
    assert text.startswith("Error: Add an agency")
    summary = text[text.index("There is a problem") :]
    for message in (
        "There is already an agency with this name",
        "Select what kind of agency it is",
        "Enter an email address in the correct format, like name@example.com",
    ):
        assert message in summary
    assert Agency.objects.count() == 1


def test_an_agency_is_changed_and_deactivated(platform_client, platform_admin, agency, practitioner):
    url = reverse("records:agency_change", args=[agency.pk])
    assert "Change Northgate Children's Services" in page_line(platform_client.get(url))
    response = platform_client.post(
        url, new_agency(name="Northgate Children's Services", kind=agency.kind, is_active="no"), follow=True
    )
    assert "Northgate Children's Services's details have been updated" in page_line(response)
    agency.refresh_from_db()
    assert not agency.is_active
    assert agency.history.first().history_user == platform_admin
    # Its practitioners open no case records now.
    practitioner.refresh_from_db()
    assert not practitioner.has_perm("records.child_view")


def test_deactivating_an_agency_signs_its_staff_out_and_its_administrator_manages_no_one(
    platform_client, agency, practitioner, agency_admin
):
    theirs, admins = Client(), Client()
    sign_in(theirs, practitioner.email)
    sign_in(admins, agency_admin.email)
    child_search, staff = reverse("records:child_search"), reverse("records:staff_list")
    assert theirs.get(child_search).status_code == 200
    assert admins.get(staff).status_code == 200

    platform_client.post(
        reverse("records:agency_change", args=[agency.pk]),
        new_agency(name=agency.name, kind=agency.kind, is_active="no"),
    )

    # Signed out at once: no open page of the agency's records stays in use.
    assert theirs.get(child_search).url.startswith(reverse("login"))
    assert admins.get(staff).url.startswith(reverse("login"))
    # Signed in again, the administrator manages no staff of an agency that is no more.
    admins.force_login(agency_admin)
    assert admins.get(staff).status_code == 403


def test_an_agency_administrator_is_invited_and_chooses_their_password(platform_client, agency, mailoutbox):
    url = reverse("records:agency_admin_add", args=[agency.pk])
    response = platform_client.post(url, {"full_name": "Nadia Hughes", "email": "Nadia@Northgate.example"}, follow=True)
    assert (
        "Nadia Hughes has been added as Northgate Children's Services's administrator. "
        "We have emailed them an invitation to choose a password" in page_line(response)
    )
    assert "Nadia Hughes (nadia@northgate.example)" in page_line(response)
    member = User.objects.get(email="nadia@northgate.example")
    assert (member.agency, member.role, member.is_superuser) == (agency, Role.AGENCY_ADMIN, False)
    assert not member.has_usable_password()
    (message,) = mailoutbox
    assert message.to == ["nadia@northgate.example"]
    assert "Choose your password with this link" in body_of(message)


def test_an_address_already_in_use_is_refused(platform_client, agency, practitioner, mailoutbox):
    url = reverse("records:agency_admin_add", args=[agency.pk])
    response = platform_client.post(url, {"full_name": "Someone", "email": practitioner.email.upper()})
    assert "Someone already signs in with this email address" in page_line(response)
    assert not mailoutbox


def test_the_platform_administrators_are_listed(platform_client, platform_admin):
    UserFactory(is_superuser=True, is_staff=True, full_name="Ola Byrne", is_active=False)
    text = page_line(platform_client.get(ADMINISTRATORS))
    assert f"Platform Administrator (you) {platform_admin.email} Active" in text
    assert "Ola Byrne" in text and text.index("Ola Byrne") > text.index("Platform Administrator")
    assert "Deactivated" in text


def test_a_platform_administrator_is_invited_and_signs_in_with_two_factor(platform_client, platform_admin, mailoutbox):
    response = platform_client.post(
        ADMINISTRATOR_ADD, {"full_name": "Ola Byrne", "email": "Ola.Byrne@Platform.example"}, follow=True
    )
    assert (
        "Ola Byrne has been added as a platform administrator. "
        "We have emailed them an invitation to choose a password" in page_line(response)
    )
    assert "Ola Byrne ola.byrne@platform.example Invited" in page_line(response)
    member = User.objects.get(email="ola.byrne@platform.example")
    assert member.is_superuser and member.is_staff and member.agency is None
    assert not member.has_usable_password()
    assert member.history.get().history_user == platform_admin
    (message,) = mailoutbox
    assert message.to == ["ola.byrne@platform.example"]


def test_a_platform_administrator_is_deactivated_and_signed_out(client, platform_admin):
    other = UserFactory(is_superuser=True, is_staff=True, full_name="Ola Byrne")
    theirs = Client()
    sign_in(theirs, other.email)
    assert theirs.get(AGENCIES).status_code == 200
    client.force_login(platform_admin)
    response = client.post(reverse("records:platform_admin_deactivate", args=[other.pk]), follow=True)
    assert "Ola Byrne can no longer sign in, and has been signed out" in page_line(response)
    other.refresh_from_db()
    assert not other.is_active
    assert other.history.first().history_user == platform_admin
    assert theirs.get(AGENCIES).status_code == 302


def test_nobody_deactivates_themself(platform_client, platform_admin):
    assert "Deactivate" not in page_line(platform_client.get(ADMINISTRATORS))
    response = platform_client.post(reverse("records:platform_admin_deactivate", args=[platform_admin.pk]), follow=True)
    assert "You cannot deactivate your own account: ask another platform administrator" in page_line(response)
    platform_admin.refresh_from_db()
    assert platform_admin.is_active


def test_only_platform_administrators_are_deactivated_here(platform_client, practitioner):
    url = reverse("records:platform_admin_deactivate", args=[practitioner.pk])
    assert platform_client.post(url).status_code == 404
    practitioner.refresh_from_db()
    assert practitioner.is_active


def test_the_header_leads_a_platform_administrator_to_each_page(platform_client):
    page = platform_client.get(reverse("records:agency_change", args=[AgencyFactory().pk])).content.decode()
    menu = page[page.index('id="navigation"') : page.index("</ul>", page.index('id="navigation"'))]
    assert reader_text(f"<ul {menu}</ul>").splitlines() == ["Agencies", "Legal bases", "Platform administrators"]
    assert f'href="{AGENCIES}" aria-current="true"' in page


def test_nobody_else_sees_the_platform_items(admin_client_agency):
    text = page_line(admin_client_agency.get(reverse("records:staff_list")))
    assert "Agencies" not in text and "Platform administrators" not in text


def test_the_pages_log_no_look_at_a_case_record(platform_client, agency):
    for url in (AGENCIES, AGENCY_ADD, reverse("records:agency_change", args=[agency.pk]), ADMINISTRATORS):
        assert platform_client.get(url).status_code == 200
    assert not AccessEvent.objects.filter(action__in=[Action.VIEW, Action.SEARCH, Action.EXPORT]).exists()


def test_an_invitation_is_sent_again_and_the_old_link_stops_working(platform_client, agency, mailoutbox):
    platform_client.post(
        reverse("records:agency_admin_add", args=[agency.pk]),
        {"full_name": "Nadia Hughes", "email": "nadia@northgate.example"},
    )
    member = User.objects.get(email="nadia@northgate.example")
    (first,) = mailoutbox
    response = platform_client.post(reverse("records:platform_invitation_send", args=[member.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("records:agency_change", args=[agency.pk])
    assert (
        "Nadia Hughes's old invitation no longer works. We have emailed them an invitation to choose a password"
        in page_line(response)
    )
    _first, second = mailoutbox
    assert link_in(second) != link_in(first)
    assert "This link does not work" in page_line(Client().get(link_in(first), follow=True))


def test_no_invitation_goes_to_someone_who_has_chosen_a_password(platform_client, agency_admin, mailoutbox):
    response = platform_client.post(reverse("records:platform_invitation_send", args=[agency_admin.pk]), follow=True)
    assert f"{agency_admin.full_name} has already chosen a password: no invitation was sent" in page_line(response)
    assert not mailoutbox


def test_only_administrators_are_sent_an_invitation_here(platform_client, practitioner, mailoutbox):
    assert platform_client.post(reverse("records:platform_invitation_send", args=[practitioner.pk])).status_code == 404
    assert not mailoutbox
