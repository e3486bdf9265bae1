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


def pages_that_apply(answers: Answers) -> list[str]:
    return [page.slug for page in PAGES if page_applies(page.slug, answers)]


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


def previous_page(slug: str, answers: Answers) -> str | None:
    """The page before ``slug`` (the check page: the last that applies), or None for the first."""
    applying = pages_that_apply(answers)
    if slug == CHECK:
        return applying[-1]
    before = [page.slug for page in PAGES[: [p.slug for p in PAGES].index(slug)]]
    return next((page for page in reversed(before) if page in applying), None)


def first_page_to_answer(answers: Answers, answered: set[str]) -> str:
    """The first page that applies and has not been answered; the check page once every one has."""
    return next((page for page in pages_that_apply(answers) if page not in answered), CHECK)


def is_reachable(slug: str, answers: Answers, answered: set[str]) -> bool:
    """A page opens once every page that applies before it is answered; the check page once all are."""
    if slug != CHECK and not page_applies(slug, answers):
        return False
    applying = pages_that_apply(answers)
    before = applying if slug == CHECK else applying[: applying.index(slug)]
    return all(page in answered for page in before)


def after_saving(slug: str, answers: Answers, answered: set[str]) -> str:
    """Where "Continue" goes from a page: the next page that applies and is not yet answered, else the check page
    (so a change made from the check page goes back there, through any page the change made apply)."""
    applying = pages_that_apply(answers)
    later = applying[applying.index(slug) + 1 :] if slug in applying else applying
    return next((page for page in later if page not in answered), CHECK)
