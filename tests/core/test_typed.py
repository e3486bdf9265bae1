"""Answers kept as a form sent them, a page at a time (core.typed)."""

from django.http import QueryDict

from core import typed


def test_a_page_answered_again_replaces_all_it_held_and_nothing_else():
    kept = {"received_on_0": ["1"], "received_on_1": ["2"], "received_on_2": ["2026"], "reason": ["Worried."]}
    sent = QueryDict("received_on_0=3&received_on_1=4&received_on_2=2026&reason=Not+this+page")
    after = typed.with_page(kept, asked={"received_on"}, sent=sent)
    assert after == {"received_on_0": ["3"], "received_on_1": ["4"], "received_on_2": ["2026"], "reason": ["Worried."]}


def test_a_nul_character_typed_is_never_kept():
    assert typed.with_page({}, asked={"reason"}, sent=QueryDict("reason=A%00B")) == {"reason": ["AB"]}


def test_what_no_longer_applies_is_left_out_with_every_part_of_a_date():
    kept = {"reconsider_on_0": ["1"], "reconsider_on_1": ["2"], "informed": ["yes"]}
    assert typed.without_fields(kept, {"reconsider_on"}) == {"informed": ["yes"]}
    assert typed.as_sent({"adults": ["a", "b"]}).getlist("adults") == ["a", "b"]


def test_the_page_just_answered_is_last():
    assert typed.answered_last(["who", "when", "why"], "when") == ["who", "why", "when"]
