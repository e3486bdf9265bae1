"""The looks that issue 15 found unlogged are in the access log (ASVS 16.3.2): each of the eight question
pages, the decision's start page, recording and withdrawing consent, logging and correcting a request,
recording a disclosure, reviewing a decision, the drafts list, the recently changed children, connecting an
adult, adding one, and asking for advice. Each is one event, about the child, which the child's audit
history shows to the agency's lead. (tests/test_role_matrix.py checks every URL's declaration and event.)"""

import pytest
from django.test import Client
from django.urls import reverse

from audit.models import AccessEvent, Action, Subject
from exchange import disclosure_drafts
from sharing.models import DecisionDraft
from tests.consent.consent_data import record_consent
from tests.exchange.recorded import log_request
from tests.factories import AdultFactory, ChildFactory, RelationshipFactory
from tests.page_text import reader_text
from tests.sharing import answers as A
from tests.sharing.recorded import complete_draft, record_decision

# The path through all eight questions (consent not sought, the public interest decides: 3.5.16).
EIGHT_QUESTIONS = [
    ("purpose", A.purpose()),
    ("identifiable", A.identifiable()),
    ("confidential", A.confidential()),
    ("consent", A.consent(status="not_sought", not_sought_reason="child_at_increased_risk")),
    ("statutory", A.statutory()),
    ("public-interest", A.public_interest()),
    ("sharing", A.sharing()),
    ("decision", A.decision()),
]


@pytest.fixture
def child(agency):
    return ChildFactory(agency=agency, given_name="Mia", family_name="Turner")


def looks_of(user) -> list[tuple]:
    return list(
        AccessEvent.objects.filter(user=user, action__in=[Action.VIEW, Action.SEARCH, Action.EXPORT])
        .order_by("pk")
        .values_list("action", "subject", "child_id", "detail")
    )


def test_each_of_the_eight_question_pages_is_a_look_and_sending_one_is_not(practitioner_client, practitioner, child):
    started = practitioner_client.post(reverse("sharing:start", args=[child.pk]), {"direction": "proposing"})
    draft = DecisionDraft.objects.get()
    assert started.url == reverse("sharing:question", args=[draft.pk, "purpose"])
    before = len(looks_of(practitioner))
    url = started.url
    for question, answers in EIGHT_QUESTIONS:
        assert f"/{question}/" in url
        assert practitioner_client.get(url).status_code == 200
        url = practitioner_client.post(url, answers).url
        # A question's later pages (guidance.PAGES), each a look of its own; an item of question 7 is added on a
        # page of its own, then the list of items says there is no other.
        while f"/{question}/" in url:
            assert practitioner_client.get(url).status_code == 200
            if url.endswith("/items/1/"):
                sent = A.items_posted(answers)[0]
            else:
                sent = {"add_another": "no"} if url.endswith("/items/") else answers
            url = practitioner_client.post(url, sent).url
    assert url == reverse("sharing:check", args=[draft.pk])
    later_pages = {
        "purpose": ("legal-basis", "concern", "tests", "conclusion"),
        "identifiable": ("who",),
        "confidential": ("reason",),
        "consent": ("not-sought",),
        "public-interest": ("if-not-shared", "proportionality", "advice", "advice-given"),
        "sharing": ("items", "recipient", "method", "onward", "told"),
        "decision": ("when",),
    }
    # Question 7's first item is added on a page of its own, before its list.
    first_looks = {"sharing": ["question: sharing", "question: sharing, item"]}
    assert looks_of(practitioner)[before:] == [
        (Action.VIEW, Subject.DRAFT, child.pk, detail)
        for question, _ in EIGHT_QUESTIONS
        for detail in [
            *first_looks.get(question, [f"question: {question}"]),
            *(f"question: {question}, page: {page}" for page in later_pages.get(question, ())),
        ]
    ]


@pytest.fixture
def case(practitioner, child):
    """A child's records, each made through the services."""
    mother = RelationshipFactory(child=child)
    decision = record_decision(user=practitioner, child=child)
    return {
        "child": child,
        "consent": record_consent(user=practitioner, child=child, responder=mother.adult),
        "decision": decision,
        "request": log_request(practitioner, child, days_ago=1),
        "draft": complete_draft(user=practitioner, child=child),
    }


def _disclosure_begun(case, name: str, page) -> str:
    decision = case["decision"]
    disclosure_drafts.draft_start(user=decision.recorded_by, decision=decision)
    return reverse(name, args=[decision.pk, page])


