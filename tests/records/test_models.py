from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from records.models import ParentalResponsibility, Relationship, User
from tests.factories import AdultFactory, AgencyFactory, ChildFactory, RelationshipFactory

pytestmark = pytest.mark.django_db


def test_a_wrong_nhs_number_is_refused_by_the_model():
    child = ChildFactory.build(agency=AgencyFactory(), nhs_number="943 476 5918")
    with pytest.raises(ValidationError) as raised:
        child.full_clean()
    assert "nhs_number" in raised.value.message_dict


def test_nhs_number_is_stored_as_digits():
    child = ChildFactory.build(agency=AgencyFactory(), nhs_number="943 476 5919")
    child.full_clean()
    assert child.nhs_number == "9434765919"


def test_a_child_is_either_born_or_unborn_never_both_in_the_database():
    child = ChildFactory()
    child.expected_date_of_birth = timezone.localdate() + timedelta(days=30)
    with pytest.raises(IntegrityError), transaction.atomic():
        child.save()


def test_a_date_of_birth_in_the_future_is_refused():
    child = ChildFactory.build(agency=AgencyFactory(), date_of_birth=timezone.localdate() + timedelta(days=1))
    with pytest.raises(ValidationError) as raised:
        child.full_clean()
    assert raised.value.message_dict["date_of_birth"] == ["Date of birth must be today or in the past"]


def test_an_unborn_child_has_a_descriptive_name_and_age():
    child = ChildFactory(
        given_name="", family_name="Walsh", date_of_birth=None, expected_date_of_birth=timezone.localdate()
    )
    assert child.is_unborn
    assert child.full_name == "Unborn child of the Walsh family"
    assert child.age == "Unborn"


def test_the_same_nhs_number_cannot_be_recorded_twice_in_one_agency():
    first = ChildFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        ChildFactory(agency=first.agency, nhs_number=first.nhs_number)


def test_two_agencies_may_each_hold_the_same_child():
    first = ChildFactory()
    second = ChildFactory(nhs_number=first.nhs_number, local_reference=first.local_reference)
    assert second.agency != first.agency


def test_parental_responsibility_holders_are_those_recorded_as_yes():
    # 3.3.18: consent on a child's behalf comes from a person with parental responsibility.
    child = ChildFactory()
    mother = RelationshipFactory(child=child, parental_responsibility=ParentalResponsibility.YES)
    RelationshipFactory(
        child=child, relationship=Relationship.PARENTS_PARTNER, parental_responsibility=ParentalResponsibility.NO
    )
    RelationshipFactory(
        child=child, relationship=Relationship.FATHER, parental_responsibility=ParentalResponsibility.NOT_KNOWN
    )
    assert child.parental_responsibility_holders() == [mother]


def test_an_other_relationship_must_be_described():
    link = RelationshipFactory.build(
        child=ChildFactory(), relationship=Relationship.OTHER, relationship_other="  ", adult=AdultFactory()
    )
    link.adult.agency = link.child.agency
    link.adult.save()
    with pytest.raises(ValidationError) as raised:
        link.full_clean()
    assert "relationship_other" in raised.value.message_dict


def test_an_adult_of_another_agency_cannot_be_connected():
    child = ChildFactory()
    stranger = AdultFactory()
    link = RelationshipFactory.build(child=child, adult=stranger)
    with pytest.raises(ValidationError) as raised:
        link.full_clean()
    assert "adult" in raised.value.message_dict


def test_an_adult_is_connected_to_a_child_once():
    link = RelationshipFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        RelationshipFactory(child=link.child, adult=link.adult, relationship=Relationship.FATHER)


def test_users_sign_in_with_their_email_in_any_case():
    user = User.objects.create_user(email="Priya.Shah@Northgate.Example", password="x", full_name="Priya Shah")
    assert user.email == "priya.shah@northgate.example"
    assert User.objects.get_by_natural_key("PRIYA.SHAH@northgate.example") == user


def test_the_role_kept_on_a_record_is_the_role_in_words_and_the_job_title(lead, platform_admin):
    assert lead.role_then == ("Safeguarding lead", "Designated safeguarding lead")
    assert lead.role_then.role == "Safeguarding lead"
    assert platform_admin.role_then == ("", "")


def test_a_record_keeps_the_role_as_it_was_when_it_was_written(lead):
    said_then = lead.role_then
    lead.membership.role = "practitioner"
    lead.membership.save()
    assert said_then.role == "Safeguarding lead"
    assert lead.role_then.role == "Practitioner"
