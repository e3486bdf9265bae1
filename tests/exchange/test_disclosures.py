"""Recording what was disclosed, the checks for each method, follow-ups,
append-only storage and the verification gate."""

from dataclasses import replace
from datetime import timedelta

import pytest
import time_machine
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from exchange import services
from exchange.models import METHOD_CHECKS, Disclosure, DisclosureDraft, InformationRequest, InformedFollowUp
from ledger import immutability
from ledger.models import Entry, ImmutableRecordError, Leaf
from sharing import services as sharing_services
from tests.consent.consent_data import record_consent, withdraw_consent
from tests.exchange.recorded import date_fields, disclose, disclosure_post, through_the_pages
from tests.factories import ChildFactory, RelationshipFactory
from tests.ledger_data import seal, verify_log
from tests.page_text import reader_text
from tests.sharing.recorded import complete_draft, record_decision, relying_on_consent


@pytest.fixture
def child(agency):
    return ChildFactory(agency=agency)


@pytest.fixture
def decision(practitioner, child):
    return record_decision(user=practitioner, child=child)


def add(client, decision, **overrides):
    return through_the_pages(client, decision, disclosure_post(**overrides))


def test_the_pages_start_from_what_the_decision_planned(practitioner_client, decision):
    started = practitioner_client.get(reverse("exchange:disclosure_add", args=[decision.pk]))
    items_url = reverse("exchange:disclosure_page", args=[decision.pk, "items"])
    assert started.url == items_url
    items = practitioner_client.get(items_url)
    text = reader_text(items.content.decode())
    assert "You have added 1 item" in text
    assert "Item 1 (fact)\nAnonymised summary of concerns." in text
    practitioner_client.post(items_url, {"add_another": "no"})
    recipient = practitioner_client.get(reverse("exchange:disclosure_page", args=[decision.pk, "recipient"]))
    assert recipient.context["form"].initial["recipient_name"] == "Nadia Hughes"


def _log_verifies():
    seal()
    report = verify_log()
    assert report.intact, report.first_problem
    return report


def test_a_disclosure_is_recorded_and_entered_in_the_log(practitioner_client, practitioner, decision):
    response = add(practitioner_client, decision)
    disclosure = Disclosure.objects.get()
    assert response.url == reverse("exchange:disclosure_detail", args=[disclosure.pk])
    assert disclosure.items == [{"text": "Police attended the home on 2 November.", "kind": "fact"}]
    assert disclosure.checks == ["secure_system", "confidentiality_warning"]
    assert disclosure.recorded_by == practitioner
    page = practitioner_client.get(response.url).content.decode()
    assert "Sent through a secure system, not ordinary internet email" in page
    assert list(Entry.objects.filter(kind="disclosure").values_list("record_id", flat=True)) == [str(disclosure.pk)]
    _log_verifies()
    decision_page = practitioner_client.get(reverse("sharing:decision_detail", args=[decision.pk])).content.decode()
    assert "To Nadia Hughes" in decision_page


@pytest.mark.parametrize("method", list(METHOD_CHECKS))
def test_each_method_needs_its_checks(practitioner_client, decision, method):
    missing = add(practitioner_client, decision, method=method, checks_secure_email=[])
    assert "Confirm each check for this method" in missing.content.decode()
    keys = [key for key, _ in METHOD_CHECKS[method]]
    ok = add(practitioner_client, decision, method=method, **{"checks_secure_email": [], f"checks_{method}": keys})
    assert ok.status_code == 302
    assert Disclosure.objects.get().checks == keys


@pytest.mark.parametrize(
    ("method", "message"),
    [
        ("secure_email", "Enter the secure email address it was sent to"),
        ("secure_portal", "Enter the secure system or portal it was sent through"),
        ("letter", "Enter the address it was sent to"),
        ("fax", "Enter the safe-haven fax number it was sent to"),
    ],
)
def test_where_it_was_sent_left_blank_says_what_to_enter(practitioner_client, decision, method, message):
    page = add(practitioner_client, decision, method=method, method_detail="", **{f"checks_{method}": []})
    assert message in reader_text(page.content.decode())
    assert not Disclosure.objects.exists()


