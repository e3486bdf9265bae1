"""``guidance_links``: each paragraph a text cites becomes a link saying where it goes (issue 17, point 9)."""

from django.utils.safestring import mark_safe

from core.forms import paragraphs_as_hints
from core.templatetags.guidance import guidance_links, guidance_links_as_written
from tests.page_text import reader_text


def test_a_paragraph_cited_is_a_link_named_for_where_it_goes():
    html = guidance_links("Verify them by calling back (3.7.4).")
    assert html == (
        'Verify them by calling back (<a class="govuk-link" href="/guidance/3.7.4/">guidance paragraph 3.7.4</a>).'
    )


def test_a_range_is_one_link_read_as_a_range():
    html = guidance_links("Consent (3.3.21-3.3.22)")
    assert 'href="/guidance/3.3.21-3.3.22/">guidance paragraphs 3.3.21 to 3.3.22</a>' in html
    assert reader_text(html) == "Consent (guidance paragraphs 3.3.21 to 3.3.22)"


def test_several_are_each_a_link_named_in_full_for_a_screen_reader():
    html = guidance_links("Seek advice (3.5.17, 3.5.18).")
    assert reader_text(html) == "Seek advice (guidance paragraphs 3.5.17, 3.5.18)."
    assert 'href="/guidance/3.5.18/" aria-label="guidance paragraph 3.5.18">3.5.18</a>' in html


def test_numbers_the_text_already_names_get_no_second_name():
    assert reader_text(guidance_links("See section 3.3.10 – 3.3.29")) == "See section 3.3.10 to 3.3.29"
    assert 'href="/guidance/3.8/" aria-label="guidance section 3.8">section 3.8</a>' in guidance_links(
        "the glossary, section 3.8"
    )


def test_text_is_escaped_and_markup_already_safe_is_left_alone():
    assert guidance_links("<b>3.5.4</b>").startswith("&lt;b&gt;<a ")
    safe = mark_safe('<a href="/elsewhere/">3.5.4</a> <span title="3.5.4">3.5.4</span>')
    html = guidance_links(safe)
    assert html.startswith('<a href="/elsewhere/">3.5.4</a> <span title="3.5.4"><a class="govuk-link"')


def test_a_number_the_chapter_does_not_have_stays_as_it_is():
    assert guidance_links("3.9.1, and version 13.5.4 or 3.5.4.1") == "3.9.1, and version 13.5.4 or 3.5.4.1"


def test_a_choice_offered_has_the_paragraphs_its_label_cites_as_its_hint():
    choices = paragraphs_as_hints(
        [("a", "Caldicott Guardian (3.5.17)"), ("b", "Sent (3.7.6 to 3.7.8)"), ("c", "Secure email (for example)")]
    )
    assert [(choice.value, choice.label, getattr(choice, "hint", "")) for choice in choices] == [
        ("a", "Caldicott Guardian", "3.5.17"),
        ("b", "Sent", "3.7.6 to 3.7.8"),
        ("c", "Secure email (for example)", ""),
    ]
    assert reader_text(guidance_links(choices[0].hint)) == "guidance paragraph 3.5.17"


def test_a_recorded_answer_reads_as_recorded_with_each_paragraph_a_link():
    """A record's words are not changed: each number is linked where it stands, named for a screen reader."""
    html = guidance_links_as_written("Caldicott Guardian (3.5.17)\nsee 3.3.21-3.3.22, not 9.9.9 <b>")
    assert reader_text(html) == "Caldicott Guardian (3.5.17)\nsee 3.3.21-3.3.22, not 9.9.9 <b>"
    assert 'href="/guidance/3.5.17/" aria-label="guidance paragraph 3.5.17">3.5.17</a>' in html
    assert 'aria-label="guidance paragraphs 3.3.21 to 3.3.22">3.3.21-3.3.22</a>' in html
    assert "9.9.9 &lt;b&gt;" in html


def test_the_answers_of_a_record_link_the_paragraphs_they_cite():
    """The lines of a decision's answers (its page, its PDF, the check page, advice) as recorded, linked."""
    from django.template.loader import render_to_string

    html = render_to_string(
        "sharing/includes/answer_lines.html", {"lines": [("From whom?", "Caldicott Guardian (3.5.17)")]}
    )
    assert reader_text(html).split() == ["From", "whom?", "Caldicott", "Guardian", "(3.5.17)"]
    assert 'href="/guidance/3.5.17/" aria-label="guidance paragraph 3.5.17">3.5.17</a>' in html
