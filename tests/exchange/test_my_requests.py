"""The requests a practitioner logged or is handling (issue 17, point 10): each named by who asked, with
when it came, when it is due and where it stands, a page at a time."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AccessEvent, Action, Subject
from exchange import selectors
from exchange import services as exchange_services
from exchange.models import InformationRequest
from sharing import services as sharing_services
from tests.exchange.recorded import disclose, log_request
from tests.factories import ChildFactory, StaffMembershipFactory
from tests.page_text import page_text
from tests.sharing.recorded import complete_answers

URL = reverse("exchange:mine")


@pytest.fixture
def child(agency):
    return ChildFactory(agency=agency)


def long_date(moment) -> str:
    return f"{timezone.localtime(moment):%-d %B %Y}"


def test_where_a_request_stands_is_said_in_words():
    def status(outcome="", disclosed=False, unverified=False):
        return selectors.handling_status(outcome=outcome, disclosed=disclosed, awaits_verification=unverified)

    assert status() == "Open"
    assert status(unverified=True) == "Open: verification outstanding"
    assert status("decided") == "Decided"
    assert status("decided", unverified=True) == "Decided: verification outstanding"
    assert status("declined") == "Declined"
    assert status("decided", disclosed=True) == "Disclosed"


def decide(user, info_request):
    """A decision answering the request, recorded by ``user``: the request is decided."""
    draft = sharing_services.draft_start(user=user, child=info_request.child, adults=[], direction="request_received")
    draft.request = info_request
    draft.answers = {str(key): value for key, value in complete_answers().items()}
    draft.save()
    return sharing_services.decision_record(draft=draft, user=user)


def verify(user, info_request):
    exchange_services.request_verify(
        user=user, information_request=info_request, method="called_back", details="Called the trust back."
    )


def test_the_requests_logged_or_handled_are_listed_with_their_dates_and_status(
    client, settings, practitioner, agency, child
):
    settings.OPEN_REQUEST_ALERT_DAYS = 5
    colleague = StaffMembershipFactory(agency=agency).user
    logged = log_request(practitioner, child, days_ago=2)
    decided_for_a_colleague = log_request(colleague, child, days_ago=4)
    decision = decide(practitioner, decided_for_a_colleague)
    verify(colleague, decided_for_a_colleague)
    disclosure = disclose(practitioner, decision, information_request=decided_for_a_colleague)
    not_mine = log_request(colleague, child, days_ago=1)
    client.force_login(practitioner)
    text = page_text(client.get(URL))
    assert "Showing 1 to 2 of 2, newest first." in text
    header = ["Request", "Child", "Received", "Due", "Status"]
    asked = "From Nadia Hughes, Northgate NHS Foundation Trust"
    due = long_date(logged.received_at + timedelta(days=5))
    first = [asked, child.full_name, long_date(logged.received_at), due, "Open: verification outstanding"]
    second = [
        asked,
        child.full_name,
        long_date(decided_for_a_colleague.received_at),
        f"Disclosed on {long_date(disclosure.disclosed_at)}",
        "Disclosed",
    ]
    assert "\n".join([*header, *first, *second]) in text
    page = client.get(URL).content.decode()
    assert f'href="{reverse("exchange:request_detail", args=[logged.pk])}">{asked}<' in page
    assert reverse("exchange:request_detail", args=[not_mine.pk]) not in page
    # Verifying the requester is handling it too, and ends "verification outstanding".
    verify(practitioner, not_mine)
    text = page_text(client.get(URL))
    assert "Showing 1 to 3 of 3, newest first." in text
    assert f"{long_date(not_mine.received_at + timedelta(days=5))}\nOpen\n" in text


def test_a_colleague_sees_only_their_own(client, practitioner, agency, child):
    log_request(practitioner, child, days_ago=2)
    colleague = StaffMembershipFactory(agency=agency).user
    client.force_login(colleague)
    assert "You are not handling any requests." in page_text(client.get(URL))


def test_the_list_is_shown_a_page_at_a_time_and_each_page_is_a_look(practitioner_client, practitioner, child):
    for days_ago in range(52):
        log_request(practitioner, child, days_ago=days_ago + 1)
    first = page_text(practitioner_client.get(URL))
    assert "Showing 1 to 50 of 52, newest first." in first
    assert "Older requests" in first and "Newer requests" not in first
    second = page_text(practitioner_client.get(URL, {"page": 2}))
    assert "Showing 51 to 52 of 52, newest first." in second and "Newer requests" in second
    oldest = InformationRequest.objects.order_by("received_at").first()
    assert long_date(oldest.received_at) in second
    looks = AccessEvent.objects.filter(user=practitioner, action=Action.VIEW).order_by("pk")
    assert list(looks.values_list("subject", "detail")) == [
        (Subject.REQUESTS, "handled by them: 50 of 52 listed, page 1"),
        (Subject.REQUESTS, "handled by them: 2 of 52 listed, page 2"),
    ]
