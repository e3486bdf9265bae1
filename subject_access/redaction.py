"""Redaction of a record as it is printed: plain Python, no Django (CONVENTIONS 3, ADR 22).

A record's paper form is HTML made by its own template (the same words as its
page, ADR 20). Here that HTML is read as *pieces* of text, one for each block
the reader sees (a value in a summary list, a paragraph, a list item, a
heading), numbered in the order they are printed and labelled with the term
or heading they come under. A redaction names a piece and the exact words to
take out of it; every place those words occur in that piece is cut.

The words are **removed from the HTML** before it is laid out, not covered:
the text the PDF is made from no longer holds them, so its text layer cannot
either. Where they were, a labelled mark is put instead ("[Redacted: third
party]"). The words are matched as a reader sees them: any run of white space
(a line break included) matches any other, and capitals do not matter. Words
split across an inline element (a name in bold) are found and cut all the
same; a mark separates what is left on either side of it, so that a cut
never joins two fragments into the words it removed.

What paper does not show, or must not here, is left out altogether: the
screen's own parts (``app-no-print``) and a record's tamper check
(``app-tamper-check``), whose hash of the whole record would let anyone test
a guess at the words taken out (ADR 22). Attributes are rebuilt from a short list (class, id, lang, the ARIA
references) and links are unwrapped: a link or a tooltip could otherwise
carry words, or the service's addresses, that nobody reviewed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import escape
from html.parser import HTMLParser

# Elements that start a new piece of text; inline elements (strong, span, a, abbr) do not.
BLOCKS = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "caption",
        "dd",
        "details",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "legend",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "summary",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "ul",
    ]
)
# The pieces that name the pieces after them.
LABELS = frozenset(["caption", "dt", "h1", "h2", "h3", "h4", "h5", "h6", "th"])
KEPT_ATTRIBUTES = frozenset({"class", "id", "lang", "aria-labelledby", "aria-describedby", "aria-hidden", "colspan"})
UNWRAPPED = frozenset({"a"})
RAW_TEXT = frozenset({"script", "style"})
# Elements left out with everything in them.
LEFT_OUT = frozenset({"app-no-print", "app-tamper-check"})
VOID = frozenset(["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"])
# Stands for a mark in a piece's text: white space does not match it, so no cut reaches across a mark.
_MARK = "\x00"


@dataclass
class _Tag:
    name: str
    attrs: list[tuple[str, str | None]]
    end: bool = False
    self_closing: bool = False

    def html(self) -> str:
        if self.name in UNWRAPPED:
            return ""
        if self.end:
            return f"</{self.name}>"
        kept = "".join(
            f' {name}="{escape(value or "", quote=True)}"' for name, value in self.attrs if name in KEPT_ATTRIBUTES
        )
        return f"<{self.name}{kept}>"


@dataclass
class _Text:
    value: str
    raw: bool = False
    removed: set[int] = field(default_factory=set)
    # Marks put before the character at each offset.
    marks: dict[int, list[str]] = field(default_factory=dict)

    def html(self) -> str:
        if self.raw:
            return self.value
        out = []
        for offset, character in enumerate(self.value):
            for mark in self.marks.get(offset, ()):
                out.append(mark_html(mark))
            if offset not in self.removed:
                out.append(escape(character, quote=False))
        return "".join(out)


class _Reader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tokens: list[_Tag | _Text] = []
        self._raw_text = False
        # While an element is left out: its name, and how many of that name are open inside it.
        self._leaving: tuple[str, int] | None = None

    def handle_starttag(self, tag, attrs):
        if self._leaving is not None:
            name, depth = self._leaving
            if tag == name:
                self._leaving = (name, depth + 1)
            return
        classes = set((dict(attrs).get("class") or "").split())
        if classes & LEFT_OUT and tag not in VOID:
            self._leaving = (tag, 1)
            return
        self.tokens.append(_Tag(tag, attrs))
        self._raw_text = tag in RAW_TEXT

    def handle_startendtag(self, tag, attrs):
        if self._leaving is None:
            self.tokens.append(_Tag(tag, attrs, self_closing=True))

    def handle_endtag(self, tag):
        if self._leaving is not None:
            name, depth = self._leaving
            if tag == name:
                self._leaving = (name, depth - 1) if depth > 1 else None
            return
        self.tokens.append(_Tag(tag, [], end=True))
        self._raw_text = False

    def handle_data(self, data):
        if self._leaving is None:
            self.tokens.append(_Text(data, raw=self._raw_text))


def _tokens(html: str) -> list[_Tag | _Text]:
    reader = _Reader()
    reader.feed(html)
    reader.close()
    return reader.tokens


@dataclass(frozen=True)
class Piece:
    """A block of a record's text as it is printed: its number in the record, what it comes under, its words."""

    number: int
    label: str
    text: str
    is_label: bool = False


