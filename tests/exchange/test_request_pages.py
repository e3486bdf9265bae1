"""Logging a request a page at a time (exchange.request_pages): which pages are asked, what is dropped, and the
pages as a practitioner uses them."""

import pytest
from django.http import QueryDict
from django.urls import reverse

from exchange import request_drafts
from exchange import request_pages as pages
from exchange.models import InformationRequest
from records.models import Agency
from tests.exchange.request_post_data import correct_through_the_pages, request_post, through_the_request_pages
from tests.factories import AgencyFactory, ChildFactory, RelationshipFactory, StaffMembershipFactory
from tests.page_text import page_text

POLICE = pages.Answers(asked_agency_is_police=True, adults_linked=True)
NEITHER = pages.Answers(asked_agency_is_police=False, adults_linked=False)
EVERY_TIME = ["requester", "received", "known", "information", "reason", "others", "risk"]


# The rules, as plain functions.


def test_the_police_category_is_asked_of_a_request_made_to_the_police_only():
    """3.6.9: the categories are what the police can lawfully answer; 3.6.10: any other request is declined."""
    assert pages.police_category_asked(asked_agency_is_police=True)
    assert not pages.police_category_asked(asked_agency_is_police=False)
    assert pages.page_applies("police-category", POLICE)
    assert not pages.page_applies("police-category", NEITHER)


def test_the_adults_are_asked_only_when_the_child_has_adults_linked():
    """3.7.9: recorded in the child's file, or the file of the adult who is a parent."""
    assert pages.adults_asked(adults_linked=True)
    assert not pages.adults_asked(adults_linked=False)
    assert pages.page_applies("adults", POLICE)
    assert not pages.page_applies("adults", NEITHER)


def test_every_other_page_is_asked_of_every_request():
    assert pages.pages_that_apply(NEITHER) == EVERY_TIME
    assert pages.pages_that_apply(POLICE) == [*EVERY_TIME, "police-category", "adults"]
    assert not pages.page_applies("no-such-page", POLICE)


def test_the_fields_of_pages_that_do_not_apply_are_dropped():
    assert pages.fields_that_do_not_apply(NEITHER) == {"police_category", "adults"}
    assert pages.fields_that_do_not_apply(POLICE) == set()
    draft = request_drafts.RequestDraft(
        key="k", typed={"police_category": ["none"], "adults": ["1"], "reason": ["Why"], "received_on_0": ["3"]}
    )
    assert draft.applying_typed(NEITHER) == {"reason": ["Why"], "received_on_0": ["3"]}
    assert draft.applying_typed(POLICE) == draft.typed


def test_back_goes_to_the_page_before_that_applies():
    assert pages.previous_page("requester", POLICE) is None
    assert pages.previous_page("adults", POLICE) == "police-category"
    assert pages.previous_page("adults", pages.Answers(adults_linked=True)) == "risk"
    assert pages.previous_page(pages.CHECK, NEITHER) == "risk"
    assert pages.previous_page(pages.CHECK, POLICE) == "adults"


def test_a_page_opens_only_once_the_pages_before_it_are_answered():
    assert pages.is_reachable("requester", POLICE, set())
    assert not pages.is_reachable("received", POLICE, set())
    assert pages.is_reachable("received", POLICE, {"requester"})
    assert not pages.is_reachable("police-category", NEITHER, set(EVERY_TIME))
    assert pages.is_reachable(pages.CHECK, NEITHER, set(EVERY_TIME))
    assert not pages.is_reachable(pages.CHECK, POLICE, set(EVERY_TIME))
    assert pages.first_page_to_answer(POLICE, set(EVERY_TIME)) == "police-category"
    assert pages.first_page_to_answer(NEITHER, set(EVERY_TIME)) == pages.CHECK


