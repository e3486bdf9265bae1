"""The deadline of a subject access request: a calendar month from receipt, extended by up to two more (ICO)."""

import calendar
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from subject_access import deadlines


@pytest.mark.parametrize(
    ("received", "due"),
    [
        (date(2026, 9, 3), date(2026, 10, 3)),  # the ICO's own example
        (date(2026, 1, 31), date(2026, 2, 28)),  # February has no 31st: its last day
        (date(2028, 1, 31), date(2028, 2, 29)),  # ... in a leap year too
        (date(2026, 1, 29), date(2026, 2, 28)),
        (date(2026, 3, 31), date(2026, 4, 30)),
        (date(2026, 12, 15), date(2027, 1, 15)),  # into the next year
        (date(2026, 2, 28), date(2026, 3, 28)),
    ],
)
def test_a_request_is_due_on_the_same_day_next_month_or_its_last_day(received, due):
    assert deadlines.due_on(received) == due


@pytest.mark.parametrize(
    ("received", "months", "due"),
    [
        (date(2026, 1, 31), 1, date(2026, 3, 31)),
        (date(2026, 1, 31), 2, date(2026, 4, 30)),
        (date(2025, 11, 30), 2, date(2026, 2, 28)),
        (date(2026, 11, 30), 2, date(2027, 2, 28)),
        (date(2026, 12, 31), 1, date(2027, 2, 28)),
    ],
)
def test_an_extension_counts_further_calendar_months_from_receipt(received, months, due):
    assert deadlines.due_on(received, months) == due


@pytest.mark.parametrize("months", [-1, 3])
def test_an_extension_is_of_at_most_two_further_months(months):
    with pytest.raises(ValueError, match="at most 2"):
        deadlines.due_on(date(2026, 5, 1), months)


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31)), st.integers(0, 2))
def test_the_deadline_is_in_the_right_month_on_the_right_day(received, extension):
    due = deadlines.due_on(received, extension)
    months_on = 1 + extension
    assert (due.year * 12 + due.month) - (received.year * 12 + received.month) == months_on
    last_day = calendar.monthrange(due.year, due.month)[1]
    assert due.day == min(received.day, last_day)
    # Never more than a month (and the extension) of days: the longest months, 31 days each.
    assert 28 * months_on <= (due - received).days <= 31 * months_on


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31)))
def test_an_extension_never_brings_the_deadline_forward(received):
    assert deadlines.due_on(received) < deadlines.due_on(received, 1) < deadlines.due_on(received, 2)


def test_how_the_deadline_stands_in_words():
    due = date(2026, 3, 10)
    assert deadlines.due_in_words(due, date(2026, 3, 1)) == "9 days left"
    assert deadlines.due_in_words(due, date(2026, 3, 9)) == "1 day left"
    assert deadlines.due_in_words(due, date(2026, 3, 10)) == "due today"
    assert deadlines.due_in_words(due, date(2026, 3, 11)) == "1 day overdue"
    assert deadlines.due_in_words(due, date(2026, 3, 14)) == "4 days overdue"
