"""What the recorded decision, and the questions that make it, show and keep (issue 14).

Question 4 shows what each consent covers and the record says how consent was
given; question 7 asks its checks of a decision to share only, does not ask
whether anonymised information's subject is told, and dates a decision not to
tell; the record shows what the guidance pointed to, whether the consent it
relied on still stands, and prints with who printed it.
"""

import re
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from consent import services as consent_services
from core import cookies
from sharing import services
from sharing.forms import consent_detail_lines
from sharing.guidance import QuestionKey
from sharing.models import SharingDecision
from tests.consent.consent_data import record_consent, withdraw_consent
from tests.factories import RelationshipFactory
from tests.page_text import page_text, reader_text
from tests.sharing import answers as A
from tests.sharing.recorded import complete_draft, record_decision, relying_on_consent


@pytest.fixture
def mother(child):
    return RelationshipFactory(child=child, adult__given_name="Kelly", adult__family_name="Turner").adult


def long_date(when) -> str:
    return f"{when.day} {when:%B %Y}"


def started(client, child, *steps):
    """A draft started as proposing to share, with ``steps`` posted from question 1; the next page's address."""
    url = client.post(reverse("sharing:start", args=[child.pk]), {"direction": "proposing"}).url
    for data in steps:
        response = A.send_question(client, url, data)
        assert response.status_code == 302, response.context["form"].errors
        url = response.url
    return url


def through_to_sharing(client, child, record):
    url = started(client, child, A.purpose(), A.identifiable(), A.confidential())
    url = A.send_question(
        client, url, {"status": "obtained", "consent_record": str(record.pk), "consent_covers": "yes"}
    ).url
    assert url.endswith("/sharing/")
    return url


def recorded(client, check_url) -> SharingDecision:
    assert check_url.endswith("/check/"), check_url
    response = client.post(check_url)
    assert response.status_code == 302
    return SharingDecision.objects.get(pk=response.url.rstrip("/").split("/")[-1])


def decision_page(client, decision, printed=False) -> str:
    return page_text(client.get(reverse("sharing:decision_detail", args=[decision.pk])), printed=printed)


# Point 3: question 4 shows what each consent covers, beside the choice (3.3.11, 3.3.28).


def test_question_4_shows_each_consents_purposes_recipients_and_limits_beside_it(
    practitioner_client, practitioner, child, mother
):
    record_consent(
        user=practitioner,
        child=child,
        responder=mother,
        scope_information="Her attendance and her worries at school.",
        scope_purposes="Arranging support at school.",
        scope_recipient_kinds=["school", "health"],
        scope_recipients="The school nurse",
        scope_recipient_use="Offering support sessions; not for any other purpose.",
    )
    question_4 = started(practitioner_client, child, A.purpose(), A.identifiable(), A.confidential())
    # The records are offered on question 4's page for them, once consent sought and given is the answer.
    page = page_text(practitioner_client.get(practitioner_client.post(question_4, {"status": "obtained"}).url))
    choice = page.split("Which consent record?")[1].split("Continue")[0].splitlines()
    assert choice[2:] == [
        f"Given by Kelly Turner (mother) on {long_date(timezone.localdate() - timedelta(days=2))}, about Ellie "
        f"{child.family_name}; review by {long_date(timezone.localdate() + timedelta(days=180))}",
        "What they were told would be shared: Her attendance and her worries at school.",
        "For what purposes: Arranging support at school.",
        "With which kinds of agency: School; NHS trust or GP practice (The school nurse)",
        "What the recipients may use it for: Offering support sessions; not for any other purpose.",
    ]


# Point 4: the recorded question 4 says how consent was given (3.3.12, 3.3.13, 3.7.9).