def test_nothing_is_disclosed_against_a_decision_not_to_share(practitioner_client, practitioner, child):
    refusal = record_decision(
        user=practitioner,
        child=child,
        sharing={"outcome": "do_not_share", "items": [], "withheld": "All of it."},
    )
    assert practitioner_client.get(reverse("exchange:disclosure_add", args=[refusal.pk])).status_code == 404
    assert practitioner_client.get(reverse("exchange:disclosure_page", args=[refusal.pk, "items"])).status_code == 404
    with pytest.raises(services.NotAllowed):
        services.disclosure_record(user=practitioner, decision=refusal, details=recorded_details())


def test_not_telling_the_person_needs_a_reason_and_a_date_to_reconsider(practitioner_client, decision):
    response = add(practitioner_client, decision, informed="no")
    errors = response.context["form"].errors
    assert errors["not_informed_reason"] == ["Explain why they have not been told"]
    assert errors["reconsider_on"] == ["Enter a date to reconsider telling them"]


def test_the_date_to_reconsider_telling_them_is_still_to_come(practitioner_client, practitioner, decision):
    """3.5.19, 3.7.3 (issue 14, point 12): "When should this be reconsidered?" takes a date to come only."""
    for day in (timezone.localdate() - timedelta(days=1), timezone.localdate()):
        response = add(
            practitioner_client,
            decision,
            informed="no",
            not_informed_reason="Risk",
            **date_fields("reconsider_on", day),
        )
        assert response.context["form"].errors["reconsider_on"] == [
            "The date to reconsider telling them must be in the future"
        ]
    disclosure = services.disclosure_record(
        user=practitioner,
        decision=decision,
        details=replace(recorded_details(), informed=False, not_informed_reason="Risk"),
    )
    url = reverse("exchange:follow_up_add", args=[disclosure.pk])
    today = {
        "informed": "no",
        "reasons": "Partner still at home.",
        **date_fields("reconsider_on", timezone.localdate()),
    }
    response = practitioner_client.post(url, today)
    assert response.context["follow_up_form"].errors["reconsider_on"] == [
        "The date to reconsider telling them must be in the future"
    ]
    assert not InformedFollowUp.objects.exists()


def recorded_details() -> services.DisclosureDetails:
    return services.DisclosureDetails(
        items=[{"text": "A fact", "kind": "fact"}],
        recipient_name="Nadia Hughes",
        recipient_role="Health visitor",
        recipient_agency="Northgate NHS Foundation Trust",
        disclosed_at=timezone.now(),
        method="secure_email",
        checks=["secure_system", "confidentiality_warning"],
        onward_sharing="no",
        informed=True,
        informed_on=timezone.localdate(),
        informed_by="Priya",
        reconsider_on=timezone.localdate() + timedelta(days=1),
    )


def test_a_person_not_told_stays_on_the_leads_list_until_a_follow_up(client, practitioner, lead, decision):
    client.force_login(practitioner)
    tomorrow = timezone.localdate() + timedelta(days=1)
    add(
        client,
        decision,
        informed="no",
        not_informed_reason="Telling the mother now could alert her partner.",
        **date_fields("reconsider_on", tomorrow),
    )
    disclosure = Disclosure.objects.get()
    client.force_login(lead)
    listed = lambda: [d.pk for d in client.get(reverse("oversight:dashboard")).context["board"].not_told.rows]  # noqa: E731
    assert listed() == []
    with time_machine.travel(timezone.now() + timedelta(days=1)):
        client.force_login(lead)
        assert listed() == [disclosure.pk]
    url = reverse("exchange:follow_up_add", args=[disclosure.pk])
    later = timezone.localdate() + timedelta(days=14)
    client.post(url, {"informed": "no", "reasons": "Partner still at home.", **date_fields("reconsider_on", later)})
    with time_machine.travel(timezone.now() + timedelta(days=1)):
        client.force_login(lead)
        assert listed() == [], "reconsider date moved on"
    client.post(
        url, {"informed": "yes", **date_fields("informed_on", timezone.localdate()), "informed_by": "Laura Bennett"}
    )
    assert InformedFollowUp.objects.count() == 2
    page = client.get(reverse("exchange:disclosure_detail", args=[disclosure.pk])).content.decode()
    assert "Record a follow-up" not in page
    assert Entry.objects.filter(kind="follow-up").count() == 2
    _log_verifies()


