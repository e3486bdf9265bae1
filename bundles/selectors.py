"""Reads for bundles: what goes into one, and the bundles already made (docs/adr/0021-court-bundles.md)."""

from __future__ import annotations

import string
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime

from django.http import Http404
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format

from advice import selectors as advice_selectors
from bundles.models import Bundle, BundleOrder, Kind
from consent import selectors as consent_selectors
from exchange import selectors as exchange_selectors
from ledger import history, receipts
from ledger.files import kept_file_as_recorded
from oversight import chronology
from records.models import Child, User
from records.roles import Permission
from sharing import selectors as sharing_selectors

# The chronology's kinds of entry for each kind of record a bundle holds.
CHRONOLOGY_KINDS = {
    Kind.DECISIONS: {"decision", "addendum", "review"},
    Kind.CONSENTS: {"consent"},
    Kind.REQUESTS: {"request", "verification", "outcome"},
    Kind.DISCLOSURES: {"disclosure", "follow_up"},
    Kind.ADVICE: {"advice_asked", "advice_given"},
}


@dataclass(frozen=True)
class Logged:
    """One record's entry in the log, as the bundle's last pages list it."""

    what: str
    kind: str
    record_id: str
    position: int | None
    sha256: str

    def as_contents(self) -> dict:
        return {"kind": self.kind, "id": self.record_id, "position": self.position, "sha256": self.sha256}


@dataclass
class Printed:
    """One record as the bundle prints it: its anchor (for the contents' page numbers), title and words."""

    anchor: str
    title: str
    html: str
    logged: list[Logged] = field(default_factory=list)


@dataclass
class Section:
    kind: Kind
    anchor: str
    records: list[Printed]

    @property
    def title(self) -> str:
        return Kind(self.kind).label


@dataclass(frozen=True)
class GuidancePassage:
    """Guidance the service showed with a question, printed once in a bundle however many of its decisions
    showed it: each question that showed it names it by its label ("4", or "4a" and "4b" where question 4
    showed other guidance in other decisions)."""

    label: str
    anchor: str
    question_number: int
    question_wording: str
    paragraphs: str
    notes: tuple[tuple[str, str], ...]  # (paragraph, text), as the answer recorded them


@dataclass
class Contents:
    """What a bundle holds: the chronology, then each kind of record in full, in the order of ``Kind``, then
    the guidance its decisions showed, once."""

    events: list[chronology.ChronologyEvent]
    sections: list[Section]
    guidance: list[GuidancePassage] = field(default_factory=list)

    @property
    def logged(self) -> list[Logged]:
        return [logged for section in self.sections for printed in section.records for logged in printed.logged]


def _logged(what: str, record, standing: receipts.Standing | None) -> Logged:
    return Logged(
        what=what,
        kind=standing.kind if standing else record.ledger_kind,
        record_id=standing.record_id if standing else record.ledger_record_id,
        position=standing.position if standing else None,
        sha256=standing.content_sha256 if standing else "",
    )


def _day(moment: date | datetime) -> str:
    """The day, in the service's time zone for a moment."""
    return date_format(timezone.localtime(moment) if isinstance(moment, datetime) else moment, "j F Y")


class _Printer:
    """Renders each record's partial, numbering the records for the contents page's links, and keeps the
    guidance passages its decisions showed."""

    def __init__(self):
        self.count = 0
        self.guidance: list[GuidancePassage] = []

    def __call__(self, template: str, context: dict, *, title: str, logged: list[Logged]) -> Printed:
        self.count += 1
        anchor = f"bundle-record-{self.count}"
        # Rendered, hence escaped, by the record's own partial: safe to place in the bundle as it is.
        # The bundle's cover says once how to check a receipt, rather than each of hundreds of records (ADR 21).
        # Ids within a record are made unique in the bundle by the record's anchor.
        html = render_to_string(
            template,
            {**context, "anchor": anchor, "id_prefix": f"{anchor}-", "title": title, "checked_as_the_cover_says": True},
        )
        return Printed(anchor=anchor, title=title, html=html, logged=logged)


