"""The filters of the chronology and the audit histories: dates checked, each filter removable."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import ChildFactory
from tests.page_text import page_text
from tests.sharing.recorded import record_decision


@pytest.fixture
def child(agency, practitioner):
    child = ChildFactory(agency=agency, given_name="Mia")
    record_decision(user=practitioner, child=child)
    return child


def dated(name: str, day) -> dict:
    return {f"{name}_0": str(day.day), f"{name}_1": str(day.month), f"{name}_2": str(day.year)}


def test_the_chronology_filters_by_a_good_range_and_not_by_a_bad_one(practitioner_client, child):
    url = reverse("oversight:chronology", args=[child.pk])
    tomorrow = timezone.localdate() + timedelta(days=1)
    filtered = practitioner_client.get(url, {**dated("from", tomorrow), "kind": "decision"})
    assert filtered.context["events"] == []
    text = page_text(filtered)
    assert f"Remove filter: from {tomorrow.day} {tomorrow:%B %Y}" in text
    assert "Remove filter: Decision" in text

    wrong = practitioner_client.get(url, {"from_0": "30", "from_1": "13", "from_2": str(tomorrow.year)})
    text = page_text(wrong)
    assert text.startswith("Error: Chronology")
    assert "There is a problem\nThe 'from' date must be a real date\n" in text
    assert "The entries are not filtered by date until the dates are corrected." in text
    assert wrong.context["events"], "a date that is not real filters nothing out"

    removed = next(tag for tag in filtered.context["filter_tags"] if tag.label.startswith("from"))
    after = practitioner_client.get(url + removed.url)
    assert after.context["events"] and {event.kind for event in after.context["events"]} == {"decision"}
    assert "Remove filter: from" not in page_text(after)


def test_an_audit_history_checks_its_dates_and_removes_its_filters(lead_client, child):
    url = reverse("oversight:child_history", args=[child.pk])
    today = timezone.localdate()
    backwards = lead_client.get(url, {**dated("from", today), **dated("to", today - timedelta(days=3))})
    text = page_text(backwards)
    assert "The 'to' date must be the same as or after the 'from' date" in text
    assert backwards.context["rows"], "not filtered by either date"

    tomorrow = today + timedelta(days=1)
    filtered = lead_client.get(url, {**dated("from", tomorrow), "section": "records"})
    assert filtered.context["rows"] == []
    text = page_text(filtered)
    assert "Remove filter: Records" in text and f"Remove filter: from {tomorrow.day} {tomorrow:%B %Y}" in text
    removed = next(tag for tag in filtered.context["filter_tags"] if tag.label == "Records")
    after = lead_client.get(url + removed.url)
    assert after.context["rows"] == [] and "Remove filter: Records" not in page_text(after)
    assert page_text(after).count("Remove filter:") == 1, "the date's filter stays"


def test_the_change_history_tags_its_kinds(lead_client, child):
    url = reverse("oversight:change_history")
    text = page_text(lead_client.get(url, {"kind": "child"}))
    assert "Remove filter: Children" in text and "Clear filters" in text and text.count("Remove filter:") == 1


def test_a_csv_asked_for_with_a_wrong_date_is_the_page_with_the_error(lead_client, child):
    url = reverse("oversight:child_history", args=[child.pk])
    response = lead_client.get(url, {"format": "csv", "from_0": "31", "from_1": "2", "from_2": "2026"})
    assert response["Content-Type"].startswith("text/html")
    assert "There is a problem\nThe 'from' date must be a real date\n" in page_text(response)
    assert lead_client.get(url, {"format": "csv"})["Content-Type"].startswith("text/csv")
