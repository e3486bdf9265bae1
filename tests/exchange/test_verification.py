"""The rules about the person asking and checking who they are (exchange.verification: 3.7.4, 3.7.9),
and the lead's list of requesters not verified, which mirrors one of them."""

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from exchange import services, verification
from exchange.models import METHOD_CHECKS, InformationRequest, Method
from exchange.verification import WhenVerified
from oversight import selectors as oversight_selectors
from sharing import services as sharing_services
from tests.exchange.recorded import log_request
from tests.factories import ChildFactory
from tests.sharing.recorded import complete_draft

OUTCOMES = (verification.OPEN, verification.DECIDED, verification.DECLINED, verification.WITHDRAWN)


# 3.7.4: verifying is for before anything is divulged.


@pytest.mark.parametrize("outcome", [verification.OPEN, verification.DECIDED])
def test_a_request_open_or_decided_stays_open_to_verifying_until_something_is_disclosed(outcome):
    assert verification.verification_stays_open(outcome=outcome, disclosed=False)
    assert not verification.verification_stays_open(outcome=outcome, disclosed=True)


@pytest.mark.parametrize("outcome", [verification.DECLINED, verification.WITHDRAWN])
def test_a_request_declined_or_withdrawn_is_past_verifying(outcome):
    assert not verification.verification_stays_open(outcome=outcome, disclosed=False)


def test_a_decided_request_can_be_verified_until_something_is_disclosed():
    assert verification.can_verify(known=False, verified=False, outcome=verification.DECIDED, disclosed=False)
    assert not verification.can_verify(known=False, verified=False, outcome=verification.DECIDED, disclosed=True)


@pytest.mark.parametrize("outcome", OUTCOMES)
def test_a_requester_known_or_verified_already_is_not_verified_again(outcome):
    for known, verified in ((True, False), (False, True), (True, True)):
        assert not verification.can_verify(known=known, verified=verified, outcome=outcome, disclosed=False)
        assert not verification.not_verified(known=known, verified=verified)
    assert verification.not_verified(known=False, verified=False)


@pytest.mark.parametrize("outcome", OUTCOMES)
@pytest.mark.parametrize("disclosed", [False, True])
def test_a_request_awaits_verification_exactly_while_it_can_be_verified(outcome, disclosed):
    for known in (False, True):
        for verified in (False, True):
            facts = {"known": known, "verified": verified, "outcome": outcome, "disclosed": disclosed}
            assert verification.awaits_verification(**facts) == verification.can_verify(**facts)


# 3.7.4: with the override, the record does not also say the person was verified.


def test_the_telephone_check_that_the_person_was_verified_is_not_asked_with_the_override():
    phone = METHOD_CHECKS[Method.PHONE]
    assert verification.CALLER_VERIFIED in dict(phone)
    assert verification.checks_asked(phone, disclosing_unverified=False) == phone
    asked = verification.checks_asked(phone, disclosing_unverified=True)
    assert [key for key, _ in asked] == ["written_record"]


@pytest.mark.parametrize("method", [m for m in METHOD_CHECKS if m != Method.PHONE])
def test_other_methods_ask_their_checks_with_or_without_the_override(method):
    checks = METHOD_CHECKS[method]
    assert verification.checks_asked(checks, disclosing_unverified=True) == checks


# 3.7.4, 3.7.9: whether the person asking was verified, seen from the decision.

DECIDED_AT = datetime(2026, 3, 7, 10, 0, tzinfo=UTC)


def test_whether_verified_is_told_from_when_the_decision_was_made():
    def when(known, verified_at):
        return verification.verified_when(known=known, verified_at=verified_at, decided_at=DECIDED_AT)

    assert when(True, None) == WhenVerified.KNOWN
    assert when(False, None) == WhenVerified.NOT_VERIFIED
    assert when(False, DECIDED_AT - timedelta(minutes=5)) == WhenVerified.BEFORE
    assert when(False, DECIDED_AT) == WhenVerified.BEFORE
    assert when(False, DECIDED_AT + timedelta(minutes=5)) == WhenVerified.AFTER


