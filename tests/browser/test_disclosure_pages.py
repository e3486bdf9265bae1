"""Recording what was disclosed, one thing a page (issue 17, points 1 and 2): the items one a page, a page for
each question, a follow-up only where it applies, "Check your answers" with its change links, and answers that no
longer apply left out of the record. Each page is checked with axe, errors included; then the same with the
keyboard alone (WCAG 2.1.1)."""

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from exchange.models import Disclosure, DisclosureDraft
from sharing.models import SharingDecision
from tests.browser import keyboard
from tests.browser.consent_form import choose, continue_on, expect_page, fill_date, group
from tests.browser.disclosure_pages import ADD_ANOTHER, CHECKS, METHOD, ONWARD, TOLD, no_more_items, to_the_method
from tests.browser.helpers import assert_accessible, signed_in
from tests.browser.test_decision_and_its_consent import PRACTITIONER, child, limits_told, record_row

pytestmark = pytest.mark.usefixtures("demo")

SECOND_ITEM = "Ellie said her anxiety is worse at home."
FAX = "01632 960 999"
NOT_TOLD = "Ellie asked us not to tell her father yet."


def errors(page: Page):
    return page.locator(".govuk-error-summary").get_by_role("link")


def test_a_disclosure_is_recorded_a_page_at_a_time(page: Page):
    ellie = child("NCS-2210")
    decision = SharingDecision.objects.get(child=ellie)
    today = timezone.localdate()
    signed_in(page, PRACTITIONER)
    page.goto(f"/decisions/{decision.pk}/")
    page.get_by_role("link", name="Record what was disclosed").click()

    # The items planned, each changed or added on a page of its own; the last is never removed.
    expect_page(page, "What was disclosed")
    expect(page.get_by_role("heading", level=2, name="You have added 1 item")).to_be_visible()
    expect(page.get_by_role("button", name=re.compile("^Remove"))).to_have_count(0)
    assert_accessible(page)
    continue_on(page)
    expect(errors(page)).to_have_text(["Select yes if you need to add another item"])
    assert_accessible(page)
    choose(page, ADD_ANOTHER, "Yes")
    continue_on(page)
    expect_page(page, "Add item 2")
    # The paragraph numbers link to the guidance, shown in the service (point 9).
    expect(page.get_by_role("link", name="guidance paragraph 3.7.9").first).to_have_attribute(
        "href", "/guidance/3.7.9/"
    )
    continue_on(page)
    expect(errors(page)).to_have_text(
        ["Describe the information", "Select whether the item is fact, opinion, hypothesis or a mixture"]
    )
    assert_accessible(page)
    page.get_by_label("Item 2: what is the information?").fill(SECOND_ITEM)
    choose(page, "Is it fact, opinion, hypothesis or a mixture?", "Opinion")
    continue_on(page)
    expect(page.get_by_role("heading", level=2, name="You have added 2 items")).to_be_visible()
    expect(record_row(page, "Item 2 (opinion)")).to_contain_text(SECOND_ITEM)
    assert_accessible(page)
    no_more_items(page)

    # To whom, and when, filled in from the decision and the clock.
    expect(page.get_by_label("Name", exact=True)).not_to_have_value("")
    assert_accessible(page)
    to_the_method(page)

    # How: where it was sent only for a method that sends it somewhere (3.7.6 to 3.7.8), then its own checks.
    expect_page(page, METHOD)
    assert_accessible(page)
    choose(page, METHOD, "Fax to a safe-haven number")
    continue_on(page)
    expect_page(page, "Where it was sent")
    page.get_by_label("What safe-haven fax number was it sent to?").fill(FAX)
    assert_accessible(page)
    continue_on(page)
    expect_page(page, "The checks made")
    expect(group(page, CHECKS).get_by_role("checkbox")).to_have_count(4)
    continue_on(page)
    expect(errors(page).first).to_contain_text("Confirm each check for this method")
    assert_accessible(page)
    for check in group(page, CHECKS).get_by_role("checkbox").all():
        check.check()
    continue_on(page)

    # Passing it on: to whom only if it is (3.5.20).
    expect_page(page, "Passing it on")
    expect(page.get_by_label("To whom, and why?")).to_be_hidden()
    choose(page, ONWARD, "Yes")
    expect(page.get_by_label("To whom, and why?")).to_be_visible()
    page.get_by_label("To whom, and why?").fill("The school nurse, to support Ellie in school.")
    assert_accessible(page)
    continue_on(page)

    # Under consent that still stands, its limits told (3.5.20).
    expect_page(page, "The limits of the consent")
    continue_on(page)
    expect(errors(page)).to_have_text(["Tell the recipient the limits of the consent given"])
    assert_accessible(page)
    limits_told(page).check()
    continue_on(page)

    # Telling the family: why not, and when to reconsider, only if they were not told (3.5.19).
    expect_page(page, "Telling the child or a parent")
    choose(page, TOLD, "No")
    page.get_by_label("Why have they not been told?", exact=True).fill(NOT_TOLD)
    fill_date(page, "When should this be reconsidered?", today + timedelta(days=14))
    assert_accessible(page)
    continue_on(page)

    # Check your answers, and change one: the method. Its checks are asked again; the fax number goes.
    expect_page(page, "Check your answers before recording the disclosure")
    main = page.get_by_role("main")
    expect(main).to_contain_text(FAX)
    expect(main).to_contain_text(SECOND_ITEM)
    assert_accessible(page)
    page.get_by_role("link", name="Change how was it disclosed?").click()
    choose(page, METHOD, "In person")
    continue_on(page)
    expect_page(page, "The checks made")
    group(page, CHECKS).get_by_role("checkbox").first.check()
    continue_on(page)
    expect_page(page, "Check your answers before recording the disclosure")
    expect(main).not_to_contain_text(FAX)
    expect(page.get_by_role("heading", name="Where it was sent")).to_have_count(0)
    page.get_by_role("button", name="Record disclosure", exact=True).click()

    expect(page.get_by_role("alert")).to_contain_text("The disclosure has been recorded.")
    disclosure = Disclosure.objects.filter(decision=decision).latest("recorded_at")
    assert urlsplit(page.url).path == f"/disclosures/{disclosure.pk}/"
    assert (disclosure.method, disclosure.method_detail, disclosure.checks) == ("in_person", "", ["written_record"])
    assert [item["kind"] for item in disclosure.items] == ["fact", "opinion"]
    assert (disclosure.informed, disclosure.not_informed_reason, disclosure.consent_limits_told) == (
        False,
        NOT_TOLD,
        True,
    )
    expect(record_row(page, "Item 2 (opinion)")).to_contain_text(SECOND_ITEM)
    assert not DisclosureDraft.objects.exists()
    assert_accessible(page)


