"""Walking through the eight key questions, as a practitioner would."""

import re

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse

from ledger.models import Entry
from sharing import guidance
from sharing.guidance import QuestionKey
from sharing.models import DecisionDraft, SharingDecision
from tests.accounts.conftest import sign_in
from tests.consent.consent_data import record_consent
from tests.factories import ChildFactory, RelationshipFactory, StaffMembershipFactory
from tests.ledger_data import seal, verify_log
from tests.page_text import page_text, reader_text
from tests.sharing import answers as A


@pytest.fixture
def child(agency, lead):
    child = ChildFactory(agency=agency, given_name="Mia", family_name="Turner")
    mother = RelationshipFactory(child=child, adult__given_name="Kelly", adult__family_name="Turner").adult
    father = RelationshipFactory(child=child, relationship="father", lives_with_child=False).adult
    # A current consent given by the mother, and one refused by the father.
    record_consent(user=lead, child=child, responder=mother)
    record_consent(user=lead, child=child, responder=father, response="refused", review_on=None)
    return child


def start(client, child, direction="request_received"):
    response = client.post(reverse("sharing:start", args=[child.pk]), {"direction": direction})
    assert response.status_code == 302
    if direction == "request_received":
        # Asked to share: offered to log the request first; decided here without logging it.
        assert response.url.startswith(reverse("exchange:request_before_decision", args=[child.pk]))
        response = client.post(response.url, {"answering": "not_logged"})
        assert response.status_code == 302
    return response.url


def answer(client, url, data):
    response = A.send_question(client, url, data)
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    return response.url


def walk(client, child, steps):
    url = start(client, child)
    for data in steps:
        url = answer(client, url, data)
    return url


def record(client, url):
    assert url.endswith("/check/"), url
    response = client.post(url)
    assert response.status_code == 302
    return SharingDecision.objects.get(pk=response.url.rstrip("/").split("/")[-1])


CONSENTED = [A.purpose(), A.identifiable(), A.confidential(), A.consent(), A.sharing(), A.decision()]
# Consent refused, no duty: the public interest test decides (3.5.16).
REFUSED_PUBLIC_INTEREST = [
    A.purpose(),
    A.identifiable(),
    A.confidential(),
    A.consent(status="refused"),
    A.statutory(),
    A.public_interest(),
    A.sharing(consent_limits_explained=""),
    A.decision(),
]


def test_record_a_decision_to_share_with_consent(practitioner_client, practitioner, child):
    check = walk(practitioner_client, child, CONSENTED)
    page = practitioner_client.get(check).content.decode()
    assert "Check your answers before recording the decision" in page
    assert "Share the information" in page
    assert "Police attended a domestic incident" in page

    decision = record(practitioner_client, check)
    assert decision.outcome == "share"
    assert decision.recorded_by == practitioner
    assert decision.recorder_role == "Practitioner"
    assert decision.subject["child"]["name"] == "Mia Turner"
    assert [a.question_number for a in decision.answers.all()] == [1, 2, 3, 4, 7, 8]
    assert decision.answers.first().question_wording == "Is there a legitimate purpose to share the information?"

    html = practitioner_client.get(reverse("sharing:decision_detail", args=[decision.pk])).content.decode()
    assert "css/print.css" in html
    page = reader_text(html)
    assert "Information-sharing decision: share the information" in page
    assert practitioner.full_name in page
    assert "The health visitor needs to know" in page
    assert "In my view the mother is frightened" in page
    assert "Guidance shown with this question" in page
    assert list(Entry.objects.filter(kind="decision").values_list("record_id", flat=True)) == [str(decision.pk)]
    seal()
    report = verify_log()
    assert report.intact, report.first_problem


