"""Recording, withdrawing and renewing consent, as a practitioner would."""

from datetime import date, timedelta

import pytest
from django.db import DatabaseError, connection, models, transaction
from django.urls import reverse
from django.utils import timezone

from consent.models import ConsentRecord
from ledger import immutability
from ledger.models import Entry, ImmutableRecordError, Leaf
from records.models import ParentalResponsibility
from tests.consent.consent_data import record_consent
from tests.consent.consent_post_data import by_parent, by_young_person, consent_post, refusal, through_the_pages
from tests.factories import AdultFactory, ChildFactory, RelationshipFactory
from tests.ledger_data import seal, verify_log
from tests.page_text import reader_text


def years_ago(years: int, days: int = 30) -> date:
    today = timezone.localdate()
    return today.replace(year=today.year - years) - timedelta(days=days)


@pytest.fixture
def child(agency):
    return ChildFactory(agency=agency, given_name="Ellie", family_name="Smith", date_of_birth=years_ago(15))


@pytest.fixture
def mother(child):
    return RelationshipFactory(child=child, adult__given_name="Grace")


def add(client, child, data):
    return through_the_pages(client, reverse("consent:add", args=[child.pk]), data)


def page_of(client, child, page, data):
    """A page of recording a consent, the pages before it answered with ``data``."""
    url = reverse("consent:add", args=[child.pk])
    while not url.rstrip("/").endswith(f"/{page}"):
        response = client.post(url, data)
        assert response.status_code == 302, errors(response)
        url = response.url
    return client.get(url)


def errors(response):
    return {field: list(messages) for field, messages in response.context["form"].errors.items()}


def history(client, child) -> list[str]:
    """The consent history on the child's page, a line a record, as a reader sees it."""
    html = client.get(reverse("oversight:child_detail", args=[child.pk])).content.decode()
    start = html.index("Consent history, newest first")
    body = html[html.index("<tbody", start) : html.index("</tbody>", start)]
    return [" ".join(reader_text(f"<tr{row}").splitlines()) for row in body.split("<tr")[1:]]


def test_a_competent_fifteen_year_old_consents_themself(practitioner_client, practitioner, child):
    response = add(practitioner_client, child, consent_post())
    record = ConsentRecord.objects.get()
    assert response.url == reverse("consent:detail", args=[record.pk])
    assert (record.by_child, record.child_age, record.child_competent) == (True, 15, True)
    assert record.competence["own_view"] is True
    assert record.scope_recipient_kinds == ["school", "health"]
    assert record.recorded_by == practitioner
    page = practitioner_client.get(response.url).content.decode()
    assert "Consent given by Ellie" in page
    assert "Can the child express a clear personal view" in page
    assert "Children of 12 or over may generally be expected" in page
    assert "Current" in page


@pytest.mark.parametrize("age", [11, 12, 16, 17])
def test_a_child_judged_competent_can_consent_at_any_age(practitioner_client, agency, age):
    child = ChildFactory(agency=agency, date_of_birth=years_ago(age))
    assert add(practitioner_client, child, consent_post()).status_code == 302
    assert ConsentRecord.objects.get().child_age == age


@pytest.mark.parametrize("age", [11, 15, 17])
def test_a_child_judged_not_competent_cannot_consent_themself(practitioner_client, agency, age):
    child = ChildFactory(agency=agency, date_of_birth=years_ago(age))
    response = add(practitioner_client, child, consent_post(child_competent="no"))
    assert "cannot give or refuse consent themself" in errors(response)["child_competent"][0]
    assert not ConsentRecord.objects.exists()


