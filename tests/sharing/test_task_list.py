"""A draft's task list: the eight questions, what is done, not needed and why, and still to do."""

import re
from html import unescape

import pytest
from django.urls import reverse

from sharing.guidance import QUESTION_BY_KEY, QuestionKey
from sharing.models import DecisionDraft
from tests.factories import ChildFactory, StaffMembershipFactory
from tests.page_text import page_text
from tests.sharing import answers as A
from tests.sharing.recorded import complete_draft, record_decision

LINK = re.compile(r'<a class="govuk-link govuk-task-list__link" href="([^"]+)"[^>]*>([^<]+)</a>')


@pytest.fixture
def child(agency):
    return ChildFactory(agency=agency, given_name="Mia", family_name="Turner")


def task_list_of(draft) -> str:
    return reverse("sharing:task_list", args=[draft.pk])


def task_links(response) -> dict[str, str]:
    """{a task's name as read: where its link goes}, for the tasks that have a link."""
    return {unescape(name): href for href, name in LINK.findall(response.content.decode())}


def task(question: QuestionKey) -> str:
    number = QUESTION_BY_KEY[question].number
    return f"Question {number}: {QUESTION_BY_KEY[question].wording}"


def question_url(draft, question: QuestionKey) -> str:
    return reverse("sharing:question", args=[draft.pk, question])


def test_a_new_draft_opens_question_1_only_and_the_rest_cannot_start_yet(practitioner_client, practitioner, child):
    start = practitioner_client.post(reverse("sharing:start", args=[child.pk]), {"direction": "proposing"})
    draft = DecisionDraft.objects.get(child=child)
    url = task_list_of(draft)
    assert url == f"/decisions/drafts/{draft.pk}/", "the draft's id only: no personal data in the address"
    # Starting a decision goes to question 1 as before; the task list is reached from it.
    assert start.url == question_url(draft, QuestionKey.PURPOSE)
    question_page = page_text(practitioner_client.get(start.url))
    assert "Back to the task list" in question_page

    response = practitioner_client.get(url)
    text = page_text(response)
    assert "Mia Turner\nRecord an information-sharing decision" in text
    assert "0 of the 8 questions this decision needs are completed." in text
    assert f"{task(QuestionKey.PURPOSE)}\nIncomplete\n{task(QuestionKey.IDENTIFIABLE)}\nCannot start yet" in text
    assert (
        f"{task(QuestionKey.DECISION)}\nCannot start yet\nRecord the decision\nCheck your answers\nCannot start yet"
        in (text)
    )
    assert text.count("Cannot start yet") == 8
    assert task_links(response) == {task(QuestionKey.PURPOSE): question_url(draft, QuestionKey.PURPOSE)}


def test_question_1_answered_is_completed_and_question_2_is_next(practitioner_client, child):
    practitioner_client.post(reverse("sharing:start", args=[child.pk]), {"direction": "proposing"})
    draft = DecisionDraft.objects.get(child=child)
    saved = A.send_question(practitioner_client, question_url(draft, QuestionKey.PURPOSE), A.purpose())
    # "Continue" keeps the flow: on to question 2.
    assert saved.url == question_url(draft, QuestionKey.IDENTIFIABLE)

    response = practitioner_client.get(task_list_of(draft))
    text = page_text(response)
    assert "1 of the 8 questions this decision needs is completed." in text
    assert f"{task(QuestionKey.PURPOSE)}\nCompleted\n{task(QuestionKey.IDENTIFIABLE)}\nIncomplete" in text
    assert task_links(response) == {
        task(QuestionKey.PURPOSE): question_url(draft, QuestionKey.PURPOSE),
        task(QuestionKey.IDENTIFIABLE): question_url(draft, QuestionKey.IDENTIFIABLE),
    }