def test_the_recorded_question_4_says_explicit_and_written_and_how_it_was_given(
    practitioner_client, practitioner, child, mother
):
    record = record_consent(
        user=practitioner, child=child, responder=mother, how_signalled="Signed the form at school."
    )
    url = through_to_sharing(practitioner_client, child, record)
    for data in (A.sharing(), A.decision()):
        url = A.send_question(practitioner_client, url, data).url
    decision = recorded(practitioner_client, url)
    question_4 = decision_page(practitioner_client, decision).split("4. If the information is confidential")[1]
    question_4 = question_4.split("7. If the decision is to share")[0]
    assert "Explicit or implied\nExplicit: given in words, spoken or written" in question_4
    assert "Written or verbal\nIn writing" in question_4
    assert "How it was given\nSigned the form at school." in question_4
    assert "With which kinds of agency\nNHS trust or GP practice; Local authority children's social care" in question_4


def test_for_implied_consent_the_record_says_how_it_was_signalled(practitioner_client, practitioner, child, mother):
    record = record_consent(
        user=practitioner,
        child=child,
        responder=mother,
        explicitness="implied",
        form="",
        how_signalled="She agreed to the referral to the school nurse, knowing the nurse would be told why.",
    )
    url = through_to_sharing(practitioner_client, child, record)
    for data in (A.sharing(), A.decision()):
        url = A.send_question(practitioner_client, url, data).url
    page = decision_page(practitioner_client, recorded(practitioner_client, url))
    assert "Explicit or implied\nImplied by the circumstances" in page
    assert "Written or verbal" not in page
    assert "How it was signalled\nShe agreed to the referral to the school nurse" in page


# Point 8: the record shows what the guidance pointed to, and why the decision departs from it (3.5.21).


def test_the_record_shows_what_the_guidance_pointed_to(practitioner_client, practitioner, child):
    page = decision_page(practitioner_client, record_decision(user=practitioner, child=child))
    assert "What the guidance pointed to The guidance says the information may be shared." in page
    assert "How it started I want to share information" in page
    assert "Guidance version london-cpp-ch3/" in page
    assert "The decision differs from it" not in page


def test_a_departure_from_the_guidance_shows_both_the_direction_and_the_reason(
    practitioner_client, practitioner, child
):
    # No legitimate purpose: the guidance says not to share (3.5.2); sharing anyway departs from it.
    draft = complete_draft(user=practitioner, child=child)
    draft.answers[QuestionKey.PURPOSE]["legitimate_purpose"] = False
    draft.answers[QuestionKey.DECISION]["departure_reason"] = "The father asked for it in person and is entitled to it."
    draft.answers.pop(QuestionKey.IDENTIFIABLE)
    draft.save()
    page = decision_page(practitioner_client, services.decision_record(draft=draft, user=practitioner))
    assert (
        "What the guidance pointed to The guidance does not support sharing on these answers. The decision differs "
        "from it." in page
    )
    assert "Why the decision differs from the guidance The father asked for it in person" in page


# Point 9: question 7's checks apply only to a decision to share (3.5.20).


def test_a_decision_not_to_share_is_not_asked_kept_or_printed_with_the_checks(practitioner_client, practitioner, child):
    url = started(practitioner_client, child, A.purpose(legitimate_purpose="no"))
    assert url.endswith("/sharing/")
    page = practitioner_client.get(url).content.decode()
    # The checks are said to apply to a share, and asked on the pages after this one, of a share only.
    assert "Who will receive it?" not in reader_text(page)
    assert (
        "What will be shared, with whom and how is asked only if you share (guidance paragraph 3.5.20)"
        in reader_text(page)
    )
    # Sent with the checks left blank, and with some typed before changing one's mind: neither matters, none kept.
    url = practitioner_client.post(
        url,
        {"outcome": "do_not_share", "withheld": "All of it: there is no purpose.", "method": "secure_email"},
    )
    assert url.status_code == 302
    url = A.send_question(practitioner_client, url.url, A.decision()).url
    decision = recorded(practitioner_client, url)
    kept = decision.answers.get(question_number=7).answers
    assert kept == {"outcome": "do_not_share", "withheld": "All of it: there is no purpose."}
    printed = decision_page(practitioner_client, decision, printed=True)
    assert "Do not share the information" in printed
    question_7 = printed.split("7. If the decision is to share")[1].split("Guidance shown with this question")[0]
    assert question_7.splitlines()[1:] == [
        "What have you decided?",
        "Do not share the information",
        "What information are you not sharing, and why?",
        "All of it: there is no purpose.",
    ]


