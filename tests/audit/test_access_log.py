"""Every look at a case record, every search and export, sign-ins and refusals
go into an append-only access log, every event entered in the ledger's log."""

import io
import re

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from audit.models import AccessEvent, Action, Subject
from consent.models import ConsentRecord
from ledger import immutability, keys, note
from ledger.models import Checkpoint, Entry, ImmutableRecordError, Leaf
from tests.consent.consent_data import record_consent
from tests.consent.test_signed_forms import PDF, upload
from tests.exchange.recorded import disclose, log_request
from tests.factories import ChildFactory, RelationshipFactory
from tests.ledger_data import seal, verify_log
from tests.sharing.recorded import record_decision


@pytest.fixture
def child(agency):
    return ChildFactory(agency=agency, given_name="Mia", family_name="Turner")


def newest():
    return AccessEvent.objects.order_by("-id").first()


def test_viewing_a_child_is_logged_with_who_role_agency_and_address(practitioner_client, practitioner, child):
    practitioner_client.get(reverse("oversight:child_detail", args=[child.pk]), REMOTE_ADDR="10.1.2.3")
    event = newest()
    assert (event.action, event.subject, event.object_id) == (Action.VIEW, Subject.CHILD, str(child.pk))
    assert event.user == practitioner and event.user_name == practitioner.full_name
    assert event.role == "Practitioner" and event.agency_name == "Northgate Children's Services"
    assert event.child == child and event.ip_address == "10.1.2.3"


def test_a_forwarding_header_does_not_change_the_logged_address(practitioner_client, child):
    practitioner_client.get(
        reverse("oversight:child_detail", args=[child.pk]), REMOTE_ADDR="10.1.2.3", HTTP_X_FORWARDED_FOR="1.1.1.1"
    )
    assert newest().ip_address == "10.1.2.3"


@pytest.fixture
def every_kind(practitioner, child):
    mother = RelationshipFactory(child=child)
    consent = record_consent(user=practitioner, child=child, responder=mother.adult)
    decision = record_decision(user=practitioner, child=child)
    return {
        "link": mother,
        "consent": consent,
        "decision": decision,
        "request": log_request(practitioner, child, days_ago=1),
        "disclosure": disclose(practitioner, decision),
    }


def test_each_kind_of_record_viewed_is_logged_against_the_child(practitioner_client, child, every_kind):
    pages = [
        (reverse("oversight:child_detail", args=[child.pk]), Subject.CHILD, child.pk),
        (reverse("records:child_change", args=[child.pk]), Subject.CHILD, child.pk),
        (
            reverse("records:adult_change", args=[child.pk, every_kind["link"].pk]),
            Subject.ADULT,
            every_kind["link"].adult.pk,
        ),
        (reverse("sharing:decision_detail", args=[every_kind["decision"].pk]), Subject.DECISION, None),
        (reverse("consent:detail", args=[every_kind["consent"].pk]), Subject.CONSENT, None),
        (reverse("exchange:request_detail", args=[every_kind["request"].pk]), Subject.REQUEST, None),
        (reverse("exchange:disclosure_detail", args=[every_kind["disclosure"].pk]), Subject.DISCLOSURE, None),
        (reverse("oversight:chronology", args=[child.pk]), Subject.CHRONOLOGY, child.pk),
    ]
    for url, subject, object_id in pages:
        before = AccessEvent.objects.count()
        assert practitioner_client.get(url).status_code == 200, url
        assert AccessEvent.objects.count() == before + 1, url
        event = newest()
        assert (event.action, event.subject, event.child_id) == (Action.VIEW, subject, child.pk), url
        assert event.path == url
        if object_id:
            assert event.object_id == str(object_id)


def test_a_search_is_logged_without_what_was_typed(practitioner_client, child):
    practitioner_client.post(reverse("records:child_search"), {"text": "Turner"}, follow=True)
    event = newest()
    assert (event.action, event.subject) == (Action.SEARCH, Subject.CHILDREN)
    assert event.detail == "by name or reference: 1 found"
    document = event.ledger_document()
    del document["user_name"]  # the practitioner's own name may be anything, Turner included
    assert "Turner" not in str(document)


def test_listing_requests_is_logged_as_a_search(practitioner_client, child, practitioner):
    log_request(practitioner, child, days_ago=1)
    practitioner_client.get(reverse("exchange:request_list"), {"status": "open"})
    event = newest()
    assert (event.action, event.subject, event.detail) == (Action.SEARCH, Subject.REQUESTS, "status open: 1 listed")


def test_downloading_a_signed_form_is_logged_as_an_export(practitioner_client, practitioner, child, private_media):
    assert upload(practitioner_client, child, "form.pdf", PDF).status_code == 302
    record = ConsentRecord.objects.get()
    practitioner_client.get(reverse("consent:signed_form", args=[record.pk]))
    event = newest()
    assert (event.action, event.subject, event.child_id) == (Action.EXPORT, Subject.SIGNED_FORM, child.pk)


