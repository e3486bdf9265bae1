"""When a subject access request must be answered: plain Python, no Django (CONVENTIONS 3).

UK GDPR article 12(3): without undue delay and at the latest within one month
of receipt, which may be extended by two further months where necessary,
taking into account the complexity and number of the requests.

The ICO counts a month as a calendar month: from the day of receipt to the
same day of the next month (received 3 September, due 3 October); where the
next month has no such day, the last day of that month (received 31 January,
due 28 February, or 29 in a leap year). An extension counts the same way,
from the day of receipt: extended by two months, a request received on
31 January is due on 30 April (one month and two further months).

The ICO also lets a deadline that falls on a weekend or a bank holiday run
to the next working day. The service does not apply that: it shows the
calendar date, which is never later than the law's (ADR 22).
"""

from __future__ import annotations

import calendar
from datetime import date

# Article 12(3): one month, and "two further months" at most.
MONTHS_TO_ANSWER = 1
MOST_EXTENSION_MONTHS = 2


def months_after(start: date, months: int) -> date:
    """The same day ``months`` calendar months after ``start``, or the last day of that month if it has none."""
    if months < 0:
        raise ValueError("months must not be negative")
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def due_on(received_on: date, extension_months: int = 0) -> date:
    """The last day to answer a request received on ``received_on``, extended by ``extension_months`` (0 to 2)."""
    if not 0 <= extension_months <= MOST_EXTENSION_MONTHS:
        raise ValueError(f"a request may be extended by at most {MOST_EXTENSION_MONTHS} further months")
    return months_after(received_on, MONTHS_TO_ANSWER + extension_months)


def days_left(due: date, today: date) -> int:
    """Days from ``today`` to the deadline: 0 on the day itself, negative once it has passed."""
    return (due - today).days


def due_in_words(due: date, today: date) -> str:
    """How the deadline stands, as a lead reads it on "For review"."""
    left = days_left(due, today)
    if left < 0:
        return f"{-left} day{'s' if left != -1 else ''} overdue"
    if left == 0:
        return "due today"
    return f"{left} day{'s' if left != 1 else ''} left"
