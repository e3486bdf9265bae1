"""Asking for advice from a draft, the adviser reading and answering, and where the advice is then shown:
each page in the practitioner's own agency only, and each look at the draft logged."""

import re

import pytest
from django.urls import reverse

from advice import selectors
from advice.advisers import AskedOf
from advice.models import AdviceAnswer, AdviceRequest
from audit.models import AccessEvent, Action, Subject
from records.roles import Role
from sharing import services as sharing_services
from sharing.guidance import QuestionKey
from tests.advice.asked import ADVICE, QUESTION, answer, ask, to_lead
from tests.factories import ChildFactory, StaffMembershipFactory
from tests.page_text import page_text
from tests.sharing.recorded import complete_draft

UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"


@pytest.fixture
def child(agency):
    return ChildFactory(agency=agency, given_name="Mia", family_name="Turner")


@pytest.fixture
def draft(practitioner, child):
    return complete_draft(user=practitioner, child=child)


def ask_url(draft, back: str = "") -> str:
    return reverse("advice:ask", args=[draft.pk]) + (f"?from={back}" if back else "")


def test_the_draft_offers_to_ask_for_advice_and_the_ask_page_offers_the_agencys_leads(
    practitioner_client, practitioner, lead, draft, agency, other_agency
):
    StaffMembershipFactory(agency=other_agency, role=Role.SAFEGUARDING_LEAD, user__full_name="Olu Other")
    StaffMembershipFactory(agency=agency, role=Role.PRACTITIONER, user__full_name="Pat Colleague")
    question_page = page_text(
        practitioner_client.get(reverse("sharing:question", args=[draft.pk, QuestionKey.PURPOSE]))
    )
    assert "Advice about this decision" in question_page
    assert "Ask for advice about this decision" in question_page

    page = page_text(practitioner_client.get(ask_url(draft, QuestionKey.PURPOSE)))
    assert "Who do you want advice from?" in page
    assert f"{lead.full_name}\nDesignated safeguarding lead" in page
    assert f"Any safeguarding lead of {agency.name}\nWhoever answers first: {lead.full_name}" in page
    assert "Olu Other" not in page and "Pat Colleague" not in page
    # The agency has no Caldicott Guardian or lead information officer: neither is offered.
    assert "Caldicott Guardian" not in page
    assert "lead information officer" not in page


def test_asking_needs_a_question_whom_and_how_urgent(practitioner_client, draft):
    response = practitioner_client.post(ask_url(draft), {})
    page = page_text(response)
    assert "There is a problem" in page
    for message in ("Enter what you want advice about", "Select who you want advice from", "Select how urgent it is"):
        assert message in page
    assert not AdviceRequest.objects.exists()


def test_a_practitioner_asks_and_goes_back_to_the_question_they_asked_from(practitioner_client, lead, draft):
    response = practitioner_client.post(
        ask_url(draft, QuestionKey.SHARING), {"question": QUESTION, "to": to_lead(lead), "urgency": "urgent"}
    )
    assert response.status_code == 302
    assert response.url == reverse("sharing:question", args=[draft.pk, QuestionKey.SHARING])
    advice = AdviceRequest.objects.get()
    assert (advice.asked_of, advice.adviser, advice.urgency) == (AskedOf.NAMED_LEAD, lead, "urgent")
    page = page_text(practitioner_client.get(response.url))
    assert f"Your request for advice has been sent to {lead.full_name}, safeguarding lead" in page
    assert f"Waiting for an answer\nYou asked {lead.full_name}, safeguarding lead" in page
    assert QUESTION in page


def test_asked_from_a_page_of_question_1_the_practitioner_goes_back_to_that_page(practitioner_client, lead, draft):
    tests_page = reverse("sharing:question_page", args=[draft.pk, QuestionKey.PURPOSE, "tests"])
    html = practitioner_client.get(tests_page).content.decode()
    offered = ask_url(draft, QuestionKey.PURPOSE) + "&amp;page=tests"
    assert f'href="{offered}">Ask for advice about this decision' in html
    response = practitioner_client.post(
        ask_url(draft, QuestionKey.PURPOSE) + "&page=tests",
        {"question": QUESTION, "to": to_lead(lead), "urgency": "routine"},
    )
    assert response.url == tests_page
    # A page the question does not have, or its first page, is the question's own address.
    for page in ("no-such-page", "purpose"):
        response = practitioner_client.get(ask_url(draft, QuestionKey.PURPOSE) + f"&page={page}")
        assert response.context["back_url"] == reverse("sharing:question", args=[draft.pk, QuestionKey.PURPOSE])


