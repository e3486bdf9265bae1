"""The chronology's table rows, made in one pass: the same HTML a template loop would make (ADR 18 §2).

The chronology's page is printed whole, so every event is a row here.
"""

from __future__ import annotations

from datetime import datetime
from html import escape

from django import template
from django.conf import settings
from django.utils import timezone, translation
from django.utils.safestring import mark_safe

from core.templatetags.display import date_formatter, shorten

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
def chronology_rows(context, events) -> str:
    """One table row per event: when (local time), what (a link to the record), who, and the summary (cut at 240)."""
    in_local_time = settings.USE_TZ if context.use_tz is None else context.use_tz
    zone = timezone.get_current_timezone()
    when = date_formatter(WHEN_FORMAT, translation.get_language())
    rows = []
    for event in events:
        moment = event.when
        if in_local_time and isinstance(moment, datetime) and timezone.is_aware(moment):
            # As the template's own {{ event.when|date }}: shown in the current time zone.
            moment = moment.astimezone(zone)
        values = (when(moment), event.url, event.kind_label, event.who, shorten(event.summary, SUMMARY_LENGTH))
        # html.escape (quote=True), as autoescaping does, safe text too; format_html_join costs more (ADR 18 §2).
        rows.append(ROW.format(*[escape(str(value)) for value in values]))
    return mark_safe("".join(rows))  # nosec B308 B703  # noqa: S308
