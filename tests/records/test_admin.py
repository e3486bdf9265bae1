"""The admin site: for platform administrators only, and without case records
(ASVS 8.2.2, 8.4.1, 16.3.2): agencies, staff accounts (by invitation, never with
a password), legal bases, lockouts and lost authenticators."""

from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from records.models import Agency, StaffMembership, User
from records.roles import Role
from tests.accounts.conftest import sign_in_with_password
from tests.factories import StaffMembershipFactory
from tests.mail_data import body_of
from tests.page_text import reader_text

ADMIN = reverse("admin:index")
VERIFY = reverse("two_factor:verify")

# Everything the admin may hold. A model added here is a decision: it must not
# be a case record, nor anything about a child or family.
IN_THE_ADMIN = {
    "records.agency",
    "records.user",
    "sharing.legalbasis",
    # django-axes: lifting a lockout.
    "axes.accessattempt",
    "axes.accesslog",
    "axes.accessfailurelog",
    # django-otp: removing a lost authenticator (secrets hidden).
    "otp_totp.totpdevice",
    "otp_static.staticdevice",
}
# Agencies and staff, and the reference list of legal bases; and the sign-in
# sessions kept to end them. Everything else of the service's own apps is a
# case record, about one, or the access log and the ledger behind them: each
# app added later is covered here without being named.
NOT_CASE_RECORDS = {
    "records.agency",
    "records.historicalagency",
    "records.user",
    "records.historicaluser",
    "records.staffmembership",
    "records.historicalstaffmembership",
    "sharing.legalbasis",
    "sharing.historicallegalbasis",
    "accounts.usersession",
    "scale.fixture",
}
SERVICE_APPS = [app for app in apps.get_app_configs() if Path(app.path).parent == settings.BASE_DIR]
CASE_RECORD_MODELS = sorted(
    model._meta.label_lower
    for app in SERVICE_APPS
    for model in app.get_models()
    if model._meta.label_lower not in NOT_CASE_RECORDS
)


@pytest.mark.parametrize("role", ["practitioner", "lead", "agency_admin"])
def test_nobody_but_platform_administrators_reaches_the_admin(client, request, role):
    client.force_login(request.getfixturevalue(role))
    response = client.get(ADMIN)
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))
    assert client.get(reverse("admin:records_user_changelist")).status_code == 302


@pytest.mark.parametrize("two_factor", ["everyone", "roles"])
def test_the_admin_is_behind_the_same_second_factor_as_the_service(client, platform_admin, settings, two_factor):
    """For emergencies only, and no easier to reach: a platform administrator who has given their password
    but not yet a code from their app is sent to the code page from every admin page, and changes nothing."""
    settings.TWO_FACTOR = two_factor
    TOTPDevice.objects.create(user=platform_admin, name="Authenticator app", confirmed=True)
    assert sign_in_with_password(client, platform_admin.email).url == VERIFY
    for url in (
        ADMIN,
        reverse("admin:records_user_changelist"),
        reverse("admin:records_user_history", args=[platform_admin.pk]),
        reverse("admin:records_agency_add"),
    ):
        assert client.get(url).url == VERIFY, url
    response = client.post(reverse("admin:records_agency_add"), {"name": "Forged", "kind": "other"})
    assert response.url == VERIFY
    assert not Agency.objects.filter(name="Forged").exists()


def test_an_agency_administrator_with_the_old_admin_flag_still_cannot_enter(client, agency_admin):
    agency_admin.is_staff = True
    agency_admin.save()
    client.force_login(agency_admin)
    assert client.get(ADMIN).status_code == 302


@pytest.mark.django_db
def test_the_platform_administrator_sees_every_agency(client, platform_admin, agency, other_agency):
    client.force_login(platform_admin)
    response = client.get(reverse("admin:records_agency_changelist"))
    assert set(response.context["cl"].queryset) == {agency, other_agency}


