"""The child's page's tables of decisions and consents, made by template tags (ADR 18 §2): the same HTML, and
so the same text for a reader, as the template loops they replaced."""

from datetime import UTC, datetime, timedelta

import pytest
from django.template import Context, Template
from django.utils import timezone

from consent.selectors import consent_history
from sharing.models import SharingDecision
from tests.consent.consent_data import record_consent, withdraw_consent
from tests.factories import ChildFactory, RelationshipFactory

# The rows as the child's page's template loops wrote them before.
DECISION_LOOP = Template(
    "{% load display %}{% for decision, url, outcome in decisions %}"
    '<tr class="govuk-table__row">'
    '<td class="govuk-table__cell"><a class="govuk-link" href="{{ url }}">'
    '{{ decision.decided_at|quick_date:"j F Y, H:i" }}</a></td>'
    '<td class="govuk-table__cell">{{ outcome }}{% if decision.departs_from_guidance %} '
    '<strong class="govuk-tag govuk-tag--yellow">Differs from guidance</strong>{% endif %}</td>'
    '<td class="govuk-table__cell">{{ decision.recorder_name }}</td>'
    "</tr>\n{% endfor %}"
)
CONSENT_LOOP = Template(
    "{% load display %}{% for entry in consents %}"
    '<tr class="govuk-table__row">'
    '<td class="govuk-table__cell"><a class="govuk-link" href="{{ entry.url }}">'
    '{{ entry.record.responded_on|quick_date:"j F Y" }}</a></td>'
    '<td class="govuk-table__cell">{{ entry.record.about_name }}</td>'
    '<td class="govuk-table__cell">{{ entry.response }} by {{ entry.record.responder_name }}'
    '{% if entry.record.review_on and entry.status != "withdrawn" and entry.status != "superseded" %}'
    '<br><span class="govuk-body-s">Review by {{ entry.record.review_on|quick_date:"j F Y" }}</span>{% endif %}</td>'
    '<td class="govuk-table__cell"><strong class="govuk-tag{% if entry.status == \'current\' %} govuk-tag--green'
    "{% elif entry.status == 'review_due' %} govuk-tag--yellow{% elif entry.status == 'withdrawn' %} govuk-tag--red"
    '{% else %} govuk-tag--grey{% endif %}">{{ entry.label }}</strong></td>'
    "</tr>\n{% endfor %}"
)


def test_each_decision_reads_as_the_template_wrote_it_in_local_time_and_escaped():
    decisions = [
        # In British Summer Time: shown an hour after UTC.
        (
            SharingDecision(decided_at=datetime(2025, 7, 1, 11, 30, tzinfo=UTC), departs_from_guidance=True),
            "/decisions/1/",
            'Share <in part> & "why"',
        ),
        (
            SharingDecision(decided_at=datetime(2025, 1, 2, 9, 5, tzinfo=UTC), recorder_name="Seán O'Brien <x>"),
            "/decisions/2/?a=1&b=2",
            "Do not share",
        ),
    ]
    made = Template("{% load decision_table %}{% decision_rows decisions %}").render(Context({"decisions": decisions}))
    assert made == DECISION_LOOP.render(Context({"decisions": decisions}))
    assert "1 July 2025, 12:30" in made and "Differs from guidance" in made
    assert made.count("Differs from guidance") == 1
    assert "Seán O&#x27;Brien &lt;x&gt;" in made and "<x>" not in made


@pytest.mark.django_db
def test_each_consent_reads_as_the_template_wrote_it_with_its_status_and_review_date(agency, practitioner):
    child = ChildFactory(agency=agency, given_name="Mia", family_name="O'Neil")
    mother = RelationshipFactory(child=child).adult
    today = timezone.localdate()
    record_consent(user=practitioner, child=child, responded_on=today - timedelta(days=30), review_on=today)
    given = record_consent(
        user=practitioner,
        child=child,
        responder=mother,
        responded_on=today - timedelta(days=20),
        review_on=today + timedelta(days=90),
    )
    withdraw_consent(user=practitioner, record=given)
    record_consent(
        user=practitioner, child=child, responder=mother, responded_on=today - timedelta(days=10), review_on=None
    )
    consents = consent_history(user=practitioner, child=child)
    assert {entry["status"] for entry in consents} >= {"withdrawn", "review_due"}
    made = Template("{% load consent_table %}{% consent_rows consents %}").render(Context({"consents": consents}))
    assert made == CONSENT_LOOP.render(Context({"consents": consents}))
    assert made.count("<tr") == len(consents) == 4
    assert "govuk-tag--red" in made and "govuk-tag--yellow" in made