def test_an_unverified_requester_needs_an_explicit_reasoned_override(practitioner_client, practitioner, child):
    request = InformationRequest.objects.create(
        agency=child.agency,
        child=child,
        received_at=timezone.now(),
        channel="phone",
        requester_name="Unknown caller",
        requester_role="Says they are a social worker",
        requester_agency="Elsewhere Council",
        requester_agency_kind="childrens_social_care",
        requester_contact="07700 900 000",
        information_needed="Address",
        reason="Visit",
        intended_use="Visit",
        risk_level="lower",
        logged_by=practitioner,
    )
    draft = complete_draft(user=practitioner, child=child)
    draft.request = request
    draft.save()
    decision = sharing_services.decision_record(draft=draft, user=practitioner)
    assert request.outcome.decision == decision
    response = add(practitioner_client, decision)
    assert response.context["form"].errors["unverified_override"] == [
        "Explain why you are disclosing without verifying them"
    ]
    with pytest.raises(services.NotAllowed, match="not been verified"):
        services.disclosure_record(
            user=practitioner, decision=decision, details=recorded_details(), information_request=request
        )
    ok = add(practitioner_client, decision, unverified_override="Child at immediate risk; verified after by email.")
    assert ok.status_code == 302
    assert Disclosure.objects.get().request == request


def test_disclosures_outcomes_and_follow_ups_are_append_only(practitioner, decision, child):
    details = services.DisclosureDetails(
        items=[{"text": "x", "kind": "fact"}],
        recipient_name="A",
        recipient_role="B",
        recipient_agency="C",
        disclosed_at=timezone.now(),
        method="in_person",
        checks=["written_record"],
        onward_sharing="no",
        informed=False,
        not_informed_reason="Risk",
        reconsider_on=timezone.localdate(),
    )
    disclosure = services.disclosure_record(user=practitioner, decision=decision, details=details)
    services.follow_up_record(
        user=practitioner,
        disclosure=disclosure,
        details=services.FollowUpDetails(
            informed=True, informed_on=timezone.localdate(), informed_by="D", reasons="", reconsider_on=None
        ),
    )
    request = InformationRequest.objects.create(
        agency=child.agency, child=child, received_at=timezone.now(), channel="email", requester_name="R",
        requester_role="R", requester_agency="R", requester_agency_kind="school", requester_contact="R",
        information_needed="R", reason="R", intended_use="R", risk_level="lower", logged_by=practitioner,
    )  # fmt: skip
    services.request_outcome_record(
        user=practitioner,
        information_request=request,
        closing=services.ClosingDetails(outcome="withdrawn", reasons="No longer needed"),
    )
    disclosure.recipient_name = "Someone else"
    with pytest.raises(ImmutableRecordError):
        disclosure.save()
    for table in ("exchange_disclosure", "exchange_requestoutcome", "exchange_informedfollowup"):
        for statement in (f"UPDATE {table} SET recorded_at = recorded_at", f"DELETE FROM {table}"):  # noqa: S608
            with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(statement)
    assert Disclosure.objects.get().recipient_name == "A"
    kinds = ("decision", "disclosure", "follow-up", "request outcome")
    entered = {kind: Entry.objects.filter(kind=kind).count() for kind in kinds}
    assert entered == dict.fromkeys(kinds, 1)
    _log_verifies()


def test_another_agency_cannot_reach_a_disclosure(client, practitioner, other_practitioner, decision):
    client.force_login(practitioner)
    add(client, decision)
    disclosure = Disclosure.objects.get()
    client.force_login(other_practitioner)
    assert client.get(reverse("exchange:disclosure_detail", args=[disclosure.pk])).status_code == 404
    assert client.get(reverse("exchange:disclosure_add", args=[decision.pk])).status_code == 404
    assert client.post(reverse("exchange:follow_up_add", args=[disclosure.pk]), {}).status_code == 404


def test_they_cannot_have_been_told_in_the_future(practitioner_client, decision):
    later = timezone.localdate() + timedelta(days=30)
    response = add(practitioner_client, decision, **date_fields("informed_on", later))
    assert response.context["form"].errors["informed_on"] == ["The date they were told must be today or in the past"]


