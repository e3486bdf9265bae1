"""Asking for advice about a decision inside the service (3.5.17, 3.5.18; 002 rule 3), end to end.

The practitioner, unsure about sharing without consent, asks the safeguarding
lead from a question of her draft decision (first without saying anything,
then properly, urgently); the lead finds the request on "For review", reads
the draft as it stands, and answers (first with nothing, then with advice);
the practitioner sees the answer on her start page and on the draft, records
the decision, and the recorded decision and the chronology show the advice
asked and given, who and when. Each page visited is checked with axe,
validation errors included; console errors and failed requests fail the test
(see the ``page`` fixture).
"""

import re
from urllib.parse import urlsplit

import pytest
from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

from advice.models import AdviceAnswer, AdviceRequest
from audit.models import AccessEvent, Action, Subject
from records.models import Child, User
from sharing.guidance import QUESTION_BY_KEY, QuestionKey
from sharing.models import DecisionDraft
from tests.browser.helpers import assert_accessible, signed_in
from tests.sharing.recorded import complete_draft

PRACTITIONER = "practitioner@northgate.example"
PRACTITIONER_NAME = "Priya Shah"
LEAD = "lead@northgate.example"
LEAD_NAME = "Laura Bennett"
AGENCY = "Northgate Children's Services"
SERVICE_NAME = "Safeguarding information sharing"

QUESTION = (
    "Jayden's mother has not been asked, because her partner may hurt her if she agrees. Is the police call-out "
    "enough to share with the health visitor without her consent?"
)
ADVICE = (
    "Yes. The risk to Jayden and to the health visitor justifies sharing without consent in the public interest: "
    "share the call-out and the partner's name only, and record why the mother was not asked."
)

pytestmark = pytest.mark.usefixtures("demo")


def jayden() -> Child:
    return Child.objects.get(agency__name=AGENCY, local_reference="NCS-1043")


def heading(page: Page) -> Locator:
    return page.get_by_role("heading", level=1)


def menu(page: Page) -> Locator:
    return page.get_by_role("navigation", name="Menu")


def success(page: Page, text: str) -> None:
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(text)


def error_summary(page: Page) -> Locator:
    summary = page.locator(".govuk-error-summary")
    expect(summary.get_by_role("alert")).to_contain_text("There is a problem")
    expect(summary).to_be_focused()
    return summary


def sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out", exact=True).click()
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))


def shown(when) -> str:
    """As the service shows a moment: 7 March 2026, 14:05."""
    local = timezone.localtime(when)
    return f"{local.day} {local:%B %Y, %H:%M}"


def advice_card(page: Page) -> Locator:
    return page.locator(".app-advice")


def card_row(card: Locator, key: str) -> Locator:
    return (
        card.locator(".govuk-summary-list__row")
        .filter(has=card.page.locator(".govuk-summary-list__key", has_text=re.compile(rf"^{re.escape(key)}$")))
        .locator(".govuk-summary-list__value")
    )


