"""The database connection is killed in the middle of recording a decision, a
consent and a disclosure: the person sees a clear page with what they sent,
nothing is half-written, the chain is intact, the draft is still there, and
sending it again works."""

from datetime import date, timedelta

import psycopg2
import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from consent.models import ConsentRecord
from exchange.models import Disclosure
from sharing import chain
from sharing.models import RECORDS_CHAIN, DecisionAnswer, SharingDecision
from sharing.verification import verify_chain
from tests.consent.forms import consent_post
from tests.exchange.recorded import disclosure_post
from tests.factories import ChildFactory
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


def kill_before_the_chain(monkeypatch) -> list[int]:
    """The connection dies just before the record goes into the hash chain,
    after the transaction has already written other rows (a decision's answers
    come after it; a consent's validation has read rows)."""
    original = chain.append
    kills = []

    def killing(record, document=None):
        if not kills and record.chain_id == RECORDS_CHAIN:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                pid = cursor.fetchone()[0]
            kills.append(pid)
            _terminate(pid)
        return original(record, document)

    monkeypatch.setattr(chain, "append", killing)
    return kills


@pytest.fixture
def connection_killed_before_the_chain(monkeypatch):
    return kill_before_the_chain(monkeypatch)


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


def test_recording_a_decision(practitioner, agency, connection_killed_before_the_chain):
    child = ChildFactory(agency=agency)
    draft = complete_draft(user=practitioner, child=child)
    client = _signed_in(practitioner)
    response = client.post(reverse("sharing:check", args=[draft.pk]))
    assert connection_killed_before_the_chain, "the fault was injected"
    assert response.status_code == 503
    assert "Sorry, the service could not reach its database" in response.content.decode()
    _after_the_request()
    assert not SharingDecision.objects.exists() and not DecisionAnswer.objects.exists()
    draft.refresh_from_db()
    assert draft.answers and draft.decision_id is None, "the draft is still there"
    assert verify_chain().intact
    response = client.post(reverse("sharing:check", args=[draft.pk]))
    assert response.status_code == 302, "the next request works"
    assert SharingDecision.objects.count() == 1 and verify_chain().intact


def test_recording_a_consent_keeps_what_was_typed(practitioner, agency, connection_killed_before_the_chain):
    child = ChildFactory(agency=agency, date_of_birth=date.today() - timedelta(days=15 * 366))
    client = _signed_in(practitioner)
    url = reverse("consent:add", args=[child.pk])
    response = client.post(url, consent_post(how_signalled="Signed after we talked it through <b>carefully</b>."))
    assert response.status_code == 503
    page = response.content.decode()
    assert "Signed after we talked it through &lt;b&gt;carefully&lt;/b&gt;." in page, "what was typed, escaped"
    assert "Try again" in page
    _after_the_request()
    assert not ConsentRecord.objects.exists()
    assert verify_chain().intact
    assert _resend(client, response).status_code == 302
    assert ConsentRecord.objects.get().how_signalled == "Signed after we talked it through <b>carefully</b>."
    assert verify_chain().intact


def test_recording_a_disclosure(practitioner, agency, monkeypatch):
    child = ChildFactory(agency=agency)
    decision = record_decision(user=practitioner, child=child)
    kills = kill_before_the_chain(monkeypatch)
    client = _signed_in(practitioner)
    url = reverse("exchange:disclosure_add", args=[decision.pk])
    response = client.post(url, disclosure_post())
    assert kills and response.status_code == 503
    _after_the_request()
    assert not Disclosure.objects.exists()
    assert verify_chain().intact and verify_chain().checked == 1
    assert _resend(client, response).status_code == 302
    assert Disclosure.objects.count() == 1 and verify_chain().intact
