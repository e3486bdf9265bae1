"""A disclosure sent through the service from one agency to another, end to end (ADR 27).

Agency A's practitioner, with a decision to share recorded, records what was disclosed and chooses to send it
through this service to the academy's safeguarding leads, with its limits: not to be passed on, the family not
told until a date, kept for three months. The academy's lead finds it under "Received", reads the items with
their marks and the limits (opening it is logged), acknowledges it and asks a question; the practitioner sees
it sent, opened and acknowledged with times, and answers on the same thread, which the lead then reads. Each
new page is checked with axe; console errors and failed requests fail the test (the ``page`` fixture).
"""

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

from delivery.models import Acknowledgement, Delivery, Opened, ThreadMessage
from exchange.models import Disclosure
from ledger.models import Entry
from records.models import Child, User
from tests.browser.consent_form import choose, continue_on, expect_page, fill_date
from tests.browser.disclosure_pages import ONWARD, TOLD, no_more_items, to_the_method
from tests.browser.helpers import assert_accessible, signed_in
from tests.delivery.sent import send
from tests.sharing.recorded import record_decision

PRACTITIONER = "practitioner@northgate.example"
ACADEMY_LEAD = "dsl@northgate-academy.example"
ACADEMY = "Northgate Academy"
NOT_TOLD = "Telling the mother now could put Jayden at risk from her partner."
QUESTION = "Is the partner still living at the address?"
ANSWER = "He moved out in April, but still visits at weekends."

pytestmark = pytest.mark.usefixtures("demo")


def heading(page: Page) -> Locator:
    return page.get_by_role("heading", level=1)


def row(page: Page, key: str) -> Locator:
    return (
        page.locator(".govuk-summary-list__row")
        .filter(has=page.locator(".govuk-summary-list__key", has_text=re.compile(rf"^{re.escape(key)}")))
        .locator(".govuk-summary-list__value")
    )


def success(page: Page, text: str) -> None:
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(text)


def sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out", exact=True).click()
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))


def site(page: Page) -> str:
    address = urlsplit(page.url)
    return f"{address.scheme}://{address.netloc}"


def shown(when) -> str:
    local = timezone.localtime(when)
    return f"{local.day} {local:%B %Y, %H:%M}"


