"""Recording a consent one thing a page, as a practitioner would: the pages branch on who answered, keep what was
typed, and record only what applies (issue 17, points 1 and 2)."""

from datetime import date, timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from consent.models import ConsentRecord
from tests.consent.consent_post_data import by_parent, consent_post, through_the_pages
from tests.factories import ChildFactory, RelationshipFactory
from tests.ledger_data import verify_log
from tests.page_text import reader_text

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def years_ago(years: int) -> date:
    today = timezone.localdate()
    return today.replace(year=today.year - years) - timedelta(days=30)


@pytest.fixture
def child(agency):
    return ChildFactory(agency=agency, given_name="Ellie", family_name="Smith", date_of_birth=years_ago(15))


@pytest.fixture
def mother(child):
    return RelationshipFactory(child=child, adult__given_name="Grace", lives_with_child=True)


def page_url(child, page):
    return reverse("consent:add_page", args=[child.pk, page])


def answer(client, child, page, data):
    """One page answered; where the service went next."""
    url = reverse("consent:add", args=[child.pk]) if page == "about" else page_url(child, page)
    response = client.post(url, data)
    assert response.status_code == 302, reader_text(response.content.decode())
    return response.url


def text(client, url) -> str:
    return reader_text(client.get(url).content.decode())


def test_the_childs_answer_asks_about_their_understanding_and_never_the_parents_page(practitioner_client, child):
    data = consent_post()
    visited = [answer(practitioner_client, child, "about", data)]
    while not visited[-1].endswith("/check/"):
        page = visited[-1].rstrip("/").rsplit("/", 1)[-1]
        visited.append(answer(practitioner_client, child, page, data))
    assert [url.rstrip("/").rsplit("/", 1)[-1] for url in visited] == [
        "responder", "answer", "how", "understanding", "scope", "limits", "signed-form", "check",
    ]  # fmt: skip
    parents_page = practitioner_client.get(page_url(child, "parental-responsibility"))
    assert parents_page.url == page_url(child, "check"), "a page that does not apply is not asked"
    check = text(practitioner_client, page_url(child, "check"))
    assert "Check your answers before recording the consent" in check
    assert "The child's understanding" in check
    assert "Parental responsibility and the family" not in check
    assert "Who assessed it?\nPriya Shah, social worker" in check
    recorded = practitioner_client.post(page_url(child, "check"))
    record = ConsentRecord.objects.get()
    assert recorded.url == reverse("consent:detail", args=[record.pk])
    assert (record.by_child, record.child_competent, record.assessed_by) == (True, True, "Priya Shah, social worker")


def test_a_parents_answer_asks_about_parental_responsibility_and_never_the_childs_understanding(
    practitioner_client, child, mother
):
    data = by_parent(mother.adult_id)
    for page in ("about", "responder", "answer"):
        answer(practitioner_client, child, page, data)
    assert answer(practitioner_client, child, "how", data) == page_url(child, "parental-responsibility")
    page = text(practitioner_client, page_url(child, "parental-responsibility"))
    assert "Grace" in page and "has parental responsibility, lives with the child" in page
    assert "Family members are in conflict about consent" in page
    # She lives with the child: why it was her is not asked (3.3.19).
    assert "why were they asked?" not in page
    assert practitioner_client.get(page_url(child, "understanding")).url == page_url(child, "parental-responsibility")


