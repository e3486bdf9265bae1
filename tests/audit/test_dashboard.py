"""The safeguarding lead's dashboard lists what needs attention, in their agency only."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from exchange import services as exchange_services
from sharing import services
from sharing.guidance import Q
from tests.exchange.recorded import log_request
from tests.factories import ChildFactory
from tests.sharing.recorded import record_decision


@pytest.fixture
def child(agency):
    return ChildFactory(agency=agency)


def board(client):
    response = client.get(reverse("audit:dashboard"))
    assert response.status_code == 200
    return response.context["board"]


# Confidential information about an identifiable child, shared without seeking
# consent, in the public interest.
WITHOUT_CONSENT = {
    Q.IDENTIFIABLE: {"identifies_person": True, "who_identified": "The child", "anonymisation": ""},
    Q.CONFIDENTIAL: {"confidentiality": "formal", "reason": "Told to a nurse"},
    Q.CONSENT: {"status": "not_sought", "not_sought_reason": "Asking would put the child at risk"},
    Q.STATUTORY: {"duty": "none", "reference": ""},
    Q.PUBLIC_INTEREST: {
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
    page = lead_client.get(reverse("audit:dashboard")).content.decode()
    assert "Decisions to share without consent" in page and escape(without.child.full_name) in page


def test_open_requests_older_than_the_set_days_and_unverified_ones(lead_client, practitioner, child, settings):
    settings.OPEN_REQUEST_ALERT_DAYS = 5
    old = log_request(practitioner, child, days_ago=6)
    recent = log_request(practitioner, child, days_ago=1)
    verified = log_request(practitioner, child, days_ago=1)
    exchange_services.request_verify(
        user=practitioner, request=verified, method="called_back", details="Called the switchboard"
    )
    closed = log_request(practitioner, child, days_ago=9)
    exchange_services.request_close(user=practitioner, request=closed, outcome="withdrawn", reasons="No longer needed")
    dashboard = board(lead_client)
    assert [r.pk for r in dashboard.open_requests.rows] == [old.pk]
    assert {r.pk for r in dashboard.unverified.rows} == {old.pk, recent.pk}


def test_the_dashboard_is_for_leads_only(client, practitioner, agency_admin):
    for user in (practitioner, agency_admin):
        client.force_login(user)
        assert client.get(reverse("audit:dashboard")).status_code == 403


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
