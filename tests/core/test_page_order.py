"""The order of pages that branch (core.page_order), on a flow of four pages where the third is asked only
when the first answer is "yes"."""

from core.page_order import PageOrder

ORDER = PageOrder(("who", "when", "why", "how"), lambda slug, answers: slug != "why" or answers == "yes")


def test_a_page_that_does_not_apply_is_neither_asked_nor_reached():
    assert ORDER.applying("no") == ["who", "when", "how"]
    assert ORDER.applying("yes") == ["who", "when", "why", "how"]
    assert not ORDER.reachable("why", "no", {"who", "when"})
    assert ORDER.reachable("why", "yes", {"who", "when"})


def test_a_page_opens_only_once_every_page_before_it_is_answered():
    assert ORDER.reachable("who", "yes", set())
    assert not ORDER.reachable("how", "yes", {"who", "when"})
    assert not ORDER.reachable("check", "yes", {"who", "when", "how"})
    assert ORDER.reachable("check", "no", {"who", "when", "how"})


def test_back_skips_the_pages_not_asked():
    assert ORDER.previous("how", "no") == "when"
    assert ORDER.previous("how", "yes") == "why"
    assert ORDER.previous("check", "no") == "how"
    assert ORDER.previous("who", "no") is None


def test_continue_goes_to_the_next_page_not_answered_then_back_to_the_check_page():
    assert ORDER.first_to_answer("no", set()) == "who"
    assert ORDER.after_saving("who", "no", {"who"}) == "when"
    # A change from the check page that makes "why" apply goes through it, then back to the check page.
    assert ORDER.after_saving("who", "yes", {"who", "when", "how"}) == "why"
    assert ORDER.after_saving("why", "yes", {"who", "when", "why", "how"}) == "check"
