"""Another agency's refused attempts to open a child's records, in that child's audit history (issue 14,
point 20): logged against the child, shown to the child's own agency's lead with the person's name and
agency, when, and what was refused; not their email, role or address."""

import pytest
from django.urls import resolve, reverse

from audit.models import AccessEvent, Action, Subject
from audit.refusals import refused_page
from exchange.models import Disclosure
from tests.consent.consent_data import record_consent
from tests.exchange.recorded import disclose, log_request
from tests.factories import ChildFactory
from tests.page_text import reader_text
from tests.sharing.recorded import complete_draft, record_decision


@pytest.fixture
def child(agency):
    return ChildFactory(agency=agency, given_name="Mia", family_name="Turner")


@pytest.fixture
def records(practitioner, child):
    decision = record_decision(user=practitioner, child=child)
    return {
        "child": child,
        "decision": decision,
        "draft": complete_draft(user=practitioner, child=child),
        "request": log_request(practitioner, child, days_ago=1),
        "disclosure": disclose(practitioner, decision),
        "consent": record_consent(user=practitioner, child=child),
    }


ADDRESSES = [
    ("oversight:child_detail", "child", Subject.CHILD),
    ("oversight:chronology", "child", Subject.CHRONOLOGY),
    ("oversight:child_history", "child", Subject.CHILD_AUDIT),
    ("sharing:decision_detail", "decision", Subject.DECISION),
    ("sharing:check", "draft", Subject.DRAFT),
    ("exchange:request_detail", "request", Subject.REQUEST),
    ("exchange:disclosure_detail", "disclosure", Subject.DISCLOSURE),
    ("consent:detail", "consent", Subject.CONSENT),
]


@pytest.mark.parametrize(("name", "record", "subject"), ADDRESSES)
def test_the_refused_page_is_told_apart_and_its_child_found(records, child, name, record, subject):
    match = resolve(reverse(name, args=[records[record].pk]))
    assert refused_page(match) == (subject, child)


def test_an_address_naming_nothing_that_exists_has_no_child(db):
    match = resolve(reverse("oversight:child_detail", args=["00000000-0000-0000-0000-000000000000"]))
    assert refused_page(match) == (Subject.CHILD, None)
    assert refused_page(resolve(reverse("oversight:dashboard"))) == (Subject.PAGE, None)
    assert refused_page(None) == (Subject.PAGE, None)


def history_text(client, child) -> str:
    response = client.get(reverse("oversight:child_history", args=[child.pk]))
    assert response.status_code == 200
    return reader_text(response.content.decode())


def test_another_agencys_attempts_are_in_the_childs_history(client, lead, other_practitioner, records, child):
    client.force_login(other_practitioner)
    nowhere = reverse("oversight:child_detail", args=["00000000-0000-0000-0000-000000000000"])
    not_there = client.get(nowhere)
    for name, record, _subject in ADDRESSES[:5]:
        refused = client.get(reverse(name, args=[records[record].pk]))
        # Nothing tells them the record exists: the same page as for an address naming nothing.
        assert refused.status_code == not_there.status_code == 404
        assert reader_text(refused.content.decode()) == reader_text(not_there.content.decode())
    tried = AccessEvent.objects.filter(user=other_practitioner, action=Action.REFUSED, child=child)
    assert tried.count() == 5

    client.force_login(lead)
    rows = [row for row in client.get(reverse("oversight:child_history", args=[child.pk])).context["rows"]]
    refused = [row for row in rows if row.kind == "Refused access"]
    assert len(refused) == 5
    who = f"{other_practitioner.full_name}, Southvale Police"
    assert {row.who for row in refused} == {who}
    assert {row.what for row in refused} == {
        f"Refused access: {label}, by someone outside this agency"
        for label in ("child", "chronology", "audit history of a child", "decision", "draft decision")
    }
    decision_path = reverse("sharing:decision_detail", args=[records["decision"].pk])
    assert decision_path in {row.url for row in refused}

    page = history_text(client, child)
    assert f"Views, searches and exports\n{who}\nRefused access: decision, by someone outside this agency" in page
    # Not their email, role or address.
    assert other_practitioner.email not in page
    assert "127.0.0.1" not in page.split("Refused access")[1]
    assert "practitioner" not in "\n".join(line for line in page.splitlines() if who in line).lower()


def test_the_childs_own_agency_is_shown_as_before(client, lead, practitioner, agency_admin, child):
    """A refusal within the agency (a role that may not open the child) keeps its full row."""
    client.force_login(agency_admin)
    assert client.get(reverse("oversight:child_detail", args=[child.pk])).status_code in (403, 404)
    client.force_login(lead)
    rows = [
        row
        for row in client.get(reverse("oversight:child_history", args=[child.pk])).context["rows"]
        if row.kind == "Refused access"
    ]
    assert len(rows) == 1
    assert rows[0].who == f"{agency_admin.full_name}, agency administrator"
    assert "outside this agency" not in rows[0].what
    assert "from 127.0.0.1" in rows[0].what


def test_the_attempt_is_still_in_the_other_agencys_staff_history_without_the_child(
    client, other_practitioner, records, child
):
    from records.roles import Role
    from tests.factories import StaffMembershipFactory

    client.force_login(other_practitioner)
    client.get(reverse("sharing:decision_detail", args=[records["decision"].pk]))
    their_lead = StaffMembershipFactory(agency=other_practitioner.agency, role=Role.SAFEGUARDING_LEAD).user
    client.force_login(their_lead)
    response = client.get(reverse("oversight:staff_history", args=[other_practitioner.pk]) + "?section=accesses")
    (row,) = [row for row in response.context["rows"] if row.kind == "Refused access"]
    assert row.what.startswith("Refused access: decision (not found in the agency)")
    page = reader_text(response.content.decode())
    assert child.full_name not in page
    # The other agency's lead cannot open the child's history.
    assert client.get(reverse("oversight:child_history", args=[child.pk])).status_code == 404


def test_a_disclosure_refused_is_logged_against_its_child(client, other_practitioner, records, child):
    client.force_login(other_practitioner)
    disclosure = Disclosure.objects.get(child=child)
    assert client.get(reverse("exchange:disclosure_detail", args=[disclosure.pk])).status_code == 404
    event = AccessEvent.objects.get(user=other_practitioner, action=Action.REFUSED)
    assert (event.subject, event.child, event.agency) == (Subject.DISCLOSURE, child, other_practitioner.agency)