def test_sign_ins_failures_and_sign_outs_are_logged(client, practitioner):
    client.post(reverse("login"), {"username": practitioner.email, "password": "wrong"}, REMOTE_ADDR="10.9.9.9")
    failed = newest()
    assert (failed.action, failed.user, failed.user_email) == (Action.SIGN_IN_FAILED, None, practitioner.email)
    assert failed.ip_address == "10.9.9.9"
    practitioner.set_password("a-long-enough-password")
    practitioner.save()
    client.post(reverse("login"), {"username": practitioner.email, "password": "a-long-enough-password"})
    # The password step; the second factor is its own event (test_second_factor_events.py).
    assert (newest().action, newest().user) == (Action.PASSWORD_ACCEPTED, practitioner)
    client.post(reverse("logout"))
    assert (newest().action, newest().user) == (Action.SIGN_OUT, practitioner)


def test_another_agencys_child_is_refused_and_the_refusal_logged(client, other_practitioner, child):
    client.force_login(other_practitioner)
    url = reverse("oversight:child_detail", args=[child.pk])
    assert client.get(url).status_code == 404
    event = newest()
    assert (event.action, event.user, event.path) == (Action.REFUSED, other_practitioner, url)
    # Logged against the child, so that the child's agency sees the attempt in the child's audit history
    # (tests/audit/test_refused_access.py); the page refused says nothing of whose record it was.
    assert (event.subject, event.child) == (Subject.CHILD, child)
    assert not AccessEvent.objects.filter(action=Action.VIEW, child=child).exists()


def test_a_page_the_role_may_not_use_is_refused_and_logged(practitioner_client, practitioner):
    assert practitioner_client.get(reverse("oversight:dashboard")).status_code == 403
    assert (newest().action, newest().detail) == (Action.REFUSED, "not permitted for the role")


def test_every_access_event_is_entered_in_the_log_and_verifies(practitioner_client, practitioner, child):
    record_decision(user=practitioner, child=child)
    for _ in range(3):
        practitioner_client.get(reverse("oversight:child_detail", args=[child.pk]))
    events = AccessEvent.objects.count()
    assert events >= 3
    access = Entry.objects.filter(kind="access")
    assert sorted(access.values_list("record_id", flat=True)) == sorted(
        str(pk) for pk in AccessEvent.objects.values_list("pk", flat=True)
    )
    assert Entry.objects.filter(kind="decision").count() == 1, "the decision is entered once, as a decision"
    seal()
    assert Leaf.objects.filter(entry__kind="access").count() == events
    report = verify_log()
    assert report.intact, report.first_problem
    assert report.entries == report.size == Entry.objects.count() and report.pending == 0
    assert report.records >= events + 1, "every access event and the decision checked against its entry"


def test_access_events_cannot_be_changed_or_deleted(practitioner_client, child):
    practitioner_client.get(reverse("oversight:child_detail", args=[child.pk]))
    event = newest()
    event.detail = "edited"
    with pytest.raises(ImmutableRecordError):
        event.save()
    with pytest.raises(ImmutableRecordError):
        AccessEvent.objects.all().delete()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_accessevent SET detail = 'edited'")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_accessevent")


def test_verify_records_notices_an_edited_access_event(practitioner_client, child):
    practitioner_client.get(reverse("oversight:child_detail", args=[child.pk]))
    practitioner_client.get(reverse("oversight:child_detail", args=[child.pk]))
    seal()
    call_command("verify_records", stdout=io.StringIO())
    edited = AccessEvent.objects.order_by("id").first()
    position = Leaf.objects.get(entry__kind="access", entry__record_id=str(edited.pk)).position
    immutability.remove(connection, ("audit_accessevent",))
    with connection.cursor() as cursor:
        cursor.execute("UPDATE audit_accessevent SET user_name = 'Someone else' WHERE id = %s", [edited.pk])
    immutability.install(connection, ("audit_accessevent",))
    named = rf"log entry {position} \(access {edited.pk}\): the record's content no longer matches its entry"
    with pytest.raises(CommandError, match=named):
        call_command("verify_records", stdout=io.StringIO())


def test_the_checkpoint_covers_the_access_log(practitioner_client, child, tmp_path):
    practitioner_client.get(reverse("oversight:child_detail", args=[child.pk]))
    logged = AccessEvent.objects.count()
    assert logged == 2, "signing in and the page"
    seal()
    out = io.StringIO()
    call_command("verify_records", "--checkpoint", stdout=out, stderr=io.StringIO())
    saved = out.getvalue()
    assert saved == Checkpoint.objects.order_by("-size").first().note
    signed = note.open_checkpoint(saved, keys.verifier_key())
    assert signed.size == Entry.objects.count()
    positions = Leaf.objects.filter(entry__kind="access").values_list("position", flat=True)
    assert len(positions) == logged and max(positions) < signed.size, "both events are under the signed root"
    checkpoint = tmp_path / "checkpoint.txt"
    checkpoint.write_text(saved)
    practitioner_client.get(reverse("oversight:child_detail", args=[child.pk]))
    out = io.StringIO()
    call_command("verify_records", "--against", str(checkpoint), stdout=out)
    assert re.search(rf"Log intact: .*\(the newest witnessed covers {signed.size} entries\)", out.getvalue())