# Point 11: anonymised information identifies nobody to tell (3.5.5).


def test_anonymised_information_does_not_ask_whether_the_person_will_be_told(practitioner_client, practitioner, child):
    url = started(
        practitioner_client, child, A.purpose(), A.identifiable(identifies_person="no", anonymisation="Names removed.")
    )
    assert url.endswith("/sharing/")
    assert "Will the person the information is about be told" not in page_text(practitioner_client.get(url))
    data = A.sharing(consent_limits_explained="")
    del data["person_informed"]
    response = A.send_question(practitioner_client, url, data)
    assert response.status_code == 302, response.context["form"].errors
    decision = recorded(practitioner_client, A.send_question(practitioner_client, response.url, A.decision()).url)
    assert "person_informed" not in decision.answers.get(question_number=7).answers
    assert "be told it has been shared" not in decision_page(practitioner_client, decision)
    assert decision.reconsider_on is None


def test_identifiable_information_still_asks_whether_the_person_will_be_told(practitioner_client, child):
    url = to_sharing_without_consent(practitioner_client, child)
    data = A.sharing(consent_limits_explained="")
    del data["person_informed"]
    response = A.send_question(practitioner_client, url, data)
    assert response.context["form"].errors["person_informed"] == ["Select whether the person will be told"]


def started_from(client, url, *steps):
    for data in steps:
        response = A.send_question(client, url, data)
        assert response.status_code == 302, response.context["form"].errors
        url = response.url
    return url


# Point 12: a decision to share without telling carries a date to reconsider, still to come (3.5.19, 3.7.3).


def to_sharing_without_consent(client, child):
    url = started(
        client,
        child,
        A.purpose(),
        A.identifiable(),
        A.confidential(),
        A.consent(status="not_sought", not_sought_reason="child_at_increased_risk"),
        A.statutory(),
        A.public_interest(),
    )
    assert url.endswith("/sharing/")
    return url


@pytest.mark.parametrize(("days", "message"), [(-1, "must be in the future"), (0, "must be in the future")])
def test_the_date_to_reconsider_telling_them_must_be_to_come(practitioner_client, child, days, message):
    url = to_sharing_without_consent(practitioner_client, child)
    response = A.send_question(
        practitioner_client, url, A.sharing(consent_limits_explained="", **A.not_told(days=days))
    )
    assert response.status_code == 200
    assert response.context["form"].errors["reconsider_on"] == [
        "The date to reconsider telling them must be in the future"
    ]
    assert message in page_text(response)
    without = A.sharing(consent_limits_explained="", **A.not_told())
    for part in range(3):
        del without[f"reconsider_on_{part}"]
    response = A.send_question(practitioner_client, url, without)
    assert response.context["form"].errors["reconsider_on"] == ["Enter a date to reconsider telling them"]


def test_a_decision_not_to_tell_keeps_its_date_to_reconsider(practitioner_client, child):
    url = to_sharing_without_consent(practitioner_client, child)
    url = started_from(
        practitioner_client, url, A.sharing(consent_limits_explained="", **A.not_told(days=30)), A.decision()
    )
    decision = recorded(practitioner_client, url)
    due = timezone.localdate() + timedelta(days=30)
    assert decision.reconsider_on == due
    page = decision_page(practitioner_client, decision, printed=True)
    assert f"When should telling them be reconsidered?\n{long_date(due)}" in page


