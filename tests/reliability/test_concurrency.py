"""Many people at once, and the same form sent twice: every acknowledged record
is there once, entered in the log once, and the log verifies."""

import re
import threading
import uuid
from datetime import date, timedelta
from urllib.parse import urlsplit

import pytest
from django.db import connection
from django.test import Client
from django.urls import resolve, reverse

from consent.models import ConsentRecord
from exchange.models import Disclosure
from ledger.models import Entry, Leaf
from records.models import Submission
from records.roles import Role
from sharing.models import DecisionReview, SharingDecision
from tests.consent.consent_data import record_consent
from tests.consent.consent_post_data import consent_post
from tests.exchange.recorded import disclosure_post, through_the_pages
from tests.factories import ChildFactory, StaffMembershipFactory
from tests.ledger_data import seal, verify_log
from tests.reliability.pages import withdraw_post
from tests.sharing.recorded import complete_draft, record_decision

CLIENTS = 8


def entered_once_and_verified(**kinds):
    """Each kind's records entered in the log once; sealed, every entry has one place and the log verifies."""
    for kind, model in kinds.items():
        entered = sorted(Entry.objects.filter(kind=kind).values_list("record_id", flat=True))
        assert entered == sorted(str(pk) for pk in model.objects.values_list("pk", flat=True)), kind
    seal()
    report = verify_log()
    assert report.intact, report.first_problem
    assert report.pending == 0 and report.entries == report.size == Entry.objects.count() == Leaf.objects.count()
    assert report.witnessed_size == report.size, "every checkpoint signed was witnessed"
    return report


def teenager(agency):
    return ChildFactory(agency=agency, date_of_birth=date.today() - timedelta(days=15 * 366))


def key_on(page) -> str:
    return re.search(r'name="submission_key" value="([0-9a-f-]{36})"', page.content.decode()).group(1)


def answered_up_to_check(client, child) -> str:
    """Every page of recording a consent answered in this client's session (consent.pages): the address of the
    check page, whose "Record consent" carries the submission key."""
    url = reverse("consent:add", args=[child.pk])
    while not url.split("?")[0].endswith("/check/"):
        response = client.post(url, consent_post())
        assert response.status_code == 302, response.content[:500]
        url = response.url
    return url


def test_a_consent_sent_twice_is_recorded_once(practitioner_client, agency):
    child = teenager(agency)
    url = answered_up_to_check(practitioner_client, child)
    key = key_on(practitioner_client.get(url))
    first = practitioner_client.post(url, {"submission_key": key})
    second = practitioner_client.post(url, {"submission_key": key}, follow=True)
    assert ConsentRecord.objects.count() == 1
    assert second.redirect_chain[0][0] == first.url, "the second send shows what the first recorded"
    assert "That form had already been sent" in second.content.decode()


def test_a_form_refused_with_errors_can_be_corrected_and_sent_with_the_same_key(
    practitioner_client, practitioner, agency
):
    child = teenager(agency)
    url = reverse("consent:withdraw", args=[record_consent(user=practitioner, child=child).pk])
    key = key_on(practitioner_client.get(url))
    refused = practitioner_client.post(url, withdraw_post(submission_key=key, how_signalled=""))
    assert refused.status_code == 200 and key_on(refused) == key
    assert practitioner_client.post(url, withdraw_post(submission_key=key)).status_code == 302
    assert ConsentRecord.objects.filter(response="withdrawn").count() == 1


def test_a_key_is_only_replayed_for_the_person_who_sent_it(client, practitioner, agency):
    child = teenager(agency)
    key = str(uuid.uuid4())
    client.force_login(practitioner)
    client.post(answered_up_to_check(client, child), {"submission_key": key})
    colleague = StaffMembershipFactory(agency=agency, role=Role.PRACTITIONER).user
    client.force_login(colleague)
    assert client.post(answered_up_to_check(client, child), {"submission_key": key}).status_code == 302
    assert ConsentRecord.objects.count() == 2, "a colleague's send is theirs, not a replay of someone else's"