def test_not_known_onward_sharing_reads_as_words(practitioner_client, decision):
    add(practitioner_client, decision, onward_sharing="not_known")
    page = practitioner_client.get(reverse("exchange:disclosure_detail", args=[Disclosure.objects.get().pk]))
    assert "Not known" in page.content.decode()


def test_verify_records_notices_a_changed_disclosure(practitioner_client, decision):
    add(practitioner_client, decision)
    disclosure = Disclosure.objects.get()
    _log_verifies()
    position = Leaf.objects.get(entry__kind="disclosure").position
    immutability.remove(connection)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE exchange_disclosure SET recipient_agency = %s WHERE id = %s", ["Someone else", disclosure.pk.hex]
        )
    immutability.install(connection)
    report = verify_log()
    assert not report.intact
    named = f"log entry {position} (disclosure {disclosure.pk})"
    assert str(report.first_problem) == f"{named}: the record's content no longer matches its entry in the log"


# Issue 14, point 1: a decision whose consent lapsed (3.3.21-3.3.22).


@pytest.fixture
def mother(child):
    return RelationshipFactory(child=child, adult__given_name="Kelly", adult__family_name="Turner").adult


@pytest.fixture
def relying_on_consent_then_withdrawn(practitioner, child, mother):
    record = record_consent(user=practitioner, child=child, responder=mother)
    decision = record_decision(user=practitioner, child=child, **relying_on_consent(record))
    withdraw_consent(user=practitioner, record=record)
    return decision


def test_while_the_consent_stands_the_recipient_is_told_its_limits(practitioner_client, practitioner, child, mother):
    record = record_consent(user=practitioner, child=child, responder=mother)
    decision = record_decision(user=practitioner, child=child, **relying_on_consent(record))
    first = practitioner_client.get(reverse("exchange:disclosure_add", args=[decision.pk]), follow=True)
    assert "no longer stands" not in reader_text(first.content.decode())
    response = add(practitioner_client, decision, consent_limits_told="")
    assert response.wsgi_request.path.endswith("/consent-limits/")
    assert response.context["form"].errors["consent_limits_told"] == [
        "Tell the recipient the limits of the consent given"
    ]
    add(practitioner_client, decision, consent_limits_told="on")
    assert Disclosure.objects.get().consent_limits_told is True


def test_a_disclosure_under_withdrawn_consent_is_refused_by_the_service(
    practitioner, relying_on_consent_then_withdrawn
):
    with pytest.raises(services.NotAllowed) as refused:
        services.disclosure_record(
            user=practitioner, decision=relying_on_consent_then_withdrawn, details=recorded_details()
        )
    assert str(refused.value) == (
        "The consent this decision relied on has been withdrawn (3.3.22). Nothing more should be disclosed under this "
        "decision: make a new decision, or, if this disclosure goes ahead on another basis, record why."
    )
    assert not Disclosure.objects.exists()
    disclosure = services.disclosure_record(
        user=practitioner,
        decision=relying_on_consent_then_withdrawn,
        details=replace(recorded_details(), consent_lapsed_reason="A statutory duty: a s47 enquiry has begun."),
    )
    assert disclosure.consent_lapsed_reason == "A statutory duty: a s47 enquiry has begun."
    _log_verifies()


def test_a_disclosure_once_the_consents_review_date_has_passed_is_refused_by_the_service(practitioner, child, mother):
    """3.3.21: consent past its review date may no longer stand; as for a withdrawal, a new decision or a reason."""
    record = record_consent(
        user=practitioner, child=child, responder=mother, review_on=timezone.localdate() + timedelta(days=10)
    )
    decision = record_decision(user=practitioner, child=child, **relying_on_consent(record))
    services.disclosure_record(user=practitioner, decision=decision, details=recorded_details())
    with time_machine.travel(timezone.now() + timedelta(days=10)):
        with pytest.raises(services.NotAllowed) as refused:
            services.disclosure_record(user=practitioner, decision=decision, details=recorded_details())
        assert str(refused.value) == (
            "The review date of the consent this decision relied on has passed: it may no longer stand (3.3.21). "
            "Nothing more should be disclosed under this decision: make a new decision, or, if this disclosure goes "
            "ahead on another basis, record why."
        )
        assert Disclosure.objects.filter(decision=decision).count() == 1, "only the one made while it stood"
        services.disclosure_record(
            user=practitioner,
            decision=decision,
            details=replace(recorded_details(), consent_lapsed_reason="A s47 enquiry has begun: a statutory duty."),
        )
    assert Disclosure.objects.filter(decision=decision).count() == 2


