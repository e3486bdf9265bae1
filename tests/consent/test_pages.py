"""Which pages of recording a consent are asked, and which answers are dropped (consent.pages, consent.capacity)."""

from consent import capacity, pages
from consent.pages import Answers

A_CHILD_CONSENTS = Answers(about_child=True, by_child=True, response="given", explicitness="explicit", form="written")
A_PARENT_REFUSES = Answers(about_child=True, by_child=False, response="refused", explicitness="implied")


def test_the_child_who_answered_is_asked_about_their_understanding_and_never_the_parents_page():
    asked = pages.pages_that_apply(A_CHILD_CONSENTS)
    assert asked == ["about", "responder", "answer", "how", "understanding", "scope", "limits", "signed-form"]


def test_a_parent_who_answered_is_asked_about_parental_responsibility_and_never_the_childs_understanding():
    asked = pages.pages_that_apply(A_PARENT_REFUSES)
    assert asked == ["about", "responder", "answer", "how", "parental-responsibility", "scope"]


def test_switching_from_the_parent_to_the_child_drops_the_parents_page_answers():
    dropped = pages.fields_that_do_not_apply(A_CHILD_CONSENTS)
    assert {"family_conflict", "conflict_advice", "non_resident_reason"} <= dropped
    assert "child_competent" not in dropped


def test_switching_from_the_child_to_a_parent_drops_the_childs_understanding():
    dropped = pages.fields_that_do_not_apply(A_PARENT_REFUSES)
    assert {"child_competent", "assessed_by", "assessed_on", "criterion_own_view", "assessment_notes"} <= dropped
    assert "family_conflict" not in dropped


def test_3_3_21_a_refusal_drops_withdrawing_and_the_review_date():
    assert {"told_can_withdraw", "review_on"} <= pages.fields_that_do_not_apply(A_PARENT_REFUSES)
    assert "review_on" not in pages.fields_that_do_not_apply(A_CHILD_CONSENTS)


def test_3_3_12_a_signed_form_is_asked_for_consent_in_writing_only():
    verbal = Answers(about_child=True, by_child=True, response="given", explicitness="explicit", form="verbal")
    assert "signed-form" not in pages.pages_that_apply(verbal)
    assert "signed_form" in pages.fields_that_do_not_apply(verbal)
    assert "signed-form" in pages.pages_that_apply(A_CHILD_CONSENTS)


def test_an_adult_answering_about_their_own_information_is_not_asked_who_answered_nor_about_the_family():
    own = Answers(about_child=False, by_child=False, response="given", explicitness="implied")
    asked = pages.pages_that_apply(own)
    assert "responder" not in asked
    assert "parental-responsibility" not in asked
    assert "understanding" not in asked
    # The adult answered: who answered is not asked, and is kept.
    assert "responder" not in pages.fields_that_do_not_apply(own)
    assert {"family_conflict", "conflict_advice"} <= pages.fields_that_do_not_apply(own)


def test_nothing_after_who_answered_is_branched_on_before_it_is_answered():
    assert pages.pages_that_apply(Answers()) == ["about", "responder", "answer", "how", "scope"]


def test_a_page_opens_once_the_pages_before_it_are_answered():
    answered = {"about", "responder", "answer"}
    assert pages.is_reachable("how", A_CHILD_CONSENTS, answered)
    assert not pages.is_reachable("understanding", A_CHILD_CONSENTS, answered)
    assert not pages.is_reachable("parental-responsibility", A_CHILD_CONSENTS, answered | {"how"})
    assert pages.first_page_to_answer(A_CHILD_CONSENTS, answered) == "how"
    assert not pages.is_reachable(pages.CHECK, A_CHILD_CONSENTS, answered)
    everything = set(pages.pages_that_apply(A_CHILD_CONSENTS))
    assert pages.is_reachable(pages.CHECK, A_CHILD_CONSENTS, everything)


def test_continue_goes_on_to_the_next_page_then_back_to_check_once_all_are_answered():
    assert pages.after_saving("how", A_CHILD_CONSENTS, {"about", "responder", "answer", "how"}) == "understanding"
    everything = set(pages.pages_that_apply(A_CHILD_CONSENTS))
    assert pages.after_saving("about", A_CHILD_CONSENTS, everything) == pages.CHECK
    # Switched to a parent from the check page: their page is asked before the check page.
    switched = Answers(about_child=True, by_child=False, response="given", explicitness="explicit", form="written")
    assert pages.after_saving("responder", switched, everything) == "parental-responsibility"


def test_back_goes_to_the_page_before_that_applies():
    assert pages.previous_page("scope", A_CHILD_CONSENTS) == "understanding"
    assert pages.previous_page("scope", A_PARENT_REFUSES) == "parental-responsibility"
    assert pages.previous_page(pages.CHECK, A_PARENT_REFUSES) == "scope"
    assert pages.previous_page("about", A_PARENT_REFUSES) is None


def test_3_3_19_a_parent_the_child_lives_with_is_not_asked_why_it_was_them():
    assert not capacity.asks_why_this_parent(lives_with_child=True)
    assert capacity.asks_why_this_parent(lives_with_child=False)
    blanks = capacity.parts_that_do_not_apply(by_child=False, family_conflict=True, lives_with_child=True)
    assert blanks["non_resident_reason"] == ""
    kept = capacity.parts_that_do_not_apply(by_child=False, family_conflict=True, lives_with_child=False)
    assert "non_resident_reason" not in kept


def test_3_3_19_an_adults_answer_about_their_own_information_keeps_no_notes_about_the_family():
    blanks = capacity.parts_that_do_not_apply(by_child=False, family_conflict=True, about_child=False)
    assert {name: blanks[name] for name in capacity.NO_FAMILY_NOTES} == capacity.NO_FAMILY_NOTES


def test_every_field_of_the_consent_form_is_asked_on_one_page():
    from consent.forms import ConsentRecordForm

    on_pages = [name for page in pages.PAGES for name in page.fields]
    assert len(on_pages) == len(set(on_pages))
    criteria = {f"criterion_{key}" for key in capacity.COMPETENCE_CRITERIA}
    assert set(on_pages) == set(ConsentRecordForm.base_fields) | criteria
