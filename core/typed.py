"""Answers kept as a form sent them, a page at a time: each field's name to the values sent, as ``request.POST``
holds them. The drafts of a consent record (consent.drafts), a request (exchange.request_drafts) and a
disclosure (exchange.disclosure_drafts) keep what was typed this way, so that a page shown again, by "Back" or
"Change", shows it as typed, and only the check page validates the whole.
"""

from __future__ import annotations

import re

from django.http import QueryDict

Typed = dict[str, list[str]]


def field_of(key: str) -> str:
    """The form field a value sent belongs to (a date sends ``received_on_0``, ``_1`` and ``_2``)."""
    return re.sub(r"_\d$", "", key)


def as_sent(typed: Typed) -> QueryDict:
    """Answers kept as a form sent them."""
    sent = QueryDict(mutable=True)
    for name, values in typed.items():
        sent.setlist(name, values)
    return sent


def without_fields(typed: Typed, fields: set[str]) -> Typed:
    """What was typed, but for the values of ``fields`` (those that no longer apply, say)."""
    return {name: values for name, values in typed.items() if field_of(name) not in fields}


def with_page(typed: Typed, *, asked: set[str], sent) -> Typed:
    """What was typed, with the page that asks ``asked`` answered anew by ``sent`` (its POST): what the page held
    before goes, whatever it was; a NUL character typed is never kept (PostgreSQL refuses it)."""
    kept = without_fields(typed, asked)
    for name, values in sent.lists():
        if field_of(name) in asked:
            kept[name] = [value.replace("\x00", "") for value in values]
    return kept


def answered_last(answered: list[str], page: str) -> list[str]:
    """The pages answered, in the order last answered, with ``page`` just answered."""
    return [slug for slug in answered if slug != page] + [page]