@pytest.mark.parametrize("age", [16, 17])
def test_3_3_15_a_young_person_of_16_or_17_consents_without_an_assessment(practitioner_client, agency, age):
    young_person = ChildFactory(agency=agency, given_name="Jade", family_name="Okafor", date_of_birth=years_ago(age))
    understanding = page_of(practitioner_client, young_person, "understanding", by_young_person())
    form_page = reader_text(understanding.content.decode())
    assert (
        f"The child is {age}: a young person of 16 or 17 may give or refuse consent themself (guidance paragraph "
        "3.3.15), so their understanding need not be assessed." in form_page
    )

    response = add(practitioner_client, young_person, by_young_person())

    record = ConsentRecord.objects.get()
    assert response.url == reverse("consent:detail", args=[record.pk])
    assert (record.by_child, record.child_age, record.child_competent, record.competence) == (True, age, None, {})
    assert (record.assessed_by, record.assessed_on) == ("", None)
    assert record.child_decides
    page = reader_text(practitioner_client.get(response.url).content.decode()).splitlines()
    assert (
        "Able to give or refuse consent themself Yes: a young person of 16 or 17 may (guidance paragraph 3.3.15). "
        "Their understanding "
        "was not assessed." in page
    )
    assert f"Age when answering {age}" in page
    assert not [line for line in page if "Can the child" in line or line.startswith("Judged competent")]


def test_a_young_person_of_16_judged_not_competent_cannot_consent_themself(practitioner_client, agency):
    # 3.3.18: where the professional judges they are not competent, a person with parental responsibility is asked.
    young_person = ChildFactory(agency=agency, date_of_birth=years_ago(16))
    response = add(practitioner_client, young_person, by_young_person(child_competent="no"))
    assert errors(response) == {
        "child_competent": [
            "A child judged not competent cannot give or refuse consent themself: ask a person with parental "
            "responsibility"
        ]
    }
    assert not ConsentRecord.objects.exists()


def test_a_fifteen_year_old_is_not_presumed_able_to_consent(practitioner_client, child):
    page = reader_text(page_of(practitioner_client, child, "understanding", by_young_person()).content.decode())
    assert "Assess this child, on this occasion, against the criteria" in page
    assert "need not be assessed" not in page
    response = add(practitioner_client, child, by_young_person())
    assert set(errors(response)) == {"child_competent", "assessed_by", "assessed_on", "explained_how"}
    assert not ConsentRecord.objects.exists()


def test_3_3_17_a_child_under_16_judged_competent_against_an_unmet_criterion_must_have_the_reason(
    practitioner_client, child
):
    unmet = consent_post()
    del unmet["criterion_consistent"]

    response = add(practitioner_client, child, unmet)

    message = (
        "The child was judged competent although 1 of the 7 criteria was not met: explain why in the notes on the "
        "assessment"
    )
    assert errors(response) == {"assessment_notes": [message]}
    assert not ConsentRecord.objects.exists()
    # The error is beside the notes, in the summary too, and what was typed is kept.
    page = reader_text(response.content.decode())
    assert f"There is a problem\n{message}" in page
    notes = page.index(
        "Notes on the assessment\nIf the child was judged competent although a criterion above was not met"
    )
    assert page[notes:].split("\n")[2] == message, "the error under the question it is about"
    assert response.context["form"]["assessed_by"].value() == "Priya Shah, social worker"

    reason = "Ellie has held the same view for two months; she wavered once, on a day she was unwell."
    ok = add(practitioner_client, child, {**unmet, "assessment_notes": reason})

    record = ConsentRecord.objects.get()
    assert ok.url == reverse("consent:detail", args=[record.pk])
    assert (record.child_competent, record.competence["consistent"], record.assessment_notes) == (True, False, reason)
    detail = reader_text(practitioner_client.get(ok.url).content.decode()).splitlines()
    assert f"Notes {reason}" in detail
    assert (
        "The child was judged competent although 1 of the 7 criteria was not met: the reason is in the notes. "
        "(guidance paragraph 3.3.17)" in detail
    )


