"""The kinds of case record the top floor reads, each declared once.

A child's chronology (``oversight.chronology``) and the audit histories
(``oversight.history``) read the same kinds of case record: requests and their
outcomes, decisions with their addenda and reviews, consents, disclosures with
their follow-ups, and advice asked and given about a decision. For each kind,
this registry says where its records are and how they reach a child, which
moment dates them, what an entry is called and says, and where it links to;
and, for a member of staff's history, who recorded them and when.

Both readers put the kinds together in one UNION ALL, so each kind gives its
values as columns (field names or expressions, see ``InChronology.columns``
and ``InStaffHistory.texts``), and each kind's wording takes those columns
back, in the same order, and makes the entry's words and link.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from functools import cached_property

from django.db.models import Case, CharField, F, Func, IntegerField, JSONField, Model, Value, When
from django.db.models.fields.json import KeyTextTransform, KeyTransform
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone

from advice.advisers import URGENCY_LABELS
from advice.models import AdviceAnswer, AdviceRequest
from consent.models import ConsentRecord
from core.links import record_link
from exchange import verification
from exchange.models import (
    Disclosure,
    InformationRequest,
    InformedFollowUp,
    Method,
    RequestOutcome,
    VerificationMethod,
)
from sharing.models import Addendum, DecisionReview, SharingDecision


def _choices(model: type[Model], field_name: str) -> dict[str, str]:
    return {str(value): str(label) for value, label in model._meta.get_field(field_name).flatchoices}


class Words:
    """Each record page's address (resolved once, not for every entry) and the
    labels of the choices entries name, for one page's worth of entries."""

    @cached_property
    def request_url(self):
        return record_link("exchange:request_detail")

    @cached_property
    def decision_url(self):
        return record_link("sharing:decision_detail")

    @cached_property
    def consent_url(self):
        return record_link("consent:detail")

    @cached_property
    def disclosure_url(self):
        return record_link("exchange:disclosure_detail")

    @cached_property
    def advice_url(self):
        return record_link("advice:detail")

    @cached_property
    def request_outcomes(self):
        return _choices(RequestOutcome, "outcome")

    @cached_property
    def decision_outcomes(self):
        return _choices(SharingDecision, "outcome")

    @cached_property
    def review_outcomes(self):
        return _choices(DecisionReview, "outcome")

    @cached_property
    def responses(self):
        return _choices(ConsentRecord, "response")

    @cached_property
    def methods(self):
        return dict(Method.choices)

    @cached_property
    def verification_methods(self):
        return dict(VerificationMethod.choices)


def day_start(day: date) -> datetime:
    """A consent's day as a moment: its start in the service's time zone."""
    return timezone.make_aware(datetime.combine(day, time.min))


class JSONArrayLength(Func):
    """How many elements a JSON array stored as text holds (a disclosure's items, a CanonicalJSONField)."""

    function = "JSON_ARRAY_LENGTH"
    output_field = IntegerField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, template="%(function)s((%(expressions)s)::json)", **extra_context)


@dataclass(frozen=True)
class Said:
    """What an entry says: who, what, and the record page it links to."""

    who: str
    what: str
    url: str


# The chronology's columns, in this order (oversight.chronology): the entry's
# moment (``entry_at``; a consent has a ``day`` instead), when the record was
# written down (``recorded``), the primary key of the record the entry links
# to (``target``), up to five texts, a yes or no, a number, and a sixth text.
# A kind's wording takes them in this order, after ``words``.
COLUMNS = (
    "entry_at", "recorded", "day", "target", "text1", "text2", "text3", "text4", "text5", "flag", "number", "text6",
)  # fmt: skip


@dataclass(frozen=True)
class InChronology:
    """How a kind appears in a child's chronology (and the records section of the child's audit history)."""

    # The field the chronology's dates are filtered on.
    dated_by: str
    # COLUMNS given, as a field's name (read as it is, the cheapest for the ORM
    # to build) or an expression; those not given are NULL.
    columns: dict
    # (words, child, *COLUMNS) -> Said.
    says: Callable[..., Said]
    is_date: bool = False
    # Only the records that belong in a chronology: a filter on the kind's rows (all, unless given).
    where: dict = field(default_factory=dict)


@dataclass(frozen=True)
class InStaffHistory:
    """How a kind appears in a member of staff's audit history: what they recorded."""

    # The field naming who recorded it, and the moment it was recorded.
    recorded_by: str
    recorded_at: str
    # The key the row links to, and the texts its wording reads (field names).
    ref: str
    texts: tuple[str, ...]
    # (words, ref, *texts) -> Said.
    says: Callable[..., Said]
    # Values read with each record, named in ``texts``.
    annotations: dict = field(default_factory=dict)


