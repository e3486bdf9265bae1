"""Recording consent in the browser, as a practitioner would, using the demo data.

Consent given by a child judged competent, then withdrawn; a child judged not
competent, who cannot consent for themself; a child judged competent against
an unmet criterion, which needs the reason; a young person of 16, who
consents without an assessment of their understanding; a parent's refusal,
not asked what only consent given is asked; a signed form uploaded and
downloaded; and another agency, which cannot see the record at all. Each page
visited is checked with axe, validation errors included; console errors and
failed requests fail the test (see the ``page`` fixture).
"""

import re
from datetime import date, timedelta
from urllib.parse import urlsplit

import pytest
from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

from consent.capacity import COMPETENCE_CRITERIA
from consent.models import ConsentRecord
from records.models import Agency, Child
from tests.browser import consent_form
from tests.browser.consent_form import choose, group
from tests.browser.helpers import assert_accessible, signed_in
from tests.factories import ChildFactory

PRACTITIONER = "practitioner@northgate.example"
PRACTITIONER_NAME = "Priya Shah"
OTHER_AGENCY_PRACTITIONER = "practitioner@northgate-nhs.example"
AGENCY = "Northgate Children's Services"
SERVICE_NAME = "Safeguarding information sharing"

ABOUT_MIA = "The child, Mia Turner"
BY_THE_CHILD = "The child themself"
KELLY_TURNER = "Kelly Turner, mother (parental responsibility, lives with the child)"
HOW_MIA_CONSENTED = "Mia said yes, in her own words, when we talked it through at school."
ASSESSED_BY = "Priya Shah, social worker"
EXPLAINED_HOW = "In plain words and with pictures, at her pace, with time for questions."
HOW_MIA_WITHDREW = "Mia told her teacher she no longer wants the school nurse to know."
HOW_KELLY_CONSENTED = "Kelly Turner signed the consent form at the family centre."
HOW_KELLY_REFUSED = "Kelly Turner said no: she does not want the school nurse involved."
HOW_JADE_CONSENTED = "Jade signed the form after we went through it together."
WHY_COMPETENT = "Mia changed her mind once, on a bad day, and has held the same view since."
SCOPE = consent_form.Scope(
    information="That Mia has been anxious at school since the incident at home.",
    purposes="A referral to the school nurse for emotional support.",
    kinds=["NHS trust or GP practice", "School"],
    recipients="The school nurse",
    use="To offer Mia support sessions at school.",
)
NOT_A_SIGNED_FORM = "The signed consent form must be a PDF, PNG or JPEG"
NOT_COMPETENT = (
    "A child judged not competent cannot give or refuse consent themself: ask a person with parental responsibility"
)
UNMET_CRITERION = (
    "The child was judged competent although 1 of the 7 criteria was not met: explain why in the notes on the "
    "assessment"
)
# The first bytes of a PDF are what the service checks, not the file's name.
PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"

pytestmark = pytest.mark.usefixtures("demo")


def child(reference: str) -> Child:
    return Child.objects.get(agency__name=AGENCY, local_reference=reference)


def long_date(when: date) -> str:
    """As the service shows a date: 7 March 2026."""
    return f"{when.day} {when:%B %Y}"


def error_summary(page: Page) -> Locator:
    """GOV.UK's error summary: "There is a problem", then a link to each field to fix."""
    summary = page.locator(".govuk-error-summary")
    expect(summary.get_by_role("alert")).to_contain_text("There is a problem")
    return summary


def row(page: Page, key: str) -> Locator:
    """A summary list row by its key, in full."""
    return page.locator(".govuk-summary-list__row").filter(
        has=page.locator(".govuk-summary-list__key", has_text=re.compile(rf"^\s*{re.escape(key)}\s*$"))
    )


def status_tag(page: Page) -> Locator:
    return page.get_by_role("main").locator(".govuk-tag")


