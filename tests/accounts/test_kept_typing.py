"""What was typed when a session timed out comes back after signing in again,
on every form, for the person who typed it and nobody else; and nothing sent
by anyone not signed in is stored (ADR 11; WCAG 2.2.1, ASVS 2.4.1)."""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from accounts import kept_typing
from consent.models import ConsentRecord
from exchange import disclosure_drafts
from exchange.models import Disclosure, InformationRequest, InformedFollowUp, RequestOutcome
from records.models import Child
from sharing import services as sharing_services
from sharing.models import Addendum, DecisionReview
from tests.accounts.conftest import sign_in_with_password
from tests.consent.consent_data import record_consent
from tests.consent.consent_post_data import consent_post
from tests.exchange.recorded import disclose, log_request
from tests.exchange.request_post_data import request_post
from tests.exchange.through_service_data import ask_post
from tests.factories import ChildFactory, StaffMembershipFactory
from tests.page_text import reader_text
from tests.sharing.recorded import record_decision

TYPED = "Typed during a long phone call with the school nurse"
KEPT = "What you typed has been kept below."
TIMED_OUT = "You were signed out after 30 minutes without activity."


@dataclass
class Form:
    posted_to: str  # where the form is sent
    shown_on: str  # the page that shows it
    data: dict
    recorded: object  # the model a successful send would add to


@pytest.fixture
def child(agency):
    return ChildFactory(agency=agency)


def _forms(practitioner, lead, child) -> dict[str, Form]:
    decision = record_decision(user=practitioner, child=child)
    consent = record_consent(user=practitioner, child=child)
    info_request = log_request(practitioner, child, days_ago=1)
    disclosure = disclose(practitioner, decision, informed=False)
    detail = reverse("sharing:decision_detail", args=[decision.pk])
    request_page = reverse("exchange:request_detail", args=[info_request.pk])
    disclosure_page = reverse("exchange:disclosure_detail", args=[disclosure.pk])
    # Recording a disclosure, a page at a time: its first item.
    disclosure_drafts.draft_start(user=practitioner, decision=decision)
    add_disclosure = reverse("exchange:disclosure_item", args=[decision.pk, 1])
    withdraw = reverse("consent:withdraw", args=[consent.pk])
    review = reverse("sharing:review_add", args=[decision.pk])
    return {
        "consent withdrawn": Form(withdraw, withdraw, {"how_signalled": TYPED}, ConsentRecord),
        "disclosure": Form(add_disclosure, add_disclosure, {"text": TYPED}, Disclosure),
        "review": Form(review, review, {"outcome": "disagree", "reasons": TYPED}, DecisionReview),
        "addendum": Form(reverse("sharing:addendum_add", args=[decision.pk]), detail, {"text": TYPED}, Addendum),
        "follow-up": Form(
            reverse("exchange:follow_up_add", args=[disclosure.pk]),
            disclosure_page,
            {"informed": "no", "reasons": TYPED},
            InformedFollowUp,
        ),
        "verification": Form(
            reverse("exchange:request_verify", args=[info_request.pk]),
            request_page,
            {"method": "called_back", "details": TYPED},
            InformationRequest,
        ),
        "request closed": Form(
            reverse("exchange:request_close", args=[info_request.pk]),
            request_page,
            {"outcome": "withdrawn", "reasons": TYPED},
            RequestOutcome,
        ),
        "child added": Form(reverse("records:child_add"), reverse("records:child_add"), {"address": TYPED}, Child),
    }


# Recording a consent, a page at a time: test_a_consent_part_way_through_its_pages_is_kept_through_a_time_out;
# logging a request, the same: test_a_request_part_way_through_its_pages_is_kept_through_a_time_out.
FORMS = [
    "consent withdrawn",
    "disclosure",
    "review",
    "addendum",
    "follow-up",
    "verification",
    "request closed",
    "child added",
]


@pytest.mark.parametrize("name", FORMS)
def test_every_form_keeps_what_was_typed_through_a_time_out_and_signing_in(
    client, practitioner, agency, child, frozen, name
):
    # Reviews are a lead's; everything else is the practitioner's own.
    lead = StaffMembershipFactory(agency=agency, role="safeguarding_lead").user
    form = _forms(practitioner, lead, child)[name]
    person = lead if name == "review" else practitioner
    client.force_login(person)
    before = form.recorded.objects.count()
    frozen.shift(timedelta(minutes=45))  # a long phone call

    response = client.post(form.posted_to, form.data)

    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={form.shown_on}"
    assert TIMED_OUT in reader_text(client.get(response.url).content.decode())
    assert form.recorded.objects.count() == before, "nothing sent after the time-out is acted on"
    client.force_login(person)  # signing in again (the real pages: test_sessions.py)
    page = reader_text(client.get(form.shown_on).content.decode())
    assert TYPED in page
    assert KEPT in page
    # Shown once: it is gone from the session now.
    assert TYPED not in reader_text(client.get(form.shown_on).content.decode())