PATHS = {
    "anonymised (3.5.5)": (
        [A.purpose(), A.identifiable(identifies_person="no", anonymisation="Names and dates removed."), A.sharing()],
        [1, 2, 7, 8],
        "may_share",
    ),
    "not confidential (3.3.2)": (
        [A.purpose(), A.identifiable(), A.confidential(confidentiality="not_confidential"), A.sharing()],
        [1, 2, 3, 7, 8],
        "may_share",
    ),
    "statutory duty (3.5.10)": (
        [
            A.purpose(),
            A.identifiable(),
            A.confidential(),
            A.consent(status="refused"),
            A.statutory(duty="statutory_duty", reference="Children Act 1989 s47 enquiry"),
            A.sharing(consent_limits_explained="", **A.not_told(not_informed_reason="Would alert the partner.")),
        ],
        [1, 2, 3, 4, 5, 7, 8],
        "must_share",
    ),
    "public interest without consent (3.5.16)": (
        [
            A.purpose(),
            A.identifiable(),
            A.confidential(),
            A.consent(status="not_sought", not_sought_reason="child_at_increased_risk"),
            A.statutory(),
            A.public_interest(),
            A.sharing(),
        ],
        [1, 2, 3, 4, 5, 6, 7, 8],
        "may_share",
    ),
    "no legitimate purpose (3.5.2)": (
        [
            A.purpose(legitimate_purpose="no", need_to_know="no"),
            {"outcome": "do_not_share", "withheld": "All of it: the school has no need to know."},
        ],
        [1, 7, 8],
        "should_not_share",
    ),
}


@pytest.mark.parametrize("path", PATHS, ids=list(PATHS))
def test_every_path_the_guidance_describes_can_be_recorded(practitioner_client, child, path):
    steps, questions, recommendation = PATHS[path]
    decision = record(practitioner_client, walk(practitioner_client, child, [*steps, A.decision()]))
    assert [a.question_number for a in decision.answers.all()] == questions
    assert decision.recommendation == recommendation
    assert not decision.departs_from_guidance


def test_a_decision_not_to_share_is_recorded_as_fully(practitioner_client, child):
    decision = record(
        practitioner_client,
        walk(
            practitioner_client,
            child,
            [
                A.purpose(concern_level="lower"),
                A.identifiable(),
                A.confidential(),
                A.consent(status="refused"),
                A.statutory(),
                A.public_interest(advice_sought="no", no_advice_reason="Low concern, routine request."),
                {"outcome": "do_not_share", "withheld": "The counselling notes; the mother refused consent."},
                A.decision(reasons="Consent refused and the concern is low."),
            ],
        ),
    )
    assert decision.outcome == "do_not_share"
    assert decision.recommendation == "should_not_share"
    summary = dict(decision.answers.get(question_number=7).summary)
    assert summary["What information are you not sharing, and why?"].startswith("The counselling notes")


def test_refusing_a_court_order_needs_a_written_reason(practitioner_client, child):
    url = walk(
        practitioner_client,
        child,
        [
            A.purpose(),
            A.identifiable(),
            A.confidential(),
            A.consent(status="refused"),
            A.statutory(duty="court_order", reference="Family Court order FD26C00123, 3 November 2026"),
            {"outcome": "do_not_share", "withheld": "The whole file."},
        ],
    )
    assert url.endswith("/decision/")
    page = practitioner_client.get(url).content.decode()
    assert "Your decision differs from what the guidance points to" in page
    # The reason for departing from the guidance, on a page of its own after the reasons.
    departure = practitioner_client.post(url, A.decision()).url
    assert departure.endswith("/decision/departure/")
    response = practitioner_client.post(departure, A.decision())
    assert response.status_code == 200
    assert "Explain why your decision differs from the guidance" in response.content.decode()
    check = answer(
        practitioner_client, url, A.decision(departure_reason="Legal advice: appeal lodged against the order.")
    )
    decision = record(practitioner_client, check)
    assert decision.departs_from_guidance
    assert decision.departure_reason.startswith("Legal advice")
    page = practitioner_client.get(reverse("sharing:decision_detail", args=[decision.pk])).content.decode()
    assert "Why the decision differs from the guidance" in page


