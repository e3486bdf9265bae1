"""The records about a person, each as it is printed, gathered for a subject access request (ADR 22).

Each record is rendered by its own app's partial with what its PDF shows
(the same words as its page, ADR 20), then read as pieces of text to redact
(``subject_access.redaction``). The person's own details (the ``records``
app's child or adult, and the people connected to them) come first.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

from django.template.loader import render_to_string
from django.utils import timezone

from advice import selectors as advice_selectors
from consent import selectors as consent_selectors
from exchange import selectors as exchange_selectors
from records.models import Adult, Child, User
from sharing import selectors as sharing_selectors
from subject_access import redaction
from subject_access.models import SubjectAccessRequest

DETAILS = "details"
KINDS = {
    DETAILS: "Details held",
    "decision": "Information-sharing decision",
    "consent": "Consent record",
    "request": "Request for information",
    "disclosure": "Disclosure",
    "advice": "Advice asked about a draft decision",
}


@dataclass
class PaperRecord:
    """One record as it is printed: what kind, which, its title and its HTML before any redaction."""

    kind: str
    id: str
    title: str
    html: str
    when: object = None
    sort_key: tuple = field(default=())

    @cached_property
    def pieces(self) -> list[redaction.Piece]:
        return redaction.pieces(self.html)

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.id}"


def details(person: Child | Adult) -> PaperRecord:
    """The details held about the person: the first of the records ``gather`` finds."""
    if isinstance(person, Child):
        relationships = list(person.relationships.select_related("adult").order_by("adult__family_name"))
    else:
        relationships = list(person.relationships.select_related("child").order_by("child__family_name"))
    html = render_to_string(
        "subject_access/paper/details.html",
        {"person": person, "is_child": isinstance(person, Child), "relationships": relationships},
    )
    return PaperRecord(kind=DETAILS, id=str(person.pk), title=f"Details held about {person.full_name}", html=html)


# Each kind of record: its partial (the same as its page and PDF), and its title and the moment that orders it,
# from what ``<app>.selectors.*_on_paper`` gives for it. Titles name no one: a name in a title could not be
# redacted.
KIND_PAPER: dict[str, tuple[str, Callable[[dict], tuple[str, object]]]] = {
    "decision": (
        "sharing/includes/decision_record.html",
        lambda c: (f"Information-sharing decision of {_day(c['decision'].decided_at)}", c["decision"].decided_at),
    ),
    "consent": (
        "consent/includes/consent_record.html",
        lambda c: (f"Consent record of {c['record'].responded_on:%-d %B %Y}", c["record"].recorded_at),
    ),
    "request": (
        "exchange/includes/request_record.html",
        lambda c: (
            f"Request for information received {_day(c['info_request'].received_at)}",
            c["info_request"].received_at,
        ),
    ),
    "disclosure": (
        "exchange/includes/disclosure_record.html",
        lambda c: (f"Disclosure of {_day(c['disclosure'].disclosed_at)}", c["disclosure"].disclosed_at),
    ),
    "advice": (
        "advice/includes/advice_asked.html",
        lambda c: (f"Advice asked on {_day(c['advice'].asked_at)} about a decision not recorded", c["advice"].asked_at),
    ),
}
SUBJECTS = {"decision": "decision", "consent": "record", "request": "info_request", "disclosure": "disclosure",
            "advice": "advice"}  # fmt: skip


def _day(moment) -> str:
    return f"{timezone.localtime(moment):%-d %B %Y}"


def _printed(kind: str, context: dict) -> PaperRecord:
    template, title_and_when = KIND_PAPER[kind]
    title, when = title_and_when(context)
    record_id = str(context[SUBJECTS[kind]].pk)
    return PaperRecord(
        kind=kind,
        id=record_id,
        title=title,
        # Ids within a record are made unique in the release by the record's kind and id (as in a bundle, ADR 21).
        html=render_to_string(template, {**context, "id_prefix": f"{kind}-{record_id}-"}),
        when=when,
        sort_key=(when, kind),
    )


def _about_child(child: Child) -> dict[str, list[dict]]:
    """Every record about the child, by kind, as on paper: a fixed number of queries however many."""
    return {
        "decision": sharing_selectors.child_decisions_on_paper(child=child),
        "consent": consent_selectors.child_consents_on_paper(child=child),
        "request": exchange_selectors.child_requests_on_paper(child=child),
        "disclosure": exchange_selectors.child_disclosures_on_paper(child=child),
        # Advice about a decision recorded is printed with the decision; that about a draft never recorded, here.
        "advice": [
            context for context in advice_selectors.child_advice_on_paper(child=child) if context["decision_id"] is None
        ],
    }


def _names_adult(kind: str, context: dict, adult: Adult) -> bool:
    """Whether a record of a child connected to the adult is about the adult too."""
    adult_id = str(adult.pk)
    if kind == "decision":
        return any(named.get("id") == adult_id for named in context["decision"].subject.get("adults", []))
    if kind == "consent":
        return adult.pk in (context["record"].about_adult_id, context["record"].responder_id)
    if kind == "request":
        return any(named.pk == adult.pk for named in context["info_request"].adults.all())
    return False


def _about_adult(adult: Adult) -> dict[str, list[dict]]:
    """The records of the children the adult is connected to that name the adult (consents about or given by
    them, decisions and requests naming them), and the disclosures under those decisions."""
    found: dict[str, list[dict]] = {kind: [] for kind in KIND_PAPER}
    for link in adult.relationships.select_related("child").order_by("child__family_name"):
        about_child = _about_child(link.child)
        for kind in ("decision", "consent", "request"):
            found[kind] += [context for context in about_child[kind] if _names_adult(kind, context, adult)]
        decided = {context["decision"].pk for context in found["decision"]}
        found["disclosure"] += [
            context for context in about_child["disclosure"] if context["disclosure"].decision_id in decided
        ]
    return found


def gather(*, subject_access_request: SubjectAccessRequest, user: User) -> list[PaperRecord]:
    """Every record the agency holds about the request's person: their details first, then the records,
    oldest first. The caller has checked that ``user`` may handle the request."""
    person = subject_access_request.person
    by_kind = _about_child(person) if isinstance(person, Child) else _about_adult(person)
    found = [_printed(kind, context) for kind, contexts in by_kind.items() for context in contexts]
    found.sort(key=lambda record: record.sort_key)
    return [details(person), *found]


def record_of(records: list[PaperRecord], *, kind: str, record_id: str) -> PaperRecord | None:
    return next((record for record in records if record.kind == kind and record.id == record_id), None)
