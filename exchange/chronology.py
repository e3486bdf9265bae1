"""A child's chronology: every request, decision, consent, disclosure,
refusal, addendum, review and follow-up in one order.

One query per kind of record, whatever the number of entries.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from django.urls import reverse
from django.utils import timezone

from consent.models import ConsentRecord
from exchange.models import Disclosure, InformationRequest, InformedFollowUp, Method, RequestOutcome
from records.models import Child
from sharing.models import Addendum, DecisionReview, SharingDecision

KINDS = {
    "request": "Request received",
    "outcome": "Request outcome",
    "decision": "Decision",
    "addendum": "Addendum",
    "review": "Review",
    "consent": "Consent",
    "disclosure": "Disclosure",
    "follow_up": "Follow-up",
}


SAME_TIME_ORDER = {
    "request": 0,
    "consent": 1,
    "decision": 2,
    "outcome": 3,
    "addendum": 4,
    "review": 5,
    "disclosure": 6,
    "follow_up": 7,
}


@dataclass(frozen=True)
class Entry:
    when: datetime
    kind: str
    who: str
    summary: str
    url: str

    @property
    def kind_label(self) -> str:
        return KINDS[self.kind]


def _at(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _between(queryset, field: str, start: date | None, end: date | None, is_date: bool = False):
    lookup = field if is_date else f"{field}__date"
    if start:
        queryset = queryset.filter(**{f"{lookup}__gte": start})
    if end:
        queryset = queryset.filter(**{f"{lookup}__lte": end})
    return queryset


def chronology(
    *,
    child: Child,
    kinds: set[str] | None = None,
    start: date | None = None,
    end: date | None = None,
    newest_first: bool = True,
) -> list[Entry]:
    kinds = kinds or set(KINDS)
    entries: list[Entry] = []
    if "request" in kinds:
        for r in _between(InformationRequest.objects.filter(child=child), "received_at", start, end):
            entries.append(
                Entry(
                    r.received_at,
                    "request",
                    f"{r.requester_name}, {r.requester_role}, {r.requester_agency}",
                    f"Asked for: {r.information_needed}",
                    reverse("exchange:request_detail", args=[r.pk]),
                )
            )
    if "outcome" in kinds:
        outcomes = RequestOutcome.objects.filter(request__child=child).select_related("request", "decision")
        for o in _between(outcomes, "recorded_at", start, end):
            summary = f"{o.get_outcome_display()}: request from {o.request.requester_agency}"
            if o.reasons:
                summary += f". {o.reasons}"
            entries.append(
                Entry(
                    # A decided request is answered when its decision was made.
                    o.decision.decided_at if o.decision else o.recorded_at,
                    "outcome",
                    o.recorder_name,
                    summary,
                    reverse("exchange:request_detail", args=[o.request_id]),
                )
            )
    if "decision" in kinds:
        for d in _between(SharingDecision.objects.filter(child=child), "decided_at", start, end):
            entries.append(
                Entry(
                    d.decided_at,
                    "decision",
                    f"{d.recorder_name}, {d.recorder_role.lower()}",
                    f"{d.get_outcome_display()}. {d.reasons}",
                    reverse("sharing:decision_detail", args=[d.pk]),
                )
            )
    if "addendum" in kinds:
        for a in _between(Addendum.objects.filter(decision__child=child), "recorded_at", start, end):
            entries.append(
                Entry(
                    a.recorded_at,
                    "addendum",
                    a.author_name,
                    a.text,
                    reverse("sharing:decision_detail", args=[a.decision_id]),
                )
            )
    if "review" in kinds:
        for r in _between(DecisionReview.objects.filter(decision__child=child), "recorded_at", start, end):
            text = " ".join(part for part in (r.comments, r.reasons) if part)
            entries.append(
                Entry(
                    r.recorded_at,
                    "review",
                    f"{r.reviewer_name}, {r.reviewer_role.lower()}",
                    f"{r.get_outcome_display()}{f': {text}' if text else ''}",
                    reverse("sharing:decision_detail", args=[r.decision_id]),
                )
            )
    if "consent" in kinds:
        consents = ConsentRecord.objects.filter(child=child).select_related("about_adult")
        for c in _between(consents, "responded_on", start, end, is_date=True):
            entries.append(
                Entry(
                    _at(c.responded_on),
                    "consent",
                    c.recorder_name,
                    f"Consent {c.get_response_display().lower()} by {c.responder_name} about {c.about_name}",
                    reverse("consent:detail", args=[c.pk]),
                )
            )
    if "disclosure" in kinds:
        for d in _between(Disclosure.objects.filter(child=child), "disclosed_at", start, end):
            entries.append(
                Entry(
                    d.disclosed_at,
                    "disclosure",
                    d.recorder_name,
                    f"Disclosed to {d.recipient_name}, {d.recipient_role}, {d.recipient_agency}, by "
                    f"{dict(Method.choices)[d.method].lower()}: {len(d.items)} item{'s' if len(d.items) != 1 else ''}",
                    reverse("exchange:disclosure_detail", args=[d.pk]),
                )
            )
    if "follow_up" in kinds:
        follow_ups = InformedFollowUp.objects.filter(disclosure__child=child)
        for f in _between(follow_ups, "recorded_at", start, end):
            summary = "The child or a parent has now been told" if f.informed else f"Not told yet: {f.reasons}"
            entries.append(
                Entry(
                    f.recorded_at,
                    "follow_up",
                    f.recorder_name,
                    summary,
                    reverse("exchange:disclosure_detail", args=[f.disclosure_id]),
                )
            )
    # Entries at the same moment follow cause and effect: a decision before the
    # request outcome it produced, a disclosure after its decision.
    entries.sort(key=lambda entry: (entry.when, SAME_TIME_ORDER[entry.kind]), reverse=newest_first)
    return entries
