"""The child's chronology: everything in order, filtered, printable, and a
fixed number of queries however long it gets."""

from datetime import UTC, datetime, time, timedelta

import pytest
from django.db import connection
from django.template.defaultfilters import date as date_filter
from django.template.defaultfilters import truncatechars
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from consent.selectors import consent_history
from exchange import services
from exchange.models import InformationRequest
from oversight import chronology
from sharing.services import addendum_add, review_record
from tests.consent.consent_data import record_consent
from tests.exchange.recorded import disclose, log_request
from tests.factories import ChildFactory, RelationshipFactory
from tests.sharing.recorded import record_decision


@pytest.fixture
def child(agency):
    return ChildFactory(agency=agency, given_name="Mia")


@pytest.fixture
def history(practitioner, child):
    """A request, a consent, a decision with an addendum, a disclosure and a follow-up."""
    request = log_request(practitioner, child, days_ago=5)
    mother = RelationshipFactory(child=child).adult
    record_consent(
        user=practitioner, child=child, responder=mother, responded_on=timezone.localdate() - timedelta(days=4)
    )
    decision = record_decision(user=practitioner, child=child)
    services.request_outcome_record(
        user=practitioner,
        information_request=request,
        closing=services.ClosingDetails(outcome="decided", decision=decision),
    )
    addendum_add(decision=decision, user=practitioner, text="A correction.")
    disclosure = disclose(practitioner, decision, informed=False)
    services.follow_up_record(
        user=practitioner,
        disclosure=disclosure,
        details=services.FollowUpDetails(
            informed=True, informed_on=timezone.localdate(), informed_by="Priya", reasons="", reconsider_on=None
        ),
    )
    return decision


def kinds(response):
    return [event.kind for event in response.context["events"]]


def test_every_kind_of_record_appears_newest_first(practitioner_client, child, history):
    response = practitioner_client.get(reverse("oversight:chronology", args=[child.pk]))
    assert kinds(response)[-2:] == ["consent", "request"], "oldest at the bottom"
    assert set(kinds(response)) == {"request", "outcome", "decision", "addendum", "consent", "disclosure", "follow_up"}
    whens = [event.when for event in response.context["events"]]
    assert whens == sorted(whens, reverse=True)
    page = response.content.decode()
    assert reverse("sharing:decision_detail", args=[history.pk]) in page
    assert "Printed" in page and "data-app-print" in page


def test_oldest_first(practitioner_client, child, history):
    response = practitioner_client.get(reverse("oversight:chronology", args=[child.pk]) + "?order=oldest")
    assert kinds(response)[:2] == ["request", "consent"]


def test_filter_by_kind_and_date(practitioner_client, child, history):
    url = reverse("oversight:chronology", args=[child.pk])
    assert set(kinds(practitioner_client.get(url + "?kind=decision&kind=disclosure"))) == {"decision", "disclosure"}
    today = timezone.localdate().isoformat()
    recent = kinds(practitioner_client.get(url + f"?from={today}"))
    assert "request" not in recent and "consent" not in recent
    assert practitioner_client.get(url + "?from=not-a-date&kind=bogus").status_code == 200


def test_the_chronology_takes_the_same_number_of_queries_however_long_it_is(practitioner_client, practitioner, child):
    url = reverse("oversight:chronology", args=[child.pk])

    def queries():
        with CaptureQueriesContext(connection) as captured:
            response = practitioner_client.get(url)
        assert response.status_code == 200
        return len(captured), len(response.context["events"])

    decision = record_decision(user=practitioner, child=child)
    disclose(practitioner, decision)
    # Asked for once first: a session's first request does more (two-factor, last seen).
    queries()
    few, few_entries = queries()
    for day in range(40):
        log_request(practitioner, child, days_ago=day)
        addendum_add(decision=decision, user=practitioner, text=f"Note {day}")
        disclose(practitioner, decision)
    many, many_entries = queries()
    assert many_entries >= few_entries + 120
    assert many == few


def test_another_agency_cannot_see_the_chronology(client, other_practitioner, child):
    client.force_login(other_practitioner)
    assert client.get(reverse("oversight:chronology", args=[child.pk])).status_code == 404


