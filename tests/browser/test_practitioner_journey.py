"""A practitioner's day, as they would see it in the browser, using the demo data.

Each page visited is checked with axe; console errors and failed requests fail
the test (see the ``page`` fixture).
"""

import re

import pytest
from playwright.sync_api import Page, expect

from records.models import Child
from tests.browser.helpers import assert_accessible, sign_in

PRACTITIONER = "practitioner@northgate.example"
OTHER_AGENCY_PRACTITIONER = "practitioner@northgate-nhs.example"
AGENCY = "Northgate Children's Services"
SERVICE_NAME = "Safeguarding information sharing"
# A valid NHS number (the check digit matches) that no demo child has.
UNUSED_NHS_NUMBER = "485 777 3457"

pytestmark = pytest.mark.usefixtures("demo")


def mia_turner() -> Child:
    return Child.objects.get(agency__name=AGENCY, local_reference="NCS-1042")


def error_summary(page: Page):
    """GOV.UK's error summary: "There is a problem", then a link to each field to fix."""
    summary = page.locator(".govuk-error-summary")
    expect(summary.get_by_role("alert")).to_contain_text("There is a problem")
    return summary


def test_sign_in_shows_who_is_signed_in_and_for_which_agency(page: Page):
    sign_in(page, PRACTITIONER)

    expect(page).to_have_url(re.compile(r"/children/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Find a child")
    expect(page.locator(".app-account-bar__who")).to_have_text(
        re.compile(r"Signed in as Priya Shah, practitioner, Northgate Children's Services")
    )
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def test_find_a_child_by_name_then_by_nhs_number_typed_with_spaces(page: Page):
    sign_in(page, PRACTITIONER)
    search_box = page.get_by_label("Name, NHS number or case reference")

    search_box.fill("Mia Turner")
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page.get_by_role("heading", name="1 child found")).to_be_visible()
    results = page.get_by_role("table")
    expect(results.get_by_role("row")).to_have_count(2)  # the header and Mia
    expect(results.get_by_role("link", name="Mia Turner")).to_be_visible()
    # What was searched for stays in the box, so it can be refined.
    expect(search_box).to_have_value("Mia Turner")
    assert_accessible(page)

    search_box.fill("943 476 5919")
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page.get_by_role("heading", name="1 child found")).to_be_visible()
    row = page.get_by_role("table").get_by_role("row").filter(has_text="Mia Turner")
    expect(row).to_contain_text("943 476 5919")
    expect(row).to_contain_text("NCS-1042")
    assert_accessible(page)

    row.get_by_role("link", name="Mia Turner").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mia Turner")
    expect(page).to_have_title(f"Mia Turner – {SERVICE_NAME}")
    details = page.locator(".govuk-summary-card").filter(has=page.get_by_role("heading", name="Child's details"))
    expect(details).to_contain_text("943 476 5919")
    expect(details).to_contain_text("NCS-1042")
    expect(page.get_by_role("heading", name="Kelly Turner, mother")).to_be_visible()
    assert_accessible(page)


def test_add_a_connected_adult_after_fixing_the_errors(page: Page):
    sign_in(page, PRACTITIONER)
    page.goto(f"/children/{mia_turner().pk}/")
    assert_accessible(page)
    page.get_by_role("link", name="Add a connected adult").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add a connected adult")
    assert_accessible(page)

    page.get_by_role("button", name="Add adult").click()

    expect(page).to_have_title(re.compile(r"^Error: "))
    summary = error_summary(page)
    expect(summary).to_be_visible()
    expected_errors = [
        "Enter the adult's given names",
        "Enter the adult's family name",
        "Select how this adult is related to the child",
        "Select whether this adult holds parental responsibility",
        "Select whether this adult lives with the child",
    ]
    expect(summary.get_by_role("link")).to_have_text(expected_errors)
    for message in expected_errors:
        expect(page.locator(".govuk-error-message").filter(has_text=message)).to_have_text(f"Error: {message}")
    # GOV.UK Frontend moves focus to the summary; its links lead to the fields.
    expect(summary).to_be_focused()
    summary.get_by_role("link", name="Enter the adult's family name").click()
    expect(page.get_by_label("Family name")).to_be_focused()
    assert_accessible(page)

    page.get_by_label("Given names").fill("Margaret")
    page.get_by_label("Family name").fill("Turner")
    page.get_by_role("group", name="Relationship to the child").get_by_label("Grandparent").check()
    page.get_by_role("group", name="Does this adult hold parental responsibility").get_by_label(
        "No", exact=True
    ).check()
    page.get_by_role("group", name="Does this adult live with the child?").get_by_label("Yes", exact=True).check()
    page.get_by_role("button", name="Add adult").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Mia Turner")
    expect(page.get_by_role("alert")).to_contain_text("Margaret Turner has been added as grandparent")
    card = page.locator(".govuk-summary-card").filter(
        has=page.get_by_role("heading", name="Margaret Turner, grandparent")
    )
    expect(card).to_be_visible()
    expect(card.locator(".govuk-summary-list__row").filter(has_text="Parental responsibility")).to_contain_text("No")
    expect(card.locator(".govuk-summary-list__row").filter(has_text="Lives with the child")).to_contain_text("Yes")
    assert_accessible(page)


