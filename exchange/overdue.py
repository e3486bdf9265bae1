"""The overdue check of decisions and disclosures: the date to reconsider telling the person has come
(3.5.19), and nobody has been told. Whoever recorded it is told, once for each date (notifications.overdue)."""

from __future__ import annotations

from datetime import date

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse

from exchange.models import Disclosure
from notifications import overdue, selectors
from notifications.models import Kind
from notifications.services import Notice, Recipients, notifications_make
from notifications.windows import LOOK_BACK
from sharing.models import SharingDecision


def _tell(*, link: str, about: str, recorded_by_id: int, agency_id: int) -> int:
    people = selectors.owner_or_leads(user_id=recorded_by_id, agency_id=agency_id)
    made = notifications_make(
        notice=Notice(kind=Kind.RECONSIDER_DATE_PASSED, link=link, about=about),
        to=Recipients(people=tuple(person.pk for person in people)),
    )
    return len(made)


@overdue.check("reconsider dates come")
def reconsider_dates_come(today: date) -> int:
    made = 0
    since = today - LOOK_BACK
    # A decision to share without telling, nothing disclosed under it yet (oversight's decisions_not_told).
    decisions = SharingDecision.objects.filter(reconsider_on__lte=today, reconsider_on__gte=since).filter(
        ~Exists(Disclosure.objects.filter(decision=OuterRef("pk")))
    )
    for decision in decisions.only("pk", "agency_id", "recorded_by_id", "reconsider_on"):
        made += _tell(
            link=reverse("sharing:decision_detail", args=[decision.pk]),
            about=f"decision:{decision.pk}:{decision.reconsider_on.isoformat()}",
            recorded_by_id=decision.recorded_by_id,
            agency_id=decision.agency_id,
        )
    # A disclosure whose person was not told: the date is its newest follow-up's, if it has one.
    disclosures = (
        Disclosure.objects.filter(informed=False)
        .filter(
            Q(reconsider_on__lte=today, reconsider_on__gte=since)
            | Q(follow_ups__reconsider_on__lte=today, follow_ups__reconsider_on__gte=since)
        )
        .distinct()
        .prefetch_related("follow_ups")
    )
    for disclosure in disclosures:
        follow_ups = sorted(disclosure.follow_ups.all(), key=lambda follow_up: (follow_up.recorded_at, follow_up.pk))
        newest = follow_ups[-1] if follow_ups else disclosure
        if newest.informed or newest.reconsider_on is None or not since <= newest.reconsider_on <= today:
            continue
        made += _tell(
            link=reverse("exchange:disclosure_detail", args=[disclosure.pk]),
            about=f"disclosure:{disclosure.pk}:{newest.reconsider_on.isoformat()}",
            recorded_by_id=newest.recorded_by_id,
            agency_id=disclosure.agency_id,
        )
    return made
