"""Nobody ever knows another person's password (ASVS 6.2.2, 6.2.3, 6.4.1, 6.4.3,
6.4.6): people change their own, reset a forgotten one by email, and choose
their first through an invitation; an administrator can only send a link.

The browser journeys are in tests/browser/test_passwords.py.
"""

import re
from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import SESSION_KEY
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import services, signals
from accounts.emails import LinkKind
from accounts.models import PasswordResetAsk
from audit.models import AccessEvent, Action
from records.models import User
from records.roles import Role
from tests.accounts.conftest import sign_in, sign_in_with_password
from tests.factories import PASSWORD, ChildFactory, StaffMembershipFactory
from tests.mail_data import body_of, link_in, path_of
from tests.page_text import reader_text

CHANGE = reverse("password_change")
FORGOTTEN = reverse("password_reset")
SENT = reverse("password_reset_done")
SEARCH = reverse("records:child_search")
NEW_PASSWORD = "lantern orchard pebble 42"
DOES_NOT_WORK = "This link does not work"


def text(response) -> str:
    return reader_text(response.content.decode())


def signed_in_as(client) -> int | None:
    value = client.session.get(SESSION_KEY)
    return int(value) if value is not None else None


def can_sign_in(email: str, password: str) -> bool:
    return sign_in_with_password(Client(), email, password=password).status_code == 302


@pytest.fixture
def sent(request):
    """Every account signal sent during the test: (signal name, kwargs)."""
    received = []
    receivers = []
    for name in ("password_link_sent", "password_link_used", "password_changed"):

        def receiver(sender, name=name, **kwargs):
            received.append((name, kwargs))

        getattr(signals, name).connect(receiver, weak=False)
        receivers.append((name, receiver))
    yield received
    for name, receiver in receivers:
        getattr(signals, name).disconnect(receiver)


def choose_password(client, link: str, password: str = NEW_PASSWORD, again: str | None = None):
    """Open a link from an email and choose a password on the page it leads to."""
    opened = client.get(path_of(link))
    assert opened.status_code == 302, text(opened)
    return client.post(opened.url, {"new_password1": password, "new_password2": again or password})


# Changing one's own password (6.2.2, 6.2.3).


def change(client, *, current: str = PASSWORD, new: str = NEW_PASSWORD, again: str | None = None):
    return client.post(CHANGE, {"old_password": current, "new_password1": new, "new_password2": again or new})


def test_changing_your_password_asks_for_the_current_one(client, practitioner):
    sign_in(client, practitioner.email)
    response = change(client, current="not-my-password")
    assert response.status_code == 200
    assert "Your current password is not right" in text(response)
    assert can_sign_in(practitioner.email, PASSWORD)
    assert not can_sign_in(practitioner.email, NEW_PASSWORD)


def test_a_wrong_current_password_is_a_failed_sign_in(client, practitioner, settings):
    """Guessing here counts towards the same lockout as the sign-in page, and is logged like it."""
    settings.AXES_FAILURE_LIMIT = 3
    sign_in(client, practitioner.email)
    for _ in range(2):
        assert change(client, current="guess").status_code == 200
    assert AccessEvent.objects.filter(action=Action.SIGN_IN_FAILED, user_email=practitioner.email).count() == 2
    assert change(client, current="guess").status_code == 429
    # The right password is refused while the lockout lasts.
    assert change(client).status_code == 429
    assert not can_sign_in(practitioner.email, NEW_PASSWORD)


@pytest.mark.parametrize(
    ("new", "again", "message"),
    [
        ("short-one", None, "This password is too short. It must contain at least 12 characters."),
        ("password1234", None, "This password is too common."),
        ("739104628351", None, "This password is entirely numeric."),
        (NEW_PASSWORD, "lantern orchard pebble 43", "The passwords do not match"),
        ("", None, "Enter a new password"),
    ],
)
def test_a_new_password_is_checked(client, practitioner, new, again, message):
    sign_in(client, practitioner.email)
    response = change(client, new=new, again=again)
    assert response.status_code == 200
    assert message in text(response)
    assert "There is a problem" in text(response)
    assert can_sign_in(practitioner.email, PASSWORD)