def _answered_up_to(client, child, page: str) -> str:
    """The pages of recording a consent before ``page`` answered: ``page``'s address."""
    url = reverse("consent:add", args=[child.pk])
    while not url.rstrip("/").endswith(f"/{page}"):
        url = client.post(url, consent_post()).url
    return url


def test_a_consent_part_way_through_its_pages_is_kept_through_a_time_out(client, practitioner, child, frozen):
    """The draft of the pages answered, and what was typed on the page sent when the session had ended."""
    client.force_login(practitioner)
    url = _answered_up_to(client, child, "scope")
    frozen.shift(timedelta(minutes=31))
    assert client.post(url, {"scope_information": TYPED}).url == f"{reverse('login')}?next={url}"
    client.force_login(practitioner)
    page = client.get(url)
    assert page.status_code == 200, "the pages before it are still answered"
    assert TYPED in reader_text(page.content.decode())
    how = client.get(reverse("consent:add_page", args=[child.pk, "how"])).context["form"]
    assert how["how_signalled"].value() == consent_post()["how_signalled"]


def test_a_consent_part_way_through_is_never_carried_to_another_person(client, practitioner, agency, child, frozen):
    colleague = StaffMembershipFactory(agency=agency, role="practitioner").user
    client.force_login(practitioner)
    url = _answered_up_to(client, child, "scope")
    frozen.shift(timedelta(minutes=31))
    client.get(url)
    client.force_login(colleague)
    assert client.get(url).url == reverse("consent:add", args=[child.pk]), "nothing answered, for them"


def _request_answered_up_to(client, child, page: str) -> str:
    """The pages of logging a request before ``page`` answered: ``page``'s address."""
    url = reverse("exchange:request_add", args=[child.pk])
    while not url.rstrip("/").endswith(f"/{page}"):
        url = client.post(url, request_post()).url
    return url


def test_a_request_part_way_through_its_pages_is_kept_through_a_time_out(client, practitioner, child, frozen):
    """The draft of the pages answered, and what was typed on the page sent when the session had ended."""
    client.force_login(practitioner)
    url = _request_answered_up_to(client, child, "reason")
    frozen.shift(timedelta(minutes=31))
    assert client.post(url, {"reason": TYPED}).url == f"{reverse('login')}?next={url}"
    client.force_login(practitioner)
    page = client.get(url)
    assert page.status_code == 200, "the pages before it are still answered"
    assert TYPED in reader_text(page.content.decode())
    who = client.get(reverse("exchange:request_add", args=[child.pk])).context["form"]
    assert who["requester_name"].value() == request_post()["requester_name"]


def test_a_request_part_way_through_is_never_carried_to_another_person(client, practitioner, agency, child, frozen):
    colleague = StaffMembershipFactory(agency=agency, role="practitioner").user
    client.force_login(practitioner)
    url = _request_answered_up_to(client, child, "reason")
    frozen.shift(timedelta(minutes=31))
    client.get(url)
    client.force_login(colleague)
    assert client.get(url).url == reverse("exchange:request_add", args=[child.pk]), "nothing answered, for them"


def test_a_request_to_another_agency_part_way_through_its_pages_is_kept_through_a_time_out(
    client, practitioner, child, other_agency, frozen
):
    """ADR 26: as a request logged, the pages answered, and what was typed on the page sent as the session ended."""
    client.force_login(practitioner)
    url = reverse("exchange:sent_request_add", args=[child.pk])
    while not url.rstrip("/").endswith("/reason"):
        url = client.post(url, ask_post(other_agency)).url
    frozen.shift(timedelta(minutes=31))
    assert client.post(url, {"reason": TYPED}).url == f"{reverse('login')}?next={url}"
    client.force_login(practitioner)
    page = client.get(url)
    assert page.status_code == 200, "the pages before it are still answered"
    assert TYPED in reader_text(page.content.decode())
    asked = client.get(reverse("exchange:sent_request_add", args=[child.pk])).context["form"]
    assert asked["to_agency"].value() == str(other_agency.pk)


def test_the_consent_form_keeps_every_kind_of_answer(client, practitioner, child, frozen):
    """Radios, ticked boxes, dates and text all come back as they were typed, unchecked."""
    client.force_login(practitioner)
    url = _answered_up_to(client, child, "understanding")
    frozen.shift(timedelta(minutes=31))
    sent = {
        "criterion_understands_question": "on",
        "child_competent": "yes",
        "assessed_on_0": "3",
        "assessed_on_1": "2",
        "assessed_on_2": "2026",
        "assessed_by": TYPED,
    }
    client.post(url, sent)
    client.force_login(practitioner)
    form = client.get(url).context["form"]
    assert form["child_competent"].value() == "yes"
    assert form["assessed_on"].value() == ["3", "2", "2026"]
    assert form["criterion_understands_question"].value() is True
    assert form["criterion_understands_what"].value() is False
    assert form["assessed_by"].value() == TYPED
    assert not form.is_bound, "shown to carry on with, not as errors"


