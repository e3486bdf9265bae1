"""A request for information sent through this service by one agency to another (issue 19, ADR 26): sent,
received, matched to a child of the agency asked or said not known, answered; each side sees its own only."""

import pytest
from django.test import Client
from django.urls import reverse

from audit.models import AccessEvent, Subject
from exchange import services, through_service, verification
from exchange.models import Channel, InformationRequest, RequestMatch, SentRequest, VerificationMethod
from ledger.models import Entry, ImmutableRecordError
from notifications.models import Kind, Notification
from records.models import Agency
from records.roles import Role
from tests.exchange.through_service_data import ask_post, through_the_ask_pages
from tests.factories import AgencyFactory, ChildFactory, StaffMembershipFactory
from tests.page_text import page_text
from tests.sharing.recorded import record_decision


@pytest.fixture
def child(agency):
    return ChildFactory(agency=agency, given_name="Mia", family_name="Ashby", postcode="NG1 1AA")


@pytest.fixture
def asked(other_agency):
    """Agency B, asked: a children's social care department."""
    other_agency.kind = Agency.Kind.CHILDRENS_SOCIAL_CARE
    other_agency.save()
    return other_agency


@pytest.fixture
def their_child(asked, child):
    """Agency B's own record of the same child."""
    return ChildFactory(agency=asked, given_name="Mia", family_name="Ashby", date_of_birth=child.date_of_birth)


@pytest.fixture
def asked_client(other_practitioner):
    """Signed in as a practitioner of agency B, beside ``practitioner_client``."""
    client = Client()
    client.force_login(other_practitioner)
    return client


def send(practitioner, child, asked, **overrides) -> SentRequest:
    details = services.SentRequestDetails(
        to_agency=asked,
        information_needed="Whether the family is known to you.",
        reason="A home visit next week.",
        intended_use="To plan a safe visit.",
        others_to_tell="Nobody else.",
        risk_level="lower",
        **overrides,
    )
    return services.sent_request_send(user=practitioner, child=child, details=details, two_factor=True)


# The rules, alone.


def test_the_person_asking_sees_where_it_stands_and_nothing_else():
    assert through_service.standing(matched=None) == through_service.SENT
    assert through_service.standing(matched=False) == through_service.NOT_KNOWN
    assert through_service.standing(matched=True) == through_service.BEING_CONSIDERED
    assert through_service.standing(matched=True, outcome="decided", decision_outcome="share") == "shared"
    assert through_service.standing(matched=True, outcome="decided", decision_outcome="do_not_share") == "not_shared"
    assert through_service.standing(matched=True, outcome="declined") == through_service.DECLINED
    assert through_service.standing(matched=True, outcome="withdrawn") == through_service.WITHDRAWN


def test_the_category_is_asked_when_the_agency_asked_is_the_police():
    police = through_service.pages_that_apply(through_service.Answers(asked_agency_is_police=True))
    others = through_service.pages_that_apply(through_service.Answers(asked_agency_is_police=False))
    assert "police-category" in police
    assert "police-category" not in others


def test_the_account_is_the_verification_and_says_how_they_signed_in():
    said = verification.verified_by_account(
        name="Ann Lee", role="Practitioner", job_title="Social worker", agency="Northgate", two_factor=True
    )
    assert said == (
        "Sent through this service by Ann Lee (Practitioner, Social worker, Northgate) from their own account, "
        "signed in with two factors."
    )
    assert "password alone" in verification.verified_by_account(
        name="Ann Lee", role="Practitioner", job_title="", agency="Northgate", two_factor=False
    )


# Sending.


def test_a_request_is_sent_a_page_at_a_time_and_written_once(practitioner_client, practitioner, child, asked):
    response = through_the_ask_pages(practitioner_client, child, ask_post(asked))
    sent_request = SentRequest.objects.get()
    assert response.url == reverse("exchange:sent_request_detail", args=[sent_request.pk])
    assert (sent_request.to_agency, sent_request.sent_by, sent_request.child_name) == (asked, practitioner, "Mia Ashby")
    assert sent_request.child_postcode == "NG1 1AA"
    # Not asked of an agency that is not a police force, whatever was typed.
    assert sent_request.police_category == ""
    assert Entry.objects.filter(kind="sent request", record_id=str(sent_request.pk)).exists()
    with pytest.raises(ImmutableRecordError):
        sent_request.save()
    page = page_text(practitioner_client.get(response.url))
    assert "Sent, not yet matched to a child" in page
    assert f"Request {sent_request.reference} sent to {asked.name}" in page
    listed = page_text(practitioner_client.get(reverse("exchange:sent_requests", args=[child.pk])))
    assert f"{sent_request.reference} to {asked.name}\nSent, not yet matched to a child" in listed


