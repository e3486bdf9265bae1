"""Recording a disclosure, one thing a page (exchange.disclosure_pages): one form over the pages, each page
checking its own answers beside those of the pages before it, the check page checking the whole."""

from __future__ import annotations

from crispy_forms_gds.layout import ConditionalQuestion, ConditionalRadios, Field, Layout, Size
from django import forms
from django.utils import timezone

from core.dates import local_datetime
from core.forms import (
    GovukDateField,
    GovukForm,
    choice_field,
    clean_clock_time,
    label_and_paragraphs,
    paragraphs_as_hints,
    text_area,
    yes_no_field,
)
from exchange import disclosure_pages as pages
from exchange import verification
from exchange.forms import ONWARD, reconsider_date_to_come, time_field
from exchange.models import METHOD_CHECKS, Method
from exchange.services import DisclosureDetails, Sending

# The choice of the agency's safeguarding leads, rather than a named person (send_to_person).
LEADS = "leads"


class DisclosureForm(GovukForm):
    """What was actually disclosed, to whom, when and how (3.7.9, 3.7.4-3.7.8), whether it is passed on
    (3.5.20) and whether the child or a parent was told (3.5.19, 3.7.3). The items come from their own pages
    (``items``); ``page``: the one page shown (errors on the other pages' answers are not its own)."""

    consent_lapsed_reason = text_area(
        "On what other basis does this disclosure go ahead, and why?",
        "For example a statutory duty, or the public interest in protecting the child (3.3.22, 3.5.16). If there "
        "is none, do not disclose: make a new decision.",
        required=False,
    )
    unverified_override = text_area(
        "Why are you disclosing without verifying them?",
        "Normally you must verify an unknown requester by calling their agency back first (3.7.4)",
        required=False,
    )
    recipient_name = forms.CharField(label="Name", max_length=200, error_messages={"required": "Enter the name"})
    recipient_role = forms.CharField(label="Role", max_length=200, error_messages={"required": "Enter the role"})
    recipient_agency = forms.CharField(label="Agency", max_length=200, error_messages={"required": "Enter the agency"})
    disclosed_on = GovukDateField(what="date of the disclosure", label="Date disclosed")
    disclosed_time = time_field("Time disclosed", "of the disclosure")
    method = choice_field(
        "How was it disclosed?",
        Method.choices,
        "Select how the information was disclosed",
        help_text="Confidential information goes only by secure electronic systems, not ordinary internet email "
        "(3.7.8)",
    )
    method_detail = forms.CharField(label="Details", max_length=500, required=False)
    # Sent through this service (ADR 27): to which agency on it, whom there, and for how long they may keep it.
    send_to_agency = choice_field(
        "Which agency on this service do you want to send it to?",
        [],
        "Select the agency to send it to",
        help_text="Only agencies that use this service are listed. They see what you send and nothing else of "
        "your records (3.7.8)",
        required=False,
    )
    send_to_person = choice_field(
        "Who at that agency should receive it?",
        [],
        "Select who should receive it",
        help_text="A named person, or the agency's safeguarding leads. Either way, the agency's leads can read it",
        required=False,
    )
    keep_until = GovukDateField(
        what="date until which they may keep it",
        label="Until when may they keep it?",
        help_text="After this date they must delete it, or ask you again. Keep it no longer than they need it (3.5.20)",
    )
    onward_sharing = choice_field(
        "Does the recipient intend to pass it on (secondary disclosure)?",
        ONWARD,
        "Select whether they will pass it on",
        # 3.5.20 and the glossary (3.8).
        help_text="Secondary disclosure is the recipient passing the information on to another agency or person. "
        "Ask them whether they intend to, and make sure they understand the limits of any consent given (3.5.20; "
        "the glossary, section 3.8)",
    )
    onward_detail = forms.CharField(label="To whom, and why?", required=False, max_length=500)
    consent_limits_told = forms.BooleanField(
        label="The recipient was told the limits of the consent given",
        help_text="Make sure they understand what the person agreed to, and what they did not (3.5.20)",
        required=False,
    )
    informed = yes_no_field(
        "Has the child or a parent been told that the information was shared?",
        "Tell them, unless that would put the child at risk of harm, and record why if you do not (3.5.19, 3.7.3)",
        message="Select yes if the child or a parent has been told",
    )
    informed_on = GovukDateField(what="date they were told", label="When were they told?")
    informed_by = forms.CharField(label="Who told them?", required=False, max_length=200)
    not_informed_reason = text_area(
        "Why have they not been told?", "For example, telling them would put the child at risk (3.5.19)", required=False
    )
    reconsider_on = GovukDateField(what="date to reconsider", label="When should this be reconsidered?")

    def __init__(
        self,
        *args,
        consent_relied_on: bool,
        needs_override: bool,
        consent_lapsed: bool = False,
        items: list[dict[str, str]] | None = None,
        page: str | None = None,
        method: str | None = None,
        service_agencies: list[tuple[str, str]] = (),
        service_people: list[tuple[str, str]] = (),
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        # The agencies on this service but the sender's, and the people of the one chosen (exchange.selectors).
        self.fields["send_to_agency"].choices = list(service_agencies)
        self.fields["send_to_person"].choices = [(LEADS, "Its safeguarding leads"), *service_people]
        # 3.7.4: with the override, "The person was verified" is not asked.
        self.method_checks = {
            way: verification.checks_asked(checks, disclosing_unverified=needs_override)
            for way, checks in METHOD_CHECKS.items()
        }
        for way, checks in self.method_checks.items():
            self.fields[pages.checks_field(way)] = forms.MultipleChoiceField(
                label="Which checks were made?",
                help_text="Confirm each check this way of disclosing asks for (3.7.4 to 3.7.8)",
                choices=paragraphs_as_hints(checks),
                required=False,
                widget=forms.CheckboxSelectMultiple,
            )
        now = timezone.localtime()
        self.initial.setdefault("disclosed_on", now.date())
        self.initial.setdefault("disclosed_time", now.strftime("%H:%M"))
        self.consent_relied_on = consent_relied_on
        self.needs_override = needs_override
        self.consent_lapsed = consent_lapsed
        self.items = list(items or [])
        self.page = page
        # The method chosen on its page: its checks and where it was sent are asked on the pages after it.
        self.chosen_method = method or self._chosen("method")
        question = pages.METHOD_DETAIL_QUESTIONS.get(self.chosen_method)
        if question is not None:
            label, paragraph, _blank = question
            self.fields["method_detail"].label = label
            self.fields["method_detail"].help_text = f"Check it carefully, preferably with a colleague ({paragraph})"
        if page is not None:
            self.helper.layout = Layout(*self._page_layout(page))

    def _chosen(self, name: str) -> str:
        source = self.data if self.is_bound else self.initial
        value = source.get(name) or ""
        return value if isinstance(value, str) else ""

    def _page_layout(self, page: str) -> list:
        """What one page asks (exchange.disclosure_pages): one thing a page."""
        if page == "consent-lapsed":
            return [Field.textarea("consent_lapsed_reason", label_size=Size.MEDIUM)]
        if page == "unverified":
            return [Field.textarea("unverified_override", label_size=Size.MEDIUM)]
        if page == "recipient":
            return [
                Field.text("recipient_name", field_width=20),
                Field.text("recipient_role", field_width=20),
                Field.text("recipient_agency", field_width=20),
            ]
        if page == "when":
            return [Field("disclosed_on"), Field.text("disclosed_time", field_width=5)]
        if page == "method":
            return [Field.radios("method", legend_size=Size.MEDIUM, small=True)]
        if page == "method-detail":
            return [Field.text("method_detail", label_size=Size.MEDIUM)]
        if page == "checks":
            return [Field.checkboxes(pages.checks_field(self.chosen_method), legend_size=Size.MEDIUM, small=True)]
        if page == "send-to":
            return [Field.radios("send_to_agency", legend_size=Size.MEDIUM, small=True)]
        if page == "send-to-person":
            return [Field.radios("send_to_person", legend_size=Size.MEDIUM, small=True)]
        if page == "keep-until":
            return [Field("keep_until", legend_size=Size.MEDIUM)]
        if page == "onward":
            return [
                ConditionalRadios(
                    "onward_sharing",
                    ConditionalQuestion("Yes", Field.text("onward_detail")),
                    "No",
                    "Not known",
                )
            ]
        if page == "consent-limits":
            return [Field.checkbox("consent_limits_told", small=True)]
        return [
            ConditionalRadios(
                "informed",
                ConditionalQuestion("Yes", Field("informed_on"), Field.text("informed_by", field_width=20)),
                ConditionalQuestion("No", Field.textarea("not_informed_reason"), Field("reconsider_on")),
            )
        ]

    def full_clean(self):
        super().full_clean()
        if self.page is not None and self.is_bound:
            # One page's errors: the other pages' answers are asked (and checked) where they are shown.
            shown = set(pages.BY_SLUG[self.page].fields)
            for name in [name for name in self._errors if name not in shown]:
                del self._errors[name]

    def clean_disclosed_time(self):
        return clean_clock_time(self.cleaned_data.get("disclosed_time"))

    def clean(self):
        cleaned = super().clean()
        if not self.items:
            self.add_error(None, "Add what was disclosed")
        self.require(cleaned, "disclosed_on", "Enter the date of the disclosure")
        if cleaned.get("disclosed_on") and cleaned.get("disclosed_time"):
            cleaned["disclosed_at"] = local_datetime(cleaned["disclosed_on"], cleaned["disclosed_time"])
            if cleaned["disclosed_at"] > timezone.now():
                self.add_error("disclosed_on", "The disclosure cannot be in the future")
        method = cleaned.get("method")
        cleaned["checks"] = []
        if method in pages.METHOD_DETAIL_QUESTIONS:
            self.require(cleaned, "method_detail", pages.METHOD_DETAIL_QUESTIONS[method][2])
        if method in self.method_checks:
            ticked = cleaned.get(pages.checks_field(method)) or []
            missing = [label for key, label in self.method_checks[method] if key not in ticked]
            if missing:
                # What to do, in plain words: the paragraph is the check's hint, not the message's.
                check = label_and_paragraphs(missing[0])[0]
                self.add_error(pages.checks_field(method), f"Confirm each check for this method: {check}")
            cleaned["checks"] = [key for key, _ in self.method_checks[method] if key in ticked]
        if method == pages.THROUGH_THE_SERVICE:
            self.require(cleaned, "send_to_agency", "Select the agency to send it to")
            self.require(cleaned, "send_to_person", "Select who should receive it")
            self.require(cleaned, "keep_until", "Enter the date until which they may keep it")
            if cleaned.get("keep_until") and cleaned["keep_until"] <= timezone.localdate():
                self.add_error("keep_until", "The date until which they may keep it must be in the future")
        if cleaned.get("onward_sharing") == "yes":
            self.require(cleaned, "onward_detail", "Enter to whom they will pass it on, and why")
        if self.consent_relied_on and not cleaned.get("consent_limits_told"):
            self.add_error("consent_limits_told", "Tell the recipient the limits of the consent given")
        if cleaned.get("informed_on") and cleaned["informed_on"] > timezone.localdate():
            self.add_error("informed_on", "The date they were told must be today or in the past")
        if cleaned.get("informed") is True:
            self.require(cleaned, "informed_on", "Enter when they were told")
            self.require(cleaned, "informed_by", "Enter who told them")
        elif cleaned.get("informed") is False:
            self.require(cleaned, "not_informed_reason", "Explain why they have not been told")
            self.require(cleaned, "reconsider_on", "Enter a date to reconsider telling them")
            reconsider_date_to_come(self, cleaned)
        if self.needs_override:
            self.require(cleaned, "unverified_override", "Explain why you are disclosing without verifying them")
        if self.consent_lapsed:
            self.require(
                cleaned,
                "consent_lapsed_reason",
                "Make a new decision, or explain on what other basis this disclosure goes ahead",
            )
        return cleaned

    def details(self) -> DisclosureDetails:
        """The disclosure to record: as the one-page form recorded it, each answer not asked blank."""
        cleaned = self.cleaned_data
        informed = cleaned["informed"]
        return DisclosureDetails(
            items=[{"text": item["text"], "kind": item["kind"]} for item in self.items],
            recipient_name=cleaned["recipient_name"],
            recipient_role=cleaned["recipient_role"],
            recipient_agency=cleaned["recipient_agency"],
            disclosed_at=cleaned["disclosed_at"],
            method=cleaned["method"],
            method_detail=cleaned.get("method_detail") or "",
            checks=cleaned["checks"],
            onward_sharing=cleaned["onward_sharing"],
            onward_detail=cleaned.get("onward_detail") or "",
            consent_limits_told=cleaned.get("consent_limits_told") if self.consent_relied_on else None,
            informed=informed,
            informed_on=cleaned.get("informed_on") if informed else None,
            informed_by=(cleaned.get("informed_by") or "") if informed else "",
            not_informed_reason="" if informed else cleaned.get("not_informed_reason") or "",
            reconsider_on=None if informed else cleaned.get("reconsider_on"),
            unverified_override=(cleaned.get("unverified_override") or "") if self.needs_override else "",
            consent_lapsed_reason=(cleaned.get("consent_lapsed_reason") or "") if self.consent_lapsed else "",
        )

    def sending(self) -> Sending | None:
        """To whom on this service it is sent, and until when they may keep it; None if it went another way."""
        cleaned = self.cleaned_data
        if cleaned.get("method") != pages.THROUGH_THE_SERVICE:
            return None
        person = cleaned["send_to_person"]
        return Sending(
            agency_id=int(cleaned["send_to_agency"]),
            person_id=None if person == LEADS else int(person),
            keep_until=cleaned["keep_until"],
        )

    def answers_in_words(self, applying: list[str]) -> list[dict]:
        """The answers of a valid form, page by page (those that apply), in words: for checking them."""
        cleaned = self.cleaned_data
        sections = []
        for slug in applying:
            if slug == pages.ITEMS:
                continue
            rows = []
            if slug == "when":
                rows.append(("Date and time", f"{timezone.localtime(cleaned['disclosed_at']):%-d %B %Y, %H:%M}"))
            elif slug == "checks":
                labels = dict(self.method_checks[cleaned["method"]])
                rows.append(("Checks made", "\n".join(labels[key] for key in cleaned["checks"])))
            else:
                for name in pages.BY_SLUG[slug].fields:
                    field = self.fields[name]
                    value = cleaned.get(name)
                    if name in ("informed_on", "informed_by") and cleaned.get("informed") is not True:
                        continue
                    if name in ("not_informed_reason", "reconsider_on") and cleaned.get("informed") is not False:
                        continue
                    if name == "onward_detail" and cleaned.get("onward_sharing") != "yes":
                        continue
                    rows.append((str(field.label), _in_words(field, value)))
            # The checks' own labels cite their paragraphs (3.7.4-3.7.8): linked on the check page.
            sections.append({"slug": slug, "title": pages.BY_SLUG[slug].title, "rows": rows, "cites": slug == "checks"})
        return sections


def _in_words(field: forms.Field, value) -> str:
    if value in (None, ""):
        return "Not given"
    if isinstance(field, forms.BooleanField):
        return "Yes" if value else "No"
    if isinstance(field, forms.TypedChoiceField) and isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(field, forms.ChoiceField):
        return str(dict(field.choices).get(value, value))
    if hasattr(value, "strftime"):
        return f"{value:%-d %B %Y}"
    return str(value)
