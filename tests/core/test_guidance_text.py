"""The guidance read by paragraph number (core.guidance_text): what a page citing 3.5.4 shows."""

import pytest

from core import guidance_text
from core.guidance_text import chapter_3, cited, parse


@pytest.fixture(scope="module")
def guidance():
    return chapter_3()


def test_every_paragraph_of_the_chapter_is_found_once_in_order(guidance):
    counts = {number: len(section.paragraphs) for number, section in guidance.sections.items()}
    assert counts == {"3.1": 4, "3.2": 4, "3.3": 29, "3.4": 6, "3.5": 21, "3.6": 17, "3.7": 9, "3.8": 0}
    assert list(guidance.paragraphs)[:3] == ["3.1.1", "3.1.2", "3.1.3"]
    assert list(guidance.paragraphs)[-1] == "3.7.9"


def test_a_paragraph_has_its_text_and_the_heading_it_falls_under(guidance):
    passage = guidance.passage("3.5.2")
    assert passage.title == "Paragraph 3.5.2"
    (paragraph,) = passage.paragraphs
    assert paragraph.section.title == "Key questions to inform decision-making"
    assert paragraph.heading == "Q1: Is there a legitimate purpose to share the information?"
    assert paragraph.text.startswith("A professional requested to, or wishing to, share information about a child")


def test_a_heading_is_not_read_as_the_end_of_the_paragraph_before(guidance):
    assert guidance.paragraphs["3.3.9"].text.endswith("a signed and dated entry in the case notes.")
    assert guidance.paragraphs["3.3.10"].heading == (
        "Consent: If the information is confidential, has consent to share been obtained?"
    )
    # A line ending in an address is the paragraph's own, not the next heading.
    assert guidance.paragraphs["3.5.15"].text.endswith("protocolletter.html")
    assert guidance.paragraphs["3.5.16"].heading.startswith("Q6: If consent has been refused")


def test_lists_keep_their_bullets_and_the_bullets_under_them(guidance):
    criteria = guidance.paragraphs["3.3.17"]
    lead_in, bullets = criteria.blocks
    assert lead_in.text.startswith("The following criteria should be considered")
    assert [item.text for item in bullets.items] == [
        "Can the child understand the question being asked of them?",
        "Does the child have a reasonable understanding of:",
        "Can the child:",
    ]
    assert bullets.items[2].under[-1] == (
        "Be reasonably consistent in their view on the matter, or are they constantly changing their mind?"
    )
    questions = guidance.paragraphs["3.5.1"]
    assert questions.blocks[0].text.endswith("eight key questions:")
    assert questions.blocks[1].kind == "numbered" and len(questions.blocks[1].items) == 8


@pytest.mark.parametrize("reference", ["3.5.2-3.5.4", "3.5.2 to 3.5.4", "3.5.2 – 3.5.4"])
def test_a_range_is_every_paragraph_from_the_first_to_the_last(guidance, reference):
    passage = guidance.passage(reference)
    assert passage.reference == "3.5.2-3.5.4"
    assert passage.title == "Paragraphs 3.5.2 to 3.5.4"
    assert [paragraph.number for paragraph in passage.paragraphs] == ["3.5.2", "3.5.3", "3.5.4"]


def test_a_range_may_cross_sections(guidance):
    numbers = [paragraph.number for paragraph in guidance.passage("3.4.6-3.5.1").paragraphs]
    assert numbers == ["3.4.6", "3.5.1"]


def test_a_section_is_all_its_paragraphs_and_the_glossary_its_terms(guidance):
    assert len(guidance.passage("3.7").paragraphs) == 9
    glossary = guidance.passage("3.8")
    assert glossary.title == "Section 3.8: Information sharing glossary"
    assert guidance.term("secondary disclosure").definition.startswith(
        "Disclosure by the person to whom data has been disclosed to another agency or person"
    )
    assert guidance.term("Proportionality").definition.startswith("The key factor in deciding whether or not")
    assert guidance.term("Term") is None  # the table's header is not a term


@pytest.mark.parametrize("reference", ["3.9.1", "3.5.22", "3.5.4-3.5.2", "3.5.4-3.9.1", "4.1.1", "3", "", "3.5.4/"])
def test_what_the_chapter_does_not_have_is_not_found(guidance, reference):
    assert guidance.passage(reference) is None


def test_references_in_running_text_are_found_as_an_address_names_them():
    text = "Consent (3.3.6 to 3.3.8, 3.3.22, 3.3.28) and 3.3.21-3.3.22; not ASVS 13.3.3 or version 3.5.4.1"
    assert cited(text) == ["3.3.6-3.3.8", "3.3.22", "3.3.28", "3.3.21-3.3.22"]


def test_every_paragraph_the_questions_cite_is_in_the_chapter(guidance):
    from sharing.guidance import QUESTIONS

    for question in QUESTIONS:
        references = cited(question.paragraphs)
        assert references, question.paragraphs
        assert all(guidance.knows(reference) for reference in references), question.paragraphs


def test_a_new_edition_is_read_the_same_way():
    text = "3.1\nFirst\n\n3.1.1\nOne.\nA heading\n3.1.2 Two:\n· a;\n· b.\n3.2\nSecond\n3.2.1 Three.\n"
    guidance = parse(text)
    assert guidance.paragraphs["3.1.2"].heading == "A heading"
    assert guidance.paragraphs["3.1.2"].text == "Two:\na;\nb."
    assert guidance.paragraphs["3.2.1"].heading == ""
    assert guidance_text.spoken("3.1.1-3.1.2") == "3.1.1 to 3.1.2"