def test_a_leads_own_list_and_for_review_show_the_request_and_the_adviser_reads_the_draft_logged(
    lead_client, lead, practitioner, draft, child
):
    advice = ask(practitioner, draft)
    listing = page_text(lead_client.get(reverse("advice:list")))
    assert "Waiting for your answer (1)" in listing
    assert f"Mia Turner {QUESTION} {practitioner.full_name}" in listing.replace("\n", " ")
    board = page_text(lead_client.get(reverse("oversight:dashboard")))
    assert "Requests for advice waiting for your answer (1)" in board
    assert "Requests for advice not answered in time (0)" in board

    detail_url = reverse("advice:detail", args=[advice.pk])
    assert re.fullmatch(rf"/advice/{UUID}/", detail_url), "only an opaque id in the address"
    page = page_text(lead_client.get(detail_url))
    assert "The draft decision as it stands" in page
    assert "1. Is there a legitimate purpose to share the information?" in page
    assert "To plan a safe home visit." in page
    assert "Your advice" in page
    look = AccessEvent.objects.filter(user=lead, subject=Subject.DRAFT).get()
    assert (look.action, look.object_id, look.child_id, look.path) == (Action.VIEW, str(draft.pk), child.pk, detail_url)
    assert look.detail == f"with request for advice {advice.pk}"


def test_the_answer_is_shown_on_the_draft_and_on_the_practitioners_start_page(client, lead, practitioner, draft):
    advice = ask(practitioner, draft)
    client.force_login(lead)
    response = client.post(reverse("advice:detail", args=[advice.pk]), {"advice": ADVICE})
    assert response.status_code == 302
    given = AdviceAnswer.objects.get(request=advice)
    assert (given.answered_by, given.advice, given.adviser_capacity) == (lead, ADVICE, "Safeguarding lead")
    assert f"Your advice has been recorded and sent to {practitioner.full_name}." in page_text(client.get(response.url))

    client.force_login(practitioner)
    question_page = page_text(client.get(reverse("sharing:question", args=[draft.pk, QuestionKey.PURPOSE])))
    assert "Answered\nYou asked Any safeguarding lead" in question_page
    assert f"{lead.full_name} (safeguarding lead) advised" in question_page and ADVICE in question_page
    check_page = page_text(client.get(reverse("sharing:check", args=[draft.pk])))
    assert f"Advice {ADVICE}" in check_page
    start_page = page_text(client.get(reverse("records:child_search")))
    assert f"{lead.full_name} (safeguarding lead) answered your request for advice about Mia Turner" in start_page
    assert ADVICE in start_page


def test_the_recorded_decision_shows_every_advice_asked_and_given_with_who_and_when(
    practitioner_client, practitioner, lead, draft, agency
):
    answered = ask(practitioner, draft, to=to_lead(lead))
    answer(lead, answered)
    ask(practitioner, draft, question="Should the school nurse be told too?")
    decision = sharing_services.decision_record(draft=draft, user=practitioner)
    page = page_text(practitioner_client.get(reverse("sharing:decision_detail", args=[decision.pk])))
    section = page[page.index("Advice asked and given") : page.index("What was disclosed")]
    assert section.count("Asked by") == 2
    assert QUESTION in section and ADVICE in section
    assert f"Advised by {lead.full_name}, safeguarding lead" in section
    assert "Not answered before the decision was recorded" in section
    assert "Should the school nurse be told too?" in section


