"""Recording a disclosure, one thing a page: which pages are asked, in what order, and which answers apply.

Plain Python, no Django imports, like ``consent.pages`` and ``sharing.guidance``: each rule can be read next
to its paragraph of ``shared/guidance/004`` and tested alone. A page that does not apply is not asked, an
answer a page reveals only under one of its choices is asked only then, and what was typed for either
before an earlier answer changed is not recorded (``fields_that_do_not_apply``): one rule says both.

What the decision says, not what is typed, decides the first two pages: the consent the decision relied on
has lapsed (3.3.21-3.3.22), the person who asked was not verified (3.7.4). Then what was disclosed, item by
item (3.7.9), to whom, when, how and through what checks (3.7.4-3.7.8), whether it is passed on and the
limits of the consent told (3.5.20), and whether the child or a parent was told (3.5.19, 3.7.3).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from core.page_order import PageOrder

CHECK = "check"
ITEMS = "items"

# The ways a disclosure is made (exchange.models.Method), each with the checks it asks for (METHOD_CHECKS).
METHODS = ("secure_email", "secure_portal", "phone", "in_person", "letter", "fax")
# Sent through this service to an agency on it (ADR 27): the service is the secure system (3.7.8) and records
# what passed, so no checks are asked; to whom on the service, and for how long they may keep it, are.
THROUGH_THE_SERVICE = "through_the_service"


def checks_field(method: str) -> str:
    """The answer that holds the checks made for ``method``."""
    return f"checks_{method}"


# 3.7.6-3.7.8: where a disclosure was sent, asked of the methods that send it somewhere: the address or number
# to check (3.7.6), the secure system it went through (3.7.8). Said in person or on the telephone, it was
# sent nowhere: 3.7.5 asks for a record of what was said instead, one of its checks.
METHOD_DETAIL_QUESTIONS: dict[str, tuple[str, str, str]] = {
    # The question, its paragraph, and the message when it is left blank.
    "secure_email": (
        "What secure email address was it sent to?",
        "3.7.8",
        "Enter the secure email address it was sent to",
    ),
    "secure_portal": (
        "Which secure system or portal was it sent through?",
        "3.7.8",
        "Enter the secure system or portal it was sent through",
    ),
    "letter": ("What address was it sent to?", "3.7.6", "Enter the address it was sent to"),
    "fax": (
        "What safe-haven fax number was it sent to?",
        "3.7.6 to 3.7.7",
        "Enter the safe-haven fax number it was sent to",
    ),
}


@dataclass(frozen=True)
class Answers:
    """What decides which pages apply: facts of the decision, and the answers given so far (None: not yet)."""

    consent_lapsed: bool = False
    unverified: bool = False
    consent_relied_on: bool = False
    method: str | None = None
    onward_sharing: str | None = None
    informed: str | None = None

    @classmethod
    def from_typed(
        cls, typed: Mapping[str, list[str]], *, consent_lapsed: bool, unverified: bool, consent_relied_on: bool
    ) -> Answers:
        """From a draft's typed answers (field name to the values sent, as a form sends them) and the decision."""

        def one(name: str) -> str | None:
            values = typed.get(name) or [""]
            return values[0] or None

        return cls(
            consent_lapsed=consent_lapsed,
            unverified=unverified,
            consent_relied_on=consent_relied_on,
            method=one("method"),
            onward_sharing=one("onward_sharing"),
            informed=one("informed"),
        )


# The rules, each citing its paragraph.


def asks_why_despite_lapse(answers: Answers) -> bool:
    """3.3.21-3.3.22: the consent the decision relied on was withdrawn, replaced or is past its review: a
    disclosure goes ahead only on another basis, said why."""
    return answers.consent_lapsed


def asks_why_unverified(answers: Answers) -> bool:
    """3.7.4: a requester not already known is verified before anything is divulged; disclosing to one who was
    not needs the reason for going ahead."""
    return answers.unverified


def asks_method_detail(answers: Answers) -> bool:
    """3.7.6-3.7.8: where it was sent, for a method that sends it somewhere (METHOD_DETAIL_QUESTIONS)."""
    return answers.method in METHOD_DETAIL_QUESTIONS


def asks_checks(answers: Answers) -> bool:
    """3.7.4-3.7.8: the checks of the method chosen; none until one is."""
    return answers.method in METHODS


def asks_checks_of(method: str) -> Callable[[Answers], bool]:
    """3.7.4-3.7.8: only the chosen method's checks; another method's ticked before it changed do not apply."""

    def applies(answers: Answers) -> bool:
        return answers.method == method

    return applies


def asks_service_recipient(answers: Answers) -> bool:
    """3.7.8, 3.7.9: sent through this service, to an agency on it (and a person there, or its leads), kept by
    them for as long as the sender says (ADR 27)."""
    return answers.method == THROUGH_THE_SERVICE


def asks_onward_detail(answers: Answers) -> bool:
    """3.5.20: to whom, and why, only if the recipient intends to pass it on."""
    return answers.onward_sharing == "yes"


def asks_consent_limits(answers: Answers) -> bool:
    """3.5.20, 3.3.28: the limits of any consent are told; only consent the disclosure goes under, covering it
    and still standing (sharing.guidance.shares_under_consent), has limits to tell."""
    return answers.consent_relied_on


