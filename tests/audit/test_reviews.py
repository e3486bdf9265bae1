"""A safeguarding lead reviews other people's decisions; reviews are append-only and entered in the log."""

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from ledger.models import Entry, ImmutableRecordError
from records.roles import Role
from sharing import services
from sharing.models import DecisionReview
from tests.factories import ChildFactory, StaffMembershipFactory
from tests.ledger_data import seal, verify_log
from tests.page_text import page_text
from tests.sharing.recorded import record_decision


@pytest.fixture
def child(agency):
    return ChildFactory(agency=agency)


@pytest.fixture
def decision(practitioner, child):
    return record_decision(user=practitioner, child=child)


def review_url(decision):
    return reverse("sharing:review_add", args=[decision.pk])


def test_a_lead_agrees_and_the_review_is_shown_with_the_decision(lead_client, lead, decision):
    response = lead_client.post(review_url(decision), {"outcome": "agree"})
    assert response.status_code == 302
    review = DecisionReview.objects.get()
    assert (review.reviewer, review.reviewer_role, review.outcome) == (lead, "Safeguarding lead", "agree")
    page = page_text(lead_client.get(reverse("sharing:decision_detail", args=[decision.pk])))
    assert "I agree with the decision" in page and f"Reviewed by {lead.full_name}" in page
    assert Entry.objects.filter(kind="review", record_id=str(review.pk)).count() == 1
    seal()
    report = verify_log()
    assert report.intact, report.first_problem


def test_comments_are_needed_to_agree_with_comments(lead_client, decision):
    response = lead_client.post(review_url(decision), {"outcome": "agree_with_comments", "comments": " "})
    assert response.status_code == 200
    assert "Enter your comments" in response.content.decode()
    assert not DecisionReview.objects.exists()


def test_disagreeing_needs_reasons_and_actions(lead_client, decision):
    response = lead_client.post(review_url(decision), {"outcome": "disagree"})
    page = response.content.decode()
    assert "Enter why you disagree with the decision" in page and "Enter what should happen now" in page
    lead_client.post(
        review_url(decision),
        {"outcome": "disagree", "reasons": "Consent was not sought.", "actions": "Seek consent by Friday."},
    )
    review = DecisionReview.objects.get()
    assert (review.reasons, review.actions, review.comments) == (
        "Consent was not sought.",
        "Seek consent by Friday.",
        "",
    )


def test_what_goes_with_another_answer_is_not_kept(lead_client, decision):
    lead_client.post(review_url(decision), {"outcome": "agree", "reasons": "typed then changed my mind"})
    assert DecisionReview.objects.get().reasons == ""


def test_a_forged_outcome_is_refused(lead_client, decision):
    response = lead_client.post(review_url(decision), {"outcome": "rubber_stamp"})
    assert "Select whether you agree with the decision" in response.content.decode()
    assert not DecisionReview.objects.exists()


def test_a_lead_cannot_review_their_own_decision(lead_client, lead, child):
    own = record_decision(user=lead, child=child)
    assert lead_client.get(review_url(own)).status_code == 403
    assert lead_client.post(review_url(own), {"outcome": "agree"}).status_code == 403
    assert (
        "Review this decision"
        not in lead_client.get(reverse("sharing:decision_detail", args=[own.pk])).content.decode()
    )
    with pytest.raises(services.OwnDecision):
        services.review_record(decision=own, user=lead, outcome="agree")
    assert not DecisionReview.objects.exists()


def test_practitioners_and_other_agencies_cannot_review(client, practitioner, other_agency, decision):
    client.force_login(practitioner)
    assert client.get(review_url(decision)).status_code == 403
    other_lead = StaffMembershipFactory(agency=other_agency, role=Role.SAFEGUARDING_LEAD).user
    client.force_login(other_lead)
    assert client.get(review_url(decision)).status_code == 404


def test_two_leads_can_each_review_and_neither_replaces_the_other(client, agency, lead, decision):
    second = StaffMembershipFactory(agency=agency, role=Role.SAFEGUARDING_LEAD).user
    services.review_record(decision=decision, user=lead, outcome="agree")
    services.review_record(decision=decision, user=second, outcome="disagree", reasons="r", actions="a")
    assert [r.reviewer for r in decision.reviews.order_by("recorded_at", "id")] == [lead, second]


def test_reviews_cannot_be_changed_or_deleted(lead, decision):
    review = services.review_record(decision=decision, user=lead, outcome="agree")
    review.outcome = "disagree"
    with pytest.raises(ImmutableRecordError):
        review.save()
    with pytest.raises(ImmutableRecordError):
        DecisionReview.objects.all().delete()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE sharing_decisionreview SET outcome = 'disagree'")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM sharing_decisionreview")