def test_switching_to_the_childs_answer_drops_what_was_typed_on_the_parents_page(practitioner_client, child, mother):
    advice = "The information lead advised asking Grace."
    typed = by_parent(mother.adult_id, family_conflict="on", conflict_advice=advice)
    assert through_the_pages(practitioner_client, reverse("consent:add", args=[child.pk]), typed).status_code == 302
    first = ConsentRecord.objects.get()
    assert first.conflict_advice == advice

    # A second consent: a parent's answer typed, then the child's chosen instead, from the check page.
    for page in ("about", "responder", "answer", "how", "parental-responsibility", "scope", "limits", "signed-form"):
        answer(practitioner_client, child, page, typed)
    assert "The information lead advised" in text(practitioner_client, page_url(child, "check"))
    assert answer(practitioner_client, child, "responder", consent_post()) == page_url(child, "understanding")
    assert answer(practitioner_client, child, "understanding", consent_post()) == page_url(child, "check")
    check = text(practitioner_client, page_url(child, "check"))
    assert "The information lead advised" not in check
    assert "Parental responsibility and the family" not in check
    practitioner_client.post(page_url(child, "check"))
    second = ConsentRecord.objects.exclude(pk=first.pk).get()
    assert (second.by_child, second.family_conflict, second.conflict_advice) == (True, False, "")
    assert verify_log().intact


def test_switching_to_a_parent_drops_the_childs_understanding(practitioner_client, child, mother):
    for page in ("about", "responder", "answer", "how", "understanding", "scope", "limits", "signed-form"):
        answer(practitioner_client, child, page, consent_post())
    assert answer(practitioner_client, child, "responder", by_parent(mother.adult_id)) == page_url(
        child, "parental-responsibility"
    )
    answer(practitioner_client, child, "parental-responsibility", by_parent(mother.adult_id))
    check = text(practitioner_client, page_url(child, "check"))
    assert "Priya Shah, social worker" not in check
    practitioner_client.post(page_url(child, "check"))
    record = ConsentRecord.objects.get()
    assert (record.responder, record.competence, record.child_competent, record.assessed_by) == (
        mother.adult,
        {},
        None,
        "",
    )


def test_a_refusal_drops_the_answers_about_withdrawing_and_a_review(practitioner_client, child):
    for page in ("about", "responder", "answer", "how", "understanding", "scope", "limits", "signed-form"):
        answer(practitioner_client, child, page, consent_post())
    assert answer(practitioner_client, child, "answer", consent_post(response="refused")) == page_url(child, "check")
    check = text(practitioner_client, page_url(child, "check"))
    assert "Was the person told they can withdraw consent at any time?" not in check
    assert practitioner_client.get(page_url(child, "limits")).url == page_url(child, "check")
    practitioner_client.post(page_url(child, "check"))
    record = ConsentRecord.objects.get()
    assert (record.response, record.told_can_withdraw, record.review_on) == ("refused", None, None)


def test_a_signed_form_is_kept_between_pages_and_dropped_when_consent_was_not_in_writing(
    practitioner_client, child, private_media
):
    for page in ("about", "responder", "answer", "how", "understanding", "scope", "limits"):
        answer(practitioner_client, child, page, consent_post())
    signed = SimpleUploadedFile("Ellie Smith consent.pdf", PDF, content_type="application/pdf")
    assert answer(practitioner_client, child, "signed-form", {"signed_form": signed}) == page_url(child, "check")
    assert f"A PDF of {len(PDF)} bytes" in text(practitioner_client, page_url(child, "check"))
    assert f"A signed form of {len(PDF)} bytes has been uploaded" in text(
        practitioner_client, page_url(child, "signed-form")
    )
    # Given verbally after all: no signed form is asked for, and none recorded.
    answer(practitioner_client, child, "how", consent_post(form="verbal"))
    assert "Signed consent form" not in text(practitioner_client, page_url(child, "check"))
    practitioner_client.post(page_url(child, "check"))
    record = ConsentRecord.objects.get()
    assert (record.form, record.signed_form.name, record.signed_form_sha256) == ("verbal", "", "")
    assert not [path for path in Path(private_media).rglob("*") if path.is_file()], "the kept form is removed"


