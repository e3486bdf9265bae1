"""The safeguarding lead's oversight: "For review", reviewing a decision, and the audit histories.

A practitioner changes a child's details; the safeguarding lead finds the
practitioner's decision under "For review", disagrees with it (first without
choosing, then without saying why), sees the review on the decision and the
decision gone from the list; then reads the child's audit history (who
recorded and who looked at what), filters it to views and downloads it as
CSV, reads the practitioner's own history and the agency's change history
with the old and new values. A practitioner has no "For review" and is
refused the page. Each page visited is checked with axe, validation errors
included; console errors and failed requests fail the test (see the ``page``
fixture).
"""

import csv
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

from audit.models import AccessEvent, Action, Subject
from records.models import Child
from sharing.models import DecisionReview, ReviewOutcome, SharingDecision
from tests.browser.consent_form import group
from tests.browser.helpers import assert_accessible, signed_in

PRACTITIONER = "practitioner@northgate.example"
PRACTITIONER_NAME = "Priya Shah"
LEAD = "lead@northgate.example"
LEAD_NAME = "Laura Bennett"
AGENCY = "Northgate Children's Services"
SERVICE_NAME = "Safeguarding information sharing"

# The demo decisions the practitioner recorded (sharing/demo.py): Mia's six days ago, Ellie's two.
MIAS_DECISION = "Share some of the information"
ELLIES_DECISION = "Share the information"

OTHER_NAMES = "Mia Cole"
DISAGREE = "I disagree with the decision"
REVIEW_QUESTION = "What is your view of this decision?"
REVIEW_REASONS = (
    "The police call-out was shared, but the assessment's note of the partner's threats to staff was not; "
    "the health visitor needed both to plan a safe visit."
)
REVIEW_ACTIONS = "Priya to call the health visitor by Friday and share the note of the threats; record the disclosure."
ACCESSES = "Views, searches and exports"
CSV_HEADER = ["When", "Section", "What", "Who", "Details", "Link"]

pytestmark = pytest.mark.usefixtures("demo")


def child(reference: str) -> Child:
    return Child.objects.get(agency__name=AGENCY, local_reference=reference)


def long_date(when) -> str:
    """As the service shows a date: 7 March 2026."""
    return f"{when.day} {when:%B %Y}"


def heading(page: Page) -> Locator:
    return page.get_by_role("heading", level=1)


def menu(page: Page) -> Locator:
    return page.get_by_role("navigation", name="Menu")


def error_summary(page: Page) -> Locator:
    """GOV.UK's error summary: "There is a problem", then a link to each field to fix."""
    summary = page.locator(".govuk-error-summary")
    expect(summary.get_by_role("alert")).to_contain_text("There is a problem")
    expect(summary).to_be_focused()
    return summary


def success(page: Page, text: str) -> None:
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(text)


def sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out", exact=True).click()
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    assert_accessible(page)


def open_child(page: Page, reference: str, name: str) -> None:
    page.goto(f"/children/{child(reference).pk}/")
    expect(heading(page)).to_have_text(name)
    assert_accessible(page)


def open_for_review(page: Page) -> None:
    menu(page).get_by_role("link", name="For review", exact=True).click()
    expect(heading(page)).to_have_text("For review")
    expect(page).to_have_title(f"For review – {SERVICE_NAME}")
    assert urlsplit(page.url).path == "/for-review/"
    assert_accessible(page)


def dashboard_list(page: Page, section: str) -> Locator:
    """A table of the dashboard, by the id of the heading that describes it."""
    return page.locator(f"table[aria-describedby='{section}']")


def dashboard_row(page: Page, section: str, child_name: str) -> Locator:
    return dashboard_list(page, section).locator("tbody tr").filter(has_text=child_name)


def history_rows(page: Page, title: str) -> Locator:
    return page.get_by_role("table", name=f"{title}, newest first").locator("tbody tr")


def history_row(rows: Locator, *, what: str, who: str, details: str | re.Pattern) -> Locator:
    """Rows of an audit history: When, What (the kind, then the section), Who, Details."""
    return (
        rows.filter(has=rows.page.locator("td:nth-child(2)", has_text=what))
        .filter(has=rows.page.locator("td:nth-child(3)", has_text=who))
        .filter(has=rows.page.locator("td:nth-child(4)", has_text=details))
    )


