"""The safeguarding lead's dashboard lists what needs attention, in their agency only."""

from dataclasses import replace
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from exchange import services as exchange_services
from exchange.models import InformationRequest
from oversight import selectors
from sharing import guidance, services
from sharing.guidance import QuestionKey
from tests.exchange.recorded import disclose, log_request
from tests.factories import ChildFactory
from tests.page_text import page_text, reader_text
from tests.sharing.recorded import complete_answers, record_decision


@pytest.fixture
def child(agency):
    return ChildFactory(agency=agency)


def board(client):
    response = client.get(reverse("oversight:dashboard"))
    assert response.status_code == 200
    return response.context["board"]


# Confidential information about an identifiable child, shared without seeking
# consent, in the public interest.
WITHOUT_CONSENT = {
    QuestionKey.IDENTIFIABLE: {"identifies_person": True, "who_identified": "The child", "anonymisation": ""},
    QuestionKey.CONFIDENTIAL: {"confidentiality": "formal", "reason": "Told to a nurse"},
    QuestionKey.CONSENT: {"status": "not_sought", "not_sought_reason": "Asking would put the child at risk"},
    QuestionKey.STATUTORY: {"duty": "none", "reference": ""},
    QuestionKey.PUBLIC_INTEREST: {
        "if_shared": "Mother may disengage.",
        "if_not_shared": "The visit goes ahead unaware of the risk.",
        "proportionality": "Only the fact of the concern.",
        "advice_sought": True,
        "advice_from": "safeguarding_lead",
        "adviser_name": "The lead",
        "advice_given": "Share.",
    },
}


def test_decisions_to_review_are_those_nobody_has_reviewed_except_the_leads_own(
    lead_client, lead, practitioner, child, other_practitioner, other_agency
):
    waiting = record_decision(user=practitioner, child=child)
    reviewed = record_decision(user=practitioner, child=child)
    services.review_record(decision=reviewed, user=lead, outcome="agree")
    record_decision(user=lead, child=child)
    record_decision(user=other_practitioner, child=ChildFactory(agency=other_agency))
    listing = board(lead_client).to_review
    assert [d.pk for d in listing.rows] == [waiting.pk] and listing.total == 1


def test_decisions_to_share_without_consent_are_listed(lead_client, practitioner, child):
    without = record_decision(user=practitioner, child=child, **WITHOUT_CONSENT)
    record_decision(user=practitioner, child=child)  # not confidential: no consent question
    listing = board(lead_client).without_consent
    assert [d.pk for d in listing.rows] == [without.pk]
    page = page_text(lead_client.get(reverse("oversight:dashboard")))
    assert "Decisions to share without consent" in page and without.child.full_name in page


def test_open_requests_older_than_the_set_days_and_unverified_ones(lead_client, practitioner, child, settings):
    settings.OPEN_REQUEST_ALERT_DAYS = 5
    old = log_request(practitioner, child, days_ago=6)
    recent = log_request(practitioner, child, days_ago=1)
    verified = log_request(practitioner, child, days_ago=1)
    exchange_services.request_verify(
        user=practitioner, information_request=verified, method="called_back", details="Called the switchboard"
    )
    closed = log_request(practitioner, child, days_ago=9)
    exchange_services.request_outcome_record(
        user=practitioner,
        information_request=closed,
        closing=exchange_services.ClosingDetails(outcome="withdrawn", reasons="No longer needed"),
    )
    dashboard = board(lead_client)
    assert [r.pk for r in dashboard.open_requests.rows] == [old.pk]
    assert {r.pk for r in dashboard.unverified.rows} == {old.pk, recent.pk}


def test_the_dashboard_is_for_leads_only(client, practitioner, agency_admin):
    for user in (practitioner, agency_admin):
        client.force_login(user)
        assert client.get(reverse("oversight:dashboard")).status_code == 403


def test_the_dashboard_takes_the_same_number_of_queries_however_much_is_waiting(lead_client, practitioner, child):
    def count():
        with CaptureQueriesContext(connection) as queries:
            board(lead_client)
        return len(queries)

    record_decision(user=practitioner, child=child, **WITHOUT_CONSENT)
    log_request(practitioner, child, days_ago=10)
    few = count()
    for _ in range(5):
        record_decision(user=practitioner, child=child, **WITHOUT_CONSENT)
        log_request(practitioner, child, days_ago=10)
    assert count() == few


def test_recent_decisions_without_consent_only(lead_client, practitioner, child, settings):
    settings.DASHBOARD_RECENT_DAYS = 30
    decision = record_decision(user=practitioner, child=child, **WITHOUT_CONSENT)
    assert board(lead_client).without_consent.total == 1
    settings.DASHBOARD_RECENT_DAYS = 0
    assert decision.decided_at > timezone.now() - timedelta(days=1)
    assert board(lead_client).without_consent.total == 0


