"""Audit history pages: a child's, a member of staff's and the agency's changes,
filtered by date and kind, exported as CSV (and the export logged)."""

import csv
import io
import re
from dataclasses import replace
from datetime import timedelta

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from audit.models import AccessEvent, Action, Subject
from audit.services import access_record
from oversight import history
from oversight.export import safe_cell
from records import services as record_services
from records.roles import Role
from sharing import services
from tests.factories import ChildFactory, StaffMembershipFactory
from tests.page_text import page_text
from tests.sharing.recorded import record_decision


@pytest.fixture
def child(agency, practitioner):
    child = ChildFactory(agency=agency, given_name="Mia", family_name="Turner")
    record_services.child_update(
        user=practitioner, child=child, details=replace(record_services.ChildDetails.of(child), postcode="NG1 1AA")
    )
    return child


def rows(response):
    return response.context["rows"]


def read_csv(response):
    text = response.content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_a_childs_history_has_every_record_change_and_look(client, lead, practitioner, child):
    decision = record_decision(user=practitioner, child=child)
    client.force_login(practitioner)
    client.get(reverse("sharing:decision_detail", args=[decision.pk]))
    client.force_login(lead)
    history = rows(client.get(reverse("oversight:child_history", args=[child.pk])))
    kinds = [row.kind for row in history]
    assert "Decision" in kinds
    change = next(row for row in history if row.kind.startswith("Child"))
    assert "postcode: (blank) → NG1 1AA" in change.what and change.who == practitioner.full_name
    looked = [row for row in history if row.section == "accesses"]
    assert any(practitioner.full_name in row.who and "decision" in row.what for row in looked)


def test_the_history_filters_by_section_and_date(lead_client, practitioner, child):
    record_decision(user=practitioner, child=child)
    url = reverse("oversight:child_history", args=[child.pk])
    only_records = rows(lead_client.get(url, {"section": "records"}))
    assert only_records and {row.section for row in only_records} == {"records"}
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    assert rows(lead_client.get(url, {"from": tomorrow})) == []