def test_a_date_to_reconsider_that_came_before_recording_is_asked_again(practitioner_client, practitioner, child):
    url = to_sharing_without_consent(practitioner_client, child)
    check = started_from(
        practitioner_client, url, A.sharing(consent_limits_explained="", **A.not_told(days=2)), A.decision()
    )
    draft_id = check.split("/")[-3]
    with time_machine.travel(timezone.now() + timedelta(days=3)):
        practitioner_client.force_login(practitioner)
        response = practitioner_client.post(check)
        assert response.url.endswith("/sharing/told/?from=check")
        assert not SharingDecision.objects.exists()
        with pytest.raises(services.DraftIncomplete):
            services.decision_record(draft=services.DecisionDraft.objects.get(pk=draft_id), user=practitioner)
        page = practitioner_client.get(check, follow=True)
        assert "The date to reconsider telling the person has come" in page_text(page)


def test_a_decision_not_to_tell_without_a_date_goes_back_to_question_7(practitioner_client, practitioner, child):
    draft = complete_draft(user=practitioner, child=child)
    draft.answers[QuestionKey.IDENTIFIABLE] = {
        "identifies_person": True,
        "who_identified": "Ellie",
        "anonymisation": "",
    }
    draft.answers[QuestionKey.CONFIDENTIAL] = {"confidentiality": "not_confidential", "reason": "Already public."}
    draft.answers[QuestionKey.SHARING].update(person_informed="not_told", not_informed_reason="Risk")
    draft.save()
    with pytest.raises(services.DraftIncomplete):
        services.decision_record(draft=draft, user=practitioner)


# Point 13: the printed decision says when and by whom it was printed, and the page has a Print button.


def test_the_decision_prints_with_when_and_by_whom(practitioner_client, practitioner, child):
    decision = record_decision(user=practitioner, child=child)
    response = practitioner_client.get(reverse("sharing:decision_detail", args=[decision.pk]))
    html = response.content.decode()
    assert re.search(r"<button[^>]*data-app-print[^>]*>Print</button>", html)
    now = timezone.localtime()
    printed = reader_text(html, printed=True)
    assert f"Printed on {now.day} {now:%B %Y}, " in printed
    assert f" by {practitioner.full_name}." in printed
    assert "Printed on" not in reader_text(html).split("\n")[0]
    on_screen = reader_text(html)
    assert "Print" in on_screen  # the button, on screen only
    assert "Print\n" not in printed and not printed.endswith("Print")


# Point 19: question 7's error summary lists the errors in the order of the page.


def test_question_7s_error_summary_is_in_the_order_of_the_page(practitioner_client, child):
    url = to_sharing_without_consent(practitioner_client, child)
    html = practitioner_client.post(url, {"outcome": "share_in_part"}).content.decode()
    summary = html.split('class="govuk-error-summary"')[1].split("</ul>")[0]
    assert re.findall(r'href="#([^"]+)"', summary) == ["id_withheld"]
    recipient = A.send_question(practitioner_client, url, A.sharing(consent_limits_explained="")).url
    recipient = recipient.replace("/check/", "/sharing/recipient/").replace("/decision/", "/sharing/recipient/")
    html = practitioner_client.post(recipient, {}).content.decode()
    summary = html.split('class="govuk-error-summary"')[1].split("</ul>")[0]
    linked = re.findall(r'href="#([^"]+)"', summary)
    assert linked[0] == "id_recipient_name" and linked[-1] == "id_recipient_need"
    form = html[html.index('name="recipient_name"') :]
    on_the_page = sorted(linked, key=lambda field_id: form.index(f'id="{field_id}"'))
    assert linked == on_the_page


# Point 1: the record says so when the consent it relied on lapsed (3.3.21-3.3.22), on screen and on paper.


def test_a_decision_whose_consent_was_withdrawn_says_so_on_its_page_and_in_print(
    practitioner_client, practitioner, child, mother
):
    record = record_consent(user=practitioner, child=child, responder=mother)
    decision = record_decision(user=practitioner, child=child, **relying_on_consent(record))
    assert "relied on" not in decision_page(practitioner_client, decision)
    withdraw_consent(user=practitioner, record=record)
    today = timezone.localdate()
    for printed in (False, True):
        page = decision_page(practitioner_client, decision, printed=printed)
        assert (
            "The consent this decision relied on has been withdrawn (guidance paragraph 3.3.22). Withdrawn by Kelly "
            f"Turner on {long_date(today)}. Nothing more should be disclosed under this decision: make a new "
            "decision, or, if this disclosure goes ahead on another basis, record why."
        ) in page


