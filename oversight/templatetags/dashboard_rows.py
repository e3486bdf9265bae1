"""The rows of the lead's "For review" lists and of each list's own pages, made in one pass: the same HTML the
templates' loops made (ADR 18 §2). The dashboard shows up to 25 rows in each of its lists, some 150 in all; a
template loop spent about 90 µs a row looking up each value, a sixth of the page's Python.

Each tag takes the rows the selector read (``oversight.selectors``: each with its ``detail_url``) and gives
their ``<tr>`` elements. Every value is escaped as autoescaping does (``html.escape``); dates are shown in the
current time zone, as ``{{ value|quick_date:"..." }}`` shows them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from html import escape

from django import template
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import template_localtime

from core.links import record_link
from core.templatetags.display import date_formatter

register = template.Library()

DAY = "j F Y"
DAY_AND_TIME = "j F Y, H:i"


def _text(value) -> str:
    return escape(str(value))


def _dates(context, format_string: str) -> Callable:
    """What ``{{ value|quick_date:format_string }}`` shows, in the current time zone."""
    formatted = date_formatter(format_string, translation.get_language())
    return lambda value: escape(formatted(template_localtime(value, context.use_tz)))


def _link(url, words: str) -> str:
    return f'<a class="govuk-link" href="{_text(url)}">{words}</a>'


def _rows(cells: Iterable[tuple[str, ...]]) -> SafeString:
    # Every value in the cells was escaped by _text, _dates or _link (ADR 18 §2).
    return mark_safe(  # nosec B308 B703  # noqa: S308
        "".join(
            '<tr class="govuk-table__row">'
            + "".join(f'<td class="govuk-table__cell">{cell}</td>' for cell in row)
            + "</tr>\n"
            for row in cells
        )
    )


def _decision_words(decision, child_name: str) -> str:
    return f"Decision about {_text(child_name)}: {_text(decision.get_outcome_display().lower())}"


@register.simple_tag(takes_context=True)
def to_review_rows(context, decisions) -> SafeString:
    """When each decision was recorded, the child, the decision (a link) and who recorded it."""
    day = _dates(context, DAY)
    return _rows(
        (
            day(decision.recorded_at),
            _text(decision.child.full_name),
            _link(decision.detail_url, _decision_words(decision, decision.child.full_name)),
            _text(decision.recorder_name),
        )
        for decision in decisions
    )


@register.simple_tag(takes_context=True)
def without_consent_rows(context, decisions) -> SafeString:
    """When each decision was made, the child, the decision (a link) and by whom, and whether it was reviewed."""
    day = _dates(context, DAY)
    return _rows(
        (
            day(decision.decided_at),
            _text(decision.child.full_name),
            _link(decision.detail_url, _decision_words(decision, decision.child.full_name))
            + f", by {_text(decision.recorder_name)}",
            "Yes" if decision.is_reviewed else "Not yet",
        )
        for decision in decisions
    )


@register.simple_tag(takes_context=True)
def consent_lapsed_rows(context, disclosures) -> SafeString:
    """When each disclosure was made, the child, to whom (a link) and by whom."""
    day = _dates(context, DAY)
    return _rows(
        (
            day(disclosure.disclosed_at),
            _text(disclosure.child.full_name),
            _link(disclosure.detail_url, f"To {_text(disclosure.recipient_name)}, {_text(disclosure.recipient_agency)}")
            + f", by {_text(disclosure.recorder_name)}",
        )
        for disclosure in disclosures
    )


@register.simple_tag(takes_context=True)
def not_told_rows(context, shared) -> SafeString:
    """The date to reconsider telling the person by, the child, and what was shared: a disclosure (to whom and
    when), or a decision to share with nothing disclosed yet."""
    day = _dates(context, DAY)

    def what(row) -> str:
        disclosed_at = getattr(row, "disclosed_at", None)
        if disclosed_at:
            return _link(
                row.detail_url,
                f"To {_text(row.recipient_name)}, {_text(row.recipient_agency)}, on {day(disclosed_at)}",
            )
        decision = _link(
            row.detail_url,
            f"Decision about {_text(row.child.full_name)} of {day(row.decided_at)}: "
            f"{_text(row.get_outcome_display().lower())}",
        )
        return f"{decision}, by {_text(row.recorder_name)}; nothing disclosed yet"

    return _rows((day(row.reconsider_by), _text(row.child.full_name), what(row)) for row in shared)


@register.simple_tag(takes_context=True)
def not_acknowledged_rows(context, disclosures) -> SafeString:
    """When each disclosure sent through the service was to be acknowledged by, the child, to whom (a link to
    the disclosure as sent) and who sent it."""
    due = _dates(context, DAY_AND_TIME)
    sent_detail = record_link("delivery:sent_detail")
    return _rows(
        (
            due(disclosure.acknowledge_by),
            _text(disclosure.child.full_name),
            _link(sent_detail(disclosure.pk), f"To {_text(disclosure.addressed_to)}")
            + f", sent by {_text(disclosure.recorder_name)}",
        )
        for disclosure in disclosures
    )


@register.simple_tag(takes_context=True)
def consent_review_rows(context, records) -> SafeString:
    """The date each consent was to be reviewed by, the child, and the consent (a link)."""
    day = _dates(context, DAY)
    return _rows(
        (
            day(record.review_on),
            _text(record.child.full_name),
            _link(
                record.detail_url,
                f"{_text(record.get_response_display())} by {_text(record.responder_name)} "
                f"on {day(record.responded_on)}",
            ),
        )
        for record in records
    )


@register.simple_tag(takes_context=True)
def request_rows(context, info_requests) -> SafeString:
    """When each request was received, the child, who asked (a link) and whether it is still open."""
    day = _dates(context, DAY)
    return _rows(
        (
            day(info_request.received_at),
            _text(info_request.child.full_name),
            _link(
                info_request.detail_url,
                f"From {_text(info_request.requester_name)}, {_text(info_request.requester_agency)}",
            ),
            "Open" if info_request.is_open else "Decided, nothing disclosed yet",
        )
        for info_request in info_requests
    )
