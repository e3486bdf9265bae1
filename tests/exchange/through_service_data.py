"""A request sent through this service (exchange.through_service), as a practitioner answers each page, for
tests."""

from django.urls import reverse

from exchange import services, through_service
from tests.factories import ChildFactory


def ask_post(to_agency, **overrides):
    data = {
        "to_agency": str(to_agency.pk),
        "information_needed": "Whether the family is known to you, and any recent concerns.",
        "reason": "A strategy discussion under s47 this afternoon.",
        "intended_use": "To decide on joint enquiries.",
        "others_to_tell": "Nobody else: the request goes to you alone.",
        "risk_level": "reasonable_cause_to_believe",
        "police_category": "s47_referral",
    }
    data.update(overrides)
    return data


def through_the_ask_pages(client, child, data, *, follow=False):
    """``data`` sent page by page from the first page of asking, then "Send request" on the check page. Returns
    the first page that refused its answers, else the answer to "Send request"."""
    response = client.post(reverse("exchange:sent_request_add", args=[child.pk]), data)
    while response.status_code == 302 and "/requests/ask/" in response.url:
        if response.url.endswith(f"/{through_service.CHECK}/"):
            return client.post(response.url, {}, follow=follow)
        response = client.post(response.url, data)
    return response


def sent_about(user, child, to_agency, **overrides):
    """A request sent through this service by ``user`` about ``child`` to ``to_agency``."""
    asked = {
        "information_needed": "Whether the family is known to you.",
        "reason": "A home visit next week.",
        "intended_use": "To plan a safe visit.",
        "others_to_tell": "Nobody else.",
        "risk_level": "lower",
    }
    details = services.SentRequestDetails(to_agency=to_agency, **(asked | overrides))
    return services.sent_request_send(user=user, child=child, details=details, two_factor=True)


def matched_and_declined(sent_request, *, by):
    """Matched by ``by`` (of the agency asked) to a new child of theirs, and declined."""
    information_request = services.sent_request_match(
        user=by, sent_request=sent_request, child=ChildFactory(agency=by.agency)
    )
    services.request_outcome_record(
        user=by,
        information_request=information_request,
        closing=services.ClosingDetails(outcome="declined", reasons="Not enough to go on."),
    )
    return information_request
