"""The overdue check of disclosures sent through the service: not acknowledged by the time set when sent
(DELIVERY_ACKNOWLEDGE_WITHIN_HOURS). The sending agency's leads are told, once each (notifications.overdue)."""

from __future__ import annotations

from datetime import date

from django.urls import reverse
from django.utils import timezone

from delivery.models import Delivery
from delivery.selectors import not_acknowledged
from notifications import overdue
from notifications.models import Kind
from notifications.services import Notice, Recipients, notifications_make
from notifications.windows import LOOK_BACK


@overdue.check("disclosures not acknowledged")
def disclosures_not_acknowledged(today: date) -> int:
    made = 0
    now = timezone.now()
    late = Delivery.objects.filter(not_acknowledged(now), acknowledge_by__gte=now - LOOK_BACK)
    for delivery in late.only("pk", "disclosure_id", "from_agency_id"):
        made += len(
            notifications_make(
                notice=Notice(
                    kind=Kind.DISCLOSURE_NOT_ACKNOWLEDGED,
                    link=reverse("delivery:sent_detail", args=[delivery.disclosure_id]),
                    about=f"delivery:{delivery.pk}",
                ),
                to=Recipients(leads_of_agency=delivery.from_agency_id),
            )
        )
    return made
