"""The GOV.UK form kit every app's forms are built from.

Base forms that leave the ``<form>`` tag and the error summary to the page
template, a day-month-year date field, a 24-hour clock time, and the few
field makers (yes/no, text area, radios) whose messages say what to fix, as
the GOV.UK Design System asks.
"""

import re
from collections.abc import Iterable
from datetime import date, datetime

from crispy_forms_gds.choices import Choice
from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.helper import FormHelper
from django import forms
from django.core.exceptions import ValidationError

YES_NO = [("yes", "Yes"), ("no", "No")]

# A label that ends by citing the guidance: "Caldicott Guardian (3.5.17)", "Sent securely (3.7.6 to 3.7.8)".
_CITING_LABEL = re.compile(r"^(?P<label>.*?)\s*\((?P<paragraphs>3\.\d[\d.,\s\-–to and]*)\)$", re.DOTALL)


def label_and_paragraphs(label: str) -> tuple[str, str]:
    """``label`` without the paragraphs it ends by citing, and those paragraphs ("" when it cites none)."""
    citing = _CITING_LABEL.match(str(label))
    if citing is None:
        return str(label), ""
    return citing["label"], citing["paragraphs"].strip()


def paragraphs_as_hints(choices: Iterable[tuple[str, str]]) -> list[Choice]:
    """``choices`` whose labels cite the guidance, with the paragraphs moved to the choice's hint.

    A link inside a label would take the click meant for the radio or checkbox, so a choice's label
    never cites the guidance; its hint does, and every hint links the paragraphs it cites
    (``core/templatetags/govuk_fields.py``). Records keep the wording the choices
    had when they were recorded: only what the page offers changes here."""
    offered = []
    for value, label in choices:
        text, paragraphs = label_and_paragraphs(label)
        offered.append(Choice(value, text, hint=paragraphs) if paragraphs else Choice(value, text))
    return offered


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
        except (ValueError, OverflowError) as error:
            raise ValidationError(f"The {self.what} must be a real date") from error


def clean_clock_time(value: str) -> str:
    """A time typed on the 24-hour clock ("14:30", "14.30"), as "HH:MM"."""
    value = (value or "").strip().replace(".", ":")
    try:
        return datetime.strptime(value, "%H:%M").strftime("%H:%M")
    except ValueError as error:
        raise ValidationError("Enter the time in the 24-hour clock, like 14:30") from error


def yes_no_field(label: str, help_text: str = "", message: str = "") -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        help_text=help_text,
        choices=YES_NO,
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={
            "required": message or f"Select yes or no: {label[0].lower()}{label[1:]}",
            "invalid_choice": message or "Select yes or no",
        },
    )


def text_area(label: str, help_text: str = "", required: bool = True, message: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=required,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": message or "Enter an answer", "max_length": "Keep this under 5000 characters"},
    )


def choice_field(label: str, choices, message: str, help_text: str = "", required: bool = True):
    return forms.ChoiceField(
        label=label,
        help_text=help_text,
        choices=list(choices),
        widget=forms.RadioSelect,
        required=required,
        error_messages={"required": message, "invalid_choice": message},
    )


class PlainLineEndingsMixin:
    """Browsers send text areas with CRLF line endings; keep LF, as everything else does.

    Otherwise saving an untouched address would store a different value, and
    the change history would show a change nobody made.
    """

    def _clean_fields(self):
        super()._clean_fields()
        for name, value in self.cleaned_data.items():
            if isinstance(value, str) and "\r" in value:
                self.cleaned_data[name] = value.replace("\r\n", "\n").replace("\r", "\n")


class GovukFormMixin(PlainLineEndingsMixin):
    """The page template draws the <form> and the error summary; ``require`` asks for an answer
    that only some other answer makes necessary."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False

    def require(self, cleaned: dict, name: str, message: str) -> None:
        """``message`` on ``name`` if it was left blank (and has no error already)."""
        value = cleaned.get(name)
        blank = value in (None, "", []) or (isinstance(value, str) and not value.strip())
        if blank and name not in self.errors:
            self.add_error(name, message)


class GovukForm(GovukFormMixin, forms.Form):
    """Base for forms here."""


class GovukModelForm(GovukFormMixin, forms.ModelForm):
    """Base for forms here that edit one model instance."""
