"""The chronology's table rows, made in one pass.

A chronology runs to hundreds of entries, and Django's template loop costs
tens of microseconds a row (a variable lookup, a filter and an escape for each
cell); these rows are the same HTML made with one format string
(``format_html_join``, which escapes every value as the template would), in a
few microseconds a row. The
chronology's page is printed whole, so every entry is a row here.
"""

from __future__ import annotations

from datetime import datetime

from django import template
from django.conf import settings
from django.utils import timezone, translation
from django.utils.html import escape, format_html_join

from records.templatetags.display import date_formatter, shorten

register = template.Library()

WHEN_FORMAT = "j M Y, H:i"
SUMMARY_LENGTH = 240
ROW = (
    '<tr class="govuk-table__row">'
    '<td class="govuk-table__cell">{0}</td>'
    '<td class="govuk-table__cell"><a class="govuk-link" href="{1}">{2}</a></td>'
    '<td class="govuk-table__cell">{3}</td>'
    '<td class="govuk-table__cell">{4}</td>'
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
        values = (when(moment), entry.url, entry.kind_label, entry.who, shorten(entry.summary, SUMMARY_LENGTH))
        # escape() escapes even text already marked safe: nothing stored reaches the page as markup.
        rows.append([escape(value) for value in values])
    return format_html_join("", ROW, rows)