def test_a_signed_form_chosen_on_its_page_is_recorded_with_its_hash(practitioner_client, child, private_media):
    signed = SimpleUploadedFile("Ellie Smith consent.pdf", PDF, content_type="application/pdf")
    response = through_the_pages(
        practitioner_client, reverse("consent:add", args=[child.pk]), consent_post(signed_form=signed)
    )
    record = ConsentRecord.objects.get()
    assert response.url == reverse("consent:detail", args=[record.pk])
    assert (record.signed_form_type, record.signed_form_size) == ("application/pdf", len(PDF))
    assert Path(record.signed_form.path).read_bytes() == PDF
    assert [path for path in Path(private_media).rglob("*") if path.is_file()] == [Path(record.signed_form.path)]
    assert verify_log().intact


def test_back_shows_the_answers_as_they_were_typed(practitioner_client, child):
    for page in ("about", "responder", "answer", "how"):
        answer(practitioner_client, child, page, consent_post(how_signalled="Ellie said yes at school."))
    understanding = practitioner_client.get(page_url(child, "understanding"))
    back = reader_text(understanding.content.decode())
    assert understanding.context["back_url"] == page_url(child, "how")
    assert "Back" in back
    how = practitioner_client.get(page_url(child, "how"))
    assert how.context["form"]["how_signalled"].value() == "Ellie said yes at school."
    assert how.context["form"]["explicitness"].value() == "explicit"
    first = practitioner_client.get(reverse("consent:add", args=[child.pk]))
    assert first.context["form"]["about"].value() == "child"


def test_a_page_not_yet_reachable_sends_to_the_first_page_to_answer(practitioner_client, child):
    answer(practitioner_client, child, "about", consent_post())
    assert practitioner_client.get(page_url(child, "scope")).url == page_url(child, "responder")
    assert practitioner_client.get(page_url(child, "check")).url == page_url(child, "responder")
    assert practitioner_client.get(page_url(child, "no-such-page")).status_code == 404


def test_a_page_shows_only_its_own_errors(practitioner_client, child):
    response = practitioner_client.post(reverse("consent:add", args=[child.pk]), {})
    assert response.status_code == 200
    assert {name: list(messages) for name, messages in response.context["form"].errors.items()} == {
        "about": ["Select whose information this consent is about"]
    }


def test_an_adult_answering_about_their_own_information_is_not_asked_who_answered(practitioner_client, child):
    partner = RelationshipFactory(child=child, relationship="parents_partner", parental_responsibility="no")
    own = by_parent(partner.adult_id, about=str(partner.adult_id), family_conflict="on", conflict_advice="Asked.")
    assert answer(practitioner_client, child, "about", own) == page_url(child, "answer")
    response = through_the_pages(practitioner_client, reverse("consent:add", args=[child.pk]), own)
    assert response.status_code == 302
    record = ConsentRecord.objects.get()
    assert (record.about_adult, record.responder) == (partner.adult, partner.adult)
    assert (record.family_conflict, record.conflict_advice) == (False, "")


def test_3_3_19_a_resident_parents_reason_is_not_kept(practitioner_client, child, mother):
    typed = by_parent(mother.adult_id, non_resident_reason="Typed before the parent was changed.")
    assert through_the_pages(practitioner_client, reverse("consent:add", args=[child.pk]), typed).status_code == 302
    assert ConsentRecord.objects.get().non_resident_reason == ""


def test_a_renewal_offers_the_earlier_answers_on_each_page(practitioner_client, practitioner, child):
    through_the_pages(practitioner_client, reverse("consent:add", args=[child.pk]), consent_post())
    first = ConsentRecord.objects.get()
    renew = reverse("consent:renew", args=[child.pk, first.pk])
    assert practitioner_client.get(renew).context["form"].initial["about"] == "child"
    response = through_the_pages(practitioner_client, renew, consent_post(scope_purposes="Support and a referral."))
    renewed = ConsentRecord.objects.exclude(pk=first.pk).get()
    assert response.url == reverse("consent:detail", args=[renewed.pk])
    assert (renewed.supersedes, renewed.scope_purposes) == (first, "Support and a referral.")
