import random
from datetime import date, timedelta

import factory
from django.utils import timezone

from records import identity
from records.models import (
    Adult,
    Agency,
    Child,
    ChildAdultRelationship,
    ParentalResponsibility,
    Relationship,
    StaffMembership,
    User,
)
from records.roles import Role

PASSWORD = "correct-horse-battery"


def valid_nhs_number() -> str:
    while True:
        first_nine = "".join(random.choice("0123456789") for _ in range(9))  # noqa: S311
        check = identity.nhs_number_check_digit(first_nine)
        if check is not None:
            return f"{first_nine}{check}"


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    name = factory.Sequence(lambda n: f"Agency {n}")
    kind = Agency.Kind.CHILDRENS_SOCIAL_CARE


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Faker("name", locale="en_GB")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def saved(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class StaffMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StaffMembership

    user = factory.SubFactory(UserFactory)
    agency = factory.SubFactory(AgencyFactory)
    role = Role.PRACTITIONER
    job_title = "Social worker"


class ChildFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Child

    agency = factory.SubFactory(AgencyFactory)
    given_name = factory.Faker("first_name", locale="en_GB")
    family_name = factory.Faker("last_name", locale="en_GB")
    date_of_birth = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=random.randint(30, 6000)))  # noqa: S311
    nhs_number = factory.LazyFunction(valid_nhs_number)
    local_reference = factory.Sequence(lambda n: f"REF-{n:05d}")


class AdultFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Adult

    agency = factory.SubFactory(AgencyFactory)
    given_name = factory.Faker("first_name", locale="en_GB")
    family_name = factory.Faker("last_name", locale="en_GB")
    date_of_birth = date(1990, 1, 15)


class RelationshipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ChildAdultRelationship

    child = factory.SubFactory(ChildFactory)
    adult = factory.SubFactory(AdultFactory, agency=factory.SelfAttribute("..child.agency"))
    relationship = Relationship.MOTHER
    parental_responsibility = ParentalResponsibility.YES
    lives_with_child = True
