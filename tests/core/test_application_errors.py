"""A write the service refuses after the page's own checks passed is shown to the person, never a 500 (issue 16).

The view checks what it can, then calls the service, which checks again
inside its transaction: someone may have acted in between. Each test here
makes that happen between the two, as another tab or another person would,
and reads the page the person gets.
"""

import pytest
from django.urls import reverse
from django.utils import timezone

from advice import services as advice_services
from consent import services as consent_services
from core.errors import ApplicationError
from exchange import services as exchange_services
from exchange.models import Disclosure, DisclosureDraft
from sharing import services as sharing_services
from sharing.guidance import QuestionKey
from sharing.models import SharingDecision
from tests.consent.consent_data import record_consent
from tests.exchange.recorded import disclosure_post, through_the_pages
from tests.factories import ChildFactory, RelationshipFactory
from tests.page_text import reader_text
from tests.sharing.recorded import complete_draft, record_decision, relying_on_consent


@pytest.fixture
def child(agency):
    return ChildFactory(agency=agency)


@pytest.fixture
def mother(child):
    return RelationshipFactory(child=child, adult__given_name="Kelly", adult__family_name="Turner").adult


@pytest.mark.parametrize(
    "refusal",
    [
        sharing_services.DraftIncomplete,
        sharing_services.OwnDecision,
        exchange_services.NotAllowed,
        consent_services.AlreadySuperseded,
        advice_services.AdviceClosed,
        advice_services.NotAnAdviser,
        advice_services.DecisionRecorded,
    ],
)
def test_the_refusals_of_the_services_are_one_kind_of_error(refusal):
    assert issubclass(refusal, ApplicationError)


def test_a_draft_changed_in_another_tab_while_it_is_recorded_is_not_recorded_and_says_why(
    practitioner_client, practitioner, child, monkeypatch
):
    draft = complete_draft(user=practitioner, child=child)
    check_url = reverse("sharing:check", args=[draft.pk])
    assert practitioner_client.get(check_url).status_code == 200
    recording = sharing_services.decision_record

    def after_question_2_is_answered_again_in_another_tab(*, draft, user):
        # The check page found the draft complete; now it identifies the child, so question 3 is asked.
        identifies = {"identifies_person": True, "who_identified": "The child", "anonymisation": ""}
        sharing_services.draft_save_answers(draft=draft, question=QuestionKey.IDENTIFIABLE, answers=identifies)
        return recording(draft=draft, user=user)

    monkeypatch.setattr(sharing_services, "decision_record", after_question_2_is_answered_again_in_another_tab)
    response = practitioner_client.post(check_url, HTTP_REFERER=f"http://testserver{check_url}")

    assert response.status_code == 409
    text = reader_text(response.content.decode())
    assert "There is a problem" in text
    assert 'Question 3, "Is the information confidential?", needs an answer before the decision can be recorded' in text
    assert "This has not been recorded" in text
    assert response.context["back_url"] == f"http://testserver{check_url}"
    assert not SharingDecision.objects.exists()
    # Back on the check page, the question still to answer is asked.
    question_3 = reverse("sharing:question", args=[draft.pk, QuestionKey.CONFIDENTIAL])
    assert practitioner_client.get(check_url).url.startswith(question_3)


def test_consent_withdrawn_while_a_disclosure_is_recorded_refuses_it_and_keeps_what_was_typed(
    practitioner_client, practitioner, child, mother, monkeypatch
):
    record = record_consent(user=practitioner, child=child, responder=mother)
    decision = record_decision(user=practitioner, child=child, **relying_on_consent(record))
    recording = exchange_services.disclosure_record

    def after_another_practitioner_records_the_withdrawal(**kwargs):
        withdrawal = consent_services.WithdrawalDetails(
            responded_on=timezone.localdate(), explicitness="explicit", form="verbal", how_signalled="Rang the office."
        )
        consent_services.consent_withdraw(user=practitioner, record=record, details=withdrawal)
        return recording(**kwargs)

    monkeypatch.setattr(exchange_services, "disclosure_record", after_another_practitioner_records_the_withdrawal)
    typed = "Police attended the home on 2 November; the mother's partner was arrested."
    through_the_pages(
        practitioner_client, decision, disclosure_post(item_1_text=typed, consent_limits_told="on"), record=False
    )
    check = reverse("exchange:disclosure_page", args=[decision.pk, "check"])
    response = practitioner_client.post(check, {}, HTTP_REFERER=f"http://testserver{check}")

    assert response.status_code == 409
    text = reader_text(response.content.decode())
    assert (
        "The consent this decision relied on has been withdrawn (3.3.22). Nothing more should be disclosed under this "
        "decision: make a new decision, or, if this disclosure goes ahead on another basis, record why."
    ) in text
    assert not Disclosure.objects.exists()
    # What was typed is kept in the draft: back on the check page, why it goes ahead is asked first (3.3.22).
    assert response.context["back_url"] == f"http://testserver{check}"
    lapsed = reverse("exchange:disclosure_page", args=[decision.pk, "consent-lapsed"])
    assert practitioner_client.get(check).url == lapsed
    kept = DisclosureDraft.objects.get(decision=decision)
    assert kept.items[0]["text"] == typed
    assert kept.typed["recipient_name"] == ["Nadia Hughes"]
