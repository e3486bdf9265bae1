import pytest
from django.db import connection
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import selectors as account_selectors
from records.roles import Role
from sharing import immutability
from tests.factories import AgencyFactory, StaffMembershipFactory, UserFactory


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    """Uploaded files go to a folder of the test's own."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return settings.PRIVATE_MEDIA_ROOT


@pytest.fixture(autouse=True)
def two_factor_as_in_production(settings):
    """The suite runs with the production default, whatever the shell says:
    leads and administrators sign in with a second factor."""
    settings.TWO_FACTOR = "roles"


@pytest.fixture(autouse=True)
def force_login_includes_the_second_factor(monkeypatch):
    """``client.force_login(user)`` stands for a completed sign-in; for someone
    who needs a second factor, that includes it: they have an authenticator
    app and the session is verified with it. The sign-in steps themselves go
    through the real pages in tests/accounts."""
    password_only = Client.force_login

    def force_login(self, user, backend=None):
        password_only(self, user, backend)
        if account_selectors.second_step_for(user) is None:
            return
        device = account_selectors.authenticator_for(user) or TOTPDevice.objects.create(
            user=user, name="Authenticator app", confirmed=True
        )
        session = self.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()

    monkeypatch.setattr(Client, "force_login", force_login)


@pytest.fixture
def agency(db):
    return AgencyFactory(name="Northgate Children's Services")


@pytest.fixture
def other_agency(db):
    return AgencyFactory(name="Southvale Police")


def _member(agency, role, **kwargs):
    return StaffMembershipFactory(agency=agency, role=role, **kwargs).user


@pytest.fixture
def practitioner(agency):
    return _member(agency, Role.PRACTITIONER)


@pytest.fixture
def lead(agency):
    return _member(agency, Role.SAFEGUARDING_LEAD, job_title="Designated safeguarding lead")


@pytest.fixture
def agency_admin(agency):
    return _member(agency, Role.AGENCY_ADMIN, job_title="Business support")


@pytest.fixture
def other_practitioner(other_agency):
    return _member(other_agency, Role.PRACTITIONER)


@pytest.fixture
def platform_admin(db):
    return UserFactory(is_staff=True, is_superuser=True, full_name="Platform Administrator")


@pytest.fixture
def practitioner_client(client, practitioner):
    client.force_login(practitioner)
    return client


@pytest.fixture
def lead_client(client, lead):
    client.force_login(lead)
    return client


@pytest.fixture
def admin_client_agency(client, agency_admin):
    client.force_login(agency_admin)
    return client


@pytest.fixture(autouse=True)
def _release_immutable_tables_for_flush(request):
    """A transactional test ends by emptying every table, which the
    immutability triggers rightly refuse. Such tests get the triggers at the
    start and lose them just before that flush; tests in a transaction (the
    rest) always have them, from the migrations."""
    if "transactional_db" not in request.fixturenames:
        yield
        return
    request.getfixturevalue("transactional_db")
    immutability.install(connection)
    yield
    immutability.remove(connection)