def test_each_list_shows_its_oldest_rows_and_the_rest_a_page_at_a_time(lead_client, practitioner, child):
    decisions = [record_decision(user=practitioner, child=child) for _ in range(selectors.LIST_LIMIT + 3)]
    listing = board(lead_client).to_review
    assert [d.pk for d in listing.rows] == [d.pk for d in decisions[: selectors.LIST_LIMIT]]
    assert listing.total == len(decisions) and listing.has_more
    page = lead_client.get(reverse("oversight:dashboard"), {"list": "to-review"}).content.decode()
    assert (
        f"Showing the oldest {selectors.LIST_LIMIT} of {len(decisions)}"
        in lead_client.get(reverse("oversight:dashboard")).content.decode()
    )
    assert f"Showing 1 to {selectors.LIST_LIMIT} of {len(decisions)}" in page
    second = lead_client.get(reverse("oversight:dashboard"), {"list": "to-review", "page": 2})
    assert [d.pk for d in second.context["listing"].rows] == [d.pk for d in decisions[selectors.LIST_LIMIT :]]
    assert lead_client.get(reverse("oversight:dashboard"), {"list": "no-such-list"}).status_code == 404


def test_a_count_past_the_limit_says_more_than(lead_client, practitioner, child, monkeypatch):
    monkeypatch.setattr(selectors, "COUNT_LIMIT", 2)
    for _ in range(4):
        log_request(practitioner, child, days_ago=10)
    listing = board(lead_client).open_requests
    assert (listing.total, listing.more_than, listing.total_label) == (2, True, "more than 2")
    assert (
        "Requests open for more than 5 days (more than 2)"
        in lead_client.get(reverse("oversight:dashboard")).content.decode()
    )


def test_people_not_told_by_the_date_of_the_newest_follow_up(lead_client, lead, practitioner, child):
    today = timezone.localdate()
    never_followed_up = disclose(practitioner, record_decision(user=practitioner, child=child), informed=False)
    followed_up = disclose(practitioner, record_decision(user=practitioner, child=child), informed=False)
    told_later = disclose(practitioner, record_decision(user=practitioner, child=child), informed=False)
    not_yet_due = disclose(practitioner, record_decision(user=practitioner, child=child), informed=False)

    def follow_up(disclosure, informed, reconsider_on=None):
        details = exchange_services.FollowUpDetails(
            informed=informed,
            informed_on=today if informed else None,
            informed_by="Priya" if informed else "",
            reasons="" if informed else "Still at risk",
            reconsider_on=reconsider_on,
        )
        exchange_services.follow_up_record(user=practitioner, disclosure=disclosure, details=details)

    follow_up(followed_up, False, today - timedelta(days=3))
    follow_up(told_later, False, today - timedelta(days=5))
    follow_up(told_later, True)
    follow_up(not_yet_due, False, today + timedelta(days=7))
    listing = board(lead_client).not_told
    # The newest follow-up's date (3 days ago) comes before the disclosure's own (today).
    assert [d.pk for d in listing.rows] == [followed_up.pk, never_followed_up.pk]
    assert [d.reconsider_by for d in listing.rows] == [today - timedelta(days=3), today]
    assert listing.total == 2


def test_a_closed_request_leaves_the_index_of_open_requests(practitioner, child):
    request = log_request(practitioner, child, days_ago=9)
    assert request.is_open
    exchange_services.request_outcome_record(
        user=practitioner,
        information_request=request,
        closing=exchange_services.ClosingDetails(outcome="withdrawn", reasons="Not needed"),
    )
    request.refresh_from_db()
    assert not request.is_open


def test_saving_a_request_read_before_it_was_closed_does_not_reopen_it(practitioner, child):
    request = log_request(practitioner, child, days_ago=9)
    read_before = InformationRequest.objects.get(pk=request.pk)
    exchange_services.request_outcome_record(
        user=practitioner,
        information_request=request,
        closing=exchange_services.ClosingDetails(outcome="withdrawn", reasons="Not needed"),
    )
    exchange_services.request_correct(
        user=practitioner,
        information_request=read_before,
        adults=[],
        details=replace(exchange_services.RequestDetails.of(read_before), reason="Home visit next week"),
    )
    read_before.refresh_from_db()
    assert (read_before.reason, read_before.is_open) == ("Home visit next week", False)


# Issue 14, point 12: a decision to share without telling is on the list once its date to reconsider comes.


def not_telling(days: int) -> dict:
    """Shared without consent and without telling the person, to be reconsidered in ``days`` (3.5.19)."""
    now = timezone.localtime() - timedelta(minutes=1)
    planned = complete_answers()[QuestionKey.SHARING]
    return {
        **WITHOUT_CONSENT,
        QuestionKey.SHARING: {
            **planned,
            "recipient_agency_kind": "health",
            "person_informed": "not_told",
            "not_informed_reason": "Telling the mother could alert her partner.",
            "reconsider_on": (now.date() + timedelta(days=days)).isoformat(),
        },
    }


