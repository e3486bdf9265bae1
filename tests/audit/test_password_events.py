"""Passwords leave a trace in the access log (ASVS 16.3.1): a link sent, a link used, a password changed,
with who did it and whose account it was, and never the link itself."""

from django.test import Client
from django.urls import reverse

from audit.models import AccessEvent, Action, Subject
from tests.accounts.test_passwords import FORGOTTEN, NEW_PASSWORD, change, choose_password, invite
from tests.mail_data import link_in
from tests.page_text import reader_text


def events(action: Action) -> list[AccessEvent]:
    return list(AccessEvent.objects.filter(action=action, subject=Subject.ACCOUNT).order_by("id"))


def test_changing_ones_password_is_logged_and_the_lead_sees_it(practitioner_client, practitioner, lead):
    assert change(practitioner_client).status_code == 302
    (changed,) = events(Action.PASSWORD_CHANGED)
    assert (changed.user, changed.object_id) == (practitioner, str(practitioner.pk))
    lead_client = Client()
    lead_client.force_login(lead)
    history = lead_client.get(reverse("oversight:staff_history", args=[practitioner.pk]))
    assert "Changed their password" in reader_text(history.content.decode())


def test_a_forgotten_password_link_is_logged_without_the_link(client, practitioner, mailoutbox):
    client.post(FORGOTTEN, {"email": practitioner.email})
    (message,) = mailoutbox
    (logged,) = events(Action.PASSWORD_LINK_SENT)
    assert logged.user is None, "nobody was signed in: it was asked for on the sign-in page"
    assert (logged.user_email, logged.object_id, logged.detail) == (
        practitioner.email,
        str(practitioner.pk),
        "password_reset",
    )
    assert link_in(message) not in f"{logged.detail} {logged.path}"
    choose_password(client, link_in(message))
    (used,) = events(Action.PASSWORD_LINK_USED)
    assert (used.user, used.object_id, used.detail) == (practitioner, str(practitioner.pk), "password_reset")


def test_an_address_without_an_account_leaves_no_link_sent(db, client, mailoutbox):
    client.post(FORGOTTEN, {"email": "nobody@northgate.example"})
    assert not events(Action.PASSWORD_LINK_SENT)


def test_an_invitation_is_logged_as_sent_by_the_administrator_for_the_new_account(
    admin_client_agency, agency_admin, client, mailoutbox
):
    member = invite(admin_client_agency, "sam.rivers@northgate.example")
    (sent,) = events(Action.PASSWORD_LINK_SENT)
    assert (sent.user, sent.object_id, sent.detail) == (agency_admin, str(member.pk), "invitation")
    choose_password(client, link_in(mailoutbox[0]), NEW_PASSWORD)
    (used,) = events(Action.PASSWORD_LINK_USED)
    assert (used.user, used.detail) == (member, "invitation")