def test_a_refusal_is_asked_what_was_sought_and_not_about_withdrawing_or_reviewing(practitioner_client, child):
    refused = refusal(consent_post(how_signalled="Ellie said no: not the school."))
    form_page = reader_text(page_of(practitioner_client, child, "scope", refused).content.decode())
    assert "told would be shared" not in form_page
    assert "What information was the person asked to agree to share?" in form_page

    response = add(practitioner_client, child, refused)

    record = ConsentRecord.objects.get()
    assert response.url == reverse("consent:detail", args=[record.pk])
    assert (record.response, record.told_can_withdraw, record.review_on) == ("refused", None, None)
    assert record.scope_information == "That she has asked for support with anxiety."
    page = reader_text(practitioner_client.get(response.url).content.decode()).splitlines()
    assert "Consent refused by Ellie Smith" in page
    assert "Would have been shared with School, NHS trust or GP practice" in page
    assert "What recipients would have used it for To offer support sessions." in page
    assert not [line for line in page if line.startswith(("Told they can withdraw", "Review by", "Shared with"))]


def test_a_refusal_records_no_answer_about_withdrawing_or_a_review_even_if_one_was_typed(practitioner_client, child):
    response = add(practitioner_client, child, consent_post(response="refused"))
    assert response.status_code == 302
    record = ConsentRecord.objects.get()
    assert (record.told_can_withdraw, record.review_on) == (None, None)


def test_consent_given_is_still_asked_about_withdrawing_and_a_review(practitioner_client, child):
    response = add(practitioner_client, child, refusal(consent_post()) | {"response": "given"})
    assert errors(response) == {
        "told_can_withdraw": ["Select whether the person was told they can withdraw consent"],
        "review_on": ["Enter when this consent should be reviewed"],
    }


def test_the_childs_understanding_must_be_assessed(practitioner_client, child):
    response = add(practitioner_client, child, consent_post(child_competent="", assessed_by="", explained_how=""))
    found = errors(response)
    assert "Select whether the child was judged competent" in found["child_competent"]
    assert "Enter who assessed the child's understanding" in found["assessed_by"]
    assert "Describe how it was explained to the child" in found["explained_how"]


def test_a_parent_with_parental_responsibility_consents_for_the_child(practitioner_client, child, mother):
    assert add(practitioner_client, child, by_parent(mother.adult_id)).status_code == 302
    record = ConsentRecord.objects.get()
    assert (record.responder, record.responder_parental_responsibility) == (mother.adult, "yes")
    assert record.competence == {}


@pytest.mark.parametrize("responsibility", [ParentalResponsibility.NO, ParentalResponsibility.NOT_KNOWN])
def test_an_adult_without_parental_responsibility_cannot_consent_for_the_child(
    practitioner_client, child, responsibility
):
    partner = RelationshipFactory(child=child, relationship="parents_partner", parental_responsibility=responsibility)
    response = add(practitioner_client, child, by_parent(partner.adult_id))
    assert "Only a person with parental responsibility" in errors(response)["responder"][0]


def test_a_non_resident_parent_needs_a_reason_when_the_resident_parent_was_not_asked(
    practitioner_client, child, mother
):
    father = RelationshipFactory(child=child, relationship="father", lives_with_child=False)
    response = add(practitioner_client, child, by_parent(father.adult_id))
    assert "Explain why the parent the child does not live with was asked" in errors(response)["non_resident_reason"]
    ok = add(practitioner_client, child, by_parent(father.adult_id, non_resident_reason="Mother in hospital."))
    assert ok.status_code == 302


def test_a_family_in_conflict_records_the_advice_taken(practitioner_client, child, mother):
    response = add(practitioner_client, child, by_parent(mother.adult_id, family_conflict="on"))
    assert "record the advice" in errors(response)["conflict_advice"][0]
    ok = add(
        practitioner_client,
        child,
        by_parent(mother.adult_id, family_conflict="on", conflict_advice="Information lead advised asking the mother."),
    )
    assert ok.status_code == 302
    assert ConsentRecord.objects.get().family_conflict


def test_an_adult_consents_about_their_own_information(practitioner_client, child):
    partner = RelationshipFactory(child=child, relationship="parents_partner", parental_responsibility="no")
    ok = add(practitioner_client, child, by_parent(partner.adult_id, about=str(partner.adult_id)))
    assert ok.status_code == 302
    assert ConsentRecord.objects.get().about_adult == partner.adult


