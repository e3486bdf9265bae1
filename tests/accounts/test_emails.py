"""What the emails say about time."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from accounts.emails import clock_text, duration_text


@pytest.mark.parametrize(
    ("seconds", "said"),
    [(3600, "1 hour"), (72 * 3600, "72 hours"), (30 * 60, "30 minutes"), (60, "1 minute"), (90 * 60, "90 minutes")],
)
def test_a_link_lifetime_as_a_person_says_it(seconds, said):
    assert duration_text(seconds) == said


def test_a_time_as_gov_uk_writes_it():
    assert clock_text(datetime(2026, 12, 5, 14, 15, tzinfo=ZoneInfo("Europe/London"))) == "2:15pm on 5 December 2026"
    assert clock_text(datetime(2026, 7, 1, 8, 5, tzinfo=ZoneInfo("UTC"))) == "9:05am on 1 July 2026"