def test_a_disclosure_is_recorded_with_the_keyboard_alone(page: Page):
    ellie = child("NCS-2210")
    decision = SharingDecision.objects.get(child=ellie)
    today = timezone.localdate()
    signed_in(page, PRACTITIONER)
    page.goto(f"/decisions/{decision.pk}/")
    keyboard.press(page, page.get_by_role("link", name="Record what was disclosed"))

    def go_on():
        keyboard.press(page, page.get_by_role("button", name="Continue", exact=True))

    expect_page(page, "What was disclosed")
    keyboard.choose(page, group(page, ADD_ANOTHER).get_by_label("No", exact=True))
    go_on()
    expect_page(page, "Who was it disclosed to?")
    go_on()
    expect_page(page, "When was it disclosed?")
    go_on()
    expect_page(page, METHOD)
    keyboard.choose(page, group(page, METHOD).get_by_label("Secure email", exact=True))
    go_on()
    expect_page(page, "Where it was sent")
    keyboard.type_into(page, page.get_by_label("What secure email address was it sent to?"), "nurse@school.example")
    go_on()
    expect_page(page, "The checks made")
    for check in group(page, CHECKS).get_by_role("checkbox").all():
        keyboard.tick(page, check)
    go_on()
    expect_page(page, "Passing it on")
    keyboard.choose(page, group(page, ONWARD).get_by_label("No", exact=True))
    go_on()
    expect_page(page, "The limits of the consent")
    keyboard.tick(page, limits_told(page))
    go_on()
    expect_page(page, "Telling the child or a parent")
    keyboard.choose(page, group(page, TOLD).get_by_label("Yes", exact=True))
    when = group(page, "When were they told?")
    keyboard.type_into(page, when.get_by_label("Day"), str(today.day))
    keyboard.type_into(page, when.get_by_label("Month"), str(today.month))
    keyboard.type_into(page, when.get_by_label("Year"), str(today.year))
    keyboard.type_into(page, page.get_by_label("Who told them?", exact=True), "Priya Shah")
    go_on()
    expect_page(page, "Check your answers before recording the disclosure")
    keyboard.press(page, page.get_by_role("button", name="Record disclosure", exact=True))
    expect(page.get_by_role("alert")).to_contain_text("The disclosure has been recorded.")
    disclosure = Disclosure.objects.filter(decision=decision).latest("recorded_at")
    assert (disclosure.method_detail, disclosure.informed_by) == ("nurse@school.example", "Priya Shah")
