"""Decisions named on a person's list of notifications (``notifications.naming``)."""

from __future__ import annotations

import uuid

from django.db.models import CharField, QuerySet, UUIDField, Value

from notifications import naming
from sharing.models import SharingDecision


@naming.names("decision", lambda pk, detail, person: f"decision about {person}")
def decisions(*, agency_id: int, ids: list[uuid.UUID]) -> QuerySet:
    return SharingDecision.objects.filter(agency_id=agency_id, pk__in=ids).values_list(
        "pk", "child_id", Value(None, output_field=UUIDField()), Value("", output_field=CharField())
    )
