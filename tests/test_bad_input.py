"""Bad input on any form gets a page with messages, never a server error."""

import pytest
from django.urls import reverse

from exchange import disclosure_drafts
from tests.consent.consent_data import record_consent
from tests.delivery.sent import send
from tests.exchange.through_service_data import sent_about
from tests.factories import AgencyFactory, ChildFactory, RelationshipFactory, StaffMembershipFactory
from tests.sharing.recorded import record_decision

FIELD_NAMES = [
    "given_name",
    "family_name",
    "born",
    "sex",
    "nhs_number",
    "date_of_birth_0",
    "date_of_birth_1",
    "date_of_birth_2",
    "about",
    "responder",
    "response",
    "explicitness",
    "responded_on_0",
    "responded_on_1",
    "responded_on_2",
    "review_on_0",
    "review_on_2",
    "received_on_0",
    "received_time",
    "channel",
    "requester_known",
    "risk_level",
    "method",
    "informed",
    "informed_on_0",
    "disclosed_time",
    "item_1_kind",
    "item_rows",
    "status",
    "consent_record",
    "outcome",
    "decided_time",
    "relationship",
    "adult",
    "name",
    "parental_responsibility",
    "lives_with_child",
    "direction",
    "adults",
    "legal_bases",
    "text",
    "send_to_agency",
    "send_to_person",
    "keep_until_0",
]

GARBAGE = [
    {},
    {"__all__": "x", "csrfmiddlewaretoken": "nonsense"},
    dict.fromkeys(FIELD_NAMES, "\x00<script>alert(1)</script>' OR 1=1 --"),
    {"date_of_birth_0": "99", "date_of_birth_1": "99", "date_of_birth_2": "99999", "item_rows": "99999999999"},
    {"received_time": "24:61", "decided_time": "-1:-1", "disclosed_time": "noon", "responded_on_2": "0"},
    {"given_name": "x" * 100_000, "purpose": "y" * 100_000},
]


@pytest.fixture
def pages(agency, practitioner, other_agency, other_practitioner):
    child = ChildFactory(agency=agency)
    link = RelationshipFactory(child=child)
    consent = record_consent(user=practitioner, child=child, responder=link.adult)
    decision = record_decision(user=practitioner, child=child)
    # Disclosures sent through the service (ADR 27): one sent, and one received by name.
    sent = send(practitioner, record_decision(user=practitioner, child=child), to_agency=other_agency)
    other_decision = record_decision(user=other_practitioner, child=ChildFactory(agency=other_agency))
    received = send(other_practitioner, other_decision, to_agency=agency, to_person=practitioner)
    disclosure_drafts.draft_start(user=practitioner, decision=decision)
    sender = StaffMembershipFactory(agency=AgencyFactory()).user
    received_request = sent_about(sender, ChildFactory(agency=sender.agency), agency)
    return [
        reverse("records:child_search"),
        reverse("records:child_add"),
        reverse("records:child_change", args=[child.pk]),
        reverse("records:adult_add", args=[child.pk]),
        reverse("records:adult_change", args=[child.pk, link.pk]),
        reverse("records:adult_link", args=[child.pk]),
        reverse("sharing:start", args=[child.pk]),
        reverse("consent:add", args=[child.pk]),
        reverse("consent:withdraw", args=[consent.pk]),
        reverse("exchange:request_add", args=[child.pk]),
        # Recording a disclosure, a page at a time: an item, the list of them, and a page of its own.
        reverse("exchange:disclosure_item", args=[decision.pk, 1]),
        reverse("exchange:disclosure_page", args=[decision.pk, "items"]),
        reverse("exchange:disclosure_page", args=[decision.pk, "told"]),
        reverse("exchange:disclosure_page", args=[decision.pk, "send-to"]),
        reverse("exchange:disclosure_page", args=[decision.pk, "keep-until"]),
        reverse("delivery:send", args=[decision.pk]),
        reverse("delivery:sent_detail", args=[sent.disclosure_id]),
        reverse("delivery:received_detail", args=[received.pk]),
        reverse("delivery:received_acknowledge", args=[received.pk]),
        reverse("sharing:addendum_add", args=[decision.pk]),
        # A request sent through this service (ADR 26): asked, then received, searched for, matched, not known.
        reverse("exchange:sent_request_add", args=[child.pk]),
        reverse("exchange:received_detail", args=[received_request.pk]),
        reverse("exchange:received_match", args=[received_request.pk]),
        reverse("exchange:received_not_known", args=[received_request.pk]),
    ]


@pytest.mark.parametrize("payload", range(len(GARBAGE)))
def test_no_form_answers_bad_input_with_a_server_error(practitioner_client, pages, payload):
    for url in pages:
        response = practitioner_client.post(url, GARBAGE[payload])
        assert response.status_code in {200, 302, 400}, f"{url} answered {response.status_code}"


@pytest.mark.parametrize("payload", range(len(GARBAGE)))
def test_no_question_page_answers_bad_input_with_a_server_error(practitioner_client, agency, payload):
    from sharing.guidance import QuestionKey
    from sharing.models import DecisionDraft
    from tests.sharing.recorded import complete_answers

    child = ChildFactory(agency=agency)
    url = practitioner_client.post(reverse("sharing:start", args=[child.pk]), {"direction": "proposing"}).url
    draft = DecisionDraft.objects.get()
    # Every question reachable: answers for the public-interest path.
    draft.answers = {str(k): v for k, v in complete_answers().items()}
    draft.answers[QuestionKey.IDENTIFIABLE] = {"identifies_person": True, "who_identified": "x", "anonymisation": ""}
    draft.answers[QuestionKey.CONFIDENTIAL] = {"confidentiality": "formal", "reason": "x"}
    draft.answers[QuestionKey.CONSENT] = {"status": "refused", "consent_record": ""}
    draft.answers[QuestionKey.STATUTORY] = {"duty": "none", "reference": ""}
    draft.answers[QuestionKey.PUBLIC_INTEREST] = {"advice_sought": False}
    draft.save()
    for question in QuestionKey:
        question_url = reverse("sharing:question", args=[draft.pk, question])
        response = practitioner_client.post(question_url, GARBAGE[payload])
        assert response.status_code in {200, 302, 400}, f"{question} answered {response.status_code}"
    assert url
