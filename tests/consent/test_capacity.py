"""Who may consent and which consent counts (3.3.15-3.3.22), in plain Python."""

from datetime import date, timedelta

import pytest

from consent import capacity
from consent.capacity import ConsentFact, Response, Status

TODAY = date(2026, 11, 21)
ALL_MET = dict.fromkeys(capacity.COMPETENCE_CRITERIA, True)


def blocks(findings):
    return [f for f in findings if f.blocks]


@pytest.mark.parametrize(
    ("age", "paragraph"),
    [(11, "3.3.16"), (12, "3.3.16"), (15, "3.3.16"), (16, "3.3.15"), (17, "3.3.15")],
)
def test_a_competent_child_of_any_age_can_consent_and_the_guidance_for_their_age_is_shown(age, paragraph):
    findings = capacity.child_capacity_findings(age=age, assessment=ALL_MET, judged_competent=True)
    assert not blocks(findings)
    assert findings[0].paragraph == paragraph


def test_children_of_twelve_or_over_are_presumed_to_understand_but_are_still_assessed():
    finding = capacity.child_capacity_findings(age=12, assessment=ALL_MET, judged_competent=True)[0]
    assert "12 or over" in finding.text
    assert "record the assessment" in finding.text


def test_an_eleven_year_old_may_be_competent():
    finding = capacity.child_capacity_findings(age=11, assessment=ALL_MET, judged_competent=True)[0]
    assert "Younger children may also have sufficient understanding" in finding.text


@pytest.mark.parametrize("age", [11, 12, 15, 16, 17])
def test_a_child_judged_not_competent_cannot_consent_themself(age):
    findings = capacity.child_capacity_findings(age=age, assessment={}, judged_competent=False)
    assert [f.paragraph for f in blocks(findings)] == ["3.3.18"]


def test_competence_must_be_judged():
    assert blocks(capacity.child_capacity_findings(age=14, assessment=ALL_MET, judged_competent=None))


@pytest.mark.parametrize(("age", "needed"), [(None, True), (0, True), (11, True), (15, True), (16, False), (17, False)])
def test_3_3_15_only_a_child_under_16_needs_an_assessment_of_understanding(age, needed):
    assert capacity.assessment_needed(age) is needed


@pytest.mark.parametrize("age", [16, 17])
def test_3_3_15_a_young_person_of_16_or_17_answers_for_themself_without_an_assessment(age):
    findings = capacity.child_capacity_findings(age=age, assessment={}, judged_competent=None)
    assert not blocks(findings)
    assert [(f.paragraph, f.text) for f in findings] == [
        (
            "3.3.15",
            "A young person of 16 or 17 can give or refuse consent themself: their understanding need not be assessed.",
        )
    ]
    assert capacity.own_answer_basis(age=age, judged_competent=None) == f"aged {age}"


@pytest.mark.parametrize("age", [None, 11, 15])
def test_a_child_under_16_or_of_unknown_age_must_be_judged(age):
    findings = capacity.child_capacity_findings(age=age, assessment={}, judged_competent=None)
    assert [(f.paragraph, f.field) for f in blocks(findings)] == [("3.3.17", "child_competent")]
    assert capacity.own_answer_basis(age=age, judged_competent=None) is None


@pytest.mark.parametrize(
    ("age", "judged", "basis"),
    [(9, True, "judged competent"), (15, True, "judged competent"), (16, True, "judged competent"), (15, False, None)],
)
def test_a_judgement_made_decides_whether_the_childs_own_answer_counts(age, judged, basis):
    # 3.3.18: a child judged not competent cannot answer for themself, at 16 or 17 as at any age.
    assert capacity.own_answer_basis(age=age, judged_competent=judged) == basis


def test_a_young_person_of_17_judged_not_competent_does_not_answer_for_themself():
    # 3.3.18: "where a professional judges that they are not competent to consent", at any age.
    assert capacity.own_answer_basis(age=17, judged_competent=False) is None
    findings = capacity.child_capacity_findings(age=17, assessment={}, judged_competent=False)
    assert [(f.paragraph, f.field) for f in blocks(findings)] == [("3.3.18", "child_competent")]


def test_3_3_17_judging_a_child_under_16_competent_against_an_unmet_criterion_needs_the_reason():
    partial = {**ALL_MET, "consistent": False}
    findings = capacity.child_capacity_findings(age=14, assessment=partial, judged_competent=True)
    [unexplained] = blocks(findings)
    assert unexplained.paragraph == "3.3.17"
    assert unexplained.field == "assessment_notes"
    assert unexplained.text == (
        "The child was judged competent although 1 of the 7 criteria was not met: explain why in the notes on the "
        "assessment."
    )


