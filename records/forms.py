from datetime import date, datetime, time

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Fieldset, Layout, Size
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from records import identity
from records.models import Adult, Child, ChildAdultRelationship, ParentalResponsibility, Relationship, Sex


class GovukDateField(DateInputField):
    """A day-month-year date input with messages that say what to fix."""

    def __init__(self, *, what: str, **kwargs):
        self.what = what
        kwargs.setdefault("required", False)
        kwargs.setdefault("require_all_fields", False)
        super().__init__(**kwargs)
        self.error_messages["required"] = f"Enter the {what}"
        day, month, year = self.fields
        day.error_messages["incomplete"] = f"The {what} must include a day"
        month.error_messages["incomplete"] = f"The {what} must include a month"
        year.error_messages["incomplete"] = f"The {what} must include a year"

    def compress(self, data_list):
        day, month, year = data_list
        if not (day and month and year):
            return None
        if len(str(year)) != 4:
            raise ValidationError(f"The year of the {self.what} must include 4 numbers")
        try:
            return date(day=int(day), month=int(month), year=int(year))
        except ValueError as error:
            raise ValidationError(f"The {self.what} must be a real date") from error


def clean_clock_time(value: str) -> str:
    """A time typed on the 24-hour clock ("14:30", "14.30"), as "HH:MM"."""
    value = (value or "").strip().replace(".", ":")
    try:
        return datetime.strptime(value, "%H:%M").strftime("%H:%M")
    except ValueError as error:
        raise ValidationError("Enter the time in the 24-hour clock, like 14:30") from error


def local_datetime(day: date | str, clock: str) -> datetime:
    """A date and an "HH:MM" clock time, in the service's time zone."""
    if isinstance(day, str):
        day = date.fromisoformat(day)
    hours, minutes = (int(part) for part in clock.split(":"))
    return timezone.make_aware(datetime.combine(day, time(hours, minutes)))


class GovukForm(forms.Form):
    """Base for forms here: the page template draws the <form> and the error summary."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


class GovukModelForm(forms.ModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


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

    def details(self) -> dict:
        """The cleaned values the child record keeps."""
        return {name: self.cleaned_data[name] for name in self._meta.fields if name != "born"}


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

    def details(self) -> dict:
        return {name: self.cleaned_data[name] for name in self._meta.fields}

    def relationship_details(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.RELATIONSHIP_FIELDS}


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

    def relationship_details(self) -> dict:
        return {name: self.cleaned_data[name] for name in AdultForm.RELATIONSHIP_FIELDS}
