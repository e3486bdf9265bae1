"""The overdue checks tell the people who must act once, however often they run: a date to reconsider
telling the person come, a consent due for review, a subject access deadline near."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from notifications import overdue, tasks
from notifications.models import Kind, Notification
from records.roles import Role
from tests.consent.consent_data import record_consent, withdraw_consent
from tests.exchange.recorded import disclose
from tests.factories import ChildFactory, StaffMembershipFactory
from tests.mail_data import body_of, link_in, path_of
from tests.notifications.notified_data import leaks, personal_details
from tests.oversight.test_dashboard import not_telling
from tests.sharing.recorded import record_decision
from tests.subject_access.sar_data import request_about

CHECKS = [
    "consent reviews due",
    "disclosures not acknowledged",
    "reconsider dates come",
    "subject access deadlines near",
]


def _not_told_until(day):
    """A decision to share without telling the person, to be reconsidered on ``day`` (3.5.19)."""
    return not_telling(days=(day - timezone.localdate()).days)


def _notified(kind) -> list[tuple[int, str]]:
    return sorted(Notification.objects.filter(kind=kind).values_list("recipient_id", "link"))


def test_the_checks_are_declared_by_the_apps_that_hold_the_records():
    assert list(overdue.checks()) == CHECKS


def test_a_reconsider_date_come_tells_whoever_recorded_the_decision_once(
    practitioner, lead, agency, mail_server, delivered
):
    day = timezone.localdate() + timedelta(days=10)
    decision = record_decision(user=practitioner, child=ChildFactory(agency=agency), **_not_told_until(day))
    # Nothing before the day; on the day, the practitioner; the day after, nothing new.
    assert overdue.run(today=day - timedelta(days=1))["reconsider dates come"] == 0
    assert delivered(lambda: overdue.run(today=day))["reconsider dates come"] == 1
    assert overdue.run(today=day + timedelta(days=1))["reconsider dates come"] == 0
    assert _notified(Kind.RECONSIDER_DATE_PASSED) == [
        (practitioner.pk, reverse("sharing:decision_detail", args=[decision.pk]))
    ]
    (message,) = mail_server.to(practitioner.email)
    assert "A date to reconsider telling the person has come." in body_of(message)
    assert path_of(link_in(message)).startswith("/notifications/")


def test_a_disclosure_not_told_is_followed_to_its_reconsider_date(practitioner, agency):
    decision = record_decision(user=practitioner, child=ChildFactory(agency=agency))
    disclosure = disclose(practitioner, decision, informed=False)  # to reconsider today
    today = timezone.localdate()
    assert overdue.run(names=["reconsider dates come"], today=today) == {"reconsider dates come": 1}
    assert overdue.run(names=["reconsider dates come"], today=today) == {"reconsider dates come": 0}
    assert _notified(Kind.RECONSIDER_DATE_PASSED) == [
        (practitioner.pk, reverse("exchange:disclosure_detail", args=[disclosure.pk]))
    ]


def test_once_the_person_who_recorded_it_has_gone_the_leads_are_told(practitioner, lead, agency):
    day = timezone.localdate() + timedelta(days=3)
    record_decision(user=practitioner, child=ChildFactory(agency=agency), **_not_told_until(day))
    practitioner.is_active = False
    practitioner.save()
    overdue.run(today=day)
    assert [recipient for recipient, _link in _notified(Kind.RECONSIDER_DATE_PASSED)] == [lead.pk]


def test_a_consent_due_for_review_tells_the_agencys_leads_once(practitioner, lead, agency, other_practitioner):
    other_lead = StaffMembershipFactory(agency=other_practitioner.agency, role=Role.SAFEGUARDING_LEAD).user
    day = timezone.localdate() + timedelta(days=20)
    child = ChildFactory(agency=agency)
    due = record_consent(user=practitioner, child=child, review_on=day)
    withdrawn = record_consent(user=practitioner, child=ChildFactory(agency=agency), review_on=day)
    withdraw_consent(user=practitioner, record=withdrawn)

    assert overdue.run(names=["consent reviews due"], today=day) == {"consent reviews due": 1}
    assert overdue.run(names=["consent reviews due"], today=day) == {"consent reviews due": 0}
    # The agency's lead only: not another agency's, and not for a consent withdrawn.
    assert _notified(Kind.CONSENT_REVIEW_DUE) == [(lead.pk, reverse("consent:detail", args=[due.pk]))]
    assert not Notification.objects.filter(recipient=other_lead).exists()


def test_a_subject_access_deadline_near_tells_the_leads_once_for_each_deadline(
    lead, agency, settings, mail_server, delivered
):
    settings.SUBJECT_ACCESS_WARN_DAYS = 7
    child = ChildFactory(agency=agency)
    request = request_about(lead=lead, child=child)
    other_lead = StaffMembershipFactory(agency=agency, role=Role.SAFEGUARDING_LEAD).user
    week_before = request.due_on - timedelta(days=7)
    assert overdue.run(names=["subject access deadlines near"], today=week_before - timedelta(days=1)) == {
        "subject access deadlines near": 0
    }
    assert delivered(lambda: overdue.run(names=["subject access deadlines near"], today=week_before)) == {
        "subject access deadlines near": 2
    }
    assert overdue.run(names=["subject access deadlines near"], today=request.due_on) == {
        "subject access deadlines near": 0
    }
    link = reverse("subject_access:detail", args=[request.pk])
    assert _notified(Kind.SUBJECT_ACCESS_DEADLINE_NEAR) == sorted([(lead.pk, link), (other_lead.pk, link)])
    assert len(mail_server.received) == 2
    for _sender, _to, data in mail_server.received:
        assert leaks(data, personal_details(child)) == []
        assert "Dan Hughes" not in data.decode()


def test_the_task_and_the_command_run_the_checks(practitioner, lead, agency):
    record_consent(user=practitioner, child=ChildFactory(agency=agency), review_on=timezone.localdate())
    result = tasks.overdue_notify.enqueue()
    assert result.return_value == {name: int(name == "consent reviews due") for name in CHECKS}
    out = StringIO()
    call_command("notify", "overdue", stdout=out)
    assert "consent reviews due: 0 notifications made." in out.getvalue()
    out = StringIO()
    call_command("notify", "overdue", "--list", stdout=out)
    assert out.getvalue().split("\n")[: len(CHECKS)] == CHECKS
    with pytest.raises(CommandError, match="No such check: parking"):
        call_command("notify", "overdue", "--check", "parking")
    out = StringIO()
    call_command("notify", "daily-summaries", stdout=out)
    assert out.getvalue() == "Daily summaries sent: 0.\n"