def test_continue_goes_to_the_next_page_not_answered_else_back_to_the_check_page():
    assert pages.after_saving("requester", POLICE, {"requester"}) == "received"
    everything = set(pages.pages_that_apply(POLICE))
    assert pages.after_saving("received", POLICE, everything) == pages.CHECK
    assert pages.after_saving("risk", POLICE, everything - {"adults"}) == "adults"


def test_a_page_keeps_only_its_own_answers():
    draft = request_drafts.RequestDraft(key="k", typed={"reason": ["Before"], "requester_name": ["Sam"]})
    sent = QueryDict(mutable=True)
    sent.update({"reason": "After\x00", "requester_name": "Not this page's", "intended_use": "Plan"})
    kept = request_drafts.with_page(draft, page="reason", sent=sent)
    assert dict(kept.lists()) == {"reason": ["After"], "intended_use": ["Plan"], "requester_name": ["Sam"]}


# The pages, as a practitioner uses them.


@pytest.fixture
def child(agency):
    return ChildFactory(agency=agency, given_name="Mia")


def _up_to(client, child, page: str) -> str:
    url = reverse("exchange:request_add", args=[child.pk])
    while not url.split("?")[0].rstrip("/").endswith(f"/{page}"):
        response = client.post(url, request_post())
        assert response.status_code == 302, page_text(response)[:500]
        url = response.url
    return url


def test_each_page_asks_one_thing_with_its_question_as_the_heading(practitioner_client, child):
    RelationshipFactory(child=child)
    headings = {}
    url = reverse("exchange:request_add", args=[child.pk])
    while not url.endswith(f"/{pages.CHECK}/"):
        response = practitioner_client.get(url)
        text = page_text(response)
        headings[url.rstrip("/").split("/")[-1]] = next(
            line for line in text.splitlines() if line in {page.title for page in pages.PAGES}
        )
        url = practitioner_client.post(url, request_post()).url
    assert list(headings.values()) == [pages.BY_SLUG[slug].title for slug in [*EVERY_TIME, "adults"]]


def test_a_page_left_blank_says_what_is_missing_and_records_nothing(practitioner_client, child):
    url = _up_to(practitioner_client, child, "information")
    response = practitioner_client.post(url, {})
    assert response.status_code == 200
    assert "Enter what information they need" in page_text(response)
    assert practitioner_client.get(reverse("exchange:request_add_page", args=[child.pk, "reason"])).url == url
    assert not InformationRequest.objects.exists()


def test_the_check_page_shows_every_answer_and_links_to_change_it(practitioner_client, child):
    mother = RelationshipFactory(child=child)
    adults = _up_to(practitioner_client, child, "adults")
    check = practitioner_client.post(adults, {"adults": [str(mother.adult_id)]}).url
    text = page_text(practitioner_client.get(check))
    assert "Check your answers before logging the request" in text
    assert "DC Sam Reid" in text and "A strategy discussion under s47 this afternoon." in text
    assert mother.adult.full_name in text
    html = practitioner_client.get(check).content.decode()
    assert f'href="{reverse("exchange:request_add", args=[child.pk])}"' in html  # the first page's own address
    for slug in [*EVERY_TIME[1:], "adults"]:
        assert f'href="{reverse("exchange:request_add_page", args=[child.pk, slug])}"' in html, slug
    # Changed from the check page, a page goes back there.
    changed = practitioner_client.post(
        reverse("exchange:request_add_page", args=[child.pk, "reason"]),
        request_post(reason="A child protection conference tomorrow."),
    )
    assert changed.url == check
    logged = practitioner_client.post(check)
    request = InformationRequest.objects.get()
    assert logged.url == reverse("exchange:request_detail", args=[request.pk])
    assert request.reason == "A child protection conference tomorrow."
    assert list(request.adults.all()) == [mother.adult]
    # Logged once: the draft is gone, and the first page starts afresh.
    assert practitioner_client.get(check).url == reverse("exchange:request_add", args=[child.pk])