def test_the_police_are_asked_the_category(practitioner_client, child, other_agency):
    other_agency.kind = Agency.Kind.POLICE
    other_agency.save()
    response = through_the_ask_pages(practitioner_client, child, ask_post(other_agency, police_category=""))
    assert response.status_code == 200
    assert response.context["form"].errors == {"police_category": ["Select the category of request"]}
    through_the_ask_pages(practitioner_client, child, ask_post(other_agency))
    assert SentRequest.objects.get().police_category == "s47_referral"


def test_a_missing_answer_is_said_on_its_page(practitioner_client, child, asked):
    response = through_the_ask_pages(practitioner_client, child, ask_post(asked, others_to_tell=""))
    assert response.context["form"].errors == {
        "others_to_tell": ["Enter who else will be told, or that nobody else will be"]
    }
    assert not SentRequest.objects.exists()


def test_nobody_asks_their_own_agency_or_one_that_has_left(practitioner, child, agency, asked):
    with pytest.raises(services.NotAllowed):
        send(practitioner, child, agency)
    asked.is_active = False
    asked.save()
    with pytest.raises(services.NotAllowed):
        send(practitioner, child, asked)
    assert not SentRequest.objects.exists()


def test_the_leads_of_the_agency_asked_are_told(practitioner, child, asked, monkeypatch):
    told = []
    monkeypatch.setattr(services, "notification_send", lambda **kwargs: told.append(kwargs))
    sent_request = send(practitioner, child, asked)
    (notice,) = told
    assert notice["notice"].kind == "request_received"
    assert notice["notice"].link == reverse("exchange:received_detail", args=[sent_request.pk])
    assert notice["to"].leads_of_agency == asked.pk


# Receiving and matching.


def test_it_arrives_on_the_list_of_the_agency_asked_only(practitioner, child, asked, asked_client, lead_client):
    send(practitioner, child, asked)
    theirs = page_text(asked_client.get(reverse("exchange:request_list")))
    assert "Received through this service, to be matched" in theirs
    assert f"from {practitioner.full_name}, {child.agency.name}" in theirs
    ours = page_text(lead_client.get(reverse("exchange:request_list")))
    assert "Received through this service" not in ours
    # Each look at the list is logged with what it showed, those to be matched included when there are any.
    details = list(AccessEvent.objects.filter(subject=Subject.REQUESTS).order_by("id").values_list("detail", flat=True))
    assert details == ["all: 0 listed; 1 received through this service to be matched", "all: 0 listed"]


def test_matched_it_is_logged_for_their_child_verified_by_the_account(
    practitioner, child, asked, asked_client, other_practitioner, their_child
):
    sent_request = send(practitioner, child, asked)
    page = asked_client.get(reverse("exchange:received_detail", args=[sent_request.pk]))
    # Their own child of that name and date of birth is offered; the child's details, as the asking agency
    # holds them.
    assert [c.pk for c in page.context["children"]] == [their_child.pk]
    assert "NG1 1AA" in page_text(page)
    response = asked_client.post(
        reverse("exchange:received_match", args=[sent_request.pk]), {"child": str(their_child.pk)}
    )
    information_request = InformationRequest.objects.get()
    assert response.url == reverse("exchange:request_detail", args=[information_request.pk])
    assert (information_request.agency, information_request.child) == (asked, their_child)
    assert information_request.channel == Channel.THROUGH_SERVICE
    assert information_request.verification_method == VerificationMethod.SERVICE_ACCOUNT
    assert information_request.is_verified and not information_request.can_be_verified
    assert information_request.requester_name == practitioner.full_name
    assert RequestMatch.objects.get().information_request == information_request
    detail = page_text(asked_client.get(response.url))
    assert "Requester verified" in detail
    assert "Verified by their account on this service" in detail
    assert "signed in with two factors" in detail
    # Off their list, once matched; matched twice, never.
    assert "to be matched" not in page_text(asked_client.get(reverse("exchange:request_list")))
    with pytest.raises(services.NotAllowed):
        services.sent_request_match(user=other_practitioner, sent_request=sent_request, child=their_child)


def test_only_their_own_children_can_be_matched(practitioner, child, asked, asked_client, their_child):
    sent_request = send(practitioner, child, asked)
    response = asked_client.post(reverse("exchange:received_match", args=[sent_request.pk]), {"child": str(child.pk)})
    assert response.status_code == 200
    assert response.context["match_form"].errors == {"child": ["Select the child the request is about"]}
    # Their own children are offered again, to choose from.
    assert [value for value, _ in response.context["match_form"].fields["child"].choices] == [str(their_child.pk)]
    assert not InformationRequest.objects.exists()


def test_they_search_their_own_children_only(practitioner, child, asked, asked_client, their_child):
    sent_request = send(practitioner, child, asked)
    url = reverse("exchange:received_detail", args=[sent_request.pk])
    # Searched by POST, kept in the session: nothing typed goes in the address.
    assert asked_client.post(url, {"text": "Ashby"}).url == url
    assert [c.pk for c in asked_client.get(url).context["children"]] == [their_child.pk]
    refused = asked_client.post(url, {"text": ""})
    assert "Enter a name, NHS number, case reference or date of birth" in page_text(refused)


