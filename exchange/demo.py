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
    received = timezone.now() - timedelta(days=6, hours=3)
    details = services.RequestDetails(**REQUESTS[child.local_reference], received_at=received)
    information_request = services.request_log(user=author, child=child, adults=adults, details=details)
    # 3.7.4: called back within the hour, before the decision (two hours later) and the disclosure.
    return services.request_verify(
        user=author,
        information_request=information_request,
        method="called_back",
        details="Called the health visiting team on the trust's published number and was put through to her.",
        verified_at=received + timedelta(minutes=40),
    )


# Requests waiting to be tried from the demo sign-ins, by agency and the child's case reference: the police
# officer has one from children's services, in a category of 3.6.9, not yet verified (3.7.4).
OPEN_REQUESTS = {
    ("Northgate Police", "NP-CAIT-0412"): {
        "channel": "phone",
        "requester_name": "Priya Shah",
        "requester_role": "Social worker",
        "requester_agency": "Northgate Children's Services",
        "requester_agency_kind": "childrens_social_care",
        "requester_contact": "01632 960 001 (multi-agency safeguarding hub)",
        "requester_known": False,
        "information_needed": "Police call-outs to 14 Elm Grove in the last year, and what is known of Ryan Cole.",
        "reason": "A strategy discussion about Mia and her brother under s47 Children Act 1989 this week.",
        "intended_use": "To decide with the police whether to make joint enquiries, and to keep the children safe.",
        "others_to_tell": "The children's health visitor and school.",
        "risk_level": "reasonable_cause_to_believe",
        "police_category": "s47_referral",
        "received_hours_ago": 3,
    },
}


def seed_open_requests(*, author_for) -> int:
    """Log the demo's waiting requests for children that have none yet."""
    created = 0
    for (agency_name, reference), spec in OPEN_REQUESTS.items():
        child = Child.objects.filter(agency__name=agency_name, local_reference=reference).first()
        if child is None or child.information_requests.exists():
            continue
        details = services.RequestDetails(
            **{key: value for key, value in spec.items() if key != "received_hours_ago"},
            received_at=timezone.now() - timedelta(hours=spec["received_hours_ago"]),
        )
        adults = [link.adult for link in child.relationships.select_related("adult")]
        services.request_log(user=author_for(child.agency), child=child, adults=adults, details=details)
        created += 1
    return created


def disclose(decision: SharingDecision, author: User) -> None:
    spec = DISCLOSURES.get(decision.child.local_reference)
    if spec is None or decision.disclosures.exists():
        return
    planned = next(a.answers for a in decision.answers.all() if a.question_key == "sharing")
    informed = spec["informed"]
    services.disclosure_record(
        user=author,
        decision=decision,
        information_request=decision.draft.request,
        details=services.DisclosureDetails(
            items=planned["items"],
            recipient_name=planned["recipient_name"],
            recipient_role=planned["recipient_role"],
            recipient_agency=planned["recipient_agency"],
            disclosed_at=decision.decided_at + timedelta(minutes=30),
            method=spec["method"],
            checks=spec["checks"],
            onward_sharing="no",
            consent_limits_told=True if planned.get("consent_limits_explained") else None,
            informed=informed,
            informed_on=decision.decided_at.date() if informed else None,
            informed_by=author.full_name if informed else "",
            not_informed_reason="" if informed else spec["not_informed_reason"],
            reconsider_on=None if informed else timezone.localdate() + timedelta(days=spec["reconsider_in_days"]),
        ),
    )
