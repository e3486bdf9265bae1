"""Recording a consent a page at a time, as a practitioner would (shared by the browser tests).

Each ``fill_*`` answers its page (or pages) and presses "Continue"; ``record_consent`` goes on from the signed
form's page, when it is asked, to "Check your answers" and records the consent.
"""

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
# The pages' headings.
WHOSE = ABOUT
UNDERSTANDING = "The child's understanding"
FAMILY = "Parental responsibility and the family"
SOUGHT = "What the person was asked to agree to"
LIMITS = "Withdrawing and reviewing the consent"
UPLOAD = "Upload the signed consent form"
CHECK = "Check your answers before recording the consent"
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


def continue_on(page: Page) -> None:
    page.get_by_role("button", name="Continue", exact=True).click()


def expect_page(page: Page, heading: str) -> None:
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)


def fill_answer(page: Page, *, about: str, responder: str | None, given: bool, written: bool, how: str) -> None:
    """Whose information, who answered (None: not asked, an adult's own information), their answer (dated today,
    as the date starts) and how (3.3.12 to 3.3.13): a page each."""
    choose(page, ABOUT, about)
    continue_on(page)
    if responder is not None:
        choose(page, RESPONDER, responder)
        continue_on(page)
    choose(page, ANSWER, "Consent given" if given else "Consent refused")
    continue_on(page)
    choose(page, EXPLICITNESS, "Explicit", exact=False)
    choose(page, WRITTEN_OR_VERBAL, "In writing" if written else "Verbally")
    page.get_by_label(HOW, exact=True).fill(how)
    continue_on(page)


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
    expect_page(page, UNDERSTANDING)
    for key, criterion in COMPETENCE_CRITERIA.items():
        if key not in unmet:
            page.get_by_label(criterion, exact=True).check()
    choose(page, COMPETENT, "Yes" if competent else "No")
    page.get_by_label(ASSESSED_BY, exact=True).fill(assessed_by)
    fill_date(page, ASSESSED_ON, assessed_on)
    page.get_by_label(EXPLAINED_HOW, exact=True).fill(explained_how)
    if language:
        page.get_by_label(LANGUAGE, exact=True).fill(language)
    continue_on(page)


def fill_scope(page: Page, scope: Scope, *, told_can_withdraw: bool | None, review_on: date | None) -> None:
    """What was sought (3.3.28); then, for consent given, the page of the two questions asked of it alone."""
    expect_page(page, SOUGHT)
    page.get_by_label(SCOPE_INFORMATION, exact=True).fill(scope.information)
    page.get_by_label(SCOPE_PURPOSES, exact=True).fill(scope.purposes)
    for kind in scope.kinds:
        group(page, SCOPE_KINDS).get_by_label(kind, exact=True).check()
    page.get_by_label(SCOPE_RECIPIENTS, exact=True).fill(scope.recipients)
    page.get_by_label(SCOPE_USE, exact=True).fill(scope.use)
    continue_on(page)
    if told_can_withdraw is None and review_on is None:
        return
    expect_page(page, LIMITS)
    if told_can_withdraw is not None:
        choose(page, TOLD_CAN_WITHDRAW, "Yes" if told_can_withdraw else "No")
    if review_on is not None:
        fill_date(page, REVIEW_ON, review_on)
    continue_on(page)


def record_consent(page: Page) -> None:
    """On from the signed form's page (asked of consent in writing) without a file, then "Record consent"."""
    if page.get_by_role("heading", level=1, name=UPLOAD).count():
        continue_on(page)
    expect_page(page, CHECK)
    page.get_by_role("button", name="Record consent", exact=True).click()
