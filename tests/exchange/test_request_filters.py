"""The request list's filters: dates typed day, month and year, checked, and each filter applied removable."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AccessEvent
from tests.exchange.test_requests import log
from tests.factories import ChildFactory
from tests.page_text import page_text


@pytest.fixture
def child(agency):
    return ChildFactory(agency=agency, given_name="Mia")


@pytest.fixture
def requests(practitioner_client, child):
    earlier = timezone.localdate() - timedelta(days=20)
    log(
        practitioner_client,
        child,
        requester_name="Ms Jo Lake",
        received_on_0=earlier.day,
        received_on_1=earlier.month,
        received_on_2=earlier.year,
    )
    log(practitioner_client, child, requester_name="DC Sam Reid")
    return earlier


def listed(text: str) -> list[str]:
    return [name for name in ("Ms Jo Lake", "DC Sam Reid") if f"From {name}" in text]


def dated(name: str, day) -> dict:
    return {f"{name}_0": str(day.day), f"{name}_1": str(day.month), f"{name}_2": str(day.year)}


def test_a_date_range_filters_and_each_filter_is_a_link_that_removes_it(practitioner_client, requests):
    url = reverse("exchange:request_list")
    since = requests + timedelta(days=1)
    response = practitioner_client.get(url, {**dated("from", since), "status": "open"})
    text = page_text(response)
    assert listed(text) == ["DC Sam Reid"]
    assert f"Remove filter: from {since.day} {since:%B %Y}" in text
    assert "Remove filter: status Open" in text and "Clear filters" in text
    assert "There is a problem" not in text
    # The day, month and year typed are shown again, as typed.
    assert f'name="from_0" type="text" inputmode="numeric" value="{since.day}"' in response.content.decode()

    removed = next(tag for tag in response.context["filter_tags"] if tag.label.startswith("from"))
    after = page_text(practitioner_client.get(url + removed.url))
    assert sorted(listed(after)) == ["DC Sam Reid", "Ms Jo Lake"]
    assert "Remove filter: status Open" in after and "Remove filter: from" not in after
    assert "Filters applied" not in page_text(practitioner_client.get(response.context["clear_url"]))


def test_a_date_that_is_not_real_is_an_error_and_filters_nothing(practitioner_client, requests):
    url = reverse("exchange:request_list")
    response = practitioner_client.get(url, {"from_0": "31", "from_1": "2", "from_2": "2026", **dated("to", requests)})
    text = page_text(response)
    assert text.startswith("Error: Requests for information")
    assert "There is a problem\nThe 'from' date must be a real date\n" in text
    by_the_field = "Received from\nFor example, 1 3 2026\nThe 'from' date must be a real date\n"
    assert by_the_field in text, "the message is by the field too"
    assert "not filtered by date until the dates are corrected" in text
    assert sorted(listed(text)) == ["DC Sam Reid", "Ms Jo Lake"], "not filtered by the 'to' date either"
    assert "Remove filter" not in text
    assert 'value="31"' in response.content.decode(), "what was typed is kept to be corrected"


def test_from_after_to_is_an_error(practitioner_client, requests):
    today = timezone.localdate()
    response = practitioner_client.get(
        reverse("exchange:request_list"), {**dated("from", today), **dated("to", requests)}
    )
    text = page_text(response)
    assert "The 'to' date must be the same as or after the 'from' date" in text
    assert sorted(listed(text)) == ["DC Sam Reid", "Ms Jo Lake"]
    assert "from" not in AccessEvent.objects.latest("occurred_at").detail.split(":")[0]


def test_an_older_link_with_an_iso_date_still_filters(practitioner_client, requests):
    today = timezone.localdate()
    text = page_text(practitioner_client.get(reverse("exchange:request_list"), {"from": today.isoformat()}))
    assert listed(text) == ["DC Sam Reid"]
    assert f"Remove filter: from {today.day} {today:%B %Y}" in text