def test_a_practitioner_asks_the_lead_for_advice_and_the_decision_records_it(page: Page):
    priya = User.objects.get(email=PRACTITIONER)
    draft = complete_draft(user=priya, child=jayden())
    purpose_path = f"/decisions/drafts/{draft.pk}/{QuestionKey.PURPOSE}/"

    # The practitioner, on question 1 of her draft, asks for advice.
    signed_in(page, PRACTITIONER)
    expect(page.get_by_role("heading", name="Advice", exact=True)).to_have_count(0)
    page.goto(purpose_path)
    expect(heading(page)).to_have_text(QUESTION_BY_KEY[QuestionKey.PURPOSE].wording)
    panel = page.get_by_role("complementary", name="Advice about this decision")
    expect(panel).to_contain_text("If you are unsure, above all before sharing without consent, ask for advice")
    assert_accessible(page)
    panel.get_by_role("link", name="Ask for advice about this decision").click()
    expect(heading(page)).to_have_text("Ask for advice about this decision")
    expect(page).to_have_title(f"Ask for advice about this decision – {SERVICE_NAME}")
    expect(page.locator(".govuk-caption-l")).to_have_text("Jayden Turner")
    assert urlsplit(page.url).path == f"/decisions/drafts/{draft.pk}/advice/ask/", "no personal data in the address"
    whom = page.get_by_role("group", name="Who do you want advice from?", exact=True)
    # The agency's lead by name, its lead information officer (the same person) and any lead; no Caldicott
    # Guardian, as Northgate Children's Services has none.
    expect(whom.get_by_role("radio")).to_have_count(3)
    expect(whom.locator(".govuk-radios__label")).to_have_text(
        [LEAD_NAME, "The agency's lead information officer", f"Any safeguarding lead of {AGENCY}"]
    )
    expect(whom.locator(".govuk-radios__hint")).to_have_text(
        ["Designated safeguarding lead", LEAD_NAME, f"Whoever answers first: {LEAD_NAME}"]
    )
    assert_accessible(page)

    # Sent with nothing chosen: each error in the summary and by its question.
    page.get_by_role("button", name="Send request for advice", exact=True).click()
    expect(page).to_have_title(f"Error: Ask for advice about this decision – {SERVICE_NAME}")
    summary = error_summary(page)
    expect(summary.get_by_role("link")).to_have_text(
        ["Enter what you want advice about", "Select who you want advice from", "Select how urgent it is"]
    )
    expect(page.locator(".govuk-error-message")).to_have_count(3)
    assert not AdviceRequest.objects.exists()
    assert_accessible(page)

    page.get_by_label("What do you want advice about?", exact=True).fill(QUESTION)
    whom.get_by_label(LEAD_NAME, exact=True).check()
    urgency = page.get_by_role("group", name="How urgent is it?", exact=True)
    urgency.get_by_label("Urgent: an answer within 4 hours", exact=True).check()
    page.get_by_role("button", name="Send request for advice", exact=True).click()

    # Back on question 1, the request waiting.
    expect(heading(page)).to_have_text(QUESTION_BY_KEY[QuestionKey.PURPOSE].wording)
    assert urlsplit(page.url).path == purpose_path
    success(page, f"Your request for advice has been sent to {LEAD_NAME}, safeguarding lead")
    asked = AdviceRequest.objects.get()
    panel = page.get_by_role("complementary", name="Advice about this decision")
    expect(panel).to_contain_text("Waiting for an answer")
    expect(panel).to_contain_text(
        f"You asked {LEAD_NAME}, safeguarding lead (Designated safeguarding lead) on {shown(asked.asked_at)}: "
        + QUESTION
    )
    assert_accessible(page)
    sign_out(page)

    # The lead: the request on her start page and on "For review".
    signed_in(page, LEAD)
    expect(page.get_by_role("link", name="1 request for advice waiting for your answer")).to_be_visible()
    menu(page).get_by_role("link", name="For review", exact=True).click()
    expect(heading(page)).to_have_text("For review")
    expect(page.get_by_role("heading", name="Requests for advice waiting for your answer (1)")).to_be_visible()
    waiting = page.locator("table[aria-describedby='advice-waiting'] tbody tr")
    expect(waiting).to_have_count(1)
    expect(waiting.locator("td")).to_have_text(
        [f"{shown(asked.answer_by)} Urgent", "Jayden Turner", QUESTION[:119] + "…", PRACTITIONER_NAME]
    )
    expect(page.get_by_role("heading", name="Requests for advice not answered in time (0)")).to_be_visible()
    assert_accessible(page)

    # She reads the draft as it stands: a logged look at the draft.
    waiting.get_by_role("link").click()
    expect(heading(page)).to_have_text("Request for advice about a decision")
    assert urlsplit(page.url).path == f"/advice/{asked.pk}/"
    expect(page.get_by_role("heading", name="The draft decision as it stands")).to_be_visible()
    expect(page.get_by_text(f"Started by {PRACTITIONER_NAME}, last saved on")).to_be_visible()
    expect(
        page.get_by_role("heading", name=f"1. {QUESTION_BY_KEY[QuestionKey.PURPOSE].wording}", exact=True)
    ).to_be_visible()
    expect(page.get_by_text("To plan a safe home visit.", exact=True)).to_be_visible()
    expect(page.locator(".app-record-summary .govuk-tag")).to_have_text("Waiting for an answer")
    look = AccessEvent.objects.get(user__email=LEAD, subject=Subject.DRAFT, action=Action.VIEW)
    assert (look.object_id, look.child_id) == (str(draft.pk), jayden().pk)
    assert_accessible(page)

    page.get_by_role("button", name="Send advice", exact=True).click()
    expect(page).to_have_title(f"Error: Request for advice about a decision – {SERVICE_NAME}")
    expect(error_summary(page).get_by_role("link")).to_have_text(["Enter your advice"])
    assert not AdviceAnswer.objects.exists()
    assert_accessible(page)
    page.get_by_label("Your advice", exact=True).fill(ADVICE)
    page.get_by_role("button", name="Send advice", exact=True).click()
    success(page, f"Your advice has been recorded and sent to {PRACTITIONER_NAME}.")
    given = AdviceAnswer.objects.get()
    expect(page.locator(".app-record-summary .govuk-tag")).to_have_text("Answered")
    expect(page.get_by_role("button", name="Send advice")).to_have_count(0)
    assert_accessible(page)

    # Answered, it leaves her lists.
    menu(page).get_by_role("link", name="Advice", exact=True).click()
    expect(heading(page)).to_have_text("Requests for advice")
    expect(page.get_by_role("heading", name="Waiting for your answer (0)")).to_be_visible()
    assert_accessible(page)
    sign_out(page)

    # The practitioner: the answer on her start page, and on the draft.
    signed_in(page, PRACTITIONER)
    expect(page.locator(".app-advice-answer")).to_contain_text(
        f"{LEAD_NAME} (safeguarding lead) answered your request for advice about Jayden Turner on "
        f"{shown(given.answered_at)}:"
    )
    expect(page.locator(".app-advice-answer")).to_contain_text(ADVICE)
    page.get_by_role("link", name="Back to the draft decision about Jayden Turner").click()
    expect(heading(page)).to_have_text("Check your answers before recording the decision")
    card = advice_card(page)
    expect(card.locator(".govuk-tag")).to_have_text("Answered")
    expect(card_row(card, "Advice")).to_have_text(ADVICE)
    assert_accessible(page)

    page.get_by_role("button", name="Record decision", exact=True).click()

    # The recorded decision shows the advice asked and given, who and when.
    expect(heading(page)).to_have_text(re.compile(r"^Information-sharing decision: "))
    decision = DecisionDraft.objects.get(pk=draft.pk).decision
    assert urlsplit(page.url).path == f"/decisions/{decision.pk}/"
    expect(page.get_by_role("heading", name="Advice asked and given", exact=True)).to_be_visible()
    card = advice_card(page)
    expect(card.get_by_role("heading")).to_have_text(
        f"Asked of {LEAD_NAME}, safeguarding lead (Designated safeguarding lead)"
    )
    expect(card_row(card, "Asked by")).to_have_text(f"{PRACTITIONER_NAME}, practitioner, on {shown(asked.asked_at)}")
    expect(card_row(card, "Urgency")).to_have_text(f"Urgent: answer due by {shown(asked.answer_by)}")
    expect(card_row(card, "Question")).to_have_text(QUESTION)
    expect(card_row(card, "Advice")).to_have_text(ADVICE)
    expect(card_row(card, "Advised by")).to_have_text(
        f"{LEAD_NAME}, safeguarding lead, on {shown(given.answered_at)}, having read the draft as saved at "
        f"{shown(given.draft_saved_at)}"
    )
    assert_accessible(page)

    # And so does the child's chronology, each entry leading to the decision.
    page.goto(f"/children/{jayden().pk}/chronology/")
    rows = page.locator("table tbody tr")
    asked_row = rows.filter(has_text="Advice asked")
    expect(asked_row.locator("td")).to_have_text(
        [
            re.compile(r"\d"),
            "Advice asked",
            f"{PRACTITIONER_NAME}, practitioner",
            re.compile(rf"^Asked of {LEAD_NAME}, safeguarding lead .* \(urgent\): Jayden's mother"),
        ]
    )
    given_row = rows.filter(has_text="Advice given")
    expect(given_row.locator("td").nth(2)).to_have_text(f"{LEAD_NAME}, safeguarding lead")
    expect(given_row.get_by_role("link", name="Advice given")).to_have_attribute("href", f"/decisions/{decision.pk}/")
    assert_accessible(page)
