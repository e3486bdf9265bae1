"""The quick date and truncation filters show exactly what Django's own show."""

import random
from datetime import UTC, datetime, timedelta

import pytest
from django.template import Context, Template
from django.template.defaultfilters import date as django_date
from django.template.defaultfilters import truncatechars
from django.utils import timezone, translation

from core.templatetags.display import date_formatter, quick_truncatechars, shorten

FORMATS = ["j M Y, H:i", "j F Y", "j F Y, H:i", "j F Y, H:i:s", "d/m/Y", "n", "{j} F", "D j M Y", "jS F Y", r"j \o\f F"]


def moments():
    rng = random.Random(7)  # noqa: S311 - test data, not a secret
    start = datetime(1999, 1, 1, tzinfo=UTC)
    # Every hour across the clocks going back and forward, and a spread of others.
    yield from (datetime(2024, 3, 31, tzinfo=UTC) + timedelta(minutes=30 * n) for n in range(8))
    yield from (datetime(2024, 10, 27, tzinfo=UTC) + timedelta(minutes=30 * n) for n in range(8))
    yield from (start + timedelta(seconds=rng.randrange(0, 40 * 365 * 86400)) for _ in range(300))


@pytest.mark.parametrize("format_string", FORMATS)
def test_a_quick_date_reads_as_djangos_date_filter(format_string):
    with translation.override("en-gb"):
        formatted = date_formatter(format_string, translation.get_language())
        for moment in moments():
            local = timezone.localtime(moment)
            assert formatted(local) == django_date(local, format_string), (moment, format_string)
            if not set(format_string) & set("His"):
                assert formatted(local.date()) == django_date(local.date(), format_string), (moment, format_string)
        assert formatted(None) == django_date(None, format_string) == ""


def test_in_a_template_the_quick_date_is_in_local_time_like_the_date_filter():
    template = Template(
        '{% load display %}{{ when|quick_date:"j M Y, H:i" }}|{{ when|date:"j M Y, H:i" }}'
        '|{{ day|quick_date:"j F Y" }}|{{ day|date:"j F Y" }}|{{ missing|quick_date:"j F Y" }}'
    )
    for moment in moments():
        quick, django, quick_day, django_day, missing = template.render(
            Context({"when": moment, "day": moment.date(), "missing": None})
        ).split("|")
        assert quick == django
        assert quick_day == django_day
        assert missing == ""


TEXTS = [
    "",
    "Short.",
    "x" * 239,
    "x" * 240,
    "x" * 241,
    "A long summary " * 40,
    "Cafe\u0301 " * 60,  # decomposed accents: combining characters do not count
    "e\u0301" * 241,
    "<script>alert('x')</script> & " * 12,
]


@pytest.mark.parametrize("length", [0, 1, 2, 120, 240])
def test_shortening_reads_as_truncatechars(length):
    for text in TEXTS:
        assert shorten(text, length) == truncatechars(text, length), (text[:20], length)
        assert quick_truncatechars(text, str(length)) == truncatechars(text, str(length))
    assert quick_truncatechars("Some text", "not a number") == truncatechars("Some text", "not a number")
