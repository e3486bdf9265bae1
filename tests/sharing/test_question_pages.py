"""Question 1, one thing to a page (guidance.PAGES): purpose, legal basis, level of concern, the tests of 3.5.4,
and the conclusion, each its own page, saved to the draft as it is sent."""

import re
from datetime import timedelta
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from sharing import services
from sharing.guidance import QuestionKey
from sharing.models import DecisionDraft
from tests.factories import ChildFactory
from tests.page_text import page_text
from tests.sharing import answers as A
from tests.sharing.recorded import complete_answers, complete_draft

PAGE_NAMES = ["legal-basis", "concern", "tests", "conclusion"]
TESTS = ["need_to_know", "proportionate", "statutory_restriction", "secondary_disclosure", "anonymised_would_do"]


@pytest.fixture
def child(agency):
    return ChildFactory(agency=agency, given_name="Mia", family_name="Turner")


@pytest.fixture
def draft(practitioner, child):
    return services.draft_start(user=practitioner, child=child, adults=[], direction="proposing")


def first_page(draft) -> str:
    return reverse("sharing:question", args=[draft.pk, QuestionKey.PURPOSE])


def page_url(draft, page: str) -> str:
    return reverse("sharing:question_page", args=[draft.pk, QuestionKey.PURPOSE, page])


def asked(response) -> list[str]:
    return list(response.context["form"].fields)


def error_links(response) -> list[str]:
    summary = response.content.decode().split('govuk-error-summary__list">')[1].split("</ul>")[0]
    return re.findall(r'href="#([^"]+)"', summary)


def test_each_page_asks_one_thing_and_goes_on_to_the_next(practitioner_client, draft):
    page = practitioner_client.get(first_page(draft))
    assert asked(page) == ["purpose"]
    assert "Mia Turner: question 1 of 8, part 1 of 5: purpose" in page_text(page)
    sent = practitioner_client.post(first_page(draft), A.purpose())
    assert sent.url == page_url(draft, "legal-basis")
    fields = {
        "legal-basis": ["legal_bases", "legal_basis_other"],
        "concern": ["concern_level"],
        "tests": TESTS,
        "conclusion": ["legitimate_purpose"],
    }
    for number, name in enumerate(PAGE_NAMES, start=2):
        page = practitioner_client.get(sent.url)
        assert asked(page) == fields[name]
        assert f"question 1 of 8, part {number} of 5" in page_text(page)
        sent = practitioner_client.post(page_url(draft, name), A.purpose())
    # The conclusion saved, on to question 2, with question 1's answers kept as one, in today's names.
    assert sent.url == reverse("sharing:question", args=[draft.pk, QuestionKey.IDENTIFIABLE])
    draft.refresh_from_db()
    assert draft.answers["purpose"] == {
        "purpose": A.purpose()["purpose"],
        "legal_bases": ["ca2004-s11", "dpa2018-sch1-para18"],
        "legal_basis_other": "",
        "concern_level": "reasonable_cause_to_believe",
        "need_to_know": True,
        "proportionate": True,
        "statutory_restriction": False,
        "secondary_disclosure": False,
        "anonymised_would_do": False,
        "legitimate_purpose": True,
    }


def test_back_goes_to_the_page_before_within_the_question(practitioner_client, draft, child):
    assert practitioner_client.get(first_page(draft)).context["back_url"] == reverse(
        "oversight:child_detail", args=[child.pk]
    )
    url = A.send_pages_before(practitioner_client, first_page(draft), "legal-basis")
    assert practitioner_client.get(url).context["back_url"] == first_page(draft)
    url = A.send_pages_before(practitioner_client, url, "tests")
    assert practitioner_client.get(url).context["back_url"] == page_url(draft, "concern")
    question_2 = A.send_question(practitioner_client, url, A.purpose()).url
    # From question 2, back to question 1's conclusion.
    assert practitioner_client.get(question_2).context["back_url"] == page_url(draft, "conclusion")


