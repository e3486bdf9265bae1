"""The guidance rules, paragraph by paragraph (plain Python, no database)."""

import pytest

from sharing import guidance
from sharing.guidance import Q, Recommendation

PURPOSE = {"legitimate_purpose": True, "concern_level": "reasonable_cause_to_believe"}
IDENTIFIES = {"identifies_person": True}
CONFIDENTIAL = {"confidentiality": "formal"}


def answers(**by_question):
    return {Q(key.replace("_", "-")): value for key, value in by_question.items()}


def test_there_are_eight_questions_in_the_order_of_3_5_1():
    assert [q.number for q in guidance.QUESTIONS] == list(range(1, 9))
    assert guidance.QUESTIONS[0].wording == "Is there a legitimate purpose to share the information?"
    assert guidance.QUESTIONS[4].wording == "Is there a statutory duty or a court order to share the information?"


def test_at_first_only_the_purpose_is_known_to_be_needed_and_everything_may_follow():
    assert guidance.questions_needed({}) == list(Q)
    assert guidance.first_unanswered({}) == Q.PURPOSE


def test_3_5_2_without_a_legitimate_purpose_only_the_decision_remains():
    no_purpose = answers(purpose={"legitimate_purpose": False})
    assert guidance.questions_needed(no_purpose) == [Q.PURPOSE, Q.SHARING, Q.DECISION]
    assert guidance.recommendation(no_purpose) == Recommendation.SHOULD_NOT_SHARE


def test_3_5_5_anonymised_information_may_be_shared_for_a_legitimate_purpose_without_consent():
    anonymised = answers(purpose=PURPOSE, identifiable={"identifies_person": False})
    assert guidance.questions_needed(anonymised) == [Q.PURPOSE, Q.IDENTIFIABLE, Q.SHARING, Q.DECISION]
    assert guidance.recommendation(anonymised) == Recommendation.MAY_SHARE


def test_3_3_2_information_that_is_not_confidential_needs_no_consent():
    public = answers(purpose=PURPOSE, identifiable=IDENTIFIES, confidential={"confidentiality": "not_confidential"})
    assert Q.CONSENT not in guidance.questions_needed(public)
    assert guidance.recommendation(public) == Recommendation.MAY_SHARE


def test_3_3_11_with_consent_no_duty_or_public_interest_test_is_needed():
    consented = answers(
        purpose=PURPOSE, identifiable=IDENTIFIES, confidential=CONFIDENTIAL, consent={"status": "obtained"}
    )
    assert guidance.questions_needed(consented) == [
        Q.PURPOSE,
        Q.IDENTIFIABLE,
        Q.CONFIDENTIAL,
        Q.CONSENT,
        Q.SHARING,
        Q.DECISION,
    ]
    assert guidance.recommendation(consented) == Recommendation.MAY_SHARE


@pytest.mark.parametrize("duty", ["statutory_duty", "court_order"])
def test_3_5_10_a_statutory_duty_or_court_order_means_the_information_must_be_shared(duty):
    ordered = answers(
        purpose=PURPOSE,
        identifiable=IDENTIFIES,
        confidential=CONFIDENTIAL,
        consent={"status": "refused"},
        statutory={"duty": duty},
    )
    assert Q.PUBLIC_INTEREST not in guidance.questions_needed(ordered)
    assert guidance.recommendation(ordered) == Recommendation.MUST_SHARE
    assert any(note.paragraph == "3.5.10" for note in guidance.notes_for(Q.STATUTORY, ordered))


@pytest.mark.parametrize("status", ["refused", "not_sought", "not_needed"])
def test_3_5_16_confidential_information_without_consent_or_duty_needs_the_public_interest_test(status):
    refused = answers(
        purpose=PURPOSE,
        identifiable=IDENTIFIES,
        confidential=CONFIDENTIAL,
        consent={"status": status},
        statutory={"duty": "none"},
    )
    assert Q.PUBLIC_INTEREST in guidance.questions_needed(refused)
    assert guidance.recommendation(refused) == Recommendation.UNDECIDED


def _weighed(concern_level):
    return answers(
        purpose={**PURPOSE, "concern_level": concern_level},
        identifiable=IDENTIFIES,
        confidential=CONFIDENTIAL,
        consent={"status": "refused"},
        statutory={"duty": "none"},
        public_interest={"advice_sought": True},
    )


@pytest.mark.parametrize(
    "level",
    ["evidence_of_significant_harm", "reasonable_cause_to_believe", "prevent_significant_harm_or_serious_crime"],
)
def test_3_3_8_these_levels_of_concern_normally_justify_sharing_without_consent(level):
    assert guidance.recommendation(_weighed(level)) == Recommendation.MAY_SHARE


def test_3_3_8_a_lower_level_of_concern_does_not_normally_justify_sharing_without_consent():
    lower = _weighed("lower")
    assert guidance.recommendation(lower) == Recommendation.SHOULD_NOT_SHARE
    assert any("will not normally be justified" in n.text for n in guidance.notes_for(Q.PUBLIC_INTEREST, lower))


def test_3_4_2_the_reasons_not_to_seek_consent_are_shown_with_the_consent_question():
    notes = guidance.notes_for(Q.CONSENT, {})
    assert any(note.paragraph == "3.4.2" and "increased risk of significant harm" in note.text for note in notes)


