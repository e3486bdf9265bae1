"""Sessions end after 30 minutes without activity and 12 hours after signing
in; signing out and deactivation end them on the server."""

from datetime import timedelta

from django.conf import settings as django_settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from accounts import services
from accounts.models import UserSession
from records.models import User
from records.roles import Role
from tests.accounts.conftest import sign_in, sign_in_with_password
from tests.factories import ChildFactory

SEARCH = reverse("records:child_search")


def session_key(client) -> str:
    return client.cookies[django_settings.SESSION_COOKIE_NAME].value


def replaying(key: str) -> Client:
    """A client that sends an old session cookie again."""
    replay = Client()
    replay.cookies[django_settings.SESSION_COOKIE_NAME] = key
    return replay


def sent_to_sign_in(response) -> bool:
    return response.status_code == 302 and response.url.startswith(reverse("login"))


# Time-outs.


def test_thirty_minutes_without_activity_sign_out_with_a_message(client, practitioner, frozen):
    sign_in(client, practitioner.email)
    key = session_key(client)
    frozen.shift(timedelta(minutes=29))
    assert client.get(SEARCH).status_code == 200
    frozen.shift(timedelta(minutes=29))  # 58 minutes in, but busy
    assert client.get(SEARCH).status_code == 200
    frozen.shift(timedelta(minutes=30))
    response = client.get(SEARCH)
    assert sent_to_sign_in(response)
    assert response.url == f"{reverse('login')}?next={SEARCH}"
    page = client.get(response.url).content.decode()
    assert "You were signed out after 30 minutes without activity." in page
    assert SESSION_KEY not in client.session
    assert not Session.objects.filter(session_key=key).exists()
    assert not UserSession.objects.filter(user=practitioner).exists()


def test_the_idle_limit_comes_from_settings(client, practitioner, frozen, settings):
    settings.SESSION_IDLE_MINUTES = 10
    sign_in(client, practitioner.email)
    frozen.shift(timedelta(minutes=10))
    response = client.get(SEARCH, follow=True)
    assert "You were signed out after 10 minutes without activity." in response.content.decode()


def test_twelve_hours_after_signing_in_the_session_ends_however_busy(client, practitioner, frozen):
    sign_in(client, practitioner.email)
    for _ in range(28):  # a request every 25 minutes: 11 hours 40 minutes
        frozen.shift(timedelta(minutes=25))
        assert client.get(SEARCH).status_code == 200
    frozen.shift(timedelta(minutes=20))
    response = client.get(SEARCH)
    assert sent_to_sign_in(response)
    page = client.get(response.url).content.decode()
    assert "You were signed out because you had been signed in for 12 hours." in page
    # Signing in again starts a new 12 hours.
    assert sign_in(client, practitioner.email).status_code == 302
    assert client.get(SEARCH).status_code == 200


def test_the_limits_hold_before_the_second_step_too(client, lead, frozen):
    assert sign_in_with_password(client, lead.email).url == reverse("two_factor:enrol")
    frozen.shift(timedelta(minutes=31))
    assert sent_to_sign_in(client.get(reverse("two_factor:enrol")))


def test_what_was_being_typed_when_the_session_timed_out_is_kept(client, practitioner, agency, frozen):
    child = ChildFactory(agency=agency)
    sign_in(client, practitioner.email)
    question = client.post(reverse("sharing:start", args=[child.pk]), {"direction": "proposing"}).url
    frozen.shift(timedelta(minutes=45))  # a long phone call
    response = client.post(question, {"purpose": "Typed during a long phone call"})
    assert sent_to_sign_in(response)
    assert "You were signed out after 30 minutes without activity." in client.get(response.url).content.decode()
    assert sign_in(client, practitioner.email, next_url=question).url == question
    page = client.get(question).content.decode()
    assert "Typed during a long phone call" in page
    assert "What you typed has been kept" in page


