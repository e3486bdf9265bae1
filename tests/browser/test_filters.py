"""The chronology's filters in a browser: a date that is not real is an error
(summary and message by the field, checked with axe), a good range is shown as
filters that can each be removed, and 'Clear filters' clears them (WCAG 3.3.1)."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from records.models import Child
from tests.browser.helpers import assert_accessible, signed_in

PRACTITIONER = "practitioner@northgate.example"

pytestmark = pytest.mark.usefixtures("demo")


def type_date(page: Page, legend: str, day, month, year) -> None:
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(str(day))
    group.get_by_label("Month").fill(str(month))
    group.get_by_label("Year").fill(str(year))


def test_the_chronology_checks_its_dates_and_shows_its_filters(page: Page):
    child = Child.objects.get(agency__name="Northgate Children's Services", local_reference="NCS-1042")
    signed_in(page, PRACTITIONER)
    page.goto(f"/children/{child.pk}/chronology/")
    entries = page.locator("table.app-chronology tbody tr")
    everything = entries.count()
    assert everything > 1

    type_date(page, "From", 31, 2, 2026)
    page.get_by_role("button", name="Apply", exact=True).click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("The 'from' date must be a real date")
    expect(page.locator("#from-error")).to_contain_text("The 'from' date must be a real date")
    expect(page).to_have_title("Error: Chronology: " + child.full_name + " – Safeguarding information sharing")
    expect(entries).to_have_count(everything)
    assert_accessible(page)
    summary.get_by_role("link").click()
    expect(page.get_by_role("group", name="From").get_by_label("Day")).to_be_focused()

    since = timezone.localdate() - timedelta(days=3)  # after Mia's decision, six days ago (sharing/demo.py)
    today = timezone.localdate()
    type_date(page, "From", since.day, since.month, since.year)
    type_date(page, "To", today.day, today.month, today.year)
    page.get_by_role("button", name="Apply", exact=True).click()
    expect(summary).to_have_count(0)
    from_tag = page.get_by_role("link", name=f"Remove filter: from {since.day} {since:%B %Y}")
    expect(from_tag).to_be_visible()
    expect(page.get_by_role("link", name=f"Remove filter: to {today.day} {today:%B %Y}")).to_be_visible()
    filtered = entries.count()
    assert filtered < everything
    assert_accessible(page)

    from_tag.click()
    expect(from_tag).to_have_count(0)
    expect(page.get_by_role("link", name=f"Remove filter: to {today.day} {today:%B %Y}")).to_be_visible()
    expect(entries).to_have_count(everything)
    page.get_by_role("link", name="Clear filters").click()
    expect(page.get_by_role("link", name="Clear filters")).to_have_count(0)