def test_changing_an_earlier_answer_removes_a_later_question(practitioner_client, child):
    check = walk(
        practitioner_client,
        child,
        REFUSED_PUBLIC_INTEREST,
    )
    consent_url = reverse("sharing:question", args=[check.split("/")[-3], "consent"]) + "?from=check"
    assert consent_url in practitioner_client.get(check).content.decode()
    sharing_url = answer(practitioner_client, consent_url, A.consent())
    assert sharing_url.endswith("/sharing/onward/?from=check"), (
        "consent now given: the recipient must understand its limits"
    )
    assert answer(practitioner_client, sharing_url, A.sharing()) == check
    page = practitioner_client.get(check).content.decode()
    assert "Is there a sufficient public interest" not in page
    assert "statutory duty or a court order" not in page
    decision = record(practitioner_client, check)
    assert [a.question_number for a in decision.answers.all()] == [1, 2, 3, 4, 7, 8]


def test_a_change_that_brings_in_a_question_asks_it_before_the_check_page(practitioner_client, child):
    check = walk(practitioner_client, child, CONSENTED)
    draft_id = check.split("/")[-3]
    consent_url = reverse("sharing:question", args=[draft_id, "consent"]) + "?from=check"
    next_url = answer(practitioner_client, consent_url, A.consent(status="refused"))
    assert next_url == reverse("sharing:question", args=[draft_id, "statutory"]) + "?from=check"
    next_url = answer(practitioner_client, next_url, A.statutory())
    assert next_url == reverse("sharing:question", args=[draft_id, "public-interest"]) + "?from=check"
    assert answer(practitioner_client, next_url, A.public_interest()).endswith("/check/")


def test_the_back_link_returns_to_the_previous_question_with_its_answers(practitioner_client, child):
    url = walk(practitioner_client, child, [A.purpose(), A.identifiable()])
    page = practitioner_client.get(url)
    draft_id = url.split("/")[-3]
    # Back to the last page of question 2 asked: who is identified.
    assert page.context["back_url"] == reverse("sharing:question_page", args=[draft_id, "identifiable", "who"])
    previous = practitioner_client.get(page.context["back_url"]).content.decode()
    assert 'value="Mia and her mother"' in previous


def test_a_question_cannot_be_skipped(practitioner_client, child):
    url = start(practitioner_client, child)
    draft_id = url.split("/")[-3]
    response = practitioner_client.get(reverse("sharing:question", args=[draft_id, "consent"]))
    assert response.url == reverse("sharing:question", args=[draft_id, "purpose"])
    check = practitioner_client.get(reverse("sharing:check", args=[draft_id]))
    assert check.url == reverse("sharing:question", args=[draft_id, "purpose"]) + "?from=check"


def test_save_and_come_back_later_keeps_what_was_typed(practitioner_client, child):
    url = start(practitioner_client, child)
    response = practitioner_client.post(url, {"purpose": "Half-written purpose", "action": "save_later"})
    assert response.url == reverse("sharing:drafts")
    drafts = practitioner_client.get(response.url).content.decode()
    assert "Mia Turner" in drafts
    assert "Half-written purpose" in practitioner_client.get(url).content.decode()


def test_a_page_sent_after_signing_out_is_not_kept_for_anyone(client, practitioner, child):
    """Only a session that timed out keeps what was typed (tests/accounts/test_kept_typing.py);
    after signing out, a POST is anyone's and writes nothing (ASVS 2.4.1)."""
    client.force_login(practitioner)
    url = start(client, child)
    client.post(reverse("logout"))
    sessions = Session.objects.count()
    response = client.post(url, {"purpose": "Sent after signing out"})
    assert response.url.startswith(reverse("login"))
    assert Session.objects.count() == sessions
    # Signing in again: the password, then the second factor (TWO_FACTOR=everyone).
    signed_in = sign_in(client, practitioner.email, password="correct-horse-battery", next_url=url)
    assert signed_in.url == url
    page = client.get(url).content.decode()
    assert "Sent after signing out" not in page
    assert "What you typed has been kept" not in page