def test_the_disclosure_page_says_to_make_a_new_decision_or_why_it_goes_ahead(
    practitioner_client, relying_on_consent_then_withdrawn
):
    decision = relying_on_consent_then_withdrawn
    url = reverse("exchange:disclosure_add", args=[decision.pk])
    page = practitioner_client.get(url, follow=True)
    # The first page asks why it goes ahead.
    assert page.wsgi_request.path == reverse("exchange:disclosure_page", args=[decision.pk, "consent-lapsed"])
    text = reader_text(page.content.decode())
    assert (
        "The consent this decision relied on has been withdrawn (guidance paragraph 3.3.22). Nothing more should be "
        "disclosed under this decision: make a new decision, or, if this disclosure goes ahead on another basis, "
        "record why."
    ) in text
    assert f'href="{reverse("sharing:start", args=[decision.child_id])}"' in page.content.decode()
    response = add(practitioner_client, decision)
    assert response.status_code == 200
    assert response.context["form"].errors["consent_lapsed_reason"] == [
        "Make a new decision, or explain on what other basis this disclosure goes ahead"
    ]
    assert not Disclosure.objects.exists()
    # The limits of a consent that no longer stands are not asked (nor, then, recorded as told).
    response = add(practitioner_client, decision, consent_lapsed_reason="A s47 enquiry has begun: a statutory duty.")
    disclosure = Disclosure.objects.get()
    assert disclosure.consent_limits_told is None
    page = reader_text(practitioner_client.get(response.url).content.decode())
    assert "Disclosed after the consent relied on lapsed, because A s47 enquiry has begun: a statutory duty." in page
    assert "Told the limits of consent" not in page


def test_the_lead_sees_disclosures_after_the_consent_lapsed(
    client, practitioner, lead, relying_on_consent_then_withdrawn, settings
):
    disclosure = services.disclosure_record(
        user=practitioner,
        decision=relying_on_consent_then_withdrawn,
        details=replace(recorded_details(), consent_lapsed_reason="A statutory duty: a s47 enquiry has begun."),
    )
    disclose(practitioner, record_decision(user=practitioner, child=relying_on_consent_then_withdrawn.child))
    client.force_login(lead)
    response = client.get(reverse("oversight:dashboard"))
    assert [d.pk for d in response.context["board"].consent_lapsed.rows] == [disclosure.pk]
    text = reader_text(response.content.decode())
    assert f"Disclosures after the consent relied on lapsed, last {settings.DASHBOARD_RECENT_DAYS} days (1)" in text
    assert f"To Nadia Hughes, Northgate NHS Foundation Trust, by {practitioner.full_name}" in text
    whole = client.get(reverse("oversight:dashboard"), {"list": "consent-lapsed"})
    assert [d.pk for d in whole.context["listing"].rows] == [disclosure.pk]
    settings.DASHBOARD_RECENT_DAYS = 0
    assert client.get(reverse("oversight:dashboard")).context["board"].consent_lapsed.rows == []


# Issue 17, points 1 and 2: one thing a page; what no longer applies is not recorded.


