"""Requests and disclosures recorded through the real services, for tests."""

from datetime import timedelta

from django.utils import timezone

from exchange import services
from exchange.models import InformationRequest


def log_request(user, child, days_ago):
    return InformationRequest.objects.create(
        agency=child.agency,
        child=child,
        received_at=timezone.now() - timedelta(days=days_ago),
        channel="email",
        requester_name="Nadia Hughes",
        requester_role="Health visitor",
        requester_agency="Northgate NHS Foundation Trust",
        requester_agency_kind="health",
        requester_contact="nadia@nhs.example",
        information_needed="Whether the family is known",
        reason="Home visit",
        intended_use="Plan a safe visit",
        risk_level="lower",
        logged_by=user,
    )


def disclose(user, decision, informed=True, information_request=None):
    return services.disclosure_record(
        user=user,
        decision=decision,
        information_request=information_request,
        details=services.DisclosureDetails(
            items=[{"text": "A fact", "kind": "fact"}],
            recipient_name="Nadia Hughes",
            recipient_role="Health visitor",
            recipient_agency="Northgate NHS Foundation Trust",
            disclosed_at=timezone.now(),
            method="secure_email",
            checks=["secure_system", "confidentiality_warning"],
            onward_sharing="no",
            informed=informed,
            informed_on=timezone.localdate() if informed else None,
            informed_by="Priya" if informed else "",
            not_informed_reason="" if informed else "Risk",
            reconsider_on=None if informed else timezone.localdate(),
        ),
    )


def date_fields(prefix, day):
    return {f"{prefix}_0": str(day.day), f"{prefix}_1": str(day.month), f"{prefix}_2": str(day.year)}


def disclosure_post(**overrides):
    now = timezone.localtime() - timedelta(minutes=5)
    data = {
        "item_1_text": "Police attended the home on 2 November.",
        "item_1_kind": "fact",
        "recipient_name": "Nadia Hughes",
        "recipient_role": "Health visitor",
        "recipient_agency": "Northgate NHS Foundation Trust",
        **date_fields("disclosed_on", now.date()),
        "disclosed_time": now.strftime("%H:%M"),
        "method": "secure_email",
        "checks_secure_email": ["secure_system", "confidentiality_warning"],
        "onward_sharing": "no",
        "informed": "yes",
        **date_fields("informed_on", now.date()),
        "informed_by": "Priya Shah",
    }
    data.update(overrides)
    return data
