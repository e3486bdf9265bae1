"""The answers as a recorded decision keeps them in words (DecisionAnswer.summary), pinned line by line.

The expected lines are those the decision snapshot held before its summaries
came from ``sharing.summary`` rather than the question forms: the record of
the same answers must read the same, to the byte, whichever code wrote it.
"""

import pytest

from sharing import services
from sharing.guidance import QuestionKey
from sharing.models import LegalBasis
from tests.factories import ChildFactory
from tests.sharing.recorded import complete_answers, complete_draft

DECIDED = {"decided_on": "2026-11-20", "decided_time": "14:30"}
IDENTIFIES = {"identifies_person": True, "who_identified": "Mia and her mother", "anonymisation": ""}
CONFIDENTIAL = {"confidentiality": "formal", "reason": "Given to the social worker during an assessment."}
CONSENT_DETAIL = {
    "consent_record": "6a0f3d8e-0000-0000-0000-000000000000",
    "consent_summary": "Given by Kelly Turner (mother) on 2 November 2026, about Mia Turner",
    "consent_explicitness": "explicit",
    "consent_form": "written",
    "consent_how_signalled": "Signed the agency's form.",
    "consent_information": "Her attendance and health needs.",
    "consent_purposes": "Planning her care.",
    "consent_recipient_kinds": ["health", "school"],
    "consent_recipients": "Northgate health visitors",
    "consent_recipient_use": "Planning visits.",
    "consent_review_on": "2099-06-01",
    "consent_review_due": False,
}
SHARED = {
    "outcome": "share",
    "items": [
        {"text": "Mother's partner has a conviction for assault.", "kind": "fact"},
        {"text": "The school thinks Mia is withdrawn.", "kind": "opinion"},
    ],
    "withheld": "The partner's address.",
    "recipient_name": "Nadia Hughes",
    "recipient_role": "Health visitor",
    "recipient_agency": "Northgate NHS Foundation Trust",
    "recipient_agency_kind": "police",
    "recipient_need": "To visit safely.",
    "accuracy_checked": True,
    "method": "other",
    "method_detail": "Handed over at the strategy meeting.",
    "onward_sharing": "yes",
    "onward_detail": "Her line manager, to plan cover.",
    "consent_limits_explained": True,
    "person_informed": "not_told",
    "not_informed_reason": "Telling the mother would put Mia at risk.",
    "reconsider_on": "2099-02-01",
}

