"""The guidance rules, paragraph by paragraph (plain Python, no database)."""

from datetime import date, datetime

import pytest

from sharing import examples, guidance, summary
from sharing.guidance import QuestionKey, Recommendation

PURPOSE = {"legitimate_purpose": True, "concern_level": "reasonable_cause_to_believe"}
IDENTIFIES = {"identifies_person": True, "who_identified": "The child"}
CONFIDENTIAL = {"confidentiality": "formal", "reason": "Told in confidence."}
# Questions 4, 6 and 8 answered on every page they ask (guidance.PAGES).
OBTAINED = {"status": "obtained", "consent_record": "c1", "consent_covers": True}
REFUSED = {"status": "refused", "consent_record": "c2"}
ADVISED = {
    "if_shared": "She may stop talking to us.",
    "if_not_shared": "The visit goes ahead blind.",
    "proportionality": "Only the risk is shared.",
    "advice_sought": True,
    "advice_from": "safeguarding_lead",
    "adviser_name": "Laura Bennett",
    "advice_given": "Share it.",
}
ANONYMISED = {"identifies_person": False, "anonymisation": "Names removed."}
NOT_CONFIDENTIAL = {"confidentiality": "not_confidential", "reason": "Already public."}
DECIDED = {"reasons": "x", "decided_on": "2026-11-02", "decided_time": "10:00"}


# Question 7 answered as far as its last page, whether the person is told (3.5.19).
SHARE_TOLD = {"outcome": "share", "person_informed": "already"}


def answers(**by_question):
    return {QuestionKey(key.replace("_", "-")): value for key, value in by_question.items()}


def test_there_are_eight_questions_in_the_order_of_3_5_1():
    assert [q.number for q in guidance.QUESTIONS] == list(range(1, 9))
    assert guidance.QUESTIONS[0].wording == "Is there a legitimate purpose to share the information?"
    assert guidance.QUESTIONS[4].wording == "Is there a statutory duty or a court order to share the information?"


def test_at_first_only_the_purpose_is_known_to_be_needed_and_everything_may_follow():
    assert guidance.questions_needed({}) == list(QuestionKey)
    assert guidance.first_unanswered({}) == QuestionKey.PURPOSE


def test_3_5_2_without_a_legitimate_purpose_only_the_decision_remains():
    no_purpose = answers(purpose={"legitimate_purpose": False})
    assert guidance.questions_needed(no_purpose) == [QuestionKey.PURPOSE, QuestionKey.SHARING, QuestionKey.DECISION]
    assert guidance.recommendation(no_purpose) == Recommendation.SHOULD_NOT_SHARE


def test_3_5_5_anonymised_information_may_be_shared_for_a_legitimate_purpose_without_consent():
    anonymised = answers(purpose=PURPOSE, identifiable=ANONYMISED)
    assert guidance.questions_needed(anonymised) == [
        QuestionKey.PURPOSE,
        QuestionKey.IDENTIFIABLE,
        QuestionKey.SHARING,
        QuestionKey.DECISION,
    ]
    assert guidance.recommendation(anonymised) == Recommendation.MAY_SHARE


def test_3_3_2_information_that_is_not_confidential_needs_no_consent():
    public = answers(purpose=PURPOSE, identifiable=IDENTIFIES, confidential=NOT_CONFIDENTIAL)
    assert QuestionKey.CONSENT not in guidance.questions_needed(public)
    assert guidance.recommendation(public) == Recommendation.MAY_SHARE


def test_3_3_11_with_consent_no_duty_or_public_interest_test_is_needed():
    consented = answers(purpose=PURPOSE, identifiable=IDENTIFIES, confidential=CONFIDENTIAL, consent=OBTAINED)
    assert guidance.questions_needed(consented) == [
        QuestionKey.PURPOSE,
        QuestionKey.IDENTIFIABLE,
        QuestionKey.CONFIDENTIAL,
        QuestionKey.CONSENT,
        QuestionKey.SHARING,
        QuestionKey.DECISION,
    ]
    assert guidance.recommendation(consented) == Recommendation.MAY_SHARE


@pytest.mark.parametrize("duty", ["statutory_duty", "court_order"])
def test_3_5_10_a_statutory_duty_or_court_order_means_the_information_must_be_shared(duty):
    ordered = answers(
        purpose=PURPOSE,
        identifiable=IDENTIFIES,
        confidential=CONFIDENTIAL,
        consent=REFUSED,
        statutory={"duty": duty, "reference": "Children Act 1989, section 47"},
    )
    assert QuestionKey.PUBLIC_INTEREST not in guidance.questions_needed(ordered)
    assert guidance.recommendation(ordered) == Recommendation.MUST_SHARE
    assert any(note.paragraph == "3.5.10" for note in guidance.notes_for(QuestionKey.STATUTORY, ordered))


@pytest.mark.parametrize("status", ["refused", "not_sought", "not_needed"])
def test_3_5_16_confidential_information_without_consent_or_duty_needs_the_public_interest_test(status):
    refused = answers(
        purpose=PURPOSE,
        identifiable=IDENTIFIES,
        confidential=CONFIDENTIAL,
        consent={"status": status},
        statutory={"duty": "none"},
    )
    assert QuestionKey.PUBLIC_INTEREST in guidance.questions_needed(refused)
    assert guidance.recommendation(refused) == Recommendation.UNDECIDED