def test_the_tests_of_3_5_4_left_unanswered_are_at_most_five_errors_each_by_its_field(practitioner_client, draft):
    url = A.send_pages_before(practitioner_client, first_page(draft), "tests")
    response = practitioner_client.post(url, {})
    assert response.status_code == 200
    assert error_links(response) == [f"id_{name}_1" for name in TESTS]
    text = page_text(response)
    assert "There is a problem" in text
    assert "Establishing a legitimate purpose (guidance paragraph 3.5.4)" in text
    # Each message next to its question too, and the page's title says it has errors.
    # Its question, the explanation of the word, then the message.
    proportionate = text[text.index("Is sharing proportionate to the purpose?") :]
    assert proportionate.split("\n")[1].startswith("Proportionate means a balanced response")
    assert "Select yes if sharing is proportionate to the purpose" in proportionate.split("\n")[2]
    assert text.startswith("Error: Establishing a legitimate purpose: Question 1: Is there a legitimate purpose")
    draft.refresh_from_db()
    assert "need_to_know" not in draft.answers["purpose"]


def test_a_later_page_is_not_opened_before_the_pages_before_it(practitioner_client, draft):
    response = practitioner_client.get(page_url(draft, "tests"))
    assert response.url == first_page(draft)
    A.send_pages_before(practitioner_client, first_page(draft), "concern")
    assert practitioner_client.get(page_url(draft, "conclusion")).url == page_url(draft, "concern")


@pytest.mark.parametrize(
    "address",
    [
        lambda draft: page_url(draft, "no-such-page"),
        # The first page is at the question's own address only.
        lambda draft: page_url(draft, "purpose"),
    ],
)
def test_a_page_that_is_not_one_is_not_found(practitioner_client, draft, address):
    assert practitioner_client.get(address(draft)).status_code == 404


def test_only_a_question_asked_over_several_pages_has_page_addresses(practitioner_client, draft):
    # Addresses under a draft that name another question are another page's (advice's "ask"), or none.
    assert practitioner_client.get(f"/decisions/drafts/{draft.pk}/identifiable/tests/").status_code == 404
    assert practitioner_client.get(reverse("advice:ask", args=[draft.pk])).status_code != 404


def test_save_and_come_back_later_keeps_this_page_s_typing_beside_the_others(practitioner_client, draft):
    url = A.send_pages_before(practitioner_client, first_page(draft), "tests")
    sent = practitioner_client.post(url, {"need_to_know": "no", "action": "save_later"})
    assert sent.url == reverse("sharing:drafts")
    draft.refresh_from_db()
    # Unchecked, and kept: not yet an answer.
    assert "need_to_know" not in draft.answers["purpose"]
    page = practitioner_client.get(url)
    assert page.context["form"].initial["need_to_know"] == "no"
    assert page.context["form"].initial["proportionate"] == ""
    # The pages answered before keep their answers.
    assert practitioner_client.get(first_page(draft)).context["form"].initial["purpose"] == A.purpose()["purpose"]


def test_what_a_request_explained_fills_the_purpose_and_the_level_of_concern_pages(practitioner_client, draft):
    draft.unsaved = {"purpose": {"purpose": "Asked by the health visitor.", "concern_level": "lower"}}
    draft.save()
    page = practitioner_client.get(first_page(draft))
    assert page.context["form"].initial["purpose"] == "Asked by the health visitor."
    practitioner_client.post(first_page(draft), {"purpose": "Asked by the health visitor."})
    url = A.send_pages_before(practitioner_client, page_url(draft, "legal-basis"), "concern")
    assert practitioner_client.get(url).context["form"].initial["concern_level"] == "lower"
    practitioner_client.post(url, {"concern_level": "lower"})
    draft.refresh_from_db()
    assert draft.unsaved == {}


def test_the_task_list_opens_question_1_begun_at_its_first_page_still_to_answer(practitioner_client, draft):
    A.send_pages_before(practitioner_client, first_page(draft), "concern")
    response = practitioner_client.get(reverse("sharing:task_list", args=[draft.pk]))
    text = page_text(response)
    assert "Question 1: Is there a legitimate purpose to share the information?\nIncomplete" in text
    links = re.findall(r'<a class="govuk-link govuk-task-list__link" href="([^"]+)"', response.content.decode())
    assert links == [page_url(draft, "concern")]


