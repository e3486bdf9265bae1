"""A child's records of every kind, and bundles of them made through the real pages, for tests."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone

from advice.models import AdviceRequest
from bundles import services
from bundles.models import Bundle, Kind, Purpose
from consent.models import ConsentRecord
from exchange import services as exchange_services
from exchange.models import Disclosure, InformationRequest, RequestStatus
from sharing import services as sharing_services
from sharing.models import SharingDecision
from tests.advice.asked import answer, ask
from tests.consent.consent_data import record_consent
from tests.exchange.recorded import disclose, log_request
from tests.factories import ChildFactory, RelationshipFactory
from tests.sharing.recorded import complete_draft

REVIEW_COMMENTS = "Proportionate: only the call-out was shared."
ADDENDUM = "The school nurse was told on Friday."
DECLINED_BECAUSE = "The requester could not say why they needed the information."
FOLLOW_UP_REASONS = "Still at risk of harm if the mother is told now."
RECIPIENT = "Family Court at Nottingham, case NG26C00417"
REASON = "The court directed the local authority to file its information-sharing records."


@dataclass
class EveryKind:
    """One record of every kind a bundle holds, about one child."""

    child: object
    decision: SharingDecision
    consent: ConsentRecord
    information_request: InformationRequest
    disclosure: Disclosure
    advice: AdviceRequest


def every_kind(*, practitioner, lead, child=None) -> EveryKind:
    """One of each kind about ``child`` (a new child by default), through the real services."""
    child = child or ChildFactory(agency=practitioner.agency, given_name="Ellie")
    mother = RelationshipFactory(child=child).adult
    draft = complete_draft(user=practitioner, child=child)
    advice = ask(practitioner, draft)
    answer(lead, advice)
    decision = sharing_services.decision_record(draft=draft, user=practitioner)
    sharing_services.review_record(
        decision=decision, user=lead, outcome="agree_with_comments", comments=REVIEW_COMMENTS
    )
    sharing_services.addendum_add(decision=decision, user=practitioner, text=ADDENDUM)
    consent = record_consent(user=practitioner, child=child, responder=mother)
    information_request = log_request(practitioner, child, days_ago=3)
    exchange_services.request_outcome_record(
        user=practitioner,
        information_request=information_request,
        closing=exchange_services.ClosingDetails(outcome=RequestStatus.DECLINED, reasons=DECLINED_BECAUSE),
    )
    disclosure = disclose(practitioner, decision, informed=False)
    exchange_services.follow_up_record(
        user=practitioner,
        disclosure=disclosure,
        details=exchange_services.FollowUpDetails(
            informed=False, reasons=FOLLOW_UP_REASONS, reconsider_on=timezone.localdate()
        ),
    )
    return EveryKind(child, decision, consent, information_request, disclosure, advice)


def day_fields(prefix: str, day) -> dict:
    if day is None:
        return {f"{prefix}_0": "", f"{prefix}_1": "", f"{prefix}_2": ""}
    return {f"{prefix}_0": str(day.day), f"{prefix}_1": str(day.month), f"{prefix}_2": str(day.year)}


def bundle_post(*, kinds=tuple(Kind), start=None, end=None, **overrides) -> dict:
    return {
        "purpose": Purpose.COURT.value,
        "recipient": RECIPIENT,
        "reason": REASON,
        **day_fields("period_start", start),
        **day_fields("period_end", end),
        "kinds": [kind.value for kind in kinds],
        **overrides,
    }


def make_bundle(client, child, **choices) -> Bundle:
    """A bundle made on the "Make a bundle" page, as a lead makes it; the newest of the child's."""
    response = client.post(reverse("bundles:make", args=[child.pk]), bundle_post(**choices))
    assert response.status_code == 302, response.content[:2000]
    assert response.url == reverse("bundles:list", args=[child.pk])
    return Bundle.objects.filter(child=child).order_by("-made_at").first()


def made_by(user, child, *, kinds=tuple(Kind)) -> Bundle:
    """A bundle made through the service alone (no page), for tests about who reaches it."""
    choices = services.BundleChoices(
        purpose=Purpose.CONFERENCE, recipient="Child protection conference", reason="Initial conference",
        period_start=None, period_end=None, kinds=tuple(kinds),
    )  # fmt: skip
    return services.bundle_make(user=user, child=child, choices=choices)


def download(client, bundle):
    return client.get(reverse("bundles:download", args=[bundle.child_id, bundle.pk]))
