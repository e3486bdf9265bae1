"""Questions 2 to 6 and 8 a page at a time (issue 17, point 1): the follow-ups a refusal to share against a court
order asks, each a page of its own, checked with axe."""

import pytest
from playwright.sync_api import Page, expect

from sharing.guidance import QuestionKey
from sharing.models import SharingDecision
from tests.browser.helpers import signed_in
from tests.browser.test_recording_a_decision import (
    PRACTITIONER,
    answer_confidential,
    answer_identifiable,
    answer_purpose,
    child,
    choose,
    continue_,
    error_summary,
    expect_page,
    expect_question,
    start_a_decision,
)

pytestmark = pytest.mark.usefixtures("demo")

NOT_NEEDED = "The mother shared it in a public meeting."
ORDER = "Family Court order FD26C00123, 3 November 2026"
DEPARTURE = "Legal advice: an appeal against the order has been lodged."


def test_a_refusal_to_share_against_a_court_order_asks_each_follow_up_on_its_own_page(page: Page):
    signed_in(page, PRACTITIONER)
    start_a_decision(page, "NCS-1043", "Jayden Turner")
    answer_purpose(page)
    answer_identifiable(page)
    answer_confidential(page)

    expect_question(page, QuestionKey.CONSENT)
    choose(page, "Has consent to share been obtained?", "Consent is not needed")
    continue_(page)
    expect_page(page, QuestionKey.CONSENT, "why consent is not needed")
    continue_(page)
    expect(error_summary(page).get_by_role("link")).to_have_text(["Explain why consent is not needed"])
    page.get_by_label("Why is consent not needed?").fill(NOT_NEEDED)
    continue_(page)

    expect_question(page, QuestionKey.STATUTORY)
    choose(page, "Is there a statutory duty or a court order to share the information?", "Yes, a court order")
    continue_(page)
    expect_page(page, QuestionKey.STATUTORY, "which duty or order")
    page.get_by_label("If yes, which duty or order?").fill(ORDER)
    continue_(page)

    # 3.5.10: the order means sharing; the public interest is not weighed. A decision not to share departs.
    expect_question(page, QuestionKey.SHARING)
    choose(page, "What have you decided?", "Do not share the information")
    page.get_by_label("What information are you not sharing, and why?", exact=True).fill("All of it, for now.")
    continue_(page)
    expect_question(page, QuestionKey.DECISION)
    page.get_by_label("Why have you made this decision?").fill("The order is under appeal.")
    continue_(page)
    expect_page(page, QuestionKey.DECISION, "departing from the guidance")
    page.get_by_label("Your decision differs from what the guidance points to. Why?").fill(DEPARTURE)
    continue_(page)
    expect_page(page, QuestionKey.DECISION, "date and time")
    # Back goes to the page before that was asked: the reason for departing.
    page.get_by_role("link", name="Back", exact=True).click()
    expect_page(page, QuestionKey.DECISION, "departing from the guidance")
    continue_(page)
    continue_(page)

    expect(page.get_by_role("heading", level=1)).to_have_text("Check your answers before recording the decision")
    page.get_by_role("button", name="Record decision").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Information-sharing decision: do not share the information"
    )
    decision = SharingDecision.objects.get(child=child("NCS-1043"))
    assert decision.departure_reason == DEPARTURE
    consent = decision.answers.get(question_number=4).answers
    assert (consent["status"], consent["not_needed_reason"], consent["consent_record"]) == (
        "not_needed",
        NOT_NEEDED,
        "",
    )
    assert decision.answers.get(question_number=5).answers == {"duty": "court_order", "reference": ORDER}
