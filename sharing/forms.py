"""One form per key question, plus the start page, the decision date and addenda.

Each form turns its cleaned data into plain JSON values (``to_answers``) that
the draft keeps and ``guidance.py`` reads, and back (``initial_from``).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from crispy_forms_gds.choices import Choice
from crispy_forms_gds.layout import ConditionalQuestion, ConditionalRadios, Div, Field, Fieldset, Layout, Size
from django import forms
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from consent import capacity
from consent.models import ConsentRecord
from consent.selectors import live_consents
from core.dates import decided_at
from core.forms import GovukDateField, GovukForm, choice_field, clean_clock_time, text_area, yes_no_field
from records.models import Agency, ChildAdultRelationship
from sharing import guidance
from sharing.guidance import QuestionKey
from sharing.models import Direction, LegalBasis, ReviewOutcome


def _json_value(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [_json_value(item) for item in value]
    return value


def _display_value(field: forms.Field, value: Any) -> str:
    if value in (None, "", []):
        return "Not answered"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    choices = dict(getattr(field, "choices", []) or [])
    if isinstance(value, list):
        return "; ".join(str(choices.get(item, item)) for item in value)
    if choices and value in choices:
        return str(choices[value])
    if isinstance(field, GovukDateField):
        return date.fromisoformat(value).strftime("%-d %B %Y")
    return str(value)


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

    @classmethod
    def for_summary(cls, draft) -> QuestionForm:
        """A form for ``summarise`` alone (the check page, the recorded snapshot)."""
        return cls(draft=draft)

    def summarise(self, answers: dict[str, Any]) -> list[list[str]]:
        """Each answer as a practitioner reads it: [label, value] pairs."""
        lines = []
        for name, field in self.fields.items():
            if name not in answers or answers[name] in (None, "", []):
                continue
            lines.append([str(field.label), _display_value(field, answers[name])])
        return lines


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


class PurposeForm(QuestionForm):
    question = QuestionKey.PURPOSE

    purpose = text_area(
        "What is the purpose of sharing the information?",
        "In plain English: what is needed, why, and what the recipient will do with it",
        message="Enter the purpose of sharing the information",
    )
    legal_bases = forms.MultipleChoiceField(
        label="What is the legal basis for sharing?",
        help_text="Select all that apply (3.5.4)",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Select legal bases from the list, or enter another below"},
    )
    legal_basis_other = forms.CharField(label="Other legal basis", required=False, max_length=300)
    concern_level = choice_field(
        "What is the level of concern about the child at this time?",
        [(c.value, guidance.CONCERN_LABELS[c]) for c in guidance.Concern],
        "Select the level of concern about the child",
        help_text="Record the perceived level of risk of harm at the time (3.3.9, 3.7.1)",
    )
    need_to_know = yes_no_field(
        "Does the person receiving the information have a sufficient need to know?",
        message="Select yes if the recipient has a sufficient need to know",
    )
    proportionate = yes_no_field(
        "Is sharing proportionate to the purpose?", message="Select yes if sharing is proportionate to the purpose"
    )
    statutory_restriction = yes_no_field(
        "Was the information obtained under a statutory power or duty that limits what can be done with it?",
        message="Select yes if the information was obtained under a power or duty that limits its use",
    )
    secondary_disclosure = yes_no_field(
        "Will the recipient pass the information on to anyone else (secondary disclosure)?",
        message="Select yes if the recipient will pass the information on",
    )
    anonymised_would_do = yes_no_field(
        "Could anonymised information achieve the purpose instead?",
        message="Select yes if anonymised information could achieve the purpose",
    )
    legitimate_purpose = yes_no_field(
        "Having considered these, is there a legitimate purpose to share the information?",
        "Within the functions or powers of your agency (3.5.3)",
        message="Select yes if there is a legitimate purpose to share the information",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        chosen = set((self.initial or {}).get("legal_bases") or [])
        bases = [basis for basis in LegalBasis.objects.all() if basis.is_active or basis.code in chosen]
        self.fields["legal_bases"].choices = [(basis.code, basis.label) for basis in bases]
        self.helper.layout = Layout(
            Field.textarea("purpose", label_size=Size.SMALL),
            Fieldset(
                Field.checkboxes("legal_bases", small=True),
                Field.text("legal_basis_other"),
            ),
            Field.radios("concern_level", small=True),
            Fieldset(
                Field.radios("need_to_know", small=True, inline=True),
                Field.radios("proportionate", small=True, inline=True),
                Field.radios("statutory_restriction", small=True, inline=True),
                Field.radios("secondary_disclosure", small=True, inline=True),
                Field.radios("anonymised_would_do", small=True, inline=True),
                legend="Establishing a legitimate purpose (3.5.4)",
                legend_size=Size.MEDIUM,
            ),
            Field.radios("legitimate_purpose", legend_size=Size.MEDIUM, small=True, inline=True),
        )

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("legal_bases") and not (cleaned.get("legal_basis_other") or "").strip():
            self.add_error("legal_bases", "Select the legal basis for sharing, or enter another")
        return cleaned


class IdentifiableForm(QuestionForm):
    question = QuestionKey.IDENTIFIABLE

    identifies_person = yes_no_field(
        "Does the information identify the child or anyone else?",
        "For example by name, address, date of birth, or details that together point to a person",
        message="Select yes if the information identifies the child or anyone else",
    )
    who_identified = forms.CharField(
        label="Who could be identified?",
        help_text="For example the child, a parent or carer, a sibling",
        required=False,
        max_length=500,
    )
    anonymisation = text_area(
        "How has the information been anonymised?",
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
        "Is the information confidential?",
        [(c.value, guidance.CONFIDENTIALITY_LABELS[c]) for c in guidance.Confidentiality],
        "Select whether the information is confidential",
    )
    reason = text_area(
        "Why?",
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
        "Has consent to share been obtained?",
        [(s.value, guidance.CONSENT_STATUS_LABELS[s]) for s in guidance.ConsentStatus],
        "Select whether consent was obtained, refused, not sought or is not needed",
    )
    consent_record = forms.ChoiceField(
        label="Which consent record?",
        help_text="Only consents not withdrawn or replaced are listed",
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Select one of the consent records listed"},
    )
    consent_covers = yes_no_field(
        "Does this consent cover the purpose of this decision?",
        "What the person was told about the information, the purposes and the recipients (3.3.14, 3.3.22)",
        message="Select yes if the consent covers the purpose of this decision",
    )
    not_sought_reason = forms.ChoiceField(
        label="Why was consent not sought?",
        choices=[(r.value, guidance.NOT_SOUGHT_LABELS[r]) for r in guidance.NotSoughtReason],
        required=False,
        widget=forms.RadioSelect,
    )
    not_sought_other = text_area("Explain the reason", required=False)
    not_needed_reason = text_area("Why is consent not needed?", required=False)

    def __init__(self, *args, consents=None, **kwargs):
        """``consents``: the records to choose from; by default the child's and
        the draft's adults' live consents."""
        super().__init__(*args, **kwargs)
        self.fields["consent_covers"].required = False
        self.records = {}
        if consents is None and self.draft is not None:
            adult_ids = {adult.pk for adult in self.draft.adults.all()}
            consents = live_consents(child=self.draft.child, about_adult_ids=adult_ids)
        self.records = {str(r.pk): r for r in consents or ()}
        # 3.3.11, 3.3.28: beside each record, what the person was told it covers.
        self.fields["consent_record"].choices = [
            Choice(key, consent_label(r), hint=consent_scope_hint(r)) for key, r in self.records.items()
        ]
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
            # Given and refused consent are both answered with a record (3.7.2).
            Fieldset(
                *([Field.radios("consent_record", small=True)] if self.records else []),
                Field.radios("consent_covers", small=True, inline=True),
                legend="If consent was sought, and given or refused",
                legend_size=Size.MEDIUM,
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
            expected = "given" if status == guidance.ConsentStatus.OBTAINED else "refused"
            if record is not None and record.response != expected:
                self.add_error("consent_record", f"That record is a consent {record.response}, not {expected}")
            if status == guidance.ConsentStatus.OBTAINED and record is not None:
                self.require(cleaned, "consent_covers", "Select yes if the consent covers the purpose of this decision")
                refusal = child_refusal_that_counts(self.draft.child) if record.about_adult_id is None else None
                if refusal is not None and not record.by_child:
                    # Says how to fix it: the answer is "sought and refused", with the child's refusal.
                    refused_on = f"{refusal.responded_on:%-d %B %Y}"
                    self.add_error(
                        "status",
                        f"{refusal.responder_name}, {refusal.own_answer_basis}, refused consent on {refused_on}: the "
                        "child's refusal is what counts, even if a parent agrees (3.3.19). Choose "
                        f'"{guidance.CONSENT_STATUS_LABELS[guidance.ConsentStatus.REFUSED]}", then '
                        f"{refusal.responder_name}'s refusal of {refused_on}",
                    )
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
        answers = super().to_answers()
        record = self.chosen
        # A snapshot of the consent relied on, for the rules and the record.
        answers.update(
            consent_summary=consent_label(record) if record else "",
            consent_recipient_kinds=list(record.scope_recipient_kinds) if record else [],
            consent_review_on=record.review_on.isoformat() if record and record.review_on else None,
            consent_review_due=bool(record and record.review_on and record.review_on <= timezone.localdate()),
            **{key: (getattr(record, name) or "") if record else "" for key, name in CONSENT_SNAPSHOT.items()},
        )
        return answers

    @classmethod
    def initial_from(cls, answers):
        keys = {"status", "consent_record", "consent_covers", "not_sought_reason", "not_sought_other"}
        keys.add("not_needed_reason")
        return super().initial_from({k: v for k, v in answers.items() if k in keys})

    @classmethod
    def for_summary(cls, draft) -> ConsentForm:
        # The summary names the consent relied on from the answers' own snapshot
        # (consent_summary): the records to choose from are not needed.
        return cls(draft=draft, consents=())

    def summarise(self, answers):
        lines = super().summarise({k: v for k, v in answers.items() if k != "consent_record"})
        if answers.get("consent_summary"):
            lines[1:1] = [["Consent record", answers["consent_summary"]], *consent_detail_lines(answers)]
        return [line for line in lines if not line[0].startswith("consent_")]


# What question 4 keeps of the consent record relied on (or refused), as it was: {answer key: record field}.
CONSENT_SNAPSHOT = {
    "consent_explicitness": "explicitness",
    "consent_form": "form",
    "consent_how_signalled": "how_signalled",
    "consent_information": "scope_information",
    "consent_purposes": "scope_purposes",
    "consent_recipients": "scope_recipients",
    "consent_recipient_use": "scope_recipient_use",
}


def _kinds_of_agency(kinds: list[str], named: str) -> str:
    labels = dict(Agency.Kind.choices)
    text = "; ".join(str(labels.get(kind, kind)) for kind in kinds) or "None named"
    return f"{text} ({named})" if named else text


def consent_scope_lines(*, information: str, purposes: str, kinds: list[str], named: str, use: str) -> list[list[str]]:
    """What the person was told their consent covers (3.3.28), as [label, text] lines."""
    lines = [
        ["What they were told would be shared", information],
        ["For what purposes", purposes],
        ["With which kinds of agency", _kinds_of_agency(kinds, named)],
        ["What the recipients may use it for", use],
    ]
    return [line for line in lines if line[1]]


def consent_scope_hint(record) -> str:
    """Beside a consent record on question 4: its purposes, recipients and limits (3.3.11, 3.3.28)."""
    lines = consent_scope_lines(
        information=record.scope_information,
        purposes=record.scope_purposes,
        kinds=list(record.scope_recipient_kinds or []),
        named=record.scope_recipients,
        use=record.scope_recipient_use,
    )
    if not lines:
        return ""
    # One line each: a line break after every line but the last.
    return format_html_join("", "{}: {}<br>", lines[:-1]) + format_html("{}: {}", *lines[-1])


def consent_detail_lines(answers: dict[str, Any]) -> list[list[str]]:
    """How the consent relied on was given and what it covers, as the record shows it readily (3.7.9).

    3.3.12: explicit or implicit, and explicit consent written or verbal; 3.3.13: implied consent, and how it
    was signalled; 3.3.28: what the person was told. Decisions recorded before these were kept have none.
    """
    explicitness = answers.get("consent_explicitness") or ""
    if not explicitness:
        return []
    implied = explicitness == ConsentRecord.Explicitness.IMPLIED
    lines = [["Explicit or implied", str(ConsentRecord.Explicitness(explicitness).label)]]
    if answers.get("consent_form"):
        lines.append(["Written or verbal", str(ConsentRecord.Form(answers["consent_form"]).label)])
    refused = answers.get("status") == guidance.ConsentStatus.REFUSED
    how = "How it was refused" if refused else ("How it was signalled" if implied else "How it was given")
    lines.append([how, answers.get("consent_how_signalled") or ""])
    lines += consent_scope_lines(
        information=answers.get("consent_information") or "",
        purposes=answers.get("consent_purposes") or "",
        kinds=answers.get("consent_recipient_kinds") or [],
        named=answers.get("consent_recipients") or "",
        use=answers.get("consent_recipient_use") or "",
    )
    return [line for line in lines if line[1]]


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
        "Is there a statutory duty or a court order to share the information?",
        [(d.value, guidance.DUTY_LABELS[d]) for d in guidance.Duty],
        "Select whether there is a statutory duty or court order",
    )
    reference = forms.CharField(
        label="If yes, which duty or order?",
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


ADVISERS = [
    ("safeguarding_lead", "Safeguarding lead or named child protection lead (3.5.18)"),
    ("caldicott_guardian", "Caldicott Guardian (3.5.17)"),
    ("lead_information_officer", "Lead information officer (3.2.4)"),
    ("line_manager", "Line manager"),
    ("professional_body", "Professional body, for example the GMC or NMC"),
    ("legal", "Legal adviser"),
    ("other", "Someone else"),
]


class PublicInterestForm(QuestionForm):
    question = QuestionKey.PUBLIC_INTEREST

    if_shared = text_area(
        "What might happen if the information is shared?",
        "Including the effect on the child, the family and their trust in services",
        message="Describe what might happen if the information is shared",
    )
    if_not_shared = text_area(
        "What might happen if it is not shared?",
        message="Describe what might happen if the information is not shared",
    )
    proportionality = text_area(
        "Why is sharing, or not sharing, proportionate?",
        "Sharing some information may be enough to decide whether to share more (3.3.7, 3.5.16)",
        message="Explain why your approach is proportionate",
    )
    advice_sought = yes_no_field(
        "Did you seek advice?", message="Select yes if you sought advice about sharing without consent"
    )
    advice_from = forms.ChoiceField(label="From whom?", choices=ADVISERS, required=False, widget=forms.RadioSelect)
    adviser_name = forms.CharField(label="Their name and role", required=False, max_length=200)
    advice_given = text_area("What did they advise?", required=False)
    no_advice_reason = text_area("Why did you not seek advice?", required=False)

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


ITEM_KINDS = [("fact", "Fact"), ("opinion", "Opinion"), ("hypothesis", "Hypothesis"), ("mixed", "A mixture")]
METHODS = [
    ("secure_email", "Secure email (for example a secure government or NHS email service)"),
    ("secure_system", "A secure case management system or portal"),
    ("in_person", "In person, at a meeting"),
    ("telephone", "By telephone, having verified the caller by calling their agency back (3.7.4)"),
    ("post", "Recorded or special delivery post"),
    ("other", "Another way"),
]
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


# Question 7's answers that apply only to a decision to share (3.5.20): not asked, kept or shown otherwise.
SHARING_ONLY = (
    "items", "recipient_name", "recipient_role", "recipient_agency", "recipient_agency_kind", "recipient_need",
    "accuracy_checked", "method", "method_detail", "onward_sharing", "onward_detail", "consent_limits_explained",
    "person_informed", "not_informed_reason", "reconsider_on",
)  # fmt: skip
TOLD = "person_informed", "not_informed_reason", "reconsider_on"
PERSON_INFORMED = [
    ("already", "Yes, they already know"),
    ("will_be_told", "Yes, they will be told"),
    ("not_told", "No"),
]


class SharingForm(ItemRowsMixin, QuestionForm):
    """Question 7, which starts with the decision itself: there is no 'right way'
    to check unless the information is to be shared."""

    question = QuestionKey.SHARING

    outcome = choice_field(
        "What have you decided?",
        [(o.value, guidance.OUTCOME_LABELS[o]) for o in guidance.Outcome],
        "Select whether you will share the information, share some of it, or not share it",
        help_text="What will be shared, with whom and how is asked only if you share (3.5.20)",
    )
    withheld = text_area(
        "What information are you not sharing, and why?",
        "Needed if you share only some of the information or none of it",
        required=False,
    )
    recipient_name = forms.CharField(label="Name", required=False, max_length=200)
    recipient_role = forms.CharField(label="Role", required=False, max_length=200)
    recipient_agency = forms.CharField(label="Agency", required=False, max_length=200)
    recipient_agency_kind = forms.ChoiceField(
        label="What kind of agency is it?",
        choices=Agency.Kind.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    recipient_need = text_area("Why do they need to know?", required=False)
    accuracy_checked = forms.BooleanField(
        label="I have checked that the information is accurate and up to date", required=False
    )
    method = forms.ChoiceField(
        label="How will it be shared?", choices=METHODS, required=False, widget=forms.RadioSelect
    )
    method_detail = forms.CharField(label="Details of how it will be shared", required=False, max_length=500)
    onward_sharing = forms.ChoiceField(
        label="Does the recipient intend to pass it on to anyone else?",
        choices=[("yes", "Yes"), ("no", "No"), ("not_known", "Not known")],
        required=False,
        widget=forms.RadioSelect,
    )
    onward_detail = forms.CharField(label="To whom, and why?", required=False, max_length=500)
    consent_limits_explained = forms.BooleanField(
        label="The recipient understands the limits of the consent that was given",
        help_text="If the consent covers the kind of agency receiving it (3.3.28)",
        required=False,
    )
    person_informed = forms.ChoiceField(
        label="Will the person the information is about be told it has been shared?",
        help_text="And, if different, the person who provided it (3.5.20)",
        choices=PERSON_INFORMED,
        required=False,
        widget=forms.RadioSelect,
    )
    not_informed_reason = text_area(
        "Why will they not be told?",
        "For example, telling them would put the child at risk of harm (3.5.19)",
        required=False,
    )
    reconsider_on = GovukDateField(
        what="date to reconsider telling them",
        label="When should telling them be reconsidered?",
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

    def summarise(self, answers):
        lines = [[str(self.fields["outcome"].label), guidance.OUTCOME_LABELS.get(answers.get("outcome"), "")]]
        kinds = dict(ITEM_KINDS)
        for index, item in enumerate(answers.get("items") or [], start=1):
            lines.append([f"Item {index} ({kinds.get(item['kind'], item['kind']).lower()})", item["text"]])
        rest = {k: v for k, v in answers.items() if k not in ("outcome", "items")}
        if not guidance.sharing_checks_apply({QuestionKey.SHARING: answers}):
            # 3.5.20: a decision not to share is not printed with checks it did not need.
            rest = {k: v for k, v in rest.items() if k not in SHARING_ONLY}
        return lines + super().summarise(rest)


class DecisionForm(QuestionForm):
    question = QuestionKey.DECISION

    reasons = text_area(
        "Why have you made this decision?",
        "In your own words. Someone reading this years from now should understand what you knew and why you decided",
        message="Enter the reasons for your decision",
    )
    departure_reason = text_area(
        "Your decision differs from what the guidance points to. Why?",
        required=False,
    )
    decided_on = GovukDateField(
        what="date of the decision", label="Date of the decision", help_text="For example, 21 11 2026"
    )
    decided_time = forms.CharField(
        label="Time of the decision",
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


def answer_summaries(draft) -> list[tuple[guidance.Question, list[list[str]]]]:
    """Each question of the draft answered so far, with its answers as the practitioner reads them:
    the check page, and whoever is asked for advice about the draft."""
    return [
        (guidance.QUESTION_BY_KEY[key], QUESTION_FORMS[key].for_summary(draft).summarise(draft.answers[key]))
        for key in guidance.questions_needed(draft.answers)
        if key in draft.answers
    ]


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
