"""The chronology's table rows, made in one pass.

A chronology runs to hundreds of entries, and Django's template loop costs
tens of microseconds a row (a variable lookup, a filter and an escape for each
cell); these rows are the same HTML made with one format string, every value
escaped as the template would escape it, in a few microseconds a row. The
chronology's page is printed whole, so every entry is a row here.
"""

from __future__ import annotations

from datetime import datetime
from html import escape

from django import template
from django.conf import settings
from django.utils import timezone, translation
from django.utils.safestring import mark_safe

from records.templatetags.display import date_formatter, shorten

register = template.Library()

WHEN_FORMAT = "j M Y, H:i"
SUMMARY_LENGTH = 240
ROW = (
    '<tr class="govuk-table__row">'
    '<td class="govuk-table__cell">{when}</td>'
    '<td class="govuk-table__cell"><a class="govuk-link" href="{url}">{label}</a></td>'
    '<td class="govuk-table__cell">{who}</td>'
    '<td class="govuk-table__cell">{summary}</td>'
    "</tr>\n"
)


@register.simple_tag(takes_context=True)
def chronology_rows(context, entries) -> str:
    """One table row per entry: when (local time), what (a link to the record), who, and the summary (cut at 240)."""
    in_local_time = settings.USE_TZ if context.use_tz is None else context.use_tz
    zone = timezone.get_current_timezone()
    when = date_formatter(WHEN_FORMAT, translation.get_language())
    rows = []
    for entry in entries:
        moment = entry.when
        if in_local_time and isinstance(moment, datetime) and timezone.is_aware(moment):
            # As the template's own {{ entry.when|date }}: shown in the current time zone.
            moment = moment.astimezone(zone)
        # html.escape with quote=True is what django.utils.html.escape, and so
        # the template's autoescaping, does to a string.
        rows.append(
            ROW.format(
                when=escape(when(moment)),
                url=escape(entry.url),
                label=escape(entry.kind_label),
                who=escape(entry.who),
                summary=escape(shorten(entry.summary, SUMMARY_LENGTH)),
            )
        )
    return mark_safe("".join(rows))  # noqa: S308 - every value above is escaped
