"""Subject access requests named on a person's list of notifications (``notifications.naming``)."""

from __future__ import annotations

import uuid

from django.db.models import CharField, QuerySet, Value

from notifications import naming
from subject_access.models import SubjectAccessRequest


@naming.names("subject_access", lambda pk, detail, person: f"subject access request about {person}")
def subject_access_requests(*, agency_id: int, ids: list[uuid.UUID]) -> QuerySet:
    return SubjectAccessRequest.objects.filter(agency_id=agency_id, pk__in=ids).values_list(
        "pk", "child_id", "adult_id", Value("", output_field=CharField())
    )
