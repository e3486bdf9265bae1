"""A list's filters: dates typed as GOV.UK date inputs and checked, and each filter applied as a link removing it.

A filter is a GET form, so its dates travel in the address as they always
did (day, month and year, or an older link's "2026-03-01"); nothing else
about a person is added to it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.http import QueryDict

from core.forms import GovukDateField, GovukForm

PARTS = ("0", "1", "2")  # the day, month and year inputs of a date field, as the form kit names them


class DateRangeForm(GovukForm):
    def __init__(self, *args, start_label: str = "From", end_label: str = "To", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["from"] = GovukDateField(what="'from' date", label=start_label)
        self.fields["to"] = GovukDateField(what="'to' date", label=end_label)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("from"), cleaned.get("to")
        if start and end and start > end:
            self.add_error("to", "The 'to' date must be the same as or after the 'from' date")
        return cleaned


def _with_parts(query: QueryDict) -> QueryDict:
    """An older link's ISO date ("from=2026-03-01") as the day, month and year the form reads."""
    data = query.copy()
    for name in ("from", "to"):
        value = data.get(name, "")
        if value and not any(f"{name}_{part}" in data for part in PARTS):
            try:
                day = date.fromisoformat(value)
                data.update({f"{name}_0": str(day.day), f"{name}_1": str(day.month), f"{name}_2": str(day.year)})
            except ValueError:
                data.update({f"{name}_0": "", f"{name}_1": "", f"{name}_2": value})
    return data


@dataclass(frozen=True)
class Tag:
    """A filter applied, as a link that removes it: "Remove filter: from 1 March 2026"."""

    label: str
    url: str


@dataclass
class DateRange:
    """The dates a list is filtered by: none while either is wrong, so nothing is filtered silently."""

    form: DateRangeForm
    start: date | None = None
    end: date | None = None
    tags: list[Tag] = field(default_factory=list)

    @property
    def errors(self):
        return self.form.errors


def _without(query: QueryDict, names: set[str], value: str | None = None) -> str:
    data = query.copy()
    data.pop("page", None)
    for name in names:
        if value is None:
            data.pop(name, None)
        else:
            data.setlist(name, [kept for kept in data.getlist(name) if kept != value])
    return data.urlencode()


def date_range(request, *, start_label: str = "From", end_label: str = "To") -> DateRange:
    form = DateRangeForm(_with_parts(request.GET), start_label=start_label, end_label=end_label)
    if not form.is_valid():
        return DateRange(form)
    start, end = form.cleaned_data["from"], form.cleaned_data["to"]
    tags = [
        Tag(f"{word} {day.day} {day:%B %Y}", "?" + _without(request.GET, {name, *(f"{name}_{p}" for p in PARTS)}))
        for name, word, day in (("from", "from", start), ("to", "to", end))
        if day
    ]
    return DateRange(form, start, end, tags)


def choice_tags(request, name: str, chosen, labels: dict, word: str = "") -> list[Tag]:
    """A tag for each value of ``name`` chosen, in the order of ``labels``."""
    return [
        Tag(f"{word}{label}", "?" + _without(request.GET, {name}, value=key))
        for key, label in labels.items()
        if key in chosen
    ]


DATE_PARTS = (("0", "2", "Day"), ("1", "2", "Month"), ("2", "4", "Year"))


def context(request, dates: DateRange, tags: list[Tag] = ()) -> dict:
    """What core/includes/date_range.html, filter_errors.html and applied_filters.html draw."""
    return {
        "filter_form": dates.form,
        "filter_tags": [*tags, *dates.tags],
        "clear_url": request.path,
        "date_parts": DATE_PARTS,
    }