def change_links(response) -> dict[str, str]:
    """{what a Change link says to a screen reader: where it goes} on the check page."""
    html = response.content.decode()
    return {
        " ".join(unescape(re.sub(r"<[^>]+>", " ", text)).split()): unescape(href)
        for href, text in re.findall(r'<a class="govuk-link" href="([^"]+)">(Change.*?)</a>', html)
    }


def test_each_answer_to_question_1_is_changed_on_its_page_and_back_to_the_check_page(
    practitioner_client, practitioner, child
):
    draft = complete_draft(user=practitioner, child=child)
    check = reverse("sharing:check", args=[draft.pk])
    links = change_links(practitioner_client.get(check))
    assert links["Change answer: What is the purpose of sharing the information?"] == first_page(draft) + "?from=check"
    assert links["Change answer: What is the level of concern about the child at this time?"] == (
        page_url(draft, "concern") + "?from=check"
    )
    assert links["Change answer: Is sharing proportionate to the purpose?"] == page_url(draft, "tests") + "?from=check"
    assert links["Change answer: Having considered these, is there a legitimate purpose to share the information?"] == (
        page_url(draft, "conclusion") + "?from=check"
    )
    # So is each answer to the other questions asked over pages, the first at the question's own address.
    assert links["Change answer: Does the information identify the child or anyone else?"] == (
        reverse("sharing:question", args=[draft.pk, QuestionKey.IDENTIFIABLE]) + "?from=check"
    )
    assert links["Change answer: How has the information been anonymised?"] == (
        reverse("sharing:question_page", args=[draft.pk, QuestionKey.IDENTIFIABLE, "anonymised"]) + "?from=check"
    )
    assert links["Change answer: Date of the decision"] == (
        reverse("sharing:question_page", args=[draft.pk, QuestionKey.DECISION, "when"]) + "?from=check"
    )
    assert links["Change answer: What have you decided?"] == (
        reverse("sharing:question", args=[draft.pk, QuestionKey.SHARING]) + "?from=check"
    )

    change = page_url(draft, "concern") + "?from=check"
    assert practitioner_client.get(change).context["back_url"] == check
    sent = practitioner_client.post(change, {"concern_level": "lower"})
    assert sent.url == check
    assert DecisionDraft.objects.get(pk=draft.pk).answers["purpose"]["concern_level"] == "lower"
    assert "A lower level of concern" in page_text(practitioner_client.get(check))


def test_what_was_typed_on_a_later_page_is_kept_through_a_time_out(client, practitioner, draft, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    client.force_login(practitioner)
    url = A.send_pages_before(client, first_page(draft), "conclusion")
    time_machine.shift(timedelta(minutes=45))  # a long phone call
    response = client.post(url, {"legitimate_purpose": "no"})
    assert response.url == f"{reverse('login')}?next={url}"
    client.force_login(practitioner)  # signing in again
    page = client.get(url)
    assert "What you typed has been kept below." in page_text(page)
    assert page.context["form"].initial["legitimate_purpose"] == "no"
    draft.refresh_from_db()
    assert "legitimate_purpose" not in draft.answers["purpose"], "nothing sent after the time-out is acted on"


def test_each_item_of_question_7_is_changed_on_its_own_page_and_back_to_the_check_page(
    practitioner_client, practitioner, child
):
    shared = {**complete_answers()[QuestionKey.SHARING], "recipient_agency_kind": "health"}
    draft = complete_draft(user=practitioner, child=child, sharing=shared)
    check = reverse("sharing:check", args=[draft.pk])
    item = reverse("sharing:question_item", args=[draft.pk, QuestionKey.SHARING, 1]) + "?from=check"
    listing = reverse("sharing:question_page", args=[draft.pk, QuestionKey.SHARING, "items"]) + "?from=check"
    assert change_links(practitioner_client.get(check))["Change answer: Item 1 (fact)"] == item
    assert practitioner_client.get(item).context["back_url"] == listing
    assert practitioner_client.post(item, {"text": "A corrected summary.", "kind": "opinion"}).url == listing
    assert practitioner_client.post(listing, {"add_another": "no"}).url == check
    assert "Item 1 (opinion)\nA corrected summary." in page_text(practitioner_client.get(check))
    assert DecisionDraft.objects.get(pk=draft.pk).answers["sharing"]["items"] == [
        {"text": "A corrected summary.", "kind": "opinion"}
    ]