CASES = {
    # Every question, without consent (the consent does not cover the purpose), departing from the guidance.
    "weighed": {
        QuestionKey.PURPOSE: {
            "purpose": "To plan a safe home visit.",
            "legal_bases": ["ca2004-s11", "retired-basis", "never-a-basis"],
            "legal_basis_other": "Common law duty of care",
            "concern_level": "lower",
            "need_to_know": True,
            "proportionate": False,
            "statutory_restriction": False,
            "secondary_disclosure": True,
            "anonymised_would_do": False,
            "legitimate_purpose": True,
        },
        QuestionKey.IDENTIFIABLE: IDENTIFIES,
        QuestionKey.CONFIDENTIAL: CONFIDENTIAL,
        QuestionKey.CONSENT: {
            "status": "obtained",
            "consent_covers": False,
            "not_sought_reason": "",
            "not_sought_other": "",
            "not_needed_reason": "",
            **CONSENT_DETAIL,
        },
        QuestionKey.STATUTORY: {"duty": "none", "reference": ""},
        QuestionKey.PUBLIC_INTEREST: {
            "if_shared": "Mother may disengage.",
            "if_not_shared": "The visit goes ahead unaware of the risk.",
            "proportionality": "Only the fact of the concern.",
            "advice_sought": True,
            "advice_from": "caldicott_guardian",
            "adviser_name": "Dr Amir Shah, Caldicott Guardian",
            "advice_given": "Share the risk information only.",
            "no_advice_reason": "",
        },
        QuestionKey.SHARING: SHARED,
        QuestionKey.DECISION: {
            "reasons": "The risk to the visitor outweighs the lower concern.",
            "departure_reason": "Advice from the Caldicott Guardian.",
            **DECIDED,
        },
    },
    # Consent that covers the decision and its recipient, given by implication.
    "with consent": {
        QuestionKey.IDENTIFIABLE: IDENTIFIES,
        QuestionKey.CONFIDENTIAL: CONFIDENTIAL,
        QuestionKey.CONSENT: {
            "status": "obtained",
            "consent_covers": True,
            "not_sought_reason": "",
            "not_sought_other": "",
            "not_needed_reason": "",
            **CONSENT_DETAIL,
            "consent_explicitness": "implied",
            "consent_form": "",
            "consent_how_signalled": "Brought Mia to the appointment to discuss it.",
        },
        QuestionKey.SHARING: {
            **SHARED,
            "recipient_agency_kind": "health",
            "person_informed": "already",
            "not_informed_reason": "",
            "reconsider_on": None,
        },
        QuestionKey.DECISION: {"reasons": "Within the consent given.", **DECIDED},
    },
    # Consent refused, a court order: the guidance says share; sharing some of it. The person will be told, so
    # the reason for not telling them left from an earlier answer is not recorded.
    "refused, court order": {
        QuestionKey.IDENTIFIABLE: IDENTIFIES,
        QuestionKey.CONFIDENTIAL: {"confidentiality": "assumed", "reason": "She may assume it."},
        QuestionKey.CONSENT: {
            "status": "refused",
            "consent_covers": None,
            "not_sought_reason": "",
            "not_sought_other": "",
            "not_needed_reason": "",
            **CONSENT_DETAIL,
            "consent_summary": "Refused by Kelly Turner (mother) on 2 November 2026, about Mia Turner",
            "consent_how_signalled": "Said no on the phone.",
            "consent_form": "verbal",
        },
        QuestionKey.STATUTORY: {"duty": "court_order", "reference": "Family court, case FD26P00123, 1 November 2026"},
        QuestionKey.SHARING: {**SHARED, "outcome": "share_in_part", "person_informed": "will_be_told"},
        QuestionKey.DECISION: {"reasons": "The court ordered it.", **DECIDED},
    },
    # Consent not sought, no advice: shared with children's social care.
    "not sought": {
        QuestionKey.PURPOSE: {
            **complete_answers()[QuestionKey.PURPOSE],
            "concern_level": "evidence_of_significant_harm",
        },
        QuestionKey.IDENTIFIABLE: IDENTIFIES,
        QuestionKey.CONFIDENTIAL: {"confidentiality": "informal", "reason": "A pupil told a teacher."},
        QuestionKey.CONSENT: {
            "status": "not_sought",
            "consent_record": "",
            "consent_covers": None,
            "not_sought_reason": "other",
            "not_sought_other": "The family has moved away.",
            "not_needed_reason": "",
            "consent_summary": "",
            "consent_recipient_kinds": [],
        },
        QuestionKey.STATUTORY: {"duty": "none", "reference": ""},
        QuestionKey.PUBLIC_INTEREST: {
            "if_shared": "Nothing much.",
            "if_not_shared": "Harm.",
            "proportionality": "Only what is needed.",
            "advice_sought": False,
            "advice_from": "",
            "adviser_name": "",
            "advice_given": "",
            "no_advice_reason": "It could not wait.",
        },
        QuestionKey.SHARING: {
            **SHARED,
            "recipient_agency_kind": "childrens_social_care",
            "method": "secure_email",
            "method_detail": "",
            "onward_sharing": "not_known",
            "onward_detail": "",
            "accuracy_checked": False,
        },
        QuestionKey.DECISION: {"reasons": "Significant harm.", **DECIDED},
    },
    # Anonymised information, not shared: the checks for sharing, and the items left from an earlier answer to
    # share, are neither asked nor printed.
    "anonymised, not shared": {
        QuestionKey.SHARING: {**SHARED, "outcome": "do_not_share", "withheld": "All of it: not needed."},
        QuestionKey.DECISION: {"reasons": "Not needed.", **DECIDED},
    },
}

