"""The overdue check of consents: a current consent whose review date has come (3.3.21). The agency's
safeguarding leads, who see the consents due for review, are told once for each date (notifications.overdue)."""

from __future__ import annotations

from datetime import date

from django.db.models import Exists, OuterRef
from django.urls import reverse

from consent import capacity
from consent.models import ConsentRecord
from notifications import overdue
from notifications.models import Kind
from notifications.services import Notice, Recipients, notifications_make
from notifications.windows import LOOK_BACK


@overdue.check("consent reviews due")
def consent_reviews_due(today: date) -> int:
    # Current consents as oversight's consent_reviews_queryset has them: not withdrawn, superseded by none.
    due = (
        ConsentRecord.objects.filter(review_on__lte=today, review_on__gte=today - LOOK_BACK)
        .exclude(response=capacity.Response.WITHDRAWN)
        .filter(~Exists(ConsentRecord.objects.filter(supersedes=OuterRef("pk"))))
        .only("pk", "agency_id", "review_on")
    )
    made = 0
    for record in due:
        made += len(
            notifications_make(
                notice=Notice(
                    kind=Kind.CONSENT_REVIEW_DUE,
                    link=reverse("consent:detail", args=[record.pk]),
                    about=f"consent:{record.pk}:{record.review_on.isoformat()}",
                ),
                to=Recipients(leads_of_agency=record.agency_id),
            )
        )
    return made
