"""Sending a disclosure through the service, opening, acknowledging and asking about it: each a record
written once and entered in the log, on both sides (ADR 27)."""

from datetime import timedelta

import pytest
from django.http import Http404
from django.utils import timezone

from delivery import selectors, services
from delivery.models import Acknowledgement, Delivery, Opened, Side, ThreadMessage
from exchange.models import Disclosure, DisclosureDraft
from ledger.models import Entry, ImmutableRecordError
from notifications import overdue
from notifications.models import Kind, Notification
from oversight.selectors import dashboard
from records.roles import Role
from tests.delivery.sent import ITEMS, NOT_TOLD_BECAUSE, send
from tests.factories import StaffMembershipFactory
from tests.ledger_data import seal, verify_log


def test_sending_records_the_disclosure_as_ever_and_what_was_sent_in_the_log(
    settings, practitioner, decision, other_agency, other_lead, child
):
    settings.DELIVERY_ACKNOWLEDGE_WITHIN_HOURS = 12
    delivery = send(practitioner, decision, to_agency=other_agency)
    disclosure = Disclosure.objects.get(pk=delivery.disclosure_id)
    assert (disclosure.method, disclosure.items, disclosure.recipient_agency) == (
        "through_the_service",
        ITEMS,
        other_agency.name,
    )
    delivery = Delivery.objects.get(pk=delivery.pk)
    assert (delivery.from_agency, delivery.to_agency, delivery.to_person) == (decision.agency, other_agency, None)
    assert delivery.addressed_to == f"The safeguarding leads of {other_agency.name}"
    assert (delivery.sender_name, delivery.sender_agency) == (practitioner.full_name, decision.agency.name)
    assert (delivery.child_name, delivery.items) == (child.full_name, ITEMS)
    assert (delivery.onward_sharing, delivery.informed, delivery.not_informed_reason) == ("no", False, NOT_TOLD_BECAUSE)
    assert delivery.reconsider_on == disclosure.reconsider_on
    assert delivery.acknowledge_by == delivery.sent_at + timedelta(hours=12)
    assert Entry.objects.filter(kind="disclosure", record_id=str(disclosure.pk)).exists()
    assert Entry.objects.filter(kind="delivery", record_id=str(delivery.pk)).exists()
    seal()
    report = verify_log()
    assert report.intact, report.first_problem


def test_the_recipients_are_told_it_was_received(
    django_capture_on_commit_callbacks, practitioner, decision, other_agency, other_lead
):
    with django_capture_on_commit_callbacks(execute=True):
        delivery = send(practitioner, decision, to_agency=other_agency)
    (told,) = Notification.objects.filter(kind=Kind.DISCLOSURE_RECEIVED)
    assert told.recipient == other_lead
    assert told.link == f"/received/{delivery.pk}/"


def test_it_goes_only_to_another_active_agency_and_a_person_of_it(
    practitioner, decision, agency, other_agency, outsider
):
    with pytest.raises(services.NotSent):
        send(practitioner, decision, to_agency=agency)
    other_agency.is_active = False
    other_agency.save()
    with pytest.raises(services.NotSent):
        send(practitioner, decision, to_agency=other_agency)
    other_agency.is_active = True
    other_agency.save()
    # A person of a third agency is not one of the agency chosen.
    with pytest.raises(services.NotSent):
        send(practitioner, decision, to_agency=other_agency, to_person=outsider)
    assert not Disclosure.objects.exists(), "nothing is recorded when it cannot be sent"


def test_the_draft_goes_with_the_sending(practitioner, decision, other_agency):
    draft = DisclosureDraft.objects.create(decision=decision, author=practitioner)
    send(practitioner, decision, to_agency=other_agency)
    assert DisclosureDraft.objects.filter(pk=draft.pk).exists(), "a draft not named is left"


def test_opening_is_logged_the_first_time_for_each_person(practitioner, decision, other_agency, other_lead):
    named = StaffMembershipFactory(agency=other_agency, role=Role.PRACTITIONER).user
    delivery = send(practitioner, decision, to_agency=other_agency, to_person=named)
    first = services.delivery_open(
        user=named, delivery=selectors.received_get_for_user(user=named, delivery_id=delivery.pk)
    )
    again = services.delivery_open(
        user=named, delivery=selectors.received_get_for_user(user=named, delivery_id=delivery.pk)
    )
    services.delivery_open(
        user=other_lead, delivery=selectors.received_get_for_user(user=other_lead, delivery_id=delivery.pk)
    )
    assert first is not None and again is None
    assert [opened.opened_by for opened in Opened.objects.order_by("opened_at")] == [named, other_lead]
    assert Entry.objects.filter(kind="delivery opened").count() == 2
    with pytest.raises(ImmutableRecordError):
        first.save()