def _letters(count: int) -> str:
    """a, b, ... z, aa, ab, ...: the ``count``th (from 1)."""
    letters = ""
    while count:
        count, rest = divmod(count - 1, 26)
        letters = string.ascii_lowercase[rest] + letters
    return letters


def _guidance_printed_once(contexts: list[dict]) -> tuple[list[GuidancePassage], dict]:
    """Each different guidance the decisions' questions showed, in the order of the questions, and
    ``{answer's pk: its passage}``: the same words are printed once, not with every decision (ADR 21)."""
    shown: dict[tuple, list] = {}
    for context in contexts:
        for answer in context["answers"]:
            if answer.guidance_shown:
                notes = tuple((paragraph, text) for paragraph, text in answer.guidance_shown)
                key = (answer.question_number, answer.question_wording, answer.paragraphs, notes)
                shown.setdefault(key, []).append(answer.pk)
    per_question = Counter(number for number, *_ in shown)
    passages, printed_as, lettered = [], {}, {}
    for key in sorted(shown, key=lambda key: key[0]):
        number, wording, paragraphs, notes = key
        label = str(number)
        if per_question[number] > 1:
            lettered[number] = lettered.get(number, 0) + 1
            label += _letters(lettered[number])
        passage = GuidancePassage(label, f"bundle-guidance-{label}", number, wording, paragraphs, notes)
        passages.append(passage)
        printed_as.update(dict.fromkeys(shown[key], passage))
    return passages, printed_as


def _decisions(print_one: _Printer, child: Child, start: date | None, end: date | None) -> list[Printed]:
    printed = []
    contexts = sharing_selectors.child_decisions_on_paper(child=child, start=start, end=end)
    print_one.guidance, printed_guidance = _guidance_printed_once(contexts)
    for context in contexts:
        context["printed_guidance"] = printed_guidance
        decision, standings = context["decision"], context["standings"]
        logged = [_logged("Decision", decision, standings.get(decision.ledger_record_id))]
        logged += [_logged("Review", review, standings.get(review.ledger_record_id)) for review in context["reviews"]]
        logged += [
            _logged("Addendum", addendum, standings.get(addendum.ledger_record_id)) for addendum in context["addenda"]
        ]
        title = f"Decision of {_day(decision.decided_at)}: {decision.get_outcome_display().lower()}"
        printed.append(print_one("bundles/records/decision.html", context, title=title, logged=logged))
    return printed


def _consents(print_one: _Printer, child: Child, start: date | None, end: date | None) -> list[Printed]:
    printed = []
    for context in consent_selectors.child_consents_on_paper(child=child, start=start, end=end):
        record = context["record"]
        title = (
            f"Consent {record.get_response_display().lower()} by {record.responder_name}, {_day(record.responded_on)}"
        )
        logged = [_logged("Consent record", record, context["ledger_standing"])]
        printed.append(print_one("bundles/records/consent.html", context, title=title, logged=logged))
    return printed


def _requests(print_one: _Printer, child: Child, start: date | None, end: date | None) -> list[Printed]:
    printed = []
    for context in exchange_selectors.child_requests_on_paper(child=child, start=start, end=end):
        info_request = context["info_request"]
        standing = context["request_standing"]
        logged = [
            Logged(
                what="Request, as last changed",
                kind=standing.kind if standing else history.PREFIX + "exchange.historicalinformationrequest",
                record_id=standing.record_id if standing else str(info_request.pk),
                position=standing.position if standing else None,
                sha256=standing.content_sha256 if standing else "",
            )
        ]
        outcome = getattr(info_request, "outcome", None)
        if outcome is not None:
            logged.append(_logged("Request outcome", outcome, context["outcome_standing"]))
        title = (
            f"Request {info_request.reference} from {info_request.requester_agency}, {_day(info_request.received_at)}"
        )
        printed.append(print_one("bundles/records/request.html", context, title=title, logged=logged))
    return printed


