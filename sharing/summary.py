"""The answers to the eight questions as a practitioner reads them, and the labels they are read by.

Plain Python with no Django imports, beside ``guidance.py``. What each
question's page asks is labelled here once, in the page's order: the question
forms take their labels from here, and the check page, the page of a request
for advice and the recorded decision (``DecisionAnswer.summary``, 3.5.21,
3.7.9) write each answer from here, so the record reads as the page that asked.

Labels this module cannot hold are passed in, as a ``Vocabulary``: the legal
bases offered (a table an administrator keeps), the kinds of agency and how a
consent was given (choices of the records' and consent's models).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sharing import guidance
from sharing.guidance import Answers, QuestionKey

# An answer as read: [label, the answer in words].
Line = list[str]


@dataclass(frozen=True)
class Vocabulary:
    """The labels kept outside this module, each {value: label}."""

    # The legal bases offered now (an answer naming one no longer offered shows its code).
    legal_bases: Mapping[str, str] = field(default_factory=dict)
    agency_kinds: Mapping[str, str] = field(default_factory=dict)
    consent_explicitness: Mapping[str, str] = field(default_factory=dict)
    consent_forms: Mapping[str, str] = field(default_factory=dict)


# Choices written here rather than in the guidance: (value, label), in the order the page offers them.
YES_NO = [("yes", "Yes"), ("no", "No")]
ADVISERS = [
    ("safeguarding_lead", "Safeguarding lead or named child protection lead (3.5.18)"),
    ("caldicott_guardian", "Caldicott Guardian (3.5.17)"),
    ("lead_information_officer", "Lead information officer (3.2.4)"),
    ("line_manager", "Line manager"),
    ("professional_body", "Professional body, for example the GMC or NMC"),
    ("legal", "Legal adviser"),
    ("other", "Someone else"),
]
# 3.7.9: each item shared is fact, opinion, hypothesis or a mixture.
ITEM_KINDS = [("fact", "Fact"), ("opinion", "Opinion"), ("hypothesis", "Hypothesis"), ("mixed", "A mixture")]
METHODS = [
    ("secure_email", "Secure email (for example a secure government or NHS email service)"),
    ("secure_system", "A secure case management system or portal"),
    ("in_person", "In person, at a meeting"),
    ("telephone", "By telephone, having verified the caller by calling their agency back (3.7.4)"),
    ("post", "Recorded or special delivery post"),
    ("other", "Another way"),
]
ONWARD_SHARING = [("yes", "Yes"), ("no", "No"), ("not_known", "Not known")]
PERSON_INFORMED = [
    ("already", "Yes, they already know"),
    ("will_be_told", "Yes, they will be told"),
    ("not_told", "No"),
]

# Question 7's answers that apply only to a decision to share, and those about telling the person (guidance).
SHARING_ONLY = guidance.SHARING_ONLY
TOLD = guidance.TOLD

# What each question's page asks, {answer key: label}, in the page's order.
LABELS: dict[QuestionKey, dict[str, str]] = {
    QuestionKey.PURPOSE: {
        "purpose": "What is the purpose of sharing the information?",
        "legal_bases": "What is the legal basis for sharing?",
        "legal_basis_other": "Other legal basis",
        "concern_level": "What is the level of concern about the child at this time?",
        "need_to_know": "Does the person receiving the information have a sufficient need to know?",
        "proportionate": "Is sharing proportionate to the purpose?",
        "statutory_restriction": "Was the information obtained under a statutory power or duty that limits what "
        "can be done with it?",
        "secondary_disclosure": "Will the recipient pass the information on to anyone else (secondary disclosure)?",
        "anonymised_would_do": "Could anonymised information achieve the purpose instead?",
        "legitimate_purpose": "Having considered these, is there a legitimate purpose to share the information?",
    },
    QuestionKey.IDENTIFIABLE: {
        "identifies_person": "Does the information identify the child or anyone else?",
        "who_identified": "Who could be identified?",
        "anonymisation": "How has the information been anonymised?",
    },
    QuestionKey.CONFIDENTIAL: {
        "confidentiality": "Is the information confidential?",
        "reason": "Why?",
    },
    QuestionKey.CONSENT: {
        "status": "Has consent to share been obtained?",
        "consent_record": "Which consent record?",
        "consent_covers": "Does this consent cover the purpose of this decision?",
        "not_sought_reason": "Why was consent not sought?",
        "not_sought_other": "Explain the reason",
        "not_needed_reason": "Why is consent not needed?",
    },
    QuestionKey.STATUTORY: {
        "duty": "Is there a statutory duty or a court order to share the information?",
        "reference": "If yes, which duty or order?",
    },
    QuestionKey.PUBLIC_INTEREST: {
        "if_shared": "What might happen if the information is shared?",
        "if_not_shared": "What might happen if it is not shared?",
        "proportionality": "Why is sharing, or not sharing, proportionate?",
        "advice_sought": "Did you seek advice?",
        "advice_from": "From whom?",
        "adviser_name": "Their name and role",
        "advice_given": "What did they advise?",
        "no_advice_reason": "Why did you not seek advice?",
    },
    QuestionKey.SHARING: {
        "outcome": "What have you decided?",
        "withheld": "What information are you not sharing, and why?",
        "recipient_name": "Name",
        "recipient_role": "Role",
        "recipient_agency": "Agency",
        "recipient_agency_kind": "What kind of agency is it?",
        "recipient_need": "Why do they need to know?",
        "accuracy_checked": "I have checked that the information is accurate and up to date",
        "method": "How will it be shared?",
        "method_detail": "Details of how it will be shared",
        "onward_sharing": "Does the recipient intend to pass it on to anyone else?",
        "onward_detail": "To whom, and why?",
        "consent_limits_explained": "The recipient understands the limits of the consent that was given",
        "person_informed": "Will the person the information is about be told it has been shared?",
        "not_informed_reason": "Why will they not be told?",
        "reconsider_on": "When should telling them be reconsidered?",
    },
    QuestionKey.DECISION: {
        "reasons": "Why have you made this decision?",
        "departure_reason": "Your decision differs from what the guidance points to. Why?",
        "decided_on": "Date of the decision",
        "decided_time": "Time of the decision",
    },
}

# Answers kept as ISO dates, read as "1 February 2027".
DATES = frozenset({"reconsider_on", "decided_on"})
# Answers kept as True or False (or, from a form's own choices, "yes" or "no").
YES_NO_ANSWERS = frozenset(
    {
        "need_to_know",
        "proportionate",
        "statutory_restriction",
        "secondary_disclosure",
        "anonymised_would_do",
        "legitimate_purpose",
        "identifies_person",
        "consent_covers",
        "advice_sought",
    }
)


def label(question: QuestionKey, name: str) -> str:
    """What the page of ``question`` asks for the answer ``name``."""
    return LABELS[question][name]


def _choices(vocabulary: Vocabulary) -> dict[str, Mapping[str, str]]:
    """Each answer given by choosing, {answer key: {value: label}}."""
    yes_no = dict(YES_NO)
    return {
        **dict.fromkeys(YES_NO_ANSWERS, yes_no),
        "legal_bases": vocabulary.legal_bases,
        "concern_level": guidance.CONCERN_LABELS,
        "confidentiality": guidance.CONFIDENTIALITY_LABELS,
        "status": guidance.CONSENT_STATUS_LABELS,
        "not_sought_reason": guidance.NOT_SOUGHT_LABELS,
        "duty": guidance.DUTY_LABELS,
        "advice_from": dict(ADVISERS),
        "outcome": guidance.OUTCOME_LABELS,
        "recipient_agency_kind": vocabulary.agency_kinds,
        "method": dict(METHODS),
        "onward_sharing": dict(ONWARD_SHARING),
        "person_informed": dict(PERSON_INFORMED),
    }


def in_words(value: Any, *, choices: Mapping[str, str], is_date: bool = False) -> str:
    """An answer as a practitioner reads it: Yes or No, the label of a choice, a date in words."""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, list):
        return "; ".join(str(choices.get(item, item)) for item in value)
    if choices and value in choices:
        return str(choices[value])
    if is_date:
        return date.fromisoformat(value).strftime("%-d %B %Y")
    return str(value)


def asked(question: QuestionKey, answers: Answers) -> list[str]:
    """What the page of ``question`` asks, given the answers to the other questions, in the page's order."""
    names = list(LABELS[question])
    if question == QuestionKey.SHARING:
        if not guidance.consent_covers_purpose(answers):
            # 3.3.28: the limits of a consent are asked about only where consent covers the purpose.
            names.remove("consent_limits_explained")
        if guidance.is_identifiable(answers) is False:
            # 3.5.5: anonymised information identifies nobody to tell.
            names = [name for name in names if name not in TOLD]
    if question == QuestionKey.DECISION and not guidance.departs_from_guidance(answers):
        # 3.5.21: a reason for departing from the guidance is asked only of a departure.
        names.remove("departure_reason")
    return names


