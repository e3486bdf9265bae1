"""Paragraph numbers of the guidance as links to the paragraph, shown in the service.

``{{ text|guidance_links }}`` turns each paragraph the text cites ("(3.5.4)",
"3.5.2 to 3.5.4", "3.5.17, 3.5.18") into a link to its page, saying where it
goes: "(guidance paragraph 3.5.4)", "guidance paragraphs 3.5.17, 3.5.18";
and a section cited by name, "section 3.8", into a link to the section.
Text already marked safe (a hint, a block through ``{% filter %}``) is read
as HTML: only its text is changed, never a tag or an existing link; anything
else is escaped first. A number the chapter does not have is left as it is.

``{% guidance_passages "3.5.2 to 3.5.4" as passages %}`` gives what a
reference names, to show the paragraphs themselves
(``core/includes/guidance_paragraphs.html``).
"""

from __future__ import annotations

import re

from django import template
from django.urls import reverse
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeData, mark_safe

from core import guidance_text

register = template.Library()

# A tag, or a whole link (whose text is left alone).
_MARKUP = re.compile(r"(<a\b.*?</a>|<[^>]*>)", re.DOTALL | re.IGNORECASE)
# Words before a run that already say what the numbers are.
_NAMED = re.compile(r"(?:paragraphs?|section)\s*$", re.IGNORECASE)


def guidance_url(reference: str) -> str:
    return reverse("about:guidance", args=[guidance_text.address(reference)])


def _link(reference: str, text: str, name: str = "") -> str:
    """A link to the paragraph; ``name`` is what a screen reader's list of links calls it, when ``text`` alone
    ("3.5.18") would not say where it goes. (Not a visually hidden span: one at the start of a link moved the
    text from under the pointer between pressing and releasing, and the click was lost.)"""
    if name:
        return format_html(
            '<a class="govuk-link" href="{}" aria-label="{}">{}</a>', guidance_url(reference), name, text
        )
    return format_html('<a class="govuk-link" href="{}">{}</a>', guidance_url(reference), text)


def _linked_run(run: re.Match, before: str) -> str:
    guidance = guidance_text.chapter_3()
    references = list(guidance_text.CITED_ONE.finditer(run[0]))
    if not all(guidance.knows(reference[0]) for reference in references):
        return run[0]
    named = bool(_NAMED.search(before))
    if len(references) == 1 and not named:
        reference = references[0][0]
        spoken = guidance_text.spoken(reference)
        noun = "paragraphs" if "to" in spoken else "paragraph"
        return _link(reference, f"guidance {noun} {spoken}")
    # Several, or numbers the text already names: the link is the number, read with what it is.
    parts, position = [], 0
    for reference in references:
        parts.append(run[0][position : reference.start()])
        spoken = guidance_text.spoken(reference[0])
        parts.append(_link(reference[0], spoken, "" if named else f"guidance paragraph {spoken}"))
        position = reference.end()
    parts.append(run[0][position:])
    return ("" if named else "guidance paragraphs ") + "".join(parts)


def _linked_sections(text: str) -> str:
    def linked(section: re.Match) -> str:
        if not guidance_text.chapter_3().knows(section[1]):
            return section[0]
        return _link(section[1], section[0], f"guidance {section[0]}")

    return guidance_text.CITED_SECTION.sub(linked, text)


def _linked_as_written(run: re.Match, before: str) -> str:
    # Each number linked as it stands, its link named for a screen reader; not one word added to the text.
    guidance = guidance_text.chapter_3()
    references = list(guidance_text.CITED_ONE.finditer(run[0]))
    if not all(guidance.knows(reference[0]) for reference in references):
        return run[0]
    parts, position = [], 0
    for reference in references:
        parts.append(run[0][position : reference.start()])
        spoken = guidance_text.spoken(reference[0])
        noun = "paragraphs" if " to " in spoken else "paragraph"
        parts.append(_link(reference[0], reference[0], f"guidance {noun} {spoken}"))
        position = reference.end()
    parts.append(run[0][position:])
    return "".join(parts)


def _linked_text(text: str, *, as_written: bool = False) -> str:
    out, position = [], 0
    for run in guidance_text.CITED.finditer(text):
        out.append(text[position : run.start()] if as_written else _linked_sections(text[position : run.start()]))
        out.append((_linked_as_written if as_written else _linked_run)(run, text[: run.start()]))
        position = run.end()
    out.append(text[position:] if as_written else _linked_sections(text[position:]))
    return "".join(out)


def _linked(value, *, as_written: bool) -> str:
    if value in (None, ""):
        return ""
    html = str(value) if isinstance(value, SafeData) else str(conditional_escape(value))
    pieces = _MARKUP.split(html)
    # Odd pieces are markup; text is linked with what came before it in the same text for "paragraph 3.5.4".
    # Escaped above (or already safe), and the links are made by format_html.
    return mark_safe(  # noqa: S308  # nosec B308 B703
        "".join(
            piece if index % 2 else _linked_text(piece, as_written=as_written) for index, piece in enumerate(pieces)
        )
    )


@register.filter(is_safe=True)
def guidance_links(value) -> str:
    """``value`` with each paragraph it cites linked to the paragraph's page."""
    return _linked(value, as_written=False)


@register.filter(is_safe=True)
def guidance_links_as_written(value) -> str:
    """``value``, a record's words as they were written, with each paragraph number it cites linked and not one
    word changed (the link is named "guidance paragraph 3.5.17" for a screen reader): a recorded answer reads
    as it was recorded."""
    return _linked(value, as_written=True)


@register.simple_tag
def guidance_passages(references: str) -> list[guidance_text.Passage]:
    """The paragraphs ``references`` cites ("3.3.2 and 3.5.6 to 3.5.7"), a passage a reference."""
    guidance = guidance_text.chapter_3()
    passages = (guidance.passage(reference) for reference in guidance_text.cited(references))
    return [passage for passage in passages if passage is not None]


@register.simple_tag
def guidance_term(name: str) -> guidance_text.Term | None:
    """A term of the glossary (3.8): ``{% guidance_term "Proportionality" as term %}``."""
    return guidance_text.chapter_3().term(name)


@register.filter
def passage_of(printed_guidance, answer):
    """Where a bundle printed the guidance shown with ``answer``, once for every decision that showed it
    (``{answer's pk: passage}``, bundles.selectors); None where the answer prints its own."""
    return printed_guidance.get(answer.pk) if printed_guidance else None
