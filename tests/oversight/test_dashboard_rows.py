"""The rows of the lead's "For review" lists, made by template tags (ADR 18 §2): the same HTML, and so the same
text for a reader, as the template loops they replaced, in local time and escaped."""

import re
import uuid
from datetime import UTC, date, datetime
from types import SimpleNamespace

import pytest
from django.template import Context, Template
from django.utils import timezone

# The rows as the dashboard's includes wrote them before (oversight/includes/*.html), one loop a list.
LOOPS = {
    "to_review_rows": (
        "{% for decision in rows %}{% with child_name=decision.child.full_name %}<tr"
        ' class="govuk-table__row">\n      <td class="govuk-table__cell">{{'
        ' decision.recorded_at|quick_date:"j F Y" }}</td>\n      <td class="govuk-table__cell">{{'
        ' child_name }}</td>\n      <td class="govuk-table__cell"><a class="govuk-link" href="{{'
        ' decision.detail_url }}">Decision about {{ child_name }}: {{'
        ' decision.get_outcome_display|lower }}</a></td>\n      <td class="govuk-table__cell">{{'
        " decision.recorder_name }}</td>\n    </tr>{% endwith %}{% endfor %}"
    ),
    "without_consent_rows": (
        "{% for decision in rows %}{% with child_name=decision.child.full_name %}<tr"
        ' class="govuk-table__row">\n      <td class="govuk-table__cell">{{'
        ' decision.decided_at|quick_date:"j F Y" }}</td>\n      <td class="govuk-table__cell">{{'
        ' child_name }}</td>\n      <td class="govuk-table__cell"><a class="govuk-link" href="{{'
        ' decision.detail_url }}">Decision about {{ child_name }}: {{'
        " decision.get_outcome_display|lower }}</a>, by {{ decision.recorder_name }}</td>\n     "
        ' <td class="govuk-table__cell">{% if decision.is_reviewed %}Yes{% else %}Not yet{% endif'
        " %}</td>\n    </tr>{% endwith %}{% endfor %}"
    ),
    "consent_lapsed_rows": (
        '{% for disclosure in rows %}<tr class="govuk-table__row">\n      <td'
        ' class="govuk-table__cell">{{ disclosure.disclosed_at|quick_date:"j F Y" }}</td>\n     '
        ' <td class="govuk-table__cell">{{ disclosure.child.full_name }}</td>\n      <td'
        ' class="govuk-table__cell"><a class="govuk-link" href="{{ disclosure.detail_url }}">To {{'
        " disclosure.recipient_name }}, {{ disclosure.recipient_agency }}</a>, by {{"
        " disclosure.recorder_name }}</td>\n    </tr>{% endfor %}"
    ),
    "not_told_rows": (
        '{% for shared in rows %}<tr class="govuk-table__row">\n      <td'
        ' class="govuk-table__cell">{{ shared.reconsider_by|quick_date:"j F Y" }}</td>\n      <td'
        ' class="govuk-table__cell">{{ shared.child.full_name }}</td>\n      <td'
        ' class="govuk-table__cell">{% if shared.disclosed_at %}<a class="govuk-link" href="{{'
        ' shared.detail_url }}">To {{ shared.recipient_name }}, {{ shared.recipient_agency }}, on'
        ' {{ shared.disclosed_at|quick_date:"j F Y" }}</a>{% else %}<a class="govuk-link" href="{{'
        ' shared.detail_url }}">Decision about {{ shared.child.full_name }} of {{'
        ' shared.decided_at|quick_date:"j F Y" }}: {{ shared.get_outcome_display|lower }}</a>, by'
        " {{ shared.recorder_name }}; nothing disclosed yet{% endif %}</td>\n    </tr>{% endfor %}"
    ),
    "not_acknowledged_rows": (
        '{% for disclosure in rows %}<tr class="govuk-table__row">\n      <td'
        ' class="govuk-table__cell">{{ disclosure.acknowledge_by|quick_date:"j F Y, H:i" }}</td>\n '
        '     <td class="govuk-table__cell">{{ disclosure.child.full_name }}</td>\n      <td'
        ' class="govuk-table__cell"><a class="govuk-link" href="{% url \'delivery:sent_detail\''
        ' disclosure.pk %}">To {{ disclosure.addressed_to }}</a>, sent by {{'
        " disclosure.recorder_name }}</td>\n    </tr>{% endfor %}"
    ),
    "consent_review_rows": (
        '{% for record in rows %}<tr class="govuk-table__row">\n      <td'
        ' class="govuk-table__cell">{{ record.review_on|quick_date:"j F Y" }}</td>\n      <td'
        ' class="govuk-table__cell">{{ record.child.full_name }}</td>\n      <td'
        ' class="govuk-table__cell"><a class="govuk-link" href="{{ record.detail_url }}">{{'
        " record.get_response_display }} by {{ record.responder_name }} on {{"
        ' record.responded_on|quick_date:"j F Y" }}</a></td>\n    </tr>{% endfor %}'
    ),
    "request_rows": (
        '{% for info_request in rows %}<tr class="govuk-table__row">\n      <td'
        ' class="govuk-table__cell">{{ info_request.received_at|quick_date:"j F Y" }}</td>\n     '
        ' <td class="govuk-table__cell">{{ info_request.child.full_name }}</td>\n      <td'
        ' class="govuk-table__cell"><a class="govuk-link" href="{{ info_request.detail_url'
        ' }}">From {{ info_request.requester_name }}, {{ info_request.requester_agency'
        ' }}</a></td>\n      <td class="govuk-table__cell">{% if info_request.is_open %}Open{% else'
        " %}Decided, nothing disclosed yet{% endif %}</td>\n    </tr>{% endfor %}"
    ),
}

