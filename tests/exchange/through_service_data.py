"""A request sent through this service (exchange.through_service), as a practitioner answers each page, for
tests."""

from django.urls import reverse

from exchange import through_service


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
