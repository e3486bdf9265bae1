"""The "Notifications" page, opening one, and how a person is told: each person's own only."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from audit.models import AccessEvent
from notifications.models import Frequency, Kind, Notification, NotificationPreference
from notifications.services import Notice, Recipients, notifications_make
from records.roles import Role
from tests.exchange.recorded import log_request
from tests.factories import ChildFactory, RelationshipFactory, StaffMembershipFactory
from tests.notifications.notified_data import leaks, personal_details
from tests.page_text import page_text
from tests.sharing.recorded import record_decision


def _notify(user, kind=Kind.DECISION_TO_REVIEW, *, about: str, link: str = "/my-decisions/", minutes_ago: int = 0):
    (made,) = notifications_make(notice=Notice(kind=kind, link=link, about=about), to=Recipients(people=(user.pk,)))
    Notification.objects.filter(pk=made.pk).update(created_at=timezone.now() - timedelta(minutes=minutes_ago))
    return made


def test_the_list_shows_the_persons_own_newest_first_with_the_unread_marked(practitioner_client, practitioner, lead):
    older = _notify(practitioner, Kind.ADVICE_ANSWERED, about="advice:1", minutes_ago=60)
    _notify(practitioner, Kind.RECONSIDER_DATE_PASSED, about="decision:1:2026-12-01", minutes_ago=5)
    _notify(lead, Kind.CONSENT_REVIEW_DUE, about="consent:1:2026-12-01")
    practitioner_client.get(reverse("notifications:open", args=[older.pk]))

    text = page_text(practitioner_client.get(reverse("notifications:list")))

    assert "Showing 1 to 2 of 2, newest first." in text
    assert "A date to reconsider telling the person has come" in text
    assert text.index("A date to reconsider telling the person has come") < text.index(
        "Your request for advice answered"
    )
    # Each row: what is waiting, when, and whether it has been read.
    lines = text.split("\n")
    newer = lines.index(Kind.RECONSIDER_DATE_PASSED.label)
    read = lines.index(Kind.ADVICE_ANSWERED.label)
    assert (lines[newer + 2], lines[read + 2]) == ("Unread", "Read")
    assert Kind.CONSENT_REVIEW_DUE.label not in text, "another person's"


def test_the_list_pages_fifty_at_a_time(practitioner_client, practitioner):
    for number in range(51):
        _notify(practitioner, about=f"decision:{number}", minutes_ago=number)
    first = page_text(practitioner_client.get(reverse("notifications:list")))
    assert "Showing 1 to 50 of 51, newest first." in first
    second = page_text(practitioner_client.get(reverse("notifications:list") + "?page=2"))
    assert "Showing 51 to 51 of 51, newest first." in second
    assert "Newer notifications" in second


def test_opening_one_marks_it_read_and_goes_to_the_thing_waiting(practitioner_client, practitioner):
    notification = _notify(practitioner, about="decision:7", link="/my-decisions/")
    response = practitioner_client.get(reverse("notifications:open", args=[notification.pk]))
    assert response.status_code == 302
    assert response.url == "/my-decisions/"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_nobody_opens_another_persons_notification(client, practitioner, lead, other_practitioner):
    notification = _notify(practitioner, about="decision:8")
    for someone in (lead, other_practitioner):
        client.force_login(someone)
        assert client.get(reverse("notifications:open", args=[notification.pk])).status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


def test_all_can_be_marked_read(practitioner_client, practitioner):
    for number in range(3):
        _notify(practitioner, about=f"decision:{number}")
    response = practitioner_client.post(reverse("notifications:all_read"), follow=True)
    assert "3 notifications marked as read." in page_text(response)
    assert not Notification.objects.filter(recipient=practitioner, read_at__isnull=True).exists()


def test_the_start_page_says_how_many_are_unread(practitioner_client, practitioner):
    assert "unread notification" not in page_text(practitioner_client.get(reverse("records:child_search")))
    for number in range(2):
        _notify(practitioner, about=f"decision:{number}")
    assert "You have 2 unread notifications." in page_text(practitioner_client.get(reverse("records:child_search")))


def test_a_person_chooses_a_daily_summary(practitioner_client, practitioner):
    url = reverse("notifications:preferences")
    page = page_text(practitioner_client.get(url))
    assert "How do you want to be told by email?" in page
    assert Frequency.IMMEDIATE.label in page and Frequency.DAILY.label in page

    response = practitioner_client.post(url, {"frequency": "daily"}, follow=True)

    assert "How you are told of notifications has been saved." in page_text(response)
    assert "You are told by email once a day, in one summary" in page_text(response)
    assert NotificationPreference.objects.get(user=practitioner).frequency == Frequency.DAILY


def test_no_choice_is_an_error_by_the_question(practitioner_client, practitioner):
    response = practitioner_client.post(reverse("notifications:preferences"), {})
    assert response.status_code == 200
    text = page_text(response)
    assert "There is a problem" in text
    assert text.count("Select how you want to be told") == 2
    assert not NotificationPreference.objects.filter(user=practitioner).exists()


def test_a_lead_whose_colleague_is_told_sees_nothing_of_it(client, agency, practitioner):
    colleague = StaffMembershipFactory(agency=agency, role=Role.SAFEGUARDING_LEAD).user
    _notify(colleague, about="decision:9")
    client.force_login(practitioner)
    assert "You have no notifications." in page_text(client.get(reverse("notifications:list")))


def test_each_row_names_and_links_the_record_it_is_about_and_the_email_names_nothing(
    client, practitioner, lead, agency, other_agency, other_practitioner, mail_server, delivered
):
    """Issue 17, point 8: rows told apart by more than their time. Inside the service, behind sign-in, each row
    names the record; the email sent with it still names nobody (ADR 24)."""
    child = ChildFactory(agency=agency, given_name="Mia", family_name="Turner")
    mother = RelationshipFactory(child=child, adult__given_name="Kelly", adult__family_name="Turner").adult
    decision = delivered(lambda: record_decision(user=practitioner, child=child))
    information_request = log_request(practitioner, child, days_ago=1)
    _notify(lead, Kind.REQUEST_RECEIVED, about=f"request:{information_request.pk}", minutes_ago=5)
    # Another agency's decision, whatever a notification says, is not named to this agency's lead.
    # A name no factory gives anyone else in the test (the lead's own name is on every page).
    elsewhere_child = ChildFactory(agency=other_agency, given_name="Zebedee", family_name="Quillfeather")
    elsewhere = record_decision(user=other_practitioner, child=elsewhere_child)
    _notify(lead, Kind.RECONSIDER_DATE_PASSED, about=f"decision:{elsewhere.pk}:2026-12-01", minutes_ago=10)

    client.force_login(lead)
    response = client.get(reverse("notifications:list"))
    lines = page_text(response).split("\n")

    assert "A decision to review: decision about Mia Turner" in lines
    assert f"A request for information received: request {information_request.reference} about Mia Turner" in lines
    assert Kind.RECONSIDER_DATE_PASSED.label in lines, "another agency's record, not named"
    assert "Zebedee" not in page_text(response) and "Quillfeather" not in page_text(response)
    (decision_row,) = [
        row for row in response.context["page"].rows if row.about == f"decision:{decision.pk}"
    ]  # the link opens the notification, which goes on to the decision
    assert f'href="{reverse("notifications:open", args=[decision_row.pk])}"' in response.content.decode()
    # A look at case records, logged as one.
    assert AccessEvent.objects.filter(user=lead, path=reverse("notifications:list"), action="view").count() == 1
    # The email of the same notification names nobody.
    ((message,),) = [mail_server.to(lead.email)]
    assert leaks(message.as_bytes(), personal_details(child, mother)) == []
