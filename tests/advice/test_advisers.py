"""The advice rules (advice/advisers.py): whom a practitioner may ask, who may answer, and by when."""

from datetime import UTC, datetime, timedelta

from advice import advisers
from advice.advisers import AskedOf, Colleague, Urgency


def colleague(id, name, *, lead=False, caldicott=False, information_officer=False, job_title=""):
    return Colleague(
        id=id,
        name=name,
        job_title=job_title,
        is_lead=lead,
        is_caldicott_guardian=caldicott,
        is_lead_information_officer=information_officer,
    )


PRIYA = colleague(1, "Priya Shah")
LAURA = colleague(2, "Laura Bennett", lead=True, information_officer=True, job_title="Designated safeguarding lead")
OMAR = colleague(3, "Omar Reid", lead=True)
SAM = colleague(4, "Sam Patel", caldicott=True)
STAFF = [PRIYA, LAURA, OMAR, SAM]


def offered(asker, staff=STAFF):
    return [(choice.asked_of, choice.adviser and choice.adviser.name, [r.name for r in choice.readers])
            for choice in advisers.choices_for(asker_id=asker.id, colleagues=staff)]  # fmt: skip


def test_a_practitioner_may_ask_each_lead_by_name_the_caldicott_guardian_the_information_officer_or_any_lead():
    # 3.5.17 (Caldicott Guardian), 3.5.18 (the lead for child protection), 3.2.4 (lead information officer).
    assert offered(PRIYA) == [
        (AskedOf.NAMED_LEAD, "Laura Bennett", ["Laura Bennett"]),
        (AskedOf.NAMED_LEAD, "Omar Reid", ["Omar Reid"]),
        (AskedOf.CALDICOTT_GUARDIAN, None, ["Sam Patel"]),
        (AskedOf.LEAD_INFORMATION_OFFICER, None, ["Laura Bennett"]),
        (AskedOf.ANY_LEAD, None, ["Laura Bennett", "Omar Reid"]),
    ]


def test_nobody_is_offered_themselves():
    assert offered(LAURA) == [
        (AskedOf.NAMED_LEAD, "Omar Reid", ["Omar Reid"]),
        (AskedOf.CALDICOTT_GUARDIAN, None, ["Sam Patel"]),
        (AskedOf.ANY_LEAD, None, ["Omar Reid"]),
    ]


def test_a_role_nobody_holds_is_not_offered():
    assert offered(PRIYA, [PRIYA, OMAR]) == [
        (AskedOf.NAMED_LEAD, "Omar Reid", ["Omar Reid"]),
        (AskedOf.ANY_LEAD, None, ["Omar Reid"]),
    ]
    assert offered(PRIYA, [PRIYA]) == []


def test_a_choice_is_sent_as_its_role_or_as_the_named_lead():
    named, *_rest, any_lead = advisers.choices_for(asker_id=PRIYA.id, colleagues=STAFF)
    assert (named.value, any_lead.value) == ("named_lead:2", "any_lead")


def may_answer(asked_of, colleague, adviser_id=None, asked_by=PRIYA):
    return advisers.may_answer(asked_of=asked_of, adviser_id=adviser_id, asked_by_id=asked_by.id, colleague=colleague)


def test_a_named_lead_alone_answers_a_request_to_them():
    assert may_answer(AskedOf.NAMED_LEAD, OMAR, adviser_id=OMAR.id)
    assert not may_answer(AskedOf.NAMED_LEAD, LAURA, adviser_id=OMAR.id)


def test_a_request_to_a_role_is_answered_by_whoever_holds_it():
    assert may_answer(AskedOf.CALDICOTT_GUARDIAN, SAM)
    assert not may_answer(AskedOf.CALDICOTT_GUARDIAN, LAURA)
    assert may_answer(AskedOf.LEAD_INFORMATION_OFFICER, LAURA)
    assert not may_answer(AskedOf.LEAD_INFORMATION_OFFICER, OMAR)
    assert may_answer(AskedOf.ANY_LEAD, LAURA) and may_answer(AskedOf.ANY_LEAD, OMAR)
    assert not may_answer(AskedOf.ANY_LEAD, SAM) and not may_answer(AskedOf.ANY_LEAD, PRIYA)


def test_nobody_answers_their_own_request():
    assert not may_answer(AskedOf.ANY_LEAD, LAURA, asked_by=LAURA)
    assert not may_answer(AskedOf.NAMED_LEAD, LAURA, adviser_id=LAURA.id, asked_by=LAURA)


ASKED = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
HOURS = {Urgency.URGENT: 4, Urgency.ROUTINE: 24}


def test_the_answer_is_due_within_the_hours_set_for_its_urgency():
    assert advisers.answer_by(asked_at=ASKED, urgency=Urgency.URGENT, within_hours=HOURS) == ASKED + timedelta(hours=4)
    assert advisers.answer_by(asked_at=ASKED, urgency=Urgency.ROUTINE, within_hours=HOURS) == ASKED + timedelta(days=1)


def test_a_request_is_overdue_when_still_open_at_the_time_its_answer_was_due():
    due = ASKED + timedelta(hours=4)

    def overdue(now, answered=False, recorded=False):
        return advisers.is_overdue(answer_by=due, now=now, answered=answered, decision_recorded=recorded)

    assert not overdue(due - timedelta(seconds=1))
    assert overdue(due)
    assert not overdue(due + timedelta(days=1), answered=True)
    # Recorded without the advice: the request is closed, and no longer anyone's to chase.
    assert not overdue(due + timedelta(days=1), recorded=True)


def test_the_state_of_a_request_in_words():
    assert advisers.status(answered=False, decision_recorded=False, overdue=False) == "Waiting for an answer"
    assert advisers.status(answered=False, decision_recorded=False, overdue=True) == "Waiting for an answer, overdue"
    assert advisers.status(answered=True, decision_recorded=True, overdue=False) == "Answered"
    assert (
        advisers.status(answered=False, decision_recorded=True, overdue=False)
        == "Not answered before the decision was recorded"
    )
