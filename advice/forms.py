from __future__ import annotations

from collections.abc import Mapping

from crispy_forms_gds.choices import Choice as RadioChoice
from crispy_forms_gds.layout import Field, Layout, Size

from advice import advisers
from advice.services import Asking
from core.forms import GovukForm, choice_field, text_area


def _choice_label(choice: advisers.Choice, agency_name: str) -> tuple[str, str]:
    """The choice as the practitioner reads it, and a hint: who would read the request."""
    names = " or ".join(reader.name for reader in choice.readers)
    if choice.asked_of == advisers.AskedOf.NAMED_LEAD:
        lead = choice.adviser
        return lead.name, lead.job_title or "Safeguarding lead"
    if choice.asked_of == advisers.AskedOf.ANY_LEAD:
        return f"Any safeguarding lead of {agency_name}", f"Whoever answers first: {names}"
    return advisers.ASKED_OF_LABELS[choice.asked_of], names


class AskForm(GovukForm):
    """A request for advice about a draft decision: the question, to whom, how urgent."""

    question = text_area(
        "What do you want advice about?",
        "Say what you are unsure about. Whoever you ask reads the draft decision as it stands when they answer.",
        message="Enter what you want advice about",
    )
    to = choice_field("Who do you want advice from?", [], "Select who you want advice from")
    urgency = choice_field("How urgent is it?", [], "Select how urgent it is")

    def __init__(
        self,
        *args,
        choices: list[advisers.Choice],
        agency_name: str,
        within_hours: Mapping[advisers.Urgency, int],
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.fields["to"].choices = [
            RadioChoice(choice.value, label, hint=hint)
            for choice in choices
            for label, hint in [_choice_label(choice, agency_name)]
        ]
        self.fields["urgency"].choices = [
            RadioChoice(
                advisers.Urgency.URGENT,
                f"Urgent: an answer within {within_hours[advisers.Urgency.URGENT]} hours",
                hint="A child may be at risk of harm while you wait",
            ),
            RadioChoice(
                advisers.Urgency.ROUTINE,
                f"Not urgent: an answer within {within_hours[advisers.Urgency.ROUTINE]} hours",
            ),
        ]
        self.helper.layout = Layout(
            Field.textarea("question"),
            Field.radios("to", legend_size=Size.MEDIUM, small=True),
            Field.radios("urgency", legend_size=Size.MEDIUM, small=True),
        )

    def asking(self) -> Asking:
        data = self.cleaned_data
        return Asking(question=data["question"], to=data["to"], urgency=advisers.Urgency(data["urgency"]))


class AnswerForm(GovukForm):
    advice = text_area(
        "Your advice",
        "It is kept with the draft and, once the decision is recorded, with the decision. It cannot be changed "
        "afterwards.",
        message="Enter your advice",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(Field.textarea("advice", label_size=Size.MEDIUM))