def test_nobody_consents_about_someone_elses_information(practitioner_client, child, mother):
    # Who answered is not asked about an adult's own information: they answer for themself.
    partner = RelationshipFactory(child=child, relationship="parents_partner")
    assert add(practitioner_client, child, by_parent(mother.adult_id, about=str(partner.adult_id))).status_code == 302
    assert add(practitioner_client, child, consent_post(about=str(partner.adult_id))).status_code == 302
    assert {(record.about_adult, record.responder) for record in ConsentRecord.objects.all()} == {
        (partner.adult, partner.adult)
    }


def test_given_consent_needs_a_review_date_after_the_answer(practitioner_client, child):
    response = add(practitioner_client, child, consent_post(review_on_0="", review_on_1="", review_on_2=""))
    assert "Enter when this consent should be reviewed" in errors(response)["review_on"]
    past = timezone.localdate() - timedelta(days=10)
    response = add(
        practitioner_client,
        child,
        consent_post(review_on_0=str(past.day), review_on_1=str(past.month), review_on_2=str(past.year)),
    )
    assert "The review date must be after the date of the answer" in errors(response)["review_on"]


def test_the_scope_explained_to_the_person_is_required(practitioner_client, child):
    response = add(
        practitioner_client,
        child,
        consent_post(scope_information="", scope_purposes="", scope_recipient_kinds=[], told_can_withdraw=""),
    )
    assert set(errors(response)) == {"scope_information", "scope_purposes", "scope_recipient_kinds"}


def test_an_adult_of_another_agency_is_not_a_choice(practitioner_client, child, other_agency):
    stranger = AdultFactory(agency=other_agency)
    response = add(practitioner_client, child, by_parent(stranger.pk))
    assert "responder" in errors(response)


def test_withdrawal_is_a_new_record_that_supersedes_the_consent(practitioner_client, child):
    add(practitioner_client, child, consent_post())
    given = ConsentRecord.objects.get()
    today = timezone.localdate()
    response = practitioner_client.post(
        reverse("consent:withdraw", args=[given.pk]),
        {
            "responded_on_0": str(today.day),
            "responded_on_1": str(today.month),
            "responded_on_2": str(today.year),
            "explicitness": "explicit",
            "form": "verbal",
            "how_signalled": "Ellie told me she no longer wants the school nurse told.",
        },
    )
    withdrawal = ConsentRecord.objects.get(response="withdrawn")
    assert response.url == reverse("consent:detail", args=[withdrawal.pk])
    assert withdrawal.supersedes == given
    assert withdrawal.scope_purposes == given.scope_purposes
    given.refresh_from_db()
    assert given.how_signalled == "Signed the form after we talked it through."
    # 18 (3.3.22): the consent withdrawn says so, as does the withdrawal.
    assert given.status(today) == "withdrawn"
    assert withdrawal.status(today) == "withdrawn"
    assert history(practitioner_client, child) == [
        f"{today:%-d %B %Y} Ellie Smith Withdrawn by Ellie Smith Withdrawn",
        f"{given.responded_on:%-d %B %Y} Ellie Smith Given by Ellie Smith Withdrawn",
    ]
    page = reader_text(practitioner_client.get(reverse("consent:detail", args=[given.pk])).content.decode())
    assert "\nWithdrawn\n" in page
    assert "Superseded" not in page
    assert f"Withdrawn On {today:%-d %B %Y}: the record of the withdrawal" in page.splitlines()
    again = practitioner_client.get(reverse("consent:withdraw", args=[given.pk]))
    assert again.url == reverse("consent:detail", args=[given.pk])
    assert Entry.objects.filter(kind="consent").count() == 2, "the consent and its withdrawal, each entered once"
    seal()
    report = verify_log()
    assert report.intact, report.first_problem


