"""Logging a request for information, one thing a page: which pages are asked, and in what order.

Plain Python, no Django imports. What a requester must explain, and what the
agency asked must record, comes from 3.7.1, 3.7.4 and 3.7.9 (and the NHS
guidance's list: what they need, why, what they will do with it, who else
needs to know). Two pages are asked only when they apply: the category of a
request made to the police (3.6.9-3.6.10), and the adults the request also
concerns, when the child has adults linked to choose from (3.7.9). A page that
does not apply is not asked, and what was typed on it before is not recorded
(``fields_that_do_not_apply``). A correction of a logged request reuses the
same pages from its check page.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.page_order import PageOrder

CHECK = "check"


@dataclass(frozen=True)
class Page:
    slug: str
    title: str
    # The form fields the page asks (their names as exchange.forms.RequestForm has them).
    fields: tuple[str, ...]


# In the order they are asked; ``pages_that_apply`` leaves out those that do not apply.
PAGES: tuple[Page, ...] = (
    Page(
        "requester",
        "Who is asking?",
        ("requester_name", "requester_role", "requester_agency", "requester_agency_kind", "requester_contact"),
    ),
    Page("received", "How and when did the request come in?", ("channel", "received_on", "received_time")),
    Page("known", "Do you already know this person in their professional role?", ("requester_known",)),
    Page("information", "What information do they need?", ("information_needed",)),
    Page("reason", "Why do they need it, and what will they do with it?", ("reason", "intended_use")),
    Page("others", "Who else needs to be told if concerns about the child persist?", ("others_to_tell",)),
    Page("risk", "What is the perceived level of risk of harm at this time?", ("risk_level",)),
    Page("police-category", "Which category of request is this?", ("police_category",)),
    Page("adults", "Does the request also concern any of these adults?", ("adults",)),
)
BY_SLUG = {page.slug: page for page in PAGES}
FIRST = PAGES[0].slug


@dataclass(frozen=True)
class Answers:
    """What decides which pages apply: who was asked and whom the child is linked to, not anything typed."""

    # The agency asked (the one logging the request) is a police force.
    asked_agency_is_police: bool = False
    # The child has adults linked to them (parents, carers) that the request may also concern.
    adults_linked: bool = False


def police_category_asked(*, asked_agency_is_police: bool) -> bool:
    """3.6.9: the police can lawfully answer only the categories listed; any other request is declined (3.6.10).
    The category is asked of a request made to a police force, and of no other: it is the police's test of what
    they may supply, not the requester's."""
    return asked_agency_is_police


def adults_asked(*, adults_linked: bool) -> bool:
    """3.7.9: a request is recorded in the child's file, or in the file of the adult who is a parent; which adults
    it also concerns is asked only when the child has adults linked to choose from."""
    return adults_linked


def page_applies(slug: str, answers: Answers) -> bool:
    if slug == "police-category":
        return police_category_asked(asked_agency_is_police=answers.asked_agency_is_police)
    if slug == "adults":
        return adults_asked(adults_linked=answers.adults_linked)
    return slug in BY_SLUG


def fields_that_do_not_apply(answers: Answers) -> set[str]:
    """The fields of the pages that do not apply: never recorded, whatever was typed there before."""
    return {name for page in PAGES if not page_applies(page.slug, answers) for name in page.fields}


# Their order follows from which apply (core.page_order): the same for every flow of pages.
ORDER = PageOrder(tuple(page.slug for page in PAGES), page_applies, CHECK)
pages_that_apply = ORDER.applying
previous_page = ORDER.previous
first_page_to_answer = ORDER.first_to_answer
is_reachable = ORDER.reachable
after_saving = ORDER.after_saving
