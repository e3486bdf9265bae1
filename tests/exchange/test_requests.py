"""Logging requests, verifying requesters, police categories, outcomes."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from exchange.models import InformationRequest, RequestOutcome
from records.models import Agency
from sharing.models import DecisionDraft
from tests.exchange.recorded import log_request
from tests.exchange.request_post_data import correct_through_the_pages, request_post, through_the_request_pages
from tests.factories import AgencyFactory, ChildFactory, RelationshipFactory, StaffMembershipFactory
from tests.page_text import page_text, reader_text
from tests.sharing import answers as A


@pytest.fixture
def child(agency):
    return ChildFactory(agency=agency, given_name="Mia")


def log(client, child, **overrides):
    """The request logged a page at a time: the first page that refuses its answers, else "Log request"."""
    return through_the_request_pages(
        client, reverse("exchange:request_add", args=[child.pk]), request_post(**overrides)
    )


def test_a_request_is_logged_with_what_the_requester_explained(practitioner_client, practitioner, child):
    mother = RelationshipFactory(child=child)
    response = log(practitioner_client, child, adults=[str(mother.adult_id)])
    request = InformationRequest.objects.get()
    assert response.url == reverse("exchange:request_detail", args=[request.pk])
    assert (request.requester_name, request.channel, request.logged_by) == ("DC Sam Reid", "phone", practitioner)
    assert list(request.adults.all()) == [mother.adult]
    assert request.history.get().history_user == practitioner
    page = practitioner_client.get(response.url).content.decode()
    assert "Requester not verified" in page
    assert "A strategy discussion under s47" in page
    assert "Open" in page


def test_a_partial_request_names_what_is_missing_on_its_page_and_keeps_the_rest(practitioner_client, child):
    response = log(practitioner_client, child, reason="", intended_use="", received_time="25:99", channel="")
    # The page of how and when it came in refuses its answers; the page before kept its own.
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["received_time"] == ["Enter the time in the 24-hour clock, like 14:30"]
    assert errors["channel"] == ["Select how the request came in"]
    assert "reason" not in errors
    response = log(practitioner_client, child, reason="", intended_use="")
    assert dict(response.context["form"].errors) == {
        "reason": ["Enter why they need the information"],
        "intended_use": ["Enter what they will do with the information"],
    }
    back = practitioner_client.get(reverse("exchange:request_add", args=[child.pk]))
    assert back.context["form"].initial["requester_name"] == "DC Sam Reid"
    assert not InformationRequest.objects.exists()


def test_a_request_cannot_be_received_in_the_future(practitioner_client, child):
    later = timezone.localtime() + timedelta(days=2)
    response = log(
        practitioner_client,
        child,
        received_on_0=str(later.day),
        received_on_1=str(later.month),
        received_on_2=str(later.year),
    )
    assert "The request cannot have been received in the future" in page_text(response)


def test_verification_is_recorded_with_how_and_by_whom(practitioner_client, practitioner, child):
    log(practitioner_client, child)
    request = InformationRequest.objects.get()
    url = reverse("exchange:request_verify", args=[request.pk])
    empty = practitioner_client.post(url, {})
    assert "Select how you verified the requester" in empty.content.decode()
    practitioner_client.post(url, {"method": "called_back", "details": "Called 101, put through to DC Reid."})
    request.refresh_from_db()
    assert request.is_verified
    assert (request.verified_by, request.verification_method) == (practitioner, "called_back")


@pytest.fixture
def police_client(client, db):
    police = AgencyFactory(name="Northgate Police", kind=Agency.Kind.POLICE)
    officer = StaffMembershipFactory(agency=police).user
    client.force_login(officer)
    client.child = ChildFactory(agency=police)
    return client


def test_a_police_agency_records_the_category_of_request(police_client):
    response = log(police_client, police_client.child)
    assert response.request["PATH_INFO"].endswith("/police-category/")
    assert response.context["form"].errors["police_category"] == ["Select the category of request"]
    assert log(police_client, police_client.child, police_category="s47_referral").status_code == 302
    assert InformationRequest.objects.get().police_category == "s47_referral"


def test_a_request_outside_the_police_categories_is_declined(police_client):
    log(police_client, police_client.child, police_category="none")
    request = InformationRequest.objects.get()
    page = police_client.get(reverse("exchange:request_detail", args=[request.pk])).content.decode()
    assert "must be declined (guidance paragraph 3.6.10)" in reader_text(page)
    assert "Decide using the eight key questions" not in page
    decide = police_client.post(reverse("exchange:request_decide", args=[request.pk]))
    assert decide.url == reverse("exchange:request_detail", args=[request.pk])
    assert not DecisionDraft.objects.exists()
    close = police_client.post(
        reverse("exchange:request_close", args=[request.pk]),
        {"outcome": "declined", "reasons": "Outside the 3.6.9 categories."},
    )
    assert close.status_code == 302
    assert RequestOutcome.objects.get().outcome == "declined"


def test_other_agencies_are_not_asked_for_a_police_category(practitioner_client, child):
    form = practitioner_client.get(reverse("exchange:request_add", args=[child.pk])).context["form"]
    assert "police_category" not in form.fields
    police_page = reverse("exchange:request_add_page", args=[child.pk, "police-category"])
    assert practitioner_client.get(police_page).url == reverse("exchange:request_add", args=[child.pk])
    # Sent anyway, with the rest: not recorded (3.6.9 is the police's test).
    log(practitioner_client, child, police_category="none")
    assert InformationRequest.objects.get().police_category == ""


def test_a_decline_needs_reasons_and_happens_once(practitioner_client, child):
    log(practitioner_client, child)
    request = InformationRequest.objects.get()
    url = reverse("exchange:request_close", args=[request.pk])
    assert "Enter the reasons" in practitioner_client.post(url, {"outcome": "declined"}).content.decode()
    practitioner_client.post(url, {"outcome": "declined", "reasons": "No need to know shown."})
    practitioner_client.post(url, {"outcome": "withdrawn", "reasons": "Changed my mind."})
    assert RequestOutcome.objects.get().outcome == "declined"


def test_a_request_goes_to_a_decision_prefilled_and_the_decision_closes_it(practitioner_client, child):
    log(practitioner_client, child)
    request = InformationRequest.objects.get()
    response = practitioner_client.post(reverse("exchange:request_decide", args=[request.pk]))
    draft = DecisionDraft.objects.get()
    assert draft.request == request
    assert response.url == reverse("sharing:question", args=[draft.pk, "purpose"])
    page = practitioner_client.get(response.url)
    assert "DC Sam Reid (Detective constable, Northgate Police) asked for" in page.content.decode()
    # The level of concern the request gave fills question 1's page that asks it (guidance.PAGES).
    concern = A.send_pages_before(
        practitioner_client, response.url, "concern", A.purpose(purpose=page.context["form"].initial["purpose"])
    )
    assert practitioner_client.get(concern).context["form"].initial["concern_level"] == "reasonable_cause_to_believe"


def test_the_request_list_filters_by_status(practitioner_client, child):
    log(practitioner_client, child)
    log(practitioner_client, child, requester_name="Ms Jo Lake")
    declined = InformationRequest.objects.get(requester_name="Ms Jo Lake")
    practitioner_client.post(
        reverse("exchange:request_close", args=[declined.pk]), {"outcome": "declined", "reasons": "No need to know."}
    )
    names = lambda response: [r.requester_name for r, _ in response.context["requests"]]  # noqa: E731
    assert sorted(names(practitioner_client.get(reverse("exchange:request_list")))) == ["DC Sam Reid", "Ms Jo Lake"]
    assert names(practitioner_client.get(reverse("exchange:request_list") + "?status=open")) == ["DC Sam Reid"]
    assert names(practitioner_client.get(reverse("exchange:request_list") + "?status=declined")) == ["Ms Jo Lake"]
    assert practitioner_client.get(reverse("exchange:request_list") + "?status=bogus&from=nonsense").status_code == 200


def test_another_agency_cannot_see_a_request(client, practitioner, other_practitioner, child):
    client.force_login(practitioner)
    log(client, child)
    request = InformationRequest.objects.get()
    client.force_login(other_practitioner)
    assert client.get(reverse("exchange:request_detail", args=[request.pk])).status_code == 404
    assert client.post(reverse("exchange:request_decide", args=[request.pk])).status_code == 404
    assert client.get(reverse("exchange:request_add", args=[child.pk])).status_code == 404
    assert client.get(reverse("exchange:request_change", args=[request.pk])).status_code == 404
    assert list(client.get(reverse("exchange:request_list")).context["requests"]) == []


def test_deciding_twice_carries_on_with_the_decision_already_started(practitioner_client, child):
    log(practitioner_client, child)
    request = InformationRequest.objects.get()
    url = reverse("exchange:request_decide", args=[request.pk])
    first = practitioner_client.post(url)
    second = practitioner_client.post(url)
    draft = DecisionDraft.objects.get()
    assert first.url == reverse("sharing:question", args=[draft.pk, "purpose"])
    assert second.url == reverse("sharing:check", args=[draft.pk])


def test_a_verified_or_closed_request_is_not_verified_again(practitioner_client, practitioner, child):
    log(practitioner_client, child)
    request = InformationRequest.objects.get()
    url = reverse("exchange:request_verify", args=[request.pk])
    practitioner_client.post(url, {"method": "called_back", "details": "Called back."})
    practitioner_client.post(url, {"method": "other", "details": "Overwritten?"})
    request.refresh_from_db()
    assert (request.verification_method, request.verification_details) == ("called_back", "Called back.")


def test_an_open_request_can_be_corrected_and_keeps_its_history(practitioner_client, practitioner, child):
    log(practitioner_client, child)
    request = InformationRequest.objects.get()
    url = reverse("exchange:request_change", args=[request.pk])
    check = practitioner_client.get(url, follow=True)
    assert "Check your corrections to request" in page_text(check)
    assert "DC Sam Reid" in page_text(check)
    requester_page = reverse("exchange:request_change_page", args=[request.pk, "requester"])
    assert practitioner_client.get(requester_page).context["form"].initial["requester_name"] == "DC Sam Reid"
    response = correct_through_the_pages(practitioner_client, request, request_post(requester_contact="01632 960 111"))
    assert response.url == reverse("exchange:request_detail", args=[request.pk])
    request.refresh_from_db()
    assert request.requester_contact == "01632 960 111"
    assert [h.requester_contact for h in request.history.all()] == ["01632 960 111", "01632 960 999"]
    practitioner_client.post(
        reverse("exchange:request_close", args=[request.pk]), {"outcome": "withdrawn", "reasons": "Not needed now."}
    )
    assert practitioner_client.get(url).url == reverse("exchange:request_detail", args=[request.pk])


def test_a_long_request_list_is_shown_a_page_at_a_time(practitioner_client, practitioner, child):
    count = 53
    for days_ago in range(count):
        log_request(practitioner, child, days_ago=days_ago + 1)
    url = reverse("exchange:request_list")
    first = page_text(practitioner_client.get(url))
    assert f"Showing 1 to 50 of {count}, newest first." in first
    assert "Older requests" in first and "Newer requests" not in first
    second = practitioner_client.get(url, {"page": 2})
    text = page_text(second)
    assert f"Showing 51 to {count} of {count}, newest first." in text
    assert "Newer requests" in text and "Older requests" not in text
    oldest = timezone.localtime(timezone.now() - timedelta(days=count)).date()
    assert text.count("From Nadia Hughes, Northgate NHS Foundation Trust") == count - 50
    assert f"{oldest:%-d %B %Y}" in text
    # The filters stay as they were on every page.
    filtered = practitioner_client.get(url, {"status": "open", "page": 2}).content.decode()
    assert "status=open&amp;page=1" in filtered


def test_a_request_links_by_who_asked_with_the_date_on_its_own(practitioner_client, practitioner, child):
    info_request = log_request(practitioner, child, days_ago=2)
    text = page_text(practitioner_client.get(reverse("exchange:request_list")))
    received = timezone.localtime(info_request.received_at)
    row = [f"{received:%-d %B %Y, %H:%M}", child.full_name, "From Nadia Hughes, Northgate NHS Foundation Trust", "Open"]
    assert "\n".join(["Received", "Child", "Request", "Status", *row]) in text
    page = practitioner_client.get(reverse("exchange:request_list")).content.decode()
    link = reverse("exchange:request_detail", args=[info_request.pk])
    assert f'href="{link}">From Nadia Hughes, Northgate NHS Foundation Trust<' in page
