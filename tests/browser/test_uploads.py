"""A signed consent form over the limit, chosen in Chromium: refused next to
the field as soon as it is chosen and never sent; the answers of the pages
before it are kept."""

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import Page, expect

from records.models import Child
from tests.browser import consent_form
from tests.browser.helpers import assert_accessible, signed_in

pytestmark = pytest.mark.usefixtures("demo")

PRACTITIONER = "practitioner@northgate.example"
HOW = "Kelly Turner signed the consent form at the family centre."
KELLY = "Kelly Turner, mother (parental responsibility, lives with the child)"
SCOPE = consent_form.Scope(
    information="That Mia has been anxious at school.",
    purposes="A referral to the school nurse.",
    kinds=["School"],
    use="To offer support sessions.",
)
TOO_LARGE = "The signed consent form must be smaller than 5 MB"


def test_a_file_over_the_limit_is_refused_when_chosen_and_never_sent(page: Page, tmp_path):
    mia = Child.objects.get(agency__name="Northgate Children's Services", local_reference="NCS-1042")
    signed_in(page, PRACTITIONER)
    page.goto(f"/children/{mia.pk}/consent/add/")
    consent_form.fill_answer(page, about="The child, Mia Turner", responder=KELLY, given=True, written=True, how=HOW)
    consent_form.continue_on(page)  # the family: nothing to add
    consent_form.fill_scope(page, SCOPE, told_can_withdraw=True, review_on=timezone.localdate() + timedelta(days=90))
    consent_form.expect_page(page, consent_form.UPLOAD)
    upload_page = urlsplit(page.url).path
    big = tmp_path / "signed consent form.pdf"
    with big.open("wb") as file:
        file.write(b"%PDF-1.4\n")
        file.truncate(30 * 1024 * 1024)  # 30 MB

    field = page.get_by_label(consent_form.SIGNED_FORM, exact=True)
    field.set_input_files(big)

    expect(page.locator("#id_signed_form_size_error")).to_have_text(f"Error: {TOO_LARGE}")
    expect(field).to_have_accessible_description(
        f"A PDF, PNG or JPEG of the signed form, up to 5 MB Error: {TOO_LARGE}"
    )
    expect(page.locator("#div_id_signed_form")).to_have_class("govuk-form-group govuk-form-group--error")
    assert field.evaluate("input => input.files.length") == 0, "the file is not kept to be sent"
    assert_accessible(page)

    # Sent now, the page carries no file: the answers are checked without one, those of the pages before kept.
    sent = []
    page.on(
        "request",
        lambda request: sent.append(len(request.post_data_buffer or b"")) if request.method == "POST" else None,
    )
    consent_form.continue_on(page)
    consent_form.expect_page(page, consent_form.CHECK)
    assert sent and max(sent) < settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    expect(page.get_by_text(HOW)).to_be_visible()
    expect(page.get_by_text("None uploaded")).to_be_visible()
    page.goto(upload_page)

    # A file within the limit clears the message.
    small = tmp_path / "form.pdf"
    small.write_bytes(b"%PDF-1.4\n%%EOF\n")
    field = page.get_by_label(consent_form.SIGNED_FORM, exact=True)
    field.set_input_files(big)
    expect(page.locator("#id_signed_form_size_error")).to_be_visible()
    field.set_input_files(small)
    expect(page.locator("#id_signed_form_size_error")).to_have_count(0)
    assert field.evaluate("input => input.files.length") == 1