def test_the_chronology_and_the_audit_histories_show_the_advice_of_a_recorded_decision(
    client, practitioner, lead, draft, child
):
    advice = ask(practitioner, draft)
    answer(lead, advice)
    unrecorded = complete_draft(user=practitioner, child=child)
    ask(practitioner, unrecorded, question="A question about another draft.")
    client.force_login(practitioner)
    response = client.get(reverse("oversight:chronology", args=[child.pk]))
    assert response.context["events"] == [], "the advice of a draft is not in the chronology until it is recorded"

    decision = sharing_services.decision_record(draft=draft, user=practitioner)
    response = client.get(reverse("oversight:chronology", args=[child.pk]))
    events = {event.kind: event for event in response.context["events"]}
    decision_url = reverse("sharing:decision_detail", args=[decision.pk])
    assert events["advice_asked"].url == events["advice_given"].url == decision_url
    assert events["advice_asked"].who == f"{practitioner.full_name}, practitioner"
    assert events["advice_given"].summary == f"To {practitioner.full_name}: {ADVICE}"
    assert "A question about another draft." not in page_text(response)

    client.force_login(lead)
    child_history = page_text(client.get(reverse("oversight:child_history", args=[child.pk]) + "?section=records"))
    assert "Advice asked" in child_history and "Advice given" in child_history
    staff_history = page_text(client.get(reverse("oversight:staff_history", args=[lead.pk]) + "?section=records"))
    assert f"Advice given Records {lead.full_name} To {practitioner.full_name}: {ADVICE}" in staff_history.replace(
        "\n", " "
    )


def test_advice_not_answered_in_time_is_on_for_review(settings, lead_client, practitioner, draft, agency):
    other_lead = StaffMembershipFactory(agency=agency, role=Role.SAFEGUARDING_LEAD).user
    settings.ADVICE_ANSWER_WITHIN_HOURS = 0
    late = ask(practitioner, draft, to=to_lead(other_lead), question="Asked of the other lead, now overdue.")
    settings.ADVICE_ANSWER_WITHIN_HOURS = 24
    ask(practitioner, draft, to=to_lead(other_lead), question="Asked of the other lead, due tomorrow.")
    response = lead_client.get(reverse("oversight:dashboard"))
    board = response.context["board"]
    assert [row.pk for row in board.advice_overdue.rows] == [late.pk]
    assert board.advice_waiting.rows == []
    page = page_text(response)
    assert "Requests for advice not answered in time (1)" in page
    assert "within 24 hours, or 4 hours when urgent" in page
    assert "Overdue Mia Turner Asked of the other lead, now overdue." in page.replace("\n", " ")
    whole = page_text(lead_client.get(reverse("oversight:dashboard") + "?list=advice-overdue"))
    assert "Asked of the other lead, now overdue." in whole and "due tomorrow" not in whole


def test_another_agency_sees_nothing_of_the_advice(client, practitioner, lead, draft, other_practitioner, other_agency):
    advice = ask(practitioner, draft)
    answer(lead, advice)
    other_lead = StaffMembershipFactory(agency=other_agency, role=Role.SAFEGUARDING_LEAD).user
    for user in (other_practitioner, other_lead):
        client.force_login(user)
        assert client.get(reverse("advice:detail", args=[advice.pk])).status_code == 404
        assert client.post(reverse("advice:detail", args=[advice.pk]), {"advice": "Mine"}).status_code == 404
        assert client.get(ask_url(draft)).status_code == 404
        assert QUESTION not in page_text(client.get(reverse("advice:list")))
    assert QUESTION not in page_text(client.get(reverse("oversight:dashboard")))
    refused = AccessEvent.objects.filter(action=Action.REFUSED, user=other_lead, path=f"/advice/{advice.pk}/")
    assert refused.exists() and refused.first().child_id is None, "a refusal names no child"
    assert AdviceAnswer.objects.count() == 1


def test_a_colleague_who_was_not_asked_neither_reads_nor_answers_it(client, practitioner, lead, draft, agency):
    colleague = StaffMembershipFactory(agency=agency, role=Role.PRACTITIONER).user
    guardian = StaffMembershipFactory(agency=agency, role=Role.PRACTITIONER, is_caldicott_guardian=True).user
    advice = ask(practitioner, draft, to=to_lead(lead))
    client.force_login(colleague)
    assert client.get(reverse("advice:detail", args=[advice.pk])).status_code == 404
    client.force_login(guardian)
    assert client.get(reverse("advice:detail", args=[advice.pk])).status_code == 404
    client.force_login(practitioner)
    page = page_text(client.get(reverse("advice:detail", args=[advice.pk])))
    assert "Your advice" not in page, "the asker does not answer their own request"
    assert client.post(reverse("advice:detail", args=[advice.pk]), {"advice": "Mine"}).status_code == 403