def test_an_adult_no_longer_linked_is_asked_again_not_recorded(practitioner_client, child):
    link = RelationshipFactory(child=child)
    other = RelationshipFactory(child=child)
    url = _up_to(practitioner_client, child, "adults")
    check = practitioner_client.post(url, {"adults": [str(link.adult_id)]}).url
    link.delete()
    assert practitioner_client.post(check).url == url
    assert not InformationRequest.objects.exists()
    practitioner_client.post(url, {"adults": [str(other.adult_id)]})
    practitioner_client.post(check)
    assert list(InformationRequest.objects.get().adults.all()) == [other.adult]


def test_the_adults_page_is_not_asked_of_a_child_with_no_adults_linked(practitioner_client, child):
    check = _up_to(practitioner_client, child, pages.CHECK)
    assert check.endswith(f"/{pages.CHECK}/")
    assert practitioner_client.get(reverse("exchange:request_add_page", args=[child.pk, "adults"])).url == check
    assert "Does the request also concern" not in page_text(practitioner_client.get(check))


def test_an_unknown_page_is_not_found(practitioner_client, child):
    assert practitioner_client.get(reverse("exchange:request_add_page", args=[child.pk, "nope"])).status_code == 404


@pytest.fixture
def police_client(client, db):
    police = AgencyFactory(name="Northgate Police", kind=Agency.Kind.POLICE)
    officer = StaffMembershipFactory(agency=police).user
    client.force_login(officer)
    client.child = ChildFactory(agency=police)
    return client


def test_a_police_force_is_asked_the_category_with_its_paragraphs_linked(police_client):
    url = _up_to(police_client, police_client.child, "police-category")
    page = police_client.get(url)
    text = page_text(page)
    assert "Which category of request is this?" in text
    assert "(guidance paragraph 3.6.9)" in text and "(guidance paragraph 3.6.10)" in text
    assert reverse("about:guidance", args=["3.6.9"]) in page.content.decode()


def test_the_known_page_links_its_paragraph(practitioner_client, child):
    page = practitioner_client.get(_up_to(practitioner_client, child, "known"))
    assert "by calling their agency back (guidance paragraph 3.7.4)" in page_text(page)


def test_a_correction_reuses_the_pages_and_keeps_what_it_replaced(practitioner_client, practitioner, child):
    through_the_request_pages(practitioner_client, reverse("exchange:request_add", args=[child.pk]), request_post())
    request = InformationRequest.objects.get()
    check = practitioner_client.get(reverse("exchange:request_change", args=[request.pk])).url
    assert check == reverse("exchange:request_change_page", args=[request.pk, pages.CHECK])
    # A page changed goes back to the check page, whose "Save corrections" records it.
    page = reverse("exchange:request_change_page", args=[request.pk, "information"])
    assert (
        practitioner_client.get(page).context["form"].initial["information_needed"]
        == (request_post()["information_needed"])
    )
    assert practitioner_client.post(page, {"information_needed": "Any police call-outs."}).url == check
    assert InformationRequest.objects.get().information_needed == request_post()["information_needed"]
    saved = practitioner_client.post(check)
    assert saved.url == reverse("exchange:request_detail", args=[request.pk])
    request.refresh_from_db()
    assert request.information_needed == "Any police call-outs."
    assert request.history.count() == 2
    # Saved: the correction is over; its pages send back to the start, which reads the request afresh.
    assert practitioner_client.get(page).url == reverse("exchange:request_change", args=[request.pk])


def test_a_correction_with_errors_stays_on_its_page(practitioner_client, child):
    through_the_request_pages(practitioner_client, reverse("exchange:request_add", args=[child.pk]), request_post())
    request = InformationRequest.objects.get()
    response = correct_through_the_pages(practitioner_client, request, request_post(requester_name=""))
    assert "Enter the name of the person asking" in page_text(response)
    assert InformationRequest.objects.get().requester_name == "DC Sam Reid"
