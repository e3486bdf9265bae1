"""Questions 2 to 6 and 8, one thing to a page (guidance.PAGES): the main question first, each follow-up on a page
of its own, asked only where the answer before it calls for it; the answers recorded as each question's one form
wrote them."""

import pytest
from django.urls import resolve, reverse

from sharing import guidance
from sharing.forms import QUESTION_FORMS
from sharing.guidance import QuestionKey
from sharing.models import DecisionDraft, SharingDecision
from tests.consent.consent_data import record_consent
from tests.factories import ChildFactory, RelationshipFactory
from tests.page_text import page_text
from tests.sharing import answers as A


@pytest.fixture
def child(agency, lead):
    child = ChildFactory(agency=agency, given_name="Mia", family_name="Turner")
    mother = RelationshipFactory(child=child, adult__given_name="Kelly", adult__family_name="Turner").adult
    record_consent(user=lead, child=child, responder=mother)
    return child


def question_url(draft_id, question: QuestionKey, page: str | None = None) -> str:
    if page is None:
        return reverse("sharing:question", args=[draft_id, question])
    return reverse("sharing:question_page", args=[draft_id, question, page])


def page_of(url: str) -> str:
    """The page an address is of: "question" or "question/page"."""
    match = resolve(url.split("?")[0])
    item = f"{guidance.ITEMS_PAGE}/{match.kwargs['number']}" if "number" in match.kwargs else None
    return "/".join(filter(None, [match.kwargs.get("question"), match.kwargs.get("page"), item]))


def to_question(client, child, question: QuestionKey, steps) -> str:
    """Start a decision and answer the questions before ``question`` with ``steps``; the draft's id."""
    started = client.post(reverse("sharing:start", args=[child.pk]), {"direction": "proposing"})
    url = started.url
    for data in steps:
        response = A.send_question(client, url, data)
        assert response.status_code == 302, response.context["form"].errors if response.context else response
        url = response.url
    assert page_of(url) == question, url
    return resolve(url).kwargs["draft_id"]


def walk_pages(client, url, data) -> tuple[list[str], str]:
    """Send ``data`` to a question's pages from ``url`` on: the pages shown, and where the last one went."""
    shown = []
    question = page_of(url).split("/")[0]
    while page_of(url).split("/")[0] == question and "/check/" not in url:
        shown.append(page_of(url))
        assert client.get(url).status_code == 200
        match = resolve(url.split("?")[0])
        if "number" in match.kwargs:
            sent = A.items_posted(data)[match.kwargs["number"] - 1]  # question 7's item, on its own page
        elif match.kwargs.get("page") == guidance.ITEMS_PAGE:
            sent = {"add_another": "no"}  # the list of question 7's items: no other to add
        else:
            sent = data
        response = client.post(url, sent)
        assert response.status_code == 302, response.context["form"].errors
        url = response.url
    return shown, url


BEFORE_CONSENT = [A.purpose(), A.identifiable(), A.confidential()]
NOT_SOUGHT = A.consent(status="not_sought", not_sought_reason="child_at_increased_risk")


def test_each_follow_up_is_a_page_of_its_own_asked_only_where_the_answer_calls_for_it(practitioner_client, child):
    draft_id = to_question(practitioner_client, child, QuestionKey.IDENTIFIABLE, [A.purpose()])
    steps = [
        (QuestionKey.IDENTIFIABLE, A.identifiable(), ["identifiable", "identifiable/who"]),
        (QuestionKey.CONFIDENTIAL, A.confidential(), ["confidential", "confidential/reason"]),
        (QuestionKey.CONSENT, NOT_SOUGHT, ["consent", "consent/not-sought"]),
        (QuestionKey.STATUTORY, A.statutory(), ["statutory"]),
        (
            QuestionKey.PUBLIC_INTEREST,
            A.public_interest(),
            [
                "public-interest",
                "public-interest/if-not-shared",
                "public-interest/proportionality",
                "public-interest/advice",
                "public-interest/advice-given",
            ],
        ),
        (
            QuestionKey.SHARING,
            A.sharing(),
            [
                "sharing",
                "sharing/items/1",
                "sharing/items",
                "sharing/recipient",
                "sharing/method",
                "sharing/onward",
                "sharing/told",
            ],
        ),
        (QuestionKey.DECISION, A.decision(), ["decision", "decision/when"]),
    ]
    url = question_url(draft_id, QuestionKey.IDENTIFIABLE)
    for _question, data, pages in steps:
        shown, url = walk_pages(practitioner_client, url, data)
        assert shown == pages
    assert url == reverse("sharing:check", args=[draft_id])

    # Each question's answers, recorded, are what its one form makes of the same answers.
    draft = DecisionDraft.objects.get(pk=draft_id)
    decision = SharingDecision.objects.get(pk=practitioner_client.post(url).url.rstrip("/").split("/")[-1])
    recorded = {answer.question_key: answer.answers for answer in decision.answers.all()}
    for question, data, _pages in steps:
        if question == QuestionKey.SHARING:
            continue
        whole = QUESTION_FORMS[question](data, draft=draft)
        assert whole.is_valid(), whole.errors
        assert (
            recorded[question] == guidance.answers_that_apply({**draft.answers, question: whole.to_answers()})[question]
        ), question


