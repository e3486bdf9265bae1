"""Whom a practitioner may ask for advice about a decision, who may answer, and by when.

Plain Python, no Django: the forms, the permissions and the queries call
these rules (or, where a rule must also be a query, name the rule they
mirror).

The guidance tells a practitioner who is unsure, above all before sharing
without consent, to seek advice and to record the outcome of the discussion:
from a line manager or a nominated individual whose role is to support them,
or the Caldicott Guardian (3.5.17); from the person with the lead role for
child protection (3.5.18; 3.4.4); from the designated safeguarding lead,
Caldicott Guardian or senior leadership (002, golden rule 3). Each agency
appoints a lead information officer who decides controversial sharing
questions (3.2.4). Inside the service those people are the staff of the
practitioner's own agency who work with case records: its safeguarding leads,
and whoever its administrator has marked as its Caldicott Guardian or its
lead information officer. Advice from outside the agency (a professional
body, a lawyer) is still recorded in words at question 6.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum


class AskedOf(StrEnum):
    """To whom a request for advice is addressed."""

    # 3.5.18, 002 rule 3: a safeguarding lead, by name.
    NAMED_LEAD = "named_lead"
    # 3.5.17, 3.4.4, 002 rule 3: whoever is the agency's Caldicott Guardian.
    CALDICOTT_GUARDIAN = "caldicott_guardian"
    # 3.2.4: whoever is the agency's lead information officer.
    LEAD_INFORMATION_OFFICER = "lead_information_officer"
    # 3.5.18: whichever of the agency's safeguarding leads answers first.
    ANY_LEAD = "any_lead"


ASKED_OF_LABELS = {
    AskedOf.NAMED_LEAD: "A safeguarding lead by name",
    AskedOf.CALDICOTT_GUARDIAN: "The agency's Caldicott Guardian",
    AskedOf.LEAD_INFORMATION_OFFICER: "The agency's lead information officer",
    AskedOf.ANY_LEAD: "Any safeguarding lead of the agency",
}

# In what capacity someone answers a request addressed this way.
CAPACITY = {
    AskedOf.NAMED_LEAD: "Safeguarding lead",
    AskedOf.CALDICOTT_GUARDIAN: "Caldicott Guardian",
    AskedOf.LEAD_INFORMATION_OFFICER: "Lead information officer",
    AskedOf.ANY_LEAD: "Safeguarding lead",
}


class Urgency(StrEnum):
    # A child may be at risk while the practitioner waits (002: "follow the
    # relevant procedures without delay").
    URGENT = "urgent"
    ROUTINE = "routine"


URGENCY_LABELS = {Urgency.URGENT: "Urgent", Urgency.ROUTINE: "Not urgent"}


@dataclass(frozen=True)
class Colleague:
    """A member of the practitioner's agency who works with case records, as the rules need them."""

    id: int
    name: str
    job_title: str
    is_lead: bool
    is_caldicott_guardian: bool
    is_lead_information_officer: bool


@dataclass(frozen=True)
class Choice:
    """One way of addressing a request for advice: to whom, and (for a named lead) who."""

    asked_of: AskedOf
    adviser: Colleague | None = None
    # Who would read it: the named lead, or everyone who holds the role now.
    readers: tuple[Colleague, ...] = ()

    @property
    def value(self) -> str:
        """The choice as a form sends it."""
        return f"{self.asked_of}:{self.adviser.id}" if self.adviser else str(self.asked_of)


def holds(colleague: Colleague, asked_of: AskedOf) -> bool:
    """Whether the colleague holds the role a request addressed this way goes to (a named lead aside)."""
    if asked_of == AskedOf.CALDICOTT_GUARDIAN:
        return colleague.is_caldicott_guardian
    if asked_of == AskedOf.LEAD_INFORMATION_OFFICER:
        return colleague.is_lead_information_officer
    if asked_of == AskedOf.ANY_LEAD:
        return colleague.is_lead
    return False


def choices_for(*, asker_id: int, colleagues: Iterable[Colleague]) -> list[Choice]:
    """Whom the practitioner may ask: each lead by name, the Caldicott Guardian and the lead information
    officer where the agency has one, or any lead (3.5.17, 3.5.18, 3.2.4; 002 rule 3).

    Never themselves: a lead who asks for advice asks another.
    """
    others = [colleague for colleague in colleagues if colleague.id != asker_id]
    choices = [
        Choice(AskedOf.NAMED_LEAD, adviser=lead, readers=(lead,))
        for lead in sorted((c for c in others if c.is_lead), key=lambda c: c.name)
    ]
    for asked_of in (AskedOf.CALDICOTT_GUARDIAN, AskedOf.LEAD_INFORMATION_OFFICER, AskedOf.ANY_LEAD):
        readers = tuple(sorted((c for c in others if holds(c, asked_of)), key=lambda c: c.name))
        if readers:
            choices.append(Choice(asked_of, readers=readers))
    return choices


def may_answer(*, asked_of: AskedOf, adviser_id: int | None, asked_by_id: int, colleague: Colleague) -> bool:
    """Whether this colleague may answer the request: the lead it names, or whoever holds the role it
    was addressed to when they answer (a Caldicott Guardian who takes over answers their predecessor's
    requests). Nobody advises themselves.

    Mirrored as a query by ``advice.selectors.answerable_by``.
    """
    if colleague.id == asked_by_id:
        return False
    if asked_of == AskedOf.NAMED_LEAD:
        return colleague.id == adviser_id
    return holds(colleague, asked_of)


def is_open(*, answered: bool, decision_recorded: bool) -> bool:
    """A request waits for an answer until it has one, or until the decision is recorded without it:
    a recorded decision cannot take account of later advice (a lead's view of it is a review)."""
    return not answered and not decision_recorded


def answer_by(*, asked_at: datetime, urgency: Urgency, within_hours: Mapping[Urgency, int]) -> datetime:
    """When the answer is due: the hours set for the urgency, from the moment of asking."""
    return asked_at + timedelta(hours=within_hours[urgency])


def is_overdue(*, answer_by: datetime, now: datetime, answered: bool, decision_recorded: bool) -> bool:
    """Still open past the time the answer was due: the lead's "For review" lists it.

    Mirrored as a query by ``advice.selectors.overdue``.
    """
    return is_open(answered=answered, decision_recorded=decision_recorded) and now >= answer_by


def status(*, answered: bool, decision_recorded: bool, overdue: bool) -> str:
    """The request's state, in words."""
    if answered:
        return "Answered"
    if decision_recorded:
        return "Not answered before the decision was recorded"
    return "Waiting for an answer, overdue" if overdue else "Waiting for an answer"
