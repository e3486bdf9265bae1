"""Disclosures sent through the service by the real services, for tests."""

from datetime import timedelta

from django.utils import timezone

from delivery import services
from exchange import services as exchange_services

ITEMS = [
    {"text": "Police attended the home on 3 March after a neighbour's call", "kind": "fact"},
    {"text": "The health visitor thinks the baby is not gaining weight as expected", "kind": "opinion"},
    {"text": "The bruising may be from rough handling", "kind": "hypothesis"},
]
NOT_TOLD_BECAUSE = "Telling the father now could put the child at risk"


def send(user, decision, *, to_agency, to_person=None, informed=False, keep_days=90, onward="no", items=ITEMS, **typed):
    """Send a disclosure under ``decision`` to ``to_agency`` (its leads, or ``to_person`` by name)."""
    details = exchange_services.DisclosureDetails(
        items=items,
        recipient_name=to_person.full_name if to_person else "The safeguarding leads",
        recipient_role="Safeguarding lead",
        recipient_agency=to_agency.name,
        disclosed_at=timezone.now(),
        method="through_the_service",
        onward_sharing=onward,
        onward_detail=typed.get("onward_detail", "To the school's designated lead, to plan support")
        if onward == "yes"
        else "",
        informed=informed,
        informed_on=timezone.localdate() if informed else None,
        informed_by="Priya" if informed else "",
        not_informed_reason="" if informed else typed.get("not_informed_reason", NOT_TOLD_BECAUSE),
        reconsider_on=None if informed else timezone.localdate() + timedelta(days=14),
    )
    return services.disclosure_send(
        user=user,
        decision=decision,
        details=details,
        sending=exchange_services.Sending(
            agency_id=to_agency.pk,
            person_id=to_person.pk if to_person else None,
            keep_until=timezone.localdate() + timedelta(days=keep_days),
        ),
    )
