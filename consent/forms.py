from __future__ import annotations

from dataclasses import fields
from datetime import date

from crispy_forms_gds.layout import HTML, Div, Field, Fieldset, Layout, Size
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone

from consent import capacity, pages
from consent.models import ConsentRecord
from consent.services import ConsentDetails, WithdrawalDetails
from core.forms import GovukDateField, GovukForm
from records import identity
from records.models import Agency, ChildAdultRelationship

# Signed consent forms: checked by their first bytes, not by their name.
SIGNATURES = {b"%PDF-": "application/pdf", b"\x89PNG\r\n\x1a\n": "image/png", b"\xff\xd8\xff": "image/jpeg"}


def sniff_type(upload) -> str | None:
    head = upload.read(16)
    upload.seek(0)
    for signature, content_type in SIGNATURES.items():
        if head.startswith(signature):
            return content_type
    return None


def signed_form_too_large() -> str:
    return f"The signed consent form must be smaller than {settings.CONSENT_FORM_MAX_BYTES // (1024 * 1024)} MB"


def _message(finding: capacity.Finding) -> str:
    """A finding as a GOV.UK error message: what to do, in plain words, with no full stop. The paragraph it comes
    from is cited by the field's hint and the page's guidance, where it is a link, not in the message."""
    return finding.text.rstrip(".")


# What the assessment of a child's understanding is, before its criteria (3.3.16-3.3.17). A crispy HTML
# block is a template: the paragraph numbers link to the guidance as every hint's do.
COMPETENCE_ASSESSMENT = (
    "{% load guidance %}{% filter guidance_links %}"
    '<p class="govuk-body">A child under 16 can give or refuse consent themself if they understand enough to '
    "decide. Assess this child, on this occasion, against the criteria of 3.3.17: explain the issues in a way "
    "suited to their age, language and likely understanding, in their preferred way of communicating (3.3.16), "
    "then tick each criterion they met.</p>"
    "{% endfilter %}"
)


def _yes_no(label: str, message: str, help_text: str = "") -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        help_text=help_text,
        choices=[("yes", "Yes"), ("no", "No")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        required=False,
        empty_value=None,
        error_messages={"required": message, "invalid_choice": message},
    )