def test_a_send_still_being_handled_is_not_handled_again_but_one_abandoned_is(
    practitioner_client, practitioner, agency
):
    child = teenager(agency)
    url = answered_up_to_check(practitioner_client, child)
    key = key_on(practitioner_client.get(url))
    claim = Submission.objects.create(key=key, user=practitioner, path=url)
    assert practitioner_client.post(url, {"submission_key": key}).status_code == 409
    assert ConsentRecord.objects.count() == 0
    # The worker handling the first send died: after two minutes the key is free again.
    Submission.objects.filter(pk=claim.pk).update(started_at=claim.started_at - timedelta(minutes=3))
    assert practitioner_client.post(url, {"submission_key": key}).status_code == 302
    assert ConsentRecord.objects.count() == 1


# At once, on PostgreSQL: real row locks between real connections.


@pytest.fixture
def on_postgresql(transactional_db):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers are exercised on PostgreSQL, the production database")


def at_once(jobs):
    barrier = threading.Barrier(len(jobs))
    results, errors = [None] * len(jobs), []

    def run(index, job):
        try:
            barrier.wait(timeout=20)
            results[index] = job()
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index, job)) for index, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    return results


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_many_people_recording_at_once_and_some_twice(on_postgresql, agency):
    people = [StaffMembershipFactory(agency=agency, role=Role.PRACTITIONER).user for _ in range(CLIENTS)]
    jobs, expected = [], {"decisions": 0, "consents": 0, "disclosures": 0}
    for index, person in enumerate(people):
        child = teenager(agency)
        draft = complete_draft(user=person, child=child)
        decision = record_decision(user=person, child=child)
        consent_key, disclosure_key = str(uuid.uuid4()), str(uuid.uuid4())
        sends = 2 if index % 2 else 1  # every other person double-clicks everything
        # The disclosure's pages answered up to "Check your answers" (its draft is the person's).
        through_the_pages(signed_in(person), decision, disclosure_post(), record=False)
        for _ in range(sends):
            client = signed_in(person)
            check = answered_up_to_check(client, child)
            jobs += [
                lambda c=client, d=draft: c.post(reverse("sharing:check", args=[d.pk])),
                lambda c=client, url=check, k=consent_key: c.post(url, {"submission_key": k}),
                lambda c=client, d=decision, k=disclosure_key: c.post(
                    reverse("exchange:disclosure_page", args=[d.pk, "check"]), {"submission_key": k}
                ),
            ]
        expected["decisions"] += 2  # the one recorded before, and the draft's
        expected["consents"] += 1
        expected["disclosures"] += 1
    responses = at_once(jobs)
    assert all(r.status_code in (302, 409) for r in responses), [r.status_code for r in responses]
    acknowledged = [r for r in responses if r.status_code == 302]
    assert len(acknowledged) >= CLIENTS * 3
    assert SharingDecision.objects.count() == expected["decisions"]
    assert ConsentRecord.objects.count() == expected["consents"]
    assert Disclosure.objects.count() == expected["disclosures"]
    # Every acknowledged send points at a record that is there.
    models = {"decision_id": SharingDecision, "consent_id": ConsentRecord, "disclosure_id": Disclosure}
    for response in acknowledged:
        match = resolve(urlsplit(response.url).path)
        ((name, record_id),) = ((k, v) for k, v in match.kwargs.items() if k in models)
        assert models[name].objects.filter(pk=record_id).exists(), response.url
    entered_once_and_verified(decision=SharingDecision, consent=ConsentRecord, disclosure=Disclosure)
    assert not Submission.objects.filter(result_url="").exists(), "no send was left half-handled"


def test_two_leads_reviewing_the_same_decision_at_once_are_both_recorded(on_postgresql, agency, practitioner):
    decision = record_decision(user=practitioner, child=ChildFactory(agency=agency))
    leads = [StaffMembershipFactory(agency=agency, role=Role.SAFEGUARDING_LEAD).user for _ in range(2)]
    url = reverse("sharing:review_add", args=[decision.pk])
    clients = [signed_in(lead) for lead in leads]
    responses = at_once(
        [
            lambda: clients[0].post(url, {"outcome": "agree", "submission_key": str(uuid.uuid4())}),
            lambda: clients[1].post(
                url,
                {"outcome": "disagree", "reasons": "r", "actions": "a", "submission_key": str(uuid.uuid4())},
            ),
        ]
    )
    assert [r.status_code for r in responses] == [302, 302]
    assert sorted(DecisionReview.objects.values_list("reviewer_id", flat=True)) == sorted(lead.pk for lead in leads)
    entered_once_and_verified(review=DecisionReview, decision=SharingDecision)
