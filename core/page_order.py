"""The order of pages that branch, one thing a page (CONVENTIONS, GOV.UK's "one thing per page"): which pages
apply to the answers so far, which one comes before, which opens, and where "Continue" goes.

Each flow says in plain Python which of its pages apply to its answers (``consent.pages``,
``exchange.request_pages``, ``exchange.disclosure_pages``); everything about their order follows from that and
is the same for all of them, so it is written once, here. No Django: the rules' modules import it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

CHECK = "check"


@dataclass(frozen=True)
class PageOrder:
    slugs: Sequence[str]  # every page, in the order asked
    applies: Callable[[str, Any], bool]  # whether a page is asked on these answers
    check: str = CHECK  # the "Check your answers" page, after them all

    def applying(self, answers) -> list[str]:
        """The pages asked on these answers, in order."""
        return [slug for slug in self.slugs if self.applies(slug, answers)]

    def previous(self, slug: str, answers) -> str | None:
        """The page before ``slug`` (before the check page: the last that applies), or None for the first."""
        applying = self.applying(answers)
        if slug == self.check:
            return applying[-1]
        before = self.slugs[: list(self.slugs).index(slug)]
        return next((page for page in reversed(before) if page in applying), None)

    def first_to_answer(self, answers, answered: set[str]) -> str:
        """The first page that applies and has not been answered; the check page once every one has."""
        return next((page for page in self.applying(answers) if page not in answered), self.check)

    def reachable(self, slug: str, answers, answered: set[str]) -> bool:
        """A page opens once every page that applies before it is answered; the check page once all are."""
        if slug != self.check and not self.applies(slug, answers):
            return False
        applying = self.applying(answers)
        before = applying if slug == self.check else applying[: applying.index(slug)]
        return all(page in answered for page in before)

    def after_saving(self, slug: str, answers, answered: set[str]) -> str:
        """Where "Continue" goes from a page: the next page that applies and is not yet answered, else the check
        page (so a change made from the check page goes back there, through any page the change made apply)."""
        applying = self.applying(answers)
        later = applying[applying.index(slug) + 1 :] if slug in applying else applying
        return next((page for page in later if page not in answered), self.check)
