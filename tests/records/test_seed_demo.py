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
    assert dict(Agency.objects.values_list("name", "kind")) == {
        "Northgate Children's Services": Agency.Kind.CHILDRENS_SOCIAL_CARE,
        "Northgate NHS Foundation Trust": Agency.Kind.HEALTH,
        "Northgate Police": Agency.Kind.POLICE,
        "Northgate Academy": Agency.Kind.SCHOOL,
    }
    expected = {
        "practitioner@northgate.example": (Role.PRACTITIONER, "Northgate Children's Services"),
        "lead@northgate.example": (Role.SAFEGUARDING_LEAD, "Northgate Children's Services"),
        "admin@northgate.example": (Role.AGENCY_ADMIN, "Northgate Children's Services"),
        "practitioner@northgate-nhs.example": (Role.PRACTITIONER, "Northgate NHS Foundation Trust"),
        # A police officer, and a school's designated safeguarding lead and a teacher (issue 14, point 21).
        "officer@northgate-police.example": (Role.PRACTITIONER, "Northgate Police"),
        "dsl@northgate-academy.example": (Role.SAFEGUARDING_LEAD, "Northgate Academy"),
        "teacher@northgate-academy.example": (Role.PRACTITIONER, "Northgate Academy"),
    }
    assert set(User.objects.values_list("email", flat=True)) == set(expected)
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
    mia = Child.objects.get(given_name="Mia", agency__name="Northgate Children's Services")
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


def test_the_demos_verified_requester_is_verified_before_anything_is_disclosed(settings):
    """3.7.4: the health visitor asking about Mia is called back before the decision and the disclosure."""
    from exchange.models import InformationRequest

    settings.DEBUG = True
    call_command("seed_demo")
    request = InformationRequest.objects.get(child__local_reference="NCS-1042")
    decision = request.outcome.decision
    (disclosure,) = request.disclosures.all()
    assert request.verified_at < decision.decided_at < disclosure.disclosed_at
    assert "caller_verified" in disclosure.checks
    assert not disclosure.unverified_override


def test_the_police_officer_has_a_request_in_a_category_of_3_6_9_to_answer(settings):
    from exchange.models import InformationRequest, PoliceCategory

    settings.DEBUG = True
    call_command("seed_demo")
    request = InformationRequest.objects.get(agency__name="Northgate Police")
    assert (request.police_category, request.is_open) == (PoliceCategory.S47_REFERRAL, True)
    assert request.can_be_verified, "to try verifying the requester by calling back (3.7.4)"
    assert request.child.full_name == "Mia Turner"
    assert {adult.full_name for adult in request.adults.all()} == {"Kelly Turner", "Ryan Cole"}
    officer = User.objects.get(email="officer@northgate-police.example")
    assert officer.has_perm("exchange.request_view", request)


def test_the_school_has_a_pupil_its_staff_can_open(settings):
    settings.DEBUG = True
    call_command("seed_demo")
    ellie = Child.objects.get(agency__name="Northgate Academy")
    assert (ellie.full_name, ellie.relationships.get().adult.full_name) == ("Ellie Adeyemi", "Grace Adeyemi")
    for email in ("dsl@northgate-academy.example", "teacher@northgate-academy.example"):
        assert User.objects.get(email=email).has_perm("records.child_view", ellie)
    assert not User.objects.get(email="practitioner@northgate.example").has_perm("records.child_view", ellie)