def test_submitting_the_decision_twice_records_it_once(practitioner_client, child):
    check = walk(practitioner_client, child, CONSENTED)
    first = practitioner_client.post(check)
    second = practitioner_client.post(check)
    assert first.url == second.url
    assert SharingDecision.objects.count() == 1
    question = practitioner_client.get(check.replace("check", "purpose"))
    assert question.url == first.url


def test_errors_name_the_field_and_keep_the_input(practitioner_client, child):
    url = start(practitioner_client, child)
    response = practitioner_client.post(url, {"purpose": "   "})
    assert response.status_code == 200
    assert 'href="#id_purpose"' in response.content.decode()
    assert "Enter the purpose of sharing the information" in page_text(response)
    url = A.send_pages_before(practitioner_client, url, "legal-basis", A.purpose(purpose="To plan a visit"))
    response = practitioner_client.post(url, {"legal_basis_other": "  "})
    assert 'href="#id_legal_bases_1"' in response.content.decode()
    assert "Select the legal basis for sharing, or enter another" in page_text(response)
    url = A.send_pages_before(practitioner_client, url, "conclusion")
    response = practitioner_client.post(url, {"legitimate_purpose": ""})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'href="#id_legitimate_purpose_1"' in html
    assert "Select yes if there is a legitimate purpose" in html
    answers = DecisionDraft.objects.get().answers["purpose"]
    assert answers["purpose"] == "To plan a visit"
    assert "legitimate_purpose" not in answers


@pytest.mark.parametrize(
    "garbage",
    [
        {"concern_level": "made_up"},
        {"purpose": "x" * 6000},
        {"purpose": "nul\x00byte"},
        {"legal_bases": ["no-such-basis"]},
        {"need_to_know": "perhaps"},
    ],
)
def test_bad_input_gets_a_message_never_a_500(practitioner_client, child, garbage):
    url = start(practitioner_client, child)
    # On the page of question 1 that asks for it (guidance.PAGES).
    url = A.send_pages_before(practitioner_client, url, guidance.page_of_field(QuestionKey.PURPOSE, *garbage).name)
    response = practitioner_client.post(url, A.purpose(**garbage))
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()


def test_an_unknown_question_is_not_found(practitioner_client, child):
    draft_id = start(practitioner_client, child).split("/")[-3]
    assert practitioner_client.get(f"/decisions/drafts/{draft_id}/question-nine/").status_code == 404


def test_drafts_are_seen_by_their_author_and_the_agencys_leads_only(client, practitioner, lead, agency, child):
    client.force_login(practitioner)
    check = walk(client, child, CONSENTED)
    colleague = StaffMembershipFactory(agency=agency).user
    client.force_login(colleague)
    assert client.get(check).status_code == 404
    assert "Mia Turner" not in client.get(reverse("sharing:drafts")).content.decode()
    client.force_login(lead)
    page = client.get(check)
    assert page.status_code == 200
    assert "Only its author can change or record it" in page.content.decode()
    assert client.post(check).status_code == 403
    assert client.get(check.replace("check", "purpose")).status_code == 403
    assert not SharingDecision.objects.exists()


def test_another_agency_cannot_reach_a_child_draft_or_decision(client, practitioner, other_practitioner, child):
    client.force_login(practitioner)
    check = walk(client, child, CONSENTED)
    decision = record(client, check)
    client.force_login(other_practitioner)
    assert client.get(reverse("sharing:start", args=[child.pk])).status_code == 404
    assert client.get(check).status_code == 404
    assert client.get(reverse("sharing:decision_detail", args=[decision.pk])).status_code == 404
    assert client.post(reverse("sharing:addendum_add", args=[decision.pk]), {"text": "x"}).status_code == 404