def test_a_decision_whose_consent_was_replaced_or_is_past_its_review_says_so(
    practitioner_client, practitioner, child, mother
):
    record = record_consent(
        user=practitioner, child=child, responder=mother, review_on=timezone.localdate() + timedelta(days=10)
    )
    decision = record_decision(user=practitioner, child=child, **relying_on_consent(record))
    with time_machine.travel(timezone.now() + timedelta(days=11)):
        practitioner_client.force_login(practitioner)
        assert "The review date of the consent this decision relied on has passed" in decision_page(
            practitioner_client, decision
        )
    consent_services.consent_record(
        user=practitioner,
        child=child,
        responder=mother,
        supersedes=record,
        details=_renewal(),
    )
    assert (
        "has been replaced by a later answer from the person (guidance paragraph 3.3.22). Replaced by Kelly Turner"
        in decision_page(practitioner_client, decision)
    )


def _renewal():
    from tests.consent.consent_data import consent_details

    return consent_details(responded_on=timezone.localdate(), response="given")


def test_a_decision_that_relied_on_no_consent_never_says_it_lapsed(practitioner_client, practitioner, child, mother):
    record = record_consent(user=practitioner, child=child, responder=mother, scope_recipient_kinds=["school"])
    # Shared with the police, whom the consent does not name: the decision was made without it (3.3.28).
    answers = relying_on_consent(record, kind="police")
    answers[QuestionKey.STATUTORY] = {"duty": "none", "reference": ""}
    answers[QuestionKey.PUBLIC_INTEREST] = A_PUBLIC_INTEREST
    answers[QuestionKey.SHARING].pop("consent_limits_explained")
    decision = record_decision(user=practitioner, child=child, **answers)
    withdraw_consent(user=practitioner, record=record)
    assert "relied on has been withdrawn" not in decision_page(practitioner_client, decision)


A_PUBLIC_INTEREST = {
    "if_shared": "Mother may disengage.",
    "if_not_shared": "The visit goes ahead unaware of the risk.",
    "proportionality": "Only the fact of the concern.",
    "advice_sought": False,
    "advice_from": "",
    "adviser_name": "",
    "advice_given": "",
    "no_advice_reason": "Urgent.",
}


def test_how_consent_was_given_reads_as_the_guidance_describes_it():
    """3.3.12-3.3.13: explicit or implied; written or verbal for explicit; how it was given, signalled or refused."""
    written = {
        "status": "obtained",
        "consent_explicitness": "explicit",
        "consent_form": "written",
        "consent_how_signalled": "Signed the form.",
        "consent_recipient_kinds": ["school"],
        "consent_purposes": "Support at school.",
    }
    assert consent_detail_lines(written) == [
        ["Explicit or implied", "Explicit: given in words, spoken or written"],
        ["Written or verbal", "In writing"],
        ["How it was given", "Signed the form."],
        ["For what purposes", "Support at school."],
        ["With which kinds of agency", "School"],
    ]
    implied = {**written, "consent_explicitness": "implied", "consent_form": "", "consent_how_signalled": "Nodded."}
    assert consent_detail_lines(implied)[:2] == [
        ["Explicit or implied", "Implied by the circumstances"],
        ["How it was signalled", "Nodded."],
    ]
    refused = {**written, "status": "refused", "consent_how_signalled": "Said no on the phone."}
    assert ["How it was refused", "Said no on the phone."] in consent_detail_lines(refused)
    # Decisions recorded before question 4 kept these show what they kept: the consent record alone.
    assert consent_detail_lines({"status": "obtained", "consent_summary": "Given by Kelly Turner"}) == []