def test_a_long_password_of_any_characters_is_accepted(client, practitioner):
    """No limit that matters, and no rules about kinds of character (ASVS 6.2.5, 6.2.9)."""
    long_one = "ämbar-ληστής 🦉 " * 8  # 128 characters
    sign_in(client, practitioner.email)
    assert change(client, new=long_one).status_code == 302
    assert can_sign_in(practitioner.email, long_one)


def test_password_inputs_are_masked_and_ready_for_a_password_manager(client, practitioner):
    sign_in(client, practitioner.email)
    page = client.get(CHANGE).content.decode()
    for name, autocomplete in [
        ("old_password", "current-password"),
        ("new_password1", "new-password"),
        ("new_password2", "new-password"),
    ]:
        (tag,) = re.findall(rf'<input[^>]*name="{name}"[^>]*>', page)
        assert 'type="password"' in tag and f'autocomplete="{autocomplete}"' in tag, tag
    assert "onpaste" not in page


def test_a_password_like_the_email_address_is_refused(client, agency):
    member = StaffMembershipFactory(agency=agency, user__email="harriet.okonjo@northgate.example").user
    sign_in(client, member.email)
    response = change(client, new="harriet.okonjo@northgate")
    assert "The password is too similar to the email address." in text(response)


def test_changing_your_password_keeps_this_session_and_ends_the_others(client, practitioner, sent):
    elsewhere = Client()
    sign_in(elsewhere, practitioner.email)
    sign_in(client, practitioner.email)
    response = change(client)
    assert response.status_code == 302
    assert "Your password has been changed" in text(client.get(response.url, follow=True))
    assert client.get(SEARCH).status_code == 200
    assert elsewhere.get(SEARCH).status_code == 302
    assert can_sign_in(practitioner.email, NEW_PASSWORD)
    assert not can_sign_in(practitioner.email, PASSWORD)
    assert [name for name, _ in sent] == ["password_changed"]


def test_the_change_is_not_kept_in_the_change_history(client, practitioner):
    """The password is not part of a member of staff's history: changing it adds no row."""
    sign_in(client, practitioner.email)
    rows = practitioner.history.count()
    change(client)
    assert practitioner.history.count() == rows


def test_a_password_alone_does_not_reach_the_change_page(client, lead):
    """Someone who owes a second factor changes nothing first (6.4.3)."""
    TOTPDevice.objects.create(user=lead, name="Authenticator app", confirmed=True)
    sign_in_with_password(client, lead.email)
    response = change(client)
    assert response.status_code == 302 and response.url == reverse("two_factor:verify")
    assert can_sign_in(lead.email, PASSWORD)


def test_every_signed_in_page_offers_to_change_your_password(practitioner_client):
    page = practitioner_client.get(SEARCH).content.decode()
    assert f'href="{CHANGE}"' in page


# "Forgotten your password?" (6.4.3), which tells nobody whether an address has an account.


def test_the_sign_in_page_offers_a_reset(client):
    assert f'href="{FORGOTTEN}"' in client.get(reverse("login")).content.decode()


def test_a_known_address_is_sent_a_link_that_says_no_more_than_it_must(client, practitioner, mailoutbox, sent):
    response = client.post(FORGOTTEN, {"email": practitioner.email.upper()})
    assert response.status_code == 302 and response.url == SENT
    (message,) = mailoutbox
    assert message.to == [practitioner.email]
    assert message.subject == "Reset your password for Safeguarding information sharing"
    assert message.from_email == django_settings.DEFAULT_FROM_EMAIL
    body = body_of(message)
    assert "stops working after 1 hour" in body
    assert practitioner.full_name not in body
    assert practitioner.agency.name not in body
    assert link_in(message).startswith("http://testserver/accounts/password/reset/")
    assert [(name, kwargs["kind"], kwargs["user"]) for name, kwargs in sent] == [
        ("password_link_sent", LinkKind.PASSWORD_RESET, practitioner)
    ]


def test_links_are_built_on_the_services_own_address_when_it_is_set(client, practitioner, mailoutbox, settings):
    settings.SERVICE_URL = "https://safeguarding.council.example"
    client.post(FORGOTTEN, {"email": practitioner.email}, HTTP_HOST="localhost")
    (message,) = mailoutbox
    assert link_in(message).startswith("https://safeguarding.council.example/accounts/password/reset/")


