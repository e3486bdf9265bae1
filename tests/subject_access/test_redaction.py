"""Words taken out of a record's printed HTML, as a reader would look for them (plain Python, no Django)."""

import pytest

from subject_access.redaction import Cut, left_in, pieces, redact

RECORD = """
<dl class="govuk-summary-list">
  <div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">About</dt>
  <dd class="govuk-summary-list__value">Ellie Hughes, born 3 May 2019<br>Dan Hughes (father)</dd></div>
  <div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Reasons</dt>
  <dd class="govuk-summary-list__value">Her aunt <strong>Maria</strong> Lopez said the father drinks &amp; shouts.<br>
  Maria asked us not to say it came from her.</dd></div>
</dl>
<p class="govuk-body"><a class="govuk-link" href="/disclosures/1/">To Sam Patel, Northgate School</a></p>
<details class="govuk-details app-tamper-check"><summary>Tamper check</summary><p>SHA-256 abc123</p></details>
"""


def test_a_record_reads_as_numbered_pieces_under_their_terms():
    found = [(piece.number, piece.label, piece.text) for piece in pieces(RECORD)]
    assert found == [
        (1, "Heading", "About"),
        (2, "About", "Ellie Hughes, born 3 May 2019 Dan Hughes (father)"),
        (3, "Heading", "Reasons"),
        (
            4,
            "Reasons",
            "Her aunt Maria Lopez said the father drinks & shouts. Maria asked us not to say it came from her.",
        ),
        (5, "Reasons", "To Sam Patel, Northgate School"),
    ]


def test_words_are_cut_from_their_piece_only_with_a_mark_in_their_place():
    redacted = redact(RECORD, [Cut(piece=4, words="Maria", mark="Redacted: third party")])
    assert redacted.missed == []
    texts = [piece.text for piece in pieces(redacted.html)]
    assert texts[3] == (
        "Her aunt [Redacted: third party] Lopez said the father drinks & shouts. "
        "[Redacted: third party] asked us not to say it came from her."
    )
    assert not left_in(redacted.html, "Maria")


def test_words_split_by_markup_and_lines_are_found_whatever_their_capitals():
    redacted = redact(RECORD, [Cut(piece=4, words="aunt maria\n lopez", mark="Redacted: third party")])
    assert "Her [Redacted: third party] said the father" in pieces(redacted.html)[3].text
    assert "Lopez" not in redacted.html and "aunt" not in redacted.html


def test_a_cut_across_a_line_break_keeps_the_break():
    redacted = redact(RECORD, [Cut(piece=2, words="2019 Dan Hughes", mark="Redacted: third party")])
    assert "Dan" not in redacted.html
    assert "<br>" in redacted.html
    assert pieces(redacted.html)[1].text == "Ellie Hughes, born 3 May [Redacted: third party] (father)"


def test_what_is_left_either_side_of_a_mark_never_joins_into_the_words_cut():
    html = "<p>MarMariaia</p>"
    redacted = redact(html, [Cut(piece=1, words="Maria", mark="Redacted: other exemption")])
    assert pieces(redacted.html)[0].text == "Mar[Redacted: other exemption]ia"
    assert not left_in(redacted.html, "Maria")


def test_words_not_in_the_piece_are_missed_not_cut_elsewhere():
    redacted = redact(RECORD, [Cut(piece=2, words="Maria", mark="Redacted: third party")])
    assert [cut.piece for cut in redacted.missed] == [2]
    assert "Maria" in redacted.html


def test_links_are_unwrapped_and_the_tamper_check_left_out():
    redacted = redact(RECORD, [])
    assert "href" not in redacted.html and "/disclosures/" not in redacted.html
    assert "To Sam Patel, Northgate School" in redacted.html
    assert "Tamper check" not in redacted.html and "abc123" not in redacted.html


def test_text_is_escaped_again_and_attributes_kept_only_from_the_short_list():
    html = '<p class="govuk-body" title="Maria said" onclick="x()">1 &lt; 2 &amp; <b>bold</b></p>'
    redacted = redact(html, [])
    assert redacted.html == '<p class="govuk-body">1 &lt; 2 &amp; <b>bold</b></p>'


@pytest.mark.parametrize("words", ["", "   "])
def test_no_words_cut_nothing(words):
    assert redact("<p>Maria</p>", [Cut(piece=1, words=words, mark="Redacted: other exemption")]).missed