def _disclosures(print_one: _Printer, child: Child, start: date | None, end: date | None) -> list[Printed]:
    printed = []
    for context in exchange_selectors.child_disclosures_on_paper(child=child, start=start, end=end):
        disclosure, standings = context["disclosure"], context["standings"]
        logged = [_logged("Disclosure", disclosure, standings.get(disclosure.ledger_record_id))]
        logged += [
            _logged("Follow-up", follow_up, standings.get(follow_up.ledger_record_id))
            for follow_up in context["follow_ups"]
        ]
        title = (
            f"Disclosure to {disclosure.recipient_name}, {disclosure.recipient_agency}, {_day(disclosure.disclosed_at)}"
        )
        printed.append(print_one("bundles/records/disclosure.html", context, title=title, logged=logged))
    return printed


def _advice(print_one: _Printer, child: Child, start: date | None, end: date | None) -> list[Printed]:
    printed = []
    for context in advice_selectors.child_advice_on_paper(child=child, start=start, end=end):
        advice = context["advice"]
        logged = [_logged("Request for advice", advice, context["standing"])]
        answer = getattr(advice, "answer", None)
        if answer is not None:
            logged.append(_logged("Advice given", answer, context["answer_standing"]))
        title = f"Advice asked of {advice.addressed_to}, {_day(advice.asked_at)}"
        printed.append(print_one("bundles/records/advice.html", context, title=title, logged=logged))
    return printed


_GATHER = {
    Kind.DECISIONS: _decisions,
    Kind.CONSENTS: _consents,
    Kind.REQUESTS: _requests,
    Kind.DISCLOSURES: _disclosures,
    Kind.ADVICE: _advice,
}


def bundle_contents(*, child: Child, kinds: tuple[Kind, ...], start: date | None, end: date | None) -> Contents:
    """Every record of the chosen kinds about the child, from ``start`` to ``end`` (days, either open), in full.

    The caller has checked that whoever asked may make the child's bundle. A
    fixed number of queries, however many records: each kind is read in one
    go with what its records show, and their places in the log with them.
    """
    chosen = [kind for kind in Kind if kind in kinds]
    chronology_kinds = set().union(*(CHRONOLOGY_KINDS[kind] for kind in chosen)) if chosen else set()
    events = (
        chronology.chronology(child=child, kinds=chronology_kinds, start=start, end=end, newest_first=False)
        if chosen
        else []
    )
    print_one = _Printer()
    sections = [
        Section(kind, f"bundle-section-{kind.value}", _GATHER[kind](print_one, child, start, end)) for kind in chosen
    ]
    return Contents(events=events, sections=sections, guidance=print_one.guidance)


def bundles_for_child(*, user: User, child: Child) -> list[BundleOrder]:
    """The bundles asked for of the child's records, newest first, each with its bundle once made (one query);
    none for someone who may not make them."""
    if not user.has_perm(Permission.BUNDLE_MAKE, child):
        return []
    return list(
        BundleOrder.objects.filter(child=child, agency_id=child.agency_id)
        .select_related("bundle")
        .order_by("-asked_at")
    )


def bundle_get_for_user(*, user: User, child: Child, bundle_id: uuid.UUID) -> Bundle:
    """A bundle of the child's records; 404 if there is none (the caller has found the child for the user)."""
    bundle = Bundle.objects.filter(pk=bundle_id, child=child, agency_id=child.agency_id).first()
    if bundle is None:
        raise Http404("No bundle found")
    return bundle


def bundle_pdf_as_recorded(*, bundle: Bundle) -> bytes | None:
    """The bundle's PDF, if the file kept is still the one recorded; None if it is missing or differs."""
    return kept_file_as_recorded(bundle.pdf, bundle.pdf_sha256, size=bundle.pdf_size)
