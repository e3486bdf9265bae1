import uuid
from datetime import date
from typing import NamedTuple

import rules
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Upper
from django.utils import timezone
from simple_history.models import HistoricalRecords

from records import identity
from records.roles import CASE_ROLES, Permission, Role

SERVICE_PERMISSIONS = frozenset(Permission)


class RoleThen(NamedTuple):
    """A person's role and job title in words, as they are when the person records something.

    Every record keeps them with the person's name: a role changes later, and
    the record says who the person was then.
    """

    role: str
    job_title: str


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("A user needs an email address.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields["is_staff"] = True
        extra_fields["is_superuser"] = True
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, username):
        return self.get(email__iexact=username)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in, with their email address as the sign-in name."""

    email = models.EmailField("email address", unique=True)
    full_name = models.CharField(max_length=150)
    is_active = models.BooleanField(default=True)
    # Django admin access: platform administrators and agency administrators.
    is_staff = models.BooleanField("can use the admin site", default=False)
    date_joined = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name"]

    def __str__(self):
        return self.full_name or self.email

    def clean(self):
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()

    def get_full_name(self):
        return self.full_name

    def has_perm(self, perm, obj=None):
        # Django lets a superuser do anything. A platform administrator is a
        # superuser for the admin's model permissions, but the service's own
        # permissions are asked of the rules like anyone's: a platform
        # administrator has no agency and reads no case records. They are
        # declared once, as rules (records/roles.py), and asked of the rules
        # alone: no database permission grants them.
        if perm in SERVICE_PERMISSIONS:
            return self.is_active and rules.has_perm(perm, self, obj)
        return super().has_perm(perm, obj)

    def get_short_name(self):
        return self.full_name

    @property
    def membership(self) -> "StaffMembership | None":
        try:
            return self.staff_membership
        except StaffMembership.DoesNotExist:
            return None

    @property
    def agency(self) -> "Agency | None":
        membership = self.membership
        return membership.agency if membership else None

    @property
    def role(self) -> Role | None:
        membership = self.membership
        return Role(membership.role) if membership else None

    @property
    def role_then(self) -> RoleThen:
        """The role and job title to keep on what this person records now (empty without a membership)."""
        membership = self.membership
        if membership is None:
            return RoleThen("", "")
        return RoleThen(membership.get_role_display(), membership.job_title)


class Agency(models.Model):
    """An organisation whose staff share information: the unit of tenancy."""

    class Kind(models.TextChoices):
        CHILDRENS_SOCIAL_CARE = "childrens_social_care", "Local authority children's social care"
        HEALTH = "health", "NHS trust or GP practice"
        SCHOOL = "school", "School"
        POLICE = "police", "Police"
        VOLUNTARY = "voluntary", "Voluntary sector"
        OTHER = "other", "Other"

    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=32, choices=Kind.choices)
    address = models.TextField(blank=True)
    phone = models.CharField("telephone", max_length=40, blank=True)
    email = models.EmailField("secure email address", blank=True)
    is_active = models.BooleanField("active", default=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "agencies"

    def __str__(self):
        return self.name


class StaffMembership(models.Model):
    """A user's place in one agency, with one role."""

    user = models.OneToOneField(User, on_delete=models.PROTECT, related_name="staff_membership")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="staff")
    role = models.CharField(max_length=32, choices=Role.choices)
    job_title = models.CharField(max_length=150, blank=True)
    # 3.2.4: the senior manager who decides controversial sharing questions.
    is_lead_information_officer = models.BooleanField("lead information officer", default=False)
    # 3.4.4 and 001: the person who advises on confidential patient information.
    is_caldicott_guardian = models.BooleanField("Caldicott Guardian", default=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["agency__name", "user__full_name"]

    def __str__(self):
        return f"{self.user} ({self.get_role_display()}, {self.agency})"

    @property
    def has_case_role(self) -> bool:
        return self.role in CASE_ROLES


class Sex(models.TextChoices):
    # The NHS data dictionary's "person stated gender" codes, as recorded.
    FEMALE = "female", "Female"
    MALE = "male", "Male"
    NOT_SPECIFIED = "not_specified", "Not specified"
    NOT_KNOWN = "not_known", "Not known"


class Child(models.Model):
    """A child, or an unborn child, about whom information may be shared."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="children", verbose_name="holding agency")
    given_name = models.CharField("given names", max_length=100, blank=True)
    family_name = models.CharField(max_length=100)
    other_names = models.CharField(
        "other names", max_length=200, blank=True, help_text="Previous or alternative names, and how they are known"
    )
    date_of_birth = models.DateField(null=True, blank=True)
    expected_date_of_birth = models.DateField(null=True, blank=True)
    sex = models.CharField("sex or gender as recorded", max_length=16, choices=Sex.choices, default=Sex.NOT_KNOWN)
    gender_identity = models.CharField("gender identity, if the child has said", max_length=100, blank=True)
    nhs_number = models.CharField("NHS number", max_length=10, blank=True)
    local_reference = models.CharField("local case reference", max_length=50, blank=True)
    address = models.TextField(blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["family_name", "given_name"]
        verbose_name_plural = "children"
        constraints = [
            # Born children have a date of birth; unborn children an expected one.
            models.CheckConstraint(
                condition=Q(date_of_birth__isnull=True) | Q(expected_date_of_birth__isnull=True),
                name="child_born_or_unborn_not_both",
            ),
            models.UniqueConstraint(
                fields=["agency", "nhs_number"],
                condition=~Q(nhs_number=""),
                name="child_nhs_number_unique_in_agency",
            ),
            models.UniqueConstraint(
                fields=["agency", "local_reference"],
                condition=~Q(local_reference=""),
                name="child_reference_unique_in_agency",
            ),
        ]
        indexes = [
            models.Index(fields=["agency", "family_name"]),
            models.Index(fields=["agency", "date_of_birth"]),
            # The search: a date of birth may be an unborn child's expected one,
            # and any entry may be a case reference typed in any case.
            models.Index(
                fields=["agency", "expected_date_of_birth"],
                condition=Q(expected_date_of_birth__isnull=False),
                name="child_agency_expected_dob",
            ),
            models.Index(Upper("local_reference"), name="child_reference_upper"),
            # "Recently updated" on the search page.
            models.Index(fields=["agency", "-updated_at"], name="child_agency_updated"),
        ]

    def __str__(self):
        return self.full_name

    @property
    def full_name(self) -> str:
        if self.given_name:
            return f"{self.given_name} {self.family_name}"
        return f"Unborn child of the {self.family_name} family" if self.is_unborn else self.family_name

    @property
    def is_unborn(self) -> bool:
        return self.date_of_birth is None and self.expected_date_of_birth is not None

    def age_on(self, on: date) -> str:
        return identity.age_description(self.date_of_birth, self.expected_date_of_birth, on)

    @property
    def age(self) -> str:
        return self.age_on(timezone.localdate())

    @property
    def nhs_number_display(self) -> str:
        return identity.nhs_number_format(self.nhs_number)

    def clean_fields(self, exclude=None):
        self.nhs_number = identity.nhs_number_normalise(self.nhs_number or "")
        super().clean_fields(exclude=exclude)

    def clean(self):
        super().clean()
        errors = {}
        if self.nhs_number:
            problem = identity.nhs_number_problem(self.nhs_number)
            if problem:
                errors["nhs_number"] = problem
        today = timezone.localdate()
        if self.date_of_birth and self.expected_date_of_birth:
            errors["expected_date_of_birth"] = "A child who has been born has a date of birth, not an expected one"
        if self.date_of_birth and self.date_of_birth > today:
            errors["date_of_birth"] = "Date of birth must be today or in the past"
        if self.date_of_birth and self.date_of_birth.year < today.year - 25:
            errors["date_of_birth"] = "Date of birth must be within the last 25 years"
        if errors:
            raise ValidationError(errors)

    def validate_constraints(self, exclude=None):
        # Duplicate NHS numbers and references are reported next to their
        # field by the form; the database constraints still stand behind it.
        super().validate_constraints(exclude=set(exclude or ()) | {"nhs_number", "local_reference"})

    def parental_responsibility_holders(self) -> list["ChildAdultRelationship"]:
        """The connected adults recorded as holding parental responsibility.

        3.3.18: where a child cannot consent, a person with parental
        responsibility is asked on their behalf.
        """
        return [r for r in self.relationships.all() if r.parental_responsibility == ParentalResponsibility.YES]


class Adult(models.Model):
    """A parent, carer or other adult connected to one or more children."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="adults")
    given_name = models.CharField("given names", max_length=100)
    family_name = models.CharField(max_length=100)
    other_names = models.CharField("other names", max_length=200, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    address = models.TextField(blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    phone = models.CharField("telephone", max_length=40, blank=True)
    email = models.EmailField("email address", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["family_name", "given_name"]

    def __str__(self):
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}"

    def clean(self):
        super().clean()
        if self.date_of_birth and self.date_of_birth > timezone.localdate():
            raise ValidationError({"date_of_birth": "Date of birth must be today or in the past"})


class Relationship(models.TextChoices):
    MOTHER = "mother", "Mother"
    FATHER = "father", "Father"
    STEP_PARENT = "step_parent", "Step-parent"
    ADOPTIVE_PARENT = "adoptive_parent", "Adoptive parent"
    PARENTS_PARTNER = "parents_partner", "Partner of a parent"
    GRANDPARENT = "grandparent", "Grandparent"
    OTHER_RELATIVE = "other_relative", "Other relative"
    FOSTER_CARER = "foster_carer", "Foster carer"
    SPECIAL_GUARDIAN = "special_guardian", "Special guardian"
    OTHER = "other", "Other"


class ParentalResponsibility(models.TextChoices):
    # 3.3.18: each agency must be able to say who holds parental
    # responsibility; "not known" keeps an unanswered question visible.
    YES = "yes", "Yes"
    NO = "no", "No"
    NOT_KNOWN = "not_known", "Not known"


class ChildAdultRelationship(models.Model):
    """How an adult is connected to a child.

    3.3.18-3.3.19 need both parental responsibility and whether the adult
    lives with the child: one parent's consent is enough, and for separated
    parents the resident parent's is usually sought.
    """

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="relationships")
    adult = models.ForeignKey(Adult, on_delete=models.PROTECT, related_name="relationships")
    relationship = models.CharField("relationship to the child", max_length=32, choices=Relationship.choices)
    relationship_other = models.CharField("describe the relationship", max_length=100, blank=True)
    parental_responsibility = models.CharField(
        "holds parental responsibility", max_length=16, choices=ParentalResponsibility.choices
    )
    lives_with_child = models.BooleanField("lives with the child")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["child", "adult__family_name", "adult__given_name"]
        constraints = [
            models.UniqueConstraint(fields=["child", "adult"], name="relationship_once_per_child_and_adult"),
        ]

    def __str__(self):
        return f"{self.adult}, {self.relationship_display.lower()} of {self.child}"

    @property
    def relationship_display(self) -> str:
        if self.relationship == Relationship.OTHER and self.relationship_other:
            return self.relationship_other
        return self.get_relationship_display()

    @property
    def holds_parental_responsibility(self) -> bool:
        return self.parental_responsibility == ParentalResponsibility.YES

    def clean(self):
        super().clean()
        errors = {}
        if self.relationship == Relationship.OTHER and not self.relationship_other.strip():
            errors["relationship_other"] = "Describe how this adult is related to the child"
        if self.relationship != Relationship.OTHER:
            self.relationship_other = ""
        if self.child_id and self.adult_id and self.child.agency_id != self.adult.agency_id:
            errors["adult"] = "The adult and the child must be recorded by the same agency"
        if errors:
            raise ValidationError(errors)


class Submission(models.Model):
    """A form sent once: a second send of the same form (a double click, a
    resend after a dropped connection) is answered with the first one's result
    instead of recording it twice."""

    key = models.UUIDField(primary_key=True)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    path = models.CharField(max_length=300)
    started_at = models.DateTimeField(auto_now_add=True)
    # Where the first send led; empty while it is being handled.
    result_url = models.CharField(max_length=300, blank=True)

    def __str__(self):
        return f"Submission {self.key}"
