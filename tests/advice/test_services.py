"""Asking for advice about a draft and answering: records written once, in the log, to the agency's own staff."""

from datetime import timedelta

import pytest
from django.utils import timezone

from advice import advisers, selectors, services
from advice.advisers import AskedOf, Urgency
from advice.models import AdviceAnswer, AdviceRequest
from advice.rules import colleague
from ledger.models import Entry, ImmutableRecordError
from records.roles import Role
from sharing import services as sharing_services
from tests.advice.asked import ADVICE, QUESTION, answer, ask, to_lead
from tests.factories import ChildFactory, StaffMembershipFactory
from tests.sharing.recorded import complete_draft


@pytest.fixture
def child(agency):
    return ChildFactory(agency=agency)


@pytest.fixture
def draft(practitioner, child):
    return complete_draft(user=practitioner, child=child)


@pytest.fixture
def guardian(agency):
    return StaffMembershipFactory(agency=agency, role=Role.PRACTITIONER, is_caldicott_guardian=True).user


def test_asking_records_the_question_to_whom_and_how_urgent_as_they_were_then(
    settings, practitioner, lead, draft, child
):
    settings.ADVICE_URGENT_ANSWER_WITHIN_HOURS = 3
    before = timezone.now()
    advice = ask(practitioner, draft, to=to_lead(lead), urgency=Urgency.URGENT)
    advice = AdviceRequest.objects.get(pk=advice.pk)
    assert (advice.draft, advice.child, advice.agency) == (draft, child, draft.agency)
    assert (advice.asked_by, advice.asker_name, advice.asker_role) == (
        practitioner,
        practitioner.full_name,
        "Practitioner",
    )
    assert (advice.asked_of, advice.adviser) == (AskedOf.NAMED_LEAD, lead)
    assert advice.addressed_to == f"{lead.full_name}, safeguarding lead (Designated safeguarding lead)"
    assert advice.question == QUESTION
    assert advice.urgency == Urgency.URGENT
    assert before <= advice.asked_at <= timezone.now()
    assert advice.answer_by == advice.asked_at + timedelta(hours=3)
    assert Entry.objects.filter(kind="advice request", record_id=str(advice.pk)).exists()


def test_a_request_to_a_role_names_who_holds_it_then(practitioner, lead, guardian, draft, agency):
    to_guardian = ask(practitioner, draft, to=str(AskedOf.CALDICOTT_GUARDIAN))
    to_any = ask(practitioner, draft, to=str(AskedOf.ANY_LEAD), urgency=Urgency.ROUTINE)
    assert (to_guardian.adviser, to_guardian.addressed_to) == (
        None,
        f"The agency's Caldicott Guardian ({guardian.full_name})",
    )
    assert to_any.addressed_to == f"Any safeguarding lead of {agency.name} ({lead.full_name})"
    assert to_any.answer_by == to_any.asked_at + timedelta(hours=24)


def test_only_a_colleague_the_rules_offer_can_be_asked(practitioner, lead, draft, other_agency):
    other_lead = StaffMembershipFactory(agency=other_agency, role=Role.SAFEGUARDING_LEAD).user
    colleague_practitioner = StaffMembershipFactory(agency=draft.agency, role=Role.PRACTITIONER).user
    for to in (
        to_lead(other_lead),  # another agency's lead
        to_lead(colleague_practitioner),  # not a lead
        to_lead(practitioner),  # oneself
        str(AskedOf.CALDICOTT_GUARDIAN),  # the agency has none
        "professional_body",
    ):
        with pytest.raises(services.NotAnAdviser):
            ask(practitioner, draft, to=to)
    assert not AdviceRequest.objects.exists()


def test_no_advice_is_asked_about_a_recorded_decision(practitioner, lead, draft):
    sharing_services.decision_record(draft=draft, user=practitioner)
    with pytest.raises(services.DecisionRecorded):
        ask(practitioner, draft)


def test_answering_records_the_advice_who_gave_it_in_what_capacity_and_the_draft_they_read(
    practitioner, lead, guardian, draft
):
    advice = ask(practitioner, draft, to=str(AskedOf.CALDICOTT_GUARDIAN))
    given = answer(guardian, advice)
    given = AdviceAnswer.objects.get(pk=given.pk)
    assert (given.request, given.answered_by, given.adviser_name) == (advice, guardian, guardian.full_name)
    assert (given.adviser_role, given.adviser_capacity, given.advice) == ("Practitioner", "Caldicott Guardian", ADVICE)
    draft.refresh_from_db()
    assert given.draft_saved_at == draft.updated_at
    assert Entry.objects.filter(kind="advice answer", record_id=str(given.pk)).exists()