@dataclass(frozen=True)
class CaseRecordKind:
    # What an entry of this kind is called, in the chronology and the histories.
    title: str
    model: type[Model]
    # The path from a record to its child.
    child: str
    chronology: InChronology
    staff_history: InStaffHistory | None = None


# Wording, kind by kind, as the record pages give it.


def _request(words, child, at, recorded, day, target, name, role, agency, needed, *_):
    return Said(f"{name}, {role}, {agency}", f"Asked for: {needed}", words.request_url(target))


def _request_logged(words, ref, logged_by, requester_agency, *_):
    return Said(logged_by, f"From {requester_agency}", words.request_url(ref))


def _verification(words, child, at, recorded, day, target, verifier, method, name, agency, details, *_):
    method = words.verification_methods.get(method, method)
    summary = f"Verified {name}, {agency}: {method[:1].lower()}{method[1:]}"
    if details:
        summary += f". {details}"
    return Said(verifier or "", summary, words.request_url(target))


def _outcome(words, child, at, recorded, day, target, recorder, outcome, agency, reasons, *_):
    summary = f"{words.request_outcomes.get(outcome, outcome)}: request from {agency}"
    if reasons:
        summary += f". {reasons}"
    return Said(recorder, summary, words.request_url(target))


def _outcome_recorded(words, ref, recorder, outcome, *_):
    return Said(recorder, words.request_outcomes.get(outcome, outcome), words.request_url(ref))


def _decision(words, child, at, recorded, day, target, recorder, role, outcome, reasons, *_):
    summary = f"{words.decision_outcomes.get(outcome, outcome)}. {reasons}"
    return Said(f"{recorder}, {role.lower()}", summary, words.decision_url(target))


def _decision_recorded(words, ref, recorder, outcome, child_name, *_):
    what = f"{words.decision_outcomes.get(outcome, outcome)} (about {child_name})"
    return Said(recorder, what, words.decision_url(ref))


def _addendum(words, child, at, recorded, day, target, author, _role, _outcome, text, *_):
    return Said(author, text, words.decision_url(target))


def _addendum_recorded(words, ref, author, text, *_):
    return Said(author, text, words.decision_url(ref))


def _review(words, child, at, recorded, day, target, reviewer, role, outcome, comments, reasons, *_):
    text = " ".join(part for part in (comments, reasons) if part)
    summary = f"{words.review_outcomes.get(outcome, outcome)}{f': {text}' if text else ''}"
    return Said(f"{reviewer}, {role.lower()}", summary, words.decision_url(target))


def _review_recorded(words, ref, reviewer, role, outcome, comments, reasons, *_):
    what = " ".join(part for part in (words.review_outcomes.get(outcome, outcome) + ".", comments, reasons) if part)
    return Said(f"{reviewer}, {role.lower()}", what, words.decision_url(ref))


def _consent(words, child, at, recorded, day, target, recorder, response, responder, given_name, family_name, *_):
    # As ConsentRecord.about_name: the adult the consent is about, or else the child.
    about = f"{given_name} {family_name}" if family_name is not None else child.full_name
    response = words.responses.get(response, response).lower()
    return Said(recorder, f"Consent {response} by {responder} about {about}", words.consent_url(target))


def _consent_recorded(words, ref, recorder, response, responder, *_):
    what = f"Consent {words.responses.get(response, response).lower()} by {responder}"
    return Said(recorder, what, words.consent_url(ref))


def _disclosure(words, child, at, recorded, day, target, recorder, name, role, agency, method, informed, items, reason):
    summary = (
        f"Disclosed to {name}, {role}, {agency}, by {words.methods[method].lower()}: "
        f"{items} item{'s' if items != 1 else ''}"
    )
    # 3.5.19, 3.7.3: whether the child or parents were told of it.
    not_told = verification.disclosure_told_line(informed=bool(informed), reason=reason or "")
    if not_told:
        summary += f". {not_told}"
    return Said(recorder, summary, words.disclosure_url(target))


def _disclosure_recorded(words, ref, recorder, name, agency, *_):
    return Said(recorder, f"To {name}, {agency}", words.disclosure_url(ref))


def _follow_up(words, child, at, recorded, day, target, recorder, _name, _role, reasons, _text, informed, *_):
    summary = "The child or a parent has now been told" if informed else f"Not told yet: {reasons}"
    return Said(recorder, summary, words.disclosure_url(target))


