"""Question 4 answered with consent records (3.3.14-3.3.22)."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from consent import services as consent_services
from sharing.models import SharingDecision
from tests.consent.consent_data import consent_details, record_consent, withdraw_consent
from tests.consent.consent_post_data import consent_post, through_the_pages
from tests.factories import ChildFactory, RelationshipFactory
from tests.page_text import page_text
from tests.sharing import answers as A


@pytest.fixture
def mother(child):
    return RelationshipFactory(child=child).adult


def start(client, child):
    url = client.post(reverse("sharing:start", args=[child.pk]), {"direction": "proposing"}).url
    for data in (A.purpose(), A.identifiable(), A.confidential()):
        url = A.send_question(client, url, data).url
    assert url.endswith("/consent/")
    return url


def post_consent(client, url, record, **overrides):
    """Question 4 answered with ``record``, from its first page at ``url`` through the pages it asks."""
    data = {"status": "obtained", "consent_record": str(record.pk), "consent_covers": "yes", **overrides}
    return A.send_question(client, url, data)


def records_page(client, url, status="obtained") -> str:
    """From question 4's first page at ``url``, answered ``status``: the address of its page of consent records."""
    return client.post(url, {"status": status}).url


def test_only_current_consents_are_offered(practitioner_client, practitioner, child, mother):
    withdrawn = record_consent(user=practitioner, child=child, responder=mother)
    consent_services.consent_withdraw(
        user=practitioner,
        record=withdrawn,
        details=consent_services.WithdrawalDetails(
            responded_on=timezone.localdate(), explicitness="implied", form="", how_signalled="x"
        ),
    )
    current = record_consent(user=practitioner, child=child)
    page = practitioner_client.get(records_page(practitioner_client, start(practitioner_client, child)))
    offered = [key for key, _ in page.context["form"].fields["consent_record"].choices]
    assert offered == [str(current.pk)]


def test_consent_recorded_from_the_flow_returns_to_question_4_with_it_chosen(practitioner_client, child):
    url = start(practitioner_client, child)
    draft_id = url.split("/")[-3]
    page = practitioner_client.get(records_page(practitioner_client, url)).content.decode()
    add_url = reverse("consent:add", args=[child.pk]) + f"?draft={draft_id}"
    assert add_url in page.replace("&amp;", "&")
    response = through_the_pages(practitioner_client, add_url, consent_post())
    assert response.url.startswith(url + "?consent=")
    back = practitioner_client.get(response.url, follow=True)
    record_id = response.url.split("=")[-1]
    assert back.context["form"].initial["consent_record"] == record_id
    chosen = {"status": "obtained", "consent_record": record_id, "consent_covers": "yes"}
    next_url = A.send_question(practitioner_client, url, chosen).url
    assert next_url.endswith("/sharing/")


def test_a_refusal_cannot_be_used_as_consent(practitioner_client, practitioner, child, mother):
    refusal = record_consent(user=practitioner, child=child, responder=mother, response="refused", review_on=None)
    response = post_consent(practitioner_client, start(practitioner_client, child), refusal)
    assert "That record is a consent refused, not given" in page_text(response)


def test_a_competent_childs_refusal_counts_even_when_a_parent_agrees(practitioner_client, practitioner, child, mother):
    refused = record_consent(user=practitioner, child=child, response="refused", review_on=None)
    parent = record_consent(user=practitioner, child=child, responder=mother)
    url = start(practitioner_client, child)
    response = post_consent(practitioner_client, url, parent)
    page = page_text(response)
    assert "the child's refusal is what counts, even if a parent agrees. Choose" in page
    # 19: the error says how to fix it, and the fix it names is accepted.
    on = f"{refused.responded_on:%-d %B %Y}"
    message = (
        f"{child.full_name}, judged competent, refused consent on {on}: the child's refusal is what counts, even if a "
        f'parent agrees. Choose "Consent was sought and refused", then {child.full_name}\'s refusal of {on}'
    )
    assert response.context["form"].errors == {"consent_record": [message]}
    assert message in page.splitlines()
    fixed = A.send_question(practitioner_client, url, {"status": "refused", "consent_record": str(refused.pk)})
    assert fixed.status_code == 302, fixed.context["form"].errors


def test_3_3_15_a_16_year_olds_own_refusal_counts_without_an_assessment(practitioner_client, practitioner, agency):
    today = timezone.localdate()
    young_person = ChildFactory(agency=agency, date_of_birth=today.replace(year=today.year - 16) - timedelta(days=30))
    mother = RelationshipFactory(child=young_person).adult
    refused = consent_services.consent_record(
        user=practitioner,
        child=young_person,
        details=consent_details(response="refused", review_on=None),  # no assessment of understanding
    )
    assert refused.child_competent is None
    parent = record_consent(user=practitioner, child=young_person, responder=mother)
    response = post_consent(practitioner_client, start(practitioner_client, young_person), parent)
    on = f"{refused.responded_on:%-d %B %Y}"
    assert response.context["form"].errors == {
        "consent_record": [
            f"{young_person.full_name}, aged 16, refused consent on {on}: the child's refusal is what counts, even "
            f'if a parent agrees. Choose "Consent was sought and refused", then {young_person.full_name}\'s '
            f"refusal of {on}"
        ]
    }


def test_consent_that_does_not_cover_the_purpose_is_treated_as_no_consent(practitioner_client, practitioner, child):
    record = record_consent(user=practitioner, child=child)
    url = start(practitioner_client, child)
    next_url = post_consent(practitioner_client, url, record, consent_covers="no").url
    assert next_url.endswith("/statutory/"), "3.3.22: ask again, or decide as without consent"
    page = page_text(practitioner_client.get(url + "?from=check"))
    assert "a significant change in use means seeking consent again" in page


