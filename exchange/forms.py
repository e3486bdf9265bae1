from __future__ import annotations

from dataclasses import fields

from crispy_forms_gds.choices import Choice
from crispy_forms_gds.layout import ConditionalQuestion, ConditionalRadios, Field, Layout, Size
from django import forms
from django.utils import timezone

from core.dates import local_datetime
from core.forms import (
    GovukDateField,
    GovukForm,
    choice_field,
    clean_clock_time,
    paragraphs_as_hints,
    text_area,
    yes_no_field,
)
from exchange import request_pages, through_service
from exchange.models import (
    Channel,
    InformationRequest,
    PoliceCategory,
    RequestStatus,
    VerificationMethod,
)
from exchange.services import ClosingDetails, FollowUpDetails, RequestDetails, SentRequestDetails
from records.models import Agency, ChildAdultRelationship
from sharing import guidance


def time_field(label: str, what: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text="Use the 24-hour clock, for example 14:30",
        max_length=5,
        error_messages={"required": f"Enter the time {what}"},
    )


class RequestForm(GovukForm):
    """A request for information, logged as it arrives (000, 3.7.1, 3.7.9)."""

    received_on = GovukDateField(what="date the request was received", label="Date received")
    received_time = time_field("Time received", "the request was received")
    channel = choice_field("How did the request come in?", Channel.choices, "Select how the request came in")
    requester_name = forms.CharField(
        label="Name", max_length=200, error_messages={"required": "Enter the name of the person asking"}
    )
    requester_role = forms.CharField(
        label="Role", max_length=200, error_messages={"required": "Enter the role of the person asking"}
    )
    requester_agency = forms.CharField(
        label="Agency", max_length=200, error_messages={"required": "Enter the agency of the person asking"}
    )
    requester_agency_kind = choice_field(
        "What kind of agency is it?", Agency.Kind.choices, "Select the kind of agency asking"
    )
    requester_contact = forms.CharField(
        label="Contact details",
        help_text="A telephone number or secure email address",
        max_length=300,
        error_messages={"required": "Enter how to contact the person asking"},
    )
    requester_known = yes_no_field(
        "Do you already know this person in their professional role?",
        "If not, you must verify them before disclosing anything, by calling their agency back (3.7.4)",
        message="Select yes if you already know the person asking",
    )
    information_needed = text_area(
        "What information do they need?", "In plain English", message="Enter what information they need"
    )
    reason = text_area("Why do they need it?", message="Enter why they need the information")
    intended_use = text_area("What will they do with it?", message="Enter what they will do with the information")
    others_to_tell = text_area("Who else needs to be told if concerns about the child persist?", required=False)
    risk_level = choice_field(
        "What is the perceived level of risk of harm at this time?",
        [(c.value, label) for c, label in guidance.CONCERN_LABELS.items()],
        "Select the perceived level of risk of harm",
        help_text="Recorded at the time of the request (3.7.1)",
    )
    police_category = choice_field(
        "Which category of request is this?",
        PoliceCategory.choices,
        "Select the category of request",
        help_text="The police can lawfully answer only these (3.6.9); any other request is declined (3.6.10)",
        required=False,
    )
    adults = forms.MultipleChoiceField(
        label="Does the request also concern any of these adults?",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(
        self, *args, relationships: list[ChildAdultRelationship], police: bool, page: str | None = None, **kwargs
    ):
        """``page``: the one page of exchange.request_pages shown (errors on the other pages' fields are not its
        own); without it, the whole request, as the check page checks it before recording."""
        super().__init__(*args, **kwargs)
        self.police = police
        now = timezone.localtime()
        self.initial.setdefault("received_on", now.date())
        self.initial.setdefault("received_time", now.strftime("%H:%M"))
        self.fields["adults"].choices = [
            (str(link.adult_id), f"{link.adult.full_name} ({link.relationship_display.lower()})")
            for link in relationships
        ]
        if (self.data.get("channel") or self.initial.get("channel")) != Channel.THROUGH_SERVICE:
            # Only a request matched from one sent through this service came that way (ADR 26).
            self.fields["channel"].choices = [
                choice for choice in self.fields["channel"].choices if choice[0] != Channel.THROUGH_SERVICE
            ]
        answers = request_pages.Answers(asked_agency_is_police=police, adults_linked=bool(relationships))
        for name in request_pages.fields_that_do_not_apply(answers):
            del self.fields[name]
        self.page = page
        if page is not None:
            self.helper.layout = Layout(*self._page_layout(page))

    def _page_layout(self, page: str) -> list:
        """What one page of logging a request asks (exchange.request_pages): one thing a page. A page of one
        question has that question as its heading; the template gives the others the page's title."""
        if page == "requester":
            return [
                Field.text("requester_name", field_width=20),
                Field.text("requester_role", field_width=20),
                Field.text("requester_agency", field_width=20),
                Field.radios("requester_agency_kind", small=True, legend_size=Size.MEDIUM),
                Field.text("requester_contact"),
            ]
        if page == "received":
            return [
                Field.radios("channel", small=True, legend_size=Size.MEDIUM),
                Field("received_on"),
                Field.text("received_time", field_width=5),
            ]
        if page == "known":
            return [Field.radios("requester_known", inline=True, legend_size=Size.LARGE, legend_tag="h1")]
        if page == "reason":
            return [Field.textarea("reason"), Field.textarea("intended_use")]
        if page == "risk":
            return [Field.radios("risk_level", legend_size=Size.LARGE, legend_tag="h1")]
        if page == "police-category":
            return [Field.radios("police_category", legend_size=Size.LARGE, legend_tag="h1")]
        if page == "adults":
            return [Field.checkboxes("adults", legend_size=Size.LARGE, legend_tag="h1")]
        # "information", "others": a question in words, the page's heading.
        name = request_pages.BY_SLUG[page].fields[0]
        return [Field.textarea(name, label_size=Size.LARGE, label_tag="h1")]

    def full_clean(self):
        super().full_clean()
        if self.page is not None and self.is_bound:
            # One page's errors: the other pages' fields are asked (and checked) where they are shown.
            shown = set(request_pages.BY_SLUG[self.page].fields)
            for name in [name for name in self._errors if name not in shown]:
                del self._errors[name]

    def clean_received_time(self):
        return clean_clock_time(self.cleaned_data.get("received_time"))

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("received_on") and "received_on" not in self.errors:
            self.add_error("received_on", "Enter the date the request was received")
        if self.police and not cleaned.get("police_category") and "police_category" not in self.errors:
            self.add_error("police_category", "Select the category of request")
        if cleaned.get("received_on") and cleaned.get("received_time"):
            received = local_datetime(cleaned["received_on"], cleaned["received_time"])
            if received > timezone.now():
                self.add_error("received_on", "The request cannot have been received in the future")
            cleaned["received_at"] = received
        return cleaned

    def details(self) -> RequestDetails:
        names = [
            "received_at", "channel", "requester_name", "requester_role", "requester_agency",
            "requester_agency_kind", "requester_contact", "requester_known", "information_needed", "reason",
            "intended_use", "others_to_tell", "risk_level",
        ]  # fmt: skip
        return RequestDetails(
            **{name: self.cleaned_data[name] for name in names},
            police_category=self.cleaned_data.get("police_category") or "",
        )

    def answers_in_words(self) -> list[dict]:
        """The answers of the valid form, page by page (those that apply), in words: for checking them."""
        cleaned = self.cleaned_data
        sections = []
        for page in request_pages.PAGES:
            if not all(name in self.fields for name in page.fields):
                continue
            rows = []
            for name in page.fields:
                field, value = self.fields[name], cleaned.get(name)
                if name == "received_on":
                    value = f"{value:%-d %B %Y}" if value else ""
                elif isinstance(value, bool):
                    value = "Yes" if value else "No"
                elif isinstance(value, list):
                    chosen = dict(field.choices)
                    value = "\n".join(str(chosen.get(key, key)) for key in value)
                elif getattr(field, "choices", None) and value:
                    value = str(dict(field.choices).get(value, value))
                rows.append((field.label, value or "None given"))
            sections.append({"slug": page.slug, "title": page.title, "rows": rows})
        return sections


class VerifyForm(GovukForm):
    method = choice_field(
        "How did you verify who they are?",
        paragraphs_as_hints(VerificationMethod.choices),
        "Select how you verified the requester",
    )
    details = text_area(
        "Details",
        "For example the published number you called and who you spoke to",
        message="Enter the details of how you verified them",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(Field.radios("method", small=True), Field.textarea("details"))


class CloseRequestForm(GovukForm):
    outcome = choice_field(
        "What happened to the request?",
        [
            (RequestStatus.DECLINED.value, "Declined: no information will be shared"),
            (RequestStatus.WITHDRAWN.value, "Withdrawn by the person who asked"),
        ],
        "Select whether the request was declined or withdrawn",
    )
    reasons = text_area(
        "Reasons",
        "Never refuse solely because information is confidential: say what risks you considered (000)",
        message="Enter the reasons",
    )

    def __init__(self, *args, police_decline: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if police_decline:
            # 3.6.10: outside the police categories, a request is declined; the paragraph is the choice's hint.
            self.fields["outcome"].choices = paragraphs_as_hints([(RequestStatus.DECLINED.value, "Declined (3.6.10)")])
            self.initial.setdefault("outcome", RequestStatus.DECLINED.value)
            self.initial.setdefault(
                "reasons", "The request is outside the categories the police can lawfully answer (3.6.9, 3.6.10)."
            )
        self.helper.layout = Layout(Field.radios("outcome", small=True), Field.textarea("reasons"))

    def details(self) -> ClosingDetails:
        return ClosingDetails(outcome=RequestStatus(self.cleaned_data["outcome"]), reasons=self.cleaned_data["reasons"])


ONWARD = [("yes", "Yes"), ("no", "No"), ("not_known", "Not known")]


def reconsider_date_to_come(form: forms.Form, cleaned: dict) -> None:
    """3.5.19, 3.7.3: the date to reconsider telling the person is still to come (sharing.guidance)."""
    when = cleaned.get("reconsider_on")
    if when and not guidance.reconsider_date_is_valid(when, timezone.localdate()):
        form.add_error("reconsider_on", "The date to reconsider telling them must be in the future")


class FollowUpForm(GovukForm):
    informed = yes_no_field(
        "Has the child or a parent now been told?", message="Select yes if the child or a parent has now been told"
    )
    informed_on = GovukDateField(what="date they were told", label="When were they told?")
    informed_by = forms.CharField(label="Who told them?", required=False, max_length=200)
    reasons = text_area("Why not yet?", required=False)
    reconsider_on = GovukDateField(what="date to reconsider", label="When should this be reconsidered?")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(
            ConditionalRadios(
                "informed",
                ConditionalQuestion("Yes", Field("informed_on"), Field.text("informed_by", field_width=20)),
                ConditionalQuestion("No", Field.textarea("reasons"), Field("reconsider_on")),
            )
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("informed_on") and cleaned["informed_on"] > timezone.localdate():
            self.add_error("informed_on", "The date they were told must be today or in the past")
        if cleaned.get("informed") is True:
            for name, message in (("informed_on", "Enter when they were told"), ("informed_by", "Enter who told them")):
                if not cleaned.get(name) and name not in self.errors:
                    self.add_error(name, message)
            cleaned.update(reasons="", reconsider_on=None)
        elif cleaned.get("informed") is False:
            for name, message in (
                ("reasons", "Explain why they have not been told yet"),
                ("reconsider_on", "Enter a date to reconsider telling them"),
            ):
                if not cleaned.get(name) and name not in self.errors:
                    self.add_error(name, message)
            reconsider_date_to_come(self, cleaned)
            cleaned.update(informed_on=None, informed_by="")
        return cleaned

    def details(self) -> FollowUpDetails:
        return FollowUpDetails(
            **{column.name: self.cleaned_data.get(column.name) for column in fields(FollowUpDetails)}
        )


class BeforeDecidingForm(GovukForm):
    """Asked to share: which logged request the decision answers, or log it first (3.7.1, 3.7.9)."""

    LOG_NOW = "log"
    NOT_LOGGED = "not_logged"

    answering = forms.ChoiceField(
        label="Which request are you answering?",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select the request you are answering, or log it now",
            "invalid_choice": "Select the request you are answering, or log it now",
        },
    )

    def __init__(self, *args, waiting: list[InformationRequest], **kwargs):
        super().__init__(*args, **kwargs)
        choices = [
            Choice(
                str(info_request.pk),
                f"Request {info_request.reference} from {info_request.requester_name}, {info_request.requester_agency}",
                hint=f"Received {timezone.localtime(info_request.received_at):%-d %B %Y, %H:%M}"
                + ("" if info_request.is_verified else "; the requester has not been verified"),
            )
            for info_request in waiting
        ]
        if choices:
            choices[-1].divider = "or"
        choices += [
            Choice(self.LOG_NOW, "Log the request now, then decide", hint="Question 1 starts with what they asked"),
            Choice(
                self.NOT_LOGGED,
                "Decide without logging the request",
                hint="Who asked, and how, will only be in your answer to question 1",
            ),
        ]
        self.fields["answering"].choices = choices
        self.helper.layout = Layout(Field.radios("answering", legend_size=Size.MEDIUM))


class AskAgencyForm(GovukForm):
    """A request for information sent through this service to another agency on it (000, 3.7.1; 3.6.9 when
    the agency asked is a police force): the questions a requester must answer, asked of the person asking."""

    to_agency = forms.ChoiceField(
        label="Which agency are you asking?",
        help_text="Agencies on this service. The request goes to their safeguarding leads and staff who handle "
        "requests; they see the child's details you hold, to find the child among their own, and nothing else of "
        "your records",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select the agency you are asking",
            "invalid_choice": "Select the agency you are asking",
        },
    )
    information_needed = text_area(
        "What information do you need?", "In plain English", message="Enter what information you need"
    )
    reason = text_area("Why do you need it?", message="Enter why you need the information")
    intended_use = text_area("What will you do with it?", message="Enter what you will do with the information")
    others_to_tell = text_area(
        "Who else will be told?",
        "Who else you will tell, if concerns about the child persist. The request itself goes to the agency you "
        "ask and to no one else; if you will tell nobody else, say so",
        message="Enter who else will be told, or that nobody else will be",
    )
    risk_level = RequestForm.base_fields["risk_level"]
    police_category = choice_field(
        "Which category of request is this?",
        PoliceCategory.choices,
        "Select the category of request",
        help_text="The police can lawfully answer only these (3.6.9); any other request is declined (3.6.10)",
        required=False,
    )

    def __init__(self, *args, agencies: list[Agency], page: str | None = None, **kwargs):
        """``page``: the one page of exchange.through_service shown; without it, the whole request, as the check
        page checks it before sending."""
        super().__init__(*args, **kwargs)
        self.agencies = {str(agency.pk): agency for agency in agencies}
        self.fields["to_agency"].choices = [
            Choice(str(agency.pk), agency.name, hint=agency.get_kind_display()) for agency in agencies
        ]
        self.police = self.chosen_agency_is_police()
        answers = through_service.Answers(asked_agency_is_police=self.police)
        for name in through_service.fields_that_do_not_apply(answers):
            del self.fields[name]
        self.page = page
        if page is not None:
            self.helper.layout = Layout(*self._page_layout(page))

    def chosen_agency(self) -> Agency | None:
        return self.agencies.get(self.data.get("to_agency") or self.initial.get("to_agency") or "")

    def chosen_agency_is_police(self) -> bool:
        chosen = self.chosen_agency()
        return chosen is not None and chosen.kind == Agency.Kind.POLICE

    def _page_layout(self, page: str) -> list:
        if page == "agency":
            return [Field.radios("to_agency", legend_size=Size.LARGE, legend_tag="h1")]
        if page == "reason":
            return [Field.textarea("reason"), Field.textarea("intended_use")]
        if page in ("risk", "police-category"):
            return [Field.radios(through_service.BY_SLUG[page].fields[0], legend_size=Size.LARGE, legend_tag="h1")]
        return [Field.textarea(through_service.BY_SLUG[page].fields[0], label_size=Size.LARGE, label_tag="h1")]

    def full_clean(self):
        super().full_clean()
        if self.page is not None and self.is_bound:
            shown = set(through_service.BY_SLUG[self.page].fields)
            for name in [name for name in self._errors if name not in shown]:
                del self._errors[name]

    def clean(self):
        cleaned = super().clean()
        if self.police and not cleaned.get("police_category") and "police_category" not in self.errors:
            self.add_error("police_category", "Select the category of request")
        return cleaned

    def details(self) -> SentRequestDetails:
        cleaned = self.cleaned_data
        return SentRequestDetails(
            to_agency=self.agencies[cleaned["to_agency"]],
            **{name: cleaned[name] for name in ("information_needed", "reason", "intended_use", "others_to_tell")},
            risk_level=cleaned["risk_level"],
            police_category=cleaned.get("police_category") or "",
        )

    def answers_in_words(self) -> list[dict]:
        """The answers of the valid form, page by page (those that apply), in words: for checking them."""
        sections = []
        for page in through_service.PAGES:
            if not all(name in self.fields for name in page.fields):
                continue
            rows = []
            for name in page.fields:
                field, value = self.fields[name], self.cleaned_data.get(name)
                if getattr(field, "choices", None) and value:
                    value = str(dict((str(key), label) for key, label in field.choices).get(value, value))
                rows.append((field.label, value or "None given"))
            sections.append({"slug": page.slug, "title": page.title, "rows": rows})
        return sections


class ChildToMatchForm(GovukForm):
    """Which child of the agency's own a request sent through this service is about (ADR 26)."""

    child = forms.ChoiceField(
        label="Which of your children is it?",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select the child the request is about",
            "invalid_choice": "Select the child the request is about",
        },
    )

    def __init__(self, *args, children: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.children = {str(child.pk): child for child in children}
        self.fields["child"].choices = [
            Choice(
                str(child.pk),
                child.full_name,
                hint=(
                    f"Born {child.date_of_birth:%-d %B %Y}"
                    if child.date_of_birth
                    else (f"Due {child.expected_date_of_birth:%-d %B %Y}" if child.expected_date_of_birth else "")
                )
                + (f", {child.postcode}" if child.postcode else ""),
            )
            for child in children
        ]
        self.helper.layout = Layout(Field.radios("child", legend_size=Size.MEDIUM))


class NotKnownForm(GovukForm):
    reasons = text_area(
        "Why is it not a child you know?",
        "The agency that asked sees this. Say nothing of any other child or family",
        message="Enter why it is not a child you know",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(Field.textarea("reasons"))
