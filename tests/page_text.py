"""A page's text as a reader sees it, on screen or on paper, for tests that compare text rather than HTML.

Entities are decoded (so escaping does not change what is compared), white
space is collapsed, each block is a line (a summary list's row too: its key,
then its value), and text no sighted reader sees is left out: scripts,
styles, a closed dialog (the time-out warning) and GOV.UK's visually hidden text. ``printed=True`` also leaves out
what the print stylesheet hides (static/css/print.css): ``app-no-print``,
buttons, navigation, the back link, the header's account bar, the footer.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
UNSEEN = {"govuk-visually-hidden"}
NOT_PRINTED = {
    "app-no-print",
    "govuk-skip-link",
    "govuk-service-navigation",
    "govuk-phase-banner",
    "app-account-bar",
    "govuk-button",
    "govuk-back-link",
    "govuk-footer",
    "govuk-summary-list__actions",
    "govuk-summary-card__actions",
}
BREAKS = {"p", "div", "li", "tr", "h1", "h2", "h3", "h4", "br", "section", "dl", "ul", "table"}
# Cells of a line: read with a space between them, whatever the markup puts there.
SPACED = {"dt", "dd", "td", "th"}


class _Reader(HTMLParser):
    def __init__(self, hidden: set[str]):
        super().__init__(convert_charrefs=True)
        self.hidden = hidden
        self.depth = 0  # open elements inside the one being left out; 0 when reading
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in BREAKS:
            self.parts.append("\n")
        elif tag in SPACED:
            self.parts.append(" ")
        if tag in VOID:
            return
        if self.depth:
            self.depth += 1
            return
        classes = set((dict(attrs).get("class") or "").split())
        closed_dialog = tag == "dialog" and "open" not in dict(attrs)
        if tag in ("script", "style", "template") or closed_dialog or classes & self.hidden:
            self.depth = 1

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if self.depth:
            self.depth -= 1
        if tag in BREAKS:
            self.parts.append("\n")
        elif tag in SPACED:
            self.parts.append(" ")

    def handle_data(self, data):
        if not self.depth:
            self.parts.append(data)


def reader_text(html: str, *, printed: bool = False) -> str:
    """The page's visible text, one line per block, spaces collapsed."""
    reader = _Reader(UNSEEN | NOT_PRINTED if printed else UNSEEN)
    reader.feed(html)
    reader.close()
    lines = (re.sub(r"\s+", " ", line).strip() for line in "".join(reader.parts).split("\n"))
    return "\n".join(line for line in lines if line)


def page_text(response, *, printed: bool = False) -> str:
    """The text a reader sees on a page the test client fetched, which must have been shown (200)."""
    assert response.status_code == 200, response.status_code
    return reader_text(response.content.decode(), printed=printed)


def page_line(response) -> str:
    """The page's text as read, on one line: a table's row reads as its cells in turn."""
    return " ".join(reader_text(response.content.decode()).split())