HOSTILE = '<b>O\'Brien & "Sons"</b>'
# 23:30 UTC on 31 October 2026 is still the 31st in London; 23:30 UTC on 30 June is 1 July there (summer time).
LATE_IN_WINTER = datetime(2026, 10, 31, 23, 30, tzinfo=UTC)
LATE_IN_SUMMER = datetime(2026, 6, 30, 23, 30, tzinfo=UTC)


# Each list's first column for the first two rows: a moment in London's time, or a date as it is.
FIRST_CELLS = {
    "to_review_rows": ["31 October 2026", "1 July 2026"],
    "without_consent_rows": ["31 October 2026", "1 July 2026"],
    "consent_lapsed_rows": ["31 October 2026", "1 July 2026"],
    "request_rows": ["31 October 2026", "1 July 2026"],
    "not_acknowledged_rows": ["31 October 2026, 23:30", "1 July 2026, 00:30"],
    "not_told_rows": ["1 January 2027", "2 January 2027"],
    "consent_review_rows": ["1 February 2027", "2 February 2027"],
}


def row(n: int, moment: datetime, **more) -> SimpleNamespace:
    return SimpleNamespace(
        pk=uuid.UUID(int=n),
        child=SimpleNamespace(full_name=f"{HOSTILE} {n}"),
        detail_url=f"/records/{n}/?a=1&b=<2>",
        recorder_name=HOSTILE,
        recipient_name=HOSTILE,
        recipient_agency=f"Agency {HOSTILE}",
        requester_name=HOSTILE,
        requester_agency=f"Agency {HOSTILE}",
        responder_name=HOSTILE,
        addressed_to=f"Team {HOSTILE}",
        get_outcome_display=lambda: "Share SOME of the information",
        get_response_display=lambda: "Consent <given>",
        recorded_at=moment,
        decided_at=moment,
        disclosed_at=moment,
        reconsider_by=date(2027, 1, n),
        acknowledge_by=moment,
        review_on=date(2027, 2, n),
        responded_on=date(2026, 3, n),
        received_at=moment,
        is_reviewed=n % 2 == 0,
        is_open=n % 2 == 0,
        **more,
    )


def decision_to_share(n: int, moment: datetime) -> SimpleNamespace:
    """A decision among the people not told: it has no disclosed_at at all."""
    shared = row(n, moment)
    del shared.disclosed_at
    return shared


def as_read(html: str) -> str:
    return re.sub(r">\s+<", "><", html.strip())


@pytest.mark.parametrize("tag", sorted(LOOPS))
def test_each_list_reads_as_the_template_wrote_it_in_local_time_and_escaped(tag, settings):
    settings.TIME_ZONE = "Europe/London"
    # People not told mix disclosures and decisions to share with nothing disclosed yet.
    third = decision_to_share(3, LATE_IN_SUMMER) if tag == "not_told_rows" else row(3, LATE_IN_SUMMER)
    rows = [row(1, LATE_IN_WINTER), row(2, LATE_IN_SUMMER), third]
    with timezone.override("Europe/London"):
        before = Template("{% load display %}" + LOOPS[tag]).render(Context({"rows": rows}))
        after = Template("{% load dashboard_rows %}{% " + tag + " rows %}").render(Context({"rows": rows}))

    assert as_read(after) == as_read(before)
    assert after.count("<tr ") == 3
    assert "<b>" not in after and "&lt;b&gt;O&#x27;Brien &amp; &quot;Sons&quot;&lt;/b&gt;" in after
    first_cells = re.findall(r'<tr class="govuk-table__row"><td class="govuk-table__cell">([^<]*)</td>', as_read(after))
    assert first_cells[:2] == FIRST_CELLS[tag]


def test_no_rows_no_html():
    assert Template("{% load dashboard_rows %}{% to_review_rows rows %}").render(Context({"rows": []})) == ""
