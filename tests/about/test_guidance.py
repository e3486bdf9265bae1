"""The guidance in the service: a paragraph, a range or a section on a page of its own, and every
paragraph number a page cites a link to it (issue 17, point 9)."""

import re

import pytest
from django.urls import reverse

from audit.models import AccessEvent
from tests.factories import ChildFactory
from tests.page_text import reader_text
from tests.sharing.recorded import complete_draft


def lines_of(client, url: str) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200
    return reader_text(response.content.decode()).splitlines()


def test_a_paragraph_shows_with_its_section_and_heading(practitioner_client):
    lines = lines_of(practitioner_client, reverse("about:guidance", args=["3.5.4"]))
    heading = lines.index("Paragraph 3.5.4")
    assert lines[heading - 1] == "London child protection procedures, chapter 3: Information sharing"
    assert lines[heading + 1 : heading + 4] == [
        "3.5 Key questions to inform decision-making",
        "Establishing the legality of information sharing",
        "3.5.4 In order to comply with the law relating to confidentiality, data protection and human rights "
        "professionals should establish a legitimate purpose for sharing information. They can do so using the "
        "following questions:",
    ]
    assert "Is the request proportionate to the purpose for which disclosure is sought?" in lines
    assert "Read all of section 3.5: Key questions to inform decision-making" in lines


def test_a_range_shows_each_paragraph_under_its_heading(practitioner_client):
    lines = lines_of(practitioner_client, reverse("about:guidance", args=["3.5.2-3.5.4"]))
    assert "Paragraphs 3.5.2 to 3.5.4" in lines
    numbered = [line.split(" ")[0] for line in lines if re.match(r"3\.5\.\d+ ", line)]
    assert numbered == ["3.5.2", "3.5.3", "3.5.4"]
    assert "Q1: Is there a legitimate purpose to share the information?" in lines


def test_the_glossary_lists_its_terms(lead_client):
    lines = lines_of(lead_client, reverse("about:guidance", args=["3.8"]))
    assert "Section 3.8: Information sharing glossary" in lines
    term = lines.index("Secondary disclosure")
    assert lines[term + 1].startswith("Disclosure by the person to whom data has been disclosed to another agency")


@pytest.mark.parametrize("reference", ["3.9.1", "3.5.4-3.5.2", "not-a-paragraph"])
def test_a_paragraph_the_chapter_does_not_have_is_page_not_found(practitioner_client, reference):
    response = practitioner_client.get(reverse("about:guidance", args=[reference]))
    assert response.status_code == 404
    lines = reader_text(response.content.decode()).splitlines()
    assert "Page not found" in lines
    assert "If you typed the web address, check it is correct." in lines


def test_the_contents_list_every_section(practitioner_client):
    lines = lines_of(practitioner_client, reverse("about:guidance_contents"))
    assert "Section 3.1: Introduction" in lines and "Section 3.8: Information sharing glossary" in lines


def test_reading_the_guidance_is_not_a_look_at_a_case_record(practitioner_client):
    before = AccessEvent.objects.count()
    lines_of(practitioner_client, reverse("about:guidance", args=["3.3.17"]))
    assert AccessEvent.objects.count() == before


def test_someone_not_signed_in_is_asked_to_sign_in(client, db):
    response = client.get(reverse("about:guidance", args=["3.5.4"]))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_a_question_page_links_its_paragraphs_and_shows_their_text(practitioner_client, practitioner, agency):
    draft = complete_draft(user=practitioner, child=ChildFactory(agency=agency))
    # Question 1 asks one thing a page, and each page cites the paragraphs behind what it asks.
    response = practitioner_client.get(reverse("sharing:question_page", args=[draft.pk, "purpose", "tests"]))
    html = response.content.decode()
    lines = reader_text(html).splitlines()
    assert "This page follows guidance paragraph 3.5.4." in lines
    assert (
        f'<a class="govuk-link" href="{reverse("about:guidance", args=["3.5.4"])}">guidance paragraph 3.5.4</a>' in html
    )
    # The text itself, in a details component beside the question.
    assert "Read what the guidance says" in lines
    assert any(line.startswith("3.5.4 ") for line in lines)
    # A hint's paragraph number is a link too, and the terms are explained where they are asked.
    assert f'href="{reverse("about:guidance", args=["3.3.6"])}">guidance paragraph 3.3.6</a>' in html
    assert any(line.startswith("Proportionate means a balanced response to the need to safeguard") for line in lines)
    assert any(line.startswith("Secondary disclosure is the recipient passing the information on") for line in lines)

    conclusion = reader_text(
        practitioner_client.get(
            reverse("sharing:question_page", args=[draft.pk, "purpose", "conclusion"])
        ).content.decode()
    ).splitlines()
    assert "This page follows guidance paragraphs 3.5.2 and 3.5.3." in conclusion
    assert any(line.startswith("3.5.3 For professionals who work for a statutory service") for line in conclusion)
    assert f'href="{reverse("about:guidance", args=["3.8"])}"' in html