def test_the_platform_administrator_makes_an_agency_administrator(platform_admin, client, agency):
    client.force_login(platform_admin)
    member = StaffMembershipFactory(agency=agency, role=Role.PRACTITIONER).user
    membership = member.staff_membership
    response = client.post(
        reverse("admin:records_user_change", args=[member.pk]),
        {
            "email": member.email,
            "full_name": member.full_name,
            "is_active": "on",
            **membership_forms(agency, user=member, membership=membership),
        },
    )
    assert response.status_code == 302, response.context["errors"] if response.context else response
    member.refresh_from_db()
    assert StaffMembership.objects.get(user=member).role == Role.AGENCY_ADMIN
    assert not member.is_staff, "agency administrators manage staff on the service's pages, not the admin"


def test_the_admin_holds_agencies_staff_and_platform_settings_only():
    assert {model._meta.label_lower for model in admin.site._registry} == IN_THE_ADMIN


def test_the_case_records_are_known():
    """The list below is not empty by accident: it has every kind of case record."""
    assert {"records.child", "records.historicalchild", "records.adult", "records.childadultrelationship"} <= set(
        CASE_RECORD_MODELS
    )
    assert {"sharing.sharingdecision", "sharing.decisionanswer", "sharing.decisionreview", "sharing.addendum"} <= set(
        CASE_RECORD_MODELS
    )
    assert {"consent.consentrecord", "exchange.informationrequest", "exchange.disclosure"} <= set(CASE_RECORD_MODELS)
    assert {"exchange.historicalinformationrequest", "audit.accessevent"} <= set(CASE_RECORD_MODELS)


def test_the_admin_index_lists_no_case_records(client, platform_admin):
    client.force_login(platform_admin)
    listed = {
        f"{app['app_label']}.{model['object_name'].lower()}"
        for app in client.get(ADMIN).context["app_list"]
        for model in app["models"]
    }
    assert listed == IN_THE_ADMIN
    assert not listed & set(CASE_RECORD_MODELS)


@pytest.mark.parametrize("label", CASE_RECORD_MODELS)
def test_a_platform_administrator_finds_no_case_record_in_the_admin(client, platform_admin, label):
    client.force_login(platform_admin)
    app_label, model_name = label.split(".")
    base = f"{ADMIN}{app_label}/{model_name}/"
    for url in (base, f"{base}add/", f"{base}1/change/", f"{base}1/history/", f"{base}1/history/1/"):
        assert client.get(url).status_code == 404, url


def test_looking_for_a_case_record_in_the_admin_is_logged_as_refused(client, platform_admin):
    from audit.models import AccessEvent, Action

    client.force_login(platform_admin)
    client.get(f"{ADMIN}records/child/")
    refused = AccessEvent.objects.get(action=Action.REFUSED)
    assert (refused.user, refused.path) == (platform_admin, f"{ADMIN}records/child/")


def test_a_version_that_is_not_a_number_is_not_found(client, platform_admin, practitioner):
    """It used to be a server error: /admin/records/user/<id>/history/password/."""
    client.force_login(platform_admin)
    client.raise_request_exception = False
    assert client.get(reverse("admin:records_user_history", args=[practitioner.pk]) + "password/").status_code == 404
    version = practitioner.history.first().history_id
    shown = client.get(reverse("admin:records_user_simple_history", args=[practitioner.pk, version]))
    assert shown.status_code == 200
    assert "Revert" not in reader_text(shown.content.decode())


@pytest.mark.parametrize(
    "history",
    [
        # Django's password form for a user sits at <id>/password/; its history is not a page.
        "records/user/{pk}/password/history/",
        "records/user/password/history/",
        "records/user/password/history/{version}/",
        "records/agency/name/history/",
        "sharing/legalbasis/code/history/",
    ],
)
def test_the_history_of_a_row_that_is_not_there_is_not_found(client, platform_admin, practitioner, history):
    """Each was a server error: simple-history asked the database for a row whose id is not a number."""
    client.force_login(platform_admin)
    client.raise_request_exception = False
    version = practitioner.history.first().history_id
    url = ADMIN + history.format(pk=practitioner.pk, version=version)
    response = client.get(url)
    assert response.status_code == 404, url
    assert "Page not found" in reader_text(response.content.decode())


