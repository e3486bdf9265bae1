from crispy_forms_gds.layout import Field, Layout, Size
from django import forms

from core.forms import GovukForm
from notifications.models import Frequency


class PreferenceForm(GovukForm):
    frequency = forms.TypedChoiceField(
        label="How do you want to be told by email?",
        help_text="Emails say only what kind of thing is waiting, with a link: never who or what it is about.",
        choices=Frequency.choices,
        coerce=Frequency,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select how you want to be told",
            "invalid_choice": "Select how you want to be told",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(Field.radios("frequency", legend_size=Size.LARGE, legend_tag="h1"))