def test_a_decision_not_to_tell_is_listed_once_its_date_to_reconsider_comes(lead, practitioner, child):
    decision = record_decision(user=practitioner, child=child, **not_telling(days=3))
    other = record_decision(user=practitioner, child=child, **not_telling(days=1))
    disclosed_later = record_decision(user=practitioner, child=child, **not_telling(days=2))
    assert decision.reconsider_on == timezone.localdate() + timedelta(days=3)
    assert record_decision(user=practitioner, child=child).reconsider_on is None, "told, or nobody to tell"

    def listed(client):
        return [row.pk for row in board(client).not_told.rows]

    client = Client()
    client.force_login(lead)
    assert listed(client) == []
    with time_machine.travel(timezone.now() + timedelta(days=2)):
        client.force_login(lead)
        assert listed(client) == [other.pk, disclosed_later.pk]
    # Once something is disclosed under it, the disclosure says whether they were told, and is listed instead.
    disclosure = disclose(practitioner, disclosed_later, informed=False)
    with time_machine.travel(timezone.now() + timedelta(days=3)):
        client.force_login(lead)
        listing = board(client).not_told
        assert [row.pk for row in listing.rows] == [disclosure.pk, other.pk, decision.pk]
        assert listing.total == 3
        text = reader_text(client.get(reverse("oversight:dashboard")).content.decode())
        assert "People not yet told of a share (3)" in text
        when = long_date(timezone.localtime(decision.decided_at))
        shared = f"Decision about {decision.child.full_name} of {when}: share the information"
        assert f"{shared}, by {practitioner.full_name}; nothing disclosed yet" in text
        whole = client.get(reverse("oversight:dashboard"), {"list": "not-told"})
        assert [row.pk for row in whole.context["listing"].rows] == [disclosure.pk, other.pk, decision.pk]
        assert f'href="{reverse("sharing:decision_detail", args=[other.pk])}"' in whole.content.decode()


def long_date(when) -> str:
    return f"{when.day} {when:%B %Y}"


# The list of decisions without consent is guidance.has_consent as a query (selectors.without_consent_queryset).
# The recipient is a health agency.
# Each answered on every page of question 4 it asks (guidance.PAGES): a record for consent given or refused.
CONSENT_ANSWERS = {
    "obtained, covers the purpose and the recipient": {
        "status": "obtained",
        "consent_record": "c1",
        "consent_covers": True,
        "consent_recipient_kinds": ["health"],
    },
    "obtained, recipient outside": {
        "status": "obtained",
        "consent_record": "c1",
        "consent_covers": True,
        "consent_recipient_kinds": ["school"],
    },
    "obtained, purpose outside": {
        "status": "obtained",
        "consent_record": "c1",
        "consent_covers": False,
        "consent_recipient_kinds": ["health"],
    },
    "refused": {"status": "refused", "consent_record": "c2"},
    "not sought": {"status": "not_sought", "not_sought_reason": "child_at_increased_risk"},
    "not needed": {"status": "not_needed", "not_needed_reason": "A court order"},
}


def test_decisions_without_consent_are_those_the_rule_says(lead_client, practitioner, child):
    """One set of recorded decisions, one for each consent status (and each way consent can fall short), read by
    the Python rule and by the dashboard's query: both pick out the same decisions."""
    assert {answer["status"] for answer in CONSENT_ANSWERS.values()} == set(guidance.ConsentStatus)
    recorded = {}
    for name, consent in CONSENT_ANSWERS.items():
        answers = {
            **WITHOUT_CONSENT,
            QuestionKey.CONSENT: consent,
            QuestionKey.SHARING: {**complete_answers()[QuestionKey.SHARING], "recipient_agency_kind": "health"},
        }
        if guidance.has_consent(answers):
            # With consent, questions 5 and 6 are not asked (guidance.questions_needed), and the limits are told.
            answers = {
                key: value
                for key, value in answers.items()
                if key not in (QuestionKey.STATUTORY, QuestionKey.PUBLIC_INTEREST)
            }
            answers[QuestionKey.SHARING]["consent_limits_explained"] = True
        decision = record_decision(user=practitioner, child=child, **answers)
        recorded[name] = decision
    # Not confidential: question 4 is never asked, so the decision is not one "without consent" either.
    recorded["not confidential"] = record_decision(user=practitioner, child=child)
    by_rule = {
        name
        for name, decision in recorded.items()
        if QuestionKey.CONSENT in (answers := decision.answers_by_question()) and not guidance.has_consent(answers)
    }
    by_query = {name for name, decision in recorded.items() if decision.pk in listed_without_consent(lead_client)}
    assert by_query == by_rule
    assert by_rule == {
        "obtained, recipient outside",
        "obtained, purpose outside",
        "refused",
        "not sought",
        "not needed",
    }


def listed_without_consent(client) -> set:
    return {decision.pk for decision in board(client).without_consent.rows}


def test_the_links_to_decisions_name_the_child_and_the_decision(lead_client, practitioner, child):
    decision = record_decision(user=practitioner, child=child, **WITHOUT_CONSENT)
    page = lead_client.get(reverse("oversight:dashboard"))
    text = page_text(page)
    named = f"Decision about {child.full_name}: share the information"
    # Once among the decisions to review, once among those to share without consent.
    assert text.count(named) == 2
    assert f"{named}, by {practitioner.full_name}" in text
    assert page.content.decode().count(f'href="{reverse("sharing:decision_detail", args=[decision.pk])}"') == 2
