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


def test_judging_competent_against_unmet_criteria_asks_for_an_explanation():
    partial = {**ALL_MET, "consistent": False}
    findings = capacity.child_capacity_findings(age=14, assessment=partial, judged_competent=True)
    assert any("1 of the 3.3.17 criteria were not met" in f.text for f in findings)
    assert not blocks(findings)


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
        "child_competent": competent,
        "response": response,
        "responded_on": TODAY - timedelta(days=days_ago),
        "review_on": None,
        "superseded": False,
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


def test_a_child_not_judged_competent_does_not_decide():
    facts = [fact("mother"), fact("child", by_child=True, competent=False, response=Response.REFUSED)]
    assert capacity.consent_standing(facts, TODAY).deciding == "mother"


def test_parents_who_disagree_are_a_family_in_conflict():
    facts = [fact("mother"), fact("father", response=Response.REFUSED)]
    standing = capacity.consent_standing(facts, TODAY)
    assert any("disagree" in f.text and f.paragraph == "3.3.19" for f in standing.findings)


def test_withdrawn_and_superseded_consents_do_not_count():
    facts = [fact("old", superseded=True), fact("withdrawn", response=Response.WITHDRAWN)]
    assert capacity.consent_standing(facts, TODAY).response is None


@pytest.mark.parametrize(
    ("extra", "status"),
    [
        ({}, Status.CURRENT),
        ({"superseded": True}, Status.SUPERSEDED),
        ({"response": Response.WITHDRAWN}, Status.WITHDRAWN),
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