def test_the_childs_page_shows_the_five_most_recent_entries(practitioner_client, child, history):
    page = practitioner_client.get(reverse("oversight:child_detail", args=[child.pk]))
    assert len(page.context["recent"]) == 5
    assert page.context["recent"][0].when >= page.context["recent"][-1].when
    assert reverse("oversight:chronology", args=[child.pk]) in page.content.decode()


def test_a_decided_request_is_answered_when_its_decision_was_made(practitioner_client, child, history):
    events = practitioner_client.get(reverse("oversight:chronology", args=[child.pk])).context["events"]
    outcome = next(e for e in events if e.kind == "outcome")
    decision = next(e for e in events if e.kind == "decision")
    assert outcome.when == decision.when


def test_each_kind_of_entry_reads_as_its_record_and_links_to_it(
    practitioner_client, practitioner, lead, child, history
):
    """The chronology reads every kind in one query: each still says who, what, and where to look."""
    mother = child.relationships.get().adult
    about_mother = record_consent(user=practitioner, child=child, responder=mother, about_adult=mother)
    review_record(decision=history, user=lead, outcome="disagree", comments="Too soon.", reasons="No consent sought.")
    events = practitioner_client.get(reverse("oversight:chronology", args=[child.pk])).context["events"]
    by_kind = {}
    for event in events:
        by_kind.setdefault(event.kind, []).append(event)
    decision_url = reverse("sharing:decision_detail", args=[history.pk])

    (decision,) = by_kind["decision"]
    assert decision.who == f"{history.recorder_name}, {history.recorder_role.lower()}"
    assert decision.summary == f"{history.get_outcome_display()}. {history.reasons}"
    assert decision.url == decision_url and decision.when == history.decided_at

    (request,) = by_kind["request"]
    assert request.who == "Nadia Hughes, Health visitor, Northgate NHS Foundation Trust"
    assert request.summary == "Asked for: Whether the family is known"
    (outcome,) = by_kind["outcome"]
    assert outcome.summary.endswith(": request from Northgate NHS Foundation Trust")
    assert (
        outcome.url
        == request.url
        == reverse("exchange:request_detail", args=[history.request_outcomes.get().request_id])
    )

    (addendum,) = by_kind["addendum"]
    assert (addendum.summary, addendum.url) == ("A correction.", decision_url)
    (review,) = by_kind["review"]
    assert review.who == f"{lead.full_name}, safeguarding lead"
    assert review.summary == "I disagree with the decision: Too soon. No consent sought."
    assert review.url == decision_url

    consents = {event.url: event for event in by_kind["consent"]}
    about = consents[reverse("consent:detail", args=[about_mother.pk])]
    assert about.summary == f"Consent given by {mother.full_name} about {mother.full_name}"
    assert about.when == timezone.make_aware(datetime.combine(about_mother.responded_on, time.min))
    about_child = next(event for url, event in consents.items() if event is not about)
    assert about_child.summary.endswith(f"about {child.full_name}")

    (disclosure,) = by_kind["disclosure"]
    # 3.5.19, 3.7.3: disclosed without telling the family, and why.
    assert disclosure.summary == (
        "Disclosed to Nadia Hughes, Health visitor, Northgate NHS Foundation Trust, by secure email: 1 item. "
        "The child or parents were not told: Risk"
    )
    assert disclosure.url == reverse("exchange:disclosure_detail", args=[history.disclosures.get().pk])
    (follow_up,) = by_kind["follow_up"]
    assert follow_up.summary == "The child or a parent has now been told"
    assert follow_up.url == disclosure.url


def test_the_childs_recent_activity_is_the_top_of_the_chronology(practitioner_client, practitioner, child, history):
    """The child's page picks its five events in the database; they are the chronology's first five."""
    for days_ago in (0, 1, 3):
        record_consent(user=practitioner, child=child, responded_on=timezone.localdate() - timedelta(days=days_ago))
    for count in (1, 3, 5, 8):
        newest = practitioner_client.get(reverse("oversight:chronology", args=[child.pk])).context["events"][:count]
        recent = chronology.latest(
            child=child,
            count=count,
            consents=[listed["record"] for listed in consent_history(user=practitioner, child=child)],
        )
        assert [(e.when, e.kind, e.who, e.summary, e.url) for e in recent] == [
            (e.when, e.kind, e.who, e.summary, e.url) for e in newest
        ]
    page = practitioner_client.get(reverse("oversight:child_detail", args=[child.pk]))
    assert [event.url for event in page.context["recent"]] == [event.url for event in newest[:5]]


