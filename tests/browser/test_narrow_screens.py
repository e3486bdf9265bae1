"""At 320 px wide (a phone, or 400% zoom on a laptop) the lead's lists, the
audit histories, the chronology and the requests reflow: the page itself
never scrolls sideways, and a wide table scrolls in a labelled region a
keyboard can reach (WCAG 1.4.10)."""

import pytest
from playwright.sync_api import Page, expect

from records.models import Child
from tests.browser.helpers import assert_accessible, signed_in

LEAD = "lead@northgate.example"

pytestmark = pytest.mark.usefixtures("demo")


def page_scrolls_sideways(page: Page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth > document.documentElement.clientWidth")


def test_the_leads_pages_reflow_at_320_px(page: Page):
    child = Child.objects.get(agency__name="Northgate Children's Services", local_reference="NCS-1042")
    signed_in(page, LEAD)
    page.set_viewport_size({"width": 320, "height": 640})
    for path, heading in (
        ("/for-review/", "For review"),
        ("/requests/", "Requests"),
        (f"/children/{child.pk}/chronology/", "Chronology"),
        (f"/children/{child.pk}/audit/", "Audit history: "),
        ("/audit/changes/", "Change history"),
        ("/audit/staff/", "Audit history of staff"),
        ("/children/", "Find a child"),
    ):
        page.goto(path)
        expect(page.get_by_role("heading", level=1)).to_contain_text(heading)
        assert not page_scrolls_sideways(page), f"{path} scrolls sideways at 320 px"
        for region in page.locator(".app-table-scroll").all():
            expect(region).to_have_attribute("tabindex", "0")
            assert region.get_attribute("aria-label")
        assert_accessible(page)
