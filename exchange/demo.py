"""Demo requests and disclosures, recorded through the services a practitioner uses."""

from datetime import timedelta

from django.utils import timezone

from exchange import services
from records.models import Adult, Child, User
from sharing.models import SharingDecision

# Requests that the demo decisions answer, by the child's case reference.
REQUESTS = {
    "NCS-1042": {
        "channel": "phone",
        "requester_name": "Nadia Hughes",
        "requester_role": "Health visitor",
        "requester_agency": "Northgate NHS Foundation Trust",
        "requester_agency_kind": "health",
        "requester_contact": "01632 960 250 (health visiting team)",
        "requester_known": False,
        "information_needed": "Whether the family is known to children's social care, and any risk to a visitor.",
        "reason": "She is due to visit Mia's younger brother at home next week.",
        "intended_use": "To plan a safe home visit.",
        "others_to_tell": "Her safeguarding supervisor.",
        "risk_level": "reasonable_cause_to_believe",
    },
}

# What was then disclosed, and whether the family was told.
DISCLOSURES = {
    "NCS-1042": {
        "method": "phone",
        "checks": ["caller_verified", "written_record"],
        "informed": False,
        "not_informed_reason": "Telling the mother now could put her at risk from her partner (3.5.19).",
        "reconsider_in_days": -1,
    },
    "NCS-2210": {
        "method": "secure_email",
        "checks": ["secure_system", "confidentiality_warning"],
        "informed": True,
    },
}


def request_for(child: Child, author: User, adults: list[Adult]):
    details = {**REQUESTS[child.local_reference], "received_at": timezone.now() - timedelta(days=6, hours=3)}
    request = services.request_log(user=author, child=child, adults=adults, details=details)
    return services.request_verify(
        user=author,
        request=request,
        method="called_back",
        details="Called the health visiting team on the trust's published number and was put through to her.",
    )


def disclose(decision: SharingDecision, author: User) -> None:
    spec = DISCLOSURES.get(decision.child.local_reference)
    if spec is None or decision.disclosures.exists():
        return
    planned = next(a.answers for a in decision.answers.all() if a.question_key == "sharing")
    informed = spec["informed"]
    services.disclosure_record(
        user=author,
        decision=decision,
        request=decision.draft.request,
        details={
            "items": planned["items"],
            "recipient_name": planned["recipient_name"],
            "recipient_role": planned["recipient_role"],
            "recipient_agency": planned["recipient_agency"],
            "disclosed_at": decision.decided_at + timedelta(minutes=30),
            "method": spec["method"],
            "checks": spec["checks"],
            "onward_sharing": "no",
            "consent_limits_told": True if planned.get("consent_limits_explained") else None,
            "informed": informed,
            "informed_on": decision.decided_at.date() if informed else None,
            "informed_by": author.full_name if informed else "",
            "not_informed_reason": "" if informed else spec["not_informed_reason"],
            "reconsider_on": None if informed else timezone.localdate() + timedelta(days=spec["reconsider_in_days"]),
        },
    )