def test_3_3_17_the_reason_for_judging_competent_against_unmet_criteria_lets_the_consent_stand():
    partial = {**ALL_MET, "consistent": False, "own_view": False}
    findings = capacity.child_capacity_findings(
        age=14, assessment=partial, judged_competent=True, explanation="Consistent over three visits but one."
    )
    assert not blocks(findings)
    assert "although 2 of the 7 criteria were not met: the reason is in the notes." in findings[-1].text
    blank = capacity.child_capacity_findings(age=14, assessment=partial, judged_competent=True, explanation="   ")
    assert [f.field for f in blocks(blank)] == ["assessment_notes"], "blank notes are no reason"


def test_every_criterion_met_needs_no_reason():
    findings = capacity.child_capacity_findings(age=14, assessment=ALL_MET, judged_competent=True)
    assert not any(f.field == "assessment_notes" for f in findings)


def test_a_young_person_of_16_assessed_all_the_same_needs_no_reason_for_unmet_criteria():
    # 3.3.15: the criteria are not what a 16- or 17-year-old's consent rests on.
    findings = capacity.child_capacity_findings(age=16, assessment={}, judged_competent=True)
    assert not blocks(findings)


@pytest.mark.parametrize(
    ("response", "asked"), [(Response.GIVEN, True), (Response.REFUSED, False), ("given", True), ("refused", False)]
)
def test_3_3_21_to_3_3_22_only_consent_given_is_asked_about_withdrawal_and_review(response, asked):
    assert capacity.asks_about_withdrawal_and_review(response) is asked


def parent(**overrides):
    values = {
        "by_child": False,
        "about_child": True,
        "holds_parental_responsibility": "yes",
        "lives_with_child": True,
        "another_resident_parent": False,
        "family_conflict": False,
        "conflict_advice": "",
    }
    values.update(overrides)
    return capacity.responder_findings(**values)


def test_a_parent_with_parental_responsibility_can_consent_for_the_child():
    assert parent() == []


@pytest.mark.parametrize("responsibility", ["no", "not_known"])
def test_an_adult_without_parental_responsibility_cannot_consent_for_the_child(responsibility):
    assert [f.paragraph for f in blocks(parent(holds_parental_responsibility=responsibility))] == ["3.3.18"]


def test_an_adult_consents_about_their_own_information_without_parental_responsibility():
    assert parent(about_child=False, holds_parental_responsibility="no") == []


def test_for_separated_parents_the_resident_parent_is_usually_asked():
    findings = parent(lives_with_child=False, another_resident_parent=True)
    assert [f.paragraph for f in findings] == ["3.3.19"]
    assert not blocks(findings)


def test_family_conflict_needs_the_advice_taken():
    assert blocks(parent(family_conflict=True))
    assert not blocks(parent(family_conflict=True, conflict_advice="Information lead: ask the mother."))


def fact(key, *, by_child=False, pr=True, competent=False, response=Response.GIVEN, days_ago=1, **extra):
    values = {
        "key": key,
        "by_child": by_child,
        "by_parental_responsibility": pr and not by_child,
        "child_decides": competent,
        "response": response,
        "responded_on": TODAY - timedelta(days=days_ago),
        "review_on": None,
        "superseded_by": None,
    }
    values.update(extra)
    return ConsentFact(**values)


def test_3_3_19_one_parents_consent_is_enough():
    standing = capacity.consent_standing([fact("mother")], TODAY)
    assert (standing.response, standing.deciding) == (Response.GIVEN, "mother")


def test_3_3_19_a_competent_childs_refusal_counts_even_when_a_parent_agrees():
    facts = [
        fact("mother", days_ago=1),
        fact("child", by_child=True, competent=True, response=Response.REFUSED, days_ago=3),
    ]
    standing = capacity.consent_standing(facts, TODAY)
    assert (standing.response, standing.deciding) == (Response.REFUSED, "child")
    assert any("the child's decision is the one that counts" in f.text for f in standing.findings)


def test_3_3_15_a_16_year_olds_refusal_counts_even_when_a_parent_agrees():
    decides = capacity.own_answer_basis(age=16, judged_competent=None) is not None
    facts = [fact("mother"), fact("child", by_child=True, competent=decides, response=Response.REFUSED, days_ago=3)]
    assert capacity.consent_standing(facts, TODAY).deciding == "child"


