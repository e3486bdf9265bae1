"""Which child a refused page was about, and what it was, from the page's address.

Someone refused a page of a child's records (another agency's child, which
answers 404 as if it did not exist, or a page their role may not use) is
logged with that child, so that the child's audit history shows the attempt
to the child's own agency (issue 14, point 20). The person refused learns
nothing from it: their page is the same 404 or 403 either way.
"""

from __future__ import annotations

from django.urls import ResolverMatch

from audit.models import Subject
from consent.models import ConsentRecord
from exchange.models import Disclosure, InformationRequest
from records.models import Child
from sharing.models import DecisionDraft, SharingDecision

# The address's argument naming a record, the record, and what it is, most telling first.
RECORD_ARGUMENTS = (
    ("child_id", Child, Subject.CHILD),
    ("decision_id", SharingDecision, Subject.DECISION),
    ("draft_id", DecisionDraft, Subject.DRAFT),
    ("request_id", InformationRequest, Subject.REQUEST),
    ("disclosure_id", Disclosure, Subject.DISCLOSURE),
    ("consent_id", ConsentRecord, Subject.CONSENT),
)

# Pages about a child that are more than the child's record itself.
PAGE_SUBJECTS = {
    "oversight:chronology": Subject.CHRONOLOGY,
    "oversight:child_history": Subject.CHILD_AUDIT,
}


def refused_page(match: ResolverMatch | None) -> tuple[Subject, Child | None]:
    """What the refused page was (a child, a decision, ...) and whose child it was about, if it exists."""
    if match is None:
        return Subject.PAGE, None
    for argument, model, subject in RECORD_ARGUMENTS:
        if argument not in match.kwargs:
            continue
        named = match.kwargs[argument]
        children = Child.objects.all()
        if model is Child:
            children = children.filter(pk=named)
        else:
            children = children.filter(pk__in=model.objects.filter(pk=named).values("child_id"))
        # One query, whatever agency the record is of; only the log is told.
        return PAGE_SUBJECTS.get(match.view_name, subject), children.only("pk", "agency_id").first()
    return Subject.PAGE, None
