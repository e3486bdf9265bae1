"""A request for information sent through this service to another agency on it (issue 19, ADR 26): which
pages the person asking answers, and what they are told of where it stands.

Plain Python, no Django imports. The questions are those a requester must explain (000, 3.7.1): what is
needed, why, what it will be used for, who else will be told; the category of a request to the police is
asked when the agency asked is a police force (3.6.9, ``request_pages.police_category_asked``: the police's
test of what they may supply). The agency asking sees where its request stands and the answer, never the
records of the agency asked (ADR 26).
"""

from __future__ import annotations

from dataclasses import dataclass

from core.page_order import PageOrder
from exchange import request_pages
from exchange.request_pages import Page, police_category_asked

CHECK = "check"

PAGES: tuple[Page, ...] = (
    Page("agency", "Which agency are you asking?", ("to_agency",)),
    Page("information", "What information do you need?", ("information_needed",)),
    Page("reason", "Why do you need it, and what will you do with it?", ("reason", "intended_use")),
    Page("others", "Who else will be told?", ("others_to_tell",)),
    # Asked as a request logged by hand asks them (exchange.request_pages).
    request_pages.BY_SLUG["risk"],
    request_pages.BY_SLUG["police-category"],
)
BY_SLUG = {page.slug: page for page in PAGES}
FIRST = PAGES[0].slug


@dataclass(frozen=True)
class Answers:
    # The agency chosen to ask is a police force.
    asked_agency_is_police: bool = False


def page_applies(slug: str, answers: Answers) -> bool:
    if slug == "police-category":
        return police_category_asked(asked_agency_is_police=answers.asked_agency_is_police)
    return slug in BY_SLUG


def fields_that_do_not_apply(answers: Answers) -> set[str]:
    return {name for page in PAGES if not page_applies(page.slug, answers) for name in page.fields}


ORDER = PageOrder(tuple(page.slug for page in PAGES), page_applies, CHECK)
pages_that_apply = ORDER.applying
previous_page = ORDER.previous
first_page_to_answer = ORDER.first_to_answer
is_reachable = ORDER.reachable
after_saving = ORDER.after_saving


# Where a sent request stands, as the agency asking is told it.
SENT = "sent"
NOT_KNOWN = "not_known"
BEING_CONSIDERED = "being_considered"
SHARED = "shared"
SHARED_IN_PART = "shared_in_part"
NOT_SHARED = "not_shared"
DECLINED = "declined"
WITHDRAWN = "withdrawn"

STANDING_LABELS = {
    SENT: "Sent, not yet matched to a child",
    NOT_KNOWN: "Not a child they know",
    BEING_CONSIDERED: "Being considered",
    SHARED: "Decided to share",
    SHARED_IN_PART: "Decided to share some of the information",
    NOT_SHARED: "Decided not to share",
    DECLINED: "Declined",
    WITHDRAWN: "Withdrawn",
}


def standing(*, matched: bool | None, outcome: str = "", decision_outcome: str = "") -> str:
    """Where a sent request stands for the agency asking: sent; not a child the agency asked knows
    (``matched`` False); matched and being considered; or what the agency asked recorded: its decision's
    outcome (share, share in part, do not share: ``sharing.guidance.Outcome``), declined or withdrawn
    (``exchange.verification`` outcomes). Nothing else of the agency asked's records is said."""
    if matched is None:
        return SENT
    if not matched:
        return NOT_KNOWN
    if not outcome or outcome == "open":
        return BEING_CONSIDERED
    if outcome == "decided":
        return {"share": SHARED, "share_in_part": SHARED_IN_PART}.get(decision_outcome, NOT_SHARED)
    return DECLINED if outcome == "declined" else WITHDRAWN