def change_the_other_names(page: Page) -> None:
    """The practitioner records the name Mia is known by at school, through the app."""
    signed_in(page, PRACTITIONER)
    open_child(page, "NCS-1042", "Mia Turner")
    page.get_by_role("link", name="Change child's details", exact=True).click()
    expect(heading(page)).to_have_text("Change Mia Turner's details")
    assert_accessible(page)
    page.get_by_label("Other names", exact=True).fill(OTHER_NAMES)
    page.get_by_role("button", name="Save changes", exact=True).click()
    expect(heading(page)).to_have_text("Mia Turner")
    success(page, "The child's details have been updated")
    assert_accessible(page)
    sign_out(page)


def test_a_practitioner_has_no_for_review(page: Page, browser_problems):
    mia = child("NCS-1042")
    browser_problems.expect_status("/for-review/", 403)
    signed_in(page, PRACTITIONER)

    expect(menu(page).get_by_role("link", name="Find a child")).to_be_visible()
    expect(menu(page).get_by_role("link", name="For review")).to_have_count(0)

    # Nor, on the records, a way to review a decision or read the audit history.
    open_child(page, "NCS-1042", "Mia Turner")
    expect(page.get_by_role("link", name="Audit history")).to_have_count(0)
    page.goto(f"/decisions/{SharingDecision.objects.get(child=mia).pk}/")
    expect(heading(page)).to_have_text(f"Information-sharing decision: {MIAS_DECISION.lower()}")
    expect(page.get_by_role("link", name="Review this decision")).to_have_count(0)
    assert_accessible(page)

    response = page.goto("/for-review/")

    assert response is not None
    assert response.status == 403
    expect(page).to_have_title(f"You cannot open this page – {SERVICE_NAME}")
    expect(heading(page)).to_have_text("You cannot open this page")
    expect(page.get_by_text("Decisions to review")).to_have_count(0)
    assert_accessible(page)
    # The refusal is in the access log.
    assert AccessEvent.objects.filter(user__email=PRACTITIONER, action=Action.REFUSED, path="/for-review/").exists()


