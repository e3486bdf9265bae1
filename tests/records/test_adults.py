"""Connected adults: adding, changing and connecting one already recorded."""

import re

import pytest
from django.urls import reverse

from records.models import Adult, ChildAdultRelationship
from tests.factories import AdultFactory, ChildFactory, RelationshipFactory


@pytest.fixture
def child(agency):
    return ChildFactory(agency=agency, given_name="Mia", family_name="Turner")


def adult_form(**overrides):
    data = {
        "given_name": "Dean",
        "family_name": "Turner",
        "relationship": "father",
        "parental_responsibility": "yes",
        "lives_with_child": "no",
        "phone": "07700 900 456",
    }
    data.update(overrides)
    return data


def test_add_a_connected_adult(practitioner_client, practitioner, child):
    response = practitioner_client.post(reverse("records:adult_add", args=[child.pk]), adult_form())
    assert response.url == reverse("oversight:child_detail", args=[child.pk])
    link = ChildAdultRelationship.objects.get(child=child)
    assert (link.adult.full_name, link.relationship, link.parental_responsibility, link.lives_with_child) == (
        "Dean Turner",
        "father",
        "yes",
        False,
    )
    assert link.adult.agency == child.agency
    assert link.history.get().history_user == practitioner
    page = practitioner_client.get(response.url).content.decode()
    assert "Dean Turner, father" in page
    assert "Nobody is recorded as holding parental responsibility" not in page


def test_an_empty_adult_form_names_every_missing_answer(practitioner_client, child):
    response = practitioner_client.post(reverse("records:adult_add", args=[child.pk]), {})
    html = response.content.decode()
    for message in [
        "Enter the adult&#x27;s given names",
        "Enter the adult&#x27;s family name",
        "Select how this adult is related to the child",
        "Select whether this adult holds parental responsibility",
        "Select whether this adult lives with the child",
    ]:
        assert message in html
    assert not Adult.objects.exists()


def test_other_relationship_needs_a_description_and_keeps_what_was_typed(practitioner_client, child):
    response = practitioner_client.post(
        reverse("records:adult_add", args=[child.pk]), adult_form(relationship="other", given_name="Sam")
    )
    html = response.content.decode()
    assert "Describe how this adult is related to the child" in html
    assert 'value="Sam"' in html
    assert re.search(r'value="other"\s+checked="checked"', html)
    assert 'href="#id_relationship_other"' in html


def test_the_error_summary_links_to_the_first_radio_of_a_group(practitioner_client, child):
    response = practitioner_client.post(reverse("records:adult_add", args=[child.pk]), adult_form(relationship=""))
    html = response.content.decode()
    assert 'href="#id_relationship_1"' in html
    assert 'id="id_relationship_1"' in html


def test_change_an_adult_and_their_connection(practitioner_client, child):
    link = RelationshipFactory(child=child, relationship="father", parental_responsibility="not_known")
    url = reverse("records:adult_change", args=[child.pk, link.pk])
    assert practitioner_client.get(url).context["form"].initial["parental_responsibility"] == "not_known"
    response = practitioner_client.post(
        url, adult_form(given_name=link.adult.given_name, family_name="Turner", lives_with_child="yes")
    )
    assert response.status_code == 302
    link.refresh_from_db()
    assert (link.parental_responsibility, link.lives_with_child, link.adult.family_name) == ("yes", True, "Turner")


def test_connect_an_adult_already_recorded_for_a_sibling(practitioner_client, agency, child):
    sibling_link = RelationshipFactory(child=ChildFactory(agency=agency), adult__given_name="Kelly")
    mother = sibling_link.adult
    url = reverse("records:adult_link", args=[child.pk])
    found = practitioner_client.post(url, {"name": "kelly"})
    assert list(found.context["link_form"].fields["adult"].queryset) == [mother]
    response = practitioner_client.post(
        url,
        {
            "name": "kelly",
            "connect": "1",
            "adult": str(mother.pk),
            "relationship": "mother",
            "parental_responsibility": "yes",
            "lives_with_child": "yes",
        },
    )
    assert response.status_code == 302
    assert set(mother.relationships.values_list("child_id", flat=True)) == {child.pk, sibling_link.child.pk}


def test_an_adult_of_another_agency_cannot_be_connected(practitioner_client, other_agency, child):
    stranger = AdultFactory(agency=other_agency, given_name="Kelly")
    url = reverse("records:adult_link", args=[child.pk])
    assert list(practitioner_client.post(url, {"name": "kelly"}).context["link_form"].fields["adult"].queryset) == []
    response = practitioner_client.post(
        url,
        {
            "name": "kelly",
            "connect": "1",
            "adult": str(stranger.pk),
            "relationship": "mother",
            "parental_responsibility": "yes",
            "lives_with_child": "yes",
        },
    )
    assert response.status_code == 200
    assert "Select one of the adults listed" in response.content.decode()
    assert not ChildAdultRelationship.objects.filter(adult=stranger).exists()


def test_connect_without_choosing_an_adult_is_explained(practitioner_client, agency, child):
    RelationshipFactory(child=ChildFactory(agency=agency), adult__given_name="Kelly")
    response = practitioner_client.post(
        reverse("records:adult_link", args=[child.pk]),
        {"name": "kelly", "connect": "1", "relationship": "mother"},
    )
    assert "Select the adult to connect" in response.content.decode()
