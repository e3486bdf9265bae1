"""A signed consent form over the limit, chosen in Chromium: refused next to
the field as soon as it is chosen and never sent, with everything typed kept."""

from urllib.parse import urlsplit

import pytest
from django.conf import settings
from playwright.sync_api import Page, expect

from records.models import Child
from tests.browser import consent_form
from tests.browser.helpers import assert_accessible, sign_in

pytestmark = pytest.mark.usefixtures("demo")

PRACTITIONER = "practitioner@northgate.example"
HOW = "Kelly Turner signed the consent form at the family centre."
TOO_LARGE = "The signed consent form must be smaller than 5 MB"


def test_a_file_over_the_limit_is_refused_when_chosen_and_never_sent(page: Page, tmp_path):
    mia = Child.objects.get(agency__name="Northgate Children's Services", local_reference="NCS-1042")
    sign_in(page, PRACTITIONER)
    page.goto(f"/children/{mia.pk}/consent/add/")
    page.get_by_label(consent_form.HOW, exact=True).fill(HOW)
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
    expect(page.get_by_label(consent_form.HOW, exact=True)).to_have_value(HOW)
    assert_accessible(page)

    # Sent now, the form carries no file: the page answers for the other questions, what was typed kept.
    sent = []
    page.on(
        "request",
        lambda request: sent.append(len(request.post_data_buffer or b"")) if request.method == "POST" else None,
    )
    page.get_by_role("button", name="Record consent").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("There is a problem")
    assert sent and max(sent) < settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    assert urlsplit(page.url).path == f"/children/{mia.pk}/consent/add/"
    expect(page.get_by_label(consent_form.HOW, exact=True)).to_have_value(HOW)

    # A file within the limit clears the message.
    small = tmp_path / "form.pdf"
    small.write_bytes(b"%PDF-1.4\n%%EOF\n")
    field = page.get_by_label(consent_form.SIGNED_FORM, exact=True)
    field.set_input_files(big)
    expect(page.locator("#id_signed_form_size_error")).to_be_visible()
    field.set_input_files(small)
    expect(page.locator("#id_signed_form_size_error")).to_have_count(0)
    assert field.evaluate("input => input.files.length") == 1