def _lines(question: QuestionKey, given: Mapping[str, Any], names: list[str], vocabulary: Vocabulary) -> list[Line]:
    choices = _choices(vocabulary)
    lines = []
    for name in names:
        if name not in given or given[name] in (None, "", []):
            continue
        value = in_words(given[name], choices=choices.get(name, {}), is_date=name in DATES)
        lines.append([LABELS[question][name], value])
    return lines


def answer_lines(question: QuestionKey, answers: Answers, vocabulary: Vocabulary) -> list[Line]:
    """The answers to ``question`` (of the draft's ``answers``) as [label, answer] lines, as the record keeps them."""
    given = answers[question]
    names = asked(question, answers)
    if question == QuestionKey.CONSENT:
        return _consent_lines(given, names, vocabulary)
    if question == QuestionKey.SHARING:
        return _sharing_lines(given, names, vocabulary)
    return _lines(question, given, names, vocabulary)


def _consent_lines(given: Mapping[str, Any], names: list[str], vocabulary: Vocabulary) -> list[Line]:
    # The record chosen is named by the answers' own snapshot of it (consent_summary), not by its id.
    lines = _lines(QuestionKey.CONSENT, given, [name for name in names if name != "consent_record"], vocabulary)
    if given.get("consent_summary"):
        lines[1:1] = [["Consent record", given["consent_summary"]], *consent_detail_lines(given, vocabulary)]
    return lines