class ConsentRecordForm(GovukForm):
    """Consent given or refused, with who could give it and what it covers."""

    about = forms.ChoiceField(
        label="Whose information is this consent about?",
        widget=forms.RadioSelect,
        error_messages={"required": "Select whose information this consent is about"},
    )
    responder = forms.ChoiceField(
        label="Who gave or refused consent?",
        help_text="To record an adult not listed, add them to the child's record first",
        widget=forms.RadioSelect,
        error_messages={"required": "Select who gave or refused consent"},
    )
    response = forms.ChoiceField(
        label="What was their answer?",
        choices=[
            (capacity.Response.GIVEN.value, "Consent given"),
            (capacity.Response.REFUSED.value, "Consent refused"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether consent was given or refused"},
    )
    explicitness = forms.ChoiceField(
        label="Was it explicit or implied?",
        help_text="3.3.12 to 3.3.13",
        choices=ConsentRecord.Explicitness.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether consent was explicit or implied"},
    )
    form = forms.ChoiceField(
        label="If explicit, was it written or verbal?",
        choices=ConsentRecord.Form.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    how_signalled = forms.CharField(
        label="How was it given or refused?",
        help_text="For verbal consent, the details for the case notes (3.3.12); for implied consent, how it was "
        "signalled (3.3.13); for a refusal, what the person said or did, in their words (3.7.9)",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        error_messages={"required": "Describe how consent was given or refused"},
    )
    responded_on = GovukDateField(what="date of the answer", label="When?", help_text="For example, 17 11 2026")
    signed_form = forms.FileField(
        label="Signed consent form (optional)",
        help_text="A PDF, PNG or JPEG of the signed form, up to 5 MB",
        required=False,
    )

    child_competent = _yes_no(
        "Was the child judged to have sufficient understanding to consent or refuse?",
        "Select whether the child was judged competent",
        # 3.3.16-3.3.18: who is presumed to understand, and who answers when the child cannot.
        help_text="Your judgement of this child, on this occasion, from the criteria above (3.3.17). Children of 12 "
        "or over can generally be expected to understand enough; younger children may too (3.3.16). If the child "
        "cannot decide, ask a person with parental responsibility instead (3.3.18)",
    )
    assessed_by = forms.CharField(label="Who assessed it?", required=False, max_length=200)
    assessed_on = GovukDateField(what="date of the assessment", label="When was it assessed?")
    explained_how = forms.CharField(
        label="How was it explained to the child?",
        help_text="In a way suited to their age, language and likely understanding (3.3.16)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
    )
    language = forms.CharField(label="Language used", required=False, max_length=100)
    communication = forms.CharField(label="Preferred mode of communication", required=False, max_length=200)
    assessment_notes = forms.CharField(
        label="Notes on the assessment",
        help_text="If the child was judged competent although a criterion above was not met, say why (3.3.17)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
    )

    family_conflict = forms.BooleanField(
        label="Family members are in conflict about consent", required=False, help_text="3.3.19"
    )
    conflict_advice = forms.CharField(
        label="Advice taken on whose consent to seek",
        help_text="From your agency's information lead and child protection adviser: who, and what they advised",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
    )
    non_resident_reason = forms.CharField(
        label="The child does not live with this parent: why were they asked?",
        help_text="For separated parents, the resident parent's consent would usually be sought (3.3.19)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=5000,
    )

    # 3.3.28: what the person was asked to agree to, worded for a consent given and a refusal alike.
    scope_information = forms.CharField(
        label="What information was the person asked to agree to share?",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        error_messages={"required": "Enter what information the person was asked to agree to share"},
    )
    scope_purposes = forms.CharField(
        label="For what purposes?",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        error_messages={"required": "Enter the purposes the person was told the information is for"},
    )
    scope_recipient_kinds = forms.MultipleChoiceField(
        label="With which kinds of agency?",
        choices=Agency.Kind.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select the kinds of agency the information would be shared with"},
    )
    scope_recipients = forms.CharField(
        label="Who, by name or team, if the person was told",
        required=False,
        max_length=1000,
    )
    scope_recipient_use = forms.CharField(
        label="What would the recipients use it for?",
        help_text="Including, where it applies, the detection of crime (3.3.28)",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=5000,
        error_messages={"required": "Enter what the recipients would use the information for"},
    )
    told_can_withdraw = _yes_no(
        "Was the person told they can withdraw consent at any time?",
        "Select whether the person was told they can withdraw consent",
    )
    review_on = GovukDateField(
        what="review date",
        label="When should this consent be reviewed?",
        help_text="Consent should be reviewed and renewed where needed (3.3.21). For example, 17 11 2027",
    )

    def __init__(
        self,
        *args,
        child,
        relationships: list[ChildAdultRelationship],
        about_adult_ids=None,
        page: str | None = None,
        answered_by: str | None = None,
        **kwargs,
    ):
        """``page``: the one page of consent.pages shown (errors on the other pages' fields are not its own);
        ``answered_by``: who answered, as chosen on an earlier page (the responder's key)."""
        super().__init__(*args, **kwargs)
        self.child = child
        self.answered_by = answered_by or (self.data.get("responder") if self.is_bound else None)
        self.links = {str(link.adult_id): link for link in relationships}
        # A file over the limit is refused as soon as it is chosen, never sent (static/js/file-size.js);
        # sent anyway, it is refused while it arrives (consent/uploads.py) and by clean_signed_form.
        self.fields["signed_form"].widget.attrs.update(
            {"data-app-max-bytes": settings.CONSENT_FORM_MAX_BYTES, "data-app-too-large": signed_form_too_large()}
        )
        # From a decision, only the people that decision is about.
        adults = [
            (key, f"{link.adult.full_name} ({link.relationship_display.lower()})")
            for key, link in self.links.items()
            if about_adult_ids is None or link.adult_id in about_adult_ids
        ]
        self.fields["about"].choices = [("child", f"The child, {child.full_name}"), *adults]
        responders = [("child", "The child themself")]
        for key, link in self.links.items():
            responsibility = {"yes": "parental responsibility", "no": "no parental responsibility"}.get(
                link.parental_responsibility, "parental responsibility not known"
            )
            lives = "lives with the child" if link.lives_with_child else "does not live with the child"
            responders.append(
                (key, f"{link.adult.full_name}, {link.relationship_display.lower()} ({responsibility}, {lives})")
            )
        self.fields["responder"].choices = responders
        self.criteria = list(capacity.COMPETENCE_CRITERIA)
        for key, wording in capacity.COMPETENCE_CRITERIA.items():
            self.fields[f"criterion_{key}"] = forms.BooleanField(label=wording, required=False)
        self.initial.setdefault("responded_on", timezone.localdate())
        self.helper.form_tag = False
        self.page = page
        if page is not None:
            self.helper.layout = Layout(*self._page_layout(page))

    def _page_layout(self, page: str) -> list:
        """What one page of recording a consent asks (consent.pages): one thing a page."""
        if page == "about":
            return [Field.radios("about", legend_size=Size.LARGE, legend_tag="h1")]
        if page == "responder":
            return [Field.radios("responder", legend_size=Size.LARGE, legend_tag="h1")]
        if page == "answer":
            return [Field.radios("response", legend_size=Size.MEDIUM), Field("responded_on")]
        if page == "how":
            # Written or verbal is asked of explicit consent only (3.3.12): shown once "Explicit" is chosen.
            return [
                Field.radios("explicitness"),
                Div(Field.radios("form"), data_app_shown_for="explicitness:explicit"),
                Field.textarea("how_signalled"),
            ]
        if page == "understanding":
            # 3.3.15-3.3.17: asked when the child answered, and only then (consent.pages).
            return [
                *self._understanding_note(),
                HTML(COMPETENCE_ASSESSMENT),
                Fieldset(
                    *[Field.checkbox(f"criterion_{key}", small=True) for key in self.criteria],
                    legend="The criteria of 3.3.17 the child met",
                    legend_size=Size.SMALL,
                ),
                Field.radios("child_competent", inline=True),
                Field.text("assessed_by", field_width=20),
                Field("assessed_on"),
                Field.textarea("explained_how"),
                Field.text("language", field_width=20),
                Field.text("communication", field_width=20),
                Field.textarea("assessment_notes"),
            ]
        if page == "parental-responsibility":
            # 3.3.18-3.3.19: asked when an adult answered for the child, and only then (consent.pages).
            parts = [Field.checkbox("family_conflict", small=True), Field.textarea("conflict_advice")]
            link = self.links.get(self.answered_by or "")
            if link is not None and capacity.asks_why_this_parent(lives_with_child=link.lives_with_child):
                parts.append(Field.textarea("non_resident_reason"))
            return parts
        if page == "scope":
            return [
                Field.textarea("scope_information"),
                Field.textarea("scope_purposes"),
                Field.checkboxes("scope_recipient_kinds", small=True),
                Field.text("scope_recipients"),
                Field.textarea("scope_recipient_use"),
            ]
        if page == "limits":
            return [Field.radios("told_can_withdraw", inline=True), Field("review_on")]
        return [Field("signed_form")]

    def _understanding_note(self) -> list:
        """For a young person of 16 or 17, that their understanding need not be assessed (3.3.15)."""
        age = self.child_age(timezone.localdate())
        if capacity.assessment_needed(age):
            return []
        return [
            HTML(
                "{% load guidance %}{% filter guidance_links %}"
                f'<p class="govuk-inset-text">The child is {int(age)}: a young person of 16 or 17 may give or refuse '
                "consent themself (3.3.15), so their understanding need not be assessed. Leave this section blank "
                "unless you judged they could not decide for themself (3.3.18).</p>"
                "{% endfilter %}"
            )
        ]

    def full_clean(self):
        super().full_clean()
        if self.page is not None and self.is_bound:
            # One page's errors: the other pages' fields are asked (and checked) where they are shown.
            shown = set(pages.BY_SLUG[self.page].fields)
            for name in [name for name in self._errors if name not in shown]:
                del self._errors[name]

    def clean_signed_form(self):
        upload = self.cleaned_data.get("signed_form")
        if not upload:
            return None
        if upload.size > settings.CONSENT_FORM_MAX_BYTES:
            raise ValidationError(signed_form_too_large())
        if upload.size == 0:
            raise ValidationError("The selected file is empty")
        self.signed_form_type = sniff_type(upload)
        if self.signed_form_type is None:
            raise ValidationError("The signed consent form must be a PDF, PNG or JPEG")
        return upload

    def clean(self):
        cleaned = super().clean()
        self._clean_how_and_when(cleaned)
        self._clean_withdrawal_and_review(cleaned)
        assessment = {key: bool(cleaned.pop(f"criterion_{key}", False)) for key in self.criteria}
        if cleaned.get("responder") == "child":
            self._clean_child_answer(cleaned, assessment)
        else:
            self._clean_adult_answer(cleaned)
        if not cleaned.get("family_conflict"):
            cleaned["conflict_advice"] = ""
        return cleaned

    def _clean_how_and_when(self, cleaned: dict) -> None:
        if cleaned.get("explicitness") == ConsentRecord.Explicitness.EXPLICIT:
            self.require(cleaned, "form", "Select whether consent was written or verbal")
        else:
            cleaned["form"] = ""
        self.require(cleaned, "responded_on", "Enter the date of the answer")
        today = timezone.localdate()
        for name in ("responded_on", "assessed_on"):
            if cleaned.get(name) and cleaned[name] > today:
                self.add_error(name, "The date must be today or in the past")

    def _clean_withdrawal_and_review(self, cleaned: dict) -> None:
        if not capacity.asks_about_withdrawal_and_review(cleaned.get("response")):
            # A refusal: nothing to withdraw or review (3.3.21-3.3.22). What was typed stays on the page.
            cleaned["told_can_withdraw"] = None
            cleaned["review_on"] = None
            return
        review_on = cleaned.get("review_on")
        self.require(cleaned, "told_can_withdraw", "Select whether the person was told they can withdraw consent")
        self.require(cleaned, "review_on", "Enter when this consent should be reviewed")
        if review_on and cleaned.get("responded_on") and review_on <= cleaned["responded_on"]:
            self.add_error("review_on", "The review date must be after the date of the answer")

    def _clean_child_answer(self, cleaned: dict, assessment: dict[str, bool]) -> None:
        """The child answered: their understanding, as 3.3.15-3.3.18 ask it to be recorded."""
        cleaned["competence"] = assessment
        age = self.child_age(cleaned.get("responded_on"))
        if capacity.assessment_needed(age):
            self.require(cleaned, "child_competent", "Select whether the child was judged competent")
            self.require(cleaned, "assessed_by", "Enter who assessed the child's understanding")
            self.require(cleaned, "assessed_on", "Enter when the child's understanding was assessed")
            self.require(cleaned, "explained_how", "Describe how it was explained to the child")
        elif cleaned.get("child_competent") is None and not any(assessment.values()):
            cleaned["competence"] = {}  # 3.3.15: 16 or 17, not assessed
        self._add_blocking(
            capacity.child_capacity_findings(
                age=age,
                assessment=assessment,
                judged_competent=cleaned.get("child_competent"),
                explanation=cleaned.get("assessment_notes") or "",
            )
        )
        if cleaned.get("about") != "child":
            self.add_error("responder", "A child cannot consent on an adult's behalf")

    def _clean_adult_answer(self, cleaned: dict) -> None:
        """An adult answered: whether they could, for the child (3.3.18-3.3.19) or for themself."""
        cleaned.update(capacity.NO_ASSESSMENT, competence={})  # a blank of its own, not the shared one
        about_child = cleaned.get("about") == "child"
        responder = cleaned.get("responder") or ""
        link = self.links.get(responder)
        if link is not None:
            resident_parent = any(
                other.lives_with_child and other.holds_parental_responsibility
                for key, other in self.links.items()
                if key != responder
            )
            self._add_blocking(
                capacity.responder_findings(
                    by_child=False,
                    about_child=about_child,
                    holds_parental_responsibility=link.parental_responsibility,
                    lives_with_child=link.lives_with_child,
                    another_resident_parent=resident_parent,
                    family_conflict=bool(cleaned.get("family_conflict")),
                    conflict_advice=cleaned.get("conflict_advice") or "",
                )
            )
            if about_child and link.lives_with_child is False and resident_parent:
                self.require(
                    cleaned, "non_resident_reason", "Explain why the parent the child does not live with was asked"
                )
        if not about_child and cleaned.get("responder") != cleaned.get("about"):
            self.add_error("responder", "An adult gives or refuses consent about their own information")
        # What does not apply to this adult is not kept, whatever was typed before (consent.pages).
        cleaned.update(
            capacity.parts_that_do_not_apply(
                by_child=False,
                family_conflict=bool(cleaned.get("family_conflict")),
                about_child=about_child,
                lives_with_child=link.lives_with_child if link is not None else None,
            )
        )

    def _add_blocking(self, findings: list[capacity.Finding]) -> None:
        """Each finding that stops the record standing, next to the field it concerns, unless that has an error."""
        for finding in findings:
            if finding.blocks and finding.field not in self.errors:
                self.add_error(finding.field, _message(finding))

    def child_age(self, on: date | None) -> int | None:
        if self.child.date_of_birth is None:
            return None
        return identity.age_in_years(self.child.date_of_birth, on or timezone.localdate())

    def details(self) -> ConsentDetails:
        cleaned = self.cleaned_data
        return ConsentDetails(
            **{column.name: cleaned.get(column.name) for column in fields(ConsentDetails) if column.name != "response"},
            response=capacity.Response(cleaned["response"]),
        )

    def about_adult(self):
        link = self.links.get(self.cleaned_data["about"])
        return link.adult if link else None

    def responder_adult(self):
        link = self.links.get(self.cleaned_data["responder"])
        return link.adult if link else None


def _in_words(field, value) -> str:
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, date):
        return f"{value.day} {value:%B %Y}"
    choices = dict(getattr(field, "choices", None) or [])
    if isinstance(value, list):
        return ", ".join(str(choices.get(item, item)) for item in value)
    return str(choices.get(value, value))


def answers_in_words(form: ConsentRecordForm, applying: list[str], *, signed_form: dict | None) -> list[dict]:
    """The answers of a valid consent form, page by page (those that apply), in words: for checking them."""
    cleaned = form.cleaned_data
    sections = []
    for page in pages.PAGES:
        if page.slug not in applying:
            continue
        rows = []
        if page.slug == "understanding" and (cleaned.get("competence") or cleaned.get("child_competent") is not None):
            met = [form.fields[f"criterion_{key}"].label for key in capacity.criteria_met(cleaned["competence"])]
            rows.append(("The criteria of 3.3.17 the child met", "\n".join(met) or "None"))
        elif page.slug == "signed-form":
            kind = {"application/pdf": "PDF", "image/png": "PNG", "image/jpeg": "JPEG"}
            rows.append(
                (
                    form.fields["signed_form"].label,
                    f"A {kind.get(signed_form['type'], 'file')} of {signed_form['size']:,} bytes"
                    if signed_form
                    else "None uploaded",
                )
            )
        for name in page.fields:
            value = cleaned.get(name)
            if name.startswith("criterion_") or name == "signed_form" or value in (None, "", []):
                continue
            rows.append((form.fields[name].label, _in_words(form.fields[name], value)))
        sections.append({"slug": page.slug, "title": page.title, "rows": rows})
    return sections


class WithdrawForm(GovukForm):
    responded_on = GovukDateField(what="date consent was withdrawn", label="When was consent withdrawn?")
    explicitness = forms.ChoiceField(
        label="How was it withdrawn?",
        choices=ConsentRecord.Explicitness.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether the withdrawal was explicit or implied"},
    )
    form = forms.ChoiceField(
        label="If explicit, was it written or verbal?",
        choices=ConsentRecord.Form.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    how_signalled = forms.CharField(
        label="What did they say or do?",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        error_messages={"required": "Describe how consent was withdrawn"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("responded_on", timezone.localdate())
        self.helper.layout = Layout(
            Field("responded_on"),
            Field.radios("explicitness", small=True),
            Field.radios("form", small=True),
            Field.textarea("how_signalled"),
        )

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("responded_on") and "responded_on" not in self.errors:
            self.add_error("responded_on", "Enter the date consent was withdrawn")
        elif cleaned.get("responded_on") and cleaned["responded_on"] > timezone.localdate():
            self.add_error("responded_on", "The date must be today or in the past")
        if cleaned.get("explicitness") == ConsentRecord.Explicitness.EXPLICIT and not cleaned.get("form"):
            self.add_error("form", "Select whether the withdrawal was written or verbal")
        if cleaned.get("explicitness") != ConsentRecord.Explicitness.EXPLICIT:
            cleaned["form"] = ""
        return cleaned

    def details(self) -> WithdrawalDetails:
        return WithdrawalDetails(
            **{column.name: self.cleaned_data[column.name] for column in fields(WithdrawalDetails)}
        )