def test_a_session_from_before_the_limits_existed_is_ended(client, practitioner):
    client.force_login(practitioner)
    session = client.session
    del session[services.SIGNED_IN_AT]
    session.save()
    response = client.get(SEARCH, follow=True)
    assert "You were signed out. Sign in again to carry on." in response.content.decode()


# Signing out.


def test_signing_out_ends_the_session_on_the_server(client, practitioner):
    sign_in(client, practitioner.email)
    old = session_key(client)
    assert replaying(old).get(SEARCH).status_code == 200
    assert client.post(reverse("logout")).url == reverse("login")
    assert sent_to_sign_in(replaying(old).get(SEARCH))
    assert not Session.objects.filter(session_key=old).exists()
    assert not UserSession.objects.filter(session_key=old).exists()


def test_signing_out_after_a_time_out_just_leads_to_sign_in(client, practitioner, frozen):
    sign_in(client, practitioner.email)
    frozen.shift(timedelta(hours=1))
    response = client.post(reverse("logout"))
    assert response.url == reverse("login")


# Deactivation.


def test_deactivating_someone_ends_every_session_they_have_at_once(practitioner):
    phone, desk = Client(), Client()
    for device in (phone, desk):
        sign_in(device, practitioner.email)
    keys = [session_key(phone), session_key(desk)]
    assert UserSession.objects.filter(user=practitioner).count() == 2
    practitioner.is_active = False
    practitioner.save()
    assert not Session.objects.filter(session_key__in=keys).exists()
    assert not UserSession.objects.filter(user=practitioner).exists()
    for key in keys:
        assert sent_to_sign_in(replaying(key).get(SEARCH))


def test_deactivating_staff_in_the_admin_signs_them_out(client, platform_admin, practitioner, agency):
    client.force_login(platform_admin)
    staff = Client()
    sign_in(staff, practitioner.email)
    key = session_key(staff)
    membership = practitioner.staff_membership
    response = client.post(
        reverse("admin:records_user_change", args=[practitioner.pk]),
        {
            "email": practitioner.email,
            "full_name": practitioner.full_name,
            # "is_active" left out: the box is unticked.
            "staff_membership-TOTAL_FORMS": "1",
            "staff_membership-INITIAL_FORMS": "1",
            "staff_membership-MIN_NUM_FORMS": "1",
            "staff_membership-MAX_NUM_FORMS": "1",
            "staff_membership-0-id": str(membership.pk),
            "staff_membership-0-user": str(practitioner.pk),
            "staff_membership-0-agency": str(agency.pk),
            "staff_membership-0-role": Role.PRACTITIONER,
        },
    )
    assert response.status_code == 302, response.context["errors"] if response.context else response
    assert not User.objects.get(pk=practitioner.pk).is_active
    assert not Session.objects.filter(session_key=key).exists()
    assert sent_to_sign_in(staff.get(SEARCH))


def test_the_service_ends_sessions_where_no_save_was_seen(practitioner):
    """A bulk update sends no signal; the service is what an administrator's tool calls."""
    devices = [Client(), Client()]
    for device in devices:
        sign_in(device, practitioner.email)
    User.objects.filter(pk=practitioner.pk).update(is_active=False)
    assert services.user_sessions_end(user=practitioner) == 2
    for device in devices:
        assert sent_to_sign_in(device.get(SEARCH))


def test_signing_in_forgets_sessions_that_expired_long_ago(client, practitioner, frozen):
    sign_in(client, practitioner.email)
    old = session_key(client)
    frozen.shift(timedelta(hours=13))
    sign_in(Client(), practitioner.email)
    assert not UserSession.objects.filter(session_key=old).exists()
    assert UserSession.objects.filter(user=practitioner).count() == 1


def test_every_sign_in_is_remembered_under_the_persons_name(practitioner, lead):
    for user in (practitioner, lead):
        browser = Client()
        browser.force_login(user)
        keys = list(UserSession.objects.filter(user=user).values_list("session_key", flat=True))
        assert keys == [session_key(browser)]