def test_each_row_shows_the_local_time_the_kind_the_person_and_the_summary(practitioner_client, child, history):
    long_reasons = "Because " + "the risk is high " * 30
    addendum_add(decision=history, user=history.recorded_by, text=long_reasons)
    # In British Summer Time: shown an hour after UTC.
    InformationRequest.objects.filter(child=child).update(received_at=datetime(2025, 7, 1, 11, 30, tzinfo=UTC))
    response = practitioner_client.get(reverse("oversight:chronology", args=[child.pk]))
    page = response.content.decode()
    assert '<td class="govuk-table__cell">1 Jul 2025, 12:30</td>' in page
    for event in response.context["events"]:
        row = (
            f'<td class="govuk-table__cell">{date_filter(timezone.localtime(event.when), "j M Y, H:i")}</td>'
            f'<td class="govuk-table__cell"><a class="govuk-link" href="{event.url}">{event.kind_label}</a></td>'
            f'<td class="govuk-table__cell">{escape(event.who)}</td>'
            f'<td class="govuk-table__cell">{escape(truncatechars(event.summary, 240))}</td>'
        )
        assert row in page, row
    assert escape(truncatechars(long_reasons, 240)) in page and long_reasons not in page


def test_two_consents_on_one_day_are_in_the_order_they_were_recorded(practitioner_client, practitioner, child):
    mother = RelationshipFactory(child=child).adult
    day = timezone.localdate() - timedelta(days=1)
    given = record_consent(user=practitioner, child=child, responder=mother, responded_on=day)
    withdrawn = record_consent(user=practitioner, child=child, responder=mother, responded_on=day, response="withdrawn")
    url = reverse("oversight:chronology", args=[child.pk])
    first, second = (reverse("consent:detail", args=[record.pk]) for record in (given, withdrawn))
    assert [e.url for e in practitioner_client.get(url).context["events"]] == [second, first]
    assert [e.url for e in practitioner_client.get(url + "?order=oldest").context["events"]] == [first, second]
    recent = practitioner_client.get(reverse("oversight:child_detail", args=[child.pk])).context["recent"]
    assert [e.url for e in recent] == [second, first]


def test_the_call_back_that_verified_the_requester_is_in_the_chronology(
    practitioner_client, practitioner, lead, child, history
):
    """3.7.4: the verification is an event of its own, when it was made, by whom, how."""
    request = InformationRequest.objects.get(child=child)
    url = reverse("oversight:chronology", args=[child.pk])
    assert "verification" not in kinds(practitioner_client.get(url)), "not verified: no event"
    services.request_verify(
        user=lead,
        information_request=request,
        method="called_back",
        details="Rang the trust's switchboard, 01632 960 200.",
        verified_at=timezone.now() - timedelta(hours=1),
    )
    request.refresh_from_db()
    events = practitioner_client.get(url).context["events"]
    (verified,) = [event for event in events if event.kind == "verification"]
    assert verified.when == request.verified_at
    assert verified.kind_label == "Requester verified"
    assert verified.who == lead.full_name
    assert verified.summary == (
        "Verified Nadia Hughes, Northgate NHS Foundation Trust: called back through their agency's published "
        "number (3.7.4). Rang the trust's switchboard, 01632 960 200."
    )
    assert verified.url == reverse("exchange:request_detail", args=[request.pk])
    page = practitioner_client.get(url).content.decode()
    assert escape("Verified Nadia Hughes, Northgate NHS Foundation Trust") in page
    # It can be shown alone, and it is on the child's page among the latest.
    assert kinds(practitioner_client.get(url + "?kind=verification")) == ["verification"]
    recent = chronology.latest(child=child, count=20, consents=[])
    assert "verification" in [event.kind for event in recent]


def test_a_disclosure_told_to_the_family_says_nothing_more(practitioner_client, practitioner, child):
    decision = record_decision(user=practitioner, child=child)
    disclose(practitioner, decision, informed=True)
    (event,) = practitioner_client.get(reverse("oversight:chronology", args=[child.pk])).context["events"][:1]
    assert event.summary == (
        "Disclosed to Nadia Hughes, Health visitor, Northgate NHS Foundation Trust, by secure email: 1 item"
    )