def test_answers_that_no_longer_apply_are_not_recorded(practitioner_client, decision):
    """Changed from the check page: told after all (3.5.19), and by telephone (3.7.5), not by fax (3.7.6)."""
    tomorrow = timezone.localdate() + timedelta(days=1)
    fax = {
        "method": "fax",
        "method_detail": "01632 960 001",
        "checks_fax": ["number_checked", "cover_sheet", "safe_haven", "receipt_confirmed"],
        "onward_sharing": "yes",
        "onward_detail": "To the school nurse.",
        "informed": "no",
        "not_informed_reason": "Telling the mother now could alert her partner.",
        **date_fields("reconsider_on", tomorrow),
    }
    page = through_the_pages(practitioner_client, decision, disclosure_post(**fax), record=False)
    check = reverse("exchange:disclosure_page", args=[decision.pk, "check"])
    assert "Where it was sent" in reader_text(page.content.decode())
    practitioner_client.post(reverse("exchange:disclosure_page", args=[decision.pk, "method"]), {"method": "phone"})
    # The new method's checks are asked before the check page.
    assert practitioner_client.get(check).url == reverse("exchange:disclosure_page", args=[decision.pk, "checks"])
    response = practitioner_client.post(
        reverse("exchange:disclosure_page", args=[decision.pk, "checks"]),
        {"checks_phone": ["caller_verified", "written_record"]},
    )
    assert response.url == check
    practitioner_client.post(
        reverse("exchange:disclosure_page", args=[decision.pk, "onward"]), {"onward_sharing": "no"}
    )
    told = {"informed": "yes", **date_fields("informed_on", timezone.localdate()), "informed_by": "Priya Shah"}
    practitioner_client.post(reverse("exchange:disclosure_page", args=[decision.pk, "told"]), told)
    text = reader_text(practitioner_client.get(check).content.decode())
    assert "Where it was sent" not in text and "01632 960 001" not in text
    assert "Telling the mother now" not in text and "To the school nurse." not in text
    recorded = practitioner_client.post(check, {})
    disclosure = Disclosure.objects.get()
    assert recorded.url == reverse("exchange:disclosure_detail", args=[disclosure.pk])
    assert (disclosure.method, disclosure.method_detail, disclosure.checks) == (
        "phone",
        "",
        ["caller_verified", "written_record"],
    )
    assert (disclosure.onward_sharing, disclosure.onward_detail) == ("no", "")
    assert (disclosure.informed, disclosure.not_informed_reason, disclosure.reconsider_on) == (True, "", None)
    assert not DisclosureDraft.objects.exists(), "the draft goes with the recording"


def test_the_last_item_is_changed_not_removed_and_others_are(practitioner_client, decision):
    items_url = reverse("exchange:disclosure_page", args=[decision.pk, "items"])
    practitioner_client.get(reverse("exchange:disclosure_add", args=[decision.pk]))
    page = practitioner_client.get(items_url)
    assert "Remove" not in reader_text(page.content.decode())
    assert practitioner_client.post(items_url, {"add_another": "yes"}).url == reverse(
        "exchange:disclosure_item", args=[decision.pk, 2]
    )
    second = {"text": "The mother said she is worried.", "kind": "opinion"}
    practitioner_client.post(reverse("exchange:disclosure_item", args=[decision.pk, 2]), second)
    assert "Item 2 (opinion)" in reader_text(practitioner_client.get(items_url).content.decode())
    practitioner_client.post(items_url, {"remove": "1"})
    assert DisclosureDraft.objects.get().items == [second]
    practitioner_client.post(items_url, {"remove": "1"})
    assert DisclosureDraft.objects.get().items == [second], "the last item stays"
    missing = practitioner_client.post(reverse("exchange:disclosure_item", args=[decision.pk, 1]), {"text": "x"})
    assert missing.context["form"].errors["kind"] == [
        "Select whether the item is fact, opinion, hypothesis or a mixture"
    ]
    assert practitioner_client.get(reverse("exchange:disclosure_item", args=[decision.pk, 3])).status_code == 404


def test_the_draft_outlives_the_session(client, practitioner, decision):
    """Signed out part way (a time-out), the author carries on where they left off."""
    client.force_login(practitioner)
    through_the_pages(client, decision, disclosure_post(recipient_role=""))
    client.logout()
    client.force_login(practitioner)
    started = client.get(reverse("exchange:disclosure_add", args=[decision.pk]))
    assert started.url == reverse("exchange:disclosure_page", args=[decision.pk, "recipient"])
    page = client.get(started.url)
    assert page.context["form"].initial["recipient_agency"] == "Northgate NHS Foundation Trust"


def test_the_check_page_links_the_paragraphs_it_cites(practitioner_client, decision):
    """Issue 17, point 9: the checks' paragraph numbers link to the guidance shown in the service."""
    page = through_the_pages(practitioner_client, decision, disclosure_post(), record=False)
    html = page.content.decode()
    assert '<a class="govuk-link" href="/guidance/3.7.8/">guidance paragraph 3.7.8</a>' in html
    assert "Nadia Hughes" in reader_text(html)
