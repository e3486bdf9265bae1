"""CSV exports of what an audit page shows."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable

from django.http import HttpResponse
from django.utils import timezone

from oversight.history import HistoryLine

# A spreadsheet runs a cell that starts with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> str:
    """Text a spreadsheet shows as text: a leading formula character is quoted away."""
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_response(lines: Iterable[HistoryLine], *, filename: str, address: Callable[[str], str]) -> HttpResponse:
    """The rows as CSV; ``address`` makes a row's link a full address (a spreadsheet has no site to be relative to)."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    # A byte-order mark so that spreadsheet programs read the names as UTF-8.
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(["When", "Section", "What", "Who", "Details", "Link"])
    for line in lines:
        when = timezone.localtime(line.when).strftime("%Y-%m-%d %H:%M:%S")
        link = address(line.link) if line.link else ""
        writer.writerow(
            [safe_cell(value) for value in (when, line.section_label, line.kind, line.who, line.what, link)]
        )
    return response
