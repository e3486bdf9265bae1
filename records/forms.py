from crispy_forms_gds.layout import Field, Fieldset, Fluid, Layout, Size
from django import forms
from django.core.exceptions import ValidationError

from core.forms import GovukDateField, GovukForm, GovukModelForm
from records import identity
from records.models import (
    Adult,
    Agency,
    Child,
    ChildAdultRelationship,
    ParentalResponsibility,
    Relationship,
    Sex,
    User,
)
from records.roles import Role
from records.services import (
    AdultDetails,
    AgencyDetails,
    ChildDetails,
    PlatformAdminDetails,
    RelationshipDetails,
    StaffDetails,
)


class ChildSearchForm(GovukForm):
    text = forms.CharField(
        label="Name, NHS number or case reference",
        required=False,
        max_length=200,
    )
    date_of_birth = GovukDateField(
        what="date of birth",
        label="Date of birth",
        help_text="Optional. For example, 27 3 2015",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(
            Field.text("text", label_size=Size.SMALL),
            Field("date_of_birth", context={"legend_size": Size.for_legend(Size.SMALL)}),
        )

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not (cleaned.get("text") or "").strip() and not cleaned.get("date_of_birth"):
            raise ValidationError("Enter a name, NHS number, case reference or date of birth")
        return cleaned


class BornChoice:
    YES = "yes"
    NO = "no"
    CHOICES = [(YES, "Yes"), (NO, "No, the child is not yet born")]


class ChildForm(GovukModelForm):
    born = forms.ChoiceField(
        label="Has the child been born?",
        choices=BornChoice.CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": "Select yes if the child has been born"},
    )
    date_of_birth = GovukDateField(what="date of birth", label="Date of birth", help_text="For example, 27 3 2015")
    # Wider than the 10 stored digits: people type "943 476 5919".
    nhs_number = forms.CharField(
        label="NHS number",
        required=False,
        max_length=20,
        help_text="Optional. 10 digits, for example 943 476 5919",
    )
    expected_date_of_birth = GovukDateField(
        what="expected date of birth",
        label="Expected date of birth",
        help_text="Only for a child not yet born. For example, 14 6 2027",
    )

    class Meta:
        model = Child
        fields = [
            "given_name",
            "family_name",
            "other_names",
            "born",
            "date_of_birth",
            "expected_date_of_birth",
            "sex",
            "gender_identity",
            "nhs_number",
            "local_reference",
            "address",
            "postcode",
        ]
        labels = {"given_name": "Given names", "family_name": "Family name"}
        help_texts = {
            "given_name": "Leave blank for an unborn child who has not been named",
            "local_reference": "Optional. Your agency's reference for the child",
        }
        widgets = {
            "sex": forms.RadioSelect,
            "address": forms.Textarea(attrs={"rows": 3}),
        }
        error_messages = {
            "family_name": {"required": "Enter the child's family name"},
        }

    def __init__(self, *args, agency, **kwargs):
        super().__init__(*args, **kwargs)
        self.agency = agency
        self.instance.agency = agency
        self.fields["sex"].choices = Sex.choices
        if self.instance.pk:
            self.initial["born"] = BornChoice.NO if self.instance.is_unborn else BornChoice.YES
        self.helper.layout = Layout(
            Field.text("given_name", field_width=20),
            Field.text("family_name", field_width=20),
            Field.text("other_names"),
            Field.radios("born", legend_size=Size.SMALL),
            Field("date_of_birth", context={"legend_size": Size.for_legend(Size.SMALL)}),
            Field("expected_date_of_birth", context={"legend_size": Size.for_legend(Size.SMALL)}),
            Field.radios("sex", legend_size=Size.SMALL, small=True),
            Field.text("gender_identity", field_width=20),
            Field.text("nhs_number", field_width=10, inputmode="numeric", spellcheck="false"),
            Field.text("local_reference", field_width=20, spellcheck="false"),
            Field.textarea("address", rows=3),
            Field.text("postcode", field_width=10, autocomplete="off"),
        )

    def clean_nhs_number(self):
        value = identity.nhs_number_normalise(self.cleaned_data.get("nhs_number") or "")
        if not value:
            return ""
        problem = identity.nhs_number_problem(value)
        if problem:
            raise ValidationError(problem)
        duplicate = Child.objects.filter(agency=self.agency, nhs_number=value).exclude(pk=self.instance.pk)
        if duplicate.exists():
            raise ValidationError("Your agency has already recorded a child with this NHS number: find them instead")
        return value

    def clean_local_reference(self):
        value = (self.cleaned_data.get("local_reference") or "").strip()
        if value:
            duplicate = Child.objects.filter(agency=self.agency, local_reference__iexact=value).exclude(
                pk=self.instance.pk
            )
            if duplicate.exists():
                raise ValidationError("Your agency has already recorded a child with this case reference")
        return value

    def clean(self):
        cleaned = super().clean()
        born = cleaned.get("born")
        if born == BornChoice.YES:
            cleaned["expected_date_of_birth"] = None
            if not cleaned.get("date_of_birth") and "date_of_birth" not in self.errors:
                self.add_error("date_of_birth", "Enter the date of birth")
        elif born == BornChoice.NO:
            cleaned["date_of_birth"] = None
            if not cleaned.get("expected_date_of_birth") and "expected_date_of_birth" not in self.errors:
                self.add_error("expected_date_of_birth", "Enter the expected date of birth")
        if born == BornChoice.YES and not (cleaned.get("given_name") or "").strip():
            self.add_error("given_name", "Enter the child's given names")
        return cleaned

    def details(self) -> ChildDetails:
        """The cleaned values the child record keeps."""
        return ChildDetails(**{name: self.cleaned_data[name] for name in self._meta.fields if name != "born"})


def _relationship_details(cleaned: dict) -> RelationshipDetails:
    return RelationshipDetails(**{name: cleaned[name] for name in AdultForm.RELATIONSHIP_FIELDS})


def _require_other_relationship_described(form: forms.BaseForm, cleaned: dict) -> None:
    if cleaned.get("relationship") == Relationship.OTHER and not (cleaned.get("relationship_other") or "").strip():
        form.add_error("relationship_other", "Describe how this adult is related to the child")


class AdultForm(GovukModelForm):
    """An adult connected to a child, and how they are connected."""

    date_of_birth = GovukDateField(
        what="date of birth", label="Date of birth", help_text="Optional. For example, 3 9 1988"
    )
    relationship = forms.ChoiceField(
        label="Relationship to the child",
        choices=Relationship.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how this adult is related to the child"},
    )
    relationship_other = forms.CharField(label="If other, describe the relationship", required=False, max_length=100)
    parental_responsibility = forms.ChoiceField(
        label="Does this adult hold parental responsibility for the child?",
        help_text="Consent on a child's behalf is sought from a person with parental responsibility (3.3.18)",
        choices=ParentalResponsibility.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether this adult holds parental responsibility"},
    )
    lives_with_child = forms.TypedChoiceField(
        label="Does this adult live with the child?",
        help_text="For separated parents, the resident parent's consent is usually sought (3.3.19)",
        choices=[("yes", "Yes"), ("no", "No")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether this adult lives with the child"},
    )

    RELATIONSHIP_FIELDS = ("relationship", "relationship_other", "parental_responsibility", "lives_with_child")

    class Meta:
        model = Adult
        fields = ["given_name", "family_name", "other_names", "date_of_birth", "address", "postcode", "phone", "email"]
        labels = {"given_name": "Given names", "family_name": "Family name"}
        widgets = {"address": forms.Textarea(attrs={"rows": 3})}
        error_messages = {
            "given_name": {"required": "Enter the adult's given names"},
            "family_name": {"required": "Enter the adult's family name"},
            "email": {"invalid": "Enter an email address in the correct format, like name@example.com"},
        }

    def __init__(self, *args, link: ChildAdultRelationship | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if link is not None:
            self.initial.update(
                relationship=link.relationship,
                relationship_other=link.relationship_other,
                parental_responsibility=link.parental_responsibility,
                lives_with_child="yes" if link.lives_with_child else "no",
            )
        self.helper.layout = Layout(
            Fieldset(
                Field.text("given_name", field_width=20),
                Field.text("family_name", field_width=20),
                Field.text("other_names"),
                Field("date_of_birth", context={"legend_size": Size.for_legend(Size.SMALL)}),
                legend="About the adult",
                legend_size=Size.MEDIUM,
            ),
            Fieldset(
                Field.radios("relationship", legend_size=Size.SMALL, small=True),
                Field.text("relationship_other", field_width=20),
                Field.radios("parental_responsibility", legend_size=Size.SMALL, small=True),
                Field.radios("lives_with_child", legend_size=Size.SMALL, small=True),
                legend="Connection to the child",
                legend_size=Size.MEDIUM,
            ),
            Fieldset(
                Field.textarea("address", rows=3),
                Field.text("postcode", field_width=10, autocomplete="off"),
                Field.text("phone", field_width=20, autocomplete="off"),
                Field.text("email", autocomplete="off", spellcheck="false"),
                legend="Contact details",
                legend_size=Size.MEDIUM,
            ),
        )

    def clean(self):
        cleaned = super().clean()
        _require_other_relationship_described(self, cleaned)
        return cleaned

    def details(self) -> AdultDetails:
        return AdultDetails(**{name: self.cleaned_data[name] for name in self._meta.fields})

    def relationship_details(self) -> RelationshipDetails:
        return _relationship_details(self.cleaned_data)


class LinkAdultSearchForm(GovukForm):
    name = forms.CharField(
        label="Name of the adult",
        max_length=200,
        error_messages={"required": "Enter the name of the adult to find"},
    )


class LinkAdultForm(GovukForm):
    """Connect an adult the agency already holds (a sibling's parent, say) to this child."""

    adult = forms.ModelChoiceField(
        queryset=Adult.objects.none(),
        label="Which adult?",
        widget=forms.RadioSelect,
        error_messages={"required": "Select the adult to connect", "invalid_choice": "Select one of the adults listed"},
    )
    relationship = AdultForm.base_fields["relationship"]
    relationship_other = AdultForm.base_fields["relationship_other"]
    parental_responsibility = AdultForm.base_fields["parental_responsibility"]
    lives_with_child = AdultForm.base_fields["lives_with_child"]

    def __init__(self, *args, adults, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["adult"].queryset = adults
        self.fields["adult"].label_from_instance = lambda adult: (
            f"{adult.full_name}" + (f", born {adult.date_of_birth:%-d %B %Y}" if adult.date_of_birth else "")
        )
        self.helper.layout = Layout(
            Field.radios("adult", legend_size=Size.SMALL, small=True),
            Field.radios("relationship", legend_size=Size.SMALL, small=True),
            Field.text("relationship_other", field_width=20),
            Field.radios("parental_responsibility", legend_size=Size.SMALL, small=True),
            Field.radios("lives_with_child", legend_size=Size.SMALL, small=True),
        )

    def clean(self):
        cleaned = super().clean()
        _require_other_relationship_described(self, cleaned)
        return cleaned

    def relationship_details(self) -> RelationshipDetails:
        return _relationship_details(self.cleaned_data)


EMAIL_MESSAGES = {
    "required": "Enter the person's email address",
    "invalid": "Enter an email address in the correct format, like name@example.com",
}


class PersonForm(GovukForm):
    """Someone who will sign in: their name, and the address they sign in with, which nobody else uses.
    ``member``: the person being changed (their address is their own), or None for someone new."""

    member: User | None = None

    full_name = forms.CharField(
        label="Full name", max_length=150, error_messages={"required": "Enter the person's full name"}
    )
    email = forms.EmailField(
        label="Email address",
        help_text="They sign in with this. We email it an invitation to choose their own password.",
        max_length=254,
        error_messages=EMAIL_MESSAGES,
    )

    def clean_email(self):
        email = User.objects.normalize_email(self.cleaned_data["email"]).lower()
        if self.member is None and User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError("Someone already signs in with this email address")
        return email


class StaffForm(PersonForm):
    """A member of staff, as an agency administrator adds or changes them."""

    role = forms.ChoiceField(
        label="Role",
        choices=Role.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select a role", "invalid_choice": "Select a role"},
    )
    job_title = forms.CharField(label="Job title", max_length=150, required=False)
    is_lead_information_officer = forms.BooleanField(
        label="Lead information officer",
        # 3.2.4; the paragraph in the hint, where it is a link, not in the label the click is meant for.
        help_text="Decides controversial sharing questions (3.2.4)",
        required=False,
    )
    is_caldicott_guardian = forms.BooleanField(
        label="Caldicott Guardian: advises on confidential patient information", required=False
    )
    is_active = forms.TypedChoiceField(
        label="Can they sign in?",
        choices=[("yes", "Yes"), ("no", "No: deactivate their account and sign them out everywhere")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether they can sign in", "invalid_choice": "Select yes or no"},
    )

    def __init__(self, *args, member: User | None = None, acting: User, **kwargs):
        self.member = member
        self.acting = acting
        if member is not None:
            membership = member.membership
            kwargs.setdefault(
                "initial",
                {
                    "full_name": member.full_name,
                    "email": member.email,
                    "role": membership.role if membership else "",
                    "job_title": membership.job_title if membership else "",
                    "is_lead_information_officer": bool(membership and membership.is_lead_information_officer),
                    "is_caldicott_guardian": bool(membership and membership.is_caldicott_guardian),
                    "is_active": "yes" if member.is_active else "no",
                },
            )
        super().__init__(*args, **kwargs)
        if member is None:
            del self.fields["is_active"]
        else:
            # The sign-in name stays as it is: the history of who did what is kept against it.
            self.fields["email"].disabled = True
        self.helper.layout = Layout(
            Field.text("full_name"),
            Field.text("email", field_width=Fluid.TWO_THIRDS),
            Field.radios("role", legend_size=Size.SMALL),
            Field.text("job_title"),
            Field.checkbox("is_lead_information_officer"),
            Field.checkbox("is_caldicott_guardian"),
            *([] if member is None else [Field.radios("is_active", legend_size=Size.SMALL)]),
        )

    def clean(self):
        cleaned = super().clean()
        if self.member is not None and self.member.pk == self.acting.pk:
            # Nobody locks themselves out of managing staff.
            if cleaned.get("is_active") is False:
                self.add_error("is_active", "You cannot deactivate your own account")
            if cleaned.get("role") and cleaned["role"] != Role.AGENCY_ADMIN:
                self.add_error("role", "You cannot change your own role: ask another administrator")
        return cleaned

    def details(self) -> StaffDetails:
        """The name, role and flags; whether they can sign in only when changing someone (None: as it is)."""
        cleaned = self.cleaned_data
        return StaffDetails(
            full_name=cleaned["full_name"],
            role=Role(cleaned["role"]),
            job_title=cleaned["job_title"],
            is_lead_information_officer=cleaned["is_lead_information_officer"],
            is_caldicott_guardian=cleaned["is_caldicott_guardian"],
            is_active=cleaned.get("is_active"),
        )


class AgencyForm(GovukForm):
    """An agency, as a platform administrator sets it up or changes it."""

    name = forms.CharField(
        label="Name of the agency", max_length=200, error_messages={"required": "Enter the name of the agency"}
    )
    kind = forms.ChoiceField(
        label="What kind of agency is it?",
        choices=Agency.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what kind of agency it is", "invalid_choice": "Select a kind of agency"},
    )
    address = forms.CharField(
        label="Address", required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 4})
    )
    phone = forms.CharField(label="Telephone", required=False, max_length=40)
    email = forms.EmailField(
        label="Secure email address",
        help_text="Where other agencies send requests for information.",
        required=False,
        max_length=254,
        error_messages={"invalid": "Enter an email address in the correct format, like name@example.com"},
    )
    is_active = forms.TypedChoiceField(
        label="Is the agency active?",
        choices=[("yes", "Yes"), ("no", "No: its staff can no longer open case records")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether the agency is active", "invalid_choice": "Select yes or no"},
    )

    def __init__(self, *args, agency: Agency | None = None, **kwargs):
        self.agency = agency
        if agency is not None:
            kwargs.setdefault(
                "initial",
                {
                    "name": agency.name,
                    "kind": agency.kind,
                    "address": agency.address,
                    "phone": agency.phone,
                    "email": agency.email,
                    "is_active": "yes" if agency.is_active else "no",
                },
            )
        super().__init__(*args, **kwargs)
        if agency is None:
            del self.fields["is_active"]
        self.helper.layout = Layout(
            Field.text("name", field_width=Fluid.TWO_THIRDS),
            Field.radios("kind", legend_size=Size.SMALL),
            Field.textarea("address"),
            Field.text("phone", field_width=Fluid.ONE_THIRD),
            Field.text("email", field_width=Fluid.TWO_THIRDS),
            *([] if agency is None else [Field.radios("is_active", legend_size=Size.SMALL)]),
        )

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        others = Agency.objects.filter(name__iexact=name)
        if self.agency is not None:
            others = others.exclude(pk=self.agency.pk)
        if others.exists():
            raise forms.ValidationError("There is already an agency with this name")
        return name

    def clean_email(self):
        return self.cleaned_data["email"].lower()

    def details(self) -> AgencyDetails:
        cleaned = self.cleaned_data
        return AgencyDetails(
            name=cleaned["name"],
            kind=cleaned["kind"],
            address=cleaned["address"],
            phone=cleaned["phone"].strip(),
            email=cleaned["email"],
            is_active=cleaned.get("is_active", True),
        )


class PlatformAdminForm(PersonForm):
    """A new administrator (of the platform, or an agency's first): a name and an email address, never a
    password (ASVS 6.4.1)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(Field.text("full_name"), Field.text("email", field_width=Fluid.TWO_THIRDS))

    def details(self) -> PlatformAdminDetails:
        return PlatformAdminDetails(full_name=self.cleaned_data["full_name"].strip(), email=self.cleaned_data["email"])