def test_the_childs_page_lists_decisions_and_drafts(practitioner_client, child):
    decision = record(practitioner_client, walk(practitioner_client, child, CONSENTED))
    start(practitioner_client, child)
    page = practitioner_client.get(reverse("oversight:child_detail", args=[child.pk])).content.decode()
    assert reverse("sharing:decision_detail", args=[decision.pk]) in page
    assert "Draft started by you" in page


def test_an_addendum_is_added_signed_and_dated(client, practitioner, lead, agency, child):
    client.force_login(practitioner)
    decision = record(client, walk(client, child, CONSENTED))
    url = reverse("sharing:addendum_add", args=[decision.pk])
    empty = client.post(url, {"text": ""})
    assert "Enter the addendum" in empty.content.decode()
    client.post(url, {"text": "Correction: the incident was on 3 November, not 2 November."})
    client.force_login(lead)
    client.post(url, {"text": "Reviewed: agree with sharing."})
    colleague = StaffMembershipFactory(agency=agency).user
    client.force_login(colleague)
    assert client.post(url, {"text": "Not mine to add"}).status_code == 403
    page = page_text(client.get(reverse("sharing:decision_detail", args=[decision.pk])))
    assert "Correction: the incident was on 3 November" in page
    assert f"Added by {practitioner.full_name}" in page
    assert f"Added by {lead.full_name}" in page
    assert "Not mine to add" not in page
    entered = {kind: Entry.objects.filter(kind=kind).count() for kind in ("consent", "decision", "addendum")}
    assert entered == {"consent": 2, "decision": 1, "addendum": 2}, "two consents, the decision and two addenda"
    seal()
    assert verify_log().intact


def test_a_change_that_makes_the_decision_depart_from_the_guidance_asks_for_the_reason(practitioner_client, child):
    check = walk(
        practitioner_client,
        child,
        [
            A.purpose(),
            A.identifiable(),
            A.confidential(),
            A.consent(status="refused"),
            A.statutory(duty="court_order", reference="Order FD26C00123"),
            A.sharing(consent_limits_explained=""),
            A.decision(),
        ],
    )
    draft_id = check.split("/")[-3]
    sharing_url = reverse("sharing:question", args=[draft_id, "sharing"]) + "?from=check"
    next_url = answer(practitioner_client, sharing_url, {"outcome": "do_not_share", "withheld": "All of it."})
    assert next_url == reverse("sharing:question_page", args=[draft_id, "decision", "departure"]) + "?from=check"
    assert practitioner_client.post(check).url == next_url
    assert not SharingDecision.objects.exists()


def test_consent_given_after_a_change_needs_the_recipient_to_understand_its_limits(practitioner_client, child):
    steps = [A.purpose(), A.identifiable(), A.confidential(), A.consent(status="refused"), A.statutory()]
    check = walk(
        practitioner_client, child, [*steps, A.public_interest(), A.sharing(consent_limits_explained=""), A.decision()]
    )
    draft_id = check.split("/")[-3]
    consent_url = reverse("sharing:question", args=[draft_id, "consent"]) + "?from=check"
    next_url = answer(practitioner_client, consent_url, A.consent())
    assert next_url == reverse("sharing:question_page", args=[draft_id, "sharing", "onward"]) + "?from=check"
    page = practitioner_client.get(next_url).content.decode()
    assert "The recipient understands the limits of the consent that was given" in page


