"""No paragraph number of the guidance is bare text on the pages that ask a practitioner something (issue 17,
point 9): never in a label or a choice's label (a link there would take the click meant for the field), never in an
error message (it says what to do), and, in a legend, a hint or inset text, only as a link to the paragraph.

The pages are walked as a practitioner walks them: each page of a decision, a consent, a request and a disclosure
is read when it opens, then sent blank (its error messages), then answered."""

from __future__ import annotations

import re
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import timezone

from exchange.models import InformationRequest, SentRequest
from records.roles import Role
from tests.consent.consent_post_data import by_parent, consent_post
from tests.consent.consent_post_data import through_the_pages as through_the_consent_pages
from tests.delivery.sent import send
from tests.exchange.recorded import date_fields, disclose, disclosure_post
from tests.exchange.recorded import through_the_pages as through_the_disclosure_pages
from tests.exchange.request_post_data import request_post, through_the_request_pages
from tests.exchange.through_service_data import ask_post, through_the_ask_pages
from tests.factories import ChildFactory, RelationshipFactory, StaffMembershipFactory
from tests.page_text import page_text
from tests.sharing import answers as A
from tests.sharing.recorded import record_decision
from tests.sharing.test_wizard import walk

PARAGRAPH = re.compile(r"\b3\.\d+\.\d+\b")
# Where a number may be read only as a link; in a label or an error message, not at all.
LINKED_ONLY = {"govuk-fieldset__legend", "govuk-hint", "govuk-inset-text"}
NEVER = {"govuk-error-message", "govuk-error-summary__list"}


