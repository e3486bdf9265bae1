"""Question 1's legal bases (3.5.4), kept by platform administrators on the service's pages."""

from django.urls import reverse

from sharing import services
from sharing.guidance import QuestionKey
from sharing.models import LegalBasis
from tests.factories import ChildFactory
from tests.page_text import page_line
from tests.sharing.recorded import record_decision

LIST = reverse("sharing:legal_basis_list")
ADD = reverse("sharing:legal_basis_add")
NEW = "Adoption and Children Act 2002 section 2 (adoption services)"


def question_1(client, practitioner):
    """Question 1's legal basis page of a new draft, which has chosen no basis yet."""
    draft = services.draft_start(
        user=practitioner, child=ChildFactory(agency=practitioner.agency), adults=[], direction="proposing"
    )
    # The page after the purpose's own: the purpose given.
    draft.answers = {QuestionKey.PURPOSE.value: {"purpose": "To plan a safe home visit."}}
    draft.save()
    client.force_login(practitioner)
    return page_line(client.get(reverse("sharing:question_page", args=[draft.pk, QuestionKey.PURPOSE, "legal-basis"])))


def test_the_list_is_in_question_1s_order(platform_client):
    text = page_line(platform_client.get(LIST))
    assert "1 Children Act 1989 section 17 (children in need) Offered" in text
    assert text.index("section 17 (children in need)") < text.index("section 47 (enquiries")


def test_a_basis_added_is_offered_on_question_1(platform_client, platform_admin, client, practitioner):
    response = platform_client.post(ADD, {"label": f"  {NEW} ", "position": "3"}, follow=True)
    assert f"“{NEW}” has been added to question 1" in page_line(response)
    assert f"3 {NEW} Offered" in page_line(response)
    basis = LegalBasis.objects.get(label=NEW)
    # Its code, kept in decisions' answers, is made from its wording once.
    assert basis.code == "adoption-and-children-act-2002-section-2-adoption-services"
    assert (basis.position, basis.is_active) == (3, True)
    assert basis.history.get().history_user == platform_admin
    assert NEW in question_1(client, practitioner)


def test_a_basis_retired_is_no_longer_offered_and_decisions_keep_it(
    platform_client, platform_admin, practitioner, lead
):
    # Section 11 is a basis of the example decision (sharing.examples).
    basis = LegalBasis.objects.get(code="ca2004-s11")
    decision = record_decision(user=practitioner, child=ChildFactory(agency=practitioner.agency))
    url = reverse("sharing:legal_basis_change", args=[basis.pk])
    assert "Change a legal basis" in page_line(platform_client.get(url))
    response = platform_client.post(url, {"label": basis.label, "position": "20", "is_active": "no"}, follow=True)
    assert f"“{basis.label}” has been updated" in page_line(response)
    assert f"20 {basis.label} Retired" in page_line(response)
    basis.refresh_from_db()
    assert (basis.code, basis.is_active) == ("ca2004-s11", False)
    assert basis.history.first().history_user == platform_admin
    assert basis.label not in question_1(platform_client, practitioner)
    # The recorded decision's snapshot still reads as it was recorded.
    assert basis.label in page_line(platform_client.get(reverse("sharing:decision_detail", args=[decision.pk])))
    assert LegalBasis.objects.get(code="ca1989-s17").label in question_1(platform_client, lead)


def test_bad_input_is_summarised_at_the_top(platform_client):
    taken = LegalBasis.objects.get(code="ca1989-s47").label
    response = platform_client.post(ADD, {"label": taken.upper(), "position": "first"})
    text = page_line(response)
    assert text.startswith("Error: Add a legal basis")
    summary = text[text.index("There is a problem") :]
    assert "There is already a legal basis with this wording" in summary
    assert "Enter the place in the list as a whole number, like 4" in summary
    assert LegalBasis.objects.filter(label__iexact=taken).count() == 1


def test_the_header_marks_legal_bases(platform_client):
    page = platform_client.get(ADD).content.decode()
    assert f'href="{LIST}" aria-current="true">Legal bases' in page