def test_acknowledging_once_with_who_and_when(practitioner, decision, other_agency, other_lead):
    delivery = send(practitioner, decision, to_agency=other_agency)
    acknowledged = services.delivery_acknowledge(user=other_lead, delivery=delivery)
    second = services.delivery_acknowledge(user=other_lead, delivery=delivery)
    assert second == acknowledged
    assert Acknowledgement.objects.get().acknowledger_name == other_lead.full_name
    assert Entry.objects.filter(kind="delivery acknowledged", record_id=str(acknowledged.pk)).exists()


def test_the_recipient_asks_and_the_sender_answers_on_one_thread(
    practitioner, lead, decision, other_agency, other_lead
):
    delivery = send(practitioner, decision, to_agency=other_agency)
    with pytest.raises(services.NotSent):
        services.thread_write(user=practitioner, delivery=delivery, text="Before anything was asked")
    services.thread_write(user=other_lead, delivery=delivery, text="Is the father still at the address?")
    services.thread_write(user=lead, delivery=delivery, text="He moved out in April.")
    thread = list(ThreadMessage.objects.order_by("written_at"))
    assert [(message.side, message.writer_agency) for message in thread] == [
        (Side.RECIPIENT, other_agency.name),
        (Side.SENDER, decision.agency.name),
    ]
    assert Entry.objects.filter(kind="delivery message").count() == 2
    seal()
    assert verify_log().intact


def test_each_side_is_told_of_the_others_question_or_answer(
    practitioner, lead, decision, other_agency, other_lead, django_capture_on_commit_callbacks
):
    delivery = send(practitioner, decision, to_agency=other_agency)
    with django_capture_on_commit_callbacks(execute=True):
        asked = services.thread_write(user=other_lead, delivery=delivery, text="Is the father still at the address?")
    told = Notification.objects.filter(kind=Kind.DISCLOSURE_MESSAGE, about=f"message:{asked.pk}")
    # The sender and the sending agency's leads, to the sender's page of it; not the one who asked.
    assert sorted(notification.recipient_id for notification in told) == sorted([practitioner.pk, lead.pk])
    assert {notification.link for notification in told} == {services.sent_page(delivery)}
    with django_capture_on_commit_callbacks(execute=True):
        answered = services.thread_write(user=lead, delivery=delivery, text="He moved out in April.")
    told = Notification.objects.filter(kind=Kind.DISCLOSURE_MESSAGE, about=f"message:{answered.pk}")
    assert [(notification.recipient, notification.link) for notification in told] == [
        (other_lead, services.received_page(delivery))
    ]


def test_nobody_else_reads_writes_or_acknowledges(
    practitioner, decision, agency, other_agency, other_lead, other_practitioner, outsider
):
    colleague = StaffMembershipFactory(agency=agency, role=Role.PRACTITIONER).user
    delivery = send(practitioner, decision, to_agency=other_agency)
    # Not named, a practitioner of the receiving agency; a third agency's lead; the sender, on the receiving side.
    for someone in (other_practitioner, outsider, practitioner):
        with pytest.raises(Http404):
            selectors.received_get_for_user(user=someone, delivery_id=delivery.pk)
        with pytest.raises(services.NotYours):
            services.delivery_acknowledge(user=someone, delivery=delivery)
    # The sending side: the sender and their leads, not a colleague, nor the recipient.
    for someone in (colleague, other_lead, outsider):
        with pytest.raises(Http404):
            selectors.sent_get_for_user(user=someone, disclosure_id=delivery.disclosure_id)
    with pytest.raises(services.NotYours):
        services.thread_write(user=outsider, delivery=delivery, text="A question")


def test_not_acknowledged_in_time_the_sending_leads_are_told_once_and_see_it(
    settings, practitioner, lead, decision, other_agency, other_lead
):
    settings.DELIVERY_ACKNOWLEDGE_WITHIN_HOURS = 0
    late = send(practitioner, decision, to_agency=other_agency)
    settings.DELIVERY_ACKNOWLEDGE_WITHIN_HOURS = 48
    send(practitioner, decision, to_agency=other_agency)
    assert [row.pk for row in dashboard(user=lead).not_acknowledged.rows] == [late.disclosure_id]
    assert overdue.run(names=["disclosures not acknowledged"]) == {"disclosures not acknowledged": 1}
    assert overdue.run(names=["disclosures not acknowledged"]) == {"disclosures not acknowledged": 0}
    assert not dashboard(user=other_lead).not_acknowledged.rows, "only the sending agency's"
    (told,) = Notification.objects.filter(kind=Kind.DISCLOSURE_NOT_ACKNOWLEDGED)
    assert (told.recipient, told.link) == (lead, f"/disclosures/{late.disclosure_id}/through-the-service/")
    services.delivery_acknowledge(user=other_lead, delivery=late)
    assert not dashboard(user=lead).not_acknowledged.rows
    assert timezone.now() > late.acknowledge_by