def test_a_child_not_judged_competent_does_not_decide():
    facts = [fact("mother"), fact("child", by_child=True, competent=False, response=Response.REFUSED)]
    assert capacity.consent_standing(facts, TODAY).deciding == "mother"


def test_parents_who_disagree_are_a_family_in_conflict():
    facts = [fact("mother"), fact("father", response=Response.REFUSED)]
    standing = capacity.consent_standing(facts, TODAY)
    assert any("disagree" in f.text and f.paragraph == "3.3.19" for f in standing.findings)


def test_withdrawn_and_superseded_consents_do_not_count():
    facts = [
        fact("old", superseded_by=Response.GIVEN),
        fact("withdrawn", response=Response.WITHDRAWN),
        fact("given, then withdrawn", superseded_by=Response.WITHDRAWN),
    ]
    assert capacity.consent_standing(facts, TODAY).response is None


@pytest.mark.parametrize(
    ("extra", "status"),
    [
        ({}, Status.CURRENT),
        ({"superseded_by": Response.GIVEN}, Status.SUPERSEDED),
        ({"superseded_by": Response.REFUSED}, Status.SUPERSEDED),
        ({"response": Response.WITHDRAWN}, Status.WITHDRAWN),
        # 18 (3.3.22): the consent a withdrawal withdrew is withdrawn, not "superseded".
        ({"superseded_by": Response.WITHDRAWN}, Status.WITHDRAWN),
        ({"superseded_by": Response.WITHDRAWN, "review_on": TODAY}, Status.WITHDRAWN),
        ({"review_on": TODAY}, Status.REVIEW_DUE),
        ({"review_on": TODAY + timedelta(days=1)}, Status.CURRENT),
    ],
)
def test_status_of_a_consent(extra, status):
    assert capacity.status_of(fact("x", **extra), TODAY) == status


def test_a_passed_review_date_is_flagged():
    standing = capacity.consent_standing([fact("mother", review_on=TODAY - timedelta(days=1))], TODAY)
    assert standing.response == Response.GIVEN
    assert any(f.paragraph == "3.3.21" for f in standing.findings)


def test_every_finding_that_blocks_names_the_field_of_the_consent_form_it_concerns():
    """The form shows a blocking finding next to the field the finding names, never one chosen by its wording."""
    from itertools import product

    from consent.forms import ConsentRecordForm

    findings = []
    for age, judged, assessment, notes in product(
        (None, 9, 14, 16, 17), (None, True, False), ({}, ALL_MET, {"own_view": True}), ("", "Her view is clear.")
    ):
        findings += capacity.child_capacity_findings(
            age=age, assessment=assessment, judged_competent=judged, explanation=notes
        )
    for responsibility, lives, other, conflict, advice in product(
        ("yes", "no", "not_known"), (True, False), (True, False), (True, False), ("", "Ask the mother.")
    ):
        findings += parent(
            holds_parental_responsibility=responsibility,
            lives_with_child=lives,
            another_resident_parent=other,
            family_conflict=conflict,
            conflict_advice=advice,
        )
    fields = {finding.field for finding in blocks(findings)}
    assert fields == {"child_competent", "assessment_notes", "responder", "conflict_advice"}
    assert fields <= set(ConsentRecordForm.base_fields)


def test_3_3_15_to_3_3_17_a_childs_understanding_is_not_kept_for_an_adults_answer():
    blanks = capacity.parts_that_do_not_apply(by_child=False, family_conflict=False)
    assert {name: blanks[name] for name in capacity.NO_ASSESSMENT} == capacity.NO_ASSESSMENT
    assert "family_conflict" not in blanks and "non_resident_reason" not in blanks


def test_3_3_18_to_3_3_19_the_familys_notes_are_not_kept_for_the_childs_answer():
    blanks = capacity.parts_that_do_not_apply(by_child=True, family_conflict=True)
    assert blanks == capacity.NO_FAMILY_NOTES
    assert "child_competent" not in blanks


def test_3_3_19_advice_on_whose_consent_to_seek_is_kept_only_where_the_family_is_in_conflict():
    assert "conflict_advice" not in capacity.parts_that_do_not_apply(by_child=False, family_conflict=True)
    assert capacity.parts_that_do_not_apply(by_child=False, family_conflict=False)["conflict_advice"] == ""
