"""The overdue check of subject access requests: one not yet answered whose deadline is near (UK GDPR
article 12(3)). The agency's safeguarding leads, whose work the requests are, are told once for each
deadline (an extension sets a new one): notifications.overdue."""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.urls import reverse

from notifications import overdue
from notifications.models import Kind
from notifications.services import Notice, Recipients, notifications_make
from notifications.windows import LOOK_BACK
from subject_access.models import SubjectAccessRequest


@overdue.check("subject access deadlines near")
def subject_access_deadlines_near(today: date) -> int:
    near = today + timedelta(days=settings.SUBJECT_ACCESS_WARN_DAYS)
    due = SubjectAccessRequest.objects.filter(
        release__isnull=True, due_on__lte=near, due_on__gte=today - LOOK_BACK
    ).only("pk", "agency_id", "due_on")
    made = 0
    for subject_access_request in due:
        made += len(
            notifications_make(
                notice=Notice(
                    kind=Kind.SUBJECT_ACCESS_DEADLINE_NEAR,
                    link=reverse("subject_access:detail", args=[subject_access_request.pk]),
                    about=f"subject_access:{subject_access_request.pk}:{subject_access_request.due_on.isoformat()}",
                ),
                to=Recipients(leads_of_agency=subject_access_request.agency_id),
            )
        )
    return made