def test_questions_not_needed_say_why_and_a_complete_draft_can_be_checked(practitioner_client, practitioner, child):
    # Anonymised information (3.5.5): questions 3 to 6 are not asked.
    draft = complete_draft(user=practitioner, child=child)
    response = practitioner_client.get(task_list_of(draft))
    text = page_text(response)
    reason = (
        "You answered that the information does not identify anyone: anonymised information can be "
        "shared for a legitimate purpose (3.5.5)."
    )
    for question in (QuestionKey.CONFIDENTIAL, QuestionKey.CONSENT, QuestionKey.STATUTORY, QuestionKey.PUBLIC_INTEREST):
        assert f"{task(question)}\n{reason}\nNot needed" in text
    assert "4 of the 4 questions this decision needs are completed." in text
    assert "Check your answers\nIncomplete" in text
    assert task_links(response) == {
        **{task(key): question_url(draft, key) for key in QuestionKey if key in draft.answers},
        "Check your answers": reverse("sharing:check", args=[draft.pk]),
    }
    assert "Cannot start yet" not in text


def test_a_question_to_answer_again_is_incomplete(practitioner_client, practitioner, child):
    # 3.5.19, 3.7.3: sharing without telling the person needs a date to reconsider.
    draft = complete_draft(user=practitioner, child=child)
    draft.answers[QuestionKey.SHARING] |= {"person_informed": "not_told", "not_informed_reason": "Risk"}
    draft.answers[QuestionKey.IDENTIFIABLE] = {"identifies_person": True, "who_identified": "Mia"}
    draft.answers[QuestionKey.CONFIDENTIAL] = {"confidentiality": "not_confidential", "reason": "Known to all."}
    draft.save()
    text = page_text(practitioner_client.get(task_list_of(draft)))
    assert f"{task(QuestionKey.SHARING)}\nIncomplete\n{task(QuestionKey.DECISION)}\nCompleted" in text
    assert "Check your answers\nCannot start yet" in text


def test_a_lead_reads_a_colleagues_task_list_without_links_to_change_it(client, practitioner, lead, child):
    draft = complete_draft(user=practitioner, child=child)
    client.force_login(lead)
    response = client.get(task_list_of(draft))
    text = page_text(response)
    assert f"Draft by {practitioner.full_name}." in text
    assert f"{task(QuestionKey.PURPOSE)}\nCompleted" in text
    assert task_links(response) == {}
    assert 'href="{}"'.format(reverse("sharing:check", args=[draft.pk])) in response.content.decode()


def test_another_practitioner_cannot_see_the_task_list(client, practitioner, agency, child):
    draft = complete_draft(user=practitioner, child=child)
    client.force_login(StaffMembershipFactory(agency=agency).user)
    assert client.get(task_list_of(draft)).status_code == 404


def test_continue_on_a_draft_opens_its_task_list(client, practitioner, lead, child):
    draft = complete_draft(user=practitioner, child=child)
    client.force_login(practitioner)
    drafts = client.get(reverse("sharing:drafts")).content.decode()
    assert f'href="{task_list_of(draft)}">Continue' in drafts
    childs_page = client.get(reverse("oversight:child_detail", args=[child.pk])).content.decode()
    assert f'href="{task_list_of(draft)}">Draft started by you' in childs_page
    # A lead, who cannot change it, is shown the answers given so far, as before.
    client.force_login(lead)
    check = reverse("sharing:check", args=[draft.pk])
    assert f'href="{check}">View' in client.get(reverse("sharing:drafts")).content.decode()
    assert (
        f'href="{check}">Draft started by'
        in client.get(reverse("oversight:child_detail", args=[child.pk])).content.decode()
    )


def test_a_recorded_decisions_task_list_goes_to_the_decision(practitioner_client, practitioner, child):
    decision = record_decision(user=practitioner, child=child)
    response = practitioner_client.get(task_list_of(decision.draft))
    assert response.status_code == 302
    assert response.url == reverse("sharing:decision_detail", args=[decision.pk])
