"""The forms of a subject access request: recording it, extending it, redacting words, approving the release."""

from __future__ import annotations

from crispy_forms_gds.layout import Field, Layout, Size
from django import forms
from django.utils import timezone

from core.forms import GovukDateField, GovukForm, choice_field, text_area
from subject_access import deadlines, redaction
from subject_access.models import REASON_LAW, Reason, Requester
from subject_access.services import RequestDetails

# A request recorded long after it arrived would already be overdue many times over: a date this old is a typo.
OLDEST_RECEIPT_DAYS = 366


class RequestForm(GovukForm):
    requester_is = choice_field("Who is asking?", Requester.choices, "Select who is asking for the information")
    requester_name = forms.CharField(
        label="Their name",
        max_length=200,
        error_messages={
            "required": "Enter the name of the person asking",
            "max_length": "Keep the name under 200 characters",
        },
    )
    identity_checked = text_area(
        "How did you check who they are?",
        help_text="What you saw or asked, and, for someone asking for another person, how you checked their "
        "authority (parental responsibility, a signed letter of authority). Ask for no more than you need.",
        message="Say how you checked who is asking",
    )
    received_on = GovukDateField(
        what="date the request was received",
        label="When was the request received?",
        help_text="The day it arrived, or the day you had what you needed to confirm who is asking. "
        "It must be answered within a calendar month of it.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(
            Field.radios("requester_is", legend_size=Size.MEDIUM),
            Field.text("requester_name", field_width=20),
            Field.textarea("identity_checked"),
            Field("received_on"),
        )

    def clean(self):
        cleaned = super().clean()
        self.require(cleaned, "received_on", "Enter the date the request was received")
        received = cleaned.get("received_on")
        today = timezone.localdate()
        if received and received > today:
            self.add_error("received_on", "The date the request was received must be today or in the past")
        elif received and (today - received).days > OLDEST_RECEIPT_DAYS:
            self.add_error("received_on", "The date the request was received must be within the last year")
        return cleaned

    def details(self) -> RequestDetails:
        return RequestDetails(**{name: self.cleaned_data[name] for name in self.fields})


class ExtendForm(GovukForm):
    months = forms.TypedChoiceField(
        label="Extend by how long?",
        choices=[("1", "One further month"), ("2", "Two further months")],
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how long to extend by", "invalid_choice": "Select how long to extend by"},
    )
    reason = text_area(
        "Why is more time needed?",
        help_text="Only a complex request, or many requests from the same person, allow more time (UK GDPR "
        "article 12(3)). Tell the person within the first month, with this reason.",
        message="Say why more time is needed",
    )

    def __init__(self, *args, received_on, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["months"].choices = [
            (str(months), f"{label}: answer by {deadlines.due_on(received_on, months):%-d %B %Y}")
            for months, label in ((1, "One further month"), (2, "Two further months"))
        ]
        self.helper.layout = Layout(Field.radios("months", legend_size=Size.MEDIUM), Field.textarea("reason"))


REASON_CHOICES = [(reason.value, f"{reason.label} ({REASON_LAW[reason]})") for reason in Reason]


CHOOSE_A_PART = "Choose the part of the record to redact words from"


class RedactionForm(GovukForm):
    """Words to take out of one piece of a record (its number comes from the page's address and is sent back)."""

    # The part chosen by its link (a hidden field: a problem with it is the form's, not a field's to fix).
    piece = forms.CharField(widget=forms.HiddenInput, required=False)
    words = text_area(
        "Words to redact",
        help_text="Copy them exactly as they are shown in this part of the record. Every place they appear in "
        "it is redacted.",
        message="Enter the words to redact",
    )
    reason = choice_field("Why are they withheld?", REASON_CHOICES, "Select why the words are withheld")
    reason_detail = text_area("Which exemption, and why it applies", required=False)
    everywhere = forms.BooleanField(
        label="Redact these words wherever else they appear in the records of this request, for the same reason",
        required=False,
    )

    def __init__(self, *args, pieces: list[redaction.Piece], **kwargs):
        super().__init__(*args, **kwargs)
        self.pieces = {piece.number: piece for piece in pieces}
        self.fields["words"].widget.attrs["rows"] = 2
        self.helper.layout = Layout(
            "piece",
            Field.textarea("words"),
            Field.radios("reason", legend_size=Size.SMALL),
            Field.textarea("reason_detail"),
            Field.checkbox("everywhere"),
        )

    def clean(self):
        cleaned = super().clean()
        number = (cleaned.get("piece") or "").strip()
        piece = self.pieces.get(int(number)) if number.isascii() and number.isdigit() else None
        if piece is None:
            self.add_error(None, CHOOSE_A_PART)
            return cleaned
        self.piece = piece
        words = " ".join((cleaned.get("words") or "").split())
        if words and not redaction.occurs_in(words, piece.text):
            self.add_error("words", "These words are not in this part of the record: copy them as they are shown")
        cleaned["words"] = words
        if cleaned.get("reason") == Reason.OTHER:
            self.require(cleaned, "reason_detail", "Say which exemption applies, and why")
        return cleaned


class ApproveForm(GovukForm):
    confirmed = forms.BooleanField(
        label="I have read the records as they will be released, and I approve the redactions and the release",
        error_messages={"required": "Confirm that you have read the records as they will be released"},
    )
