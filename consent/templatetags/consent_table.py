"""The child's consent history, its rows made in one pass: the same HTML a template loop would make
(ADR 18 §2). A child with a long case has a row for every consent ever recorded."""

from __future__ import annotations

from html import escape

from django import template
from django.utils import translation
from django.utils.safestring import mark_safe

from consent.capacity import Status
from core.templatetags.display import date_formatter

register = template.Library()

DAY_FORMAT = "j F Y"
ROW = (
    '<tr class="govuk-table__row">'
    '<td class="govuk-table__cell"><a class="govuk-link" href="{0}">{1}</a></td>'
    '<td class="govuk-table__cell">{2}</td>'
    '<td class="govuk-table__cell">{3} by {4}{5}</td>'
    '<td class="govuk-table__cell"><strong class="govuk-tag{6}">{7}</strong></td>'
    "</tr>\n"
)
REVIEW = '<br><span class="govuk-body-s">Review by {0}</span>'
# As consent/includes/status_tag.html colours each status.
TAG_COLOURS = {
    Status.CURRENT: " govuk-tag--green",
    Status.REVIEW_DUE: " govuk-tag--yellow",
    Status.WITHDRAWN: " govuk-tag--red",
}
NO_REVIEW_SHOWN = {Status.WITHDRAWN, Status.SUPERSEDED}


@register.simple_tag
def consent_rows(consents) -> str:
    """One row per entry of ``consent.selectors.consent_history``: the day (a link to the record), whom it is
    about, the answer and who gave it (with the date to review it by, while it stands), and its status."""
    day = date_formatter(DAY_FORMAT, translation.get_language())
    rows = []
    for entry in consents:
        record, status = entry["record"], entry["status"]
        review = ""
        if record.review_on and status not in NO_REVIEW_SHOWN:
            review = REVIEW.format(escape(day(record.review_on)))
        # html.escape (quote=True), as autoescaping does (ADR 18 §2).
        rows.append(
            ROW.format(
                escape(str(entry["url"])),
                escape(day(record.responded_on)),
                escape(str(record.about_name)),
                escape(str(entry["response"])),
                escape(str(record.responder_name)),
                review,
                TAG_COLOURS.get(status, " govuk-tag--grey"),
                escape(str(entry["label"])),
            )
        )
    return mark_safe("".join(rows))  # nosec B308 B703  # noqa: S308