def test_3_3_25_consent_not_sought_for_another_reason_reminds_that_seeking_it_is_good_practice():
    other = answers(consent={"status": "not_sought", "not_sought_reason": "other"})
    risk = answers(consent={"status": "not_sought", "not_sought_reason": "child_at_increased_risk"})
    assert any(n.paragraph == "3.3.25" for n in guidance.notes_for(Q.CONSENT, other))
    assert not any(n.paragraph == "3.3.25" for n in guidance.notes_for(Q.CONSENT, risk))


def test_3_4_1_reasonable_cause_to_suspect_significant_harm_means_tell_childrens_social_care():
    notes = guidance.notes_for(Q.PURPOSE, answers(purpose=PURPOSE))
    assert any(note.paragraph == "3.4.1" for note in notes)
    lower = guidance.notes_for(Q.PURPOSE, answers(purpose={**PURPOSE, "concern_level": "lower"}))
    assert not any(note.paragraph == "3.4.1" for note in lower)


def test_3_5_4_the_checklist_prompts_when_anonymised_data_would_do():
    notes = guidance.notes_for(Q.PURPOSE, answers(purpose={**PURPOSE, "anonymised_would_do": True}))
    assert any("anonymised information" in note.text for note in notes)


def test_3_5_19_sharing_without_consent_reminds_to_tell_the_person():
    without = answers(consent={"status": "refused"})
    assert any(n.paragraph == "3.5.19" for n in guidance.notes_for(Q.SHARING, without))
    assert not any(
        n.paragraph == "3.5.19" for n in guidance.notes_for(Q.SHARING, answers(consent={"status": "obtained"}))
    )


def test_refusing_to_share_despite_a_court_order_departs_from_the_guidance():
    ordered = answers(
        purpose=PURPOSE,
        identifiable=IDENTIFIES,
        confidential=CONFIDENTIAL,
        consent={"status": "refused"},
        statutory={"duty": "court_order"},
        sharing={"outcome": "do_not_share"},
    )
    assert guidance.departs_from_guidance(ordered)
    assert any("differs from what the guidance" in n.text for n in guidance.notes_for(Q.DECISION, ordered))
    ordered[Q.SHARING] = {"outcome": "share"}
    assert not guidance.departs_from_guidance(ordered)


def test_sharing_at_a_lower_level_of_concern_without_consent_departs_from_the_guidance():
    lower = {**_weighed("lower"), Q.SHARING: {"outcome": "share_in_part"}}
    assert guidance.departs_from_guidance(lower)
    lower[Q.SHARING] = {"outcome": "do_not_share"}
    assert not guidance.departs_from_guidance(lower)


def test_any_decision_is_open_where_the_guidance_says_information_may_be_shared():
    for outcome in ("share", "share_in_part", "do_not_share"):
        anonymised = answers(purpose=PURPOSE, identifiable={"identifies_person": False}, sharing={"outcome": outcome})
        assert not guidance.departs_from_guidance(anonymised)


def test_changing_an_earlier_answer_removes_a_later_question_and_keeps_its_answer_out_of_the_record():
    full = answers(
        purpose=PURPOSE,
        identifiable=IDENTIFIES,
        confidential=CONFIDENTIAL,
        consent={"status": "refused"},
        statutory={"duty": "none"},
        public_interest={"advice_sought": True},
        sharing={"outcome": "share", "consent_limits_explained": True},
        decision={"reasons": "x"},
    )
    assert guidance.is_complete(full)
    full[Q.CONSENT] = {"status": "obtained"}
    assert guidance.is_complete(full)
    assert set(guidance.questions_needed(full)) == {
        Q.PURPOSE,
        Q.IDENTIFIABLE,
        Q.CONFIDENTIAL,
        Q.CONSENT,
        Q.SHARING,
        Q.DECISION,
    }


def test_the_next_and_previous_questions_follow_the_answers():
    consented = answers(
        purpose=PURPOSE, identifiable=IDENTIFIES, confidential=CONFIDENTIAL, consent={"status": "obtained"}
    )
    assert guidance.next_question(consented, Q.CONSENT) == Q.SHARING
    assert guidance.previous_question(consented, Q.SHARING) == Q.CONSENT
    assert guidance.previous_question(consented, Q.PURPOSE) is None
    assert guidance.next_question(consented, Q.DECISION) is None


def test_a_page_cannot_be_opened_before_the_questions_before_it_are_answered():
    assert guidance.is_reachable({}, Q.PURPOSE)
    assert not guidance.is_reachable({}, Q.CONSENT)
    anonymised = answers(purpose=PURPOSE, identifiable={"identifies_person": False})
    assert not guidance.is_reachable(anonymised, Q.CONSENT)
    assert guidance.is_reachable(anonymised, Q.SHARING)


def test_consent_given_after_the_sharing_page_sends_the_practitioner_back_to_it():
    changed = answers(
        purpose=PURPOSE,
        identifiable=IDENTIFIES,
        confidential=CONFIDENTIAL,
        consent={"status": "obtained"},
        sharing={"outcome": "share"},
        decision={"reasons": "x"},
    )
    assert guidance.first_incomplete(changed) == Q.SHARING
    changed[Q.SHARING]["consent_limits_explained"] = True
    assert guidance.is_complete(changed)


def test_a_departure_without_its_reason_sends_the_practitioner_back_to_the_decision():
    refused = {**_weighed("lower"), Q.SHARING: {"outcome": "share"}, Q.DECISION: {"reasons": "x"}}
    assert guidance.first_incomplete(refused) == Q.DECISION
    refused[Q.DECISION]["departure_reason"] = "Advice from the lead information officer."
    assert guidance.is_complete(refused)