def open_record_consent(page: Page, reference: str, name: str) -> None:
    """From the child's page, open the consent form."""
    page.goto(f"/children/{child(reference).pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    expect(page.get_by_text("No consent has been recorded.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Record consent", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(consent_form.WHOSE)
    expect(page).to_have_title(f"{consent_form.WHOSE}: record consent – {SERVICE_NAME}")
    expect(page.locator(".govuk-caption-l")).to_have_text(f"{name}: record consent")
    assert_accessible(page)


def fill_consent_by_mia(page: Page, *, competent: bool) -> None:
    """Each page of Mia's consent, up to "Check your answers" (or the page that refuses its answers)."""
    today = timezone.localdate()
    consent_form.fill_answer(
        page, about=ABOUT_MIA, responder=BY_THE_CHILD, given=True, written=False, how=HOW_MIA_CONSENTED
    )
    assert_accessible(page)
    consent_form.fill_understanding(
        page,
        competent=competent,
        assessed_by=ASSESSED_BY,
        assessed_on=today,
        explained_how=EXPLAINED_HOW,
        language="English",
    )
    if not competent:
        return
    assert_accessible(page)
    consent_form.fill_scope(page, SCOPE, told_can_withdraw=True, review_on=today + timedelta(days=90))


def test_record_consent_given_by_a_competent_child_and_withdraw_it(page: Page):
    today = timezone.localdate()
    review_on = today + timedelta(days=90)
    signed_in(page, PRACTITIONER)
    open_record_consent(page, "NCS-1042", "Mia Turner")

    fill_consent_by_mia(page, competent=True)
    # Her answers, page by page, to check before they are recorded: hers alone, never a parent's page.
    consent_form.expect_page(page, consent_form.CHECK)
    expect(page.get_by_role("heading", level=2, name=consent_form.UNDERSTANDING)).to_be_visible()
    expect(page.get_by_role("heading", level=2, name=consent_form.FAMILY)).to_have_count(0)
    expect(row(page, consent_form.ASSESSED_BY)).to_contain_text(ASSESSED_BY)
    expect(row(page, consent_form.ANSWERED_ON)).to_contain_text(long_date(today))
    assert_accessible(page)
    # Back keeps the answers.
    page.get_by_role("link", name="Back", exact=True).click()
    consent_form.expect_page(page, consent_form.LIMITS)
    consent_form.expect_date(page, consent_form.REVIEW_ON, review_on)
    consent_form.continue_on(page)
    consent_form.record_consent(page)

    expect(page.get_by_role("heading", level=1)).to_have_text("Consent given by Mia Turner")
    expect(page).to_have_title(f"Consent given by Mia Turner – {SERVICE_NAME}")
    expect(page.get_by_role("alert")).to_contain_text("The consent has been recorded")
    given = ConsentRecord.objects.get(child=child("NCS-1042"))
    assert urlsplit(page.url).path == f"/consent/{given.pk}/"
    expect(status_tag(page)).to_have_text("Current")
    expect(row(page, "About whose information")).to_contain_text("Mia Turner")
    expect(row(page, "Answer given by")).to_contain_text("Mia Turner (the child)")
    expect(row(page, "Answer")).to_contain_text(f"Given on {long_date(today)}")
    expect(row(page, "How")).to_contain_text("Explicit: given in words, spoken or written, verbally")
    expect(row(page, "How")).to_contain_text(HOW_MIA_CONSENTED)
    expect(row(page, "Information")).to_contain_text(SCOPE.information)
    expect(row(page, "Purposes")).to_contain_text(SCOPE.purposes)
    expect(row(page, "Shared with")).to_contain_text("NHS trust or GP practice, School")
    expect(row(page, "Shared with")).to_contain_text(SCOPE.recipients)
    expect(row(page, "What recipients may use it for")).to_contain_text(SCOPE.use)
    expect(row(page, "Told they can withdraw")).to_have_text(re.compile(r"Yes\s*$"))
    expect(row(page, "Review by")).to_contain_text(long_date(review_on))
    expect(row(page, "Recorded")).to_contain_text(f"By {PRACTITIONER_NAME}, practitioner, on {long_date(today)}")
    # The assessment of Mia's understanding, criterion by criterion (3.3.17).
    expect(page.get_by_role("heading", name="The child's understanding")).to_be_visible()
    expect(page.get_by_role("link", name="guidance paragraphs 3.3.15 to 3.3.17")).to_have_attribute(
        "href", "/guidance/3.3.15-3.3.17/"
    )
    expect(row(page, "Age when answering")).to_contain_text("9")
    for criterion in COMPETENCE_CRITERIA.values():
        expect(row(page, criterion)).to_have_text(re.compile(r"Yes\s*$"))
    expect(row(page, "Judged competent")).to_have_text(re.compile(r"Yes\s*$"))
    expect(row(page, "Assessed by")).to_contain_text(f"{ASSESSED_BY} on {long_date(today)}")
    expect(row(page, "How it was explained")).to_contain_text(EXPLAINED_HOW)
    expect(row(page, "How it was explained")).to_contain_text("Language: English")
    # Mia is 9: the guidance's reminder for younger children shows, as a warning that does not block.
    expect(page.locator(".govuk-warning-text")).to_contain_text(
        "Younger children may also have sufficient understanding: assess it against each criterion. (guidance "
        "paragraph 3.3.16)"
    )
    assert_accessible(page)

    page.get_by_role("link", name="Record a withdrawal").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Record a withdrawal of consent")
    expect(page.get_by_text(f"Mia Turner gave consent on {long_date(today)}.")).to_be_visible()
    consent_form.expect_date(page, "When was consent withdrawn?", today)
    assert_accessible(page)
    page.get_by_role("button", name="Record withdrawal").click()
    # Nothing said about how it was withdrawn: GOV.UK's errors, and nothing recorded.
    expect(page).to_have_title(re.compile(r"^Error: Record a withdrawal of consent"))
    expect(error_summary(page).get_by_role("link")).to_have_text(
        ["Select whether the withdrawal was explicit or implied", "Describe how consent was withdrawn"]
    )
    assert ConsentRecord.objects.filter(child=child("NCS-1042")).count() == 1
    assert_accessible(page)
    choose(page, "How was it withdrawn?", "Explicit", exact=False)
    choose(page, "If explicit, was it written or verbal?", "Verbally")
    page.get_by_label("What did they say or do?").fill(HOW_MIA_WITHDREW)
    page.get_by_role("button", name="Record withdrawal").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Consent withdrawn by Mia Turner")
    expect(page.get_by_role("alert")).to_contain_text(
        "The withdrawal has been recorded. Earlier decisions are unchanged."
    )
    withdrawal = ConsentRecord.objects.get(supersedes=given)
    assert urlsplit(page.url).path == f"/consent/{withdrawal.pk}/"
    expect(status_tag(page)).to_have_text("Withdrawn")
    expect(row(page, "Answer")).to_contain_text(f"Withdrawn on {long_date(today)}")
    expect(row(page, "How")).to_contain_text(HOW_MIA_WITHDREW)
    expect(row(page, "Replaces")).to_contain_text(f"The consent given on {long_date(today)}")
    # A withdrawn consent cannot be withdrawn or renewed again.
    expect(page.get_by_role("link", name="Record a withdrawal")).to_have_count(0)
    expect(page.get_by_role("link", name="Renew or change this consent")).to_have_count(0)
    assert_accessible(page)

    # The original stays in the history, now withdrawn (3.3.22): not "superseded", a word for a renewal.
    row(page, "Replaces").get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Consent given by Mia Turner")
    expect(status_tag(page)).to_have_text("Withdrawn")
    expect(row(page, "Withdrawn").get_by_role("link")).to_have_text(
        f"On {long_date(today)}: the record of the withdrawal"
    )
    expect(row(page, "Replaced by")).to_have_count(0)
    expect(page.get_by_text("Superseded")).to_have_count(0)
    expect(page.get_by_role("link", name="Record a withdrawal")).to_have_count(0)
    assert_accessible(page)

    page.get_by_role("link", name="Back to Mia Turner").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mia Turner")
    history = page.get_by_role("table", name="Consent history, newest first")
    entries = history.locator("tbody tr")
    expect(entries).to_have_count(2)
    expect(entries.nth(0)).to_contain_text("Withdrawn by Mia Turner")
    expect(entries.nth(0).locator(".govuk-tag")).to_have_text("Withdrawn")
    expect(entries.nth(1)).to_contain_text("Given by Mia Turner")
    expect(entries.nth(1).locator(".govuk-tag")).to_have_text("Withdrawn")
    # A withdrawn consent no longer shows its review date.
    expect(entries.nth(1)).not_to_contain_text("Review by")
    expect(entries.nth(0).get_by_role("link")).to_have_attribute("href", f"/consent/{withdrawal.pk}/")
    expect(entries.nth(1).get_by_role("link")).to_have_attribute("href", f"/consent/{given.pk}/")
    assert_accessible(page)


def test_a_child_judged_not_competent_cannot_consent_themself(page: Page):
    signed_in(page, PRACTITIONER)
    open_record_consent(page, "NCS-1042", "Mia Turner")

    fill_consent_by_mia(page, competent=False)

    expect(page).to_have_title(re.compile(rf"^Error: {consent_form.UNDERSTANDING}: record consent"))
    consent_form.expect_page(page, consent_form.UNDERSTANDING)
    summary = error_summary(page)
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link")).to_have_text([NOT_COMPETENT])
    competent = group(page, consent_form.COMPETENT)
    expect(competent.locator(".govuk-error-message")).to_have_text(f"Error: {NOT_COMPETENT}")
    # Only that question is in error; what was typed is kept.
    expect(page.locator(".govuk-error-message")).to_have_count(1)
    expect(competent.get_by_label("No", exact=True)).to_be_checked()
    expect(page.get_by_label(consent_form.ASSESSED_BY, exact=True)).to_have_value(ASSESSED_BY)
    assert_accessible(page)

    summary.get_by_role("link", name=NOT_COMPETENT).click()
    expect(competent.get_by_role("radio").first).to_be_focused()
    assert not ConsentRecord.objects.filter(child=child("NCS-1042")).exists()

    page.goto(f"/children/{child('NCS-1042').pk}/")
    expect(page.get_by_text("No consent has been recorded.")).to_be_visible()


def test_a_child_judged_competent_against_an_unmet_criterion_needs_the_reason(page: Page):
    today = timezone.localdate()
    signed_in(page, PRACTITIONER)
    open_record_consent(page, "NCS-1042", "Mia Turner")
    consent_form.fill_answer(
        page, about=ABOUT_MIA, responder=BY_THE_CHILD, given=True, written=False, how=HOW_MIA_CONSENTED
    )
    consent_form.fill_understanding(
        page,
        competent=True,
        assessed_by=ASSESSED_BY,
        assessed_on=today,
        explained_how=EXPLAINED_HOW,
        unmet=("consistent",),
    )

    # 3.3.17: the reason is required, and the error says where it goes.
    expect(page).to_have_title(re.compile(rf"^Error: {consent_form.UNDERSTANDING}: record consent"))
    summary = error_summary(page)
    expect(summary.get_by_role("link")).to_have_text([UNMET_CRITERION])
    notes = page.get_by_label(consent_form.ASSESSMENT_NOTES, exact=True)
    field = page.locator(".govuk-form-group").filter(has=notes)
    expect(field.locator(".govuk-error-message")).to_have_text(f"Error: {UNMET_CRITERION}")
    expect(page.locator(".govuk-error-message")).to_have_count(1)
    expect(page.get_by_label(COMPETENCE_CRITERIA["consistent"], exact=True)).not_to_be_checked()
    expect(page.get_by_label(consent_form.EXPLAINED_HOW, exact=True)).to_have_value(EXPLAINED_HOW)
    assert_accessible(page)
    summary.get_by_role("link", name=UNMET_CRITERION).click()
    expect(notes).to_be_focused()
    assert not ConsentRecord.objects.filter(child=child("NCS-1042")).exists()

    notes.fill(WHY_COMPETENT)
    consent_form.continue_on(page)
    consent_form.fill_scope(page, SCOPE, told_can_withdraw=True, review_on=today + timedelta(days=90))
    consent_form.record_consent(page)

    expect(page.get_by_role("heading", level=1)).to_have_text("Consent given by Mia Turner")
    expect(row(page, COMPETENCE_CRITERIA["consistent"])).to_have_text(re.compile(r"No\s*$"))
    expect(row(page, "Judged competent")).to_have_text(re.compile(r"Yes\s*$"))
    expect(row(page, "Notes")).to_contain_text(WHY_COMPETENT)
    expect(page.locator(".govuk-warning-text")).to_contain_text(
        "The child was judged competent although 1 of the 7 criteria was not met: the reason is in the notes. "
        "(guidance paragraph 3.3.17)"
    )
    assert_accessible(page)


def test_a_young_person_of_16_consents_without_an_assessment_of_their_understanding(page: Page):
    today = timezone.localdate()
    jade = ChildFactory(
        agency=Agency.objects.get(name=AGENCY),
        given_name="Jade",
        family_name="Okafor",
        local_reference="NCS-4416",
        # Sixteen: born 16 years before the first of this month, less 30 days.
        date_of_birth=date(today.year - 16, today.month, 1) - timedelta(days=30),
    )
    signed_in(page, PRACTITIONER)
    open_record_consent(page, "NCS-4416", "Jade Okafor")
    consent_form.fill_answer(
        page, about="The child, Jade Okafor", responder=BY_THE_CHILD, given=True, written=True, how=HOW_JADE_CONSENTED
    )
    # 3.3.15: presumed able to consent; the under-16 assessment is not asked of her (the page says so).
    consent_form.expect_page(page, consent_form.UNDERSTANDING)
    expect(page.get_by_role("main").locator(".govuk-inset-text")).to_have_text(
        "The child is 16: a young person of 16 or 17 may give or refuse consent themself (guidance paragraph 3.3.15), "
        "so their understanding need not be assessed. Leave this section blank unless you judged they could not "
        "decide for themself (guidance paragraph 3.3.18)."
    )
    assert_accessible(page)
    consent_form.continue_on(page)
    consent_form.fill_scope(page, SCOPE, told_can_withdraw=True, review_on=today + timedelta(days=180))
    consent_form.record_consent(page)

    expect(page.get_by_role("heading", level=1)).to_have_text("Consent given by Jade Okafor")
    expect(page.get_by_role("alert")).to_contain_text("The consent has been recorded")
    expect(status_tag(page)).to_have_text("Current")
    expect(row(page, "Answer given by")).to_contain_text("Jade Okafor (the child)")
    expect(row(page, "Age when answering")).to_contain_text("16")
    expect(row(page, "Able to give or refuse consent themself")).to_contain_text(
        "Yes: a young person of 16 or 17 may (guidance paragraph 3.3.15). Their understanding was not assessed."
    )
    expect(row(page, "Judged competent")).to_have_count(0)
    for criterion in COMPETENCE_CRITERIA.values():
        expect(row(page, criterion)).to_have_count(0)
    assert_accessible(page)
    record = ConsentRecord.objects.get(child=jade)
    assert (record.child_age, record.child_competent, record.competence, record.assessed_by) == (16, None, {}, "")


def test_record_a_parents_refusal(page: Page):
    today = timezone.localdate()
    signed_in(page, PRACTITIONER)
    open_record_consent(page, "NCS-1042", "Mia Turner")
    consent_form.fill_answer(page, about=ABOUT_MIA, responder=KELLY_TURNER, given=False, written=False, how="")

    # How she refused is asked for, on its page.
    expect(page).to_have_title(re.compile(r"^Error: How they answered: record consent"))
    expect(error_summary(page).get_by_role("link")).to_have_text(["Describe how consent was given or refused"])
    assert_accessible(page)
    page.get_by_label(consent_form.HOW, exact=True).fill(HOW_KELLY_REFUSED)
    consent_form.continue_on(page)

    # A parent answered: her parental responsibility and the family are asked, never the child's understanding.
    consent_form.expect_page(page, consent_form.FAMILY)
    expect(page.get_by_role("main").locator(".govuk-inset-text")).to_contain_text(
        "Kelly Turner, mother: has parental responsibility, lives with the child."
    )
    expect(page.get_by_label("Family members are in conflict about consent")).to_be_visible()
    assert_accessible(page)
    consent_form.continue_on(page)

    # The questions about what was sought fit a refusal as well as a consent (3.3.28); the two that only consent
    # given is asked are not asked (3.3.21 to 3.3.22).
    expect(page.get_by_text("told would be shared")).to_have_count(0)
    consent_form.fill_scope(page, SCOPE, told_can_withdraw=None, review_on=None)
    consent_form.expect_page(page, consent_form.CHECK)
    expect(page.get_by_role("heading", level=2, name=consent_form.LIMITS)).to_have_count(0)
    expect(page.get_by_role("heading", level=2, name=consent_form.UNDERSTANDING)).to_have_count(0)
    expect(row(page, consent_form.ANSWER)).to_contain_text("Consent refused")
    assert_accessible(page)
    consent_form.record_consent(page)

    expect(page.get_by_role("heading", level=1)).to_have_text("Consent refused by Kelly Turner")
    expect(page.get_by_role("alert")).to_contain_text("The consent has been recorded")
    expect(status_tag(page)).to_have_text("Current")
    expect(row(page, "Answer")).to_contain_text(f"Refused on {long_date(today)}")
    expect(row(page, "How")).to_contain_text(HOW_KELLY_REFUSED)
    expect(row(page, "Information")).to_contain_text(SCOPE.information)
    expect(row(page, "Would have been shared with")).to_contain_text("NHS trust or GP practice, School")
    expect(row(page, "What recipients would have used it for")).to_contain_text(SCOPE.use)
    expect(row(page, "Told they can withdraw")).to_have_count(0)
    expect(row(page, "Review by")).to_have_count(0)
    # A refusal is not withdrawn; it can be replaced by a newer answer.
    expect(page.get_by_role("link", name="Record a withdrawal")).to_have_count(0)
    expect(page.get_by_role("link", name="Renew or change this consent")).to_be_visible()
    assert_accessible(page)
    refused = ConsentRecord.objects.get(child=child("NCS-1042"))
    assert (refused.response, refused.told_can_withdraw, refused.review_on) == ("refused", None, None)


def test_upload_of_a_signed_form(page: Page, tmp_path, private_media):
    """Signed forms go to the test's own private folder (``private_media``, tests/conftest.py)."""
    signed = tmp_path / "signed-consent.pdf"
    signed.write_bytes(PDF_BYTES)
    not_a_pdf = tmp_path / "notes.pdf"  # a text file, renamed
    not_a_pdf.write_text("Kelly Turner agreed on the phone.\n")
    signed_in(page, PRACTITIONER)
    open_record_consent(page, "NCS-1042", "Mia Turner")
    consent_form.fill_answer(
        page, about=ABOUT_MIA, responder=KELLY_TURNER, given=True, written=True, how=HOW_KELLY_CONSENTED
    )
    consent_form.expect_page(page, consent_form.FAMILY)
    consent_form.continue_on(page)
    consent_form.fill_scope(page, SCOPE, told_can_withdraw=True, review_on=timezone.localdate() + timedelta(days=90))
    # Consent in writing: the signed form is asked for, on its page.
    consent_form.expect_page(page, consent_form.UPLOAD)
    signed_form = page.get_by_label(consent_form.SIGNED_FORM, exact=True)

    signed_form.set_input_files(not_a_pdf)
    consent_form.continue_on(page)

    expect(page).to_have_title(re.compile(rf"^Error: {consent_form.UPLOAD}: record consent"))
    summary = error_summary(page)
    expect(summary.get_by_role("link")).to_have_text([NOT_A_SIGNED_FORM])
    field = page.locator(".govuk-form-group").filter(has=signed_form)
    expect(field.locator(".govuk-error-message")).to_have_text(f"Error: {NOT_A_SIGNED_FORM}")
    summary.get_by_role("link", name=NOT_A_SIGNED_FORM).click()
    expect(signed_form).to_be_focused()
    assert not ConsentRecord.objects.filter(child=child("NCS-1042")).exists()
    assert not [path for path in private_media.rglob("*") if path.is_file()]
    assert_accessible(page)

    # A browser never keeps a file, so choose it again; then it is kept until the consent is recorded.
    signed_form.set_input_files(signed)
    consent_form.continue_on(page)
    consent_form.expect_page(page, consent_form.CHECK)
    expect(row(page, consent_form.SIGNED_FORM)).to_contain_text(f"A PDF of {len(PDF_BYTES)} bytes")
    expect(row(page, consent_form.HOW)).to_contain_text(HOW_KELLY_CONSENTED)
    consent_form.record_consent(page)

    expect(page.get_by_role("heading", level=1)).to_have_text("Consent given by Kelly Turner")
    expect(status_tag(page)).to_have_text("Current")
    expect(row(page, "Answer given by")).to_contain_text("Kelly Turner (mother); parental responsibility: yes")
    expect(row(page, "How")).to_contain_text("Explicit: given in words, spoken or written, in writing")
    download_link = row(page, "Signed form").get_by_role("link", name="Download the signed form")
    expect(download_link).to_be_visible()
    expect(row(page, "Signed form")).to_contain_text(f"({len(PDF_BYTES)}\xa0bytes)")
    assert_accessible(page)

    with page.expect_download() as downloading:
        download_link.click()
    download = downloading.value
    assert download.suggested_filename == "signed-consent-form.pdf"
    assert download.failure() is None
    with open(download.path(), "rb") as downloaded:
        assert downloaded.read() == PDF_BYTES
    # Kept under a random name, outside the web root, in the private media folder.
    record = ConsentRecord.objects.get(child=child("NCS-1042"))
    assert record.signed_form_type == "application/pdf"
    stored = private_media / record.signed_form.name
    assert stored.read_bytes() == PDF_BYTES
    assert "turner" not in record.signed_form.name.lower()


def test_another_agency_cannot_open_a_consent_record(page: Page, browser_problems):
    # Ellie's own consent, recorded by Northgate Children's Services (the demo data).
    signed_in(page, PRACTITIONER)
    page.goto(f"/children/{child('NCS-2210').pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Ellie Adeyemi")
    history = page.get_by_role("table", name="Consent history, newest first")
    history.get_by_role("link").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Consent given by Ellie Adeyemi")
    assert_accessible(page)
    consent_path = urlsplit(page.url).path
    assert consent_path == f"/consent/{ConsentRecord.objects.get(child=child('NCS-2210')).pk}/"
    withdraw_path = f"{consent_path}withdraw/"
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))

    browser_problems.expect_status(consent_path, 404)
    browser_problems.expect_status(withdraw_path, 404)
    signed_in(page, OTHER_AGENCY_PRACTITIONER)
    expect(page.locator(".app-account-bar__who")).to_contain_text("Northgate NHS Foundation Trust")

    for path in (consent_path, withdraw_path):
        response = page.goto(path)

        assert response is not None
        assert response.status == 404
        expect(page).to_have_title(f"Page not found – {SERVICE_NAME}")
        expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
        expect(page.get_by_text("Ellie")).to_have_count(0)
        assert_accessible(page)