def test_the_csv_export_has_what_the_page_shows_and_is_logged(lead_client, lead, practitioner, child):
    record_decision(user=practitioner, child=child)
    url = reverse("oversight:child_history", args=[child.pk])
    shown = rows(lead_client.get(url, {"section": "records"}))
    response = lead_client.get(url, {"section": "records", "format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    table = read_csv(response)
    assert table[0] == ["When", "Section", "What", "Who", "Details", "Link"]
    assert [row[2] for row in table[1:]] == [row.kind for row in shown]
    event = AccessEvent.objects.order_by("-id").first()
    assert (event.action, event.subject, event.child, event.user) == (Action.EXPORT, Subject.CHILD_AUDIT, child, lead)


def test_cells_that_a_spreadsheet_would_run_are_neutralised(lead_client, practitioner, child):
    record_services.child_update(
        user=practitioner,
        child=child,
        details=replace(record_services.ChildDetails.of(child), other_names='=HYPERLINK("x")'),
    )
    record_decision(user=practitioner, child=child, **{"decision": {"reasons": "@SUM(A1)", **_decided_now()}})
    table = read_csv(lead_client.get(reverse("oversight:child_history", args=[child.pk]), {"format": "csv"}))
    cells = [cell for row in table[1:] for cell in row]
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells)
    assert any("=HYPERLINK" in cell for cell in cells)
    assert safe_cell("-1+2") == "'-1+2" and safe_cell("Mia") == "Mia"


def _decided_now():
    now = timezone.localtime() - timedelta(minutes=1)
    return {"decided_on": now.date().isoformat(), "decided_time": now.strftime("%H:%M")}


def test_a_staff_members_history_has_what_they_recorded_changed_and_viewed(client, lead, practitioner, child):
    decision = record_decision(user=practitioner, child=child)
    client.force_login(practitioner)
    client.get(reverse("oversight:child_detail", args=[child.pk]))
    client.force_login(lead)
    services.review_record(decision=decision, user=lead, outcome="agree")
    history = rows(client.get(reverse("oversight:staff_history", args=[practitioner.pk])))
    assert any(row.kind == "Decision" for row in history)
    assert any(row.kind.startswith("Child") and "NG1 1AA" in row.what for row in history)
    assert any(row.section == "accesses" and "Viewed: child" in row.what for row in history)
    assert not any(row.kind == "Review" for row in history), "the lead's review is in the lead's history"
    lead_history = rows(client.get(reverse("oversight:staff_history", args=[lead.pk])))
    assert any(row.kind == "Review" for row in lead_history)


def test_the_access_log_of_one_member_of_staff(lead_client, practitioner, child):
    history = rows(lead_client.get(reverse("oversight:staff_history", args=[practitioner.pk]), {"section": "accesses"}))
    assert {row.section for row in history} <= {"accesses"}


def test_the_change_history_shows_old_and_new_values_by_kind(lead_client, practitioner, child, agency):
    record_services.child_update(
        user=practitioner, child=child, details=replace(record_services.ChildDetails.of(child), postcode="NG2 2BB")
    )
    changes = rows(lead_client.get(reverse("oversight:change_history"), {"kind": "child"}))
    assert any("postcode: NG1 1AA → NG2 2BB" in row.what for row in changes)
    assert {row.kind.split(":")[0] for row in changes} == {"Child"}
    staff = rows(lead_client.get(reverse("oversight:change_history"), {"kind": "staff"}))
    assert staff and {row.kind.split(":")[0] for row in staff} <= {"Staff", "Staff account"}


def test_audit_pages_are_for_the_agencys_leads_only(client, practitioner, agency_admin, other_practitioner, child):
    urls = [
        reverse("oversight:child_history", args=[child.pk]),
        reverse("oversight:staff_list"),
        reverse("oversight:staff_history", args=[practitioner.pk]),
        reverse("oversight:change_history"),
    ]
    for user in (practitioner, agency_admin):
        client.force_login(user)
        for url in urls:
            assert client.get(url).status_code in (403, 404), (user, url)
    other_lead = StaffMembershipFactory(agency=other_practitioner.agency, role=Role.SAFEGUARDING_LEAD).user
    client.force_login(other_lead)
    assert client.get(urls[0]).status_code == 404
    assert client.get(urls[2]).status_code == 404
    assert child.full_name not in page_text(client.get(reverse("oversight:change_history")))


def test_a_childs_history_takes_the_same_number_of_queries_however_long(lead_client, practitioner, child):
    url = reverse("oversight:child_history", args=[child.pk])

    def count():
        with CaptureQueriesContext(connection) as queries:
            lead_client.get(url)
        return len(queries)

    record_decision(user=practitioner, child=child)
    count()  # The first asking also runs Django's one-off check that SQLite reads JSON.
    few = count()
    for _ in range(5):
        record_decision(user=practitioner, child=child)
        record_services.child_update(
            user=practitioner, child=child, details=replace(record_services.ChildDetails.of(child), postcode="NG3 3CC")
        )
    assert count() == few


def test_a_long_history_is_shown_a_page_at_a_time_newest_first(client, lead, practitioner, child, monkeypatch):
    monkeypatch.setattr(history, "PAGE_ROWS", 4)
    client.force_login(practitioner)
    for n in range(3):
        record_decision(user=practitioner, child=child)
        client.get(reverse("oversight:child_detail", args=[child.pk]))
        record_services.child_update(
            user=practitioner,
            child=child,
            details=replace(record_services.ChildDetails.of(child), postcode=f"NG{n} 1AA"),
        )
    every = history.Filters()
    for read in (
        lambda page: history.child_history(child=child, filters=every, page=page),
        lambda page: history.staff_history(member=practitioner, filters=every, page=page),
    ):
        every_row = read(None).rows
        shown, number = [], 1
        while page := read(number).rows:
            assert read(number).total == len(every_row)
            shown += page
            number += 1
        assert shown == every_row and number - 1 == -(-len(every_row) // 4) > 2
        assert [row.when for row in shown] == sorted((row.when for row in shown), reverse=True)
        assert {row.section for row in shown} == {"records", "changes", "accesses"}
    client.force_login(lead)
    page = client.get(reverse("oversight:staff_history", args=[practitioner.pk]), {"page": 2}).content.decode()
    assert "Showing 5 to 8 of " in page and "?page=1" in page and "?page=3" in page


def test_the_change_history_is_shown_a_page_at_a_time(lead_client, practitioner, child):
    for number in range(55):
        record_services.child_update(
            user=practitioner,
            child=child,
            details=replace(record_services.ChildDetails.of(child), postcode=f"NG{number} 9ZZ"),
        )
    url = reverse("oversight:change_history")
    total = len(read_csv(lead_client.get(url, {"kind": "child", "format": "csv"}))) - 1
    assert total > 55
    first = page_text(lead_client.get(url, {"kind": "child"}))
    assert f"Showing 1 to 50 of {total} rows, newest first." in first
    assert "postcode: NG53 9ZZ → NG54 9ZZ" in first and "Older rows" in first
    second = page_text(lead_client.get(url, {"kind": "child", "page": 2}))
    assert f"Showing 51 to {total} of {total} rows, newest first." in second
    assert "postcode: (blank) → NG1 1AA" in second and "Newer rows" in second and "Older rows" not in second
    assert "postcode: NG53 9ZZ → NG54 9ZZ" not in second


def _audit_link(html: str) -> str:
    """The menu's "Audit" link, as marked up; empty when the menu has none."""
    found = re.search(r'<a class="govuk-service-navigation__link" href="([^"]*)"([^>]*)>Audit</a>', html)
    return f"{found[1]}{found[2]}" if found else ""


def test_leads_have_an_audit_item_in_the_menu_marked_on_the_audit_pages(client, lead, practitioner, child):
    client.force_login(practitioner)
    assert _audit_link(client.get(reverse("records:child_search")).content.decode()) == ""
    client.force_login(lead)
    staff = reverse("oversight:staff_list")
    assert _audit_link(client.get(reverse("oversight:dashboard")).content.decode()) == staff
    assert _audit_link(client.get(staff).content.decode()) == f'{staff} aria-current="page"'
    for url in (
        reverse("oversight:staff_history", args=[practitioner.pk]),
        reverse("oversight:change_history"),
        reverse("oversight:child_history", args=[child.pk]),
    ):
        assert _audit_link(client.get(url).content.decode()) == f'{staff} aria-current="true"', url
    assert "Audit" in page_text(client.get(reverse("oversight:dashboard"))).split("\n")


def test_a_staff_members_looks_name_and_link_the_child_of_the_agency_only(
    client, lead, practitioner, child, other_practitioner
):
    decision = record_decision(user=practitioner, child=child)
    elsewhere = ChildFactory(agency=other_practitioner.agency, given_name="Zebedee", family_name="Quillfeather")
    looked_elsewhere = RequestFactory().get(reverse("oversight:child_detail", args=[elsewhere.pk]))
    looked_elsewhere.user = practitioner
    access_record(request=looked_elsewhere, action=Action.VIEW, subject=Subject.CHILD, target=elsewhere)
    client.force_login(practitioner)
    client.get(reverse("oversight:child_detail", args=[child.pk]))
    client.get(reverse("sharing:decision_detail", args=[decision.pk]))
    client.force_login(lead)
    url = reverse("oversight:staff_history", args=[practitioner.pk])
    response = client.get(url, {"section": "accesses"})
    text = page_text(response)
    assert "Viewed: child Mia Turner from 127.0.0.1" in text
    assert "Viewed: decision about Mia Turner from 127.0.0.1" in text
    assert "Zebedee" not in text and "Quillfeather" not in text and "Viewed: child from " in text
    child_page = reverse("oversight:child_detail", args=[child.pk])
    assert f'<a class="govuk-link" href="{child_page}">Mia Turner</a>' in response.content.decode()
    assert reverse("oversight:child_detail", args=[elsewhere.pk]) not in response.content.decode().split("<tbody")[1]
    exported = read_csv(client.get(url, {"section": "accesses", "format": "csv"}))
    details = [row[4] for row in exported[1:]]
    assert ["Viewed: child Mia Turner from 127.0.0.1", f"http://testserver{child_page}"] in [
        row[4:] for row in exported[1:]
    ]
    assert "Viewed: child Mia Turner from 127.0.0.1" in details
    assert "Viewed: decision about Mia Turner from 127.0.0.1" in details
    assert not any("Zebedee" in detail or "Quillfeather" in detail for detail in details)
    assert not any(str(elsewhere.pk) in row[5] for row in exported[1:])