PAGES = {
    "the decision's start page": (
        lambda c: reverse("sharing:start", args=[c["child"].pk]),
        Subject.CHILD,
        "to start a decision",
    ),
    "recording consent": (
        lambda c: reverse("consent:add", args=[c["child"].pk]),
        Subject.CHILD,
        "to record consent",
    ),
    "renewing consent": (
        lambda c: reverse("consent:renew", args=[c["child"].pk, c["consent"].pk]),
        Subject.CHILD,
        lambda c: f"to renew consent {c['consent'].pk}",
    ),
    "withdrawing consent": (
        lambda c: reverse("consent:withdraw", args=[c["consent"].pk]),
        Subject.CONSENT,
        "to withdraw",
    ),
    "logging a request": (
        lambda c: reverse("exchange:request_add", args=[c["child"].pk]),
        Subject.CHILD,
        "to log a request",
    ),
    # Recording a disclosure, a page at a time: its items, begun from what the decision planned, and an item.
    "recording a disclosure": (
        lambda c: _disclosure_begun(c, "exchange:disclosure_page", "items"),
        Subject.DECISION,
        "to record a disclosure, page: items",
    ),
    "recording a disclosure's item": (
        lambda c: _disclosure_begun(c, "exchange:disclosure_item", 1),
        Subject.DECISION,
        "to record a disclosure, item",
    ),
    "adding an adult": (
        lambda c: reverse("records:adult_add", args=[c["child"].pk]),
        Subject.CHILD,
        "to add an adult",
    ),
    "connecting an adult": (
        lambda c: reverse("records:adult_link", args=[c["child"].pk]),
        Subject.CHILD,
        "to connect an adult",
    ),
    "asking for advice": (
        lambda c: reverse("advice:ask", args=[c["draft"].pk]),
        Subject.DRAFT,
        "to ask for advice",
    ),
}


@pytest.mark.parametrize("page", PAGES)
def test_a_page_about_a_childs_records_is_one_look_about_the_child(practitioner_client, practitioner, lead, case, page):
    url_of, subject, detail = PAGES[page]
    before = len(looks_of(practitioner))
    assert practitioner_client.get(url_of(case)).status_code == 200
    detail = detail(case) if callable(detail) else detail
    assert looks_of(practitioner)[before:] == [(Action.VIEW, subject, case["child"].pk, detail)]


def test_correcting_a_request_is_one_look_at_the_request_a_page(practitioner_client, practitioner, case):
    start = practitioner_client.get(reverse("exchange:request_change", args=[case["request"].pk]))
    assert looks_of(practitioner) == []  # a redirect to the check page shows nothing
    assert practitioner_client.get(start.url).status_code == 200
    page = reverse("exchange:request_change_page", args=[case["request"].pk, "requester"])
    assert practitioner_client.get(page).status_code == 200
    correcting = (Action.VIEW, Subject.REQUEST, case["child"].pk, "to correct")
    assert looks_of(practitioner) == [correcting, correcting]


def test_reviewing_a_decision_is_a_look_by_the_lead(client, practitioner, lead, child):
    decision = record_decision(user=practitioner, child=child)
    client.force_login(lead)
    assert client.get(reverse("sharing:review_add", args=[decision.pk])).status_code == 200
    assert looks_of(lead) == [(Action.VIEW, Subject.DECISION, child.pk, "to review")]


def test_the_drafts_list_and_the_recently_changed_children_are_looks(practitioner_client, practitioner, child):
    complete_draft(user=practitioner, child=child)
    practitioner_client.get(reverse("sharing:drafts"))
    practitioner_client.get(reverse("records:child_search"))
    assert looks_of(practitioner) == [
        (Action.VIEW, Subject.DRAFTS, None, "1 listed"),
        (Action.VIEW, Subject.CHILDREN, None, "recently changed: 1 listed"),
    ]


def test_connecting_an_adult_logs_the_search_without_the_name_typed(practitioner_client, practitioner, agency, child):
    AdultFactory(agency=agency, given_name="Rosa", family_name="Lindqvist")
    url = reverse("records:adult_link", args=[child.pk])
    page = practitioner_client.post(url, {"name": "Lindqvist"})
    assert "Rosa Lindqvist" in reader_text(page.content.decode())
    (search,) = looks_of(practitioner)
    assert search == (Action.SEARCH, Subject.CHILD, child.pk, "adults to connect, by name: 1 found")
    assert "Lindqvist" not in str(AccessEvent.objects.get(action=Action.SEARCH).ledger_document())


def test_the_lead_reads_these_looks_in_the_childs_audit_history(practitioner_client, practitioner, lead, case):
    practitioner_client.get(reverse("consent:withdraw", args=[case["consent"].pk]))
    assert practitioner_client.get(reverse("sharing:question", args=[case["draft"].pk, "purpose"])).status_code == 200
    leads_browser = Client()
    leads_browser.force_login(lead)
    history = reader_text(
        leads_browser.get(reverse("oversight:child_history", args=[case["child"].pk])).content.decode()
    )
    assert "Viewed: consent record (to withdraw)" in history
    assert "Viewed: draft decision (question: purpose)" in history
