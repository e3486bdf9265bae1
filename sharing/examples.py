"""Example answers to the eight key questions, in one place for the tests, the demo, the benchmark and the generator.

Two shapes of the same answers:

- **posted**: what a browser sends to a question's page (``"yes"``/``"no"``,
  a ticked box as ``"on"``, a date as three boxes): ``posted(key, **changes)``
  is a valid answer to that question on the path a practitioner takes most
  often (confidential information shared in the public interest, 3.5.16).
- **kept**: what a draft keeps once a question's form has read the post
  (``sharing.forms``' ``to_answers``): ``purpose_kept``, ``consent_kept``,
  ``recipient_kept``, ``decided_kept`` give the fields every such answer
  has, and ``anonymised_share`` a complete draft's answers (3.5.5: anonymised
  information, shared for a legitimate purpose; questions 1, 2, 7 and 8).

Plain Python, like ``sharing.guidance``: the benchmark imports it without Django.
"""

from __future__ import annotations

from datetime import date, datetime

from sharing.guidance import QuestionKey

# What a browser sends to each question's page. Question 4's example needs a
# consent record of the child's, so it is the one answer that needs none.
POSTED: dict[QuestionKey, dict] = {
    QuestionKey.PURPOSE: {
        "purpose": "Health visitor asks whether the family is known, to plan a home visit safely.",
        "legal_bases": ["ca2004-s11", "dpa2018-sch1-para18"],
        "concern_level": "reasonable_cause_to_believe",
        "need_to_know": "yes",
        "proportionate": "yes",
        "statutory_restriction": "no",
        "secondary_disclosure": "no",
        "anonymised_would_do": "no",
        "legitimate_purpose": "yes",
    },
    QuestionKey.IDENTIFIABLE: {"identifies_person": "yes", "who_identified": "Mia and her mother"},
    QuestionKey.CONFIDENTIAL: {
        "confidentiality": "formal",
        "reason": "Given to the social worker during an assessment.",
    },
    QuestionKey.CONSENT: {"status": "not_sought", "not_sought_reason": "child_at_increased_risk"},
    QuestionKey.STATUTORY: {"duty": "none"},
    QuestionKey.PUBLIC_INTEREST: {
        "if_shared": "Mother may disengage for a while.",
        "if_not_shared": "The health visitor may visit unaware of the risk from the partner.",
        "proportionality": "Only the fact of the concern and the partner's name are shared.",
        "advice_sought": "yes",
        "advice_from": "safeguarding_lead",
        "adviser_name": "Laura Bennett, designated safeguarding lead",
        "advice_given": "Share the risk information with the health visitor.",
    },
    QuestionKey.SHARING: {
        "outcome": "share",
        "item_1_text": "Police attended a domestic incident at the home on 2 November.",
        "item_1_kind": "fact",
        "item_2_text": "In my view the mother is frightened of her partner.",
        "item_2_kind": "opinion",
        "recipient_name": "Nadia Hughes",
        "recipient_role": "Health visitor",
        "recipient_agency": "Northgate NHS Foundation Trust",
        "recipient_agency_kind": "health",
        "recipient_need": "She visits the home alone next week.",
        "accuracy_checked": "on",
        "method": "secure_email",
        "onward_sharing": "no",
        "consent_limits_explained": "on",
        "person_informed": "already",
    },
    QuestionKey.DECISION: {"reasons": "The health visitor needs to know to keep herself and the child safe."},
}


def posted(key: QuestionKey, **changes) -> dict:
    """A valid post to question ``key``'s page, with ``changes`` made to it (question 8 also needs ``date_posted``)."""
    return {**POSTED[key], **changes}


def date_posted(name: str, when: date) -> dict[str, str]:
    """A GOV.UK date input's three boxes, as a browser sends them."""
    return {f"{name}_0": str(when.day), f"{name}_1": str(when.month), f"{name}_2": str(when.year)}


def decided_posted(when: datetime) -> dict[str, str]:
    """Question 8's date and time of the decision, as a browser sends them."""
    return {**date_posted("decided_on", when), "decided_time": when.strftime("%H:%M")}


def decided_kept(when: datetime) -> dict[str, str]:
    """Question 8's date and time of the decision, as a draft keeps them (local time)."""
    return {"decided_on": when.date().isoformat(), "decided_time": when.strftime("%H:%M")}


def purpose_kept(purpose: str, concern: str, bases: list[str], **changes) -> dict:
    """Question 1 answered for a legitimate purpose that needs sharing, proportionately, with no bar to it."""
    return {
        "purpose": purpose,
        "legal_bases": bases,
        "legal_basis_other": "",
        "concern_level": concern,
        "need_to_know": True,
        "proportionate": True,
        "statutory_restriction": False,
        "secondary_disclosure": False,
        "anonymised_would_do": False,
        "legitimate_purpose": True,
        **changes,
    }


def consent_kept(**changes) -> dict:
    """Question 4's answer with every field it keeps, blank unless ``changes`` fills it."""
    return {
        "status": "",
        "consent_record": "",
        "consent_covers": None,
        "not_sought_reason": "",
        "not_sought_other": "",
        "not_needed_reason": "",
        "consent_summary": "",
        "consent_recipient_kinds": [],
        "consent_review_on": None,
        "consent_review_due": False,
        **changes,
    }


def recipient_kept(name: str, role: str, agency: str, need: str, kind: str, **changes) -> dict:
    """Question 7's recipient and checks of a decision to share (3.5.20), sent by secure email, no onward sharing."""
    return {
        "recipient_name": name,
        "recipient_role": role,
        "recipient_agency": agency,
        "recipient_agency_kind": kind,
        "recipient_need": need,
        "accuracy_checked": True,
        "method": "secure_email",
        "method_detail": "",
        "onward_sharing": "no",
        "onward_detail": "",
        **changes,
    }


def anonymised_share(decided: datetime) -> dict[QuestionKey, dict]:
    """A complete draft's answers: anonymised information shared for a legitimate purpose (3.5.5), decided then."""
    return {
        QuestionKey.PURPOSE: purpose_kept("To plan a safe home visit.", "reasonable_cause_to_believe", ["ca2004-s11"]),
        QuestionKey.IDENTIFIABLE: {"identifies_person": False, "who_identified": "", "anonymisation": "Names removed."},
        QuestionKey.SHARING: {
            "outcome": "share",
            "items": [{"text": "Anonymised summary of concerns.", "kind": "fact"}],
            "withheld": "",
            "recipient_name": "Nadia Hughes",
            "recipient_role": "Health visitor",
            "recipient_agency": "Northgate NHS Foundation Trust",
            "recipient_need": "Home visit",
            "accuracy_checked": True,
            "method": "secure_email",
            "method_detail": "",
            "onward_sharing": "no",
            "onward_detail": "",
            "person_informed": "already",
            "not_informed_reason": "",
        },
        QuestionKey.DECISION: {
            "reasons": "Anonymised information for a legitimate purpose (3.5.5).",
            **decided_kept(decided),
        },
    }
