"""Finding, adding and changing children, as a practitioner would."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from records.models import Child
from tests.factories import ChildFactory

SEARCH = reverse("records:child_search")
ADD = reverse("records:child_add")


def search(client, **data):
    response = client.post(SEARCH, data)
    assert response.status_code == 302
    return client.get(SEARCH)


def result_names(response):
    return [child.full_name for child in response.context["results"]]


@pytest.fixture
def turner_children(agency):
    mia = ChildFactory(
        agency=agency, given_name="Mia", family_name="Turner", nhs_number="9434765919", local_reference="NCS-1042"
    )
    jayden = ChildFactory(agency=agency, given_name="Jayden", family_name="Turner", other_names="Jay Cole")
    ChildFactory(agency=agency, given_name="Oliver", family_name="Price")
    return mia, jayden


def test_search_by_family_name(practitioner_client, turner_children):
    assert result_names(search(practitioner_client, text="turner")) == ["Jayden Turner", "Mia Turner"]


def test_search_by_every_word_of_a_name_including_other_names(practitioner_client, turner_children):
    assert result_names(search(practitioner_client, text="jay cole")) == ["Jayden Turner"]


def test_search_by_nhs_number_typed_with_spaces(practitioner_client, turner_children):
    assert result_names(search(practitioner_client, text="943 476 5919")) == ["Mia Turner"]


def test_search_by_case_reference(practitioner_client, turner_children):
    assert result_names(search(practitioner_client, text="ncs-1042")) == ["Mia Turner"]


def test_search_by_date_of_birth(practitioner_client, turner_children):
    mia, _ = turner_children
    dob = mia.date_of_birth
    response = search(
        practitioner_client,
        date_of_birth_0=dob.day,
        date_of_birth_1=dob.month,
        date_of_birth_2=dob.year,
    )
    assert "Mia Turner" in result_names(response)


def test_search_finds_an_unborn_child_by_expected_date(practitioner_client, agency):
    due = timezone.localdate() + timedelta(days=60)
    ChildFactory(agency=agency, given_name="", family_name="Walsh", date_of_birth=None, expected_date_of_birth=due)
    response = search(practitioner_client, date_of_birth_0=due.day, date_of_birth_1=due.month, date_of_birth_2=due.year)
    assert result_names(response) == ["Unborn child of the Walsh family"]


def test_search_terms_never_appear_in_the_url(practitioner_client, turner_children):
    response = practitioner_client.post(SEARCH, {"text": "Turner"})
    assert response.url == SEARCH
    page = practitioner_client.get(response.url)
    assert page.request["QUERY_STRING"] == ""
    assert "Turner" in page.content.decode()


def test_an_empty_search_is_explained(practitioner_client):
    response = practitioner_client.post(SEARCH, {"text": "  "})
    assert response.status_code == 200
    assert "Enter a name, NHS number, case reference or date of birth" in response.content.decode()


def test_a_half_typed_date_of_birth_says_what_is_missing(practitioner_client):
    response = practitioner_client.post(SEARCH, {"text": "", "date_of_birth_0": "12", "date_of_birth_2": "2015"})
    assert "The date of birth must include a month" in response.content.decode()


def test_an_impossible_date_is_refused_not_a_500(practitioner_client):
    response = practitioner_client.post(
        SEARCH, {"date_of_birth_0": "31", "date_of_birth_1": "2", "date_of_birth_2": "2015"}
    )
    assert response.status_code == 200
    assert "The date of birth must be a real date" in response.content.decode()


def test_no_match_says_so(practitioner_client, turner_children):
    response = search(practitioner_client, text="Nobody")
    assert "No children found" in response.content.decode()


def test_clearing_the_search_forgets_it(practitioner_client, turner_children):
    search(practitioner_client, text="turner")
    response = practitioner_client.get(SEARCH + "?new")
    assert response.context["searched"] is False


def child_form(**overrides):
    data = {
        "given_name": "Ava",
        "family_name": "Brown",
        "born": "yes",
        "date_of_birth_0": "4",
        "date_of_birth_1": "7",
        "date_of_birth_2": "2019",
        "sex": "female",
        "nhs_number": "943 476 5919",
        "local_reference": "NCS-9000",
        "address": "1 High Street",
        "postcode": "NG1 1AA",
    }
    data.update(overrides)
    return data


def test_add_a_child(practitioner_client, practitioner, agency):
    response = practitioner_client.post(ADD, child_form())
    child = Child.objects.get(family_name="Brown")
    assert response.url == reverse("oversight:child_detail", args=[child.pk])
    assert child.agency == agency
    assert child.nhs_number == "9434765919"
    assert child.date_of_birth.isoformat() == "2019-07-04"
    page = practitioner_client.get(response.url)
    assert "Ava Brown has been added" in page.content.decode()
    assert "943 476 5919" in page.content.decode()


def test_adding_a_child_records_who_did_it(practitioner_client, practitioner):
    practitioner_client.post(ADD, child_form())
    child = Child.objects.get(family_name="Brown")
    assert child.history.get().history_user == practitioner


def test_an_invalid_nhs_number_is_shown_next_to_the_field_and_input_kept(practitioner_client):
    response = practitioner_client.post(ADD, child_form(nhs_number="943 476 5918"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert 'href="#id_nhs_number"' in html
    assert "Enter a valid NHS number" in html
    assert 'value="943 476 5918"' in html
    assert 'value="Ava"' in html
    assert not Child.objects.exists()


def test_a_duplicate_nhs_number_points_to_the_existing_child(practitioner_client, agency):
    ChildFactory(agency=agency, nhs_number="9434765919")
    response = practitioner_client.post(ADD, child_form(local_reference=""))
    assert "already recorded a child with this NHS number" in response.content.decode()


def test_a_born_child_needs_a_date_of_birth_and_name(practitioner_client):
    response = practitioner_client.post(
        ADD, child_form(given_name="", date_of_birth_0="", date_of_birth_1="", date_of_birth_2="")
    )
    html = response.content.decode()
    assert "Enter the date of birth" in html
    assert "Enter the child&#x27;s given names" in html


def test_an_unborn_child_needs_an_expected_date_and_keeps_no_date_of_birth(practitioner_client):
    due = timezone.localdate() + timedelta(days=90)
    response = practitioner_client.post(
        ADD,
        child_form(
            given_name="",
            born="no",
            expected_date_of_birth_0=due.day,
            expected_date_of_birth_1=due.month,
            expected_date_of_birth_2=due.year,
            nhs_number="",
        ),
    )
    assert response.status_code == 302
    child = Child.objects.get()
    assert child.is_unborn
    assert child.date_of_birth is None
    assert child.expected_date_of_birth == due


def test_a_future_date_of_birth_is_refused(practitioner_client):
    next_year = timezone.localdate().year + 1
    response = practitioner_client.post(ADD, child_form(date_of_birth_2=str(next_year)))
    assert "Date of birth must be today or in the past" in response.content.decode()


def test_a_two_digit_year_is_refused_with_a_clear_message(practitioner_client):
    response = practitioner_client.post(ADD, child_form(date_of_birth_2="19"))
    assert "must include 4 numbers" in response.content.decode()


def test_change_a_childs_details_keeps_history(practitioner_client, practitioner, agency):
    child = ChildFactory(agency=agency, given_name="Mia", family_name="Turner")
    url = reverse("records:child_change", args=[child.pk])
    form = practitioner_client.get(url)
    assert form.context["form"].initial["born"] == "yes"
    response = practitioner_client.post(
        url,
        child_form(
            given_name="Mia",
            family_name="Turner-Cole",
            nhs_number=child.nhs_number,
            local_reference=child.local_reference,
        ),
    )
    assert response.status_code == 302
    child.refresh_from_db()
    assert child.family_name == "Turner-Cole"
    latest, previous = child.history.all()[:2]
    assert (latest.family_name, latest.history_user) == ("Turner-Cole", practitioner)
    assert previous.family_name == "Turner"


def test_the_child_page_warns_when_nobody_holds_parental_responsibility(practitioner_client, agency):
    child = ChildFactory(agency=agency)
    response = practitioner_client.get(reverse("oversight:child_detail", args=[child.pk]))
    assert "Nobody is recorded as holding parental responsibility" in response.content.decode()


def test_the_child_page_shows_derived_age(practitioner_client, agency):
    child = ChildFactory(agency=agency, date_of_birth=timezone.localdate() - timedelta(days=365 * 9 + 40))
    response = practitioner_client.get(reverse("oversight:child_detail", args=[child.pk]))
    assert "(9 years old)" in response.content.decode()


def test_saving_an_address_sent_with_browser_line_endings_changes_nothing(practitioner_client):
    practitioner_client.post(ADD, child_form(address="14 Elm Grove\r\nNorthgate"))
    child = Child.objects.get(family_name="Brown")
    assert child.address == "14 Elm Grove\nNorthgate"
    change = reverse("records:child_change", args=[child.pk])
    practitioner_client.post(change, child_form(address="14 Elm Grove\r\nNorthgate", other_names="Ava Cole"))
    before, after = child.history.order_by("history_date")
    assert [c.field for c in after.diff_against(before).changes] == ["other_names"]
