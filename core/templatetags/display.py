"""Quicker twins of Django's ``date`` and ``truncatechars`` filters, for long lists.

A chronology or a child's page shows hundreds of dates and summaries. Django's
``date`` filter looks up the format, then parses the format string and
translates the month's name again for every value; ``truncatechars`` walks
every character of every summary even when it is short enough. These give
the same text (tests/records/test_display.py compares them) at a fraction of
the cost: a format is parsed and its month names translated once per
language, and a summary that fits is only normalised, as ``truncatechars``
does.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from datetime import date, datetime
from functools import lru_cache

from django import template
from django.template.defaultfilters import stringfilter
from django.utils import translation
from django.utils.dateformat import format as django_date_format
from django.utils.dates import MONTHS, MONTHS_3
from django.utils.text import Truncator

register = template.Library()

# The parts of Django's date format language that the service's pages use;
# a format with any other is left to Django.
_OURS = frozenset("jdnmMFYHis")
_TIME = frozenset("His")
_DJANGO_FORMAT_CHARACTERS = frozenset("aAbcdDeEfFgGhHiIjlLmMnNoOPrsStTUuwWyYzZ\\")


# Each format character as a field of str.format: {0} is the value, {1} the
# month's short name and {2} its full name.
_FIELDS = {
    "j": "{0.day}",
    "d": "{0.day:02d}",
    "n": "{0.month}",
    "m": "{0.month:02d}",
    "M": "{1}",
    "F": "{2}",
    "Y": "{0.year:04d}",
    "H": "{0.hour:02d}",
    "i": "{0.minute:02d}",
    "s": "{0.second:02d}",
}


@lru_cache(maxsize=128)
def date_formatter(format_string: str, language: str | None = None) -> Callable[[date], str]:
    """A function giving what ``{{ value|date:format_string }}`` gives, for a value already in local time.

    Made once per format and language (the month names are translated then).
    """
    used = set(format_string) & _DJANGO_FORMAT_CHARACTERS
    if not used <= _OURS:
        return lambda value: "" if value in (None, "") else django_date_format(value, format_string)
    with translation.override(language):
        # As django.utils.dateformat: "M" is the title-cased three-letter name.
        short_months = [""] + [str(MONTHS_3[month]).title() for month in range(1, 13)]
        months = [""] + [str(MONTHS[month]) for month in range(1, 13)]
    template = "".join(
        _FIELDS.get(character, character.replace("{", "{{").replace("}", "}}")) for character in format_string
    )
    shows_time = bool(used & _TIME)

    def formatted(value) -> str:
        if value in (None, ""):
            return ""
        if not isinstance(value, date) or (shows_time and not isinstance(value, datetime)):
            return django_date_format(value, format_string)
        return template.format(value, short_months[value.month], months[value.month])

    return formatted


@register.filter(expects_localtime=True, is_safe=False)
def quick_date(value, format_string: str) -> str:
    """``{{ value|quick_date:"j F Y" }}``: what ``{{ value|date:"j F Y" }}`` shows."""
    try:
        return date_formatter(format_string, translation.get_language())(value)
    except AttributeError:
        return ""


def shorten(text: str, length: int) -> str:
    """``text`` as ``truncatechars`` gives it: cut to ``length`` characters with an ellipsis."""
    if length <= 0:
        return ""
    normalised = unicodedata.normalize("NFC", text)
    # Combining characters only lower the count truncatechars makes.
    if len(normalised) <= length:
        return normalised
    return Truncator(normalised).chars(length)


@register.filter(is_safe=True)
@stringfilter
def quick_truncatechars(value: str, length) -> str:
    """``{{ text|quick_truncatechars:120 }}``: what ``{{ text|truncatechars:120 }}`` shows."""
    try:
        length = int(length)
    except ValueError:
        return value
    return shorten(value, length)