def test_a_file_is_never_kept_and_the_page_says_to_choose_it_again(client, practitioner, child, frozen):
    client.force_login(practitioner)
    url = _answered_up_to(client, child, "signed-form")
    frozen.shift(timedelta(minutes=31))
    signed = SimpleUploadedFile("form.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    client.post(url, {"signed_form": signed})
    assert "form.pdf" not in str(client.session.get(kept_typing.TYPED_BEFORE_SIGN_IN))
    client.force_login(practitioner)
    page = reader_text(client.get(url).content.decode())
    assert "Choose any file again: files are not kept." in page
    assert "has been uploaded" not in page


def test_what_one_person_typed_is_never_shown_to_another_who_signs_in_there(
    client, practitioner, agency, child, frozen
):
    """A shared computer: the next person to sign in on it does not see it."""
    colleague = StaffMembershipFactory(agency=agency, role="practitioner").user
    url = reverse("exchange:request_add", args=[child.pk])
    sign_in_with_password(client, practitioner.email)
    frozen.shift(timedelta(minutes=31))
    client.post(url, {"requester_name": TYPED})
    assert sign_in_with_password(client, colleague.email, next_url=url).status_code == 302
    assert kept_typing.TYPED_BEFORE_SIGN_IN not in client.session
    assert TYPED not in client.get(url).content.decode()


def test_a_form_from_another_site_is_not_kept(practitioner, child, frozen):
    """Only a form the service sent (its CSRF token checked) is kept for the person."""
    browser = Client(enforce_csrf_checks=True)
    sign_in_with_password(browser, practitioner.email)
    frozen.shift(timedelta(minutes=31))
    response = browser.post(reverse("exchange:request_add", args=[child.pk]), {"information_needed": TYPED})
    assert response.status_code == 403
    assert kept_typing.TYPED_BEFORE_SIGN_IN not in browser.session


def test_the_warnings_last_send_is_kept_and_never_acted_on_while_the_session_lives(
    practitioner_client, practitioner, child, frozen
):
    """Time ran out in the browser but another tab kept the session going: the
    form it sends, marked ``?timed-out``, is kept and shown again, not recorded,
    and does not count as activity."""
    url = _request_answered_up_to(practitioner_client, child, "reason")
    last_seen = practitioner_client.session["last_seen_at"]
    frozen.shift(timedelta(minutes=5))
    complete = {"reason": TYPED, "intended_use": "To plan a safe visit."}
    response = practitioner_client.post(f"{url}?timed-out", complete)
    assert response.url == url
    assert not InformationRequest.objects.exists()
    assert practitioner_client.session["last_seen_at"] == last_seen
    page = reader_text(practitioner_client.get(url).content.decode())
    assert TYPED in page and KEPT in page


def test_a_question_page_keeps_its_query_when_sent_back(client, practitioner, child, frozen):
    """The page to come back to is the one the form was on, with its query (here, "back to the check page")."""
    client.force_login(practitioner)
    question = client.post(reverse("sharing:start", args=[child.pk]), {"direction": "proposing"}).url
    frozen.shift(timedelta(minutes=31))
    response = client.post(f"{question}?from=check", {"purpose": TYPED})
    assert response.url == f"{reverse('login')}?next={question}%3Ffrom%3Dcheck"


# Nothing for anyone not signed in (ASVS 2.4.1).


def test_an_anonymous_post_to_a_draft_stores_nothing_in_the_session_table(client, practitioner, child):
    draft = sharing_services.draft_start(user=practitioner, child=child, adults=[], direction="proposing")
    url = reverse("sharing:question", args=[draft.pk, "purpose"])
    sessions = Session.objects.count()
    # About 1.9 MB of text, once stored in full for anyone who sent it.
    response = Client().post(url, {"purpose": "x" * 1_000_000, "legitimate_purpose": "y" * 900_000})
    assert response.status_code in (302, 400)
    assert Session.objects.count() == sessions
    assert not response.cookies.get("sessionid")


def test_an_anonymous_post_within_the_size_limit_is_sent_to_sign_in_and_stores_nothing(client, practitioner, child):
    draft = sharing_services.draft_start(user=practitioner, child=child, adults=[], direction="proposing")
    url = reverse("sharing:question", args=[draft.pk, "purpose"])
    sessions = Session.objects.count()
    response = Client().post(url, {"purpose": TYPED})
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert Session.objects.count() == sessions
