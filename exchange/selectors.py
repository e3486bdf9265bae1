"""Reads of requests and disclosures, scoped to the user's agency."""

from __future__ import annotations

import uuid
from datetime import date

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from exchange.models import Disclosure, InformationRequest, InformedFollowUp, RequestStatus
from ledger import receipts
from records.models import User
from records.roles import Permission


def request_get_for_user(*, user: User, request_id: uuid.UUID) -> InformationRequest:
    request = (
        InformationRequest.objects.select_related("child", "agency", "logged_by", "verified_by", "outcome")
        .prefetch_related("adults", "drafts", "disclosures")
        .filter(pk=request_id, agency=user.agency)
        .first()
    )
    if request is None or not user.has_perm(Permission.REQUEST_VIEW, request):
        raise Http404("No request found")
    return request


def requests_for_agency(
    *, user: User, status: str = "", received_from: date | None = None, received_to: date | None = None
) -> QuerySet[InformationRequest]:
    if not user.has_perm(Permission.REQUEST_VIEW):
        return InformationRequest.objects.none()
    requests = InformationRequest.objects.filter(agency=user.agency).select_related("child", "outcome")
    if status == RequestStatus.OPEN:
        requests = requests.filter(outcome__isnull=True)
    elif status:
        requests = requests.filter(outcome__outcome=status)
    if received_from:
        requests = requests.filter(received_at__date__gte=received_from)
    if received_to:
        requests = requests.filter(received_at__date__lte=received_to)
    return requests.order_by("-received_at", "-logged_at")


def disclosure_get_for_user(*, user: User, disclosure_id: uuid.UUID) -> Disclosure:
    disclosure = (
        Disclosure.objects.select_related("child", "decision", "request")
        .prefetch_related(Prefetch("follow_ups", queryset=InformedFollowUp.objects.order_by("recorded_at")))
        .filter(pk=disclosure_id, agency=user.agency)
        .first()
    )
    if disclosure is None or not user.has_perm(Permission.REQUEST_VIEW, disclosure):
        raise Http404("No disclosure found")
    return disclosure


def disclosure_standing(*, disclosure: Disclosure) -> receipts.Standing | None:
    """Where the disclosure stands in the log (ADR 13, item 6)."""
    return receipts.standing_of(disclosure)