@dataclass(frozen=True)
class Cut:
    """Take ``words`` out of piece ``piece``, everywhere they occur in it, and put ``mark`` in their place."""

    piece: int
    words: str
    mark: str


@dataclass
class _Span:
    """A piece while it is read: its text tokens, and the block element it is in."""

    block: str | None
    tokens: list[int] = field(default_factory=list)
    breaks: list[int] = field(default_factory=list)


def _spans(tokens: list[_Tag | _Text]) -> list[_Span]:
    """The pieces of the document, as runs of its text tokens (``<br>`` is a space within a piece)."""
    spans, current, block = [], _Span(None), None
    for index, token in enumerate(tokens):
        if isinstance(token, _Tag):
            if token.name in BLOCKS:
                spans.append(current)
                block = None if token.end else token.name
                current = _Span(block)
            elif token.name == "br":
                current.tokens.append(index)
                current.breaks.append(index)
        elif not token.raw:
            current.tokens.append(index)
    spans.append(current)
    return [span for span in spans if _plain(_text_of(tokens, span)[0])]


def _text_of(tokens, span: _Span) -> tuple[str, list[tuple[int, int] | None]]:
    """The piece's text as it stands (cut words left out, marks as separators), and where each character is."""
    text, places = [], []
    for index in span.tokens:
        token = tokens[index]
        if index in span.breaks:
            text.append(" ")
            places.append(None)
            continue
        for offset, character in enumerate(token.value):
            if offset in token.marks:
                text.append(_MARK)
                places.append(None)
            if offset not in token.removed:
                text.append(character)
                places.append((index, offset))
    return "".join(text), places


def _plain(text: str) -> str:
    return " ".join(text.replace(_MARK, " ").split())


def words_pattern(words: str) -> re.Pattern:
    """The words as a reader sees them: any white space for any white space, capitals or not."""
    parts = words.split()
    if not parts:
        raise ValueError("nothing to find")
    return re.compile(r"\s+".join(re.escape(part) for part in parts), re.IGNORECASE)


def occurs_in(words: str, text: str) -> bool:
    return bool(words.split()) and words_pattern(words).search(text) is not None


def pieces(html: str) -> list[Piece]:
    """The pieces of text of a record's HTML, numbered from 1 in the order they are printed."""
    tokens = _tokens(html)
    found, label = [], ""
    for number, span in enumerate(_spans(tokens), start=1):
        text = _plain(_text_of(tokens, span)[0])
        is_label = span.block in LABELS
        found.append(Piece(number=number, label=label if not is_label else "Heading", text=text, is_label=is_label))
        if is_label:
            label = text
    return found


@dataclass
class Redacted:
    html: str
    # Cuts whose words were not found in their piece (the record, or the cut, is not what it was).
    missed: list[Cut]


def redact(html: str, cuts: list[Cut]) -> Redacted:
    """The HTML with each cut's words taken out of its piece, a mark in their place; links unwrapped and
    attributes reduced to the kept few whether or not anything is cut."""
    tokens = _tokens(html)
    spans = _spans(tokens)
    printed = [_text_of(tokens, span)[0] for span in spans]
    missed = []
    for cut in cuts:
        if not 1 <= cut.piece <= len(spans) or not occurs_in(cut.words, printed[cut.piece - 1]):
            # Not in the piece as printed. (Words an earlier cut of the piece took out already are not missed.)
            missed.append(cut)
            continue
        span = spans[cut.piece - 1]
        text, places = _text_of(tokens, span)
        matches = list(words_pattern(cut.words).finditer(text))
        for match in matches:
            cut_places = [place for place in places[match.start() : match.end()] if place is not None]
            first_index, first_offset = cut_places[0]
            tokens[first_index].marks.setdefault(first_offset, []).append(cut.mark)
            for index, offset in cut_places:
                tokens[index].removed.add(offset)
    return Redacted(html="".join(token.html() for token in tokens), missed=missed)


def mark_html(mark: str) -> str:
    return f'<span class="app-redaction">[{escape(mark, quote=False)}]</span>'


def left_in(html: str, words: str) -> bool:
    """Whether ``words`` can still be read in ``html``: in any piece, marks and tags aside."""
    tokens = _tokens(html)
    pattern = words_pattern(words)
    return any(pattern.search(_text_of(tokens, span)[0]) for span in _spans(tokens))