def test_a_caldicott_guardian_who_is_a_practitioner_reads_and_answers_a_request_to_the_role(
    client, practitioner, draft, agency
):
    guardian = StaffMembershipFactory(agency=agency, role=Role.PRACTITIONER, is_caldicott_guardian=True).user
    advice = ask(practitioner, draft, to=str(AskedOf.CALDICOTT_GUARDIAN))
    client.force_login(guardian)
    assert QUESTION[:60] in page_text(client.get(reverse("advice:list")))
    assert "The draft decision as it stands" in page_text(client.get(reverse("advice:detail", args=[advice.pk])))
    response = client.post(reverse("advice:detail", args=[advice.pk]), {"advice": ADVICE})
    assert response.status_code == 302
    assert AdviceAnswer.objects.get().adviser_capacity == "Caldicott Guardian"


def test_a_request_already_answered_says_so_to_the_second_lead(client, practitioner, lead, draft, agency):
    second_lead = StaffMembershipFactory(agency=agency, role=Role.SAFEGUARDING_LEAD).user
    advice = ask(practitioner, draft)
    answer(lead, advice)
    client.force_login(second_lead)
    response = client.post(reverse("advice:detail", args=[advice.pk]), {"advice": "A second view."}, follow=True)
    page = page_text(response)
    assert "This request for advice has been answered or its decision recorded." in page
    assert ADVICE in page and "Your advice" not in page
    assert AdviceAnswer.objects.count() == 1


def test_the_own_list_is_logged(practitioner_client, practitioner, lead, draft):
    ask(practitioner, draft)
    assert "Asked by you (1)" in page_text(practitioner_client.get(reverse("advice:list")))
    event = AccessEvent.objects.filter(user=practitioner, subject=Subject.ADVICE).get()
    assert event.detail == "0 waiting for an answer, 1 asked"


def test_nothing_is_asked_about_a_recorded_decision_and_its_ask_page_leads_to_it(
    practitioner_client, practitioner, draft
):
    decision = sharing_services.decision_record(draft=draft, user=practitioner)
    response = practitioner_client.get(ask_url(draft))
    assert response.status_code == 302
    assert response.url == reverse("sharing:decision_detail", args=[decision.pk])


def test_a_request_sent_after_the_decision_was_recorded_elsewhere_leads_to_the_decision(
    practitioner_client, practitioner, lead, draft, monkeypatch
):
    from advice import services

    recorded, original = {}, services.advice_ask

    def record_first(**kwargs):
        # The decision is recorded (in another tab) between the page's checks and the request's writing.
        recorded["decision"] = sharing_services.decision_record(draft=draft, user=practitioner)
        return original(**kwargs)

    monkeypatch.setattr(services, "advice_ask", record_first)
    response = practitioner_client.post(ask_url(draft), {"question": QUESTION, "to": "any_lead", "urgency": "routine"})
    assert response.status_code == 302
    assert response.url == reverse("sharing:decision_detail", args=[recorded["decision"].pk])
    assert not AdviceRequest.objects.exists()


def test_a_persons_lists_of_advice_are_shown_a_page_at_a_time(lead_client, practitioner, child, monkeypatch):
    monkeypatch.setattr(selectors, "LIST_PAGE_ROWS", 2)
    for _ in range(3):
        ask(practitioner, complete_draft(user=practitioner, child=child))
    url = reverse("advice:list")
    first = page_text(lead_client.get(url))
    assert "Waiting for your answer (3)" in first and "Showing 1 to 2 of 3, the answer due soonest first." in first
    assert first.count(QUESTION) == 2
    second = lead_client.get(url, {"waiting": 2})
    text = page_text(second)
    assert "Showing 3 to 3 of 3, the answer due soonest first." in text and text.count(QUESTION) == 1
    assert "Previous page" in text and "Next page" not in text
    # The practitioner's own requests are paged on their own, the other list's page kept.
    mine = practitioner_client_of(lead_client, practitioner).get(url, {"asked": 2, "waiting": 1})
    assert "Showing 3 to 3 of 3, newest first." in page_text(mine)
    assert "?asked=1&amp;waiting=1" in mine.content.decode()


def practitioner_client_of(client, practitioner):
    client.force_login(practitioner)
    return client
