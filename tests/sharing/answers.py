"""Form posts for each key question: the examples of ``sharing.examples``, and question 4 with a consent record."""

from datetime import timedelta

from django.urls import resolve
from django.utils import timezone

from consent.models import ConsentRecord
from sharing.examples import date_posted, decided_posted, posted
from sharing.guidance import QuestionKey


def purpose(**overrides):
    """Question 1's answers, all its pages' (guidance.PAGES): send them with ``send_question``."""
    return posted(QuestionKey.PURPOSE, **overrides)


def send_question(client, url, data):
    """Send a question's answers from its page at ``url``, page after page while it goes on to another of its
    pages (each page reads only what it asks); the response of the last page sent."""
    response = client.post(url, data)
    while response.status_code == 302 and _is_later_page(url, response.url):
        url = response.url
        page = resolve(url.split("?")[0])
        if page.url_name == "question_item":
            response = send_items(client, url, data)
        elif page.kwargs.get("page") == "items":
            # The items already listed: no other to add.
            response = client.post(url, {"add_another": "no"})
        else:
            response = client.post(url, data)
    return response


def items_posted(data) -> list[dict[str, str]]:
    """The items of a post in the shape of ``sharing.examples`` (item_1_text, item_1_kind, ...), each as its own
    page sends it."""
    numbers = sorted(int(key.split("_")[1]) for key in data if key.startswith("item_") and key.endswith("_text"))
    return [
        {"text": data[f"item_{number}_text"], "kind": data.get(f"item_{number}_kind", "")}
        for number in numbers
        if str(data[f"item_{number}_text"]).strip()
    ]


def send_items(client, url, data):
    """From the page of a question's first item at ``url``, add ``data``'s items one a page, then say there is no
    other; the response of the last page sent."""
    path, _, query = url.partition("?")
    response = None
    for number, item in enumerate(items_posted(data), start=1):
        response = client.post(path.replace("/items/1/", f"/items/{number}/") + (f"?{query}" if query else ""), item)
        if response.status_code != 302:
            return response
    if response is None:
        return client.post(url, {})
    return client.post(response.url, {"add_another": "no"})


def send_pages_before(client, url, page: str, data=None) -> str:
    """From question 1's first page at ``url``, send its pages before ``page`` (``data``, else the example);
    the address of ``page``."""
    data = purpose() if data is None else data
    while resolve(url.split("?")[0]).kwargs.get("page", "purpose") != page:
        response = client.post(url, data)
        assert response.status_code == 302, response.context["form"].errors if response.context else response
        url = response.url
    return url


def _is_later_page(url: str, then: str) -> bool:
    here, there = resolve(url.split("?")[0]), resolve(then.split("?")[0])
    return (
        there.url_name in ("question_page", "question_item")
        and here.url_name in ("question", "question_page", "question_item")
        and (here.kwargs["draft_id"], here.kwargs["question"]) == (there.kwargs["draft_id"], there.kwargs["question"])
    )


def identifiable(**overrides):
    return posted(QuestionKey.IDENTIFIABLE, **overrides)


def confidential(**overrides):
    return posted(QuestionKey.CONFIDENTIAL, **overrides)


class NewestConsent:
    """The id of the newest consent record with this answer, looked up when posted."""

    def __init__(self, response):
        self.response = response

    def __str__(self):
        record = ConsentRecord.objects.filter(response=self.response).order_by("-recorded_at").first()
        return str(record.pk) if record else ""


def consent(**overrides):
    """Question 4, answered with the newest consent record of the kind the status needs."""
    status = overrides.get("status", "obtained")
    data = {"status": status}
    if status in ("obtained", "refused"):
        data["consent_record"] = NewestConsent("given" if status == "obtained" else "refused")
        if status == "obtained":
            data["consent_covers"] = "yes"
    data.update(overrides)
    return data


def statutory(**overrides):
    return posted(QuestionKey.STATUTORY, **overrides)


def public_interest(**overrides):
    return posted(QuestionKey.PUBLIC_INTEREST, **overrides)


def sharing(**overrides):
    return posted(QuestionKey.SHARING, **overrides)


def not_told(days: int = 30, **overrides):
    """Question 7's answer that the person will not be told, with a date to reconsider ``days`` from today."""
    return {
        "person_informed": "not_told",
        "not_informed_reason": "Telling the mother now could alert her partner.",
        **date_posted("reconsider_on", timezone.localdate() + timedelta(days=days)),
        **overrides,
    }


def decision(**overrides):
    decided = timezone.localtime() - timedelta(minutes=5)
    return posted(QuestionKey.DECISION, **{**decided_posted(decided), **overrides})