def test_asking_and_answering_are_never_changed(practitioner, lead, draft):
    advice = ask(practitioner, draft)
    given = answer(lead, advice)
    for record in (advice, given):
        with pytest.raises(ImmutableRecordError):
            record.save()
        with pytest.raises(ImmutableRecordError):
            type(record).objects.filter(pk=record.pk).update(asked_at=timezone.now())
        with pytest.raises(ImmutableRecordError):
            record.delete()


def test_a_request_is_answered_once(practitioner, lead, draft, agency):
    second_lead = StaffMembershipFactory(agency=agency, role=Role.SAFEGUARDING_LEAD).user
    advice = ask(practitioner, draft, to=str(AskedOf.ANY_LEAD))
    answer(lead, advice)
    with pytest.raises(services.AdviceClosed):
        answer(second_lead, advice, "A second view.")
    assert AdviceAnswer.objects.filter(request=advice).count() == 1


def test_no_answer_once_the_decision_is_recorded(practitioner, lead, draft):
    advice = ask(practitioner, draft)
    sharing_services.decision_record(draft=draft, user=practitioner)
    with pytest.raises(services.AdviceClosed):
        answer(lead, advice)


def test_only_whom_it_was_addressed_to_answers(practitioner, lead, guardian, draft, agency):
    other_lead = StaffMembershipFactory(agency=agency, role=Role.SAFEGUARDING_LEAD).user
    to_other = ask(practitioner, draft, to=to_lead(other_lead))
    to_guardian = ask(practitioner, draft, to=str(AskedOf.CALDICOTT_GUARDIAN))
    for user, advice in ((lead, to_other), (lead, to_guardian), (practitioner, to_other), (guardian, to_other)):
        with pytest.raises(services.NotAnAdviser):
            answer(user, advice)
    assert not AdviceAnswer.objects.exists()


def test_the_query_of_requests_a_person_may_answer_is_the_rule(practitioner, lead, guardian, draft, agency):
    """advice.selectors.answerable_by mirrors advisers.may_answer: pinned together over every pairing."""
    information_officer = StaffMembershipFactory(
        agency=agency, role=Role.SAFEGUARDING_LEAD, is_lead_information_officer=True
    ).user
    colleague_practitioner = StaffMembershipFactory(agency=agency, role=Role.PRACTITIONER).user
    asked = [
        ask(practitioner, draft, to=to_lead(lead)),
        ask(practitioner, draft, to=to_lead(information_officer)),
        ask(practitioner, draft, to=str(AskedOf.CALDICOTT_GUARDIAN)),
        ask(practitioner, draft, to=str(AskedOf.LEAD_INFORMATION_OFFICER)),
        ask(practitioner, draft, to=str(AskedOf.ANY_LEAD)),
        ask(lead, complete_draft(user=lead, child=draft.child), to=str(AskedOf.ANY_LEAD)),
    ]
    for user in (practitioner, lead, guardian, information_officer, colleague_practitioner):
        by_query = set(AdviceRequest.objects.filter(selectors.answerable_by(user)))
        by_rule = {
            advice
            for advice in asked
            if advisers.may_answer(
                asked_of=advice.asked_of_choice,
                adviser_id=advice.adviser_id,
                asked_by_id=advice.asked_by_id,
                colleague=colleague(user.membership),
            )
        }
        assert by_query == by_rule, user.membership
    # Not vacuous: the lead answers the request to them and the practitioner's to any lead (not their own);
    # the information officer, also a lead, those to them, to their role and both to any lead.
    assert AdviceRequest.objects.filter(selectors.answerable_by(lead)).count() == 2
    assert AdviceRequest.objects.filter(selectors.answerable_by(information_officer)).count() == 4


def test_the_query_of_overdue_requests_is_the_rule(settings, practitioner, lead, draft, child):
    settings.ADVICE_URGENT_ANSWER_WITHIN_HOURS = 2
    urgent = ask(practitioner, draft, urgency=Urgency.URGENT)
    routine = ask(practitioner, draft, urgency=Urgency.ROUTINE)
    answered = ask(practitioner, draft, urgency=Urgency.URGENT)
    answer(lead, answered)
    recorded_draft = complete_draft(user=practitioner, child=child)
    recorded = ask(practitioner, recorded_draft, urgency=Urgency.URGENT)
    sharing_services.decision_record(draft=recorded_draft, user=practitioner)
    later = timezone.now() + timedelta(hours=3)
    by_query = set(AdviceRequest.objects.filter(selectors.overdue(later)))
    by_rule = {
        advice
        for advice in (urgent, routine, answered, recorded)
        if advisers.is_overdue(
            answer_by=advice.answer_by,
            now=later,
            answered=AdviceAnswer.objects.filter(request=advice).exists(),
            decision_recorded=AdviceRequest.objects.get(pk=advice.pk).draft.decision_id is not None,
        )
    }
    assert by_query == by_rule == {urgent}
