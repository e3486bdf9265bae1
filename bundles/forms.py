"""What the person making a bundle chooses: the period, the kinds of record, for whom and why."""

from __future__ import annotations

from crispy_forms_gds.layout import Field, Layout
from django import forms

from bundles.models import Kind, Purpose
from bundles.services import BundleChoices
from core.forms import GovukDateField, GovukForm, choice_field, text_area


class BundleForm(GovukForm):
    purpose = choice_field("What is the bundle for?", Purpose.choices, "Select what the bundle is for")
    recipient = forms.CharField(
        label="Who is it for?",
        help_text="The court, conference or person it will be given to, and any case number",
        max_length=300,
        error_messages={"required": "Enter who the bundle is for", "max_length": "Keep this under 300 characters"},
    )
    reason = text_area(
        "Why is it needed?",
        "What was asked for, by whom, and why these records (3.7.9: records kept so decisions can be explained)",
        message="Enter why the bundle is needed",
    )
    period_start = GovukDateField(
        what="first day",
        label="First day of the period",
        help_text="Leave blank to start from the first record. For example, 1 9 2026",
    )
    period_end = GovukDateField(
        what="last day", label="Last day of the period", help_text="Leave blank to include everything up to today"
    )
    kinds = forms.MultipleChoiceField(
        label="Which records should it hold?",
        help_text="Each record is printed in full, with its place in the log",
        choices=Kind.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Select at least one kind of record",
            "invalid_choice": "Select kinds of record from the list",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("kinds", [kind.value for kind in Kind])
        self.helper.layout = Layout(
            Field.radios("purpose", small=True),
            Field.text("recipient"),
            Field.textarea("reason"),
            Field("period_start"),
            Field("period_end"),
            Field.checkboxes("kinds", small=True),
        )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("period_start"), cleaned.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", "The last day must be the same as or after the first day")
        return cleaned

    def choices(self) -> BundleChoices:
        cleaned = self.cleaned_data
        return BundleChoices(
            purpose=Purpose(cleaned["purpose"]),
            recipient=cleaned["recipient"].strip(),
            reason=cleaned["reason"].strip(),
            period_start=cleaned.get("period_start"),
            period_end=cleaned.get("period_end"),
            kinds=tuple(kind for kind in Kind if kind.value in cleaned["kinds"]),
        )