def test_a_consent_past_its_review_date_is_flagged(practitioner_client, practitioner, child):
    old = timezone.localdate() - timedelta(days=400)
    record = record_consent(
        user=practitioner, child=child, responded_on=old, review_on=timezone.localdate() - timedelta(days=1)
    )
    url = start(practitioner_client, child)
    sharing_url = post_consent(practitioner_client, url, record).url
    check = sharing_url
    for data in (A.sharing(recipient_agency_kind="health"), A.decision()):
        check = A.send_question(practitioner_client, check, data).url
    page = page_text(practitioner_client.get(check))
    assert "was due for review" in page


def lead_board(lead):
    client = Client()
    client.force_login(lead)
    return client.get(reverse("oversight:dashboard")).context["board"]


def test_sharing_with_an_agency_the_consent_does_not_name_goes_on_as_without_consent(
    practitioner_client, practitioner, lead, child
):
    """3.3.14, 3.3.22, 3.3.28: questions 5 and 6 are asked, and the lead sees it among decisions without consent."""
    record = record_consent(user=practitioner, child=child, scope_recipient_kinds=["health"])
    url = post_consent(practitioner_client, start(practitioner_client, child), record).url
    assert url.endswith("/sharing/")
    # The consent does not name the police: the limits of consent are not asked for, and question 5 comes next.
    statutory = A.send_question(
        practitioner_client, url, A.sharing(recipient_agency_kind="police", consent_limits_explained="")
    )
    assert statutory.url.endswith("/statutory/")
    page = page_text(practitioner_client.get(statutory.url))
    assert "the person was not told their information might go there" in page
    assert "This decision goes on as one without consent" in page
    public_interest = practitioner_client.post(statutory.url, A.statutory()).url
    assert public_interest.endswith("/public-interest/")
    assert "goes on as one without consent" in page_text(practitioner_client.get(public_interest))
    # Back to question 7 where it was left, with what was given there kept.
    sharing = A.send_question(practitioner_client, public_interest, A.public_interest()).url
    assert sharing.endswith("/sharing/method/")
    decision = A.send_question(practitioner_client, sharing, A.sharing(consent_limits_explained="")).url
    onward = page_text(practitioner_client.get(sharing.replace("/method/", "/onward/")))
    assert "The recipient understands the limits of the consent that was given" not in onward
    check = A.send_question(practitioner_client, decision, A.decision()).url
    assert check.endswith("/check/")
    page = page_text(practitioner_client.get(check))
    assert "does not cover sharing with this kind of agency, so the decision is without consent" in page
    practitioner_client.post(check)
    decision = SharingDecision.objects.get()
    assert [a.question_number for a in decision.answers.all()] == [1, 2, 3, 4, 5, 6, 7, 8]
    assert "consent_limits_explained" not in decision.answers.get(question_number=7).answers
    assert decision.recorded_by == practitioner
    assert [d.pk for d in lead_board(lead).without_consent.rows] == [decision.pk]


def test_sharing_with_an_agency_the_consent_names_relies_on_it(practitioner_client, practitioner, lead, child):
    record = record_consent(user=practitioner, child=child, scope_recipient_kinds=["health"])
    url = post_consent(practitioner_client, start(practitioner_client, child), record).url
    decision_url = A.send_question(practitioner_client, url, A.sharing(recipient_agency_kind="health")).url
    assert decision_url.endswith("/decision/")
    practitioner_client.post(A.send_question(practitioner_client, decision_url, A.decision()).url)
    decision = SharingDecision.objects.get()
    assert [a.question_number for a in decision.answers.all()] == [1, 2, 3, 4, 7, 8]
    assert decision.recorded_by == practitioner
    assert lead_board(lead).without_consent.rows == []


def test_withdrawal_after_a_share_leaves_the_decision_as_recorded(practitioner_client, practitioner, child):
    record = record_consent(user=practitioner, child=child)
    url = post_consent(practitioner_client, start(practitioner_client, child), record).url
    for data in (A.sharing(), A.decision()):
        url = A.send_question(practitioner_client, url, data).url
    decision_url = practitioner_client.post(url).url
    decision = SharingDecision.objects.get()
    consent_line = dict(decision.answers.get(question_number=4).summary)["Consent record"]
    assert consent_line.startswith("Given by Ellie")
    withdraw_consent(user=practitioner, record=record)
    # Compared as a reader sees the page: a name such as O'Sullivan is escaped in the HTML.
    assert " ".join(consent_line.split()) in page_text(practitioner_client.get(decision_url))
    child_page = page_text(practitioner_client.get(reverse("oversight:child_detail", args=[child.pk])))
    assert "Withdrawn" in child_page


def test_consent_withdrawn_before_the_decision_is_recorded_sends_the_practitioner_back(
    practitioner_client, practitioner, child
):
    record = record_consent(user=practitioner, child=child)
    url = post_consent(practitioner_client, start(practitioner_client, child), record).url
    for data in (A.sharing(), A.decision()):
        url = A.send_question(practitioner_client, url, data).url
    assert url.endswith("/check/")
    withdraw_consent(user=practitioner, record=record)
    response = practitioner_client.post(url)
    assert response.url.endswith("/consent/?from=check")
    assert not SharingDecision.objects.exists()
    page = page_text(practitioner_client.get(response.url))
    assert "has since been withdrawn or replaced" in page