def test_renewal_supersedes_and_keeps_the_history(practitioner_client, child):
    add(practitioner_client, child, consent_post())
    first = ConsentRecord.objects.get()
    form = practitioner_client.get(reverse("consent:renew", args=[child.pk, first.pk]))
    assert form.context["form"].initial["scope_purposes"] == "A referral for emotional support."
    response = through_the_pages(
        practitioner_client,
        reverse("consent:renew", args=[child.pk, first.pk]),
        consent_post(scope_purposes="Support and a referral."),
    )
    assert response.status_code == 302
    renewed = ConsentRecord.objects.exclude(pk=first.pk).get()
    assert renewed.supersedes == first
    assert ConsentRecord.objects.count() == 2
    # Replaced by a newer consent, not withdrawn: "Superseded".
    assert [line.rsplit(" ", 1)[-1] for line in history(practitioner_client, child)] == ["Current", "Superseded"]
    page = reader_text(practitioner_client.get(reverse("consent:detail", args=[first.pk])).content.decode())
    assert "\nSuperseded\n" in page
    assert f"Replaced by The record of {renewed.responded_on:%-d %B %Y} (given)" in page.splitlines()
    assert practitioner_client.get(reverse("consent:renew", args=[child.pk, first.pk])).status_code == 404


def test_a_consent_is_superseded_once_even_when_two_people_try(practitioner, child):
    from consent import services

    first = record_consent(user=practitioner, child=child)
    services.consent_withdraw(
        user=practitioner,
        record=first,
        details=services.WithdrawalDetails(
            responded_on=timezone.localdate(), explicitness="implied", form="", how_signalled="x"
        ),
    )
    with pytest.raises(services.AlreadySuperseded):
        services.consent_withdraw(
            user=practitioner,
            record=first,
            details=services.WithdrawalDetails(
                responded_on=timezone.localdate(), explicitness="implied", form="", how_signalled="y"
            ),
        )


def test_consent_records_are_append_only_in_the_model_and_the_database(practitioner, child):
    record = record_consent(user=practitioner, child=child)
    record.how_signalled = "Rewritten"
    with pytest.raises(ImmutableRecordError):
        record.save()
    with pytest.raises(ImmutableRecordError):
        ConsentRecord.objects.all().delete()
    with pytest.raises(DatabaseError), transaction.atomic():
        models.QuerySet(ConsentRecord).update(how_signalled="Rewritten")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM consent_consentrecord")
    assert ConsentRecord.objects.get().how_signalled == "Signed the form."


def test_the_log_covers_consent_records(practitioner, child):
    record = record_consent(user=practitioner, child=child)
    assert list(Entry.objects.filter(kind="consent").values_list("record_id", flat=True)) == [str(record.pk)]
    seal()
    assert verify_log().intact
    position = Leaf.objects.get(entry__kind="consent").position
    immutability.remove(connection)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE consent_consentrecord SET scope_purposes = %s WHERE id = %s", ["Anything at all.", record.pk.hex]
        )
    immutability.install(connection)
    report = verify_log()
    assert not report.intact
    assert str(report.first_problem) == (
        f"log entry {position} (consent {record.pk}): the record's content no longer matches its entry in the log"
    )


def test_another_agency_cannot_see_or_add_consent(client, practitioner, other_practitioner, child):
    record = record_consent(user=practitioner, child=child)
    client.force_login(other_practitioner)
    assert client.get(reverse("consent:detail", args=[record.pk])).status_code == 404
    assert client.get(reverse("consent:add", args=[child.pk])).status_code == 404
    assert client.get(reverse("consent:withdraw", args=[record.pk])).status_code == 404
    assert client.get(reverse("consent:signed_form", args=[record.pk])).status_code == 404


def test_an_agency_administrator_does_not_read_consent(admin_client_agency, practitioner, child):
    record = record_consent(user=practitioner, child=child)
    assert admin_client_agency.get(reverse("consent:detail", args=[record.pk])).status_code == 404


