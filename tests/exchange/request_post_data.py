"""Logging or correcting a request for information a page at a time (exchange.request_pages), as a practitioner
answers each page, for tests."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from exchange import request_pages


def request_post(**overrides):
    """A request from a police officer the practitioner does not know, as the pages post it (each takes its own)."""
    now = timezone.localtime() - timedelta(minutes=10)
    data = {
        "received_on_0": str(now.day),
        "received_on_1": str(now.month),
        "received_on_2": str(now.year),
        "received_time": now.strftime("%H:%M"),
        "channel": "phone",
        "requester_name": "DC Sam Reid",
        "requester_role": "Detective constable",
        "requester_agency": "Northgate Police",
        "requester_agency_kind": "police",
        "requester_contact": "01632 960 999",
        "requester_known": "no",
        "information_needed": "Whether the family is known and any recent concerns.",
        "reason": "A strategy discussion under s47 this afternoon.",
        "intended_use": "To decide on joint enquiries.",
        "others_to_tell": "The child's school.",
        "risk_level": "reasonable_cause_to_believe",
    }
    data.update(overrides)
    return data


def _is_a_page_of_the_request(url: str) -> bool:
    path = url.split("?")[0]
    return "/requests/add/" in path or ("/requests/" in path and "/change/" in path)


def through_the_request_pages(client, url, data, *, follow=False):
    """``data`` sent page by page from ``url`` (the first page of logging a request), each page taking its own
    answers from it, then logged on the check page (with ``data``'s submission key, if any). Returns the first
    page that refused its answers, else the answer to "Log request"."""
    data = dict(data)
    key = data.pop("submission_key", None)
    response = client.post(url, data)
    while response.status_code == 302 and _is_a_page_of_the_request(response.url):
        if response.url.split("?")[0].endswith(f"/{request_pages.CHECK}/"):
            return client.post(response.url, {"submission_key": key} if key else {}, follow=follow)
        response = client.post(response.url, data)
    return response


def correct_through_the_pages(client, information_request, data, *, follow=False):
    """A correction: each page sent ``data`` from the request's check page, then "Save corrections". Returns the
    first page that refused its answers, else the answer to "Save corrections"."""
    start = client.get(reverse("exchange:request_change", args=[information_request.pk]))
    if start.status_code != 302 or not start.url.endswith(f"/{request_pages.CHECK}/"):
        return start
    for page in request_pages.PAGES:
        url = reverse("exchange:request_change_page", args=[information_request.pk, page.slug])
        response = client.post(url, data)
        if response.status_code != 302:
            return response
    return client.post(start.url, follow=follow)