@pytest.mark.parametrize("address", ["nobody@northgate.example", "deactivated"])
def test_an_address_without_an_account_gets_the_same_answer_and_no_email(
    client, practitioner, agency, mailoutbox, address
):
    if address == "deactivated":
        address = StaffMembershipFactory(agency=agency, user__is_active=False).user.email
    known = Client().post(FORGOTTEN, {"email": practitioner.email}, follow=True)
    unknown = client.post(FORGOTTEN, {"email": address}, follow=True)
    assert unknown.redirect_chain == known.redirect_chain == [(SENT, 302)]
    assert text(unknown) == text(known)
    assert "Check your email" in text(unknown)
    assert [message.to for message in mailoutbox] == [[practitioner.email]]


def test_the_same_work_is_done_whether_or_not_the_address_has_an_account(practitioner, mailoutbox, frozen):
    """The same queries answer both, and the message is sent after the response (core/after_response.py), when
    the link sent is also written to the access log."""

    def queries(address: str) -> list[str]:
        with CaptureQueriesContext(connection) as captured:
            Client().post(FORGOTTEN, {"email": address})
        digest = services.address_digest(address)
        return [query["sql"].replace(address, "?").replace(digest, "#") for query in captured.captured_queries]

    known, unknown = queries(practitioner.email), queries("nobody@northgate.example")
    # The known address's queries: the unknown's, then (after the response) the access log's, in a savepoint.
    logging = next(at for at, query in enumerate(known) if "audit_accessevent" in query) - 1
    assert known[:logging] == unknown
    assert known[logging].startswith("SAVEPOINT")
    assert all("audit_accessevent" in query or "ledger_" in query or "SAVEPOINT" in query for query in known[logging:])
    assert len(mailoutbox) == 1


# How often a link may be asked for (ASVS 2.4.1): 3 times an hour for one address, 10 from one client address.


def asks(address: str, times: int = 1, **extra) -> list:
    return [Client().post(FORGOTTEN, {"email": address}, follow=True, **extra) for _ in range(times)]


def test_a_fourth_ask_in_an_hour_for_one_address_sends_nothing_and_says_nothing(practitioner, mailoutbox, frozen):
    known = asks(practitioner.email.upper(), 4)
    assert len(mailoutbox) == 3
    unknown = asks("nobody@northgate.example", 4)
    assert len(mailoutbox) == 3
    # Within the limit or past it, known or not: the same page.
    assert {text(response) for response in known + unknown} == {text(known[0])}
    assert "Check your email" in text(known[-1])
    frozen.shift(timedelta(minutes=61))
    asks(practitioner.email)
    assert len(mailoutbox) == 4


def test_many_addresses_asked_from_one_place_are_limited_there_only(practitioner, mailoutbox, frozen):
    for number in range(10):
        asks(f"guess{number}@northgate.example", REMOTE_ADDR="203.0.113.9")
    asks(practitioner.email, REMOTE_ADDR="203.0.113.9")
    assert mailoutbox == []
    asks(practitioner.email, REMOTE_ADDR="198.51.100.20")
    assert [message.to for message in mailoutbox] == [[practitioner.email]]


def test_the_limit_keeps_no_address_typed(practitioner, frozen):
    asks(practitioner.email)
    asks("nobody@northgate.example")
    kept = list(PasswordResetAsk.objects.values_list("address_digest", flat=True))
    assert len(kept) == 2
    assert not any("@" in digest or "northgate" in digest for digest in kept)
    frozen.shift(timedelta(minutes=61))
    asks("someone@northgate.example")
    assert PasswordResetAsk.objects.count() == 1, "asks older than the limit's time are forgotten"


def test_someone_invited_can_ask_for_a_link_too(client, agency, mailoutbox):
    invited = StaffMembershipFactory(agency=agency).user
    invited.set_unusable_password()
    invited.save()
    client.post(FORGOTTEN, {"email": invited.email})
    (message,) = mailoutbox
    assert choose_password(Client(), link_in(message)).status_code == 302
    assert can_sign_in(invited.email, NEW_PASSWORD)


def test_an_address_that_is_not_one_is_explained(client, mailoutbox):
    response = client.post(FORGOTTEN, {"email": "not an address"})
    assert "Enter an email address in the correct format, like name@example.org" in text(response)
    assert not mailoutbox


