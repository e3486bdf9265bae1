"""Requests and disclosures recorded through the real services, for tests."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from exchange import services
from exchange.models import DisclosureDraft, InformationRequest


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
        "method_detail": "nadia.hughes@nhs.example",
        "checks_secure_email": ["secure_system", "confidentiality_warning"],
        "onward_sharing": "no",
        "informed": "yes",
        **date_fields("informed_on", now.date()),
        "informed_by": "Priya Shah",
    }
    data.update(overrides)
    return data


def _items_sent(data: dict) -> list[dict[str, str]]:
    """The items ``data`` gives as the one-page form sent them (``item_1_text``, ``item_1_kind``, ...)."""
    items, number = [], 1
    while f"item_{number}_text" in data:
        items.append({"text": data.pop(f"item_{number}_text"), "kind": data.pop(f"item_{number}_kind", "")})
        number += 1
    return items


def through_the_pages(client, decision, data, *, record: bool = True):
    """``data`` (as ``disclosure_post`` makes it) sent page by page, as a practitioner would answer each page
    with it: the items one a page in place of those planned, then each page, then "Record disclosure" on the
    check page (with ``data``'s submission key, if any). Returns the first page that refused its answers, else
    the answer to "Record disclosure" (``record``; else the check page, not yet recorded)."""
    data = dict(data)
    key = data.pop("submission_key", None)
    items = _items_sent(data)
    response = client.get(reverse("exchange:disclosure_add", args=[decision.pk]))
    while response.status_code == 302 and "/disclosures/add/" in response.url:
        url = response.url
        if url.endswith("/check/"):
            if not record:
                return client.get(url)
            return client.post(url, {"submission_key": key} if key else {})
        if "/items/" in url:
            items_url = reverse("exchange:disclosure_page", args=[decision.pk, "items"])
            for number, item in enumerate(items, start=1):
                answered = client.post(reverse("exchange:disclosure_item", args=[decision.pk, number]), item)
                if answered.status_code != 302:
                    return answered
            draft = DisclosureDraft.objects.get(decision=decision, author=response.wsgi_request.user)
            for extra in range(len(draft.items), len(items), -1):
                client.post(items_url, {"remove": str(extra)})
            response = client.post(items_url, {"add_another": "no"})
            if response.status_code != 302:
                return response
            items = []
            continue
        response = client.post(url, data)
    return response
