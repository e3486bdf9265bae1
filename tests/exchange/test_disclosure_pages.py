"""The rules of recording a disclosure a page at a time (exchange.disclosure_pages): which pages are asked, and
which answers are dropped as not applying, each with its paragraph."""

import pytest

from exchange import disclosure_pages as pages
from exchange.disclosure_pages import Answers
from exchange.models import METHOD_CHECKS, Method

EVERY_PAGE_ANSWERED = {page.slug for page in pages.PAGES}


def test_the_methods_are_the_services_methods_each_with_its_checks():
    # Sent through this service, the service is the secure system and its record (ADR 27): no checks asked.
    assert set(pages.METHODS) | {pages.THROUGH_THE_SERVICE} == set(Method.values)
    assert set(pages.METHODS) == set(METHOD_CHECKS)
    assert set(pages.METHOD_DETAIL_QUESTIONS) <= set(pages.METHODS)


def test_sent_through_the_service_asks_to_whom_on_it_and_until_when_they_keep_it():
    # 3.7.8, 3.7.9, 3.5.20: no checks nor where it was sent; the agency, the person there, how long kept.
    assert pages.pages_that_apply(Answers(method=pages.THROUGH_THE_SERVICE)) == [
        "items", "recipient", "when", "method", "send-to", "send-to-person", "keep-until", "onward", "told",
    ]  # fmt: skip
    assert {"send_to_agency", "send_to_person", "keep_until"} <= pages.fields_that_do_not_apply(
        Answers(method="secure_email")
    )
    # Another agency chosen: the person there is asked again.
    assert pages.pages_reasked("send-to") == ["send-to-person"]


def test_a_plain_disclosure_asks_neither_why_it_goes_ahead_nor_the_consents_limits():
    assert pages.pages_that_apply(Answers(method="phone")) == [
        "items", "recipient", "when", "method", "checks", "onward", "told",
    ]  # fmt: skip


def test_the_consent_lapsed_asks_on_what_other_basis_first():
    """3.3.21-3.3.22."""
    assert pages.pages_that_apply(Answers(consent_lapsed=True))[0] == "consent-lapsed"
    assert "consent_lapsed_reason" in pages.fields_that_do_not_apply(Answers())
    assert "consent_lapsed_reason" not in pages.fields_that_do_not_apply(Answers(consent_lapsed=True))


def test_an_unverified_requester_asks_why_it_goes_ahead_without_verifying():
    """3.7.4."""
    assert pages.asks_why_unverified(Answers(unverified=True))
    assert "unverified" in pages.pages_that_apply(Answers(unverified=True))
    assert "unverified_override" in pages.fields_that_do_not_apply(Answers())


@pytest.mark.parametrize("method", ["secure_email", "secure_portal", "letter", "fax"])
def test_where_it_was_sent_is_asked_of_a_method_that_sends_it_somewhere(method):
    """3.7.6-3.7.8."""
    assert "method-detail" in pages.pages_that_apply(Answers(method=method))
    assert "method_detail" not in pages.fields_that_do_not_apply(Answers(method=method))


@pytest.mark.parametrize("method", ["phone", "in_person", None])
def test_said_in_person_or_by_telephone_it_was_sent_nowhere(method):
    """3.7.5: a record of what was said instead (a check)."""
    assert "method-detail" not in pages.pages_that_apply(Answers(method=method))
    assert "method_detail" in pages.fields_that_do_not_apply(Answers(method=method))


def test_only_the_chosen_methods_checks_apply():
    """3.7.4-3.7.8: the checks ticked for a method chosen before are not recorded."""
    dropped = pages.fields_that_do_not_apply(Answers(method="fax"))
    assert "checks_fax" not in dropped
    assert {f"checks_{method}" for method in pages.METHODS if method != "fax"} <= dropped
    assert "checks" not in pages.pages_that_apply(Answers())


def test_changing_the_method_asks_its_checks_and_where_it_was_sent_again():
    assert pages.pages_reasked("method") == ["method-detail", "checks"]
    assert pages.pages_reasked("recipient") == []


def test_to_whom_it_is_passed_on_only_if_it_is():
    """3.5.20."""
    for onward in ("no", "not_known", None):
        assert "onward_detail" in pages.fields_that_do_not_apply(Answers(onward_sharing=onward))
    assert "onward_detail" not in pages.fields_that_do_not_apply(Answers(onward_sharing="yes"))


def test_the_consents_limits_only_under_consent():
    """3.5.20, 3.3.28."""
    assert "consent-limits" in pages.pages_that_apply(Answers(consent_relied_on=True))
    assert "consent_limits_told" in pages.fields_that_do_not_apply(Answers())


def test_telling_the_family_asks_when_and_by_whom_or_why_not_and_when_to_reconsider():
    """3.5.19, 3.7.3."""
    told = pages.fields_that_do_not_apply(Answers(informed="yes"))
    assert {"not_informed_reason", "reconsider_on"} <= told
    assert not {"informed_on", "informed_by"} & told
    not_told = pages.fields_that_do_not_apply(Answers(informed="no"))
    assert {"informed_on", "informed_by"} <= not_told
    assert not {"not_informed_reason", "reconsider_on"} & not_told
    assert {"informed_on", "not_informed_reason"} <= pages.fields_that_do_not_apply(Answers())


def test_a_page_opens_once_the_pages_before_it_are_answered():
    answers = Answers(method="fax")
    assert pages.first_page_to_answer(answers, set()) == "items"
    assert not pages.is_reachable("recipient", answers, set())
    assert pages.is_reachable("recipient", answers, {"items"})
    assert not pages.is_reachable(pages.CHECK, answers, {"items", "recipient"})
    assert pages.is_reachable(pages.CHECK, answers, EVERY_PAGE_ANSWERED)
    assert not pages.is_reachable("consent-limits", answers, EVERY_PAGE_ANSWERED), "not asked: no consent"


def test_continue_goes_to_the_next_page_not_yet_answered_else_to_the_check_page():
    answers = Answers(method="phone")
    assert pages.after_saving("method", answers, {"items", "recipient", "when", "method"}) == "checks"
    # A change made from the check page goes back there...
    assert pages.after_saving("onward", answers, EVERY_PAGE_ANSWERED) == pages.CHECK
    # ...through a page the change made apply.
    answered = EVERY_PAGE_ANSWERED - {"method-detail"}
    assert pages.after_saving("method", Answers(method="fax"), answered) == "method-detail"


def test_back_goes_to_the_page_before_that_applies():
    assert pages.previous_page("items", Answers()) is None
    assert pages.previous_page("items", Answers(unverified=True)) == "unverified"
    assert pages.previous_page("checks", Answers(method="phone")) == "method"
    assert pages.previous_page("checks", Answers(method="fax")) == "method-detail"
    assert pages.previous_page(pages.CHECK, Answers(consent_relied_on=True)) == "told"


def test_answers_are_read_as_a_form_sent_them():
    answers = Answers.from_typed(
        {"method": ["fax"], "onward_sharing": [""], "informed": ["no"]},
        consent_lapsed=False,
        unverified=True,
        consent_relied_on=False,
    )
    assert answers == Answers(unverified=True, method="fax", onward_sharing=None, informed="no")