def test_the_asking_agency_sees_where_it_stands_then_the_answer(
    practitioner, practitioner_client, child, asked, other_practitioner, their_child
):
    sent_request = send(practitioner, child, asked)
    information_request = services.sent_request_match(
        user=other_practitioner, sent_request=sent_request, child=their_child
    )
    url = reverse("exchange:sent_request_detail", args=[sent_request.pk])
    assert "Being considered" in page_text(practitioner_client.get(url))
    decision = record_decision(user=other_practitioner, child=their_child)
    services.request_outcome_record(
        user=other_practitioner,
        information_request=information_request,
        closing=services.ClosingDetails(outcome="decided", decision=decision),
    )
    page = page_text(practitioner_client.get(url))
    assert "Their answer Decided to share" in page
    # Nothing of their records: not their child's record, not the decision.
    assert str(their_child.pk) not in practitioner_client.get(url).content.decode()
    assert str(decision.pk) not in practitioner_client.get(url).content.decode()


def test_the_person_who_asked_is_told_when_it_is_answered_either_way(
    practitioner, practitioner_client, child, asked, other_practitioner, their_child, django_capture_on_commit_callbacks
):
    url = reverse("exchange:sent_request_detail", args=[sent_request_pk := send(practitioner, child, asked).pk])
    with django_capture_on_commit_callbacks(execute=True):
        information_request = services.sent_request_match(
            user=other_practitioner, sent_request=SentRequest.objects.get(pk=sent_request_pk), child=their_child
        )
    assert not Notification.objects.filter(kind=Kind.REQUEST_ANSWERED).exists(), "told before it was answered"
    with django_capture_on_commit_callbacks(execute=True):
        services.request_outcome_record(
            user=other_practitioner,
            information_request=information_request,
            closing=services.ClosingDetails(outcome="declined", reasons="Not proportionate now."),
        )
    with django_capture_on_commit_callbacks(execute=True):
        services.sent_request_not_known(
            user=other_practitioner, sent_request=send(practitioner, child, asked), reason="Not known to us."
        )
    told = Notification.objects.filter(kind=Kind.REQUEST_ANSWERED).order_by("created_at")
    assert [notification.recipient for notification in told] == [practitioner, practitioner]
    assert told[0].link == url
    assert "Your request to another agency answered" in page_text(
        practitioner_client.get(reverse("notifications:list"))
    )


def test_not_a_child_they_know_is_said_with_the_reason(practitioner, practitioner_client, child, asked, asked_client):
    sent_request = send(practitioner, child, asked)
    url = reverse("exchange:received_not_known", args=[sent_request.pk])
    refused = asked_client.post(url, {"reasons": ""})
    assert refused.context["not_known_form"].errors == {"reasons": ["Enter why it is not a child you know"]}
    asked_client.post(url, {"reasons": "No child of that name and date of birth is known to us."})
    match = RequestMatch.objects.get()
    assert not match.matched
    page = page_text(practitioner_client.get(reverse("exchange:sent_request_detail", args=[sent_request.pk])))
    assert "Not a child they know" in page
    assert "No child of that name and date of birth is known to us." in page


# Each agency its own side.


def test_a_third_agency_finds_nothing(client, practitioner, child, asked):
    sent_request = send(practitioner, child, asked)
    third = StaffMembershipFactory(agency=AgencyFactory(), role=Role.SAFEGUARDING_LEAD).user
    client.force_login(third)
    for name in ("received_detail", "sent_request_detail"):
        assert client.get(reverse(f"exchange:{name}", args=[sent_request.pk])).status_code == 404
    for name in ("received_match", "received_not_known"):
        assert client.post(reverse(f"exchange:{name}", args=[sent_request.pk]), {}).status_code == 404
    assert "to be matched" not in page_text(client.get(reverse("exchange:request_list")))


def test_neither_side_opens_the_others_records(
    practitioner, practitioner_client, child, asked, asked_client, other_practitioner, their_child
):
    sent_request = send(practitioner, child, asked)
    information_request = services.sent_request_match(
        user=other_practitioner, sent_request=sent_request, child=their_child
    )
    # The agency asking: not their request, nor their child; nor the received side of its own request.
    assert practitioner_client.get(reverse("exchange:request_detail", args=[information_request.pk])).status_code == 404
    assert practitioner_client.get(reverse("oversight:child_detail", args=[their_child.pk])).status_code == 404
    assert practitioner_client.get(reverse("exchange:received_detail", args=[sent_request.pk])).status_code == 404
    # The agency asked: not the child asked about, nor the requests sent about them.
    assert asked_client.get(reverse("oversight:child_detail", args=[child.pk])).status_code == 404
    assert asked_client.get(reverse("exchange:sent_requests", args=[child.pk])).status_code == 404
    assert asked_client.get(reverse("exchange:sent_request_detail", args=[sent_request.pk])).status_code == 404
