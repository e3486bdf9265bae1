"""Consent records named on a person's list of notifications (``notifications.naming``)."""

from __future__ import annotations

import uuid

from django.db.models import QuerySet, UUIDField, Value

from consent.models import ConsentRecord
from notifications import naming


@naming.names("consent", lambda pk, detail, person: f"consent by {detail} about {person}")
def consents(*, agency_id: int, ids: list[uuid.UUID]) -> QuerySet:
    return ConsentRecord.objects.filter(agency_id=agency_id, pk__in=ids).values_list(
        "pk", "child_id", Value(None, output_field=UUIDField()), "responder_name"
    )