def test_a_past_version_is_never_put_back(client, platform_admin, practitioner):
    client.force_login(platform_admin)
    version = practitioner.history.first().history_id
    url = reverse("admin:records_user_simple_history", args=[practitioner.pk, version])
    assert client.post(url, {"email": "else@example.org", "full_name": "Someone Else"}).status_code == 405
    practitioner.refresh_from_db()
    assert practitioner.full_name != "Someone Else"


# Nobody sets a password in the admin (ASVS 6.4.1, 6.4.6).


def membership_forms(agency, role=Role.AGENCY_ADMIN, *, user=None, membership=None) -> dict:
    return {
        "staff_membership-TOTAL_FORMS": "1",
        "staff_membership-INITIAL_FORMS": "1" if membership else "0",
        "staff_membership-MIN_NUM_FORMS": "1",
        "staff_membership-MAX_NUM_FORMS": "1",
        "staff_membership-0-id": str(membership.pk) if membership else "",
        "staff_membership-0-user": str(user.pk) if user else "",
        "staff_membership-0-agency": str(agency.pk),
        "staff_membership-0-role": role,
    }


def test_a_new_agency_administrator_is_invited_and_chooses_their_own_password(
    client, platform_admin, agency, mailoutbox
):
    client.force_login(platform_admin)
    add = reverse("admin:records_user_add")
    form = client.get(add).content.decode()
    assert 'type="password"' not in form
    data = {
        "email": "New.Admin@Northgate.example",
        "full_name": "Nadia Hughes",
        "password1": "chosen-by-the-platform",
        "password2": "chosen-by-the-platform",
        **membership_forms(agency),
    }
    response = client.post(add, data, follow=True)
    assert "An invitation has been sent to new.admin@northgate.example" in reader_text(response.content.decode())
    member = User.objects.get(email="new.admin@northgate.example")
    assert member.role == Role.AGENCY_ADMIN
    assert not member.has_usable_password()
    (message,) = mailoutbox
    assert message.to == ["new.admin@northgate.example"]
    assert "Choose your password with this link" in body_of(message)


def test_a_staff_page_in_the_admin_shows_and_sets_no_password(client, platform_admin, practitioner):
    client.force_login(platform_admin)
    change = reverse("admin:records_user_change", args=[practitioner.pk])
    page = client.get(change).content.decode()
    assert 'type="password"' not in page
    assert "Raw passwords are not stored" not in page and f"{change}../password/" not in page
    # Django's own form for setting a user's password is not there: the address leads to the admin's index.
    response = client.get(change.replace("change/", "password/"), follow=True)
    assert response.redirect_chain[-1][0] == ADMIN
    assert 'type="password"' not in response.content.decode()


def test_the_admin_changes_ones_own_password_on_the_services_page(client, platform_admin):
    client.force_login(platform_admin)
    response = client.get(reverse("admin:password_change"))
    assert response.status_code == 302 and response.url == reverse("password_change")


def test_the_admin_sends_a_link_instead(client, platform_admin, practitioner, mailoutbox):
    client.force_login(platform_admin)
    response = client.post(
        reverse("admin:records_user_changelist"),
        {"action": "send_password_link", "_selected_action": [practitioner.pk]},
        follow=True,
    )
    notice = f"A link to choose a new password has been sent to {practitioner.email}"
    assert notice in reader_text(response.content.decode())
    practitioner.refresh_from_db()
    assert not practitioner.has_usable_password()
    (message,) = mailoutbox
    assert "An administrator has asked you to choose a new password" in body_of(message)


@pytest.mark.parametrize("label", ["otp_totp_totpdevice", "otp_static_staticdevice"])
def test_nobody_adds_someone_elses_second_factor_in_the_admin(client, platform_admin, label):
    """Whoever adds a device knows its secret: a second factor is set up by its owner only."""
    client.force_login(platform_admin)
    assert client.get(reverse(f"admin:{label}_add")).status_code == 403
    listing = client.get(reverse(f"admin:{label}_changelist")).content.decode()
    assert "device" in reader_text(listing).lower()
    assert f'href="{reverse(f"admin:{label}_add")}"' not in listing