def test_every_answered_question_can_be_opened_again_from_the_check_page(practitioner_client, child):
    check = walk(
        practitioner_client,
        child,
        REFUSED_PUBLIC_INTEREST,
    )
    draft_id = check.split("/")[-3]
    for question in ["purpose", "identifiable", "confidential", "consent", "statutory", "public-interest", "sharing"]:
        page = practitioner_client.get(reverse("sharing:question", args=[draft_id, question]) + "?from=check")
        assert page.status_code == 200, question
        assert page.context["back_url"] == check
    decision_page = practitioner_client.get(reverse("sharing:question", args=[draft_id, "decision"]) + "?from=check")
    assert "The health visitor needs to know" in decision_page.content.decode()
    when = reverse("sharing:question_page", args=[draft_id, "decision", "when"]) + "?from=check"
    assert 'name="decided_on_2"' in practitioner_client.get(when).content.decode()
    consent_page = practitioner_client.get(reverse("sharing:question", args=[draft_id, "consent"]))
    assert re.search(r'value="refused"\s+checked', consent_page.content.decode())


def items_listed(client, url) -> list[str]:
    """What question 7's list of items shows of each item, line by line, as a sighted reader sees it."""
    page = page_text(client.get(url))
    listed = page[page.index("\nItem 1 (") + 1 :].split("Do you need to add another item?")[0]
    return [line for line in listed.splitlines() if line]


def test_items_are_added_one_a_page_and_listed_with_change_and_remove(practitioner_client, child):
    url = walk(practitioner_client, child, [A.purpose(), A.identifiable(), A.confidential(), A.consent()])
    assert url.endswith("/sharing/")
    first = practitioner_client.post(url, {"outcome": "share"}).url
    assert first.endswith("/sharing/items/1/")
    assert practitioner_client.post(first, {"text": "First item"}).context["form"].errors == {
        "kind": ["Select whether the item is fact, opinion, hypothesis or a mixture"]
    }
    listing = practitioner_client.post(first, {"text": "First item", "kind": "fact"}).url
    assert listing.endswith("/sharing/items/")
    second = practitioner_client.post(listing, {"add_another": "yes"}).url
    assert second.endswith("/sharing/items/2/")
    assert practitioner_client.get(second).context["back_url"] == listing
    practitioner_client.post(second, {"text": "Second item", "kind": "opinion"})
    assert items_listed(practitioner_client, listing) == [
        "Item 1 (fact)", "First item", "Change", "Remove",
        "Item 2 (opinion)", "Second item", "Change", "Remove",
    ]  # fmt: skip
    # Changed on its own page, its text as it was to start from.
    assert "First item</textarea>" in practitioner_client.get(first).content.decode()
    practitioner_client.post(first, {"text": "First item, corrected", "kind": "mixed"})
    # Back to the decision and on again: nothing is lost.
    assert practitioner_client.post(url, {"outcome": "share"}).url == listing
    practitioner_client.post(listing, {"remove": "2"})
    # The last item is changed, not removed: the pages after the list stay answered.
    assert items_listed(practitioner_client, listing) == ["Item 1 (a mixture)", "First item, corrected", "Change"]
    practitioner_client.post(listing, {"remove": "1"})
    assert len(items_listed(practitioner_client, listing)) == 3
    recipient = practitioner_client.post(listing, {"add_another": "no"}).url
    assert recipient.endswith("/sharing/recipient/")
    assert practitioner_client.get(recipient).context["back_url"] == listing


def test_an_item_number_past_the_next_one_is_not_found(practitioner_client, child):
    url = walk(practitioner_client, child, [A.purpose(), A.identifiable(), A.confidential(), A.consent()])
    first = practitioner_client.post(url, {"outcome": "share"}).url
    assert practitioner_client.get(first.replace("/items/1/", "/items/2/")).status_code == 404
    assert practitioner_client.get(first.replace("/items/1/", "/items/0/")).status_code == 404
    purpose_item = first.replace("/sharing/items/", "/purpose/items/")
    assert practitioner_client.get(purpose_item).status_code == 404


