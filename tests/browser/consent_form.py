"""Filling in the "Record consent" form, as a practitioner would (shared by the browser tests)."""

from dataclasses import dataclass, field
from datetime import date

from playwright.sync_api import Locator, Page, expect

from consent.capacity import COMPETENCE_CRITERIA

# The form's questions, by their legends and labels.
ABOUT = "Whose information is this consent about?"
RESPONDER = "Who gave or refused consent?"
ANSWER = "What was their answer?"
EXPLICITNESS = "Was it explicit or implied?"
WRITTEN_OR_VERBAL = "If explicit, was it written or verbal?"
HOW = "How was it given or refused?"
ANSWERED_ON = "When?"
SIGNED_FORM = "Signed consent form (optional)"
COMPETENT = "Was the child judged to have sufficient understanding to consent or refuse?"
UNDERSTANDING = "If the child answered and is under 16: their understanding (guidance paragraphs 3.3.15 to 3.3.17)"
ASSESSED_BY = "Who assessed it?"
ASSESSED_ON = "When was it assessed?"
EXPLAINED_HOW = "How was it explained to the child?"
LANGUAGE = "Language used"
ASSESSMENT_NOTES = "Notes on the assessment"
SCOPE_INFORMATION = "What information was the person asked to agree to share?"
SCOPE_PURPOSES = "For what purposes?"
SCOPE_KINDS = "With which kinds of agency?"
SCOPE_RECIPIENTS = "Who, by name or team, if the person was told"
SCOPE_USE = "What would the recipients use it for?"
WHAT_WAS_SOUGHT = "What the person was asked to agree to (guidance paragraph 3.3.28)"
IF_GIVEN = "If consent was given (guidance paragraphs 3.3.21 to 3.3.22)"
TOLD_CAN_WITHDRAW = "Was the person told they can withdraw consent at any time?"
REVIEW_ON = "When should this consent be reviewed?"


@dataclass(frozen=True)
class Scope:
    """What the person was asked to agree to (3.3.28)."""

    information: str
    purposes: str
    kinds: list[str] = field(default_factory=list)
    recipients: str = ""
    use: str = ""


def group(page: Page, legend: str) -> Locator:
    """A fieldset (radios, checkboxes, a date) by its legend."""
    return page.get_by_role("group", name=legend, exact=True)


def choose(page: Page, legend: str, option: str, exact: bool = True) -> None:
    group(page, legend).get_by_label(option, exact=exact).check()


def fill_date(page: Page, legend: str, when: date) -> None:
    fields = group(page, legend)
    fields.get_by_label("Day").fill(str(when.day))
    fields.get_by_label("Month").fill(str(when.month))
    fields.get_by_label("Year").fill(str(when.year))


def expect_date(page: Page, legend: str, when: date) -> None:
    fields = group(page, legend)
    expect(fields.get_by_label("Day")).to_have_value(str(when.day))
    expect(fields.get_by_label("Month")).to_have_value(str(when.month))
    expect(fields.get_by_label("Year")).to_have_value(str(when.year))


def fill_answer(page: Page, *, about: str, responder: str, given: bool, written: bool, how: str) -> None:
    """Whose information, who answered, and how (3.3.12 to 3.3.13). The date of the answer defaults to today."""
    choose(page, ABOUT, about)
    choose(page, RESPONDER, responder)
    choose(page, ANSWER, "Consent given" if given else "Consent refused")
    choose(page, EXPLICITNESS, "Explicit", exact=False)
    choose(page, WRITTEN_OR_VERBAL, "In writing" if written else "Verbally")
    page.get_by_label(HOW, exact=True).fill(how)


def fill_understanding(
    page: Page,
    *,
    competent: bool,
    assessed_by: str,
    assessed_on: date,
    explained_how: str,
    language: str = "",
    unmet: tuple[str, ...] = (),
) -> None:
    """The child's understanding: each 3.3.17 criterion ticked but those ``unmet`` (keys), then the judgement."""
    for key, criterion in COMPETENCE_CRITERIA.items():
        if key not in unmet:
            page.get_by_label(criterion, exact=True).check()
    choose(page, COMPETENT, "Yes" if competent else "No")
    page.get_by_label(ASSESSED_BY, exact=True).fill(assessed_by)
    fill_date(page, ASSESSED_ON, assessed_on)
    page.get_by_label(EXPLAINED_HOW, exact=True).fill(explained_how)
    if language:
        page.get_by_label(LANGUAGE, exact=True).fill(language)


def fill_scope(page: Page, scope: Scope, *, told_can_withdraw: bool | None, review_on: date | None) -> None:
    """What was sought (3.3.28); then, for consent given, the two questions asked of it alone (None: left alone)."""
    page.get_by_label(SCOPE_INFORMATION, exact=True).fill(scope.information)
    page.get_by_label(SCOPE_PURPOSES, exact=True).fill(scope.purposes)
    for kind in scope.kinds:
        group(page, SCOPE_KINDS).get_by_label(kind, exact=True).check()
    page.get_by_label(SCOPE_RECIPIENTS, exact=True).fill(scope.recipients)
    page.get_by_label(SCOPE_USE, exact=True).fill(scope.use)
    if told_can_withdraw is not None:
        choose(page, TOLD_CAN_WITHDRAW, "Yes" if told_can_withdraw else "No")
    if review_on is not None:
        fill_date(page, REVIEW_ON, review_on)


def record_consent(page: Page) -> None:
    page.get_by_role("button", name="Record consent", exact=True).click()