def _weighed(concern_level):
    return answers(
        purpose={**PURPOSE, "concern_level": concern_level},
        identifiable=IDENTIFIES,
        confidential=CONFIDENTIAL,
        consent=REFUSED,
        statutory={"duty": "none"},
        public_interest=ADVISED,
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
    assert any(
        "will not normally be justified" in n.text for n in guidance.notes_for(QuestionKey.PUBLIC_INTEREST, lower)
    )


def test_3_4_2_the_reasons_not_to_seek_consent_are_shown_with_the_consent_question():
    notes = guidance.notes_for(QuestionKey.CONSENT, {})
    assert any(note.paragraph == "3.4.2" and "increased risk of significant harm" in note.text for note in notes)


def test_3_3_25_consent_not_sought_for_another_reason_reminds_that_seeking_it_is_good_practice():
    other = answers(consent={"status": "not_sought", "not_sought_reason": "other"})
    risk = answers(consent={"status": "not_sought", "not_sought_reason": "child_at_increased_risk"})
    assert any(n.paragraph == "3.3.25" for n in guidance.notes_for(QuestionKey.CONSENT, other))
    assert not any(n.paragraph == "3.3.25" for n in guidance.notes_for(QuestionKey.CONSENT, risk))


def test_3_4_1_reasonable_cause_to_suspect_significant_harm_means_tell_childrens_social_care():
    notes = guidance.notes_for(QuestionKey.PURPOSE, answers(purpose=PURPOSE))
    assert any(note.paragraph == "3.4.1" for note in notes)
    lower = guidance.notes_for(QuestionKey.PURPOSE, answers(purpose={**PURPOSE, "concern_level": "lower"}))
    assert not any(note.paragraph == "3.4.1" for note in lower)


def test_3_5_4_the_checklist_prompts_when_anonymised_data_would_do():
    notes = guidance.notes_for(QuestionKey.PURPOSE, answers(purpose={**PURPOSE, "anonymised_would_do": True}))
    assert any("anonymised information" in note.text for note in notes)


def test_3_5_19_sharing_without_consent_reminds_to_tell_the_person():
    without = answers(consent=REFUSED)
    assert any(n.paragraph == "3.5.19" for n in guidance.notes_for(QuestionKey.SHARING, without))
    assert not any(n.paragraph == "3.5.19" for n in guidance.notes_for(QuestionKey.SHARING, answers(consent=OBTAINED)))


def test_refusing_to_share_despite_a_court_order_departs_from_the_guidance():
    ordered = answers(
        purpose=PURPOSE,
        identifiable=IDENTIFIES,
        confidential=CONFIDENTIAL,
        consent=REFUSED,
        statutory={"duty": "court_order"},
        sharing={"outcome": "do_not_share"},
    )
    assert guidance.departs_from_guidance(ordered)
    assert any("differs from what the guidance" in n.text for n in guidance.notes_for(QuestionKey.DECISION, ordered))
    ordered[QuestionKey.SHARING] = {"outcome": "share"}
    assert not guidance.departs_from_guidance(ordered)


def test_sharing_at_a_lower_level_of_concern_without_consent_departs_from_the_guidance():
    lower = {**_weighed("lower"), QuestionKey.SHARING: {"outcome": "share_in_part"}}
    assert guidance.departs_from_guidance(lower)
    lower[QuestionKey.SHARING] = {"outcome": "do_not_share"}
    assert not guidance.departs_from_guidance(lower)


def test_any_decision_is_open_where_the_guidance_says_information_may_be_shared():
    for outcome in ("share", "share_in_part", "do_not_share"):
        anonymised = answers(purpose=PURPOSE, identifiable=ANONYMISED, sharing={"outcome": outcome})
        assert not guidance.departs_from_guidance(anonymised)


def test_changing_an_earlier_answer_removes_a_later_question_and_keeps_its_answer_out_of_the_record():
    full = answers(
        purpose=PURPOSE,
        identifiable=IDENTIFIES,
        confidential=CONFIDENTIAL,
        consent=REFUSED,
        statutory={"duty": "none"},
        public_interest=ADVISED,
        sharing={"outcome": "share", "consent_limits_explained": True, "person_informed": "already"},
        decision=DECIDED,
    )
    assert guidance.is_complete(full)
    full[QuestionKey.CONSENT] = {**OBTAINED}
    assert guidance.is_complete(full)
    assert set(guidance.questions_needed(full)) == {
        QuestionKey.PURPOSE,
        QuestionKey.IDENTIFIABLE,
        QuestionKey.CONFIDENTIAL,
        QuestionKey.CONSENT,
        QuestionKey.SHARING,
        QuestionKey.DECISION,
    }


def test_the_next_and_previous_questions_follow_the_answers():
    consented = answers(purpose=PURPOSE, identifiable=IDENTIFIES, confidential=CONFIDENTIAL, consent=OBTAINED)
    assert guidance.next_question(consented, QuestionKey.CONSENT) == QuestionKey.SHARING
    assert guidance.previous_question(consented, QuestionKey.SHARING) == QuestionKey.CONSENT
    assert guidance.previous_question(consented, QuestionKey.PURPOSE) is None
    answered = {**consented, QuestionKey.SHARING: {"outcome": "share", "person_informed": "already"}}
    assert guidance.next_question(answered, QuestionKey.DECISION) is None


def test_a_page_cannot_be_opened_before_the_questions_before_it_are_answered():
    assert guidance.is_reachable({}, QuestionKey.PURPOSE)
    assert not guidance.is_reachable({}, QuestionKey.CONSENT)
    anonymised = answers(purpose=PURPOSE, identifiable=ANONYMISED)
    assert not guidance.is_reachable(anonymised, QuestionKey.CONSENT)
    assert guidance.is_reachable(anonymised, QuestionKey.SHARING)


def test_consent_given_after_the_sharing_page_sends_the_practitioner_back_to_it():
    changed = answers(
        purpose=PURPOSE,
        identifiable=IDENTIFIES,
        confidential=CONFIDENTIAL,
        consent=OBTAINED,
        sharing={"outcome": "share", "person_informed": "already"},
        decision=DECIDED,
    )
    assert guidance.first_incomplete(changed) == QuestionKey.SHARING
    changed[QuestionKey.SHARING]["consent_limits_explained"] = True
    assert guidance.is_complete(changed)


def test_a_departure_without_its_reason_sends_the_practitioner_back_to_the_decision():
    refused = {**_weighed("lower"), QuestionKey.SHARING: SHARE_TOLD, QuestionKey.DECISION: {**DECIDED}}
    assert guidance.first_incomplete(refused) == QuestionKey.DECISION
    refused[QuestionKey.DECISION]["departure_reason"] = "Advice from the lead information officer."
    assert guidance.is_complete(refused)


# Issue 14: the recorded decision and the consent it relies on.

CONSENT_FOR_HEALTH = {
    "status": "obtained",
    "consent_covers": True,
    "consent_recipient_kinds": ["health", "school"],
    "consent_review_on": "2027-06-01",
}


def consented_to(kind: str, **sharing):
    return answers(
        purpose=PURPOSE,
        identifiable=IDENTIFIES,
        confidential=CONFIDENTIAL,
        consent=CONSENT_FOR_HEALTH,
        sharing={"outcome": "share", "recipient_agency_kind": kind, "person_informed": "already", **sharing},
    )


def test_3_3_28_consent_does_not_stretch_to_a_kind_of_agency_the_person_was_not_told_of():
    named, not_named = consented_to("health"), consented_to("police")
    assert guidance.has_consent(named) and not guidance.consent_misses_recipient(named)
    assert not guidance.has_consent(not_named) and guidance.consent_misses_recipient(not_named)
    # The decision goes on as one without consent: questions 5 and 6 are asked, as when the purpose is not covered.
    assert guidance.questions_needed(not_named) == list(QuestionKey)
    assert QuestionKey.STATUTORY not in guidance.questions_needed(named)
    assert guidance.consent_covers_purpose(not_named), "the purpose is still covered: only the recipient is not"


def test_3_3_28_question_7_naming_an_agency_outside_the_consent_brings_back_questions_5_and_6_next():
    not_named = consented_to("police")
    assert guidance.next_question(not_named, QuestionKey.SHARING) == QuestionKey.STATUTORY
    assert guidance.next_question(consented_to("health"), QuestionKey.SHARING) == QuestionKey.DECISION
    statutory_notes = [note.text for note in guidance.notes_for(QuestionKey.STATUTORY, not_named)]
    assert any("goes on as one without consent" in text for text in statutory_notes)
    assert any(
        "goes on as one without consent" in note.text
        for note in guidance.notes_for(QuestionKey.PUBLIC_INTEREST, not_named)
    )
    assert not any(
        "goes on as one without consent" in note.text for note in guidance.notes_for(QuestionKey.STATUTORY, {})
    )
    [warning] = guidance.consent_warnings(not_named)
    assert (warning.paragraph, warning.text) == (
        "3.3.28",
        "The consent does not cover sharing with this kind of agency, so the decision is without consent.",
    )


def test_3_3_22_a_withdrawn_or_replaced_consent_lapses_and_so_does_one_past_its_review_date():
    relied_on = consented_to("health")
    today = date(2027, 1, 10)
    assert guidance.consent_lapse(relied_on, superseded_by=None, today=today) is None
    assert guidance.consent_lapse(relied_on, superseded_by="withdrawn", today=today) == guidance.ConsentLapse.WITHDRAWN
    assert guidance.consent_lapse(relied_on, superseded_by="given", today=today) == guidance.ConsentLapse.REPLACED
    # 3.3.21: on its review date it is due for review, as consent.capacity.status_of says.
    assert guidance.consent_lapse(relied_on, superseded_by=None, today=date(2027, 6, 1)) == (
        guidance.ConsentLapse.REVIEW_PASSED
    )
    assert guidance.consent_lapse(relied_on, superseded_by=None, today=date(2027, 5, 31)) is None
    assert guidance.CONSENT_LAPSE_NOTES[guidance.ConsentLapse.WITHDRAWN].paragraph == "3.3.22"
    assert guidance.CONSENT_LAPSE_NOTES[guidance.ConsentLapse.REVIEW_PASSED].paragraph == "3.3.21"


def test_a_decision_that_did_not_rely_on_consent_has_none_to_lapse():
    outside = consented_to("police")
    assert guidance.consent_lapse(outside, superseded_by="withdrawn", today=date(2027, 1, 10)) is None
    refused = answers(purpose=PURPOSE, identifiable=IDENTIFIES, confidential=CONFIDENTIAL, consent=REFUSED)
    assert guidance.consent_lapse(refused, superseded_by="withdrawn", today=date(2027, 1, 10)) is None


def test_3_5_20_a_recipient_is_told_the_limits_of_consent_only_under_consent_that_covers_the_share_and_stands():
    covered = consented_to("health")
    assert guidance.shares_under_consent(covered, lapse=None)
    for lapse in guidance.ConsentLapse:
        assert not guidance.shares_under_consent(covered, lapse=lapse)
    assert not guidance.shares_under_consent(consented_to("police"), lapse=None), "3.3.28: not for this recipient"


@pytest.mark.parametrize(("outcome", "applies"), [("share", True), ("share_in_part", True), ("do_not_share", False)])
def test_3_5_20_the_checks_of_question_7_apply_to_a_decision_to_share_only(outcome, applies):
    decided = answers(purpose=PURPOSE, sharing={"outcome": outcome})
    assert guidance.sharing_checks_apply(decided) is applies
    assert guidance.person_told_is_asked({**decided, QuestionKey.IDENTIFIABLE: IDENTIFIES}) is applies


def test_3_5_5_anonymised_information_has_nobody_to_tell():
    anonymised = answers(purpose=PURPOSE, identifiable=ANONYMISED, sharing={"outcome": "share"})
    assert not guidance.person_told_is_asked(anonymised)
    assert guidance.person_told_is_asked({**anonymised, QuestionKey.IDENTIFIABLE: IDENTIFIES})
    # Not asked, so not told is never the answer, and there is no date to reconsider.
    told_nothing = {**anonymised, QuestionKey.SHARING: {"outcome": "share", "person_informed": "not_told"}}
    assert not guidance.not_told(told_nothing) and guidance.reconsider_date(told_nothing) is None


def test_3_5_19_a_decision_to_share_without_telling_carries_a_date_still_to_come():
    today = date(2027, 1, 10)
    assert guidance.reconsider_date_is_valid(date(2027, 1, 11), today)
    assert not guidance.reconsider_date_is_valid(today, today)
    assert not guidance.reconsider_date_is_valid(date(2027, 1, 9), today)
    not_told = answers(
        purpose=PURPOSE,
        identifiable=IDENTIFIES,
        sharing={"outcome": "share", "person_informed": "not_told", "reconsider_on": "2027-02-01"},
    )
    assert guidance.reconsider_date(not_told) == date(2027, 2, 1)
    assert not guidance.reconsider_date_has_passed(not_told, today)
    assert guidance.reconsider_date_has_passed(not_told, date(2027, 2, 1))
    told = {**not_told, QuestionKey.SHARING: {"outcome": "share", "person_informed": "already", "reconsider_on": None}}
    assert guidance.reconsider_date(told) is None and not guidance.reconsider_date_has_passed(told, date(2030, 1, 1))


def test_3_7_3_a_draft_not_telling_the_person_without_a_date_to_reconsider_goes_back_to_question_7():
    draft = answers(
        purpose=PURPOSE,
        identifiable=IDENTIFIES,
        confidential=NOT_CONFIDENTIAL,
        sharing={"outcome": "share", "person_informed": "not_told", "not_informed_reason": "Risk"},
        decision={**DECIDED, "reasons": "Because."},
    )
    assert guidance.first_incomplete(draft) == QuestionKey.SHARING
    dated = {**draft, QuestionKey.SHARING: {**draft[QuestionKey.SHARING], "reconsider_on": "2027-02-01"}}
    assert guidance.first_incomplete(dated) is None


# Where a question's page sends the practitioner once it is saved.

PUBLIC_AND_SHARED = answers(
    purpose=PURPOSE,
    identifiable=IDENTIFIES,
    confidential=NOT_CONFIDENTIAL,
    sharing={"outcome": "share", "person_informed": "already"},
    decision={**DECIDED, "reasons": "Because."},
)


def test_3_5_1_after_saving_a_question_the_next_one_needed_follows():
    assert guidance.after_saving(PUBLIC_AND_SHARED, QuestionKey.PURPOSE, from_check=False) == guidance.Step(
        QuestionKey.IDENTIFIABLE
    )
    # 3.3.2: information that is not confidential skips consent, duty and public interest.
    assert guidance.after_saving(PUBLIC_AND_SHARED, QuestionKey.CONFIDENTIAL, from_check=False) == guidance.Step(
        QuestionKey.SHARING
    )


def test_3_3_28_after_saving_question_7_outside_the_consent_question_5_comes_next():
    step = guidance.after_saving(consented_to("police"), QuestionKey.SHARING, from_check=False)
    assert step == guidance.Step(QuestionKey.STATUTORY, from_check=False)


def test_3_5_21_after_the_last_question_of_a_complete_draft_the_answers_are_checked():
    step = guidance.after_saving(PUBLIC_AND_SHARED, QuestionKey.DECISION, from_check=False)
    assert step == guidance.CHECK_ANSWERS and step.question is None


def test_after_the_last_question_one_to_answer_again_comes_before_the_check_page():
    not_told = {
        **PUBLIC_AND_SHARED,
        QuestionKey.SHARING: {"outcome": "share", "person_informed": "not_told", "not_informed_reason": "Risk"},
    }
    # 3.5.19, 3.7.3: sharing without telling the person needs a date to reconsider.
    assert guidance.after_saving(not_told, QuestionKey.DECISION, from_check=False) == guidance.Step(
        QuestionKey.SHARING, from_check=True
    )


def test_a_question_changed_from_the_check_page_goes_back_to_it_not_on_to_the_next():
    assert guidance.after_saving(PUBLIC_AND_SHARED, QuestionKey.PURPOSE, from_check=True) == guidance.CHECK_ANSWERS


def test_a_change_from_the_check_page_that_brings_in_a_question_asks_it_on_the_way_back():
    now_confidential = {**PUBLIC_AND_SHARED, QuestionKey.CONFIDENTIAL: CONFIDENTIAL}
    # 3.3.10: confidential information brings in question 4, consent, before the check page.
    assert guidance.after_saving(now_confidential, QuestionKey.CONFIDENTIAL, from_check=True) == guidance.Step(
        QuestionKey.CONSENT, from_check=True
    )


# Answers to questions that do not apply are not recorded.

SHARE = {"outcome": "share", "recipient_agency_kind": "health", "onward_sharing": "no"}


def kept(**by_question):
    return guidance.answers_that_apply(answers(**by_question))


def test_answers_that_all_apply_are_kept_as_they_are():
    given = answers(
        purpose=PURPOSE,
        identifiable={**IDENTIFIES, "who_identified": "The child", "anonymisation": ""},
        confidential={"confidentiality": "not_confidential", "reason": "Public."},
        sharing={**SHARE, "person_informed": "not_told", "not_informed_reason": "Risk.", "reconsider_on": None},
        decision={**DECIDED, "reasons": "Needed."},
    )
    assert guidance.answers_that_apply(given) == given


def test_3_5_1_a_question_no_longer_asked_is_not_kept():
    applying = kept(
        purpose=PURPOSE,
        identifiable={"identifies_person": False, "anonymisation": "Names removed."},
        confidential=CONFIDENTIAL,
        consent={"status": "not_needed", "not_needed_reason": "Not confidential."},
    )
    assert set(applying) == {"purpose", "identifiable"}


def test_3_5_5_who_is_identified_is_kept_only_when_someone_is_and_how_it_was_anonymised_only_when_nobody_is():
    identified = kept(purpose=PURPOSE, identifiable={**IDENTIFIES, "who_identified": "Mia", "anonymisation": "Gone."})
    assert identified["identifiable"] == {**IDENTIFIES, "who_identified": "Mia"}
    nobody = {"identifies_person": False, "who_identified": "Mia", "anonymisation": "Names removed."}
    assert kept(purpose=PURPOSE, identifiable=nobody)["identifiable"] == {
        "identifies_person": False,
        "anonymisation": "Names removed.",
    }


def test_3_5_5_nobody_to_tell_when_the_information_is_anonymised():
    told = {**SHARE, "person_informed": "not_told", "not_informed_reason": "Risk.", "reconsider_on": "2099-01-01"}
    applying = kept(purpose=PURPOSE, identifiable=ANONYMISED, sharing=told)
    assert applying["sharing"] == SHARE


def test_3_5_19_why_they_are_not_told_is_kept_only_when_they_are_not():
    already = {**SHARE, "person_informed": "already", "not_informed_reason": "Risk.", "reconsider_on": "2099-01-01"}
    applying = kept(purpose=PURPOSE, identifiable=IDENTIFIES, confidential=CONFIDENTIAL, sharing=already)
    assert applying["sharing"] == {**SHARE, "person_informed": "already"}
    not_told = {**already, "person_informed": "not_told"}
    applying = kept(purpose=PURPOSE, identifiable=IDENTIFIES, confidential=CONFIDENTIAL, sharing=not_told)
    assert applying["sharing"] == not_told


def test_3_5_19_an_answer_the_page_emptied_itself_is_kept_as_it_was_written():
    already = {**SHARE, "person_informed": "already", "not_informed_reason": "", "reconsider_on": None}
    assert kept(purpose=PURPOSE, identifiable=IDENTIFIES, sharing=already)["sharing"] == already


def test_3_5_20_the_checks_for_sharing_are_not_kept_for_a_decision_not_to_share():
    not_shared = {
        **SHARE,
        "outcome": "do_not_share",
        "withheld": "All of it.",
        "items": [{"text": "A", "kind": "fact"}],
    }
    applying = kept(purpose=PURPOSE, identifiable=IDENTIFIES, sharing=not_shared)
    assert applying["sharing"] == {"outcome": "do_not_share", "withheld": "All of it."}


def test_3_5_20_to_whom_it_is_passed_on_is_kept_only_when_the_recipient_will_pass_it_on():
    onward = {**SHARE, "onward_sharing": "not_known", "onward_detail": "Her manager."}
    assert "onward_detail" not in kept(purpose=PURPOSE, identifiable=IDENTIFIES, sharing=onward)["sharing"]
    onward["onward_sharing"] = "yes"
    assert kept(purpose=PURPOSE, identifiable=IDENTIFIES, sharing=onward)["sharing"]["onward_detail"] == "Her manager."


CONSENT_GIVEN = {
    "status": "obtained",
    "consent_record": "6a0f",
    "consent_summary": "Given by Kelly Turner",
    "consent_recipient_kinds": ["health"],
    "consent_covers": True,
}


def test_3_3_14_whether_consent_covers_the_purpose_is_kept_only_for_consent_given():
    refused = {**CONSENT_GIVEN, "status": "refused", "consent_summary": "Refused by Kelly Turner"}
    applying = kept(purpose=PURPOSE, identifiable=IDENTIFIES, confidential=CONFIDENTIAL, consent=refused)
    assert "consent_covers" not in applying["consent"]
    assert applying["consent"]["consent_summary"] == "Refused by Kelly Turner"


def test_3_7_2_a_consent_record_is_kept_only_for_consent_sought_and_given_or_refused():
    not_sought = {**CONSENT_GIVEN, "status": "not_sought", "not_sought_reason": "unjustified_delay"}
    not_sought["not_sought_other"] = "Left from before."
    applying = kept(purpose=PURPOSE, identifiable=IDENTIFIES, confidential=CONFIDENTIAL, consent=not_sought)
    # 3.4.2: a reason from the list needs no explaining (3.3.25: only "another reason" does).
    assert applying["consent"] == {"status": "not_sought", "not_sought_reason": "unjustified_delay"}
    not_needed = {"status": "not_needed", "not_needed_reason": "Public.", "not_sought_reason": "other"}
    applying = kept(purpose=PURPOSE, identifiable=IDENTIFIES, confidential=CONFIDENTIAL, consent=not_needed)
    assert applying["consent"] == {"status": "not_needed", "not_needed_reason": "Public."}
    given = {**CONSENT_GIVEN, "not_needed_reason": "Left from before."}
    applying = kept(purpose=PURPOSE, identifiable=IDENTIFIES, confidential=CONFIDENTIAL, consent=given)
    assert applying["consent"] == CONSENT_GIVEN


def test_3_3_28_the_limits_of_consent_are_kept_only_when_consent_covers_the_sharing():
    limits = {**SHARE, "consent_limits_explained": True}
    covered = kept(
        purpose=PURPOSE, identifiable=IDENTIFIES, confidential=CONFIDENTIAL, consent=CONSENT_GIVEN, sharing=limits
    )
    assert covered["sharing"]["consent_limits_explained"] is True
    not_covering = {**CONSENT_GIVEN, "consent_covers": False}
    applying = kept(
        purpose=PURPOSE, identifiable=IDENTIFIES, confidential=CONFIDENTIAL, consent=not_covering, sharing=limits
    )
    assert "consent_limits_explained" not in applying["sharing"]


def test_3_5_10_the_duty_is_named_only_when_there_is_one():
    no_duty = {"duty": "none", "reference": "Children Act 1989 s47"}
    consent = {"status": "not_needed", "not_needed_reason": "x"}
    applying = kept(
        purpose=PURPOSE, identifiable=IDENTIFIES, confidential=CONFIDENTIAL, consent=consent, statutory=no_duty
    )
    assert applying["statutory"] == {"duty": "none"}


def test_3_5_17_who_advised_is_kept_only_when_advice_was_sought_and_why_not_only_when_it_was_not():
    given = {
        "advice_sought": True,
        "advice_from": "legal",
        "adviser_name": "A",
        "advice_given": "B",
        "no_advice_reason": "C",
    }
    consent = {"status": "not_needed", "not_needed_reason": "x"}
    before = {"purpose": PURPOSE, "identifiable": IDENTIFIES, "confidential": CONFIDENTIAL, "consent": consent}
    before["statutory"] = {"duty": "none"}
    assert "no_advice_reason" not in kept(**before, public_interest=given)["public-interest"]
    applying = kept(**before, public_interest={**given, "advice_sought": False})
    assert applying["public-interest"] == {"advice_sought": False, "no_advice_reason": "C"}


def test_3_5_21_a_reason_for_departing_is_kept_only_for_a_departure():
    departing = {"reasons": "x", "departure_reason": "Advice."}
    without_purpose = {**PURPOSE, "legitimate_purpose": False}
    shared = kept(purpose=without_purpose, sharing=SHARE, decision=departing)
    assert shared["decision"] == departing
    not_shared = kept(purpose=without_purpose, sharing={"outcome": "do_not_share"}, decision=departing)
    assert not_shared["decision"] == {"reasons": "x"}


# Issue 17 point 10: what happens after a decision is recorded.


def test_next_steps_after_a_share_without_telling_the_person():
    steps = guidance.next_steps(guidance.Outcome.SHARE_IN_PART, date(2027, 1, 5))
    assert [step.note.cited for step in steps] == [
        "Once you have shared, record what was disclosed and with whom (3.5.21).",
        "The person the information is about has not been told: reconsider telling them by 5 January 2027 (3.5.19).",
        "Your safeguarding lead will review the decision (3.5.18).",
    ]
    assert [step.disclosure for step in steps] == [True, False, False]


def test_next_steps_after_a_share_the_person_is_told_of_and_after_not_sharing():
    told = guidance.next_steps(guidance.Outcome.SHARE, None)
    assert [step.note.paragraph for step in told] == ["3.5.21", "3.5.18"]
    assert [step.note.paragraph for step in guidance.next_steps(guidance.Outcome.DO_NOT_SHARE, None)] == ["3.5.18"]


# The task list: what is done, not needed and why, and still to do.

DONE, NOT_NEEDED, CANNOT_START, TO_DO = "Completed", "Not needed", "Cannot start yet", "Incomplete"


def statuses(given) -> list[str]:
    """Each line of the task list as a reader sees its status: the eight questions, then checking the answers."""
    return [guidance.TASK_STATUS_LABELS[task.status] for task in guidance.task_list(given)]


def why_not_needed(given) -> dict[int, str]:
    """{question number: the reason shown, citing its paragraph} for each question not needed."""
    return {
        guidance.QUESTION_BY_KEY[task.question].number: task.why_not_needed.cited
        for task in guidance.task_list(given)
        if task.status == guidance.TaskStatus.NOT_NEEDED
    }


def test_a_new_draft_starts_with_question_1_and_nothing_else_can_start_yet():
    tasks = guidance.task_list({})
    assert [task.question for task in tasks] == [*QuestionKey, None], "the eight questions, then checking"
    assert statuses({}) == [TO_DO] + [CANNOT_START] * 8
    assert why_not_needed({}) == {}


def test_3_5_1_each_question_answered_is_completed_and_the_next_one_needed_is_to_do():
    assert statuses(answers(purpose=PURPOSE)) == [DONE, TO_DO] + [CANNOT_START] * 7
    assert statuses(answers(purpose=PURPOSE, identifiable=IDENTIFIES)) == [DONE, DONE, TO_DO] + [CANNOT_START] * 6


def test_3_5_2_without_a_legitimate_purpose_questions_2_to_6_are_not_needed_and_say_why():
    no_purpose = answers(purpose={"legitimate_purpose": False})
    assert statuses(no_purpose) == [DONE] + [NOT_NEEDED] * 5 + [TO_DO, CANNOT_START, CANNOT_START]
    reason = (
        "You answered that there is no legitimate purpose to share the information, so there is nothing to weigh "
        "(3.5.2)."
    )
    assert why_not_needed(no_purpose) == dict.fromkeys(range(2, 7), reason)


def test_3_5_5_anonymised_information_needs_no_questions_3_to_6():
    anonymised = answers(purpose=PURPOSE, identifiable=ANONYMISED)
    assert statuses(anonymised) == [DONE, DONE] + [NOT_NEEDED] * 4 + [TO_DO, CANNOT_START, CANNOT_START]
    reason = (
        "You answered that the information does not identify anyone: anonymised information can be shared for a "
        "legitimate purpose (3.5.5)."
    )
    assert why_not_needed(anonymised) == dict.fromkeys(range(3, 7), reason)


def test_3_3_2_information_that_is_not_confidential_needs_no_questions_4_to_6():
    public = answers(purpose=PURPOSE, identifiable=IDENTIFIES, confidential=NOT_CONFIDENTIAL)
    assert statuses(public) == [DONE] * 3 + [NOT_NEEDED] * 3 + [TO_DO, CANNOT_START, CANNOT_START]
    reason = "You answered that the information is not confidential, so sharing it needs no consent (3.3.2 to 3.3.4)."
    assert why_not_needed(public) == dict.fromkeys(range(4, 7), reason)


def test_3_5_16_consent_covering_the_sharing_needs_no_questions_5_and_6():
    consented = answers(purpose=PURPOSE, identifiable=IDENTIFIES, confidential=CONFIDENTIAL, consent=OBTAINED)
    assert statuses(consented) == [DONE] * 4 + [NOT_NEEDED] * 2 + [TO_DO, CANNOT_START, CANNOT_START]
    reason = (
        "Consent was given and covers this sharing, so there is no duty of confidence to set aside: no statutory "
        "duty or public interest is needed (3.3.4 and 3.5.16)."
    )
    assert why_not_needed(consented) == {5: reason, 6: reason}
    # 3.3.22: consent that does not cover the purpose is no consent for this decision; both are to answer.
    not_covering = {**consented, QuestionKey.CONSENT: {**OBTAINED, "consent_covers": False}}
    assert statuses(not_covering) == [DONE] * 4 + [TO_DO] + [CANNOT_START] * 4


@pytest.mark.parametrize("duty", ["statutory_duty", "court_order"])
def test_3_5_10_a_statutory_duty_or_court_order_needs_no_public_interest_test(duty):
    ordered = answers(
        purpose=PURPOSE,
        identifiable=IDENTIFIES,
        confidential=CONFIDENTIAL,
        consent=REFUSED,
        statutory={"duty": duty, "reference": "Children Act 1989, section 47"},
    )
    assert statuses(ordered) == [DONE] * 5 + [NOT_NEEDED, TO_DO, CANNOT_START, CANNOT_START]
    assert why_not_needed(ordered) == {
        6: "You answered that there is a statutory duty or court order, so the information must be shared: there "
        "is no public interest test (3.5.10)."
    }


def test_3_5_16_without_consent_or_duty_every_question_is_needed():
    weighed = _weighed("reasonable_cause_to_believe")
    assert statuses(weighed) == [DONE] * 6 + [TO_DO, CANNOT_START, CANNOT_START]
    assert why_not_needed(weighed) == {}


def test_3_5_21_the_answers_can_be_checked_once_every_question_needed_is_completed():
    assert statuses(PUBLIC_AND_SHARED) == [DONE] * 3 + [NOT_NEEDED] * 3 + [DONE, DONE, TO_DO]
    unfinished = {key: value for key, value in PUBLIC_AND_SHARED.items() if key != QuestionKey.DECISION}
    assert statuses(unfinished) == [DONE] * 3 + [NOT_NEEDED] * 3 + [DONE, TO_DO, CANNOT_START]


def test_3_7_3_a_question_to_answer_again_is_to_do_and_the_answers_cannot_be_checked_yet():
    not_told = {
        **PUBLIC_AND_SHARED,
        QuestionKey.SHARING: {"outcome": "share", "person_informed": "not_told", "not_informed_reason": "Risk"},
    }
    assert statuses(not_told) == [DONE] * 3 + [NOT_NEEDED] * 3 + [TO_DO, DONE, CANNOT_START]


def test_3_5_21_a_departure_without_its_reason_is_to_do_and_so_is_question_7_when_both_are():
    departs = {**_weighed("lower"), QuestionKey.SHARING: SHARE_TOLD, QuestionKey.DECISION: {**DECIDED}}
    assert statuses(departs) == [DONE] * 7 + [TO_DO, CANNOT_START]
    both = {
        **departs,
        QuestionKey.SHARING: {"outcome": "share", "person_informed": "not_told", "not_informed_reason": "Risk"},
    }
    assert guidance.questions_to_revisit(both) == [QuestionKey.SHARING, QuestionKey.DECISION]
    assert guidance.first_to_revisit(both) == QuestionKey.SHARING
    assert statuses(both) == [DONE] * 6 + [TO_DO, TO_DO, CANNOT_START]


def test_3_3_28_a_recipient_outside_the_consent_brings_back_question_5_to_do_and_6_after_it():
    not_named = {**consented_to("police"), QuestionKey.DECISION: {**DECIDED}}
    assert statuses(not_named) == [DONE] * 4 + [TO_DO, CANNOT_START, DONE, DONE, CANNOT_START]
    assert why_not_needed(not_named) == {}
    named = {**consented_to("health", consent_limits_explained=True), QuestionKey.DECISION: {**DECIDED}}
    assert statuses(named) == [DONE] * 4 + [NOT_NEEDED] * 2 + [DONE, DONE, TO_DO]
    # Question 7 also to answer again (3.7.3: no date to reconsider telling): still to do, not "cannot start".
    undated = {
        **consented_to("police", person_informed="not_told", not_informed_reason="Risk"),
        QuestionKey.DECISION: {**DECIDED},
    }
    assert statuses(undated) == [DONE] * 4 + [TO_DO, CANNOT_START, TO_DO, DONE, CANNOT_START]


@pytest.mark.parametrize(
    "given",
    [
        {},
        answers(purpose={"legitimate_purpose": False}, sharing={"outcome": "do_not_share"}, decision=DECIDED),
        PUBLIC_AND_SHARED,
        _weighed("lower"),
        {**_weighed("lower"), QuestionKey.SHARING: SHARE_TOLD, QuestionKey.DECISION: {**DECIDED}},
        {**consented_to("police"), QuestionKey.DECISION: {**DECIDED}},
        {**consented_to("health", consent_limits_explained=True), QuestionKey.DECISION: {**DECIDED}},
    ],
)
def test_the_task_list_says_what_the_rules_say(given):
    tasks = guidance.task_list(given)
    not_needed = [task.question for task in tasks if task.status == guidance.TaskStatus.NOT_NEEDED]
    assert not_needed == [key for key in QuestionKey if key not in guidance.questions_needed(given)]
    assert all(task.why_not_needed is not None for task in tasks if task.question in not_needed)
    assert all(task.why_not_needed is None for task in tasks if task.question not in not_needed)
    questions_done = all(
        task.status in (guidance.TaskStatus.COMPLETED, guidance.TaskStatus.NOT_NEEDED) for task in tasks[:8]
    )
    assert questions_done == guidance.is_complete(given)
    assert (tasks[-1].status == guidance.TaskStatus.TO_DO) == guidance.is_complete(given)


# Question 1, one thing to a page (3.5.2 to 3.5.4).

FIRST_PAGES = {
    "purpose": "To plan a safe home visit.",
    "legal_bases": ["ca2004-s11"],
    "legal_basis_other": "",
    "concern_level": "lower",
}
TESTS = {
    "need_to_know": True,
    "proportionate": True,
    "statutory_restriction": False,
    "secondary_disclosure": False,
    "anonymised_would_do": False,
}


def test_question_1_is_asked_over_five_pages_in_the_order_of_3_5_2_to_3_5_4():
    pages = guidance.pages_of(QuestionKey.PURPOSE)
    assert [page.name for page in pages] == ["purpose", "legal-basis", "concern", "tests", "conclusion"]
    # Every answer of question 1 is asked on exactly one of its pages, in the order the answers are printed.
    assert [field for page in pages for field in page.fields] == list(summary.LABELS[QuestionKey.PURPOSE])


def test_question_1_is_answered_only_once_its_conclusion_page_is():
    begun = answers(purpose={**FIRST_PAGES, **TESTS})
    assert guidance.page_answered(begun, QuestionKey.PURPOSE, "tests")
    assert not guidance.page_answered(begun, QuestionKey.PURPOSE, "conclusion")
    assert guidance.first_unanswered(begun) == QuestionKey.PURPOSE
    assert not guidance.is_reachable(begun, QuestionKey.IDENTIFIABLE)
    done = answers(purpose={**FIRST_PAGES, **TESTS, "legitimate_purpose": True})
    assert guidance.first_unanswered(done) == QuestionKey.IDENTIFIABLE


def test_an_optional_answer_saved_empty_counts_as_its_page_answered():
    assert guidance.page_answered(answers(purpose=FIRST_PAGES), QuestionKey.PURPOSE, "legal-basis")
    assert not guidance.page_answered(answers(purpose={"legal_bases": ["x"]}), QuestionKey.PURPOSE, "legal-basis")


def test_a_page_of_question_1_opens_once_the_pages_before_it_are_answered():
    assert guidance.page_is_reachable({}, QuestionKey.PURPOSE, "purpose")
    assert not guidance.page_is_reachable({}, QuestionKey.PURPOSE, "legal-basis")
    some = answers(purpose={"purpose": "x", "legal_bases": [], "legal_basis_other": "Common law"})
    assert guidance.page_is_reachable(some, QuestionKey.PURPOSE, "concern")
    assert not guidance.page_is_reachable(some, QuestionKey.PURPOSE, "tests")
    assert guidance.first_unanswered_page(some, QuestionKey.PURPOSE).name == "concern"
    assert guidance.resume_at(some, QuestionKey.PURPOSE) == guidance.Step(QuestionKey.PURPOSE, page="concern")
    # Nothing answered: the question's first page, at the question's own address.
    assert guidance.resume_at({}, QuestionKey.PURPOSE, from_check=True) == guidance.Step(
        QuestionKey.PURPOSE, from_check=True
    )
    assert guidance.resume_at({}, QuestionKey.IDENTIFIABLE) == guidance.Step(QuestionKey.IDENTIFIABLE)


def test_3_5_4_each_page_of_question_1_goes_on_to_the_next_then_to_question_2():
    so_far = answers(purpose={"purpose": "x"})
    assert guidance.after_saving_page(so_far, QuestionKey.PURPOSE, "purpose", from_check=False) == guidance.Step(
        QuestionKey.PURPOSE, page="legal-basis"
    )
    assert guidance.after_saving_page(so_far, QuestionKey.PURPOSE, "tests", from_check=False) == guidance.Step(
        QuestionKey.PURPOSE, page="conclusion"
    )
    done = answers(purpose={**FIRST_PAGES, **TESTS, "legitimate_purpose": True})
    assert guidance.after_saving_page(done, QuestionKey.PURPOSE, "conclusion", from_check=False) == guidance.Step(
        QuestionKey.IDENTIFIABLE
    )


def test_3_5_2_no_legitimate_purpose_on_the_conclusion_page_goes_on_to_question_7():
    none = answers(purpose={**FIRST_PAGES, **TESTS, "legitimate_purpose": False})
    assert guidance.after_saving_page(none, QuestionKey.PURPOSE, "conclusion", from_check=False) == guidance.Step(
        QuestionKey.SHARING
    )


def test_a_page_changed_from_the_check_page_returns_to_it():
    done = examples.anonymised_share(datetime(2026, 11, 2, 10, 0))
    assert guidance.is_complete(done)
    assert guidance.after_saving_page(done, QuestionKey.PURPOSE, "tests", from_check=True) == guidance.CHECK_ANSWERS


def test_a_page_changed_from_the_check_page_goes_to_a_page_still_unanswered_first():
    done = examples.anonymised_share(datetime(2026, 11, 2, 10, 0))
    begun = {**done, QuestionKey.PURPOSE: {"purpose": "x", "legitimate_purpose": True}}
    assert guidance.after_saving_page(begun, QuestionKey.PURPOSE, "purpose", from_check=True) == guidance.Step(
        QuestionKey.PURPOSE, from_check=True, page="legal-basis"
    )


def test_a_change_from_the_check_page_that_brings_in_a_question_goes_to_it():
    done = examples.anonymised_share(datetime(2026, 11, 2, 10, 0))
    # 3.5.5 to 3.5.6: identifying information brings in question 3, still to answer.
    identifies = {**done, QuestionKey.IDENTIFIABLE: {"identifies_person": True, "who_identified": "Mia"}}
    assert guidance.after_saving_page(identifies, QuestionKey.PURPOSE, "concern", from_check=True) == guidance.Step(
        QuestionKey.CONFIDENTIAL, from_check=True
    )


def test_the_pages_before_question_1_s_conclusion_show_the_notes_every_answer_needs():
    tested = answers(purpose={**FIRST_PAGES, "concern_level": "reasonable_cause_to_believe", **TESTS})
    tested[QuestionKey.PURPOSE]["proportionate"] = False
    early = guidance.notes_for_page(QuestionKey.PURPOSE, "tests", tested)
    assert [note.paragraph for note in early] == ["3.5.2", "3.5.3"]
    # 3.4.1 at a level of concern that calls for it, and 3.5.4 on a disproportionate request, on the conclusion.
    last = guidance.notes_for_page(QuestionKey.PURPOSE, "conclusion", tested)
    assert [note.paragraph for note in last] == ["3.5.2", "3.5.3", "3.4.1", "3.5.4"]
    assert last == guidance.notes_for(QuestionKey.PURPOSE, tested)
    assert guidance.notes_for_page(QuestionKey.CONFIDENTIAL, None, tested) == guidance.notes_for(
        QuestionKey.CONFIDENTIAL, tested
    )


def test_the_task_list_opens_question_1_begun_at_its_first_page_still_to_answer():
    begun = answers(purpose={"purpose": "x", "legal_bases": ["ca2004-s11"], "legal_basis_other": ""})
    first = guidance.task_list(begun)[0]
    assert (first.status, first.page) == (guidance.TaskStatus.TO_DO, "concern")
    assert guidance.task_list({})[0].page is None  # not begun: its first page, at the question's address
    done = answers(purpose={**FIRST_PAGES, **TESTS, "legitimate_purpose": True})
    assert guidance.task_list(done)[0] == guidance.Task(QuestionKey.PURPOSE, guidance.TaskStatus.COMPLETED)


def test_back_goes_to_the_page_before_within_question_1():
    assert guidance.previous_page(QuestionKey.PURPOSE, "concern").name == "legal-basis"
    assert guidance.previous_page(QuestionKey.PURPOSE, "purpose") is None
    assert guidance.previous_page(QuestionKey.SHARING, None) is None


# Questions 2 to 6 and 8, one thing to a page: a follow-up only where the answer before it calls for it.

CONSENT_RECORD = {
    "consent_record": "c1",
    "consent_summary": "Given by Kelly Turner (mother)",
    "consent_recipient_kinds": ["health"],
    "consent_review_on": "2026-01-01",
    "consent_review_due": True,
}
BEFORE_CONSENT = {
    QuestionKey.PURPOSE: {**FIRST_PAGES, **TESTS, "legitimate_purpose": True},
    QuestionKey.IDENTIFIABLE: {"identifies_person": True, "who_identified": "Mia"},
    QuestionKey.CONFIDENTIAL: {"confidentiality": "formal", "reason": "Told in confidence."},
}


def asked(given, question):
    return [page.name for page in guidance.pages_asked(given, question)]


def with_consent(**consent):
    return {**BEFORE_CONSENT, QuestionKey.CONSENT: consent}


@pytest.mark.parametrize("question", list(guidance.PAGES))
def test_every_answer_of_a_question_asked_over_pages_is_asked_on_one_of_them_in_the_order_it_is_printed(question):
    # Question 7's items are printed one a line, each as its item (guidance.ITEMS_PAGE).
    pages = [page for page in guidance.pages_of(question) if page.name != guidance.ITEMS_PAGE]
    assert [field for page in pages for field in page.fields] == list(summary.LABELS[question])


def test_3_5_5_who_is_identified_is_asked_only_when_someone_is_and_how_it_was_anonymised_only_when_nobody_is():
    assert asked({}, QuestionKey.IDENTIFIABLE) == ["identifies"]
    assert asked(answers(identifiable=IDENTIFIES), QuestionKey.IDENTIFIABLE) == ["identifies", "who"]
    nobody = answers(identifiable=ANONYMISED)
    assert asked(nobody, QuestionKey.IDENTIFIABLE) == ["identifies", "anonymised"]
    done = answers(
        purpose={**FIRST_PAGES, **TESTS, "legitimate_purpose": True}, identifiable={"identifies_person": True}
    )
    assert guidance.after_saving_page(done, QuestionKey.IDENTIFIABLE, "identifies", from_check=False) == (
        guidance.Step(QuestionKey.IDENTIFIABLE, page="who")
    )
    # Answered once its follow-up is: not before.
    assert guidance.first_unanswered(done) == QuestionKey.IDENTIFIABLE
    assert not guidance.page_is_reachable(done, QuestionKey.IDENTIFIABLE, "anonymised")


def test_3_3_14_whether_a_consent_covers_the_purpose_is_asked_only_once_a_consent_given_is_chosen():
    chosen_status = with_consent(status="obtained")
    assert asked(chosen_status, QuestionKey.CONSENT) == ["status", "record", "covers"]
    assert guidance.page_is_reachable(chosen_status, QuestionKey.CONSENT, "record")
    assert not guidance.page_is_reachable(chosen_status, QuestionKey.CONSENT, "covers")
    assert guidance.after_saving_page(chosen_status, QuestionKey.CONSENT, "status", from_check=False) == (
        guidance.Step(QuestionKey.CONSENT, page="record")
    )
    chosen = with_consent(status="obtained", **CONSENT_RECORD)
    assert guidance.page_is_reachable(chosen, QuestionKey.CONSENT, "covers")
    assert guidance.first_unanswered(chosen) == QuestionKey.CONSENT
    covered = with_consent(status="obtained", **CONSENT_RECORD, consent_covers=True)
    assert guidance.after_saving_page(covered, QuestionKey.CONSENT, "covers", from_check=False) == (
        guidance.Step(QuestionKey.SHARING)
    )


def test_3_7_2_consent_refused_is_answered_with_its_record_and_nothing_about_what_it_covers():
    refused = with_consent(status="refused", consent_record="c2")
    assert asked(refused, QuestionKey.CONSENT) == ["status", "record"]
    assert guidance.after_saving_page(refused, QuestionKey.CONSENT, "record", from_check=False) == (
        guidance.Step(QuestionKey.STATUTORY)
    )


@pytest.mark.parametrize(
    ("status", "page"), [("not_sought", "not-sought"), ("not_needed", "not-needed")], ids=["3.4.2", "3.3.2"]
)
def test_consent_not_sought_or_not_needed_is_asked_why_and_nothing_about_a_record(status, page):
    given = with_consent(status=status)
    assert asked(given, QuestionKey.CONSENT) == ["status", page]
    assert guidance.after_saving_page(given, QuestionKey.CONSENT, "status", from_check=False) == (
        guidance.Step(QuestionKey.CONSENT, page=page)
    )
    assert not guidance.page_is_reachable(given, QuestionKey.CONSENT, "record")
    assert not guidance.page_is_reachable(given, QuestionKey.CONSENT, "covers")


def test_3_7_2_a_record_chosen_for_one_answer_is_forgotten_when_the_answer_changes():
    given = {"status": "obtained", **CONSENT_RECORD, "consent_covers": True}
    refused = guidance.page_answers_kept(given, QuestionKey.CONSENT, "status", {"status": "refused"})
    assert refused == {"status": "refused"}
    # The same answer sent again keeps what was chosen for it.
    assert guidance.page_answers_kept(given, QuestionKey.CONSENT, "status", {"status": "obtained"}) == given
    # 3.3.22: another record chosen is judged again on whether it covers the purpose.
    other = guidance.page_answers_kept(given, QuestionKey.CONSENT, "record", {**CONSENT_RECORD, "consent_record": "c3"})
    assert "consent_covers" not in other
    assert other["consent_record"] == "c3"


def test_a_reason_for_not_seeking_consent_is_kept_while_another_answer_is_tried():
    given = {"status": "not_sought", "not_sought_reason": "child_at_increased_risk", "not_sought_other": ""}
    back = guidance.page_answers_kept(given, QuestionKey.CONSENT, "status", {"status": "not_needed"})
    assert back["not_sought_reason"] == "child_at_increased_risk"


def test_3_3_21_a_review_date_passed_is_noted_only_of_a_consent_record_still_relied_on():
    due = with_consent(status="obtained", **CONSENT_RECORD)
    assert "3.3.21" in [note.paragraph for note in guidance.notes_for(QuestionKey.CONSENT, due)]
    not_needed = with_consent(status="not_needed", **CONSENT_RECORD)
    assert "3.3.21" not in [note.paragraph for note in guidance.notes_for(QuestionKey.CONSENT, not_needed)]


def test_a_record_chosen_before_the_answer_changed_is_not_kept():
    given = with_consent(status="not_needed", not_needed_reason="Not confidential.", **CONSENT_RECORD)
    consent = guidance.answers_that_apply(given)[QuestionKey.CONSENT]
    assert consent == {"status": "not_needed", "not_needed_reason": "Not confidential."}


def test_answers_sent_a_page_at_a_time_are_recorded_as_the_one_page_wrote_them():
    # Question 4, consent not sought, sent over its two pages: the record, whether it covers the purpose and
    # why consent is not needed are blank, as the one page of question 4 wrote them.
    paged = with_consent(status="not_sought", not_sought_reason="child_at_increased_risk", not_sought_other="")
    one_page = examples.consent_kept(status="not_sought", not_sought_reason="child_at_increased_risk")
    shaped = guidance.answers_as_one_page(paged)[QuestionKey.CONSENT]
    assert {name: value for name, value in shaped.items() if name in one_page} == one_page
    assert guidance.answers_that_apply(guidance.answers_as_one_page(paged))[QuestionKey.CONSENT] == shaped
    # Question 2: someone identified, so how it was anonymised is blank.
    assert guidance.answers_as_one_page(paged)[QuestionKey.IDENTIFIABLE] == {
        "identifies_person": True,
        "who_identified": "Mia",
        "anonymisation": "",
    }
    # Answers as one page wrote them stay as they are.
    one_form = {
        **examples.consent_kept(status="not_needed", not_needed_reason="x"),
        **dict.fromkeys(summary.CONSENT_SNAPSHOT, ""),
    }
    whole = {**BEFORE_CONSENT, QuestionKey.CONSENT: one_form}
    whole[QuestionKey.IDENTIFIABLE] = {"identifies_person": True, "who_identified": "Mia", "anonymisation": ""}
    assert guidance.answers_as_one_page(whole) == {str(key): value for key, value in whole.items()}


def test_3_5_10_which_duty_or_order_is_asked_only_of_a_duty_or_an_order():
    assert asked(answers(statutory={"duty": "none"}), QuestionKey.STATUTORY) == ["duty"]
    for duty in ("statutory_duty", "court_order"):
        assert asked(answers(statutory={"duty": duty}), QuestionKey.STATUTORY) == ["duty", "reference"]


def test_3_5_17_who_advised_and_what_is_asked_only_of_advice_sought_and_why_not_only_when_it_was_not():
    weighed = ["if-shared", "if-not-shared", "proportionality", "advice"]
    assert asked({}, QuestionKey.PUBLIC_INTEREST) == weighed
    sought = answers(public_interest=ADVISED)
    assert asked(sought, QuestionKey.PUBLIC_INTEREST) == [*weighed, "advice-given"]
    not_sought = answers(public_interest={"advice_sought": False})
    assert asked(not_sought, QuestionKey.PUBLIC_INTEREST) == [*weighed, "no-advice"]


def test_3_5_21_a_reason_for_departing_from_the_guidance_is_asked_only_of_a_departure():
    assert asked(answers(purpose=PURPOSE), QuestionKey.DECISION) == ["reasons", "when"]
    departs = answers(purpose={"legitimate_purpose": False}, sharing={"outcome": "share"})
    assert asked(departs, QuestionKey.DECISION) == ["reasons", "departure", "when"]
    assert guidance.previous_page(QuestionKey.DECISION, "when", departs).name == "departure"
    assert guidance.previous_page(QuestionKey.DECISION, "when", answers(purpose=PURPOSE)).name == "reasons"


def test_the_pages_of_the_other_questions_each_show_their_question_s_notes():
    given = with_consent(status="refused", consent_record="c2")
    for page in guidance.pages_of(QuestionKey.CONSENT):
        assert guidance.notes_for_page(QuestionKey.CONSENT, page.name, given) == guidance.notes_for(
            QuestionKey.CONSENT, given
        )


# Question 7, one thing to a page (guidance.PAGES): its checks asked of a decision to share only (3.5.20).

SHARED = examples.anonymised_share(datetime(2026, 11, 2, 10, 0))[QuestionKey.SHARING]


def test_question_7_is_asked_over_six_pages_each_answer_on_one_of_them():
    pages = guidance.pages_of(QuestionKey.SHARING)
    assert [page.name for page in pages] == ["outcome", "items", "recipient", "method", "onward", "told"]
    asked = [field for page in pages for field in page.fields]
    assert sorted(asked) == sorted(["items", *summary.LABELS[QuestionKey.SHARING]])
    assert len(asked) == len(set(asked))


def test_3_5_20_a_decision_not_to_share_is_answered_on_its_first_page():
    refused = answers(purpose={"legitimate_purpose": False}, sharing={"outcome": "do_not_share", "withheld": "All."})
    for page in guidance.pages_of(QuestionKey.SHARING)[1:]:
        assert not guidance.page_is_asked(refused, page)
        assert not guidance.page_is_reachable(refused, QuestionKey.SHARING, page.name)
    assert guidance.first_unanswered(refused) == QuestionKey.DECISION
    assert guidance.after_saving_page(refused, QuestionKey.SHARING, "outcome", from_check=False) == guidance.Step(
        QuestionKey.DECISION
    )


def test_3_5_20_a_decision_to_share_goes_on_to_its_items_then_each_check_in_turn():
    sharing = answers(purpose={"legitimate_purpose": False}, sharing={"outcome": "share", "withheld": ""})
    assert guidance.first_unanswered(sharing) == QuestionKey.SHARING
    assert guidance.after_saving_page(sharing, QuestionKey.SHARING, "outcome", from_check=False) == guidance.Step(
        QuestionKey.SHARING, page="items"
    )
    assert not guidance.page_is_reachable(sharing, QuestionKey.SHARING, "recipient")
    listed = answers(purpose={"legitimate_purpose": False}, sharing={"outcome": "share", "items": SHARED["items"]})
    listed[QuestionKey.SHARING]["withheld"] = ""
    assert guidance.first_unanswered_page(listed, QuestionKey.SHARING).name == "recipient"
    assert guidance.task_list(listed)[6].page == "recipient"


def test_3_5_5_anonymised_information_skips_the_page_asking_whether_the_person_is_told():
    anonymised = examples.anonymised_share(datetime(2026, 11, 2, 10, 0))
    assert "told" not in asked(anonymised, QuestionKey.SHARING)
    assert guidance.page_answered(anonymised, QuestionKey.SHARING, "told")
    assert guidance.after_saving_page(anonymised, QuestionKey.SHARING, "onward", from_check=False) == guidance.Step(
        QuestionKey.DECISION
    )
    # Back from the decision's page goes to the last page that applies; within question 7, to the one before.
    assert guidance.previous_page(QuestionKey.SHARING, "told", anonymised).name == "onward"
    refused = answers(sharing={"outcome": "do_not_share", "withheld": "All."})
    assert guidance.previous_page(QuestionKey.SHARING, "told", refused).name == "outcome"


def test_3_5_19_a_question_7_to_answer_again_opens_at_the_page_that_asks_for_the_answer():
    done = examples.anonymised_share(datetime(2026, 11, 2, 10, 0))
    identifies = {
        **done,
        QuestionKey.IDENTIFIABLE: {"identifies_person": True, "who_identified": "Mia"},
        QuestionKey.CONFIDENTIAL: {"confidentiality": "not_confidential", "reason": "Known."},
        QuestionKey.SHARING: {
            **done[QuestionKey.SHARING],
            "recipient_agency_kind": "health",
            "person_informed": "not_told",
            "not_informed_reason": "R",
        },
    }
    assert guidance.first_to_revisit(identifies) == QuestionKey.SHARING
    assert guidance.resume_at(identifies, QuestionKey.SHARING, from_check=True) == guidance.Step(
        QuestionKey.SHARING, from_check=True, page="told"
    )


def test_question_7_s_items_are_read_from_its_answers():
    assert guidance.items_of({}, QuestionKey.SHARING) == []
    assert guidance.items_of(answers(sharing=SHARED), QuestionKey.SHARING) == SHARED["items"]


def test_each_page_of_question_7_shows_the_notes_of_the_paragraphs_it_follows():
    shared = answers(sharing=SHARED)
    assert [note.paragraph for note in guidance.notes_for_page(QuestionKey.SHARING, "items", shared)] == [
        "3.5.20",
        "3.7.9",
    ]
    assert [note.paragraph for note in guidance.notes_for_page(QuestionKey.SHARING, "method", shared)] == [
        "3.5.20",
        "3.7.8",
    ]