def test_each_page_is_accessible_and_switching_to_the_child_drops_the_parents_answers(page: Page):
    """Every page of recording a consent, with axe; then, from "Check your answers", the child chosen instead of
    her mother: the parent's page is no longer asked and what was typed on it is not recorded (issue 17)."""
    today = timezone.localdate()
    advice = "The information lead advised asking Kelly first."
    signed_in(page, PRACTITIONER)
    open_record_consent(page, "NCS-1042", "Mia Turner")
    choose(page, consent_form.ABOUT, ABOUT_MIA)
    consent_form.continue_on(page)
    for heading, answer in (
        (consent_form.RESPONDER, lambda: choose(page, consent_form.RESPONDER, KELLY_TURNER)),
        ("Their answer", lambda: choose(page, consent_form.ANSWER, "Consent given")),
    ):
        consent_form.expect_page(page, heading)
        assert_accessible(page)
        answer()
        consent_form.continue_on(page)
    consent_form.expect_page(page, "How they answered")
    choose(page, consent_form.EXPLICITNESS, "Implied", exact=False)
    page.get_by_label(consent_form.HOW, exact=True).fill(HOW_KELLY_CONSENTED)
    consent_form.continue_on(page)
    consent_form.expect_page(page, consent_form.FAMILY)
    page.get_by_label("Family members are in conflict about consent").check()
    page.get_by_label("Advice taken on whose consent to seek").fill(advice)
    consent_form.continue_on(page)
    consent_form.expect_page(page, consent_form.SOUGHT)
    assert_accessible(page)
    consent_form.fill_scope(page, SCOPE, told_can_withdraw=None, review_on=None)
    consent_form.expect_page(page, consent_form.LIMITS)
    assert_accessible(page)
    choose(page, consent_form.TOLD_CAN_WITHDRAW, "Yes")
    consent_form.fill_date(page, consent_form.REVIEW_ON, today + timedelta(days=90))
    consent_form.continue_on(page)
    # Implied consent: no signed form is asked for.
    consent_form.expect_page(page, consent_form.CHECK)
    expect(page.get_by_text(advice)).to_be_visible()

    # The child answered after all.
    section = page.locator(".govuk-summary-card").filter(
        has=page.get_by_role("heading", level=2, name=consent_form.RESPONDER)
    )
    section.get_by_role("link", name=re.compile("^Change")).click()
    expect(group(page, consent_form.RESPONDER).get_by_label(KELLY_TURNER, exact=True)).to_be_checked()
    choose(page, consent_form.RESPONDER, BY_THE_CHILD)
    consent_form.continue_on(page)
    consent_form.fill_understanding(
        page, competent=True, assessed_by=ASSESSED_BY, assessed_on=today, explained_how=EXPLAINED_HOW
    )
    consent_form.expect_page(page, consent_form.CHECK)
    expect(page.get_by_text(advice)).to_have_count(0)
    expect(page.get_by_role("heading", level=2, name=consent_form.FAMILY)).to_have_count(0)
    assert_accessible(page)
    consent_form.record_consent(page)

    expect(page.get_by_role("heading", level=1)).to_have_text("Consent given by Mia Turner")
    record = ConsentRecord.objects.get(child=child("NCS-1042"))
    assert (record.by_child, record.family_conflict, record.conflict_advice) == (True, False, "")


def test_the_pages_of_recording_a_consent_reflow_at_320_px(page: Page):
    """A phone, or 400% zoom (WCAG 1.4.10): no page of the flow scrolls sideways, the check page included."""
    signed_in(page, PRACTITIONER)
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(f"/children/{child('NCS-1042').pk}/consent/add/")
    sideways = "document.documentElement.scrollWidth > document.documentElement.clientWidth"
    seen = {}
    page.on("load", lambda loaded: seen.update({loaded.url: loaded.evaluate(sideways)}))
    fill_consent_by_mia(page, competent=True)
    consent_form.expect_page(page, consent_form.CHECK)
    # The check page itself, whether or not its load has been reported yet.
    page.wait_for_load_state("load")
    seen[page.url] = page.evaluate(sideways)
    assert len(seen) >= 7, seen
    assert not [url for url, scrolls in seen.items() if scrolls], seen
