"""Recording a consent, one thing a page: which pages are asked, and in what order.

Plain Python, no Django imports. Who answered decides the middle of the
flow: the child's understanding (3.3.15-3.3.17) when the child answered, the
parent's parental responsibility and the family (3.3.18-3.3.19) when an adult
answered for the child, never both. A page that does not apply is not asked,
and what was typed on it before an earlier answer changed is not recorded
(``answers_that_apply``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from consent.capacity import COMPETENCE_CRITERIA
from core.page_order import PageOrder

CHECK = "check"


@dataclass(frozen=True)
class Page:
    slug: str
    title: str
    # The form fields the page asks (their names as the consent form has them).
    fields: tuple[str, ...]


# In the order they are asked; ``pages_that_apply`` leaves out those that do not apply.
PAGES: tuple[Page, ...] = (
    Page("about", "Whose information is this consent about?", ("about",)),
    Page("responder", "Who gave or refused consent?", ("responder",)),
    Page("answer", "Their answer", ("response", "responded_on")),
    Page("how", "How they answered", ("explicitness", "form", "how_signalled")),
    Page(
        "understanding",
        "The child's understanding",
        (
            *(f"criterion_{key}" for key in COMPETENCE_CRITERIA),
            "child_competent",
            "assessed_by",
            "assessed_on",
            "explained_how",
            "language",
            "communication",
            "assessment_notes",
        ),
    ),
    Page(
        "parental-responsibility",
        "Parental responsibility and the family",
        ("family_conflict", "conflict_advice", "non_resident_reason"),
    ),
    Page(
        "scope",
        "What the person was asked to agree to",
        ("scope_information", "scope_purposes", "scope_recipient_kinds", "scope_recipients", "scope_recipient_use"),
    ),
    Page("limits", "Withdrawing and reviewing the consent", ("told_can_withdraw", "review_on")),
    Page("signed-form", "Upload the signed consent form", ("signed_form",)),
)
BY_SLUG = {page.slug: page for page in PAGES}
FIRST = PAGES[0].slug


@dataclass(frozen=True)
class Answers:
    """The answers that decide which pages apply, as the pages before them gave them (None: not yet given)."""

    about_child: bool | None = None
    by_child: bool | None = None
    response: str | None = None
    explicitness: str | None = None
    form: str | None = None

    @classmethod
    def from_typed(cls, typed: Mapping[str, list[str]]) -> Answers:
        """From a draft's typed answers: field name to the values sent, as a form sends them."""

        def one(name: str) -> str | None:
            values = typed.get(name) or [""]
            return values[0] or None

        about, responder = one("about"), one("responder")
        return cls(
            about_child=None if about is None else about == "child",
            by_child=None if responder is None else responder == "child",
            response=one("response"),
            explicitness=one("explicitness"),
            form=one("form"),
        )


def page_applies(slug: str, answers: Answers) -> bool:
    if slug == "responder":
        # Only the child's information is answered for by someone else (3.3.18); an adult answers about their own.
        return answers.about_child is not False
    if slug == "understanding":
        return answers.by_child is True  # 3.3.15-3.3.17: the child's understanding, when the child answered
    if slug == "parental-responsibility":
        # 3.3.18-3.3.19: an adult answering for the child; an adult's answer about their own information is theirs.
        return answers.by_child is False and answers.about_child is True
    if slug == "limits":
        return answers.response == "given"  # 3.3.21-3.3.22: only consent given is withdrawn or reviewed
    if slug == "signed-form":
        return answers.explicitness == "explicit" and answers.form == "written"  # 3.3.12: consent in writing
    return slug in BY_SLUG


# A page not asked because its answer follows from an earlier one: about an adult's own information, that adult
# answered (consent.drafts sets it).
ANSWERED_FOR_YOU = {"responder"}


def fields_that_do_not_apply(answers: Answers) -> set[str]:
    """The fields of the pages that do not apply: never recorded, whatever was typed there before."""
    return {
        name
        for page in PAGES
        if not page_applies(page.slug, answers) and page.slug not in ANSWERED_FOR_YOU
        for name in page.fields
    }


# Their order follows from which apply (core.page_order): the same for every flow of pages.
ORDER = PageOrder(tuple(page.slug for page in PAGES), page_applies, CHECK)
pages_that_apply = ORDER.applying
previous_page = ORDER.previous
first_page_to_answer = ORDER.first_to_answer
is_reachable = ORDER.reachable
after_saving = ORDER.after_saving
