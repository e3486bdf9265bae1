"""The child's page's table of recorded decisions, its rows made in one pass: the same HTML a template loop
would make (ADR 18 §2). A child with a long case has a row for every decision ever recorded."""

from __future__ import annotations

from datetime import datetime
from html import escape

from django import template
from django.conf import settings
from django.utils import timezone, translation
from django.utils.safestring import mark_safe

from core.templatetags.display import date_formatter

register = template.Library()

DECIDED_FORMAT = "j F Y, H:i"
ROW = (
    '<tr class="govuk-table__row">'
    '<td class="govuk-table__cell"><a class="govuk-link" href="{0}">{1}</a></td>'
    '<td class="govuk-table__cell">{2}{3}</td>'
    '<td class="govuk-table__cell">{4}</td>'
    "</tr>\n"
)
DIFFERS = ' <strong class="govuk-tag govuk-tag--yellow">Differs from guidance</strong>'


@register.simple_tag(takes_context=True)
def decision_rows(context, decisions) -> str:
    """One row per (decision, its address, its outcome in words): when it was decided (a link to it, local
    time), the outcome and whether it differs from the guidance, and who recorded it."""
    in_local_time = settings.USE_TZ if context.use_tz is None else context.use_tz
    zone = timezone.get_current_timezone()
    decided = date_formatter(DECIDED_FORMAT, translation.get_language())
    rows = []
    for decision, url, outcome in decisions:
        moment = decision.decided_at
        if in_local_time and isinstance(moment, datetime) and timezone.is_aware(moment):
            # As the template's own {{ decision.decided_at|date }}: shown in the current time zone.
            moment = moment.astimezone(zone)
        # html.escape (quote=True), as autoescaping does (ADR 18 §2).
        rows.append(
            ROW.format(
                escape(str(url)),
                escape(decided(moment)),
                escape(str(outcome)),
                DIFFERS if decision.departs_from_guidance else "",
                escape(str(decision.recorder_name)),
            )
        )
    return mark_safe("".join(rows))  # nosec B308 B703  # noqa: S308