# Issue 17 point 10: a confirmation and what happens next, shown once right after recording.


def just_recorded(client, check_url) -> tuple[SharingDecision, str]:
    """The decision recorded from ``check_url``, and the page its author lands on, as a reader sees it."""
    response = client.post(check_url, follow=True)
    decision = SharingDecision.objects.get(pk=response.redirect_chain[-1][0].rstrip("/").split("/")[-1])
    return decision, page_text(response)


def test_a_share_without_telling_the_person_says_what_happens_next_once(practitioner_client, child):
    url = to_sharing_without_consent(practitioner_client, child)
    url = started_from(
        practitioner_client, url, A.sharing(consent_limits_explained="", **A.not_told(days=30)), A.decision()
    )
    decision, page = just_recorded(practitioner_client, url)
    due = long_date(timezone.localdate() + timedelta(days=30))
    assert "Decision recorded\nIt is being placed in the log" in page or "Decision recorded\nRecord number\n" in page
    steps = page.split("What happens next\n")[1].split("\nAbout")[0].splitlines()
    assert steps == [
        "The decision cannot be changed: add an addendum to correct it.",
        "Once you have shared, record what was disclosed and with whom (guidance paragraph 3.5.21). Record what was "
        "disclosed",
        f"The person the information is about has not been told: reconsider telling them by {due} (guidance "
        "paragraph 3.5.19).",
        "Your safeguarding lead will review the decision (guidance paragraph 3.5.18).",
    ]
    html = practitioner_client.get(reverse("sharing:decision_detail", args=[decision.pk])).content.decode()
    assert f'href="{reverse("exchange:disclosure_add", args=[decision.pk])}"' in html
    again = decision_page(practitioner_client, decision)
    assert "Decision recorded" not in again
    assert "What happens next" not in again
    assert "What happens next" not in decision_page(practitioner_client, decision, printed=True)


def test_a_decision_not_to_share_has_nothing_to_disclose_next(practitioner_client, child):
    url = started(practitioner_client, child, A.purpose(legitimate_purpose="no"))
    url = practitioner_client.post(url, {"outcome": "do_not_share", "withheld": "All of it: there is no purpose."}).url
    url = A.send_question(practitioner_client, url, A.decision()).url
    _, page = just_recorded(practitioner_client, url)
    steps = page.split("What happens next\n")[1].split("\nAbout")[0].splitlines()
    assert steps == [
        "The decision cannot be changed: add an addendum to correct it.",
        "Your safeguarding lead will review the decision (guidance paragraph 3.5.18).",
    ]


def test_another_decisions_page_shows_no_confirmation(practitioner_client, child):
    url = started(practitioner_client, child, A.purpose(legitimate_purpose="no"))
    url = practitioner_client.post(url, {"outcome": "do_not_share", "withheld": "All of it."}).url
    url = A.send_question(practitioner_client, url, A.decision()).url
    first = recorded(practitioner_client, url)
    url = started(practitioner_client, child, A.purpose(legitimate_purpose="no"))
    url = practitioner_client.post(url, {"outcome": "do_not_share", "withheld": "All of it."}).url
    url = A.send_question(practitioner_client, url, A.decision()).url
    recorded(practitioner_client, url)  # not followed: its confirmation waits for its own page
    assert "Decision recorded" not in decision_page(practitioner_client, first)


def test_the_confirmations_cookie_is_named_on_the_cookies_page(practitioner_client, child):
    url = started(practitioner_client, child, A.purpose(legitimate_purpose="no"))
    url = practitioner_client.post(url, {"outcome": "do_not_share", "withheld": "All of it."}).url
    url = A.send_question(practitioner_client, url, A.decision()).url
    practitioner_client.post(url)
    given = set(practitioner_client.cookies)
    assert cookies.named(cookies.JUST_RECORDED) in given
    listed = {line.split(" ")[0] for line in page_text(practitioner_client.get(reverse("about:cookies"))).splitlines()}
    assert given <= listed