def test_add_a_child_keeps_what_was_typed_when_the_nhs_number_is_wrong(page: Page):
    sign_in(page, PRACTITIONER)
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Add a child").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add a child")
    assert_accessible(page)

    page.get_by_label("Given names").fill("Leo")
    page.get_by_label("Family name").fill("Turner")
    page.get_by_role("group", name="Has the child been born?").get_by_label("Yes", exact=True).check()
    date_of_birth = page.get_by_role("group", name="Date of birth", exact=True)
    date_of_birth.get_by_label("Day").fill("14")
    date_of_birth.get_by_label("Month").fill("2")
    date_of_birth.get_by_label("Year").fill("2019")
    page.get_by_role("group", name="Sex").get_by_label("Male", exact=True).check()
    page.get_by_label("NHS number").fill("943 476 5918")
    page.get_by_role("button", name="Add child").click()

    expect(page).to_have_title(re.compile(r"^Error: Add a child"))
    expect(error_summary(page).get_by_role("link")).to_have_text([re.compile(r"^Enter a valid NHS number")])
    nhs_number_group = page.locator(".govuk-form-group").filter(has=page.get_by_label("NHS number"))
    expect(nhs_number_group.locator(".govuk-error-message")).to_contain_text("Enter a valid NHS number")
    expect(page.get_by_label("NHS number")).to_have_value("943 476 5918")
    expect(page.get_by_label("Given names")).to_have_value("Leo")
    expect(page.get_by_label("Family name")).to_have_value("Turner")
    expect(page.get_by_role("group", name="Has the child been born?").get_by_label("Yes", exact=True)).to_be_checked()
    expect(date_of_birth.get_by_label("Day")).to_have_value("14")
    expect(date_of_birth.get_by_label("Month")).to_have_value("2")
    expect(date_of_birth.get_by_label("Year")).to_have_value("2019")
    expect(page.get_by_role("group", name="Sex").get_by_label("Male", exact=True)).to_be_checked()
    assert_accessible(page)

    page.get_by_label("NHS number").fill(UNUSED_NHS_NUMBER)
    page.get_by_role("button", name="Add child").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Leo Turner")
    expect(page.get_by_role("alert")).to_contain_text("Leo Turner has been added")
    details = page.locator(".govuk-summary-card").filter(has=page.get_by_role("heading", name="Child's details"))
    expect(details).to_contain_text("14 February 2019")
    expect(details).to_contain_text(UNUSED_NHS_NUMBER)
    expect(page.get_by_text("Nobody is recorded as holding parental responsibility")).to_be_visible()
    assert_accessible(page)


def test_sign_out_returns_to_the_sign_in_page(page: Page):
    sign_in(page, PRACTITIONER)

    page.get_by_role("button", name="Sign out").click()

    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    expect(page.get_by_text("Signed in as")).to_have_count(0)
    # Signed out means signed out: the records are behind the sign-in again.
    page.goto("/children/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/children/$"))
    assert_accessible(page)


def test_another_agency_cannot_open_a_child_it_does_not_hold(page: Page, browser_problems):
    mia_path = f"/children/{mia_turner().pk}/"
    browser_problems.expect_status(mia_path, 404)
    sign_in(page, OTHER_AGENCY_PRACTITIONER)
    expect(page.locator(".app-account-bar__who")).to_contain_text("Northgate NHS Foundation Trust")

    response = page.goto(mia_path)

    assert response is not None
    assert response.status == 404
    expect(page).to_have_title(f"Page not found – {SERVICE_NAME}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    expect(page.get_by_text("Mia Turner")).to_have_count(0)
    assert_accessible(page)
