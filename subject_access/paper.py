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

from records.models import Adult, Child, User
from subject_access import redaction
from subject_access.models import SubjectAccessRequest

DETAILS = "details"
KINDS = {
    DETAILS: "Details held",
    "decision": "Information-sharing decision",
    "consent": "Consent record",
    "request": "Request for information",
    "disclosure": "Disclosure",
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


def _details(person: Child | Adult) -> PaperRecord:
    if isinstance(person, Child):
        relationships = list(person.relationships.select_related("adult").order_by("adult__family_name"))
    else:
        relationships = list(person.relationships.select_related("child").order_by("child__family_name"))
    html = render_to_string(
        "subject_access/paper/details.html",
        {"person": person, "is_child": isinstance(person, Child), "relationships": relationships},
    )
    return PaperRecord(kind=DETAILS, id=str(person.pk), title=f"Details held about {person.full_name}", html=html)


# The other kinds of record: what is read for each, and how each is printed.
Gatherer = Callable[[SubjectAccessRequest, User], list[PaperRecord]]
GATHERERS: list[Gatherer] = []


def gather(*, subject_access_request: SubjectAccessRequest, user: User) -> list[PaperRecord]:
    """Every record the agency holds about the request's person: their details first, then the records,
    oldest first."""
    found = [record for gatherer in GATHERERS for record in gatherer(subject_access_request, user)]
    found.sort(key=lambda record: record.sort_key)
    return [_details(subject_access_request.person), *found]


def record_of(records: list[PaperRecord], *, kind: str, record_id: str) -> PaperRecord | None:
    return next((record for record in records if record.kind == kind and record.id == record_id), None)
