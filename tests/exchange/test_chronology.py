"""The child's chronology: everything in order, filtered, printable, and a
fixed number of queries however long it gets."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from exchange import services
from sharing.services import addendum_add
from tests.consent.records import record_consent
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
    services.request_close(user=practitioner, request=request, outcome="decided", decision=decision)
    addendum_add(decision=decision, user=practitioner, text="A correction.")
    disclosure = disclose(practitioner, decision, informed=False)
    services.follow_up_record(
        user=practitioner,
        disclosure=disclosure,
        details={
            "informed": True,
            "informed_on": timezone.localdate(),
            "informed_by": "Priya",
            "reasons": "",
            "reconsider_on": None,
        },
    )
    return decision


def kinds(response):
    return [entry.kind for entry in response.context["entries"]]


def test_every_kind_of_record_appears_newest_first(practitioner_client, child, history):
    response = practitioner_client.get(reverse("exchange:chronology", args=[child.pk]))
    assert kinds(response)[-2:] == ["consent", "request"], "oldest at the bottom"
    assert set(kinds(response)) == {"request", "outcome", "decision", "addendum", "consent", "disclosure", "follow_up"}
    whens = [entry.when for entry in response.context["entries"]]
    assert whens == sorted(whens, reverse=True)
    page = response.content.decode()
    assert reverse("sharing:decision_detail", args=[history.pk]) in page
    assert "Printed" in page and "data-app-print" in page


def test_oldest_first(practitioner_client, child, history):
    response = practitioner_client.get(reverse("exchange:chronology", args=[child.pk]) + "?order=oldest")
    assert kinds(response)[:2] == ["request", "consent"]


def test_filter_by_kind_and_date(practitioner_client, child, history):
    url = reverse("exchange:chronology", args=[child.pk])
    assert set(kinds(practitioner_client.get(url + "?kind=decision&kind=disclosure"))) == {"decision", "disclosure"}
    today = timezone.localdate().isoformat()
    recent = kinds(practitioner_client.get(url + f"?from={today}"))
    assert "request" not in recent and "consent" not in recent
    assert practitioner_client.get(url + "?from=not-a-date&kind=bogus").status_code == 200


def test_the_chronology_takes_the_same_number_of_queries_however_long_it_is(practitioner_client, practitioner, child):
    url = reverse("exchange:chronology", args=[child.pk])

    def queries():
        with CaptureQueriesContext(connection) as captured:
            response = practitioner_client.get(url)
        assert response.status_code == 200
        return len(captured), len(response.context["entries"])

    decision = record_decision(user=practitioner, child=child)
    disclose(practitioner, decision)
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
    assert client.get(reverse("exchange:chronology", args=[child.pk])).status_code == 404


def test_the_childs_page_shows_the_five_most_recent_entries(practitioner_client, child, history):
    page = practitioner_client.get(reverse("records:child_detail", args=[child.pk]))
    assert len(page.context["recent"]) == 5
    assert page.context["recent"][0].when >= page.context["recent"][-1].when
    assert reverse("exchange:chronology", args=[child.pk]) in page.content.decode()


def test_a_decided_request_is_answered_when_its_decision_was_made(practitioner_client, child, history):
    entries = practitioner_client.get(reverse("exchange:chronology", args=[child.pk])).context["entries"]
    outcome = next(e for e in entries if e.kind == "outcome")
    decision = next(e for e in entries if e.kind == "decision")
    assert outcome.when == decision.when