def asks_when_told(answers: Answers) -> bool:
    """3.5.19, 3.7.3: when they were told, and by whom, only if they were."""
    return answers.informed == "yes"


def asks_why_not_told(answers: Answers) -> bool:
    """3.5.19, 3.7.3: why they were not told, and when to reconsider it, only if they were not."""
    return answers.informed == "no"


@dataclass(frozen=True)
class Page:
    """One page: its name in the address, its title, the answers it asks, the paragraphs it cites.

    ``asked``: whether the page is asked (None: always). ``revealed``: answers the page asks only where their
    rule says so. ``reasked_after``: an earlier page whose changed answer makes this page's answers ones to give
    again (the checks of another method).
    """

    slug: str
    title: str
    fields: tuple[str, ...]
    paragraphs: str
    asked: Callable[[Answers], bool] | None = None
    revealed: tuple[tuple[str, Callable[[Answers], bool]], ...] = ()
    reasked_after: tuple[str, ...] = ()


PAGES: tuple[Page, ...] = (
    Page(
        "consent-lapsed",
        "The consent no longer stands",
        ("consent_lapsed_reason",),
        "3.3.21 to 3.3.22",
        asked=asks_why_despite_lapse,
    ),
    Page(
        "unverified",
        "The requester has not been verified",
        ("unverified_override",),
        "3.7.4",
        asked=asks_why_unverified,
    ),
    # The items are a list kept beside the typed answers, added and changed a page each ("add another").
    Page(ITEMS, "What was disclosed", (), "3.5.20 and 3.7.9"),
    Page("recipient", "Who was it disclosed to?", ("recipient_name", "recipient_role", "recipient_agency"), "3.7.9"),
    Page("when", "When was it disclosed?", ("disclosed_on", "disclosed_time"), "3.7.9"),
    Page("method", "How was it disclosed?", ("method",), "3.7.5 to 3.7.8"),
    Page(
        "method-detail",
        "Where it was sent",
        ("method_detail",),
        "3.7.6 to 3.7.8",
        asked=asks_method_detail,
        reasked_after=("method",),
    ),
    Page(
        "checks",
        "The checks made",
        tuple(checks_field(method) for method in METHODS),
        "3.7.4 to 3.7.8",
        asked=asks_checks,
        revealed=tuple((checks_field(method), asks_checks_of(method)) for method in METHODS),
        reasked_after=("method",),
    ),
    Page(
        "send-to",
        "Which agency on this service to send it to",
        ("send_to_agency",),
        "3.7.8 and 3.7.9",
        asked=asks_service_recipient,
    ),
    Page(
        "send-to-person",
        "Who at that agency to send it to",
        ("send_to_person",),
        "3.7.9",
        asked=asks_service_recipient,
        reasked_after=("send-to",),
    ),
    Page(
        "keep-until",
        "How long they may keep it",
        ("keep_until",),
        "3.5.20",
        asked=asks_service_recipient,
    ),
    Page(
        "onward",
        "Passing it on",
        ("onward_sharing", "onward_detail"),
        "3.5.20",
        revealed=(("onward_detail", asks_onward_detail),),
    ),
    Page(
        "consent-limits",
        "The limits of the consent",
        ("consent_limits_told",),
        "3.5.20",
        asked=asks_consent_limits,
    ),
    Page(
        "told",
        "Telling the child or a parent",
        ("informed", "informed_on", "informed_by", "not_informed_reason", "reconsider_on"),
        "3.5.19 and 3.7.3",
        revealed=(
            ("informed_on", asks_when_told),
            ("informed_by", asks_when_told),
            ("not_informed_reason", asks_why_not_told),
            ("reconsider_on", asks_why_not_told),
        ),
    ),
)
BY_SLUG = {page.slug: page for page in PAGES}


def page_applies(slug: str, answers: Answers) -> bool:
    page = BY_SLUG[slug]
    return page.asked is None or page.asked(answers)


def fields_asked_on(slug: str, answers: Answers) -> list[str]:
    """The answers a page asks on these answers: none if it is not asked, else its own but those it reveals
    only where their rule does not call for them."""
    if not page_applies(slug, answers):
        return []
    page = BY_SLUG[slug]
    hidden = {name for name, applies in page.revealed if not applies(answers)}
    return [name for name in page.fields if name not in hidden]


def fields_that_do_not_apply(answers: Answers) -> set[str]:
    """The answers no page asks on these answers: never recorded, whatever was typed for them before."""
    return {name for page in PAGES for name in page.fields if name not in fields_asked_on(page.slug, answers)}


def pages_reasked(changed: str) -> list[str]:
    """The pages whose answers are to give again once the answer on page ``changed`` changes."""
    return [page.slug for page in PAGES if changed in page.reasked_after]


# Their order follows from which apply (core.page_order): the same for every flow of pages.
ORDER = PageOrder(tuple(page.slug for page in PAGES), page_applies, CHECK)
pages_that_apply = ORDER.applying
previous_page = ORDER.previous
first_page_to_answer = ORDER.first_to_answer
is_reachable = ORDER.reachable
after_saving = ORDER.after_saving
