import pytest
from django.apps import apps
from django.core.management import CommandError, call_command

from records.models import Agency, Child, StaffMembership, User
from records.roles import Role

pytestmark = pytest.mark.django_db


def table_counts():
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


def test_seed_demo_creates_the_agencies_and_sign_ins(settings):
    settings.DEBUG = True
    call_command("seed_demo")
    assert set(Agency.objects.values_list("name", flat=True)) == {
        "Northgate Children's Services",
        "Northgate NHS Foundation Trust",
    }
    expected = {
        "practitioner@northgate.example": (Role.PRACTITIONER, "Northgate Children's Services"),
        "lead@northgate.example": (Role.SAFEGUARDING_LEAD, "Northgate Children's Services"),
        "admin@northgate.example": (Role.AGENCY_ADMIN, "Northgate Children's Services"),
        "practitioner@northgate-nhs.example": (Role.PRACTITIONER, "Northgate NHS Foundation Trust"),
    }
    for email, (role, agency) in expected.items():
        membership = StaffMembership.objects.get(user__email=email)
        assert (membership.role, membership.agency.name) == (role, agency)
        assert membership.user.check_password(settings.DEMO_PASSWORD)
    # Nobody in the demo uses the admin site: agency administrators have their own pages.
    assert not User.objects.filter(is_staff=True).exists()
    assert Child.objects.filter(expected_date_of_birth__isnull=False).exists(), "an unborn child is in the demo"


def test_seed_demo_twice_changes_nothing(settings):
    settings.DEBUG = True
    call_command("seed_demo")
    before = table_counts()
    call_command("seed_demo")
    assert table_counts() == before


def test_seed_demo_connects_siblings_to_the_same_parents(settings):
    settings.DEBUG = True
    call_command("seed_demo")
    mia = Child.objects.get(given_name="Mia")
    jayden = Child.objects.get(given_name="Jayden")
    assert {r.adult_id for r in mia.relationships.all()} == {r.adult_id for r in jayden.relationships.all()}


def test_seed_demo_refuses_when_debug_is_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="only when DEBUG is on"):
        call_command("seed_demo")
    assert not User.objects.exists()


def test_seed_demo_records_decisions_through_the_service_and_the_log_verifies(settings):
    from ledger.models import Entry
    from sharing.models import SharingDecision
    from tests.ledger_data import seal, verify_log

    settings.DEBUG = True
    call_command("seed_demo")
    outcomes = set(SharingDecision.objects.values_list("outcome", flat=True))
    assert outcomes == {"share", "share_in_part", "do_not_share"}
    assert sorted(Entry.objects.filter(kind="decision").values_list("record_id", flat=True)) == sorted(
        str(pk) for pk in SharingDecision.objects.values_list("pk", flat=True)
    )
    seal()
    report = verify_log()
    assert report.intact, report.first_problem
    assert report.entries == Entry.objects.count()