def test_the_lead_reviews_a_decision_and_reads_the_audit_histories(page: Page):
    mia = child("NCS-1042")
    decision = SharingDecision.objects.get(child=mia)
    decision_path = f"/decisions/{decision.pk}/"
    today = long_date(timezone.localdate())
    change_the_other_names(page)

    # "For review": both of the practitioner's decisions wait for a review, oldest first.
    signed_in(page, LEAD)
    open_for_review(page)
    expect(page.get_by_role("heading", name="Decisions to review (2)")).to_be_visible()
    to_review = dashboard_list(page, "to-review")
    expect(to_review.locator("tbody tr td:nth-child(2)")).to_have_text(["Mia Turner", "Ellie Adeyemi"])
    mias_row = dashboard_row(page, "to-review", "Mia Turner")
    expect(mias_row.locator("td")).to_have_text(
        [
            long_date(timezone.localtime(decision.recorded_at)),
            "Mia Turner",
            f"Decision about Mia Turner: {MIAS_DECISION.lower()}",
            PRACTITIONER_NAME,
        ]
    )
    # Shared without consent (it was not sought), and not reviewed yet.
    expect(dashboard_row(page, "without-consent", "Mia Turner").locator("td").last).to_have_text("Not yet")

    mias_row.get_by_role("link", name=f"Decision about Mia Turner: {MIAS_DECISION.lower()}", exact=True).click()
    expect(heading(page)).to_have_text(f"Information-sharing decision: {MIAS_DECISION.lower()}")
    assert urlsplit(page.url).path == decision_path
    expect(page.get_by_text("Not reviewed yet.", exact=True)).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Review this decision", exact=True).click()
    expect(heading(page)).to_have_text("Review the decision")
    assert urlsplit(page.url).path == f"{decision_path}reviews/add/"
    expect(page).to_have_title(f"Review the decision – {SERVICE_NAME}")
    expect(page.locator(".govuk-caption-l")).to_have_text("Mia Turner")
    reasons = page.get_by_label("Why do you disagree?", exact=True)
    actions = page.get_by_label("What should happen now?", exact=True)
    comments = page.get_by_label("Your comments", exact=True)
    # The text areas are revealed only with the answer they belong to.
    for text_area in (reasons, actions, comments):
        expect(text_area).to_be_hidden()
    assert_accessible(page)

    # Sent without choosing: the error summary, and the error by the question.
    page.get_by_role("button", name="Record review", exact=True).click()
    expect(page).to_have_title(f"Error: Review the decision – {SERVICE_NAME}")
    summary = error_summary(page)
    expect(summary.get_by_role("link")).to_have_text(["Select whether you agree with the decision"])
    question = group(page, REVIEW_QUESTION)
    expect(question.locator(".govuk-error-message")).to_have_text(
        re.compile(r"^\s*Error: Select whether you agree with the decision\s*$")
    )
    expect(page.locator(".govuk-form-group--error")).to_have_count(1)
    assert not DecisionReview.objects.exists()
    assert_accessible(page)

    # The summary's link leads to the question.
    summary.get_by_role("link").click()
    expect(question.get_by_role("radio").first).to_be_focused()

    # Disagreeing reveals why and what now; leaving them empty is refused.
    question.get_by_label(DISAGREE, exact=True).check()
    expect(reasons).to_be_visible()
    expect(actions).to_be_visible()
    expect(comments).to_be_hidden()
    assert_accessible(page)
    page.get_by_role("button", name="Record review", exact=True).click()
    summary = error_summary(page)
    expect(summary.get_by_role("link")).to_have_text(
        ["Enter why you disagree with the decision", "Enter what should happen now"]
    )
    expect(group(page, REVIEW_QUESTION).get_by_label(DISAGREE, exact=True)).to_be_checked()
    expect(reasons).to_be_visible()
    expect(page.locator(".govuk-error-message")).to_have_text(
        [
            re.compile(r"^\s*Error: Enter why you disagree with the decision\s*$"),
            re.compile(r"^\s*Error: Enter what should happen now\s*$"),
        ]
    )
    assert not DecisionReview.objects.exists()
    assert_accessible(page)

    reasons.fill(REVIEW_REASONS)
    actions.fill(REVIEW_ACTIONS)
    page.get_by_role("button", name="Record review", exact=True).click()

    # Back on the decision, the review under "Reviews".
    success(page, "Your review has been recorded with the decision.")
    assert urlsplit(page.url).path == decision_path
    reviews = page.locator(".app-review")
    expect(reviews).to_have_count(1)
    expect(reviews.locator("p").first).to_have_text(DISAGREE)
    expect(reviews.get_by_role("heading", name="Why")).to_be_visible()
    expect(reviews).to_contain_text(REVIEW_REASONS)
    expect(reviews.get_by_role("heading", name="What should happen now")).to_be_visible()
    expect(reviews).to_contain_text(REVIEW_ACTIONS)
    expect(reviews).to_contain_text(f"Reviewed by {LEAD_NAME}, safeguarding lead, on {today}, ")
    expect(page.get_by_text("Not reviewed yet.", exact=True)).to_have_count(0)
    # The decision itself is as it was.
    expect(heading(page)).to_have_text(f"Information-sharing decision: {MIAS_DECISION.lower()}")
    assert_accessible(page)
    review = DecisionReview.objects.get(decision=decision)
    assert (review.outcome, review.reasons, review.actions, review.comments) == (
        ReviewOutcome.DISAGREE,
        REVIEW_REASONS,
        REVIEW_ACTIONS,
        "",
    )
    assert review.reviewer.email == LEAD

    # No longer waiting for a review; Ellie's still is.
    open_for_review(page)
    expect(page.get_by_role("heading", name="Decisions to review (1)")).to_be_visible()
    expect(dashboard_row(page, "to-review", "Mia Turner")).to_have_count(0)
    expect(dashboard_row(page, "to-review", "Ellie Adeyemi")).to_have_count(1)
    expect(dashboard_row(page, "without-consent", "Mia Turner").locator("td").last).to_have_text("Yes")

    # A list on its own page, as "See the whole list" opens it once it holds more than the dashboard shows.
    page.goto("/for-review/?list=without-consent")
    expect(heading(page)).to_have_text(re.compile(r"^Decisions to share without consent \(\d+\)$"))
    expect(page).to_have_title(f"Decisions to share without consent – {SERVICE_NAME}")
    expect(page.locator("tbody tr").filter(has_text="Mia Turner")).to_have_count(1)
    assert_accessible(page)
    page.get_by_role("link", name="Back to for review").click()
    expect(heading(page)).to_have_text("For review")

    # The child's audit history: who recorded what, and who looked at it.
    open_child(page, "NCS-1042", "Mia Turner")
    page.get_by_role("link", name="Audit history", exact=True).click()
    title = "Audit history: Mia Turner"
    expect(heading(page)).to_have_text(title)
    expect(page).to_have_title(f"{title} – {SERVICE_NAME}")
    assert urlsplit(page.url).path == f"/children/{mia.pk}/audit/"
    rows = history_rows(page, title)
    expect(
        history_row(rows, what="Decision", who=PRACTITIONER_NAME, details=MIAS_DECISION).get_by_role(
            "link", name="Decision", exact=True
        )
    ).to_have_attribute("href", decision_path)
    expect(history_row(rows, what="Review", who=f"{LEAD_NAME}, safeguarding lead", details=DISAGREE)).to_have_count(1)
    expect(
        history_row(rows, what="Child: Mia Turner", who=PRACTITIONER_NAME, details=f"(blank) → {OTHER_NAMES}")
    ).to_have_count(1)
    lead_viewed_the_decision = history_row(
        rows, what="Viewed", who=f"{LEAD_NAME}, safeguarding lead", details=re.compile(r"^\s*Viewed: decision\b")
    )
    expect(lead_viewed_the_decision.first).to_be_visible()
    expect(
        history_row(rows, what="Viewed", who=f"{PRACTITIONER_NAME}, practitioner", details="Viewed: child").first
    ).to_be_visible()
    assert_accessible(page)

    # Views, searches and exports only.
    group(page, "Show").get_by_label(ACCESSES, exact=True).check()
    page.get_by_role("button", name="Apply", exact=True).click()
    expect(page).to_have_url(re.compile(r"[?&]section=accesses(&|$)"))
    assert parse_qs(urlsplit(page.url).query)["section"] == ["accesses"]
    expect(group(page, "Show").get_by_label(ACCESSES, exact=True)).to_be_checked()
    expect(group(page, "Show").get_by_label("Records", exact=True)).not_to_be_checked()
    rows = history_rows(page, title)
    expect(rows.first).to_be_visible()
    sections = rows.locator("td:nth-child(2) .govuk-body-s")
    expect(sections).to_have_text([ACCESSES] * rows.count())
    expect(rows.locator("td:nth-child(2) a")).to_have_count(0)
    expect(rows.filter(has_text=REVIEW_REASONS)).to_have_count(0)
    expect(lead_viewed_the_decision.first).to_be_visible()
    assert_accessible(page)
    shown = rows.count()

    # The CSV has every row (here all of them fit on the page), and who looked.
    with page.expect_download() as downloading:
        page.get_by_role("link", name="Download all the rows as CSV", exact=True).click()
    download = downloading.value
    assert re.fullmatch(r"child-audit-\d{8}-\d{4}\.csv", download.suggested_filename)
    text = Path(download.path()).read_text(encoding="utf-8")
    assert text.startswith("\ufeff"), "a byte-order mark, for spreadsheet programs"
    table = list(csv.reader(text.removeprefix("\ufeff").splitlines()))
    assert table[0] == CSV_HEADER
    # The rows shown, and, newest, the lead's look at them (the download itself is logged after).
    assert len(table) - 1 == shown + 1, table
    assert table[1][2:5] == [
        "Viewed",
        f"{LEAD_NAME}, safeguarding lead",
        f"Viewed: audit history of a child ({shown} of {shown} rows (filtered)) from 127.0.0.1",
    ], table[1]
    assert {line[1] for line in table[1:]} == {ACCESSES}
    lead_views = [line[4] for line in table if line[3] == f"{LEAD_NAME}, safeguarding lead"]
    assert any(details.startswith("Viewed: decision") for details in lead_views), lead_views
    assert LEAD_NAME in text
    assert AccessEvent.objects.filter(
        user__email=LEAD, action=Action.EXPORT, subject=Subject.CHILD_AUDIT, child=mia
    ).exists()
    # Still on the history.
    expect(heading(page)).to_have_text(title)

    # The practitioner's history: what she recorded and changed.
    open_for_review(page)
    page.get_by_role("link", name="audit history of each member of staff", exact=True).click()
    expect(heading(page)).to_have_text("Audit history of staff")
    expect(page).to_have_title(f"Audit history of staff – {SERVICE_NAME}")
    staff = page.get_by_role("table", name="Staff of the agency").locator("tbody tr")
    expect(staff.filter(has_text=PRACTITIONER_NAME).locator("td")).to_have_text(
        [PRACTITIONER_NAME, "Practitioner, Social worker", "Active"]
    )
    assert_accessible(page)
    staff.get_by_role("link", name=PRACTITIONER_NAME, exact=True).click()
    title = f"Audit history: {PRACTITIONER_NAME}"
    expect(heading(page)).to_have_text(title)
    expect(page).to_have_title(f"{title} – {SERVICE_NAME}")
    rows = history_rows(page, title)
    expect(
        history_row(rows, what="Decision", who=PRACTITIONER_NAME, details=f"{MIAS_DECISION} (about Mia Turner)")
    ).to_have_count(1)
    expect(
        history_row(rows, what="Decision", who=PRACTITIONER_NAME, details=f"{ELLIES_DECISION} (about Ellie Adeyemi)")
    ).to_have_count(1)
    expect(
        history_row(rows, what="Child: Mia Turner", who=PRACTITIONER_NAME, details=f"(blank) → {OTHER_NAMES}")
    ).to_have_count(1)
    # What the lead did is not in it.
    expect(rows.filter(has_text=LEAD_NAME)).to_have_count(0)
    assert_accessible(page)

    # The agency's change history: the change to Mia's details, old and new values.
    page.get_by_role("link", name="Back to staff", exact=True).click()
    page.get_by_role("link", name="Back to for review", exact=True).click()
    expect(heading(page)).to_have_text("For review")
    page.get_by_role("link", name="change history of the agency's records", exact=True).click()
    title = "Change history"
    expect(heading(page)).to_have_text(title)
    expect(page).to_have_title(f"{title} – {SERVICE_NAME}")
    assert urlsplit(page.url).path == "/audit/changes/"
    rows = history_rows(page, title)
    change = history_row(rows, what="Child: Mia Turner", who=PRACTITIONER_NAME, details="Changed:")
    expect(change).to_have_count(1)
    expect(change.locator("td:nth-child(4)")).to_contain_text(f"other names: (blank) → {OTHER_NAMES}")
    expect(change.locator("td:nth-child(1)")).to_contain_text(timezone.localdate().strftime("%-d %b %Y"))
    # Read now, checked at the end (below), so that the rest of the journey is checked too.
    change_shown = change.locator("td:nth-child(4)").inner_text()
    assert_accessible(page)

    # Changes to children only.
    group(page, "Show changes to").get_by_label("Children", exact=True).check()
    page.get_by_role("button", name="Apply", exact=True).click()
    expect(page).to_have_url(re.compile(r"[?&]kind=child(&|$)"))
    expect(group(page, "Show changes to").get_by_label("Children", exact=True)).to_be_checked()
    rows = history_rows(page, title)
    expect(rows.first).to_be_visible()
    expect(rows.locator("td:nth-child(2)")).to_have_text([re.compile(r"^\s*Child: ")] * rows.count())
    expect(history_row(rows, what="Child: Mia Turner", who=PRACTITIONER_NAME, details=OTHER_NAMES)).to_have_count(1)
    assert_accessible(page)

    # Only what the practitioner changed is a change. KNOWN BUG (the application is not fixed here): the
    # child form stores its textareas as the browser sends them, with CRLF line endings, so saving Mia's
    # details rewrites her untouched address "14 Elm Grove\nNorthgate" as "14 Elm Grove\r\nNorthgate"; the
    # change history then shows "address: 14 Elm Grove Northgate → 14 Elm Grove Northgate", a change that
    # looks like nothing and that the practitioner did not make.
    assert change_shown == f"Changed: other names: (blank) → {OTHER_NAMES}", (
        "The change history shows a change to the address that the practitioner did not make (CRLF from the "
        f"textarea replaced LF; the two values look the same): {change_shown!r}; "
        f"the address stored now: {child('NCS-1042').address!r}"
    )