def _follow_up_recorded(words, ref, recorder, informed, *_):
    return Said(recorder, "Told" if informed else "Not told yet", words.disclosure_url(ref))


def _advice_asked(words, child, at, recorded, day, target, asker, role, addressed_to, question, urgency, *_):
    label = URGENCY_LABELS.get(urgency, urgency)
    summary = f"Asked of {addressed_to} ({label.lower()}): {question}"
    return Said(f"{asker}, {role.lower()}", summary, words.decision_url(target))


def _advice_asked_recorded(words, ref, asker, addressed_to, question, *_):
    return Said(asker, f"Asked {addressed_to}: {question}", words.advice_url(ref))


def _advice_given(words, child, at, recorded, day, target, adviser, capacity, asker, advice, *_):
    return Said(f"{adviser}, {capacity.lower()}", f"To {asker}: {advice}", words.decision_url(target))


def _advice_given_recorded(words, ref, adviser, asker, advice, *_):
    return Said(adviser, f"To {asker}: {advice}", words.advice_url(ref))


# Whether the child or a parent was told, read as text, as every column of a history is.
_TOLD = Case(When(informed=True, then=Value("1")), default=Value(""), output_field=CharField())

# The registry, in the order the chronology offers its kinds to choose from.
CASE_RECORDS: dict[str, CaseRecordKind] = {
    "request": CaseRecordKind(
        "Request received",
        InformationRequest,
        "child",
        InChronology(
            "received_at",
            {
                "entry_at": "received_at",
                "recorded": "logged_at",
                "target": "pk",
                "text1": "requester_name",
                "text2": "requester_role",
                "text3": "requester_agency",
                "text4": "information_needed",
            },
            _request,
        ),
        InStaffHistory("logged_by", "logged_at", "pk", ("logged_by__full_name", "requester_agency"), _request_logged),
    ),
    # 3.7.4: the call back that verified the person asking (a request's, in the chronology only).
    "verification": CaseRecordKind(
        "Requester verified",
        InformationRequest,
        "child",
        InChronology(
            "verified_at",
            {
                "entry_at": "verified_at",
                "recorded": "verified_at",
                "target": "pk",
                "text1": "verified_by__full_name",
                "text2": "verification_method",
                "text3": "requester_name",
                "text4": "requester_agency",
                "text5": "verification_details",
            },
            _verification,
            where={"verified_at__isnull": False},
        ),
    ),
    "outcome": CaseRecordKind(
        "Request outcome",
        RequestOutcome,
        "request__child",
        InChronology(
            "recorded_at",
            {
                # A decided request is answered when its decision was made.
                "entry_at": Coalesce(F("decision__decided_at"), F("recorded_at")),
                "recorded": "recorded_at",
                "target": "request_id",
                "text1": "recorder_name",
                "text2": "outcome",
                "text3": "request__requester_agency",
                "text4": "reasons",
            },
            _outcome,
        ),
        InStaffHistory("recorded_by", "recorded_at", "request_id", ("recorder_name", "outcome"), _outcome_recorded),
    ),
    "decision": CaseRecordKind(
        "Decision",
        SharingDecision,
        "child",
        InChronology(
            "decided_at",
            {
                "entry_at": "decided_at",
                "recorded": "recorded_at",
                "target": "pk",
                "text1": "recorder_name",
                "text2": "recorder_role",
                "text3": "outcome",
                "text4": "reasons",
            },
            _decision,
        ),
        InStaffHistory(
            "recorded_by",
            "recorded_at",
            "pk",
            ("recorder_name", "outcome", "child_name"),
            _decision_recorded,
            annotations={"child_name": KeyTextTransform("name", KeyTransform("child", Cast("subject", JSONField())))},
        ),
    ),
    "addendum": CaseRecordKind(
        "Addendum",
        Addendum,
        "decision__child",
        InChronology(
            "recorded_at",
            {
                "entry_at": "recorded_at",
                "recorded": "recorded_at",
                "target": "decision_id",
                "text1": "author_name",
                "text4": "text",
            },
            _addendum,
        ),
        InStaffHistory("author", "recorded_at", "decision_id", ("author_name", "text"), _addendum_recorded),
    ),
    "review": CaseRecordKind(
        "Review",
        DecisionReview,
        "decision__child",
        InChronology(
            "recorded_at",
            {
                "entry_at": "recorded_at",
                "recorded": "recorded_at",
                "target": "decision_id",
                "text1": "reviewer_name",
                "text2": "reviewer_role",
                "text3": "outcome",
                "text4": "comments",
                "text5": "reasons",
            },
            _review,
        ),
        InStaffHistory(
            "reviewer",
            "recorded_at",
            "decision_id",
            ("reviewer_name", "reviewer_role", "outcome", "comments", "reasons"),
            _review_recorded,
        ),
    ),
    "consent": CaseRecordKind(
        "Consent",
        ConsentRecord,
        "child",
        InChronology(
            "responded_on",
            {
                "day": "responded_on",
                "recorded": "recorded_at",
                "target": "pk",
                "text1": "recorder_name",
                "text2": "response",
                "text3": "responder_name",
                # Whom the consent is about: one of the child's adults, or else the child.
                "text4": "about_adult__given_name",
                "text5": "about_adult__family_name",
            },
            _consent,
            is_date=True,
        ),
        InStaffHistory(
            "recorded_by", "recorded_at", "pk", ("recorder_name", "response", "responder_name"), _consent_recorded
        ),
    ),
    "disclosure": CaseRecordKind(
        "Disclosure",
        Disclosure,
        "child",
        InChronology(
            "disclosed_at",
            {
                "entry_at": "disclosed_at",
                "recorded": "recorded_at",
                "target": "pk",
                "text1": "recorder_name",
                "text2": "recipient_name",
                "text3": "recipient_role",
                "text4": "recipient_agency",
                "text5": "method",
                "flag": "informed",
                "number": JSONArrayLength(F("items")),
                "text6": "not_informed_reason",
            },
            _disclosure,
        ),
        InStaffHistory(
            "recorded_by",
            "recorded_at",
            "pk",
            ("recorder_name", "recipient_name", "recipient_agency"),
            _disclosure_recorded,
        ),
    ),
    "follow_up": CaseRecordKind(
        "Follow-up",
        InformedFollowUp,
        "disclosure__child",
        InChronology(
            "recorded_at",
            {
                "entry_at": "recorded_at",
                "recorded": "recorded_at",
                "target": "disclosure_id",
                "text1": "recorder_name",
                "text4": "reasons",
                "flag": "informed",
            },
            _follow_up,
        ),
        InStaffHistory(
            "recorded_by",
            "recorded_at",
            "disclosure_id",
            ("recorder_name", "told"),
            _follow_up_recorded,
            annotations={"told": _TOLD},
        ),
    ),
    # Advice about a decision is part of its record once the decision is recorded (3.5.17; 001: record
    # the outcome of the discussion); about a draft, it is read with the draft by its author and the leads.
    "advice_asked": CaseRecordKind(
        "Advice asked",
        AdviceRequest,
        "child",
        InChronology(
            "asked_at",
            {
                "entry_at": "asked_at",
                "recorded": "asked_at",
                "target": "draft__decision_id",
                "text1": "asker_name",
                "text2": "asker_role",
                "text3": "addressed_to",
                "text4": "question",
                "text5": "urgency",
            },
            _advice_asked,
            where={"draft__decision__isnull": False},
        ),
        InStaffHistory(
            "asked_by", "asked_at", "pk", ("asker_name", "addressed_to", "question"), _advice_asked_recorded
        ),
    ),
    "advice_given": CaseRecordKind(
        "Advice given",
        AdviceAnswer,
        "request__child",
        InChronology(
            "answered_at",
            {
                "entry_at": "answered_at",
                "recorded": "answered_at",
                "target": "request__draft__decision_id",
                "text1": "adviser_name",
                "text2": "adviser_capacity",
                "text3": "request__asker_name",
                "text4": "advice",
            },
            _advice_given,
            where={"request__draft__decision__isnull": False},
        ),
        InStaffHistory(
            "answered_by",
            "answered_at",
            "request_id",
            ("adviser_name", "request__asker_name", "advice"),
            _advice_given_recorded,
        ),
    ),
}

# Entries at the same moment in a chronology follow cause and effect: a
# decision before the request outcome it produced, a disclosure after its
# decision.
SAME_TIME_ORDER = (
    "request", "verification", "consent", "decision", "outcome", "addendum", "review", "disclosure", "follow_up",
    "advice_asked", "advice_given",
)  # fmt: skip

# In a member of staff's history, what they recorded at the same moment comes in this order.
STAFF_HISTORY_ORDER = (
    "decision", "addendum", "review", "consent", "request", "outcome", "disclosure", "follow_up", "advice_asked",
    "advice_given",
)  # fmt: skip
