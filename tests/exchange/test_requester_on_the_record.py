"""Who asked, on the record of the decision that answers them (3.7.1, 3.7.4, 3.7.9; 000), and verifying
them until something is disclosed (3.7.4-3.7.5): the services and pages behind issue 14's points 10, 14,
15 and 16."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from exchange import services
from exchange.models import Disclosure, InformationRequest, RequestOutcome
from sharing import services as sharing_services
from sharing.models import DecisionDraft, SharingDecision
from tests.exchange.recorded import date_fields, disclosure_post, through_the_pages
from tests.exchange.request_post_data import request_post, through_the_request_pages
from tests.factories import ChildFactory, RelationshipFactory
from tests.page_text import page_text
from tests.sharing.recorded import complete_answers

DC_REID = "DC Sam Reid (Detective constable, Northgate Police) has not been verified."
ASKED_BY = "Asked by DC Sam Reid, Detective constable, Northgate Police (Police)"
REFUSAL = {"outcome": "do_not_share", "items": [], "withheld": "All of it: no need to know shown."}


@pytest.fixture
def child(agency):
    return ChildFactory(agency=agency, given_name="Mia", family_name="Turner")


def logged(client, child, **overrides) -> InformationRequest:
    response = through_the_request_pages(
        client, reverse("exchange:request_add", args=[child.pk]), request_post(**overrides)
    )
    assert response.status_code == 302
    return InformationRequest.objects.latest("logged_at")


def decided(user, request, **answers) -> SharingDecision:
    """A complete decision answering the request, recorded through the service (as "Record decision" does)."""
    draft = sharing_services.draft_start(
        user=user, child=request.child, adults=[], direction="request_received", request=request
    )
    draft.answers = {str(key): value for key, value in complete_answers(**answers).items()}
    draft.save()
    return sharing_services.decision_record(draft=draft, user=user)


def verify(client, request, **data):
    return client.post(
        reverse("exchange:request_verify", args=[request.pk]),
        {"method": "called_back", "details": "Rang Northgate Police on 101 and was put through to him.", **data},
    )


def board(client):
    return client.get(reverse("oversight:dashboard")).context["board"]


# Point 14: recording a decision does not end verifying; a disclosure does.


def test_after_the_decision_the_requester_can_still_be_verified(practitioner_client, practitioner, child):
    request = logged(practitioner_client, child)
    decision = decided(practitioner, request)
    assert RequestOutcome.objects.get(request=request).decision == decision
    page = page_text(practitioner_client.get(reverse("exchange:request_detail", args=[request.pk])))
    assert "Decided" in page
    assert "Verify the requester" in page
    assert "The decision has been recorded: the requester can still be verified until something is disclosed." in page

    response = verify(practitioner_client, request)
    assert response.url == reverse("exchange:request_detail", args=[request.pk])
    request.refresh_from_db()
    assert (request.verification_method, request.verified_by) == ("called_back", practitioner)
    page = page_text(practitioner_client.get(response.url))
    assert "Requester verified" in page
    assert "Verify the requester" not in page
    # Verified now: disclosing needs no override.
    started = practitioner_client.get(reverse("exchange:disclosure_add", args=[decision.pk]))
    assert started.url == reverse("exchange:disclosure_page", args=[decision.pk, "items"])


def test_a_disclosure_ends_verifying(practitioner_client, practitioner, child):
    request = logged(practitioner_client, child)
    decision = decided(practitioner, request)
    started = practitioner_client.get(reverse("exchange:disclosure_add", args=[decision.pk]))
    assert started.url == reverse("exchange:disclosure_page", args=[decision.pk, "unverified"]), "asked first"
    response = through_the_pages(
        practitioner_client,
        decision,
        disclosure_post(unverified_override="The child is at immediate risk; the officer is at the door."),
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert not request.can_be_verified
    page = page_text(practitioner_client.get(reverse("exchange:request_detail", args=[request.pk])))
    assert "Verify the requester" not in page
    refused = verify(practitioner_client, request)
    assert refused.url == reverse("exchange:request_detail", args=[request.pk])
    request.refresh_from_db()
    assert request.verified_at is None
    with pytest.raises(services.NotAllowed, match="past verifying"):
        services.request_verify(
            user=practitioner, information_request=request, method="called_back", details="Too late"
        )


def test_a_declined_request_is_past_verifying(practitioner_client, practitioner, child):
    request = logged(practitioner_client, child)
    services.request_outcome_record(
        user=practitioner,
        information_request=request,
        closing=services.ClosingDetails(outcome="declined", reasons="No need to know shown."),
    )
    request.refresh_from_db()
    assert not request.can_be_verified
    with pytest.raises(services.NotAllowed):
        services.request_verify(user=practitioner, information_request=request, method="called_back", details="Rang")


def test_a_decided_request_stays_on_the_leads_list_until_verified(client, practitioner, lead, child):
    client.force_login(practitioner)
    request = logged(client, child)
    client.force_login(lead)
    assert [r.pk for r in board(client).unverified.rows] == [request.pk]
    decided(practitioner, request)
    unverified = board(client).unverified
    assert [r.pk for r in unverified.rows] == [request.pk]
    assert unverified.total == 1
    page = page_text(client.get(reverse("oversight:dashboard")))
    assert "Requests not verified (1)" in page
    assert "Decided, nothing disclosed yet" in page
    # It is no longer open, so not on the list of requests open too long.
    assert [r.pk for r in board(client).open_requests.rows] == []

    verify(client, request)
    assert board(client).unverified.rows == []
    assert "No requester is waiting to be verified." in page_text(client.get(reverse("oversight:dashboard")))


def test_a_known_requester_is_not_on_the_list(client, practitioner, lead, child):
    client.force_login(practitioner)
    logged(client, child, requester_known="yes")
    client.force_login(lead)
    assert board(client).unverified.rows == []


def test_the_request_list_says_a_decided_request_is_not_verified(practitioner_client, practitioner, child):
    request = logged(practitioner_client, child)
    decided(practitioner, request)
    assert "Decided, not verified" in page_text(practitioner_client.get(reverse("exchange:request_list")))
    verify(practitioner_client, request)
    page = page_text(practitioner_client.get(reverse("exchange:request_list")))
    assert "Decided" in page
    assert "not verified" not in page


def test_verification_keeps_the_time_of_the_call_back_but_never_a_future_one(practitioner, child):
    request = InformationRequest.objects.create(
        agency=child.agency, child=child, received_at=timezone.now() - timedelta(days=2), channel="phone",
        requester_name="R", requester_role="R", requester_agency="R", requester_agency_kind="police",
        requester_contact="R", information_needed="R", reason="R", intended_use="R", risk_level="lower",
        logged_by=practitioner,
    )  # fmt: skip
    with pytest.raises(services.NotAllowed, match="future"):
        services.request_verify(
            user=practitioner,
            information_request=request,
            method="called_back",
            details="Rang",
            verified_at=timezone.now() + timedelta(hours=1),
        )
    called = timezone.now() - timedelta(days=1)
    services.request_verify(
        user=practitioner, information_request=request, method="called_back", details="Rang", verified_at=called
    )
    request.refresh_from_db()
    assert request.verified_at == called


# Point 15: with the override, "The person was verified" is not asked, nor stored.


def test_a_telephone_disclosure_with_the_override_is_not_asked_whether_the_person_was_verified(
    practitioner_client, practitioner, child
):
    request = logged(practitioner_client, child)
    decision = decided(practitioner, request)
    by_phone = disclosure_post(
        method="phone", unverified_override="The child is at immediate risk; the officer is at the door."
    )
    checks_page = through_the_pages(practitioner_client, decision, by_phone)
    assert checks_page.wsgi_request.path == reverse("exchange:disclosure_page", args=[decision.pk, "checks"])
    form = checks_page.context["form"]
    assert [key for key, _ in form.fields["checks_phone"].choices] == ["written_record"]
    page = page_text(checks_page)
    assert "The person was verified, by calling their agency back if not known" not in page
    assert "A record of what was said has been made" in page

    response = through_the_pages(
        practitioner_client,
        decision,
        disclosure_post(
            method="phone",
            checks_secure_email=[],
            checks_phone=["written_record"],
            unverified_override="The child is at immediate risk; the officer is at the door.",
        ),
    )
    assert response.status_code == 302
    disclosure = Disclosure.objects.get()
    assert disclosure.checks == ["written_record"]
    shown = page_text(practitioner_client.get(response.url))
    assert "The person was verified" not in shown
    assert "Disclosed before the requester was verified, because" in shown


def test_the_record_cannot_say_an_unverified_requester_was_verified(practitioner, child):
    request = InformationRequest.objects.create(
        agency=child.agency, child=child, received_at=timezone.now(), channel="phone", requester_name="R",
        requester_role="R", requester_agency="R", requester_agency_kind="police", requester_contact="R",
        information_needed="R", reason="R", intended_use="R", risk_level="lower", logged_by=practitioner,
    )  # fmt: skip
    decision = decided(practitioner, request)
    details = services.DisclosureDetails(
        items=[{"text": "A fact", "kind": "fact"}], recipient_name="R", recipient_role="R",
        recipient_agency="R", disclosed_at=timezone.now(), method="phone",
        checks=["caller_verified", "written_record"], onward_sharing="no", informed=True,
        informed_on=timezone.localdate(), informed_by="P", unverified_override="At risk now.",
    )  # fmt: skip
    with pytest.raises(services.NotAllowed, match="cannot say that they were"):
        services.disclosure_record(user=practitioner, decision=decision, details=details, information_request=request)
    assert not Disclosure.objects.exists()


def test_a_verified_requester_is_asked_the_telephone_checks_as_before(practitioner_client, practitioner, child):
    request = logged(practitioner_client, child)
    decision = decided(practitioner, request)
    verify(practitioner_client, request)
    checks_page = through_the_pages(practitioner_client, decision, disclosure_post(method="phone"))
    form = checks_page.context["form"]
    assert [key for key, _ in form.fields["checks_phone"].choices] == ["caller_verified", "written_record"]


# Point 16: the question pages and the check page say the requester is not verified.


def test_every_page_of_a_decision_from_an_unverified_request_says_so(practitioner_client, child):
    request = logged(practitioner_client, child)
    first = practitioner_client.post(reverse("exchange:request_decide", args=[request.pk])).url
    draft = DecisionDraft.objects.get()
    page = page_text(practitioner_client.get(first))
    assert DC_REID in page
    assert "check who they are by calling their agency back before anything is disclosed (3.7.4)" in page
    assert "Verify the requester" in page
    draft.answers = {str(key): value for key, value in complete_answers().items()}
    draft.save()
    for question in ("identifiable", "sharing", "decision"):
        assert DC_REID in page_text(practitioner_client.get(reverse("sharing:question", args=[draft.pk, question])))
    assert DC_REID in page_text(practitioner_client.get(reverse("sharing:check", args=[draft.pk])))

    verify(practitioner_client, request)
    assert DC_REID not in page_text(practitioner_client.get(first))
    assert DC_REID not in page_text(practitioner_client.get(reverse("sharing:check", args=[draft.pk])))


def test_a_decision_from_a_known_requester_or_no_request_says_nothing_of_verifying(practitioner_client, child):
    request = logged(practitioner_client, child, requester_known="yes")
    first = practitioner_client.post(reverse("exchange:request_decide", args=[request.pk])).url
    assert "has not been verified" not in page_text(practitioner_client.get(first))
    proposing = practitioner_client.post(reverse("sharing:start", args=[child.pk]), {"direction": "proposing"}).url
    assert "has not been verified" not in page_text(practitioner_client.get(proposing))


# Point 10: who asked is on the record of the decision, a refusal too, read from the request.


def decision_page(client, decision, *, printed=False) -> str:
    return page_text(client.get(reverse("sharing:decision_detail", args=[decision.pk])), printed=printed)


@pytest.mark.parametrize("answers", [{}, {"sharing": REFUSAL}], ids=["shared", "refused"])
def test_the_decision_shows_who_asked_how_and_whether_they_were_verified(
    practitioner_client, practitioner, child, answers
):
    request = logged(practitioner_client, child, channel="phone", requester_contact="01632 960 999")
    # Called back an hour ago; the decision was made a minute ago.
    services.request_verify(
        user=practitioner,
        information_request=request,
        method="called_back",
        details="Rang 101.",
        verified_at=timezone.now() - timedelta(hours=1),
    )
    decision = decided(practitioner, request, **answers)
    request.refresh_from_db()
    for printed in (False, True):
        page = decision_page(practitioner_client, decision, printed=printed)
        assert "The request this decision answers" in page
        assert ASKED_BY in page
        received = timezone.localtime(request.received_at)
        assert f"How they asked Telephone, on {received:%-d %B %Y, %H:%M}" in page
        assert "Contact: 01632 960 999" in page
        verified = timezone.localtime(request.verified_at)
        assert (
            "Verified (guidance paragraph 3.7.4) Yes, before the decision: called back through their agency's "
            "published number "
            f"(guidance paragraph 3.7.4), by {practitioner.full_name} on {verified:%-d %B %Y, %H:%M}"
        ) in page
        assert f"Request {request.reference}, logged on" in page


def test_a_refusal_to_an_unverified_requester_says_so_and_offers_to_verify(practitioner_client, practitioner, child):
    request = logged(practitioner_client, child)
    decision = decided(practitioner, request, sharing=REFUSAL)
    page = decision_page(practitioner_client, decision)
    assert (
        "Verified (guidance paragraph 3.7.4) No: not verified. They can be verified until something is disclosed."
        in page
    )
    assert "Verify the requester" in page
    assert "Verify the requester" not in decision_page(practitioner_client, decision, printed=True)

    verify(practitioner_client, request)
    page = decision_page(practitioner_client, decision)
    assert (
        "Verified (guidance paragraph 3.7.4) Not when the decision was made. Verified afterwards: called back" in page
    )
    assert "Verify the requester" not in page


def test_the_decision_reads_the_request_it_answers_rather_than_a_copy(practitioner_client, practitioner, child):
    request = logged(practitioner_client, child, requester_known="yes")
    decision = decided(practitioner, request)
    assert (
        "Verified (guidance paragraph 3.7.4) Yes: already known to the person who logged the request"
        in decision_page(practitioner_client, decision)
    )
    assert "DC Sam Reid" not in str(decision.ledger_document())


def test_a_decision_nobody_asked_for_has_no_request_section(practitioner_client, practitioner, child):
    draft = sharing_services.draft_start(user=practitioner, child=child, adults=[], direction="proposing")
    draft.answers = {str(key): value for key, value in complete_answers().items()}
    draft.save()
    decision = sharing_services.decision_record(draft=draft, user=practitioner)
    assert "The request this decision answers" not in decision_page(practitioner_client, decision)


# Point 10: asked to share, the service offers to log the request first, then continues the decision from it.


def test_asked_to_share_leads_to_logging_the_request_first(practitioner_client, practitioner, child):
    mother = RelationshipFactory(child=child)
    start = reverse("sharing:start", args=[child.pk])
    response = practitioner_client.post(start, {"direction": "request_received", "adults": [str(mother.adult_id)]})
    before = reverse("exchange:request_before_decision", args=[child.pk])
    assert response.url == f"{before}?adults={mother.adult_id}"
    page = page_text(practitioner_client.get(response.url))
    assert "You have been asked to share information" in page
    assert "Log the request now, then decide" in page
    assert "Decide without logging the request" in page
    assert not DecisionDraft.objects.exists()

    empty = practitioner_client.post(response.url, {})
    assert empty.context["form"].errors["answering"] == ["Select the request you are answering, or log it now"]

    to_log = practitioner_client.post(response.url, {"answering": "log"})
    add = reverse("exchange:request_add", args=[child.pk])
    assert to_log.url == f"{add}?then=decide&adults={mother.adult_id}"
    form_page = practitioner_client.get(to_log.url)
    assert "Once it is logged you go on to the decision" in page_text(form_page)
    # Each page keeps the way on to the decision; the adults the decision was about are chosen already.
    answers = request_post()
    url = to_log.url
    while "/adults/" not in url:
        url = practitioner_client.post(url, answers).url
        assert url.endswith("?then=decide"), url
    assert practitioner_client.get(url).context["form"].initial["adults"] == [str(mother.adult_id)]
    check = practitioner_client.post(url, {"adults": [str(mother.adult_id)]}).url
    assert "Log request and decide" in page_text(practitioner_client.get(check))

    first = practitioner_client.post(check)
    request = InformationRequest.objects.get()
    draft = DecisionDraft.objects.get()
    assert (draft.request, draft.direction, list(draft.adults.all())) == (request, "request_received", [mother.adult])
    assert first.url == reverse("sharing:question", args=[draft.pk, "purpose"])
    question = page_text(practitioner_client.get(first.url))
    assert f"Request {request.reference} has been logged." in question
    assert "DC Sam Reid (Detective constable, Northgate Police) asked for" in question


def test_asked_to_share_can_answer_a_request_already_logged(practitioner_client, practitioner, child):
    request = logged(practitioner_client, child)
    declined = logged(practitioner_client, child, requester_name="Ms Jo Lake")
    services.request_outcome_record(
        user=practitioner,
        information_request=declined,
        closing=services.ClosingDetails(outcome="declined", reasons="No need to know."),
    )
    url = reverse("exchange:request_before_decision", args=[child.pk])
    page = page_text(practitioner_client.get(url))
    assert f"Request {request.reference} from DC Sam Reid, Northgate Police" in page
    assert "the requester has not been verified" in page
    assert "Ms Jo Lake" not in page

    response = practitioner_client.post(url, {"answering": str(request.pk)})
    draft = DecisionDraft.objects.get()
    assert draft.request == request
    assert response.url == reverse("sharing:question", args=[draft.pk, "purpose"])
    # Not a request of this child's that is waiting: refused.
    other = logged(practitioner_client, ChildFactory(agency=child.agency))
    assert practitioner_client.post(url, {"answering": str(other.pk)}).status_code == 200
    assert practitioner_client.post(url, {"answering": str(declined.pk)}).status_code == 200
    assert DecisionDraft.objects.count() == 1


def test_asked_to_share_can_decide_without_logging_and_the_record_says_so(practitioner_client, practitioner, child):
    url = reverse("exchange:request_before_decision", args=[child.pk])
    response = practitioner_client.post(url, {"answering": "not_logged"})
    draft = DecisionDraft.objects.get()
    assert (draft.request, draft.direction) == (None, "request_received")
    assert response.url == reverse("sharing:question", args=[draft.pk, "purpose"])
    draft.answers = {str(key): value for key, value in complete_answers().items()}
    draft.save()
    decision = sharing_services.decision_record(draft=draft, user=practitioner)
    page = decision_page(practitioner_client, decision)
    assert "The request was not logged: who asked, and how, is only in the answer to question 1." in page
    assert not InformationRequest.objects.exists()


def test_the_choice_of_request_is_logged_as_a_look_at_the_childs_requests(practitioner_client, child):
    from audit.models import AccessEvent

    logged(practitioner_client, child)
    practitioner_client.get(reverse("exchange:request_before_decision", args=[child.pk]))
    event = AccessEvent.objects.filter(child=child, subject="requests").get()
    assert event.detail == "requests awaiting a decision: 1 listed"


def test_another_agency_cannot_open_the_choice_of_request(client, other_practitioner, child):
    client.force_login(other_practitioner)
    url = reverse("exchange:request_before_decision", args=[child.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"answering": "not_logged"}).status_code == 404
    assert client.get(reverse("exchange:request_add", args=[child.pk]) + "?then=decide").status_code == 404
    assert not DecisionDraft.objects.exists()


def test_reconsider_dates_in_the_future_are_kept(practitioner_client, practitioner, child):
    """A disclosure not told, with the override: the form keeps every answer (regression of the override path)."""
    request = logged(practitioner_client, child)
    decision = decided(practitioner, request)
    later = timezone.localdate() + timedelta(days=7)
    response = through_the_pages(
        practitioner_client,
        decision,
        disclosure_post(
            informed="no",
            not_informed_reason="Telling the mother now could alert her partner.",
            unverified_override="At immediate risk.",
            **date_fields("reconsider_on", later),
        ),
    )
    assert response.status_code == 302
    assert Disclosure.objects.get().reconsider_on == later