def test_the_lead_sees_consents_due_for_review(client, practitioner, lead, agency, child, other_agency):
    today = timezone.localdate()
    due = record_consent(user=practitioner, child=child, responded_on=today - timedelta(days=400), review_on=today)
    record_consent(user=practitioner, child=child, review_on=today + timedelta(days=30))
    elsewhere = ChildFactory(agency=other_agency, date_of_birth=years_ago(10))
    record_consent(user=practitioner, child=elsewhere, responded_on=today - timedelta(days=400), review_on=today)
    client.force_login(lead)
    page = client.get(reverse("oversight:dashboard"))
    assert [record.pk for record in page.context["board"].consent_reviews.rows] == [due.pk]
    assert "For review" in client.get(reverse("records:child_search")).content.decode()
    client.force_login(practitioner)
    assert client.get(reverse("oversight:dashboard")).status_code == 403
    child_page = client.get(reverse("oversight:child_detail", args=[child.pk])).content.decode()
    assert "Review due" in child_page


def test_from_a_decision_consent_is_only_about_the_people_it_concerns(practitioner_client, child, mother):
    other = RelationshipFactory(child=child, relationship="parents_partner")
    url = practitioner_client.post(
        reverse("sharing:start", args=[child.pk]), {"direction": "proposing", "adults": [str(mother.adult_id)]}
    ).url
    draft_id = url.split("/")[-3]
    form = practitioner_client.get(reverse("consent:add", args=[child.pk]) + f"?draft={draft_id}").context["form"]
    about = [key for key, _ in form.fields["about"].choices]
    assert about == ["child", str(mother.adult_id)]
    assert str(other.adult_id) not in about


def test_a_draft_about_another_child_is_ignored(practitioner_client, agency, child):
    sibling = ChildFactory(agency=agency)
    url = practitioner_client.post(reverse("sharing:start", args=[sibling.pk]), {"direction": "proposing"}).url
    draft_id = url.split("/")[-3]
    response = through_the_pages(
        practitioner_client, reverse("consent:add", args=[child.pk]) + f"?draft={draft_id}", consent_post()
    )
    assert response.url.startswith("/consent/")


def test_a_withdrawal_carries_the_scope_but_not_the_old_assessment(practitioner, child):
    from consent import services

    given = record_consent(user=practitioner, child=child)
    withdrawal = services.consent_withdraw(
        user=practitioner,
        record=given,
        details=services.WithdrawalDetails(
            responded_on=timezone.localdate(), explicitness="implied", form="", how_signalled="x"
        ),
    )
    assert withdrawal.scope_purposes == given.scope_purposes
    assert (withdrawal.competence, withdrawal.child_competent, withdrawal.assessed_by) == ({}, None, "")


def test_consent_recorded_before_birth_has_no_age(practitioner, agency):
    child = ChildFactory(agency=agency, date_of_birth=timezone.localdate() - timedelta(days=20))
    record = record_consent(user=practitioner, child=child, responded_on=timezone.localdate() - timedelta(days=60))
    assert record.child_age is None


def test_the_childs_own_answer_records_nothing_typed_in_the_parents_section(practitioner_client, child):
    typed = {"family_conflict": "on", "conflict_advice": "Asked the lead.", "non_resident_reason": "Father asked."}
    response = add(practitioner_client, child, consent_post(**typed))
    assert response.status_code == 302
    record = ConsentRecord.objects.get()
    assert (record.by_child, record.child_competent) == (True, True)
    assert (record.family_conflict, record.conflict_advice, record.non_resident_reason) == (False, "", "")
    page = reader_text(practitioner_client.get(response.url).content.decode())
    assert "Asked the lead." not in page
    assert "Father asked." not in page
    assert verify_log().intact


def test_the_assessment_of_a_childs_understanding_is_explained_where_it_is_asked(practitioner_client, agency):
    """Issue 17, point 9: what the 3.3.17 assessment is, from the guidance, with its paragraphs linked."""
    child = ChildFactory(agency=agency, date_of_birth=years_ago(9))
    html = page_of(practitioner_client, child, "understanding", consent_post()).content.decode()
    form_page = reader_text(html)
    assert (
        "A child under 16 can give or refuse consent themself if they understand enough to decide. Assess this "
        "child, on this occasion, against the criteria of guidance paragraph 3.3.17:"
    ) in form_page
    assert "Children of 12 or over can generally be expected to understand enough" in form_page
    assert f'href="{reverse("about:guidance", args=["3.3.17"])}">guidance paragraph 3.3.17</a>' in html
