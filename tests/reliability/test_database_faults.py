"""The database connection is killed in the middle of recording a decision, a
consent, a disclosure and one sent through the service: the person sees a
clear page with what they sent, nothing is half-written (no record without its
log entry, no entry without its record), the log verifies, the draft is still
there, and sending it again works."""

from datetime import date, timedelta

import psycopg2
import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from consent.models import ConsentRecord
from delivery.models import Delivery
from exchange.models import Disclosure
from ledger import services as ledger_services
from ledger.models import Entry
from sharing.models import DecisionAnswer, SharingDecision
from tests.consent.consent_post_data import consent_post, through_the_pages
from tests.exchange import recorded as disclosure_recorded
from tests.exchange.recorded import disclosure_post
from tests.factories import ChildFactory
from tests.ledger_data import seal, verify_log
from tests.sharing.recorded import complete_draft, record_decision

pytestmark = [
    pytest.mark.usefixtures("transactional_db"),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="pg_terminate_backend is PostgreSQL's; SQLite has no connection"
    ),
]


def _terminate(pid: int) -> None:
    """Kill a backend from outside, as a database restart or a dropped network would."""
    other = psycopg2.connect(**connection.get_connection_params())
    try:
        other.autocommit = True
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    finally:
        other.close()


RECORD_KINDS = ("decision", "consent", "disclosure")


def kill_before_the_entry(monkeypatch) -> list[int]:
    """The connection dies after the record's INSERT, just before its entry goes
    into the log, in the same transaction (a decision's answers come after it; a
    consent's validation has read rows)."""
    original = ledger_services.enter
    kills = []

    def killing(*, kind, record_id, document):
        if not kills and kind in RECORD_KINDS:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                pid = cursor.fetchone()[0]
            kills.append(pid)
            _terminate(pid)
        return original(kind=kind, record_id=record_id, document=document)

    monkeypatch.setattr(ledger_services, "enter", killing)
    return kills


@pytest.fixture
def connection_killed_before_the_entry(monkeypatch):
    return kill_before_the_entry(monkeypatch)


def entered(kind: str) -> int:
    return Entry.objects.filter(kind=kind).count()


def log_verifies():
    """Sealed, the whole log verifies: every record has its entry, every entry its record and place."""
    seal()
    report = verify_log()
    assert report.intact, report.first_problem
    assert report.entries == Entry.objects.count()
    return report


def _after_the_request():
    """What Django does when a request ends: drop a connection that broke."""
    connection.close_if_unusable_or_obsolete()


def _signed_in(user) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def _resend(client, response):
    """Press "Try again": the page posts back exactly what was sent."""
    form = response.context["typed"]
    data = {}
    for name, value in form:
        data.setdefault(name, []).append(value)
    return client.post(response.context["path"], data)


def test_recording_a_decision(practitioner, agency, connection_killed_before_the_entry):
    child = ChildFactory(agency=agency)
    draft = complete_draft(user=practitioner, child=child)
    client = _signed_in(practitioner)
    response = client.post(reverse("sharing:check", args=[draft.pk]))
    assert connection_killed_before_the_entry, "the fault was injected"
    assert response.status_code == 503
    assert "Sorry, the service could not reach its database" in response.content.decode()
    _after_the_request()
    assert not SharingDecision.objects.exists() and not DecisionAnswer.objects.exists()
    draft.refresh_from_db()
    assert draft.answers and draft.decision_id is None, "the draft is still there"
    assert entered("decision") == 0
    log_verifies()
    response = client.post(reverse("sharing:check", args=[draft.pk]))
    assert response.status_code == 302, "the next request works"
    assert SharingDecision.objects.count() == 1 and entered("decision") == 1
    log_verifies()


def test_recording_a_consent_keeps_what_was_typed(practitioner, agency, connection_killed_before_the_entry):
    child = ChildFactory(agency=agency, date_of_birth=date.today() - timedelta(days=15 * 366))
    client = _signed_in(practitioner)
    url = reverse("consent:add", args=[child.pk])
    typed = consent_post(how_signalled="Signed after we talked it through <b>carefully</b>.")
    response = through_the_pages(client, url, typed)
    assert response.status_code == 503
    assert "Try again" in response.content.decode()
    _after_the_request()
    assert not ConsentRecord.objects.exists() and entered("consent") == 0
    log_verifies()
    # What was typed is still in the draft: the check page shows it, escaped.
    check = client.get(response.context["path"]).content.decode()
    assert "Signed after we talked it through &lt;b&gt;carefully&lt;/b&gt;." in check, "what was typed, escaped"
    assert _resend(client, response).status_code == 302
    assert ConsentRecord.objects.get().how_signalled == "Signed after we talked it through <b>carefully</b>."
    assert entered("consent") == 1
    log_verifies()


def test_recording_a_disclosure(practitioner, agency, monkeypatch):
    child = ChildFactory(agency=agency)
    decision = record_decision(user=practitioner, child=child)
    kills = kill_before_the_entry(monkeypatch)
    client = _signed_in(practitioner)
    disclosure_recorded.through_the_pages(client, decision, disclosure_post(), record=False)
    url = reverse("exchange:disclosure_page", args=[decision.pk, "check"])
    response = client.post(url, {})
    assert kills and response.status_code == 503
    _after_the_request()
    assert not Disclosure.objects.exists()
    assert (entered("decision"), entered("disclosure")) == (1, 0)
    log_verifies()
    assert _resend(client, response).status_code == 302
    assert Disclosure.objects.count() == 1 and entered("disclosure") == 1
    log_verifies()


def test_sending_a_disclosure_through_the_service(practitioner, agency, other_agency, other_practitioner, monkeypatch):
    """Killed after the disclosure's entry, before the record of sending it: neither is kept (ADR 27)."""
    decision = record_decision(user=practitioner, child=ChildFactory(agency=agency))
    original, kills = ledger_services.enter, []

    def killing(*, kind, record_id, document):
        if not kills and kind == "delivery":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                kills.append(cursor.fetchone()[0])
            _terminate(kills[0])
        return original(kind=kind, record_id=record_id, document=document)

    monkeypatch.setattr(ledger_services, "enter", killing)
    client = _signed_in(practitioner)
    data = disclosure_post(
        method="through_the_service",
        send_to_agency=str(other_agency.pk),
        send_to_person="leads",
        **disclosure_recorded.date_fields("keep_until", timezone.localdate() + timedelta(days=30)),
    )
    disclosure_recorded.through_the_pages(client, decision, data, record=False)
    response = client.post(reverse("delivery:send", args=[decision.pk]), {})
    assert kills and response.status_code == 503
    _after_the_request()
    assert not Disclosure.objects.exists() and not Delivery.objects.exists()
    assert (entered("disclosure"), entered("delivery")) == (0, 0)
    log_verifies()
    assert _resend(client, response).status_code == 302
    assert Delivery.objects.count() == 1 and (entered("disclosure"), entered("delivery")) == (1, 1)
    log_verifies()