EXPECTED = {
    "weighed": {
        "purpose": [
            ["What is the purpose of sharing the information?", "To plan a safe home visit."],
            [
                "What is the legal basis for sharing?",
                "Children Act 2004 section 11 (duty to safeguard and promote welfare); retired-basis; never-a-basis",
            ],
            ["Other legal basis", "Common law duty of care"],
            [
                "What is the level of concern about the child at this time?",
                "A lower level of concern: the child may need services, but none of the above applies",
            ],
            ["Does the person receiving the information have a sufficient need to know?", "Yes"],
            ["Is sharing proportionate to the purpose?", "No"],
            [
                "Was the information obtained under a statutory power or duty that limits what can be done with it?",
                "No",
            ],
            ["Will the recipient pass the information on to anyone else (secondary disclosure)?", "Yes"],
            ["Could anonymised information achieve the purpose instead?", "No"],
            ["Having considered these, is there a legitimate purpose to share the information?", "Yes"],
        ],
        "identifiable": [
            ["Does the information identify the child or anyone else?", "Yes"],
            ["Who could be identified?", "Mia and her mother"],
        ],
        "confidential": [
            [
                "Is the information confidential?",
                "Yes: a formal confidential relationship (for example doctor and patient, social worker and client, counsellor and client)",  # noqa: E501
            ],
            ["Why?", "Given to the social worker during an assessment."],
        ],
        "consent": [
            ["Has consent to share been obtained?", "Consent was sought and given"],
            ["Consent record", "Given by Kelly Turner (mother) on 2 November 2026, about Mia Turner"],
            ["Explicit or implied", "Explicit: given in words, spoken or written"],
            ["Written or verbal", "In writing"],
            ["How it was given", "Signed the agency's form."],
            ["What they were told would be shared", "Her attendance and health needs."],
            ["For what purposes", "Planning her care."],
            ["With which kinds of agency", "NHS trust or GP practice; School (Northgate health visitors)"],
            ["What the recipients may use it for", "Planning visits."],
            ["Does this consent cover the purpose of this decision?", "No"],
        ],
        "statutory": [["Is there a statutory duty or a court order to share the information?", "No"]],
        "public-interest": [
            ["What might happen if the information is shared?", "Mother may disengage."],
            ["What might happen if it is not shared?", "The visit goes ahead unaware of the risk."],
            ["Why is sharing, or not sharing, proportionate?", "Only the fact of the concern."],
            ["Did you seek advice?", "Yes"],
            ["From whom?", "Caldicott Guardian (3.5.17)"],
            ["Their name and role", "Dr Amir Shah, Caldicott Guardian"],
            ["What did they advise?", "Share the risk information only."],
        ],
        "sharing": [
            ["What have you decided?", "Share the information"],
            ["Item 1 (fact)", "Mother's partner has a conviction for assault."],
            ["Item 2 (opinion)", "The school thinks Mia is withdrawn."],
            ["What information are you not sharing, and why?", "The partner's address."],
            ["Name", "Nadia Hughes"],
            ["Role", "Health visitor"],
            ["Agency", "Northgate NHS Foundation Trust"],
            ["What kind of agency is it?", "Police"],
            ["Why do they need to know?", "To visit safely."],
            ["I have checked that the information is accurate and up to date", "Yes"],
            ["How will it be shared?", "Another way"],
            ["Details of how it will be shared", "Handed over at the strategy meeting."],
            ["Does the recipient intend to pass it on to anyone else?", "Yes"],
            ["To whom, and why?", "Her line manager, to plan cover."],
            ["Will the person the information is about be told it has been shared?", "No"],
            ["Why will they not be told?", "Telling the mother would put Mia at risk."],
            ["When should telling them be reconsidered?", "1 February 2099"],
        ],
        "decision": [
            ["Why have you made this decision?", "The risk to the visitor outweighs the lower concern."],
            ["Your decision differs from what the guidance points to. Why?", "Advice from the Caldicott Guardian."],
            ["Date of the decision", "20 November 2026"],
            ["Time of the decision", "14:30"],
        ],
    },
    "with consent": {
        "purpose": [
            ["What is the purpose of sharing the information?", "To plan a safe home visit."],
            [
                "What is the legal basis for sharing?",
                "Children Act 2004 section 11 (duty to safeguard and promote welfare)",
            ],
            [
                "What is the level of concern about the child at this time?",
                "There is reasonable cause to believe that the child may be suffering, or at risk of, significant harm",
            ],
            ["Does the person receiving the information have a sufficient need to know?", "Yes"],
            ["Is sharing proportionate to the purpose?", "Yes"],
            [
                "Was the information obtained under a statutory power or duty that limits what can be done with it?",
                "No",
            ],
            ["Will the recipient pass the information on to anyone else (secondary disclosure)?", "No"],
            ["Could anonymised information achieve the purpose instead?", "No"],
            ["Having considered these, is there a legitimate purpose to share the information?", "Yes"],
        ],
        "identifiable": [
            ["Does the information identify the child or anyone else?", "Yes"],
            ["Who could be identified?", "Mia and her mother"],
        ],
        "confidential": [
            [
                "Is the information confidential?",
                "Yes: a formal confidential relationship (for example doctor and patient, social worker and client, counsellor and client)",  # noqa: E501
            ],
            ["Why?", "Given to the social worker during an assessment."],
        ],
        "consent": [
            ["Has consent to share been obtained?", "Consent was sought and given"],
            ["Consent record", "Given by Kelly Turner (mother) on 2 November 2026, about Mia Turner"],
            ["Explicit or implied", "Implied by the circumstances"],
            ["How it was signalled", "Brought Mia to the appointment to discuss it."],
            ["What they were told would be shared", "Her attendance and health needs."],
            ["For what purposes", "Planning her care."],
            ["With which kinds of agency", "NHS trust or GP practice; School (Northgate health visitors)"],
            ["What the recipients may use it for", "Planning visits."],
            ["Does this consent cover the purpose of this decision?", "Yes"],
        ],
        "sharing": [
            ["What have you decided?", "Share the information"],
            ["Item 1 (fact)", "Mother's partner has a conviction for assault."],
            ["Item 2 (opinion)", "The school thinks Mia is withdrawn."],
            ["What information are you not sharing, and why?", "The partner's address."],
            ["Name", "Nadia Hughes"],
            ["Role", "Health visitor"],
            ["Agency", "Northgate NHS Foundation Trust"],
            ["What kind of agency is it?", "NHS trust or GP practice"],
            ["Why do they need to know?", "To visit safely."],
            ["I have checked that the information is accurate and up to date", "Yes"],
            ["How will it be shared?", "Another way"],
            ["Details of how it will be shared", "Handed over at the strategy meeting."],
            ["Does the recipient intend to pass it on to anyone else?", "Yes"],
            ["To whom, and why?", "Her line manager, to plan cover."],
            ["The recipient understands the limits of the consent that was given", "Yes"],
            ["Will the person the information is about be told it has been shared?", "Yes, they already know"],
        ],
        "decision": [
            ["Why have you made this decision?", "Within the consent given."],
            ["Date of the decision", "20 November 2026"],
            ["Time of the decision", "14:30"],
        ],
    },
    "refused, court order": {
        "purpose": [
            ["What is the purpose of sharing the information?", "To plan a safe home visit."],
            [
                "What is the legal basis for sharing?",
                "Children Act 2004 section 11 (duty to safeguard and promote welfare)",
            ],
            [
                "What is the level of concern about the child at this time?",
                "There is reasonable cause to believe that the child may be suffering, or at risk of, significant harm",
            ],
            ["Does the person receiving the information have a sufficient need to know?", "Yes"],
            ["Is sharing proportionate to the purpose?", "Yes"],
            [
                "Was the information obtained under a statutory power or duty that limits what can be done with it?",
                "No",
            ],
            ["Will the recipient pass the information on to anyone else (secondary disclosure)?", "No"],
            ["Could anonymised information achieve the purpose instead?", "No"],
            ["Having considered these, is there a legitimate purpose to share the information?", "Yes"],
        ],
        "identifiable": [
            ["Does the information identify the child or anyone else?", "Yes"],
            ["Who could be identified?", "Mia and her mother"],
        ],
        "confidential": [
            [
                "Is the information confidential?",
                "Yes: the person did not ask, but may assume it will be treated as confidential",
            ],
            ["Why?", "She may assume it."],
        ],
        "consent": [
            ["Has consent to share been obtained?", "Consent was sought and refused"],
            ["Consent record", "Refused by Kelly Turner (mother) on 2 November 2026, about Mia Turner"],
            ["Explicit or implied", "Explicit: given in words, spoken or written"],
            ["Written or verbal", "Verbally"],
            ["How it was refused", "Said no on the phone."],
            ["What they were told would be shared", "Her attendance and health needs."],
            ["For what purposes", "Planning her care."],
            ["With which kinds of agency", "NHS trust or GP practice; School (Northgate health visitors)"],
            ["What the recipients may use it for", "Planning visits."],
        ],
        "statutory": [
            ["Is there a statutory duty or a court order to share the information?", "Yes, a court order"],
            ["If yes, which duty or order?", "Family court, case FD26P00123, 1 November 2026"],
        ],
        "sharing": [
            ["What have you decided?", "Share some of the information"],
            ["Item 1 (fact)", "Mother's partner has a conviction for assault."],
            ["Item 2 (opinion)", "The school thinks Mia is withdrawn."],
            ["What information are you not sharing, and why?", "The partner's address."],
            ["Name", "Nadia Hughes"],
            ["Role", "Health visitor"],
            ["Agency", "Northgate NHS Foundation Trust"],
            ["What kind of agency is it?", "Police"],
            ["Why do they need to know?", "To visit safely."],
            ["I have checked that the information is accurate and up to date", "Yes"],
            ["How will it be shared?", "Another way"],
            ["Details of how it will be shared", "Handed over at the strategy meeting."],
            ["Does the recipient intend to pass it on to anyone else?", "Yes"],
            ["To whom, and why?", "Her line manager, to plan cover."],
            # The reason for not telling, and the date to reconsider, do not apply to a person who is told.
            ["Will the person the information is about be told it has been shared?", "Yes, they will be told"],
        ],
        "decision": [
            ["Why have you made this decision?", "The court ordered it."],
            ["Date of the decision", "20 November 2026"],
            ["Time of the decision", "14:30"],
        ],
    },
    "not sought": {
        "purpose": [
            ["What is the purpose of sharing the information?", "To plan a safe home visit."],
            [
                "What is the legal basis for sharing?",
                "Children Act 2004 section 11 (duty to safeguard and promote welfare)",
            ],
            [
                "What is the level of concern about the child at this time?",
                "There is evidence that the child is suffering, or is at risk of suffering, significant harm",
            ],
            ["Does the person receiving the information have a sufficient need to know?", "Yes"],
            ["Is sharing proportionate to the purpose?", "Yes"],
            [
                "Was the information obtained under a statutory power or duty that limits what can be done with it?",
                "No",
            ],
            ["Will the recipient pass the information on to anyone else (secondary disclosure)?", "No"],
            ["Could anonymised information achieve the purpose instead?", "No"],
            ["Having considered these, is there a legitimate purpose to share the information?", "Yes"],
        ],
        "identifiable": [
            ["Does the information identify the child or anyone else?", "Yes"],
            ["Who could be identified?", "Mia and her mother"],
        ],
        "confidential": [
            [
                "Is the information confidential?",
                "Yes: an informal relationship in which the person asked for this to be kept confidential (for example a pupil telling a teacher)",  # noqa: E501
            ],
            ["Why?", "A pupil told a teacher."],
        ],
        "consent": [
            ["Has consent to share been obtained?", "Consent was not sought"],
            ["Why was consent not sought?", "Another reason"],
            ["Explain the reason", "The family has moved away."],
        ],
        "statutory": [["Is there a statutory duty or a court order to share the information?", "No"]],
        "public-interest": [
            ["What might happen if the information is shared?", "Nothing much."],
            ["What might happen if it is not shared?", "Harm."],
            ["Why is sharing, or not sharing, proportionate?", "Only what is needed."],
            ["Did you seek advice?", "No"],
            ["Why did you not seek advice?", "It could not wait."],
        ],
        "sharing": [
            ["What have you decided?", "Share the information"],
            ["Item 1 (fact)", "Mother's partner has a conviction for assault."],
            ["Item 2 (opinion)", "The school thinks Mia is withdrawn."],
            ["What information are you not sharing, and why?", "The partner's address."],
            ["Name", "Nadia Hughes"],
            ["Role", "Health visitor"],
            ["Agency", "Northgate NHS Foundation Trust"],
            ["What kind of agency is it?", "Local authority children's social care"],
            ["Why do they need to know?", "To visit safely."],
            ["I have checked that the information is accurate and up to date", "No"],
            ["How will it be shared?", "Secure email (for example a secure government or NHS email service)"],
            ["Does the recipient intend to pass it on to anyone else?", "Not known"],
            ["Will the person the information is about be told it has been shared?", "No"],
            ["Why will they not be told?", "Telling the mother would put Mia at risk."],
            ["When should telling them be reconsidered?", "1 February 2099"],
        ],
        "decision": [
            ["Why have you made this decision?", "Significant harm."],
            ["Date of the decision", "20 November 2026"],
            ["Time of the decision", "14:30"],
        ],
    },
    "anonymised, not shared": {
        "purpose": [
            ["What is the purpose of sharing the information?", "To plan a safe home visit."],
            [
                "What is the legal basis for sharing?",
                "Children Act 2004 section 11 (duty to safeguard and promote welfare)",
            ],
            [
                "What is the level of concern about the child at this time?",
                "There is reasonable cause to believe that the child may be suffering, or at risk of, significant harm",
            ],
            ["Does the person receiving the information have a sufficient need to know?", "Yes"],
            ["Is sharing proportionate to the purpose?", "Yes"],
            [
                "Was the information obtained under a statutory power or duty that limits what can be done with it?",
                "No",
            ],
            ["Will the recipient pass the information on to anyone else (secondary disclosure)?", "No"],
            ["Could anonymised information achieve the purpose instead?", "No"],
            ["Having considered these, is there a legitimate purpose to share the information?", "Yes"],
        ],
        "identifiable": [
            ["Does the information identify the child or anyone else?", "No"],
            ["How has the information been anonymised?", "Names removed."],
        ],
        "sharing": [
            # Nothing is shared, so no item of what would have been shared is recorded (3.5.20).
            ["What have you decided?", "Do not share the information"],
            ["What information are you not sharing, and why?", "All of it: not needed."],
        ],
        "decision": [
            ["Why have you made this decision?", "Not needed."],
            ["Date of the decision", "20 November 2026"],
            ["Time of the decision", "14:30"],
        ],
    },
}


@pytest.fixture
def child(agency):
    return ChildFactory(agency=agency)


@pytest.mark.parametrize("case", CASES)
def test_a_recorded_decision_keeps_its_answers_in_the_words_it_always_has(practitioner, child, case):
    LegalBasis.objects.create(code="retired-basis", label="A basis no longer offered", is_active=False)
    draft = complete_draft(user=practitioner, child=child, **CASES[case])
    decision = services.decision_record(draft=draft, user=practitioner)
    summaries = {answer.question_key: answer.summary for answer in decision.answers.order_by("position")}
    assert summaries == EXPECTED[case]
