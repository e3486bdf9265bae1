"""People are told by email of what needs them: the kind of thing waiting and a link, nothing more. Each
message is read as a real mail server received it (aiosmtpd, started by the test)."""

from __future__ import annotations

import socket

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from exchange import services as exchange_services
from notifications import tasks
from notifications.models import Frequency, Kind, Notification
from notifications.services import preference_set
from records.roles import Role
from tests.advice.asked import answer, ask, to_lead
from tests.factories import ChildFactory, RelationshipFactory, StaffMembershipFactory
from tests.mail_data import body_of, link_in, path_of
from tests.notifications.notified_data import leaks, personal_details
from tests.sharing.recorded import complete_draft, record_decision

SERVICE = "Safeguarding information sharing"


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_decision_recorded_tells_the_agencys_leads_by_email_with_a_link_and_no_personal_data(
    practitioner, lead, agency, mail_server, delivered
):
    child = ChildFactory(agency=agency)
    mother = RelationshipFactory(child=child).adult
    decision = delivered(lambda: record_decision(user=practitioner, child=child))

    ((message,),) = [mail_server.to(lead.email)]
    assert message["Subject"] == f"A decision to review: {SERVICE}"
    assert "A decision to review." in body_of(message)
    link = link_in(message)
    assert link.startswith("https://safeguarding.example.org/notifications/")
    # The link, once signed in, leads to the decision, and the notification is read.
    response = _signed_in(lead).get(path_of(link))
    assert response.status_code == 302
    assert response.url == reverse("sharing:decision_detail", args=[decision.pk])
    assert Notification.objects.get(recipient=lead).read_at is not None
    # Nobody else: the practitioner recorded it, and is not told of their own decision.
    assert mail_server.to(practitioner.email) == []
    for _sender, _to, data in mail_server.received:
        assert leaks(data, personal_details(child, mother)) == []
        assert practitioner.full_name not in data.decode()


def test_advice_asked_tells_the_adviser_and_its_answer_tells_the_asker(
    practitioner, lead, agency, mail_server, delivered
):
    child = ChildFactory(agency=agency)
    draft = complete_draft(user=practitioner, child=child)
    advice = delivered(lambda: ask(practitioner, draft, to=to_lead(lead)))

    (asked,) = mail_server.to(lead.email)
    assert asked["Subject"] == f"Advice asked of you: {SERVICE}"
    assert _signed_in(lead).get(path_of(link_in(asked))).url == reverse("advice:detail", args=[advice.pk])

    delivered(lambda: answer(lead, advice))
    (answered,) = mail_server.to(practitioner.email)
    assert answered["Subject"] == f"Your request for advice answered: {SERVICE}"
    assert _signed_in(practitioner).get(path_of(link_in(answered))).url == reverse("advice:detail", args=[advice.pk])
    for _sender, _to, data in mail_server.received:
        assert leaks(data, personal_details(child)) == []
        # Nor the question or the advice typed.
        assert "police call-out" not in data.decode()


def test_a_request_logged_tells_the_leads_but_not_whoever_logged_it(practitioner, lead, agency, mail_server, delivered):
    child = ChildFactory(agency=agency)
    other_lead = StaffMembershipFactory(agency=agency, role=Role.SAFEGUARDING_LEAD).user
    details = exchange_services.RequestDetails(
        received_at=timezone.now(),
        channel="email",
        requester_name="Nadia Hughes",
        requester_role="Health visitor",
        requester_agency="Northgate NHS Foundation Trust",
        requester_agency_kind="health",
        requester_contact="nadia@nhs.example",
        information_needed="Whether the family is known",
        reason="Home visit",
        intended_use="Plan a safe visit",
        risk_level="lower",
    )
    information_request = delivered(
        lambda: exchange_services.request_log(user=lead, child=child, adults=[], details=details)
    )

    assert mail_server.to(lead.email) == []
    (message,) = mail_server.to(other_lead.email)
    assert message["Subject"] == f"A request for information received: {SERVICE}"
    assert _signed_in(other_lead).get(path_of(link_in(message))).url == reverse(
        "exchange:request_detail", args=[information_request.pk]
    )
    assert mail_server.to(practitioner.email) == []
    for _sender, _to, data in mail_server.received:
        assert leaks(data, personal_details(child)) == []
        assert "Nadia Hughes" not in data.decode()


def test_nothing_is_told_when_the_write_rolls_back(
    practitioner, lead, agency, mail_server, django_capture_on_commit_callbacks
):
    child = ChildFactory(agency=agency)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        record_decision(user=practitioner, child=child)
    # The commit never comes: what it would have run is dropped.
    assert len(callbacks) >= 1
    assert Notification.objects.count() == 0
    assert mail_server.received == []


def test_someone_who_chose_a_daily_summary_gets_one_email_saying_how_many_of_each_kind(
    practitioner, lead, agency, mail_server, delivered
):
    preference_set(user=lead, frequency=Frequency.DAILY)
    children = [ChildFactory(agency=agency) for _ in range(2)]
    for child in children:
        delivered(lambda child=child: record_decision(user=practitioner, child=child))
    draft = complete_draft(user=practitioner, child=children[0])
    delivered(lambda: ask(practitioner, draft, to=to_lead(lead)))
    assert mail_server.received == [], "told in the summary, not straight away"
    assert Notification.objects.filter(recipient=lead).count() == 3

    assert tasks.daily_summaries_send.enqueue().return_value == 1

    (summary,) = mail_server.to(lead.email)
    assert summary["Subject"] == f"3 things waiting for you: {SERVICE}"
    body = body_of(summary)
    assert f"- {Kind.DECISION_TO_REVIEW.label}: 2" in body
    assert f"- {Kind.ADVICE_ASKED.label}: 1" in body
    assert path_of(link_in(summary)) == reverse("notifications:list")
    for child in children:
        assert leaks(mail_server.received[0][2], personal_details(child)) == []
    # Told once: the next day's summary has nothing new to say.
    assert tasks.daily_summaries_send.enqueue().return_value == 0
    assert len(mail_server.received) == 1


def test_an_inactive_account_is_not_told(practitioner, lead, agency, mail_server, delivered):
    lead.is_active = False
    lead.save()
    delivered(lambda: record_decision(user=practitioner, child=ChildFactory(agency=agency)))
    assert Notification.objects.count() == 0
    assert mail_server.received == []


def test_a_mail_server_that_refuses_leaves_the_notification_to_be_emailed_again(
    practitioner, lead, agency, settings, delivered
):
    closed = _unused_port()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": closed, "use_tls": False, "timeout": 2},
        }
    }
    # The page that recorded the decision is not failed by it: the decision stands, the notification waits.
    decision = delivered(lambda: record_decision(user=practitioner, child=ChildFactory(agency=agency)))
    notification = Notification.objects.get(recipient=lead)
    assert notification.emailed_at is None
    assert notification.link == reverse("sharing:decision_detail", args=[decision.pk])


def _unused_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
