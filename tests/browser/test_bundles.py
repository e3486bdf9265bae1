"""A safeguarding lead makes a bundle of Mia's records for court, from her page (ADR 21): the form's errors
first, then the bundle, listed with who made it and for whom, and downloaded. Each page is checked with axe,
and at 320 px the list reflows."""

import hashlib
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from bundles.models import Bundle
from records.models import Child
from tests.browser.helpers import assert_accessible, signed_in

LEAD = "lead@northgate.example"
LEAD_NAME = "Laura Bennett"
COURT = "Family Court at Nottingham, case NG26C00417"
WHY = "The court directed the local authority to file its information-sharing records."

pytestmark = pytest.mark.usefixtures("demo")


def test_a_lead_makes_a_bundle_for_court_and_downloads_it(page: Page, tmp_path: Path):
    mia = Child.objects.get(agency__name="Northgate Children's Services", local_reference="NCS-1042")
    signed_in(page, LEAD)
    page.goto(f"/children/{mia.pk}/")
    page.get_by_role("link", name="Make a bundle", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Make a bundle")
    assert_accessible(page)

    page.get_by_role("button", name="Make the bundle", exact=True).click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Select what the bundle is for")
    expect(summary).to_contain_text("Enter who the bundle is for")
    assert_accessible(page)

    page.get_by_label("Court proceedings", exact=True).check()
    page.get_by_label("Who is it for?").fill(COURT)
    page.get_by_label("Why is it needed?").fill(WHY)
    # The PDF is laid out while the lead waits: seconds, the first in a process more (WeasyPrint loads).
    page.get_by_role("button", name="Make the bundle", exact=True).click(timeout=120_000)
    expect(page.get_by_role("heading", level=1)).to_have_text("Bundles for court or a conference")
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("The bundle has been made")
    row = page.get_by_role("table", name="Bundles made, newest first").locator("tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text(f"Court proceedings: {COURT}")
    expect(row).to_contain_text(f"{LEAD_NAME}, safeguarding lead")
    assert_accessible(page)

    with page.expect_download() as downloading:
        row.get_by_role("link", name="Download").click()
    saved = tmp_path / "bundle.pdf"
    downloading.value.save_as(saved)
    assert hashlib.sha256(saved.read_bytes()).hexdigest() == Bundle.objects.get().pdf_sha256

    page.set_viewport_size({"width": 320, "height": 640})
    page.reload()
    assert not page.evaluate("document.documentElement.scrollWidth > document.documentElement.clientWidth")
    assert_accessible(page)