class _Places(HTMLParser):
    """The text of each label, error message, legend, hint and inset text, and whether it sat inside a link."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.open: list[tuple[str, str | None]] = []  # (tag, the kind of place it opens, if any)
        self.found: list[tuple[str, str, bool]] = []  # (kind of place, text, inside a link)

    def handle_starttag(self, tag, attrs):
        if tag in ("input", "br", "img", "hr", "meta", "link"):
            return
        classes = set((dict(attrs).get("class") or "").split())
        kind = "label" if tag == "label" else next(iter(sorted((LINKED_ONLY | NEVER) & classes)), None)
        self.open.append((tag, kind))

    def handle_endtag(self, tag):
        while self.open:
            if self.open.pop()[0] == tag:
                break

    def handle_data(self, data):
        kinds = [kind for _, kind in self.open if kind]
        if kinds and data.strip():
            self.found.append((kinds[-1], data.strip(), any(tag == "a" for tag, _ in self.open)))


def bare_numbers(html: str) -> list[str]:
    places = _Places()
    places.feed(html)
    problems = []
    for kind, text, linked in places.found:
        if not PARAGRAPH.search(text):
            continue
        if kind == "label" or kind in NEVER or not linked:
            problems.append(f"{kind}: {text}")
    return problems


class Reading:
    """The test client, reading every page it is about to answer: as it opens, and sent blank."""

    def __init__(self, client):
        self.client = client
        self.read: dict[str, list[str]] = {}

    def get(self, path, *args, **kwargs):
        response = self.client.get(path, *args, **kwargs)
        self._note(path, response)
        return response

    def post(self, path, data=None, **kwargs):
        bare = path.split("?")[0]
        if not bare.endswith("/check/") and bare not in self.read:
            self._note(path, self.client.get(path))
            self._note(path, self.client.post(path, {}))
        return self.client.post(path, data, **kwargs)

    def _note(self, path, response):
        problems = self.read.setdefault(path.split("?")[0], [])
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            problems.extend(bare_numbers(response.content.decode()))

    def problems(self) -> dict[str, list[str]]:
        return {path: sorted(set(found)) for path, found in self.read.items() if found}


def test_the_reader_finds_a_number_in_a_label_or_an_error_and_a_bare_one_in_a_hint():
    html = (
        '<label class="govuk-label">Sent securely (<a href="/g/">3.7.8</a>)</label>'
        '<p class="govuk-error-message">Verify them (3.7.4)</p>'
        '<div class="govuk-hint">See 3.5.4 and <a href="/g/">guidance paragraph 3.5.5</a></div>'
    )
    assert bare_numbers(html) == [
        "label: 3.7.8",
        "govuk-error-message: Verify them (3.7.4)",
        "govuk-hint: See 3.5.4 and",
    ]


@pytest.fixture
def child(agency, lead):
    child = ChildFactory(agency=agency, given_name="Mia", family_name="Turner")
    RelationshipFactory(child=child, adult__given_name="Kelly", adult__family_name="Turner")
    return child


def test_the_pages_of_a_decision(practitioner_client, child):
    reading = Reading(practitioner_client)
    steps = [
        A.purpose(),
        A.identifiable(),
        A.confidential(),
        A.consent(status="not_sought", not_sought_reason="child_at_increased_risk"),
        A.statutory(),
        A.public_interest(),
        A.sharing(method="telephone", **A.not_told()),
        A.decision(),
    ]
    url = walk(reading, child, steps)
    assert url.endswith("/check/")
    assert len(reading.read) >= 25
    assert reading.problems() == {}


def test_the_pages_of_a_consent(practitioner_client, child):
    reading = Reading(practitioner_client)
    mother = child.relationships.get().adult
    for data in (consent_post(), by_parent(mother.pk)):
        assert through_the_consent_pages(reading, reverse("consent:add", args=[child.pk]), data).status_code == 302
    assert len(reading.read) >= 9
    assert reading.problems() == {}


def test_the_pages_of_a_request_and_its_verifying_and_closing(practitioner_client, child):
    reading = Reading(practitioner_client)
    response = through_the_request_pages(reading, reverse("exchange:request_add", args=[child.pk]), request_post())
    assert response.status_code == 302
    logged = InformationRequest.objects.get()
    for name in ("exchange:request_verify", "exchange:request_close"):
        reading.post(reverse(name, args=[logged.pk]), {})
    assert len(reading.read) >= 10
    assert reading.problems() == {}


@pytest.mark.parametrize(
    "method", ["secure_email", "secure_portal", "phone", "in_person", "letter", "fax", "through_the_service"]
)
def test_the_pages_of_a_disclosure(practitioner, practitioner_client, child, other_agency, method):
    reading = Reading(practitioner_client)
    decision = record_decision(user=practitioner, child=child)
    data = disclosure_post(method=method, **{f"checks_{method}": []})
    if method == "through_the_service":
        keep_until = date_fields("keep_until", timezone.localdate() + timedelta(days=90))
        data |= {"send_to_agency": str(other_agency.pk), "send_to_person": "leads", **keep_until}
    checks = through_the_disclosure_pages(reading, decision, data, record=False)
    assert checks.status_code == 200
    assert len(reading.read) >= 6
    assert reading.problems() == {}
    if method == "secure_email":
        # The paragraph a check cites is its hint, a link to the paragraph; the message says what to do.
        text = page_text(checks)
        assert "Sent through a secure system, not ordinary internet email\nguidance paragraph 3.7.8" in text
        assert "Confirm each check for this method: Sent through a secure system, not ordinary internet email" in text
        hint = checks.content.decode().split('class="govuk-hint govuk-checkboxes__hint">')[1].split("</span>")[0]
        assert reverse("about:guidance", args=["3.7.8"]) in hint


def test_the_pages_of_a_request_sent_to_another_agency_and_of_matching_it(
    practitioner_client, child, other_agency, other_practitioner, client
):
    """Asked of another agency through this service (ADR 26), then read, matched or said not known there."""
    reading = Reading(practitioner_client)
    assert through_the_ask_pages(reading, child, ask_post(other_agency)).status_code == 302
    received = SentRequest.objects.get()
    client.force_login(other_practitioner)
    theirs = Reading(client)
    theirs.get(reverse("exchange:received_detail", args=[received.pk]))
    for name in ("exchange:received_match", "exchange:received_not_known"):
        theirs.post(reverse(name, args=[received.pk]), {})
    assert len(reading.read) >= 5
    assert reading.problems() == {}
    assert theirs.problems() == {}


def test_the_pages_of_a_disclosure_received_through_the_service(practitioner, child, other_agency, client):
    """What the agency it went to reads, acknowledges and asks about (ADR 27)."""
    lead = StaffMembershipFactory(agency=other_agency, role=Role.SAFEGUARDING_LEAD).user
    delivered = send(practitioner, record_decision(user=practitioner, child=child), to_agency=other_agency)
    client.force_login(lead)
    theirs = Reading(client)
    theirs.get(reverse("delivery:received_list"))
    theirs.post(reverse("delivery:received_detail", args=[delivered.pk]), {})
    client.force_login(practitioner)
    ours = Reading(client)
    ours.get(reverse("delivery:sent_detail", args=[delivered.disclosure_id]))
    assert theirs.problems() == {}
    assert ours.problems() == {}


def test_a_record_keeps_the_wording_of_its_checks_with_the_paragraph_a_link(practitioner, practitioner_client, child):
    """The checks and the way of verifying read on the record as they were recorded, each paragraph a link."""
    decision = record_decision(user=practitioner, child=child)
    disclosure = disclose(practitioner, decision)
    page = practitioner_client.get(reverse("exchange:disclosure_detail", args=[disclosure.pk]))
    text = page_text(page)
    assert "Sent through a secure system, not ordinary internet email (guidance paragraph 3.7.8)" in text
    assert "The email carried a confidentiality warning (guidance paragraph 3.7.8)" in text
    assert reverse("about:guidance", args=["3.7.8"]) in page.content.decode()