def _sharing_lines(given: Mapping[str, Any], names: list[str], vocabulary: Vocabulary) -> list[Line]:
    lines = [[LABELS[QuestionKey.SHARING]["outcome"], guidance.OUTCOME_LABELS.get(given.get("outcome"), "")]]
    kinds = dict(ITEM_KINDS)
    for index, item in enumerate(given.get("items") or [], start=1):
        lines.append([f"Item {index} ({kinds.get(item['kind'], item['kind']).lower()})", item["text"]])
    rest = [name for name in names if name != "outcome"]
    if not guidance.sharing_checks_apply({QuestionKey.SHARING: given}):
        # 3.5.20: a decision not to share is not printed with checks it did not need.
        rest = [name for name in rest if name not in SHARING_ONLY]
    return lines + _lines(QuestionKey.SHARING, given, rest, vocabulary)


def _kinds_of_agency(kinds: list[str], named: str, agency_kinds: Mapping[str, str]) -> str:
    text = "; ".join(str(agency_kinds.get(kind, kind)) for kind in kinds) or "None named"
    return f"{text} ({named})" if named else text


def consent_scope_lines(
    *, information: str, purposes: str, kinds: list[str], named: str, use: str, agency_kinds: Mapping[str, str]
) -> list[Line]:
    """What the person was told their consent covers (3.3.28), as [label, text] lines."""
    lines = [
        ["What they were told would be shared", information],
        ["For what purposes", purposes],
        ["With which kinds of agency", _kinds_of_agency(kinds, named, agency_kinds)],
        ["What the recipients may use it for", use],
    ]
    return [line for line in lines if line[1]]


def consent_detail_lines(answers: Mapping[str, Any], vocabulary: Vocabulary) -> list[Line]:
    """How the consent relied on was given and what it covers, as the record shows it readily (3.7.9).

    ``answers``: question 4's. 3.3.12: explicit or implicit, and explicit consent written or verbal; 3.3.13:
    implied consent, and how it was signalled; 3.3.28: what the person was told. Decisions recorded before these
    were kept have none.
    """
    explicitness = answers.get("consent_explicitness") or ""
    if not explicitness:
        return []
    implied = explicitness == "implied"
    lines = [["Explicit or implied", str(vocabulary.consent_explicitness[explicitness])]]
    if answers.get("consent_form"):
        lines.append(["Written or verbal", str(vocabulary.consent_forms[answers["consent_form"]])])
    refused = answers.get("status") == guidance.ConsentStatus.REFUSED
    how = "How it was refused" if refused else ("How it was signalled" if implied else "How it was given")
    lines.append([how, answers.get("consent_how_signalled") or ""])
    lines += consent_scope_lines(
        information=answers.get("consent_information") or "",
        purposes=answers.get("consent_purposes") or "",
        kinds=answers.get("consent_recipient_kinds") or [],
        named=answers.get("consent_recipients") or "",
        use=answers.get("consent_recipient_use") or "",
        agency_kinds=vocabulary.agency_kinds,
    )
    return [line for line in lines if line[1]]


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
