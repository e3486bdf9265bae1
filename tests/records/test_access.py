"""Sign-in is required everywhere but an explicit allow-list, and agencies
never see each other's records."""

import uuid

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.factories import ChildFactory, RelationshipFactory

# Pages that answer without signing in. The ledger's public key is public by design (ADR 13):
# a receipt is worth something only if whoever holds it can fetch the key to check it.
# Someone who cannot sign in asks for a password reset, and opens the link it sends, or their invitation's.
# Help and the statements a public service owes everyone are open too (about/views.py).
OPEN_TO_ANONYMOUS = {
    "about:help",
    "about:accessibility",
    "about:privacy",
    "about:cookies",
    "login",
    "logout",
    "healthz",
    "admin:login",
    "admin:logout",
    "ledger:public_key",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "invitation_accept",
}


def _all_patterns(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _all_patterns(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}", pattern


def _example_url(name: str, pattern: URLPattern) -> str:
    regex = pattern.pattern.regex
    if regex.groups and not regex.groupindex:
        return reverse(name, args=["1"] * regex.groups)
    return reverse(name, kwargs=_example_kwargs(pattern))


def _example_kwargs(pattern: URLPattern) -> dict:
    converters = getattr(pattern.pattern, "converters", {})
    kwargs = {}
    for name in pattern.pattern.regex.groupindex:
        kind = type(converters.get(name)).__name__
        if kind == "UUIDConverter":
            kwargs[name] = uuid.uuid4()
        elif name == "app_label":
            kwargs[name] = "records"
        elif kind == "PagedQuestionConverter":  # a question asked over several pages, and one of its pages
            kwargs[name] = "purpose"
        elif name == "page":
            kwargs[name] = "tests"
        else:
            kwargs[name] = "1"
    return kwargs


ALL_PATTERNS = sorted(_all_patterns(), key=lambda item: item[0])


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "pattern"), ALL_PATTERNS, ids=[name for name, _ in ALL_PATTERNS])
def test_anonymous_users_are_sent_to_sign_in(client, name, pattern):
    url = _example_url(name, pattern)
    response = client.get(url)
    if name in OPEN_TO_ANONYMOUS:
        assert response.status_code in {200, 302, 405}
        return
    assert response.status_code == 302, f"{name} answered {response.status_code} to an anonymous user"
    assert response.url.startswith(("/accounts/login/", "/admin/login/")), response.url


def test_the_walk_found_the_service_pages():
    names = {name for name, _ in ALL_PATTERNS}
    assert {"records:child_search", "oversight:child_detail", "records:adult_add", "home"} <= names


@pytest.fixture
def foreign_child(other_agency):
    return ChildFactory(agency=other_agency)


@pytest.mark.parametrize(
    "route",
    ["oversight:child_detail", "records:child_change", "records:adult_add", "records:adult_link"],
)
def test_another_agencys_child_is_not_found(practitioner_client, foreign_child, route):
    response = practitioner_client.get(reverse(route, args=[foreign_child.pk]))
    assert response.status_code == 404


def test_another_agencys_child_cannot_be_changed_by_post(practitioner_client, foreign_child):
    response = practitioner_client.post(
        reverse("records:child_change", args=[foreign_child.pk]),
        {"family_name": "Changed", "given_name": "X", "born": "yes", "sex": "male"},
    )
    assert response.status_code == 404
    foreign_child.refresh_from_db()
    assert foreign_child.family_name != "Changed"


def test_another_agencys_adult_is_not_found(practitioner_client, other_agency):
    link = RelationshipFactory(child=ChildFactory(agency=other_agency))
    response = practitioner_client.get(reverse("records:adult_change", args=[link.child.pk, link.pk]))
    assert response.status_code == 404


def test_a_relationship_cannot_be_reached_through_another_child(practitioner_client, agency):
    mine = ChildFactory(agency=agency)
    link = RelationshipFactory(child=ChildFactory(agency=agency))
    response = practitioner_client.get(reverse("records:adult_change", args=[mine.pk, link.pk]))
    assert response.status_code == 404


def test_search_never_returns_another_agencys_children(practitioner_client, agency, foreign_child):
    ChildFactory(agency=agency, family_name=foreign_child.family_name)
    practitioner_client.post(reverse("records:child_search"), {"text": foreign_child.family_name})
    response = practitioner_client.get(reverse("records:child_search"))
    assert [c.agency_id for c in response.context["results"]] == [agency.pk]
    assert str(foreign_child.pk) not in response.content.decode()


def test_an_agency_administrator_does_not_read_case_records(admin_client_agency, agency):
    child = ChildFactory(agency=agency)
    assert admin_client_agency.get(reverse("oversight:child_detail", args=[child.pk])).status_code == 404
    assert admin_client_agency.get(reverse("records:child_add")).status_code == 403
    assert admin_client_agency.get(reverse("records:child_search")).status_code == 403


def test_a_lead_reads_their_agencys_children(lead_client, agency):
    child = ChildFactory(agency=agency)
    assert lead_client.get(reverse("oversight:child_detail", args=[child.pk])).status_code == 200


def test_staff_of_a_deactivated_agency_lose_access(practitioner_client, agency):
    child = ChildFactory(agency=agency)
    agency.is_active = False
    agency.save()
    assert practitioner_client.get(reverse("oversight:child_detail", args=[child.pk])).status_code == 404


def test_a_user_with_no_agency_reaches_no_case_record(client, django_user_model, agency):
    loner = django_user_model.objects.create_user(email="loner@example.org", password="x", full_name="Lone User")
    client.force_login(loner)
    child = ChildFactory(agency=agency)
    assert client.get(reverse("oversight:child_detail", args=[child.pk])).status_code == 404
    assert client.get(reverse("home")).status_code == 200