def test_a_decision_not_to_share_asks_for_no_items(practitioner_client, child):
    url = walk(practitioner_client, child, [A.purpose(), A.identifiable(), A.confidential(), A.consent()])
    after = practitioner_client.post(url, {"outcome": "do_not_share", "withheld": "All of it."}).url
    assert after.endswith("/decision/")
    draft_id = url.split("/")[-3]
    items = reverse("sharing:question_page", args=[draft_id, "sharing", "items"])
    # Not asked: the list of items sends the practitioner back to the decision.
    assert practitioner_client.get(items).url == reverse("sharing:question", args=[draft_id, "sharing"])


def test_back_on_a_resumed_unfinished_draft_goes_to_the_previous_question(practitioner_client, child):
    url = walk(practitioner_client, child, [A.purpose()])
    draft_id = url.split("/")[-3]
    resumed = practitioner_client.get(reverse("sharing:check", args=[draft_id]))
    page = practitioner_client.get(resumed.url)
    # To question 1's last page, its conclusion.
    assert page.context["back_url"] == reverse("sharing:question_page", args=[draft_id, "purpose", "conclusion"])


def test_an_answer_an_earlier_change_no_longer_asks_for_is_not_recorded(practitioner_client, child):
    reason = "Legal advice: appeal lodged against the order."
    check = walk(
        practitioner_client,
        child,
        [
            A.purpose(),
            A.identifiable(),
            A.confidential(),
            A.consent(status="refused"),
            A.statutory(duty="court_order", reference="Family Court order FD26C00123, 3 November 2026"),
            {"outcome": "do_not_share", "withheld": "The whole file."},
            A.decision(departure_reason=reason),
        ],
    )
    draft_id = check.split("/")[-3]
    # Now sharing as the order says, without telling the mother: nothing departs from the guidance any more.
    sharing_url = reverse("sharing:question", args=[draft_id, "sharing"]) + "?from=check"
    assert answer(practitioner_client, sharing_url, A.sharing(consent_limits_explained="", **A.not_told())) == check
    # Then the information is anonymised: nobody is identified, so nobody is to be told.
    identifiable_url = reverse("sharing:question", args=[draft_id, "identifiable"]) + "?from=check"
    anonymised = A.identifiable(identifies_person="no", who_identified="", anonymisation="Names and dates removed.")
    assert answer(practitioner_client, identifiable_url, anonymised) == check
    assert DecisionDraft.objects.get(pk=draft_id).answers["decision"]["departure_reason"] == reason, (
        "the draft keeps it"
    )
    assert reason not in page_text(practitioner_client.get(check))

    decision = record(practitioner_client, check)

    recorded = {row.question_key: row.answers for row in decision.answers.all()}
    assert list(recorded) == ["purpose", "identifiable", "sharing", "decision"]
    assert "departure_reason" not in recorded["decision"]
    assert decision.departure_reason == ""
    assert not {"person_informed", "not_informed_reason", "reconsider_on"} & set(recorded["sharing"])
    printed = page_text(practitioner_client.get(reverse("sharing:decision_detail", args=[decision.pk])), printed=True)
    assert "Names and dates removed." in printed
    assert reason not in printed
    assert "Telling the mother now could alert her partner." not in printed
    assert "Will the person the information is about be told" not in printed
    assert verify_log().intact


def test_an_item_saved_for_later_is_shown_again_on_its_page_unchecked(practitioner_client, child):
    url = walk(practitioner_client, child, [A.purpose(), A.identifiable(), A.confidential(), A.consent()])
    first = practitioner_client.post(url, {"outcome": "share"}).url
    saved = practitioner_client.post(first, {"text": "Half an item", "action": "save_later"})
    assert saved.url == reverse("sharing:drafts")
    page = practitioner_client.get(first)
    assert page.context["form"].initial == {"text": "Half an item", "kind": ""}
    assert "Half an item</textarea>" in page.content.decode()
    # Nothing is an item until it is sent whole.
    assert DecisionDraft.objects.get(pk=url.split("/")[-3]).answers["sharing"] == {"outcome": "share", "withheld": ""}
