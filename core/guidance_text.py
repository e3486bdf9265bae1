"""The guidance the service implements, read by paragraph number, to show beside the questions that cite it.

Chapter 3 of the London child protection procedures (``core/sources``, a
copy of the public text, unchanged) numbers its sections ("3.5", a line of
its own, then the section's title) and its paragraphs ("3.5.4", at the start
of a line). Between paragraphs come sub-headings ("Q1", "Establishing the
legality of information sharing"): the last lines before the next number
that do not read as the end of a sentence or a list. Bullets ("·") are
lists, with "-" marking a bullet of the bullet before; section 3.8, the
glossary, is a table of terms.

Plain Python with no Django imports: read once (``chapter_3()``), tested in
tests/core/test_guidance_text.py, shown by ``about.views.guidance`` and linked
from every page that cites a paragraph (``core.templatetags.guidance``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

SOURCE = Path(__file__).parent / "sources" / "london-child-protection-procedures-chapter-3.txt"
TITLE = "London child protection procedures, chapter 3: Information sharing"

_SECTION = re.compile(r"^\s*(3\.\d{1,2})\s*$")
_PARAGRAPH = re.compile(r"^\s*(3\.\d{1,2}\.\d{1,2})(?:\s+(.*))?$")
_NUMBERED = re.compile(r"^(\d{1,2})\.\s+(.*)$")
# A reference as the service writes it: "3.5.4", a range "3.5.2 to 3.5.4" (or
# "3.3.21-3.3.22", or with the en dash of 3.5.8's "3.3.10 - 3.3.29"), or a section "3.8".
_REFERENCE = re.compile(r"^(3\.\d{1,2}(?:\.\d{1,2})?)(?:\s*(?:-|–|to)\s*(3\.\d{1,2}\.\d{1,2}))?$")
# Paragraph references in running text, one or a range, and a run of them
# ("3.5.17, 3.5.18", "3.3.6 to 3.3.8 and 3.5.16 to 3.5.19"); not a number
# inside a longer one (a version "13.3.4.1", "ASVS 3.3.3" is not on any page).
_ONE = r"3\.\d{1,2}\.\d{1,2}(?:\s*(?:-|–|to)\s*3\.\d{1,2}\.\d{1,2})?"
CITED = re.compile(rf"(?<![\w.]){_ONE}(?:(?:,\s*|\s+and\s+){_ONE})*(?!\w|\.\d)")
CITED_ONE = re.compile(_ONE)
# A section cited by name: "section 3.8" (the glossary).
CITED_SECTION = re.compile(r"\bsection (3\.\d{1,2})(?!\d|\.\d)", re.IGNORECASE)


@dataclass(frozen=True)
class Item:
    """A bullet, with the bullets under it (3.3.17's "Does the child have a reasonable understanding of:")."""

    text: str
    under: tuple[str, ...] = ()


@dataclass(frozen=True)
class Term:
    """A term of the glossary (3.8) and what it means."""

    term: str
    definition: str


@dataclass(frozen=True)
class Block:
    """A run of a paragraph: ``text``, or a list (``bullets``, ``numbered``) of ``items``, or ``terms``."""

    kind: str
    text: str = ""
    items: tuple[Item, ...] = ()
    terms: tuple[Term, ...] = ()


@dataclass(frozen=True)
class Paragraph:
    number: str
    section: Section
    heading: str  # the sub-heading it falls under ("Q1: Is there a legitimate purpose ..."), or ""
    blocks: tuple[Block, ...]

    @property
    def text(self) -> str:
        """The paragraph as plain text, a block a line."""
        return "\n".join(_plain(block) for block in self.blocks)


@dataclass(frozen=True, eq=False)
class Section:
    number: str
    title: str
    blocks: tuple[Block, ...] = ()  # what it has outside its paragraphs: the glossary of 3.8
    paragraphs: list[Paragraph] = field(default_factory=list, repr=False)


@dataclass(frozen=True)
class Passage:
    """What a reference points to: one paragraph, a range of them, or a section."""

    reference: str  # as in the page's address: "3.5.4", "3.5.2-3.5.4", "3.8"
    title: str  # "Paragraph 3.5.4", "Paragraphs 3.5.2 to 3.5.4", "Section 3.8: Information sharing glossary"
    paragraphs: tuple[Paragraph, ...]
    section: Section | None = None  # for a section, whose own blocks (the glossary) are shown too


class Guidance:
    def __init__(self, sections: list[Section]):
        self.sections = {section.number: section for section in sections}
        self.paragraphs = {paragraph.number: paragraph for section in sections for paragraph in section.paragraphs}
        self._order = list(self.paragraphs)

    def passage(self, reference: str) -> Passage | None:
        """The paragraph, range or section ``reference`` names, or None if the chapter has no such thing."""
        match = _REFERENCE.match(reference.strip())
        if not match:
            return None
        first, last = match.groups()
        if last is None and first in self.sections:
            section = self.sections[first]
            return Passage(first, f"Section {first}: {section.title}", tuple(section.paragraphs), section=section)
        if first not in self.paragraphs or (last is not None and last not in self.paragraphs):
            return None
        if last is None or last == first:
            return Passage(first, f"Paragraph {first}", (self.paragraphs[first],))
        start, end = self._order.index(first), self._order.index(last)
        if end < start:
            return None
        paragraphs = tuple(self.paragraphs[number] for number in self._order[start : end + 1])
        return Passage(f"{first}-{last}", f"Paragraphs {first} to {last}", paragraphs)

    def knows(self, reference: str) -> bool:
        return self.passage(reference) is not None

    def term(self, name: str) -> Term | None:
        """A term of the glossary (3.8), by its name: "Proportionality", "Secondary disclosure"."""
        for section in self.sections.values():
            for block in section.blocks:
                for term in block.terms:
                    if term.term.casefold() == name.casefold():
                        return term
        return None


def cited(text: str) -> list[str]:
    """The references ``text`` cites, each as a page's address names it: "3.5.4", "3.5.2-3.5.4"."""
    return [address(match[0]) for run in CITED.finditer(text) for match in CITED_ONE.finditer(run[0])]


def address(reference: str) -> str:
    """A reference as in a page's address: "3.5.2 to 3.5.4" and "3.5.2 - 3.5.4" (an en dash) are "3.5.2-3.5.4"."""
    return re.sub(r"\s*(?:-|–|to)\s*", "-", reference.strip())


def spoken(reference: str) -> str:
    """A reference as a reader reads it: "3.3.21-3.3.22" is "3.3.21 to 3.3.22"."""
    return address(reference).replace("-", " to ")


@cache
def chapter_3() -> Guidance:
    """The chapter, read once a process."""
    return parse(SOURCE.read_text(encoding="utf-8"))


def parse(text: str) -> Guidance:
    sections: list[Section] = []
    section: Section | None = None
    heading = ""
    number = ""
    lines: list[str] = []

    def close() -> str:
        """Finish the paragraph being read; return the sub-heading its last lines give the next."""
        body, trailing = _split_heading(lines)
        if section is not None and number:
            section.paragraphs.append(Paragraph(number, section, heading, tuple(_blocks(body))))
        return trailing

    raw = text.splitlines()
    index = 0
    while index < len(raw):
        line = raw[index]
        if match := _SECTION.match(line):
            close()  # the last paragraph of a section: nothing under it but the next section
            index += 1
            while index < len(raw) and not raw[index].strip():
                index += 1
            title = raw[index].strip() if index < len(raw) else ""
            # What stands between the title and the first paragraph: a sub-heading, or 3.8's glossary.
            index += 1
            lead: list[str] = []
            while index < len(raw) and not _SECTION.match(raw[index]) and not _PARAGRAPH.match(raw[index]):
                lead.append(raw[index])
                index += 1
            terms = _terms(lead)
            section = Section(match[1], title, (Block("terms", terms=terms),) if terms else ())
            sections.append(section)
            heading = "" if terms else _heading([line for line in lead if line.strip()])
            number, lines = "", []
            continue
        if match := _PARAGRAPH.match(line):
            trailing = close()
            heading = trailing or heading
            number, lines = match[1], [match[2] or ""]
        else:
            lines.append(line)
        index += 1
    close()
    return Guidance(sections)


def _ends_sentence(line: str) -> bool:
    return line.rstrip("’'\" ").endswith((".", ";", ":", ","))


def _is_list_line(line: str) -> bool:
    return line.startswith(("·", "-")) or bool(_NUMBERED.match(line))


def _split_heading(lines: list[str]) -> tuple[list[str], str]:
    """The paragraph's own lines, and the sub-heading its last lines are (the next paragraph's)."""
    filled = [index for index, line in enumerate(lines) if line.strip()]
    cut = len(lines)
    for position in reversed(range(1, len(filled))):  # a paragraph keeps at least its first line
        line = lines[filled[position]].strip()
        before = lines[filled[position - 1]].strip()
        if _ends_sentence(line) or _is_list_line(line) or ";" in line or before == "-":
            break
        cut = filled[position]
    heading_lines = [line.strip() for line in lines[cut:] if line.strip()]
    return lines[:cut], _heading(heading_lines)


def _heading(lines: list[str]) -> str:
    """Sub-heading lines as one: "Q1" and its question read "Q1: Is there a legitimate purpose ..."."""
    return ": ".join(line.strip() for line in lines)


def _terms(lines: list[str]) -> tuple[Term, ...]:
    """3.8's table: a term and its definition, each a line starting with a tab; the first pair is its header."""
    cells = [line.strip() for line in lines if line.startswith("\t") and line.strip()]
    pairs = [Term(cells[index], cells[index + 1]) for index in range(0, len(cells) - 1, 2)]
    return tuple(pairs[1:])


def _blocks(lines: list[str]) -> Iterator[Block]:
    kind = ""
    items: list[Item] = []
    texts: list[str] = []
    under_next = False

    def flush() -> Iterator[Block]:
        nonlocal kind, items
        if items:
            yield Block(kind, items=tuple(items))
        kind, items = "", []

    for raw in lines:
        line = " ".join(raw.split())
        if not line:
            continue
        if line == ":":  # 3.5.1 and 3.5.4 end their lead-in on a line of its own
            if items:
                items[-1] = Item(items[-1].text + ":", items[-1].under)
            elif texts:
                texts[-1] += ":"
            continue
        if line == "-":
            under_next = True
            continue
        if under_next and items:
            items[-1] = Item(items[-1].text, (*items[-1].under, line))
            under_next = False
            continue
        if line.startswith("·"):
            if kind != "bullets":
                yield from _texts(texts)
                yield from flush()
            kind = "bullets"
            items.append(Item(line.removeprefix("·").strip()))
            continue
        if numbered := _NUMBERED.match(line):
            if kind != "numbered":
                yield from _texts(texts)
                yield from flush()
            kind = "numbered"
            items.append(Item(numbered[2]))
            continue
        yield from flush()
        yield from _texts(texts)
        texts.append(line)
    yield from flush()
    yield from _texts(texts)


def _texts(texts: list[str]) -> Iterator[Block]:
    for text in texts:
        yield Block("text", text=text)
    texts.clear()


def _plain(block: Block) -> str:
    if block.kind == "terms":
        return "\n".join(f"{term.term}: {term.definition}" for term in block.terms)
    if block.items:
        return "\n".join(" ".join((item.text, *item.under)) for item in block.items)
    return block.text
