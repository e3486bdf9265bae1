"""A practitioner's own decisions (issue 17, point 10): those in progress, each opening where it was left,
and those recorded, with their record number, the lead's review and the date to reconsider telling."""

from datetime import timedelta

import time_machine
from django.urls import reverse
from django.utils import timezone

from audit.models import AccessEvent, Action, Subject
from ledger import receipts
from sharing import services
from sharing.guidance import QuestionKey
from tests.exchange.recorded import disclose
from tests.factories import ChildFactory, StaffMembershipFactory
from tests.ledger_data import seal
from tests.oversight.test_dashboard import not_telling
from tests.page_text import page_text, reader_text
from tests.sharing.recorded import complete_answers, complete_draft, record_decision

URL = reverse("sharing:mine")


def long_date(moment) -> str:
    return f"{timezone.localtime(moment):%-d %B %Y}"


def test_a_draft_in_progress_says_the_question_reached_and_continues_on_its_task_list(
    practitioner_client, practitioner, child
):
    started = services.draft_start(user=practitioner, child=child, adults=[], direction="proposing")
    started.answers = {QuestionKey.PURPOSE.value: complete_answers()[QuestionKey.PURPOSE]}
    started.save()
    finished = complete_draft(user=practitioner, child=ChildFactory(agency=child.agency, given_name="Tom"))
    text = page_text(practitioner_client.get(URL))
    started.refresh_from_db()
    finished.refresh_from_db()
    assert "Decisions in progress\nShowing 1 to 2 of 2, last saved first." in text
    rows = [
        [finished.child.full_name, "Check your answers", f"{timezone.localtime(finished.updated_at):%-d %B %Y, %H:%M}"],
        [child.full_name, "Question 2 of 8", f"{timezone.localtime(started.updated_at):%-d %B %Y, %H:%M}"],
    ]
    expected = "\n".join(["Child", "Reached", "Last saved", *rows[0], "Continue", *rows[1], "Continue"])
    assert expected in text
    page = practitioner_client.get(URL).content.decode()
    assert f'href="{reverse("sharing:task_list", args=[started.pk])}">Continue' in page
    assert f'href="{reverse("sharing:task_list", args=[finished.pk])}">Continue' in page
    # The task list it opens leads on to the question it names.
    opened = page_text(practitioner_client.get(reverse("sharing:task_list", args=[started.pk])))
    assert "Does the information enable a person to be identified?\nIncomplete" in opened


def test_only_the_users_own_decisions_in_their_agency_are_listed(client, practitioner, lead, agency, child):
    colleague = StaffMembershipFactory(agency=agency).user
    complete_draft(user=colleague, child=child)
    theirs = record_decision(user=colleague, child=child)
    mine = record_decision(user=practitioner, child=child)
    client.force_login(practitioner)
    text = page_text(client.get(URL))
    assert "You have no decisions in progress." in text
    assert "Recorded decisions\nShowing 1 to 1 of 1, newest first." in text
    page = client.get(URL).content.decode()
    assert reverse("sharing:decision_detail", args=[mine.pk]) in page
    assert reverse("sharing:decision_detail", args=[theirs.pk]) not in page
    # A lead sees their own here too, not the agency's (those are on "Draft decisions" and "For review").
    client.force_login(lead)
    text = page_text(client.get(URL))
    assert "You have no decisions in progress." in text and "You have not recorded any decisions." in text


def test_a_recorded_decision_is_named_numbered_and_says_how_its_review_stands(client, practitioner, lead, child):
    decision = record_decision(user=practitioner, child=child)
    client.force_login(practitioner)
    text = page_text(client.get(URL))
    when = long_date(decision.decided_at)
    named = f"Decision about {child.full_name}: share the information"
    assert f"Not yet placed in the log\n{named}\n{when}\nNot reviewed yet\nNo date to reconsider" in text
    seal()
    services.review_record(decision=decision, user=lead, outcome="agree_with_comments", comments="Fine.")
    number = receipts.standing_of(decision).position
    text = page_text(client.get(URL))
    header = "Record number\nDecision\nDecided\nLead's review\nTelling the person"
    assert f"{header}\n{number}\n{named}\n{when}\nAgreed, with comments\nNo date to reconsider" in text
    page = client.get(URL).content.decode()
    assert f'href="{reverse("sharing:decision_detail", args=[decision.pk])}">{named}<' in page


def test_a_decision_not_to_tell_shows_its_date_and_once_it_has_come(practitioner_client, practitioner, child):
    decision = record_decision(user=practitioner, child=child, **not_telling(days=2))
    due = f"Not told: reconsider by {decision.reconsider_on:%-d %B %Y}"
    text = page_text(practitioner_client.get(URL))
    assert due in text and "(this date has come)" not in text
    with time_machine.travel(timezone.now() + timedelta(days=2)):
        practitioner_client.force_login(practitioner)
        assert f"{due} (this date has come)" in page_text(practitioner_client.get(URL))


def test_once_something_is_disclosed_the_disclosure_says_whether_they_were_told(
    practitioner_client, practitioner, child
):
    decision = record_decision(user=practitioner, child=child, **not_telling(days=2))
    disclose(practitioner, decision, informed=True)
    with time_machine.travel(timezone.now() + timedelta(days=2)):
        practitioner_client.force_login(practitioner)
        text = page_text(practitioner_client.get(URL))
    # As the lead's list reads it: the decision's own date no longer stands once a disclosure records telling.
    assert "Recorded with what was disclosed" in text
    assert "Not told: reconsider by" not in text and "(this date has come)" not in text


def test_each_list_is_shown_a_page_at_a_time(practitioner_client, practitioner, child):
    for _ in range(52):
        complete_draft(user=practitioner, child=child)
    record_decision(user=practitioner, child=child)
    first = page_text(practitioner_client.get(URL))
    assert "Showing 1 to 50 of 52, last saved first." in first
    assert "Saved earlier" in first and "Saved more recently" not in first
    second = practitioner_client.get(URL, {"drafts_page": 2})
    text = page_text(second)
    assert "Showing 51 to 52 of 52, last saved first." in text and "Saved more recently" in text
    assert text.count("Continue") == 2
    # The other list stays on its page.
    assert "Recorded decisions\nShowing 1 to 1 of 1, newest first." in text
    past_the_end = page_text(practitioner_client.get(URL, {"page": 3}))
    assert "There are no recorded decisions on this page: go back a page." in past_the_end


def test_my_decisions_is_one_look_in_the_access_log(practitioner_client, practitioner, child):
    complete_draft(user=practitioner, child=child)
    record_decision(user=practitioner, child=child)
    practitioner_client.get(URL)
    event = AccessEvent.objects.filter(user=practitioner, action=Action.VIEW).get()
    listed = "drafts: 1 listed; recorded: 1 listed"
    assert (event.subject, event.child_id, event.detail) == (Subject.DECISIONS, None, listed)


def _menu(client) -> list[str]:
    html = client.get(reverse("records:child_search")).content.decode()
    navigation = html[html.index('id="navigation"') : html.index("</ul>", html.index('id="navigation"'))]
    return reader_text(navigation).splitlines()


def test_a_practitioners_menu_has_my_decisions_and_a_leads_the_agencys_drafts_too(client, practitioner, lead):
    client.force_login(practitioner)
    menu = _menu(client)
    assert "My decisions" in menu
    # Their own drafts are on My decisions: one place, not two.
    assert "Draft decisions" not in menu
    client.force_login(lead)
    menu = _menu(client)
    assert "My decisions" in menu and "Draft decisions" in menu
