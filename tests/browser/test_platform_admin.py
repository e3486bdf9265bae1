"""A platform administrator's work, in Chromium with axe on every page: an agency added on the
service's own pages (a mistake first, shown in the error summary), its administrator invited, a
legal basis added, a platform administrator invited; then the Django admin, for emergencies, whose
pages pass axe with WCAG 2.2's target size too (its filters, sort links and row checkboxes were
too small, and its list of legal bases had unlabelled cells)."""

import pytest
from playwright.sync_api import Page, expect

from records.models import User
from tests.browser.helpers import assert_accessible, signed_in
from tests.factories import UserFactory

pytestmark = pytest.mark.usefixtures("demo")

PLATFORM_ADMIN = "ola.byrne@platform.example"


@pytest.fixture
def platform_admin_page(page: Page) -> Page:
    UserFactory(email=PLATFORM_ADMIN, full_name="Ola Byrne", is_superuser=True, is_staff=True)
    signed_in(page, PLATFORM_ADMIN)
    return page


def checked(page: Page) -> None:
    assert_accessible(page)


def test_a_platform_administrator_adds_an_agency_and_its_administrator(platform_admin_page: Page):
    page = platform_admin_page
    menu = page.get_by_role("navigation", name="Menu")
    menu.get_by_role("link", name="Agencies").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Agencies")
    checked(page)
    page.get_by_role("link", name="Add an agency").click()
    checked(page)
    page.get_by_label("Name of the agency").fill("Northgate Children's Services")
    page.get_by_role("button", name="Add agency").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("There is already an agency with this name")
    expect(summary).to_contain_text("Select what kind of agency it is")
    checked(page)
    summary.get_by_role("link", name="Select what kind of agency it is").click()
    page.get_by_label("Name of the agency").fill("Eastbrook Primary School")
    page.get_by_label("School", exact=True).check()
    page.get_by_role("button", name="Add agency").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Change Eastbrook Primary School")
    checked(page)
    page.get_by_role("link", name="Invite an agency administrator").click()
    checked(page)
    page.get_by_label("Full name").fill("Nadia Hughes")
    page.get_by_label("Email address").fill("nadia.hughes@eastbrook.example")
    page.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_text("Nadia Hughes (nadia.hughes@eastbrook.example)")).to_be_visible()

    menu.get_by_role("link", name="Legal bases").click()
    checked(page)
    page.get_by_role("link", name="Add a legal basis").click()
    checked(page)
    page.get_by_label("Legal basis").fill("Adoption and Children Act 2002 section 2")
    page.get_by_label("Place in the list").fill("12")
    page.get_by_role("button", name="Add legal basis").click()
    expect(page.get_by_role("link", name="Adoption and Children Act 2002 section 2")).to_be_visible()
    page.get_by_role("link", name="Adoption and Children Act 2002 section 2").click()
    checked(page)

    menu.get_by_role("link", name="Platform administrators").click()
    checked(page)
    page.get_by_role("link", name="Invite a platform administrator").click()
    checked(page)
    page.get_by_label("Full name").fill("Kofi Mensah")
    page.get_by_label("Email address").fill("kofi.mensah@platform.example")
    page.get_by_role("button", name="Send invitation").click()
    row = page.get_by_role("row", name="Kofi Mensah")
    expect(row).to_contain_text("Invited")
    row.get_by_role("button", name="Deactivate Kofi Mensah").click()
    expect(page.get_by_role("row", name="Kofi Mensah")).to_contain_text("Deactivated")
    assert not User.objects.get(email="kofi.mensah@platform.example").is_active


def test_the_admin_for_emergencies_passes_axe(platform_admin_page: Page):
    page = platform_admin_page
    practitioner = User.objects.get(email="practitioner@northgate.example")
    page.goto("/admin/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Site administration")
    checked(page)
    page.get_by_role("link", name="Users").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Select user to change")
    checked(page)
    page.get_by_role("link", name=practitioner.full_name).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Change user")
    checked(page)
    page.get_by_role("link", name="History").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"View history: {practitioner.full_name}")
    checked(page)
    for address in (
        "/admin/records/agency/",
        "/admin/sharing/legalbasis/",
        "/admin/axes/accessattempt/",
        "/admin/otp_totp/totpdevice/",
    ):
        page.goto(address)
        expect(page.get_by_role("heading", level=1)).to_contain_text("Select")
        checked(page)
