"""Requests for advice named on a person's list of notifications (``notifications.naming``)."""

from __future__ import annotations

import uuid

from django.db.models import CharField, QuerySet, UUIDField, Value

from advice.models import AdviceRequest
from notifications import naming


@naming.names("advice", lambda pk, detail, person: f"advice on a decision about {person}")
def advice_asked(*, agency_id: int, ids: list[uuid.UUID]) -> QuerySet:
    return AdviceRequest.objects.filter(agency_id=agency_id, pk__in=ids).values_list(
        "pk", "child_id", Value(None, output_field=UUIDField()), Value("", output_field=CharField())
    )
