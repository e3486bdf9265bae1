"""One form per key question, plus the start page, the decision date and addenda.

Each form turns its cleaned data into plain JSON values (``to_answers``) that
the draft keeps and ``guidance.py`` reads, and back (``initial_from``). What
each question asks is labelled in ``summary.py``, which also writes the answers
in words for the check page and the record.
"""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

from crispy_forms_gds.choices import Choice
from crispy_forms_gds.layout import HTML, ConditionalQuestion, ConditionalRadios, Div, Field, Fieldset, Layout, Size
from django import forms
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from consent import capacity
from consent.models import ConsentRecord
from consent.selectors import live_consents
from core.dates import decided_at
from core.forms import (
    GovukDateField,
    GovukForm,
    choice_field,
    clean_clock_time,
    paragraphs_as_hints,
    text_area,
    yes_no_field,
)
from records.models import Agency, ChildAdultRelationship
from sharing import guidance, summary
from sharing.guidance import QuestionKey
from sharing.models import Direction, LegalBasis, ReviewOutcome
from sharing.selectors import summary_vocabulary
from sharing.services import LegalBasisDetails, legal_basis_code
from sharing.summary import ADVISERS, ITEM_KINDS, METHODS, PERSON_INFORMED, SHARING_ONLY, TOLD


def _json_value(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [_json_value(item) for item in value]
    return value


class QuestionForm(GovukForm):
    """A key question's page."""

    question: QuestionKey

    def __init__(self, *args, draft=None, **kwargs):
        self.draft = draft
        super().__init__(*args, **kwargs)

    def to_answers(self) -> dict[str, Any]:
        return {name: _json_value(value) for name, value in self.cleaned_data.items()}

    @classmethod
    def initial_from(cls, answers: dict[str, Any]) -> dict[str, Any]:
        initial = {}
        for name, value in answers.items():
            if isinstance(value, bool) and not isinstance(cls.base_fields.get(name), forms.BooleanField):
                value = "yes" if value else "no"
            if isinstance(cls.base_fields.get(name), GovukDateField) and isinstance(value, str) and value:
                value = date.fromisoformat(value)
            initial[name] = value
        return initial

    def summarise(self, answers: dict[str, Any]) -> list[list[str]]:
        """Each answer as a practitioner reads it (``sharing.summary``), on this page as it was built.

        For a snapshot made from forms built once (``scale.snapshot``); a decision's own snapshot is made by
        ``sharing.summary`` directly.
        """
        offered = dict(self.fields["legal_bases"].choices) if "legal_bases" in self.fields else {}
        context = {**(self.draft.answers if self.draft else {}), self.question: answers}
        return summary.answer_lines(self.question, context, summary_vocabulary(legal_bases=offered))


class StartForm(GovukForm):
    direction = choice_field(
        "Have you been asked for information, or do you want to share it?",
        Direction.choices,
        "Select whether you have been asked for information or want to share it",
    )
    adults = forms.MultipleChoiceField(
        label="Is the information also about any of these adults?",
        help_text="Select all that apply. The decision is always about the child.",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, relationships: list[ChildAdultRelationship], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["adults"].choices = [
            (str(link.adult_id), f"{link.adult.full_name} ({link.relationship_display.lower()})")
            for link in relationships
        ]
        self.helper.layout = Layout(
            Field.radios("direction", legend_size=Size.MEDIUM),
            Field.checkboxes("adults", legend_size=Size.MEDIUM, small=True) if relationships else Layout(),
        )
        if not relationships:
            del self.fields["adults"]


# Question 1, one thing to a page (guidance.PAGES): a form for each page, and the question's answers as one
# form (PurposeForm) for reading and checking them whole.


class PurposeStatementForm(QuestionForm):
    """Question 1's first page: why the information is shared (3.5.2, 3.5.4)."""

    question = QuestionKey.PURPOSE

    purpose = text_area(
        summary.label(QuestionKey.PURPOSE, "purpose"),
        "In plain English: what is needed, why, and what the recipient will do with it",
        message="Enter the purpose of sharing the information",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(Field.textarea("purpose", label_size=Size.MEDIUM))


class LegalBasisForm(QuestionForm):
    """Question 1: the legal basis for sharing (3.5.4)."""

    question = QuestionKey.PURPOSE

    legal_bases = forms.MultipleChoiceField(
        label=summary.label(QuestionKey.PURPOSE, "legal_bases"),
        help_text="Select all that apply (3.5.4)",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Select legal bases from the list, or enter another below"},
    )
    legal_basis_other = forms.CharField(
        label=summary.label(QuestionKey.PURPOSE, "legal_basis_other"), required=False, max_length=300
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        chosen = set((self.initial or {}).get("legal_bases") or [])
        bases = [basis for basis in LegalBasis.objects.all() if basis.is_active or basis.code in chosen]
        self.fields["legal_bases"].choices = [(basis.code, basis.label) for basis in bases]
        self.helper.layout = Layout(
            Field.checkboxes("legal_bases", legend_size=Size.MEDIUM, small=True), Field.text("legal_basis_other")
        )

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("legal_bases") and not (cleaned.get("legal_basis_other") or "").strip():
            self.add_error("legal_bases", "Select the legal basis for sharing, or enter another")
        return cleaned


class ConcernLevelForm(QuestionForm):
    """Question 1: the level of concern about the child at the time (3.3.8, 3.3.9, 3.7.1)."""

    question = QuestionKey.PURPOSE

    concern_level = choice_field(
        summary.label(QuestionKey.PURPOSE, "concern_level"),
        [(c.value, guidance.CONCERN_LABELS[c]) for c in guidance.Concern],
        "Select the level of concern about the child",
        help_text="Record the perceived level of risk of harm at the time (3.3.9, 3.7.1)",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(Field.radios("concern_level", legend_size=Size.MEDIUM, small=True))


class PurposeTestsForm(QuestionForm):
    """Question 1: the questions of 3.5.4 that establish a legitimate purpose, under one legend."""

    question = QuestionKey.PURPOSE

    need_to_know = yes_no_field(
        summary.label(QuestionKey.PURPOSE, "need_to_know"),
        message="Select yes if the recipient has a sufficient need to know",
    )
    proportionate = yes_no_field(
        summary.label(QuestionKey.PURPOSE, "proportionate"),
        # 3.3.6 and the glossary (3.8): proportionality, in their words.
        "Proportionate means a balanced response to the need to safeguard the child or another person, or to "
        "prevent or detect a serious crime: weigh what might happen if the information is shared against what "
        "might happen if it is not (3.3.6; the glossary, section 3.8)",
        message="Select yes if sharing is proportionate to the purpose",
    )
    statutory_restriction = yes_no_field(
        summary.label(QuestionKey.PURPOSE, "statutory_restriction"),
        message="Select yes if the information was obtained under a power or duty that limits its use",
    )
    secondary_disclosure = yes_no_field(
        summary.label(QuestionKey.PURPOSE, "secondary_disclosure"),
        # 3.5.4 and the glossary (3.8): secondary disclosure, in their words.
        "Secondary disclosure is the recipient passing the information on to another agency or person: for "
        "example, a GP shares with a school and the school passes it to children's social care (3.5.4; the "
        "glossary, section 3.8)",
        message="Select yes if the recipient will pass the information on",
    )
    anonymised_would_do = yes_no_field(
        summary.label(QuestionKey.PURPOSE, "anonymised_would_do"),
        message="Select yes if anonymised information could achieve the purpose",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(self.tests_fieldset())

    @staticmethod
    def tests_fieldset() -> Fieldset:
        return Fieldset(
            Field.radios("need_to_know", small=True, inline=True),
            Field.radios("proportionate", small=True, inline=True),
            Field.radios("statutory_restriction", small=True, inline=True),
            Field.radios("secondary_disclosure", small=True, inline=True),
            Field.radios("anonymised_would_do", small=True, inline=True),
            legend="Establishing a legitimate purpose (3.5.4)",
            legend_size=Size.MEDIUM,
        )


class LegitimatePurposeForm(QuestionForm):
    """Question 1's conclusion: having considered the pages before it, is there a legitimate purpose (3.5.2)?"""

    question = QuestionKey.PURPOSE

    legitimate_purpose = yes_no_field(
        summary.label(QuestionKey.PURPOSE, "legitimate_purpose"),
        "Within the functions or powers of your agency (3.5.3)",
        message="Select yes if there is a legitimate purpose to share the information",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(
            Field.radios("legitimate_purpose", legend_size=Size.MEDIUM, small=True, inline=True)
        )


class PurposeForm(  # The fields of each page, in the pages' order (Django reads the bases from the last).
    LegitimatePurposeForm, PurposeTestsForm, ConcernLevelForm, LegalBasisForm, PurposeStatementForm
):
    """Question 1's answers whole, as its pages ask them (``guidance.PAGES``): to read and check them as one."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(
            Field.textarea("purpose", label_size=Size.SMALL),
            Field.checkboxes("legal_bases", small=True),
            Field.text("legal_basis_other"),
            Field.radios("concern_level", small=True),
            PurposeTestsForm.tests_fieldset(),
            Field.radios("legitimate_purpose", legend_size=Size.MEDIUM, small=True, inline=True),
        )


class IdentifiableForm(QuestionForm):
    question = QuestionKey.IDENTIFIABLE

    identifies_person = yes_no_field(
        summary.label(QuestionKey.IDENTIFIABLE, "identifies_person"),
        "For example by name, address, date of birth, or details that together point to a person",
        message="Select yes if the information identifies the child or anyone else",
    )
    who_identified = forms.CharField(
        label=summary.label(QuestionKey.IDENTIFIABLE, "who_identified"),
        help_text="For example the child, a parent or carer, a sibling",
        required=False,
        max_length=500,
    )
    anonymisation = text_area(
        summary.label(QuestionKey.IDENTIFIABLE, "anonymisation"),
        "Anonymised information is information from which the recipient cannot identify a person (3.8)",
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(
            ConditionalRadios(
                "identifies_person",
                ConditionalQuestion("Yes", Field.text("who_identified")),
                ConditionalQuestion("No", Field.textarea("anonymisation")),
            )
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("identifies_person") is True:
            self.require(cleaned, "who_identified", "Enter who could be identified")
            cleaned["anonymisation"] = ""
        elif cleaned.get("identifies_person") is False:
            self.require(cleaned, "anonymisation", "Describe how the information has been anonymised")
            cleaned["who_identified"] = ""
        return cleaned


class ConfidentialForm(QuestionForm):
    question = QuestionKey.CONFIDENTIAL

    confidentiality = choice_field(
        summary.label(QuestionKey.CONFIDENTIAL, "confidentiality"),
        [(c.value, guidance.CONFIDENTIALITY_LABELS[c]) for c in guidance.Confidentiality],
        "Select whether the information is confidential",
    )
    reason = text_area(
        summary.label(QuestionKey.CONFIDENTIAL, "reason"),
        "How the information came to you, and what the person understood would happen to it",
        message="Explain why the information is or is not confidential",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(Field.radios("confidentiality", small=True), Field.textarea("reason"))


class ConsentForm(QuestionForm):
    """Question 4, answered with a consent record (recorded here or from the flow)."""

    question = QuestionKey.CONSENT

    status = choice_field(
        summary.label(QuestionKey.CONSENT, "status"),
        [(s.value, guidance.CONSENT_STATUS_LABELS[s]) for s in guidance.ConsentStatus],
        "Select whether consent was obtained, refused, not sought or is not needed",
    )
    consent_record = forms.ChoiceField(
        label=summary.label(QuestionKey.CONSENT, "consent_record"),
        help_text="Only consents not withdrawn or replaced are listed",
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Select one of the consent records listed"},
    )
    consent_covers = yes_no_field(
        summary.label(QuestionKey.CONSENT, "consent_covers"),
        "What the person was told about the information, the purposes and the recipients (3.3.14, 3.3.22)",
        message="Select yes if the consent covers the purpose of this decision",
    )
    not_sought_reason = forms.ChoiceField(
        label=summary.label(QuestionKey.CONSENT, "not_sought_reason"),
        choices=[(r.value, guidance.NOT_SOUGHT_LABELS[r]) for r in guidance.NotSoughtReason],
        required=False,
        widget=forms.RadioSelect,
    )
    not_sought_other = text_area(summary.label(QuestionKey.CONSENT, "not_sought_other"), required=False)
    not_needed_reason = text_area(summary.label(QuestionKey.CONSENT, "not_needed_reason"), required=False)

    def __init__(self, *args, consents=None, **kwargs):
        """``consents``: the records to choose from; by default the child's and
        the draft's adults' live consents."""
        super().__init__(*args, **kwargs)
        self.fields["consent_covers"].required = False
        self.records = consents_offered(self.draft, consents)
        offered = self.records.get(str(self.initial.get("consent_record") or ""))
        answered = {"given": guidance.ConsentStatus.OBTAINED, "refused": guidance.ConsentStatus.REFUSED}
        if offered is not None and offered.response in answered:
            # A record offered (kept, or just recorded from this page) answers whether consent was given or refused,
            # which shows the record among the others (3.7.2).
            self.initial["status"] = answered[offered.response]
        self.fields["consent_record"].choices = consent_choices(self.records)
        self.helper.layout = Layout(
            ConditionalRadios(
                "status",
                guidance.CONSENT_STATUS_LABELS[guidance.ConsentStatus.OBTAINED],
                guidance.CONSENT_STATUS_LABELS[guidance.ConsentStatus.REFUSED],
                ConditionalQuestion(
                    guidance.CONSENT_STATUS_LABELS[guidance.ConsentStatus.NOT_SOUGHT],
                    Field.radios("not_sought_reason", small=True),
                    Field.textarea("not_sought_other"),
                ),
                ConditionalQuestion(
                    guidance.CONSENT_STATUS_LABELS[guidance.ConsentStatus.NOT_NEEDED],
                    Field.textarea("not_needed_reason"),
                ),
            ),
            # Given and refused consent are both answered with a record (3.7.2), so the record is one question
            # shown under either answer; whether it covers the purpose only under consent given (3.3.14, 3.3.22).
            # Hidden (static/js/app.js) until one of those is chosen; without JavaScript the legend says when it
            # applies, and an answer given under another is not kept (guidance.answers_that_apply).
            Div(
                Fieldset(
                    *([Field.radios("consent_record", small=True)] if self.records else []),
                    Div(
                        Field.radios("consent_covers", small=True, inline=True),
                        data_app_shown_for="status:obtained",
                        data_app_hidden_until_chosen="",
                    ),
                    legend="If consent was sought, and given or refused",
                    legend_size=Size.MEDIUM,
                ),
                data_app_shown_for="status:obtained refused",
                data_app_hidden_until_chosen="",
            ),
        )

    def clean(self):
        cleaned = super().clean()
        status = cleaned.get("status")
        record = self.records.get(cleaned.get("consent_record") or "")
        if status in (guidance.ConsentStatus.OBTAINED, guidance.ConsentStatus.REFUSED):
            if record is None and "consent_record" not in self.errors:
                self.add_error(
                    "consent_record" if self.records else "status",
                    "Select the consent record, or record the consent first",
                )
            if record is not None and record.response != _RESPONSE[status]:
                self.add_error("consent_record", f"That record is a consent {record.response}, not {_RESPONSE[status]}")
            if status == guidance.ConsentStatus.OBTAINED and record is not None:
                self.require(cleaned, "consent_covers", "Select yes if the consent covers the purpose of this decision")
                refusal = child_refusal_instead(record, self.draft.child)
                if refusal:
                    self.add_error("status", refusal)
        if status == guidance.ConsentStatus.NOT_SOUGHT:
            self.require(cleaned, "not_sought_reason", "Select why consent was not sought")
            if cleaned.get("not_sought_reason") == guidance.NotSoughtReason.OTHER:
                self.require(cleaned, "not_sought_other", "Explain why consent was not sought")
        if status == guidance.ConsentStatus.NOT_NEEDED:
            self.require(cleaned, "not_needed_reason", "Explain why consent is not needed")
        kept = {
            guidance.ConsentStatus.OBTAINED: {"consent_record", "consent_covers"},
            guidance.ConsentStatus.REFUSED: {"consent_record"},
            guidance.ConsentStatus.NOT_SOUGHT: {"not_sought_reason", "not_sought_other"},
            guidance.ConsentStatus.NOT_NEEDED: {"not_needed_reason"},
        }.get(status, set())
        for name in list(cleaned):
            if name != "status" and name not in kept:
                cleaned[name] = None if name == "consent_covers" else ""
        self.chosen = record if "consent_record" in kept else None
        return cleaned

    def to_answers(self):
        return {**super().to_answers(), **consent_snapshot(self.chosen)}

    @classmethod
    def initial_from(cls, answers):
        keys = {"status", "consent_record", "consent_covers", "not_sought_reason", "not_sought_other"}
        keys.add("not_needed_reason")
        return super().initial_from({k: v for k, v in answers.items() if k in keys})


# The response of a consent record that answers question 4 as consent given, or refused (3.7.2).
_RESPONSE = {guidance.ConsentStatus.OBTAINED: "given", guidance.ConsentStatus.REFUSED: "refused"}


def consents_offered(draft, consents=None) -> dict[str, ConsentRecord]:
    """The consent records question 4 offers, by id: ``consents``, else the child's and the draft's adults' live
    consents."""
    if consents is None and draft is not None:
        adult_ids = {adult.pk for adult in draft.adults.all()}
        consents = live_consents(child=draft.child, about_adult_ids=adult_ids)
    return {str(record.pk): record for record in consents or ()}


def consent_choices(records: dict[str, ConsentRecord]) -> list[Choice]:
    # 3.3.11, 3.3.28: beside each record, what the person was told it covers.
    return [Choice(key, consent_label(record), hint=consent_scope_hint(record)) for key, record in records.items()]


def child_refusal_instead(record: ConsentRecord, child) -> str:
    """Why a parent's consent given cannot be relied on when the child has refused (3.3.19), saying how to fix it
    (the answer is "sought and refused", with the child's refusal); "" when it can."""
    refusal = child_refusal_that_counts(child) if record.about_adult_id is None else None
    if refusal is None or record.by_child:
        return ""
    refused_on = f"{refusal.responded_on:%-d %B %Y}"
    return (
        f"{refusal.responder_name}, {refusal.own_answer_basis}, refused consent on {refused_on}: the "
        "child's refusal is what counts, even if a parent agrees. Choose "
        f'"{guidance.CONSENT_STATUS_LABELS[guidance.ConsentStatus.REFUSED]}", then '
        f"{refusal.responder_name}'s refusal of {refused_on}"
    )


def consent_snapshot(record: ConsentRecord | None) -> dict[str, Any]:
    """A snapshot of the consent record relied on (or refused), for the rules and the record; blank without one."""
    return {
        "consent_summary": consent_label(record) if record else "",
        "consent_recipient_kinds": list(record.scope_recipient_kinds) if record else [],
        "consent_review_on": record.review_on.isoformat() if record and record.review_on else None,
        "consent_review_due": bool(record and record.review_on and record.review_on <= timezone.localdate()),
        **{key: (getattr(record, name) or "") if record else "" for key, name in summary.CONSENT_SNAPSHOT.items()},
    }


def consent_scope_hint(record) -> str:
    """Beside a consent record on question 4: its purposes, recipients and limits (3.3.11, 3.3.28)."""
    lines = summary.consent_scope_lines(
        information=record.scope_information,
        purposes=record.scope_purposes,
        kinds=list(record.scope_recipient_kinds or []),
        named=record.scope_recipients,
        use=record.scope_recipient_use,
        agency_kinds=dict(Agency.Kind.choices),
    )
    if not lines:
        return ""
    # One line each: a line break after every line but the last.
    return format_html_join("", "{}: {}<br>", lines[:-1]) + format_html("{}: {}", *lines[-1])


def consent_detail_lines(answers: dict[str, Any]) -> list[list[str]]:
    """How the consent relied on was given and what it covers (``sharing.summary.consent_detail_lines``)."""
    return summary.consent_detail_lines(answers, summary_vocabulary(legal_bases={}))


def consent_label(record) -> str:
    when = f"{record.responded_on:%-d %B %Y}"
    label = f"{record.get_response_display()} by {record.responder_name} ({record.responder_relationship.lower()})"
    label += f" on {when}, about {record.about_name}"
    if record.review_on:
        due = record.review_on <= timezone.localdate()
        label += f"; review {'was due' if due else 'by'} {record.review_on:%-d %B %Y}"
    return label


def child_refusal_that_counts(child) -> ConsentRecord | None:
    """The child's own current refusal, when it is the answer that counts (3.3.19: ``capacity.consent_standing``)."""
    live = {str(record.pk): record for record in live_consents(child=child)}
    standing = capacity.consent_standing([record.fact() for record in live.values()], timezone.localdate())
    deciding = live.get(standing.deciding or "")
    if deciding is not None and deciding.child_decides and standing.response == capacity.Response.REFUSED:
        return deciding
    return None


class StatutoryForm(QuestionForm):
    question = QuestionKey.STATUTORY

    duty = choice_field(
        summary.label(QuestionKey.STATUTORY, "duty"),
        [(d.value, guidance.DUTY_LABELS[d]) for d in guidance.Duty],
        "Select whether there is a statutory duty or court order",
    )
    reference = forms.CharField(
        label=summary.label(QuestionKey.STATUTORY, "reference"),
        help_text="The Act and section, or the court, case number and date of the order",
        required=False,
        max_length=500,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The reference applies to a duty and to an order alike, so it is not
        # hidden under either answer.
        self.helper.layout = Layout(Field.radios("duty", small=True), Field.text("reference"))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("duty") in (guidance.Duty.STATUTORY_DUTY, guidance.Duty.COURT_ORDER):
            self.require(cleaned, "reference", "Enter the duty or the court order, with its reference")
        else:
            cleaned["reference"] = ""
        return cleaned


class PublicInterestForm(QuestionForm):
    question = QuestionKey.PUBLIC_INTEREST

    if_shared = text_area(
        summary.label(QuestionKey.PUBLIC_INTEREST, "if_shared"),
        "Including the effect on the child, the family and their trust in services",
        message="Describe what might happen if the information is shared",
    )
    if_not_shared = text_area(
        summary.label(QuestionKey.PUBLIC_INTEREST, "if_not_shared"),
        message="Describe what might happen if the information is not shared",
    )
    proportionality = text_area(
        summary.label(QuestionKey.PUBLIC_INTEREST, "proportionality"),
        "Sharing some information may be enough to decide whether to share more (3.3.7, 3.5.16)",
        message="Explain why your approach is proportionate",
    )
    advice_sought = yes_no_field(
        summary.label(QuestionKey.PUBLIC_INTEREST, "advice_sought"),
        message="Select yes if you sought advice about sharing without consent",
    )
    advice_from = forms.ChoiceField(
        label=summary.label(QuestionKey.PUBLIC_INTEREST, "advice_from"),
        choices=paragraphs_as_hints(ADVISERS),
        required=False,
        widget=forms.RadioSelect,
    )
    adviser_name = forms.CharField(
        label=summary.label(QuestionKey.PUBLIC_INTEREST, "adviser_name"), required=False, max_length=200
    )
    advice_given = text_area(summary.label(QuestionKey.PUBLIC_INTEREST, "advice_given"), required=False)
    no_advice_reason = text_area(summary.label(QuestionKey.PUBLIC_INTEREST, "no_advice_reason"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(
            Field.textarea("if_shared"),
            Field.textarea("if_not_shared"),
            Field.textarea("proportionality"),
            ConditionalRadios(
                "advice_sought",
                ConditionalQuestion(
                    "Yes",
                    Field.radios("advice_from", small=True),
                    Field.text("adviser_name"),
                    Field.textarea("advice_given"),
                ),
                ConditionalQuestion("No", Field.textarea("no_advice_reason")),
            ),
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("advice_sought") is True:
            self.require(cleaned, "advice_from", "Select who you sought advice from")
            self.require(cleaned, "adviser_name", "Enter the name and role of the person who advised you")
            self.require(cleaned, "advice_given", "Enter what they advised")
            cleaned["no_advice_reason"] = ""
        elif cleaned.get("advice_sought") is False:
            self.require(cleaned, "no_advice_reason", "Explain why you did not seek advice")
            cleaned.update(advice_from="", adviser_name="", advice_given="")
        return cleaned


MIN_ITEMS = 3
MAX_ITEMS = 30


class ItemRowsMixin:
    """Rows of "item, and whether it is fact, opinion, hypothesis or a mixture" (3.7.9)."""

    def add_item_fields(self) -> list:
        source = self.data if self.is_bound else self.initial
        filled = 0
        for index in range(1, MAX_ITEMS + 1):
            if (source.get(f"item_{index}_text") or "").strip():
                filled = index
        # "Add another item" asks for one more row than were shown.
        rows = str(source.get("item_rows") or "")
        # Only 0 to 9 ("²" is a digit to str.isdigit() but int() refuses it), and not absurdly many.
        requested = int(rows) if rows.isascii() and rows.isdigit() and len(rows) < 4 else 0
        self.item_count = min(MAX_ITEMS, max(MIN_ITEMS, filled + 1, requested))
        layout = []
        for index in range(1, self.item_count + 1):
            self.fields[f"item_{index}_text"] = forms.CharField(
                label=f"Item {index}", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
            )
            self.fields[f"item_{index}_kind"] = forms.ChoiceField(
                label=f"Is item {index} fact, opinion, hypothesis or a mixture?",
                choices=ITEM_KINDS,
                required=False,
                widget=forms.RadioSelect,
            )
            layout += [
                Field.textarea(f"item_{index}_text"),
                Field.radios(f"item_{index}_kind", small=True, inline=True),
            ]
        return layout

    def clean_items(self, cleaned: dict) -> list[dict[str, str]]:
        items = []
        for index in range(1, self.item_count + 1):
            text = (cleaned.pop(f"item_{index}_text", "") or "").strip()
            kind = cleaned.pop(f"item_{index}_kind", "") or ""
            if text and not kind:
                self.add_error(
                    f"item_{index}_kind", f"Select whether item {index} is fact, opinion, hypothesis or a mixture"
                )
            if kind and not text:
                self.add_error(f"item_{index}_text", f"Describe item {index}, or clear its answer")
            if text:
                items.append({"text": text, "kind": kind})
        return items

    @staticmethod
    def items_initial(items: list[dict[str, str]]) -> dict[str, str]:
        initial = {}
        for index, item in enumerate(items or [], start=1):
            initial[f"item_{index}_text"] = item["text"]
            initial[f"item_{index}_kind"] = item["kind"]
        return initial


class SharingForm(ItemRowsMixin, QuestionForm):
    """Question 7, which starts with the decision itself: there is no 'right way'
    to check unless the information is to be shared."""

    question = QuestionKey.SHARING

    outcome = choice_field(
        summary.label(QuestionKey.SHARING, "outcome"),
        [(o.value, guidance.OUTCOME_LABELS[o]) for o in guidance.Outcome],
        "Select whether you will share the information, share some of it, or not share it",
        help_text="What will be shared, with whom and how is asked only if you share (3.5.20)",
    )
    withheld = text_area(
        summary.label(QuestionKey.SHARING, "withheld"),
        "Needed if you share only some of the information or none of it",
        required=False,
    )
    recipient_name = forms.CharField(
        label=summary.label(QuestionKey.SHARING, "recipient_name"), required=False, max_length=200
    )
    recipient_role = forms.CharField(
        label=summary.label(QuestionKey.SHARING, "recipient_role"), required=False, max_length=200
    )
    recipient_agency = forms.CharField(
        label=summary.label(QuestionKey.SHARING, "recipient_agency"), required=False, max_length=200
    )
    recipient_agency_kind = forms.ChoiceField(
        label=summary.label(QuestionKey.SHARING, "recipient_agency_kind"),
        choices=Agency.Kind.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    recipient_need = text_area(summary.label(QuestionKey.SHARING, "recipient_need"), required=False)
    accuracy_checked = forms.BooleanField(label=summary.label(QuestionKey.SHARING, "accuracy_checked"), required=False)
    method = forms.ChoiceField(
        label=summary.label(QuestionKey.SHARING, "method"),
        choices=paragraphs_as_hints(METHODS),
        required=False,
        widget=forms.RadioSelect,
    )
    method_detail = forms.CharField(
        label=summary.label(QuestionKey.SHARING, "method_detail"), required=False, max_length=500
    )
    onward_sharing = forms.ChoiceField(
        label=summary.label(QuestionKey.SHARING, "onward_sharing"),
        choices=summary.ONWARD_SHARING,
        required=False,
        widget=forms.RadioSelect,
    )
    onward_detail = forms.CharField(
        label=summary.label(QuestionKey.SHARING, "onward_detail"), required=False, max_length=500
    )
    consent_limits_explained = forms.BooleanField(
        label=summary.label(QuestionKey.SHARING, "consent_limits_explained"),
        help_text="If the consent covers the kind of agency receiving it (3.3.28)",
        required=False,
    )
    person_informed = forms.ChoiceField(
        label=summary.label(QuestionKey.SHARING, "person_informed"),
        help_text="And, if different, the person who provided it (3.5.20)",
        choices=PERSON_INFORMED,
        required=False,
        widget=forms.RadioSelect,
    )
    not_informed_reason = text_area(
        summary.label(QuestionKey.SHARING, "not_informed_reason"),
        "For example, telling them would put the child at risk of harm (3.5.19)",
        required=False,
    )
    reconsider_on = GovukDateField(
        what="date to reconsider telling them",
        label=summary.label(QuestionKey.SHARING, "reconsider_on"),
        help_text="A date to come, for example 21 11 2026. Your safeguarding lead sees the decision once it has "
        "passed (3.7.3)",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        item_layout = self.add_item_fields()
        answers = self.draft.answers if self.draft else {}
        # The consent covers the purpose; whether it covers the recipient depends on the kind of agency chosen
        # here (guidance.has_consent), so the check is asked, and needed only for a kind the consent names.
        self.show_consent_limits = guidance.consent_covers_purpose(answers)
        if not self.show_consent_limits:
            del self.fields["consent_limits_explained"]
        # 3.5.5: anonymised information identifies nobody to tell.
        self.asks_person_told = guidance.is_identifiable(answers) is not False
        if not self.asks_person_told:
            for name in TOLD:
                del self.fields[name]
        told_layout = []
        if self.asks_person_told:
            told_layout = [
                ConditionalRadios(
                    "person_informed",
                    *[label for value, label in PERSON_INFORMED if value != "not_told"],
                    ConditionalQuestion("No", Field.textarea("not_informed_reason"), Field("reconsider_on")),
                )
            ]
        self.helper.layout = Layout(
            Field.radios("outcome", legend_size=Size.MEDIUM),
            # Hidden (static/js/app.js) while "Do not share" is chosen; without JavaScript the hint says so.
            Div(
                Fieldset(*item_layout, legend="What exactly will be shared?", legend_size=Size.MEDIUM),
                data_app_shown_for="outcome:share share_in_part",
            ),
            Field.textarea("withheld"),
            Div(
                Fieldset(
                    Field.text("recipient_name", field_width=20),
                    Field.text("recipient_role", field_width=20),
                    Field.text("recipient_agency", field_width=20),
                    Field.radios("recipient_agency_kind", small=True),
                    Field.textarea("recipient_need"),
                    legend="Who will receive it?",
                    legend_size=Size.MEDIUM,
                ),
                Fieldset(
                    Field.checkbox("accuracy_checked", small=True),
                    Field.radios("method", small=True),
                    Field.text("method_detail"),
                    Field.radios("onward_sharing", small=True),
                    Field.text("onward_detail"),
                    *([Field.checkbox("consent_limits_explained", small=True)] if self.show_consent_limits else []),
                    *told_layout,
                    legend="Sharing it in the right way",
                    legend_size=Size.MEDIUM,
                ),
                data_app_shown_for="outcome:share share_in_part",
            ),
        )
        # The fields in the order of the page, so that the error summary lists them so.
        self.order_fields(
            [
                "outcome",
                *(f"item_{index}_{part}" for index in range(1, self.item_count + 1) for part in ("text", "kind")),
                "withheld",
            ]
        )

    def clean(self):
        cleaned = super().clean()
        decided = cleaned.get("outcome")
        cleaned["items"] = self.clean_items(cleaned)
        if decided in (guidance.Outcome.SHARE_IN_PART, guidance.Outcome.DO_NOT_SHARE):
            self.require(cleaned, "withheld", "Describe the information you are not sharing, and why")
        if decided is None or decided == "":
            return cleaned
        answers = {**(self.draft.answers if self.draft else {}), QuestionKey.SHARING: {**cleaned, "outcome": decided}}
        if not guidance.sharing_checks_apply(answers):
            # 3.5.20: the checks are for a decision to share; none of them is asked or kept otherwise.
            for name in SHARING_ONLY:
                cleaned.pop(name, None)
                self.errors.pop(name, None)
            for index in range(1, self.item_count + 1):
                for part in ("text", "kind"):
                    self.errors.pop(f"item_{index}_{part}", None)
            return cleaned
        if not cleaned["items"] and "item_1_text" not in self.errors:
            self.add_error("item_1_text", "Describe the information that will be shared")
        self.require(cleaned, "recipient_name", "Enter the name of the person receiving the information")
        self.require(cleaned, "recipient_role", "Enter the role of the person receiving the information")
        self.require(cleaned, "recipient_agency", "Enter the agency of the person receiving the information")
        self.require(cleaned, "recipient_agency_kind", "Select the kind of agency receiving the information")
        self.require(cleaned, "recipient_need", "Explain why the recipient needs to know")
        if not cleaned.get("accuracy_checked"):
            self.add_error("accuracy_checked", "Check that the information is accurate and up to date")
        self.require(cleaned, "method", "Select how the information will be shared")
        if cleaned.get("method") == "other":
            self.require(cleaned, "method_detail", "Describe how the information will be shared")
        self.require(cleaned, "onward_sharing", "Select whether the recipient intends to pass it on")
        if cleaned.get("onward_sharing") == "yes":
            self.require(cleaned, "onward_detail", "Enter to whom the recipient will pass it on, and why")
        if self.show_consent_limits:
            if not guidance.has_consent(answers):
                # 3.3.28: the consent does not reach this kind of agency; the decision goes on without it.
                cleaned.pop("consent_limits_explained", None)
            elif not cleaned.get("consent_limits_explained"):
                self.add_error(
                    "consent_limits_explained", "Make sure the recipient understands the limits of the consent given"
                )
        if self.asks_person_told:
            self._clean_told(cleaned)
        return cleaned

    def _clean_told(self, cleaned: dict) -> None:
        """3.5.19, 3.7.3: whether the person is told; if not, why not and when to reconsider."""
        self.require(cleaned, "person_informed", "Select whether the person will be told")
        if cleaned.get("person_informed") != "not_told":
            cleaned["not_informed_reason"], cleaned["reconsider_on"] = "", None
            self.errors.pop("reconsider_on", None)
            return
        self.require(cleaned, "not_informed_reason", "Explain why the person will not be told")
        self.require(cleaned, "reconsider_on", "Enter a date to reconsider telling them")
        when = cleaned.get("reconsider_on")
        if when and not guidance.reconsider_date_is_valid(when, timezone.localdate()):
            self.add_error("reconsider_on", "The date to reconsider telling them must be in the future")

    @classmethod
    def initial_from(cls, answers):
        initial = super().initial_from({k: v for k, v in answers.items() if k != "items"})
        return {**initial, **cls.items_initial(answers.get("items"))}


# Question 7, one thing to a page (guidance.PAGES): the decision, then, for a decision to share, each item shared
# on a page of its own (ItemForm, listed on SharingItemsForm's page), the recipient, how, passing it on and telling
# the person. SharingForm above is the question's answers whole, to read and check them as one.


def _sharing_field(name: str) -> forms.Field:
    return SharingForm.base_fields[name]


class SharingOutcomeForm(QuestionForm):
    """Question 7's first page: the decision itself, and what is not shared (3.5.20, 3.5.21)."""

    question = QuestionKey.SHARING

    outcome = _sharing_field("outcome")
    withheld = _sharing_field("withheld")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(Field.radios("outcome", legend_size=Size.MEDIUM), Field.textarea("withheld"))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("outcome") in (guidance.Outcome.SHARE_IN_PART, guidance.Outcome.DO_NOT_SHARE):
            self.require(cleaned, "withheld", "Describe the information you are not sharing, and why")
        return cleaned


class ItemForm(GovukForm):
    """One item shared or disclosed, and whether it is fact, opinion, hypothesis or a mixture (3.7.9)."""

    text = forms.CharField(
        label="What is the information?",
        help_text="One item, in the words you will use to share it",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": "Describe the information",
            "max_length": "Keep the item under 2000 characters, or split it into two items",
        },
    )
    kind = choice_field(
        "Is it fact, opinion, hypothesis or a mixture?",
        ITEM_KINDS,
        "Select whether the item is fact, opinion, hypothesis or a mixture",
        help_text="3.7.9",
    )

    def __init__(self, *args, number: int = 1, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text"].label = f"Item {number}: what is the information?"
        self.helper.layout = Layout(
            Field.textarea("text", label_size=Size.MEDIUM), Field.radios("kind", small=True, inline=True)
        )

    def clean_text(self):
        return self.cleaned_data["text"].strip()

    def item(self) -> dict[str, str]:
        return {"text": self.cleaned_data["text"], "kind": self.cleaned_data["kind"]}


class AddAnotherItemForm(GovukForm):
    """Below the items added so far: "Do you need to add another item?" (GOV.UK's "add another" pattern)."""

    add_another = yes_no_field("Do you need to add another item?", message="Select yes if you need to add another item")

    def __init__(self, *args, items: int = 0, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = items
        self.helper.layout = Layout(Field.radios("add_another", legend_size=Size.MEDIUM, small=True, inline=True))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("add_another") and self.items >= guidance.MAX_ITEMS:
            self.add_error("add_another", f"You can add up to {guidance.MAX_ITEMS} items: put more in one item")
        if cleaned.get("add_another") is False and not self.items:
            self.add_error("add_another", "Add at least one item: describe the information that will be shared")
        return cleaned


class SharingItemsForm(AddAnotherItemForm, QuestionForm):
    """Question 7: the items to share so far, each added on its own page (ItemForm), and whether to add another."""

    question = QuestionKey.SHARING

    def __init__(self, *args, **kwargs):
        draft = kwargs.get("draft")
        super().__init__(*args, items=len(guidance.items_of(draft.answers, self.question)) if draft else 0, **kwargs)

    def to_answers(self) -> dict[str, Any]:
        # The items are kept as each is added (services.draft_item_save); this page only goes on.
        return {}


class SharingRecipientForm(QuestionForm):
    """Question 7: who will receive the information (3.5.20; 3.3.28: their kind of agency)."""

    question = QuestionKey.SHARING

    recipient_name = _sharing_field("recipient_name")
    recipient_role = _sharing_field("recipient_role")
    recipient_agency = _sharing_field("recipient_agency")
    recipient_agency_kind = _sharing_field("recipient_agency_kind")
    recipient_need = _sharing_field("recipient_need")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(
            Fieldset(
                Field.text("recipient_name", field_width=20),
                Field.text("recipient_role", field_width=20),
                Field.text("recipient_agency", field_width=20),
                legend="Who will receive it?",
                legend_size=Size.MEDIUM,
            ),
            Field.radios("recipient_agency_kind", small=True),
            Field.textarea("recipient_need"),
        )

    def clean(self):
        cleaned = super().clean()
        self.require(cleaned, "recipient_name", "Enter the name of the person receiving the information")
        self.require(cleaned, "recipient_role", "Enter the role of the person receiving the information")
        self.require(cleaned, "recipient_agency", "Enter the agency of the person receiving the information")
        self.require(cleaned, "recipient_agency_kind", "Select the kind of agency receiving the information")
        self.require(cleaned, "recipient_need", "Explain why the recipient needs to know")
        return cleaned


class SharingMethodForm(QuestionForm):
    """Question 7: accurate and up to date, and shared securely (3.5.20, 3.7.8)."""

    question = QuestionKey.SHARING

    accuracy_checked = _sharing_field("accuracy_checked")
    method = _sharing_field("method")
    method_detail = _sharing_field("method_detail")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(
            Field.radios("method", legend_size=Size.MEDIUM, small=True),
            Field.text("method_detail"),
            Field.checkbox("accuracy_checked", small=True),
        )

    def clean(self):
        cleaned = super().clean()
        self.require(cleaned, "method", "Select how the information will be shared")
        if cleaned.get("method") == "other":
            self.require(cleaned, "method_detail", "Describe how the information will be shared")
        if not cleaned.get("accuracy_checked"):
            self.add_error("accuracy_checked", "Check that the information is accurate and up to date")
        return cleaned


class SharingOnwardForm(QuestionForm):
    """Question 7: whether the recipient passes it on, and the limits of any consent (3.5.20, 3.3.28)."""

    question = QuestionKey.SHARING

    onward_sharing = _sharing_field("onward_sharing")
    onward_detail = _sharing_field("onward_detail")
    consent_limits_explained = _sharing_field("consent_limits_explained")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        answers = self.draft.answers if self.draft else {}
        # Asked where the consent covers the recipient too (guidance.has_consent: the recipient's kind of agency).
        self.asks_consent_limits = guidance.has_consent(answers)
        if not self.asks_consent_limits:
            del self.fields["consent_limits_explained"]
        self.helper.layout = Layout(
            ConditionalRadios(
                "onward_sharing",
                ConditionalQuestion("Yes", Field.text("onward_detail")),
                "No",
                "Not known",
            ),
            *([Field.checkbox("consent_limits_explained", small=True)] if self.asks_consent_limits else []),
        )

    def clean(self):
        cleaned = super().clean()
        self.require(cleaned, "onward_sharing", "Select whether the recipient intends to pass it on")
        if cleaned.get("onward_sharing") == "yes":
            self.require(cleaned, "onward_detail", "Enter to whom the recipient will pass it on, and why")
        else:
            cleaned["onward_detail"] = ""
        if self.asks_consent_limits and not cleaned.get("consent_limits_explained"):
            self.add_error(
                "consent_limits_explained", "Make sure the recipient understands the limits of the consent given"
            )
        return cleaned


class SharingToldForm(QuestionForm):
    """Question 7: whether the person the information is about is told; if not, why not and when to reconsider
    (3.5.19, 3.7.3)."""

    question = QuestionKey.SHARING

    person_informed = _sharing_field("person_informed")
    not_informed_reason = _sharing_field("not_informed_reason")
    reconsider_on = _sharing_field("reconsider_on")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(
            ConditionalRadios(
                "person_informed",
                *[label for value, label in PERSON_INFORMED if value != "not_told"],
                ConditionalQuestion("No", Field.textarea("not_informed_reason"), Field("reconsider_on")),
            )
        )

    _clean_told = SharingForm._clean_told

    def clean(self):
        cleaned = super().clean()
        self._clean_told(cleaned)
        return cleaned


class DecisionForm(QuestionForm):
    question = QuestionKey.DECISION

    reasons = text_area(
        summary.label(QuestionKey.DECISION, "reasons"),
        "In your own words. Someone reading this years from now should understand what you knew and why you decided",
        message="Enter the reasons for your decision",
    )
    departure_reason = text_area(
        summary.label(QuestionKey.DECISION, "departure_reason"),
        required=False,
    )
    decided_on = GovukDateField(
        what="date of the decision",
        label=summary.label(QuestionKey.DECISION, "decided_on"),
        help_text="For example, 21 11 2026",
    )
    decided_time = forms.CharField(
        label=summary.label(QuestionKey.DECISION, "decided_time"),
        help_text="Use the 24-hour clock, for example 14:30",
        max_length=5,
        error_messages={"required": "Enter the time of the decision"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.departs = guidance.departs_from_guidance(self.draft.answers if self.draft else {})
        if not self.departs:
            del self.fields["departure_reason"]
        now = timezone.localtime()
        self.initial.setdefault("decided_on", now.date())
        self.initial.setdefault("decided_time", now.strftime("%H:%M"))
        self.helper.layout = Layout(
            Field.textarea("reasons", label_size=Size.SMALL, rows=6),
            *([Field.textarea("departure_reason", label_size=Size.SMALL)] if self.departs else []),
            Field("decided_on"),
            Field.text("decided_time", field_width=5),
        )

    def clean_decided_time(self):
        return clean_clock_time(self.cleaned_data.get("decided_time"))

    def clean(self):
        cleaned = super().clean()
        self.require(cleaned, "decided_on", "Enter the date of the decision")
        if self.departs:
            self.require(cleaned, "departure_reason", "Explain why your decision differs from the guidance")
        when = decided_at(cleaned) if cleaned.get("decided_on") and cleaned.get("decided_time") else None
        if when and when > timezone.now():
            self.add_error("decided_on", "The decision cannot be in the future")
        return cleaned


# Questions 2 to 6 and 8, one thing to a page (guidance.PAGES): a form for each page, asking what the question's
# whole form above asks, in its words; the whole form stays what one page of them all wrote (the record's shape).


def _asked_alone(form: type[QuestionForm], name: str, message: str = "") -> forms.Field:
    """The field ``name`` of the whole ``form``, on a page of its own: required there, with ``message``."""
    field = copy.deepcopy(form.base_fields[name])
    if message:
        field.required = True
        field.error_messages = {**field.error_messages, "required": message}
    return field


class IdentifiesPersonForm(QuestionForm):
    """Question 2: whether the information identifies anyone (3.5.5)."""

    question = QuestionKey.IDENTIFIABLE

    identifies_person = _asked_alone(IdentifiableForm, "identifies_person")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(Field.radios("identifies_person", legend_size=Size.MEDIUM, small=True, inline=True))


class WhoIdentifiedForm(QuestionForm):
    """Question 2, where the information identifies someone: who (3.5.5)."""

    question = QuestionKey.IDENTIFIABLE

    who_identified = _asked_alone(IdentifiableForm, "who_identified", "Enter who could be identified")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(Field.text("who_identified", label_size=Size.MEDIUM))


class AnonymisationForm(QuestionForm):
    """Question 2, where the information identifies nobody: how it was anonymised (3.5.5)."""

    question = QuestionKey.IDENTIFIABLE

    anonymisation = _asked_alone(IdentifiableForm, "anonymisation", "Describe how the information has been anonymised")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(Field.textarea("anonymisation", label_size=Size.MEDIUM))


class ConfidentialityForm(QuestionForm):
    """Question 3: whether the information is confidential, and in what relationship (3.5.6)."""

    question = QuestionKey.CONFIDENTIAL

    confidentiality = _asked_alone(ConfidentialForm, "confidentiality")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(Field.radios("confidentiality", legend_size=Size.MEDIUM, small=True))


class ConfidentialReasonForm(QuestionForm):
    """Question 3: why it is, or is not, confidential (3.3.2, 3.5.6 to 3.5.7)."""

    question = QuestionKey.CONFIDENTIAL

    reason = _asked_alone(ConfidentialForm, "reason")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(Field.textarea("reason", label_size=Size.MEDIUM))


class ConsentStatusForm(QuestionForm):
    """Question 4: whether consent was obtained, refused, not sought or is not needed."""

    question = QuestionKey.CONSENT

    status = _asked_alone(ConsentForm, "status")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(Field.radios("status", legend_size=Size.MEDIUM, small=True))


class ConsentRecordForm(QuestionForm):
    """Question 4, where consent was sought and given or refused: the record of the answer (3.7.2), of which a
    snapshot is kept for the rules and the record (3.3.11, 3.3.28)."""

    question = QuestionKey.CONSENT

    consent_record = _asked_alone(
        ConsentForm, "consent_record", "Select the consent record, or record the consent first"
    )

    def __init__(self, *args, consents=None, **kwargs):
        """``consents``: the records to choose from; by default the child's and the draft's adults' live consents."""
        super().__init__(*args, **kwargs)
        self.records = consents_offered(self.draft, consents)
        self.status = guidance.consent_status(self.draft.answers if self.draft else {})
        self.fields["consent_record"].choices = consent_choices(self.records)
        if self.records:
            self.helper.layout = Layout(Field.radios("consent_record", legend_size=Size.MEDIUM, small=True))
        else:
            self.helper.layout = Layout(
                HTML(
                    format_html(
                        '<h2 class="govuk-heading-m">{}</h2><p class="govuk-body">{}</p>',
                        summary.label(QuestionKey.CONSENT, "consent_record"),
                        "There is no consent record to choose: record the consent first.",
                    )
                )
            )

    def clean(self):
        cleaned = super().clean()
        if not self.records and "consent_record" in self.errors:
            # Nothing to choose from: the error is the page's, not a list's.
            message = self.errors.pop("consent_record")
            self.add_error(None, message)
        record = self.records.get(cleaned.get("consent_record") or "")
        expected = _RESPONSE.get(self.status)
        if record is not None and expected and record.response != expected:
            self.add_error("consent_record", f"That record is a consent {record.response}, not {expected}")
        elif record is not None and self.status == guidance.ConsentStatus.OBTAINED:
            refusal = child_refusal_instead(record, self.draft.child)
            if refusal:
                self.add_error("consent_record", refusal)
        self.chosen = record
        return cleaned

    def to_answers(self):
        return {"consent_record": self.cleaned_data["consent_record"], **consent_snapshot(self.chosen)}


class ConsentCoversForm(QuestionForm):
    """Question 4, once the record of consent given is chosen: whether it covers this purpose (3.3.14, 3.3.22)."""

    question = QuestionKey.CONSENT

    consent_covers = _asked_alone(ConsentForm, "consent_covers")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        chosen = ((self.draft.answers if self.draft else {}).get(QuestionKey.CONSENT) or {}).get("consent_summary")
        if chosen:
            self.fields["consent_covers"].help_text = f"The consent chosen: {chosen}. " + str(
                self.fields["consent_covers"].help_text
            )
        self.helper.layout = Layout(Field.radios("consent_covers", legend_size=Size.MEDIUM, small=True, inline=True))


class ConsentNotSoughtForm(QuestionForm):
    """Question 4, where consent was not sought: why (3.4.2), and another reason explained (3.3.25)."""

    question = QuestionKey.CONSENT

    not_sought_reason = _asked_alone(ConsentForm, "not_sought_reason", "Select why consent was not sought")
    not_sought_other = _asked_alone(ConsentForm, "not_sought_other")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        labels = guidance.NOT_SOUGHT_LABELS
        self.helper.layout = Layout(
            ConditionalRadios(
                "not_sought_reason",
                *[labels[reason] for reason in guidance.NotSoughtReason if reason != guidance.NotSoughtReason.OTHER],
                ConditionalQuestion(labels[guidance.NotSoughtReason.OTHER], Field.textarea("not_sought_other")),
            )
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("not_sought_reason") == guidance.NotSoughtReason.OTHER:
            self.require(cleaned, "not_sought_other", "Explain why consent was not sought")
        return cleaned


class ConsentNotNeededForm(QuestionForm):
    """Question 4, where consent is not needed: why (3.3.2 to 3.3.4)."""

    question = QuestionKey.CONSENT

    not_needed_reason = _asked_alone(ConsentForm, "not_needed_reason", "Explain why consent is not needed")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(Field.textarea("not_needed_reason", label_size=Size.MEDIUM))


class DutyForm(QuestionForm):
    """Question 5: whether there is a statutory duty or a court order (3.5.9)."""

    question = QuestionKey.STATUTORY

    duty = _asked_alone(StatutoryForm, "duty")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(Field.radios("duty", legend_size=Size.MEDIUM, small=True))


class DutyReferenceForm(QuestionForm):
    """Question 5, where there is a duty or an order: which (3.5.10)."""

    question = QuestionKey.STATUTORY

    reference = _asked_alone(StatutoryForm, "reference", "Enter the duty or the court order, with its reference")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(Field.text("reference", label_size=Size.MEDIUM))


class IfSharedForm(QuestionForm):
    """Question 6: what might happen if the information is shared (3.5.16)."""

    question = QuestionKey.PUBLIC_INTEREST

    if_shared = _asked_alone(PublicInterestForm, "if_shared")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(Field.textarea("if_shared", label_size=Size.MEDIUM))


class IfNotSharedForm(QuestionForm):
    """Question 6: what might happen if it is not shared (3.5.16)."""

    question = QuestionKey.PUBLIC_INTEREST

    if_not_shared = _asked_alone(PublicInterestForm, "if_not_shared")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(Field.textarea("if_not_shared", label_size=Size.MEDIUM))


class ProportionalityForm(QuestionForm):
    """Question 6: why sharing, or not sharing, is proportionate (3.3.7, 3.5.16)."""

    question = QuestionKey.PUBLIC_INTEREST

    proportionality = _asked_alone(PublicInterestForm, "proportionality")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(Field.textarea("proportionality", label_size=Size.MEDIUM))


class AdviceSoughtForm(QuestionForm):
    """Question 6: whether advice was sought about sharing without consent (3.5.17)."""

    question = QuestionKey.PUBLIC_INTEREST

    advice_sought = _asked_alone(PublicInterestForm, "advice_sought")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(Field.radios("advice_sought", legend_size=Size.MEDIUM, small=True, inline=True))


class AdviceGivenForm(QuestionForm):
    """Question 6, where advice was sought: from whom, and what they advised (3.5.17)."""

    question = QuestionKey.PUBLIC_INTEREST

    advice_from = _asked_alone(PublicInterestForm, "advice_from", "Select who you sought advice from")
    adviser_name = _asked_alone(
        PublicInterestForm, "adviser_name", "Enter the name and role of the person who advised you"
    )
    advice_given = _asked_alone(PublicInterestForm, "advice_given", "Enter what they advised")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(
            Field.radios("advice_from", legend_size=Size.MEDIUM, small=True),
            Field.text("adviser_name"),
            Field.textarea("advice_given"),
        )


class NoAdviceForm(QuestionForm):
    """Question 6, where advice was not sought: why not (3.5.17)."""

    question = QuestionKey.PUBLIC_INTEREST

    no_advice_reason = _asked_alone(PublicInterestForm, "no_advice_reason", "Explain why you did not seek advice")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(Field.textarea("no_advice_reason", label_size=Size.MEDIUM))


class DecisionReasonsForm(QuestionForm):
    """Question 8: the reasons for the decision (3.5.21)."""

    question = QuestionKey.DECISION

    reasons = _asked_alone(DecisionForm, "reasons")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(Field.textarea("reasons", label_size=Size.MEDIUM, rows=6))


class DepartureReasonForm(QuestionForm):
    """Question 8, where the decision differs from what the guidance points to: why (3.5.21)."""

    question = QuestionKey.DECISION

    departure_reason = _asked_alone(
        DecisionForm, "departure_reason", "Explain why your decision differs from the guidance"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(Field.textarea("departure_reason", label_size=Size.MEDIUM))


class DecidedWhenForm(QuestionForm):
    """Question 8: when the decision was made, now unless changed."""

    question = QuestionKey.DECISION

    decided_on = _asked_alone(DecisionForm, "decided_on")
    decided_time = _asked_alone(DecisionForm, "decided_time")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        now = timezone.localtime()
        self.initial.setdefault("decided_on", now.date())
        self.initial.setdefault("decided_time", now.strftime("%H:%M"))
        self.helper.layout = Layout(Field("decided_on"), Field.text("decided_time", field_width=5))

    clean_decided_time = DecisionForm.clean_decided_time

    def clean(self):
        cleaned = super().clean()
        self.require(cleaned, "decided_on", "Enter the date of the decision")
        when = decided_at(cleaned) if cleaned.get("decided_on") and cleaned.get("decided_time") else None
        if when and when > timezone.now():
            self.add_error("decided_on", "The decision cannot be in the future")
        return cleaned


# Each question's answers as one form; a question asked over several pages is served by PAGE_FORMS.
QUESTION_FORMS: dict[QuestionKey, type[QuestionForm]] = {
    form.question: form
    for form in (
        PurposeForm,
        IdentifiableForm,
        ConfidentialForm,
        ConsentForm,
        StatutoryForm,
        PublicInterestForm,
        SharingForm,
        DecisionForm,
    )
}


# The form of each page of a question asked over several pages (guidance.PAGES), by the page's name.
PAGE_FORMS: dict[QuestionKey, dict[str, type[QuestionForm]]] = {
    QuestionKey.PURPOSE: {
        "purpose": PurposeStatementForm,
        "legal-basis": LegalBasisForm,
        "concern": ConcernLevelForm,
        "tests": PurposeTestsForm,
        "conclusion": LegitimatePurposeForm,
    },
    QuestionKey.IDENTIFIABLE: {
        "identifies": IdentifiesPersonForm,
        "who": WhoIdentifiedForm,
        "anonymised": AnonymisationForm,
    },
    QuestionKey.CONFIDENTIAL: {"confidentiality": ConfidentialityForm, "reason": ConfidentialReasonForm},
    QuestionKey.CONSENT: {
        "status": ConsentStatusForm,
        "record": ConsentRecordForm,
        "covers": ConsentCoversForm,
        "not-sought": ConsentNotSoughtForm,
        "not-needed": ConsentNotNeededForm,
    },
    QuestionKey.STATUTORY: {"duty": DutyForm, "reference": DutyReferenceForm},
    QuestionKey.PUBLIC_INTEREST: {
        "if-shared": IfSharedForm,
        "if-not-shared": IfNotSharedForm,
        "proportionality": ProportionalityForm,
        "advice": AdviceSoughtForm,
        "advice-given": AdviceGivenForm,
        "no-advice": NoAdviceForm,
    },
    QuestionKey.DECISION: {"reasons": DecisionReasonsForm, "departure": DepartureReasonForm, "when": DecidedWhenForm},
    QuestionKey.SHARING: {
        "outcome": SharingOutcomeForm,
        "items": SharingItemsForm,
        "recipient": SharingRecipientForm,
        "method": SharingMethodForm,
        "onward": SharingOnwardForm,
        "told": SharingToldForm,
    },
}


class AddendumForm(GovukForm):
    text = text_area(
        "Addendum",
        "A correction or later information. It is added to the record with your name and the date; the original "
        "decision stays as it was.",
        message="Enter the addendum",
    )


class ReviewForm(GovukForm):
    """A safeguarding lead's review of a recorded decision."""

    outcome = choice_field(
        "What is your view of this decision?", ReviewOutcome.choices, "Select whether you agree with the decision"
    )
    comments = text_area("Your comments", required=False)
    reasons = text_area("Why do you disagree?", required=False)
    actions = text_area(
        "What should happen now?",
        "For example: who is to be told, what is to be shared or withdrawn, and by when",
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(
            ConditionalRadios(
                "outcome",
                ConditionalQuestion(ReviewOutcome.AGREE.label),
                ConditionalQuestion(ReviewOutcome.AGREE_WITH_COMMENTS.label, Field.textarea("comments")),
                ConditionalQuestion(ReviewOutcome.DISAGREE.label, Field.textarea("reasons"), Field.textarea("actions")),
            )
        )

    def clean(self):
        cleaned = super().clean()
        outcome = cleaned.get("outcome")
        if outcome == ReviewOutcome.AGREE_WITH_COMMENTS:
            self.require(cleaned, "comments", "Enter your comments")
        if outcome == ReviewOutcome.DISAGREE:
            self.require(cleaned, "reasons", "Enter why you disagree with the decision")
            self.require(cleaned, "actions", "Enter what should happen now")
        # Only what goes with the chosen answer is kept.
        if outcome != ReviewOutcome.AGREE_WITH_COMMENTS:
            cleaned["comments"] = ""
        if outcome != ReviewOutcome.DISAGREE:
            cleaned["reasons"] = cleaned["actions"] = ""
        return cleaned


class LegalBasisForm(GovukForm):
    """A legal basis, as a platform administrator adds it to question 1's list or changes it."""

    label = forms.CharField(
        label="Legal basis",
        help_text="As practitioners will read it on question 1, for example "
        "“Children Act 1989, section 47 (enquiries about significant harm)”.",
        max_length=200,
        error_messages={"required": "Enter the legal basis", "max_length": "Keep the legal basis under 200 characters"},
    )
    position = forms.IntegerField(
        label="Place in the list",
        help_text="1 is first. Bases with the same number are listed in alphabetical order.",
        min_value=0,
        max_value=999,
        # GOV.UK asks for a text input with a numeric keyboard, not type="number".
        widget=forms.TextInput,
        error_messages={
            "required": "Enter the place in the list, as a number",
            "invalid": "Enter the place in the list as a whole number, like 4",
            "min_value": "The place in the list must be 0 or more",
            "max_value": "The place in the list must be 999 or less",
        },
    )
    is_active = forms.TypedChoiceField(
        label="Is it offered to practitioners?",
        help_text="Decisions already recorded with it keep it, whatever you choose.",
        choices=[("yes", "Yes"), ("no", "No: retire it from question 1")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether it is offered", "invalid_choice": "Select yes or no"},
    )

    def __init__(self, *args, basis: LegalBasis | None = None, **kwargs):
        self.basis = basis
        if basis is not None:
            active = "yes" if basis.is_active else "no"
            kwargs.setdefault("initial", {"label": basis.label, "position": basis.position, "is_active": active})
        super().__init__(*args, **kwargs)
        if basis is None:
            del self.fields["is_active"]
        self.helper.layout = Layout(
            Field.text("label"),
            Field.text("position", field_width=4, inputmode="numeric", spellcheck="false"),
            *([] if basis is None else [Field.radios("is_active", legend_size=Size.SMALL)]),
        )

    def clean_label(self):
        label = " ".join(self.cleaned_data["label"].split())
        others = LegalBasis.objects.filter(label__iexact=label)
        if self.basis is None:
            code = legal_basis_code(label)
            if not code:
                raise forms.ValidationError("Enter the legal basis in words")
            others = LegalBasis.objects.filter(label__iexact=label) | LegalBasis.objects.filter(code=code)
        else:
            others = others.exclude(pk=self.basis.pk)
        if others.exists():
            raise forms.ValidationError("There is already a legal basis with this wording")
        return label

    def details(self) -> LegalBasisDetails:
        cleaned = self.cleaned_data
        return LegalBasisDetails(
            label=cleaned["label"], position=cleaned["position"], is_active=cleaned.get("is_active", True)
        )