# The reset link: once, for a limited time, and the second factor still asked for.


@pytest.fixture
def reset_link(client, practitioner, mailoutbox):
    client.post(FORGOTTEN, {"email": practitioner.email})
    (message,) = mailoutbox
    return link_in(message)


@pytest.mark.parametrize("password", ["password1234", "qwertyuiop123"])
def test_a_common_password_is_refused_when_chosen_with_a_link_too(client, practitioner, reset_link, password):
    """The same validators (AUTH_PASSWORD_VALIDATORS) as "Change your password" (ASVS 6.2.4)."""
    response = choose_password(client, reset_link, password)
    assert response.status_code == 200
    assert "This password is too common." in text(response)
    assert can_sign_in(practitioner.email, PASSWORD)


def test_a_reset_link_lets_the_person_choose_a_new_password_and_signs_them_in(client, practitioner, reset_link, sent):
    opened = client.get(path_of(reset_link))
    # The token leaves the address before the form is shown: it cannot leak in a Referer header.
    assert opened.status_code == 302 and "set-password" in opened.url
    page = client.get(opened.url)
    assert "Choose a new password" in text(page)
    assert practitioner.email in text(page)
    response = client.post(opened.url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    # Signed in with the new password; a second factor is still asked for (6.4.3).
    assert response.status_code == 302 and response.url == reverse("two_factor:enrol")
    assert signed_in_as(client) == practitioner.pk
    assert "Your password has been changed" in text(client.get(response.url, follow=True))
    assert can_sign_in(practitioner.email, NEW_PASSWORD)
    assert not can_sign_in(practitioner.email, PASSWORD)
    assert [name for name, _ in sent][-1] == "password_link_used"
    assert AccessEvent.objects.filter(action=Action.PASSWORD_ACCEPTED, user=practitioner).exists()


def test_signing_in_ends_a_link(client, practitioner, reset_link):
    """Remembered after all: signing in with the old password ends the link (Django's token covers the last sign-in)."""
    assert can_sign_in(practitioner.email, PASSWORD)
    assert DOES_NOT_WORK in text(client.get(path_of(reset_link)))


def test_a_reset_link_works_once(client, practitioner, reset_link):
    assert choose_password(client, reset_link).status_code == 302
    again = Client().get(path_of(reset_link))
    assert again.status_code == 200
    assert DOES_NOT_WORK in text(again)
    assert "Ask for a new link" in text(again)


def test_a_reset_link_is_refused_when_the_password_is_weak_and_still_works_after(client, practitioner, reset_link):
    refused = choose_password(client, reset_link, password="password1234")
    assert refused.status_code == 200 and "This password is too common." in text(refused)
    assert choose_password(Client(), reset_link).status_code == 302


def test_a_reset_link_expires(client, practitioner, mailoutbox, frozen, settings):
    client.post(FORGOTTEN, {"email": practitioner.email})
    (message,) = mailoutbox
    frozen.shift(timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT - 1))
    opened = client.get(path_of(link_in(message)))
    assert opened.status_code == 302, "still working just before the hour is up"
    frozen.shift(timedelta(seconds=2))
    assert DOES_NOT_WORK in text(Client().get(path_of(link_in(message))))
    # The form opened in time does not set the password once the hour is up.
    posted = client.post(opened.url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert DOES_NOT_WORK in text(posted)
    assert can_sign_in(practitioner.email, PASSWORD)


def test_the_time_limit_comes_from_settings(client, practitioner, mailoutbox, frozen, settings):
    settings.PASSWORD_RESET_TIMEOUT = 15 * 60
    client.post(FORGOTTEN, {"email": practitioner.email})
    (message,) = mailoutbox
    assert "stops working after 15 minutes" in body_of(message)
    frozen.shift(timedelta(minutes=16))
    assert DOES_NOT_WORK in text(client.get(path_of(link_in(message))))


def test_a_reset_does_not_skip_the_second_factor(client, lead, mailoutbox):
    TOTPDevice.objects.create(user=lead, name="Authenticator app", confirmed=True)
    client.post(FORGOTTEN, {"email": lead.email})
    (message,) = mailoutbox
    response = choose_password(client, link_in(message))
    assert response.status_code == 302 and response.url == reverse("two_factor:verify")
    assert client.get(SEARCH).url == reverse("two_factor:verify")


def test_choosing_a_password_with_a_link_ends_every_other_session(client, practitioner, mailoutbox):
    elsewhere = Client()
    sign_in(elsewhere, practitioner.email)
    assert elsewhere.get(SEARCH).status_code == 200
    client.post(FORGOTTEN, {"email": practitioner.email})
    (message,) = mailoutbox
    choose_password(client, link_in(message))
    assert elsewhere.get(SEARCH).status_code == 302


def test_a_deactivated_account_cannot_use_its_link(client, practitioner, reset_link):
    practitioner.is_active = False
    practitioner.save()
    assert DOES_NOT_WORK in text(client.get(path_of(reset_link)))


def test_a_link_for_one_page_does_not_open_the_other(client, practitioner, reset_link):
    invitation_path = path_of(reset_link).replace("/accounts/password/reset/", "/accounts/invitation/")
    assert DOES_NOT_WORK in text(client.get(invitation_path))


# Invitations (6.4.1): the new member of staff chooses their own password.


def invite(admin_client, email: str, role: Role = Role.SAFEGUARDING_LEAD) -> User:
    data = {"full_name": "Sam Rivers", "email": email, "role": role, "job_title": ""}
    assert admin_client.post(reverse("records:staff_add"), data).status_code == 302
    return User.objects.get(email=email)


def test_an_invitation_leads_to_choosing_a_password_then_setting_up_two_factor(
    admin_client_agency, client, mailoutbox, sent
):
    member = invite(admin_client_agency, "sam.rivers@northgate.example")
    (message,) = mailoutbox
    assert message.subject == "Choose your password for Safeguarding information sharing"
    body = body_of(message)
    assert "for Northgate Children's Services" in body
    assert "stops working after 72 hours" in body
    assert "Sam Rivers" not in body
    opened = client.get(path_of(link_in(message)))
    page = client.get(opened.url)
    assert "Choose your password" in text(page)
    response = client.post(opened.url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    # A lead needs a second factor: setting it up comes next, as at any first sign-in.
    assert response.url == reverse("two_factor:enrol")
    assert signed_in_as(client) == member.pk
    assert "Your password has been set" in text(client.get(response.url))
    assert [(name, kwargs["kind"]) for name, kwargs in sent] == [
        ("password_link_sent", LinkKind.INVITATION),
        ("password_link_used", LinkKind.INVITATION),
    ]


def test_an_invitation_works_once(admin_client_agency, client, mailoutbox):
    invite(admin_client_agency, "sam.rivers@northgate.example", role=Role.PRACTITIONER)
    (message,) = mailoutbox
    assert choose_password(client, link_in(message)).status_code == 302
    again = Client().get(path_of(link_in(message)))
    assert DOES_NOT_WORK in text(again)
    assert "Ask your agency administrator to send you a new invitation" in text(again)


def test_an_invitation_expires(admin_client_agency, mailoutbox, frozen, settings):
    member = invite(admin_client_agency, "sam.rivers@northgate.example", role=Role.PRACTITIONER)
    (message,) = mailoutbox
    frozen.shift(timedelta(seconds=settings.INVITATION_TIMEOUT - 1))
    assert Client().get(path_of(link_in(message))).status_code == 302
    frozen.shift(timedelta(seconds=2))
    assert DOES_NOT_WORK in text(Client().get(path_of(link_in(message))))
    member.refresh_from_db()
    assert not member.has_usable_password()


def test_the_invitation_time_limit_comes_from_settings(admin_client_agency, mailoutbox, frozen, settings):
    settings.INVITATION_TIMEOUT = 24 * 3600
    invite(admin_client_agency, "sam.rivers@northgate.example", role=Role.PRACTITIONER)
    (message,) = mailoutbox
    assert "stops working after 24 hours" in body_of(message)
    frozen.shift(timedelta(hours=25))
    assert DOES_NOT_WORK in text(Client().get(path_of(link_in(message))))


def test_an_invitation_does_not_open_the_reset_page(admin_client_agency, mailoutbox):
    invite(admin_client_agency, "sam.rivers@northgate.example", role=Role.PRACTITIONER)
    (message,) = mailoutbox
    reset_path = path_of(link_in(message)).replace("/accounts/invitation/", "/accounts/password/reset/")
    assert DOES_NOT_WORK in text(Client().get(reset_path))


# What an administrator can do: send a link, never set or see a password (6.4.6).


def password_link(admin_client, member):
    return admin_client.post(reverse("records:staff_password_link", args=[member.pk]), follow=True)


def test_sending_the_invitation_again_ends_the_old_link(admin_client_agency, mailoutbox):
    member = invite(admin_client_agency, "sam.rivers@northgate.example", role=Role.PRACTITIONER)
    page = admin_client_agency.get(reverse("records:staff_change", args=[member.pk]))
    assert "Send the invitation again" in text(page)
    response = password_link(admin_client_agency, member)
    assert "We have emailed Sam Rivers a new invitation. The old one no longer works" in text(response)
    first, second = mailoutbox
    assert second.subject == first.subject
    assert DOES_NOT_WORK in text(Client().get(path_of(link_in(first))))
    assert choose_password(Client(), link_in(second)).status_code == 302


def test_an_administrator_resets_a_password_without_knowing_it(admin_client_agency, practitioner, mailoutbox, sent):
    elsewhere = Client()
    sign_in(elsewhere, practitioner.email)
    page = admin_client_agency.get(reverse("records:staff_change", args=[practitioner.pk]))
    assert "Reset their password" in text(page)
    assert 'type="password"' not in page.content.decode()
    response = password_link(admin_client_agency, practitioner)
    assert "password no longer works, and they have been signed out" in text(response)
    # The old password stops working at once, and the person is signed out everywhere.
    assert not can_sign_in(practitioner.email, PASSWORD)
    assert elsewhere.get(SEARCH).status_code == 302
    (message,) = mailoutbox
    assert message.subject == "Choose a new password for Safeguarding information sharing"
    assert "An administrator has asked you to choose a new password" in body_of(message)
    assert sent[0][1]["kind"] == LinkKind.PASSWORD_RESET_BY_ADMINISTRATOR
    assert choose_password(Client(), link_in(message)).status_code == 302
    assert can_sign_in(practitioner.email, NEW_PASSWORD)


def test_a_second_reset_ends_the_first_link(admin_client_agency, practitioner, mailoutbox):
    password_link(admin_client_agency, practitioner)
    password_link(admin_client_agency, practitioner)
    first, second = mailoutbox
    assert DOES_NOT_WORK in text(Client().get(path_of(link_in(first))))
    assert choose_password(Client(), link_in(second)).status_code == 302


def test_an_administrator_is_pointed_to_their_own_change_page(admin_client_agency, agency_admin, mailoutbox):
    page = admin_client_agency.get(reverse("records:staff_change", args=[agency_admin.pk]))
    assert "To change your own password, use “Change your password”" in text(page)
    assert "Reset their password" not in text(page)
    response = password_link(admin_client_agency, agency_admin)
    assert "use “Change your password”" in text(response)
    assert not mailoutbox
    assert can_sign_in(agency_admin.email, PASSWORD)


def test_a_deactivated_member_is_sent_nothing(admin_client_agency, practitioner, mailoutbox):
    practitioner.is_active = False
    practitioner.save()
    response = password_link(admin_client_agency, practitioner)
    assert "account is deactivated: no email was sent" in text(response)
    assert not mailoutbox


def test_a_mail_server_that_does_not_answer_is_reported(admin_client_agency, practitioner, settings):
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": 9, "timeout": 2},
        }
    }
    response = password_link(admin_client_agency, practitioner)
    assert "The email could not be sent. Try again in a few minutes" in text(response)


def test_no_email_carries_anything_about_a_child(admin_client_agency, practitioner, agency, mailoutbox):
    child = ChildFactory(agency=agency, given_name="Mia", family_name="Okafor")
    invite(admin_client_agency, "sam.rivers@northgate.example", role=Role.PRACTITIONER)
    password_link(admin_client_agency, practitioner)
    Client().post(FORGOTTEN, {"email": practitioner.email})
    assert len(mailoutbox) == 3
    for message in mailoutbox:
        assert child.family_name not in body_of(message)
        assert practitioner.full_name not in body_of(message)