def test_a_disclosure_sent_opened_acknowledged_asked_about_and_answered(page: Page):
    priya = User.objects.get(email=PRACTITIONER)
    jayden = Child.objects.get(agency__name="Northgate Children's Services", local_reference="NCS-1043")
    decision = record_decision(user=priya, child=jayden)
    today = timezone.localdate()

    # Agency A's practitioner records what was disclosed, and sends it through the service.
    signed_in(page, PRACTITIONER)
    page.goto(f"{site(page)}/decisions/{decision.pk}/")
    page.get_by_role("link", name="Record what was disclosed").first.click()
    no_more_items(page)
    to_the_method(page)
    expect_page(page, "How was it disclosed?")
    choose(page, "How was it disclosed?", "Through this service, to an agency on it")
    continue_on(page)
    expect_page(page, "Which agency on this service to send it to")
    assert_accessible(page)
    choose(page, "Which agency on this service do you want to send it to?", ACADEMY)
    continue_on(page)
    expect_page(page, "Who at that agency to send it to")
    assert_accessible(page)
    choose(page, "Who at that agency should receive it?", "Its safeguarding leads")
    continue_on(page)
    expect_page(page, "How long they may keep it")
    continue_on(page)
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the date until which they may keep it")
    assert_accessible(page)
    fill_date(page, "Until when may they keep it?", today + timedelta(days=90))
    continue_on(page)
    expect_page(page, "Passing it on")
    choose(page, ONWARD, "No")
    continue_on(page)
    expect_page(page, "Telling the child or a parent")
    choose(page, TOLD, "No")
    page.get_by_label("Why have they not been told?", exact=True).fill(NOT_TOLD)
    fill_date(page, "When should this be reconsidered?", today + timedelta(days=14))
    continue_on(page)
    expect_page(page, "Check your answers before recording the disclosure")
    expect(page.get_by_role("main")).to_contain_text(ACADEMY)
    assert_accessible(page)
    page.get_by_role("button", name="Send and record disclosure", exact=True).click()

    delivery = Delivery.objects.get(to_agency__name=ACADEMY)
    disclosure = Disclosure.objects.get(pk=delivery.disclosure_id)
    assert disclosure.method == "through_the_service"
    expect(heading(page)).to_have_text(f"Sent through this service to {ACADEMY}")
    success(page, f"The disclosure has been recorded and sent to The safeguarding leads of {ACADEMY}")
    expect(row(page, "Opened")).to_have_text("Not yet")
    assert_accessible(page)
    sign_out(page)

    # The academy's lead finds it, reads it with its limits, acknowledges it and asks a question.
    signed_in(page, ACADEMY_LEAD)
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Received").click()
    expect(heading(page)).to_have_text("Disclosures received through this service")
    assert_accessible(page)
    page.get_by_role("link", name=jayden.full_name).click()
    expect(heading(page)).to_have_text("Disclosure received from Northgate Children's Services")
    expect(row(page, "Passing it on")).to_contain_text("Not allowed")
    expect(row(page, "Whether the family knows")).to_contain_text(
        f"They have not been told. Do not tell them before {(today + timedelta(days=14)):%-d %B %Y}"
    )
    for number, item in enumerate(disclosure.items, start=1):
        expect(row(page, f"Item {number}")).to_contain_text(item["text"])
    opened = Opened.objects.get(delivery=delivery)
    expect(row(page, "Opened")).to_contain_text(f"{shown(opened.opened_at)} by Helen Marsh")
    assert_accessible(page)
    page.get_by_role("button", name="Acknowledge", exact=True).click()
    success(page, "You have acknowledged the disclosure.")
    acknowledged = Acknowledgement.objects.get(delivery=delivery)
    expect(row(page, "Acknowledged")).to_contain_text(f"{shown(acknowledged.acknowledged_at)} by Helen Marsh")
    page.get_by_role("button", name="Send question", exact=True).click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter your question")
    assert_accessible(page)
    page.get_by_label("Ask a question about this disclosure").fill(QUESTION)
    page.get_by_role("button", name="Send question", exact=True).click()
    success(page, "Your question has been sent to Priya Shah.")
    expect(page.locator("#thread ~ .govuk-summary-card").first).to_contain_text(QUESTION)
    # Only what was sent: the sender's disclosure, child and decision are not found.
    for path in (f"/disclosures/{disclosure.pk}/", f"/children/{jayden.pk}/", f"/decisions/{decision.pk}/"):
        response = page.request.get(f"{site(page)}{path}")
        assert response.status == 404, path
    sign_out(page)

    # The practitioner sees it sent, opened and acknowledged, with times, and answers.
    signed_in(page, PRACTITIONER)
    page.goto(f"{site(page)}/disclosures/{disclosure.pk}/")
    page.get_by_role("link", name=re.compile("See whether it has been opened and acknowledged")).click()
    expect(row(page, "Sent")).to_contain_text(f"{shown(delivery.sent_at)} by Priya Shah")
    expect(row(page, "Opened")).to_contain_text(f"{shown(opened.opened_at)} by Helen Marsh")
    expect(row(page, "Acknowledged")).to_contain_text(f"{shown(acknowledged.acknowledged_at)} by Helen Marsh")
    expect(page.get_by_role("main")).to_contain_text(QUESTION)
    page.get_by_label("Answer their question").fill(ANSWER)
    page.get_by_role("button", name="Send answer", exact=True).click()
    success(page, f"Your answer has been sent to {ACADEMY}.")
    assert_accessible(page)
    assert [message.text for message in ThreadMessage.objects.order_by("written_at")] == [QUESTION, ANSWER]
    kinds = set(Entry.objects.filter(kind__startswith="delivery").values_list("kind", flat=True))
    assert kinds == {"delivery", "delivery opened", "delivery acknowledged", "delivery message"}
    sign_out(page)

    signed_in(page, ACADEMY_LEAD)
    page.goto(f"{site(page)}/received/{delivery.pk}/")
    expect(page.get_by_role("main")).to_contain_text(ANSWER)


def test_not_acknowledged_in_time_it_is_on_the_sending_leads_for_review(page: Page, settings):
    settings.DELIVERY_ACKNOWLEDGE_WITHIN_HOURS = 0
    priya = User.objects.get(email=PRACTITIONER)
    jayden = Child.objects.get(agency__name="Northgate Children's Services", local_reference="NCS-1043")
    academy = User.objects.get(email=ACADEMY_LEAD).agency
    delivery = send(priya, record_decision(user=priya, child=jayden), to_agency=academy)
    signed_in(page, "lead@northgate.example")
    page.goto(f"{site(page)}/for-review/")
    listed = page.get_by_role("heading", name=re.compile("Disclosures sent and not acknowledged in time"))
    expect(listed).to_have_text("Disclosures sent and not acknowledged in time (1)")
    table = page.get_by_role("table", name=re.compile("not acknowledged in time"))
    expect(table).to_contain_text(jayden.full_name)
    expect(table).to_contain_text(f"To The safeguarding leads of {ACADEMY}, sent by Priya Shah")
    assert_accessible(page)
    table.get_by_role("link").click()
    assert urlsplit(page.url).path == f"/disclosures/{delivery.disclosure_id}/through-the-service/"
    expect(row(page, "Acknowledged")).to_contain_text("Overdue")
