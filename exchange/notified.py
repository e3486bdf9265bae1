"""Requests and disclosures named on a person's list of notifications (``notifications.naming``)."""

from __future__ import annotations

import uuid

from django.db.models import CharField, QuerySet, UUIDField, Value

from exchange.models import Disclosure, InformationRequest
from notifications import naming


@naming.names("request", lambda pk, detail, person: f"request {InformationRequest(pk=pk).reference} about {person}")
def requests(*, agency_id: int, ids: list[uuid.UUID]) -> QuerySet:
    return InformationRequest.objects.filter(agency_id=agency_id, pk__in=ids).values_list(
        "pk", "child_id", Value(None, output_field=UUIDField()), Value("", output_field=CharField())
    )


@naming.names("disclosure", lambda pk, detail, person: f"disclosure to {detail} about {person}")
def disclosures(*, agency_id: int, ids: list[uuid.UUID]) -> QuerySet:
    return Disclosure.objects.filter(agency_id=agency_id, pk__in=ids).values_list(
        "pk", "child_id", Value(None, output_field=UUIDField()), "recipient_name"
    )
