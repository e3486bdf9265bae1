"""Answers in words (sharing.summary): plain Python, read as the page that asked them."""

import pytest

from sharing import summary
from sharing.forms import QUESTION_FORMS
from sharing.guidance import QuestionKey

VOCABULARY = summary.Vocabulary(
    legal_bases={"ca2004-s11": "Children Act 2004 section 11"},
    agency_kinds={"health": "NHS trust or GP practice"},
    consent_explicitness={"explicit": "Explicit"},
    consent_forms={"written": "In writing"},
)


def test_a_yes_a_choice_a_list_and_a_date_read_as_words():
    answers = {
        QuestionKey.PURPOSE: {
            "legal_bases": ["ca2004-s11", "no-longer-offered"],
            "concern_level": "lower",
            "need_to_know": True,
            "proportionate": False,
            "legal_basis_other": "",
        }
    }
    assert summary.answer_lines(QuestionKey.PURPOSE, answers, VOCABULARY) == [
        ["What is the legal basis for sharing?", "Children Act 2004 section 11; no-longer-offered"],
        [
            "What is the level of concern about the child at this time?",
            "A lower level of concern: the child may need services, but none of the above applies",
        ],
        ["Does the person receiving the information have a sufficient need to know?", "Yes"],
        ["Is sharing proportionate to the purpose?", "No"],
    ]
    decided = {QuestionKey.DECISION: {"reasons": "Why.", "decided_on": "2026-11-02", "departure_reason": "Old."}}
    # 3.5.21: no departure from the guidance, so its reason is not asked, nor printed.
    assert summary.answer_lines(QuestionKey.DECISION, decided, VOCABULARY) == [
        ["Why have you made this decision?", "Why."],
        ["Date of the decision", "2 November 2026"],
    ]


def test_3_5_5_anonymised_information_is_printed_without_anyone_to_tell():
    answers = {
        QuestionKey.IDENTIFIABLE: {"identifies_person": False},
        QuestionKey.SHARING: {"outcome": "share", "recipient_agency_kind": "health", "person_informed": "already"},
    }
    assert summary.answer_lines(QuestionKey.SHARING, answers, VOCABULARY) == [
        ["What have you decided?", "Share the information"],
        ["What kind of agency is it?", "NHS trust or GP practice"],
    ]


def test_the_consent_relied_on_is_named_by_its_snapshot_with_how_it_was_given():
    consent = {
        "status": "obtained",
        "consent_record": "an id nobody reads",
        "consent_covers": True,
        "consent_summary": "Given by Kelly Turner",
        "consent_explicitness": "explicit",
        "consent_form": "written",
        "consent_how_signalled": "Signed.",
    }
    assert summary.answer_lines(QuestionKey.CONSENT, {QuestionKey.CONSENT: consent}, VOCABULARY) == [
        ["Has consent to share been obtained?", "Consent was sought and given"],
        ["Consent record", "Given by Kelly Turner"],
        ["Explicit or implied", "Explicit"],
        ["Written or verbal", "In writing"],
        ["How it was given", "Signed."],
        # 3.3.28: what the person was told it covers; here, no kind of agency.
        ["With which kinds of agency", "None named"],
        ["Does this consent cover the purpose of this decision?", "Yes"],
    ]


class _Draft:
    """Answers that make every question's page ask all it can: consent covering the purpose, a person to
    tell, and a decision departing from the guidance."""

    answers = {
        QuestionKey.PURPOSE: {"legitimate_purpose": False},
        QuestionKey.CONSENT: {"status": "obtained"},
        QuestionKey.SHARING: {"outcome": "share"},
    }


@pytest.mark.django_db
@pytest.mark.parametrize("question", list(QuestionKey))
def test_each_page_asks_in_the_order_and_the_words_its_answers_are_printed_in(question):
    form = QUESTION_FORMS[question](draft=_Draft(), **({"consents": ()} if question == QuestionKey.CONSENT else {}))
    on_the_page = [(name, str(field.label)) for name, field in form.fields.items() if not name.startswith("item_")]
    printed = [(name, summary.label(question, name)) for name in summary.asked(question, _Draft.answers)]
    assert on_the_page == printed