def test_the_warning_names_the_person_asking_and_says_to_call_their_agency_back():
    warning = verification.unverified_warning(name="DC Sam Reid", role="Detective constable", agency="Northgate Police")
    assert warning == (
        "DC Sam Reid (Detective constable, Northgate Police) has not been verified. Unless they are already known "
        "to you, check who they are by calling their agency back before anything is disclosed (3.7.4)."
    )


def test_a_disclosures_line_says_when_the_family_was_not_told_and_why():
    assert verification.disclosure_told_line(informed=True, reason="") == ""
    assert (
        verification.disclosure_told_line(informed=False, reason=" It would alert her partner. ")
        == "The child or parents were not told: It would alert her partner."
    )
    assert verification.disclosure_told_line(informed=False, reason="") == "The child or parents were not told"


# The lead's list is the rule, as a query (oversight.selectors.unverified_queryset).


def _disclose(user, decision, request, **details):
    return services.disclosure_record(
        user=user,
        decision=decision,
        information_request=request,
        details=services.DisclosureDetails(
            items=[{"text": "A fact", "kind": "fact"}],
            recipient_name="Nadia Hughes",
            recipient_role="Health visitor",
            recipient_agency="Northgate NHS Foundation Trust",
            disclosed_at=timezone.now(),
            method="phone",
            checks=["written_record"],
            onward_sharing="no",
            informed=True,
            informed_on=timezone.localdate(),
            informed_by="Priya Shah",
            **details,
        ),
    )


def _decided(user, request):
    draft = complete_draft(user=user, child=request.child)
    draft.request = request
    draft.save()
    return sharing_services.decision_record(draft=draft, user=user)


def _facts(request: InformationRequest) -> dict:
    request = InformationRequest.objects.get(pk=request.pk)
    return {
        "known": request.requester_known,
        "verified": request.verified_at is not None,
        "outcome": services.request_status(request),
        "disclosed": request.disclosures.exists(),
    }


@pytest.mark.django_db
def test_the_leads_list_of_requesters_not_verified_is_the_rule(practitioner, lead, agency):
    child = ChildFactory(agency=agency)
    requests = {}

    def make(name, **fields):
        request = log_request(practitioner, child, days_ago=len(requests) + 1)
        InformationRequest.objects.filter(pk=request.pk).update(requester_name=name, **fields)
        requests[name] = InformationRequest.objects.get(pk=request.pk)
        return requests[name]

    make("open, not verified")
    make("open, known", requester_known=True)
    services.request_verify(
        user=practitioner, information_request=make("open, verified"), method="called_back", details="Rang"
    )
    _decided(practitioner, make("decided, not verified"))
    decided_then_verified = make("decided, then verified")
    _decided(practitioner, decided_then_verified)
    services.request_verify(
        user=practitioner, information_request=decided_then_verified, method="in_person", details="Met"
    )
    disclosed = make("disclosed with the override")
    _disclose(practitioner, _decided(practitioner, disclosed), disclosed, unverified_override="Child at risk now.")
    for outcome in ("declined", "withdrawn"):
        services.request_outcome_record(
            user=practitioner,
            information_request=make(outcome),
            closing=services.ClosingDetails(outcome=outcome, reasons="No need shown."),
        )

    listed = {request.requester_name for request in oversight_selectors.unverified_queryset(user=lead)}
    by_rule = {name for name, request in requests.items() if verification.awaits_verification(**_facts(request))}
    assert listed == by_rule == {"open, not verified", "decided, not verified"}
    # Each can be verified exactly when the rule says so.
    for name, request in requests.items():
        request = InformationRequest.objects.get(pk=request.pk)
        assert request.can_be_verified == verification.can_verify(**_facts(request)), name
