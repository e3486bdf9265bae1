"""Rows of a period: a list's filters, a bundle's or a release's records, each read from one day to another."""

from __future__ import annotations

from datetime import date


def within(query, field: str, start: date | None, end: date | None):
    """The rows whose ``field`` falls from ``start`` to ``end`` (days, either None: open); for a date and time,
    name its day (``"decided_at__date"``)."""
    if start:
        query = query.filter(**{f"{field}__gte": start})
    if end:
        query = query.filter(**{f"{field}__lte": end})
    return query