def test_which_consent_record_is_asked_only_of_consent_sought_and_given_or_refused(practitioner_client, child):
    draft_id = to_question(practitioner_client, child, QuestionKey.CONSENT, BEFORE_CONSENT)
    status = question_url(draft_id, QuestionKey.CONSENT)
    record = question_url(draft_id, QuestionKey.CONSENT, "record")
    covers = question_url(draft_id, QuestionKey.CONSENT, "covers")
    assert list(practitioner_client.get(status).context["form"].fields) == ["status"]
    # Not before consent sought and given or refused is the answer.
    assert practitioner_client.get(record).url == status
    assert practitioner_client.post(status, {"status": "refused"}).url == record
    page = practitioner_client.get(record)
    assert list(page.context["form"].fields) == ["consent_record"]
    assert "record the consent" in page_text(page)
    # Whether a consent covers the purpose: never of a refusal.
    assert practitioner_client.get(covers).url == record
    given = A.consent(status="obtained")
    assert practitioner_client.post(status, given).url == record
    # Nor before the record of the consent given is chosen (3.3.14).
    assert practitioner_client.get(covers).url == record
    assert practitioner_client.post(record, given).url == covers
    assert list(practitioner_client.get(covers).context["form"].fields) == ["consent_covers"]
    assert page_of(practitioner_client.post(covers, given).url) == "sharing"
    chosen = DecisionDraft.objects.get(pk=draft_id).answers["consent"]
    assert chosen["consent_covers"] is True
    assert chosen["consent_summary"].startswith("Given by Kelly Turner (mother)")

    # 3.7.2: a record chosen as consent given is no answer once the answer is that consent was refused.
    practitioner_client.post(status, {"status": "refused"})
    kept = DecisionDraft.objects.get(pk=draft_id).answers["consent"]
    assert kept == {"status": "refused"}
    response = practitioner_client.post(record, given)
    assert response.status_code == 200
    assert "That record is a consent given, not refused" in page_text(response)


def test_with_no_consent_record_to_choose_the_page_says_to_record_one_first(practitioner_client, agency):
    child = ChildFactory(agency=agency)
    draft_id = to_question(practitioner_client, child, QuestionKey.CONSENT, BEFORE_CONSENT)
    record = question_url(draft_id, QuestionKey.CONSENT, "record")
    practitioner_client.post(question_url(draft_id, QuestionKey.CONSENT), {"status": "obtained"})
    page = practitioner_client.get(record)
    assert "There is no consent record to choose: record the consent first." in page_text(page)
    response = practitioner_client.post(record, {})
    assert response.status_code == 200
    assert "Select the consent record, or record the consent first" in page_text(response)


def test_a_consent_recorded_from_the_record_page_is_chosen_there_on_coming_back(practitioner_client, child, lead):
    draft_id = to_question(practitioner_client, child, QuestionKey.CONSENT, BEFORE_CONSENT)
    status = question_url(draft_id, QuestionKey.CONSENT)
    record = question_url(draft_id, QuestionKey.CONSENT, "record")
    practitioner_client.post(status, {"status": "obtained"})
    assert practitioner_client.get(record).context["consent_add_url"].endswith(f"?draft={draft_id}")
    father = RelationshipFactory(child=child, relationship="father").adult
    newest = record_consent(user=lead, child=child, responder=father)
    # The consent page sends the practitioner back to question 4 with the record it made.
    back = practitioner_client.get(f"{status}?consent={newest.pk}")
    assert back.url == f"{record}?consent={newest.pk}"
    assert practitioner_client.get(back.url).context["form"].initial["consent_record"] == str(newest.pk)


def test_a_consent_recorded_before_the_answer_is_given_offers_that_answer_and_then_the_record(
    practitioner_client, child, lead
):
    draft_id = to_question(practitioner_client, child, QuestionKey.CONSENT, BEFORE_CONSENT)
    status = question_url(draft_id, QuestionKey.CONSENT)
    record = question_url(draft_id, QuestionKey.CONSENT, "record")
    refused = record_consent(user=lead, child=child, response="refused", review_on=None)
    page = practitioner_client.get(f"{status}?consent={refused.pk}")
    assert page.context["form"].initial["status"] == "refused"
    sent = practitioner_client.post(f"{status}?consent={refused.pk}", {"status": "refused"})
    assert sent.url == f"{record}?consent={refused.pk}"


def test_3_5_21_a_reason_for_departing_from_the_guidance_has_a_page_only_for_a_departure(practitioner_client, child):
    steps = [A.purpose(legitimate_purpose="no"), A.sharing()]
    draft_id = to_question(practitioner_client, child, QuestionKey.DECISION, steps)
    shown, _url = walk_pages(
        practitioner_client,
        question_url(draft_id, QuestionKey.DECISION),
        A.decision(departure_reason="The father asked in person and is entitled to it."),
    )
    assert shown == ["decision", "decision/departure", "decision/when"]
    kept = DecisionDraft.objects.get(pk=draft_id).answers["decision"]
    assert kept["departure_reason"] == "The father asked in person and is entitled to it."
