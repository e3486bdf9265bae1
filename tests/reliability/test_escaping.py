"""Script and markup typed into any free-text field is shown as text on every
page, the printable ones included, and the audit CSV exports neutralise
cells a spreadsheet would run as a formula.

The payloads go in through the service's own pages (a member of staff whose
name is a payload records a child, an adult, consents, requests, a decision,
an addendum, a disclosure and a follow-up; a lead reviews), then every page of
the service is opened as the practitioner, the lead and the agency
administrator. Each free-text field carries the payload with a tag of its own,
so a page that should show a field can be checked to show it, escaped.
"""

from __future__ import annotations

import csv
import io
import uuid
from datetime import timedelta
from functools import cached_property

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.html import escape
from django.utils.http import urlsafe_base64_encode

from advice.models import AdviceRequest
from bundles.models import Bundle
from consent import pages as consent_pages
from consent.models import ConsentRecord
from delivery.models import Delivery
from exchange import disclosure_pages, request_pages, through_service
from exchange import services as exchange_services
from exchange.models import Disclosure, InformationRequest, SentRequest
from records.models import Adult, Child, User
from records.roles import Role
from sharing import guidance
from sharing.guidance import QuestionKey
from sharing.models import DecisionDraft, LegalBasis, SharingDecision
from subject_access import paper
from subject_access.models import SubjectAccessRequest
from tests.bundles.bundle_data import bundle_post
from tests.consent.consent_post_data import by_parent, consent_post, through_the_pages
from tests.delivery.sent import send
from tests.exchange.recorded import date_fields, disclosure_post
from tests.exchange.recorded import through_the_pages as disclosure_through_the_pages
from tests.exchange.request_post_data import through_the_request_pages
from tests.exchange.through_service_data import ask_post, sent_about, through_the_ask_pages
from tests.factories import AgencyFactory, ChildFactory, StaffMembershipFactory
from tests.reliability.pages import adult_post, child_post, follow_up_not_yet_post, request_post, staff_post
from tests.sharing.recorded import complete_answers, complete_draft, record_decision

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
TEMPLATE = "{{ 7*7 }}"
FORMULAS = ['=HYPERLINK("http://x")', "+1", "-1", "@SUM(1)"]
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def payload(tag: str) -> str:
    """Script, markup and template syntax, with a tag saying which field it went in."""
    return f"{SCRIPT}{IMG}{TEMPLATE} #{tag}"


def shown_escaped(html: str, tag: str) -> bool:
    return escape(payload(tag)) in html


def raw_markup(html: str) -> list[str]:
    """Any of the payloads' markup that reached the page as markup."""
    found = []
    for raw in ("<script>alert(1)", "<img src=x", '"><img', "onerror=alert(1)>"):
        if raw.lower() in html.lower():
            found.append(raw)
    return found


def _day(days: int):
    return timezone.localdate() + timedelta(days=days)


class Scenario:
    """Everything recorded with payloads in it, through the pages."""

    def __init__(self, *, client_factory, agency, lead, agency_admin):
        self.client_factory = client_factory
        self.agency = agency
        self.lead = lead
        self.agency_admin = agency_admin

    def client(self, user):
        client = self.client_factory()
        client.force_login(user)
        return client

    def post_consent(self, client, url, data):
        response = through_the_pages(client, url, data)
        assert response.status_code == 302, (url, response.status_code, response.content[:2000])

    def post_request(self, client, url, data):
        response = through_the_request_pages(client, url, data)
        assert response.status_code == 302, (url, response.status_code, response.content[:2000])

    def post(self, client, url, data, expect=302):
        response = client.post(url, data)
        assert response.status_code == expect, (url, response.status_code, response.content[:2000])
        return response

    @cached_property
    def admin(self):
        return self.client(self.agency_admin)

    def add_staff(self, *, email: str, full_name: str, job_title: str = "Social worker") -> User:
        self.post(
            self.admin,
            reverse("records:staff_add"),
            staff_post(email=email, full_name=full_name, job_title=job_title),
        )
        return User.objects.get(email=email)

    @cached_property
    def author(self) -> User:
        return self.add_staff(
            email="author@northgate.example", full_name=payload("staff-name"), job_title=payload("job-title")
        )

    @cached_property
    def practitioner(self):
        return self.client(self.author)

    @cached_property
    def lead_client(self):
        return self.client(self.lead)

    def build(self) -> Scenario:
        p = self.practitioner
        # A child and an adult
        self.post(
            p,
            reverse("records:child_add"),
            child_post(
                given_name=payload("child-given"),
                family_name=payload("child-family"),
                other_names=payload("child-other"),
                gender_identity=payload("gender"),
                local_reference=f"{SCRIPT} #ref",
                address=f"{payload('child-address')}\n{FORMULAS[0]}",
            ),
        )
        self.child = Child.objects.get()
        self.post(
            p,
            reverse("records:adult_add", args=[self.child.pk]),
            adult_post(
                given_name=payload("adult-given"),
                family_name=payload("adult-family"),
                other_names=payload("adult-other"),
                relationship="other",
                relationship_other=payload("relationship"),
                lives_with_child="yes",
                address=payload("adult-address"),
            ),
        )
        self.adult = Adult.objects.get()
        self.link = self.child.relationships.get()
        # Consents: the child's own, and the adult's refusal for the child (they hold parental responsibility)
        long_ago = {**date_fields("responded_on", _day(-30)), **date_fields("assessed_on", _day(-30))}
        self.post_consent(
            p,
            reverse("consent:add", args=[self.child.pk]),
            consent_post(
                **long_ago,
                **date_fields("review_on", _day(0)),
                how_signalled=payload("how-signalled"),
                assessed_by=payload("assessed-by"),
                explained_how=payload("explained-how"),
                language=payload("language"),
                communication=payload("communication"),
                assessment_notes=payload("assessment-notes"),
                scope_information=payload("scope-information"),
                scope_purposes=payload("scope-purposes"),
                scope_recipients=payload("scope-recipients"),
                scope_recipient_use=payload("scope-use"),
            ),
        )
        self.post_consent(
            p,
            reverse("consent:add", args=[self.child.pk]),
            by_parent(
                self.adult.pk,
                response="refused",
                how_signalled=payload("refusal"),
                family_conflict="on",
                conflict_advice=payload("conflict-advice"),
                scope_information=payload("adult-scope"),
            ),
        )
        self.child_consent = ConsentRecord.objects.get(responder__isnull=True)
        self.adult_consent = ConsentRecord.objects.get(responder=self.adult)
        # Requests: one verified and open for a while, one from a requester named with a formula, closed
        self.post_request(
            p,
            reverse("exchange:request_add", args=[self.child.pk]),
            request_post(
                **date_fields("received_on", _day(-10)),
                requester_name=payload("requester-name"),
                requester_role=payload("requester-role"),
                requester_agency=payload("requester-agency"),
                requester_contact=payload("requester-contact"),
                information_needed=payload("information-needed"),
                reason=payload("request-reason"),
                intended_use=payload("intended-use"),
                others_to_tell=payload("others-to-tell"),
                adults=[str(self.adult.pk)],
            ),
        )
        self.request = InformationRequest.objects.get()
        self.post(
            p,
            reverse("exchange:request_verify", args=[self.request.pk]),
            {"method": "other", "details": payload("verification")},
        )
        self.post_request(
            p,
            reverse("exchange:request_add", args=[self.child.pk]),
            request_post(requester_name=FORMULAS[3], requester_agency=FORMULAS[2]),
        )
        self.closed_request = InformationRequest.objects.exclude(pk=self.request.pk).get()
        self.post(
            p,
            reverse("exchange:request_close", args=[self.closed_request.pk]),
            {"outcome": "declined", "reasons": payload("close-reasons")},
        )
        # A request sent through this service to another agency, through its pages (ADR 26); and one received
        # from another agency, its sender and the child's details as they hold them carrying payloads.
        elsewhere = AgencyFactory()
        sent = through_the_ask_pages(
            p,
            self.child,
            ask_post(
                elsewhere,
                information_needed=payload("sent-information"),
                reason=payload("sent-reason"),
                intended_use=payload("sent-use"),
                others_to_tell=payload("sent-others"),
            ),
        )
        assert sent.status_code == 302, sent.content[:2000]
        self.sent_request = SentRequest.objects.get(agency=self.agency)
        sender = StaffMembershipFactory(agency=elsewhere, job_title=payload("sender-title")).user
        sender.full_name = payload("sender-name")
        sender.save()
        self.received_request = sent_about(
            sender,
            ChildFactory(agency=elsewhere, given_name=payload("received-child"), address=payload("received-address")),
            self.agency,
            information_needed=payload("received-information"),
        )
        # A draft left unfinished, and two decisions recorded through "Check your answers"
        answers = self._decision_answers()
        self.draft = complete_draft(user=self.author, child=self.child, **answers)
        self.post(
            p,
            reverse("sharing:question", args=[self.draft.pk, QuestionKey.PURPOSE]),
            {"purpose": payload("typed-not-saved"), "action": "save_later"},
        )
        # Advice: asked about the unfinished draft and left open; asked, answered, then recorded with a decision
        self.post(
            p,
            reverse("advice:ask", args=[self.draft.pk]),
            {"question": payload("advice-open"), "to": "any_lead", "urgency": "urgent"},
        )
        self.advice = AdviceRequest.objects.get(draft=self.draft)
        self.decision = self._record(answers)
        self.unreviewed = self._record(answers, advised=True)
        # Addenda (one each with a formula, by the lead), a review, a disclosure and a follow-up
        self.post(p, reverse("sharing:addendum_add", args=[self.decision.pk]), {"text": payload("addendum")})
        for formula in FORMULAS:
            self.post(self.lead_client, reverse("sharing:addendum_add", args=[self.decision.pk]), {"text": formula})
        self.post(
            self.lead_client,
            reverse("sharing:review_add", args=[self.decision.pk]),
            {"outcome": "disagree", "reasons": payload("review-reasons"), "actions": payload("review-actions")},
        )
        recorded = disclosure_through_the_pages(
            p,
            self.decision,
            disclosure_post(
                item_1_text=payload("disclosed-item"),
                recipient_name=payload("recipient-name"),
                recipient_role=payload("recipient-role"),
                recipient_agency=payload("recipient-agency"),
                method_detail=payload("method-detail"),
                onward_sharing="yes",
                onward_detail=payload("onward-detail"),
                informed="no",
                not_informed_reason=payload("not-informed"),
                **date_fields("reconsider_on", _day(1)),
            ),
        )
        assert recorded.status_code == 302, recorded.content[:2000]
        self.disclosure = Disclosure.objects.get()
        # Another disclosure begun, under the decision not yet reviewed: its items listed, its recipient asked next.
        p.get(reverse("exchange:disclosure_add", args=[self.unreviewed.pk]))
        self.post(p, reverse("exchange:disclosure_page", args=[self.unreviewed.pk, "items"]), {"add_another": "no"})
        self.post(
            p,
            reverse("exchange:follow_up_add", args=[self.disclosure.pk]),
            # The forms take a date to think again that is still to come (3.5.19).
            follow_up_not_yet_post(reasons=payload("follow-up"), **date_fields("reconsider_on", _day(1))),
        )
        # Still not told, and the date to think again has since passed (recorded as time would leave it):
        # "For review" lists it.
        exchange_services.follow_up_record(
            user=self.author,
            disclosure=self.disclosure,
            details=exchange_services.FollowUpDetails(
                informed=False, reasons=payload("follow-up"), reconsider_on=_day(-1)
            ),
        )
        # Sent through the service to another agency, asked about there and answered (ADR 27).
        elsewhere = StaffMembershipFactory(agency=AgencyFactory(name="Southvale Police"), role=Role.SAFEGUARDING_LEAD)
        check = disclosure_through_the_pages(
            p,
            self.decision,
            disclosure_post(
                item_1_text=payload("sent-item"),
                method="through_the_service",
                send_to_agency=str(elsewhere.agency_id),
                send_to_person="leads",
                **date_fields("keep_until", _day(30)),
                onward_sharing="yes",
                onward_detail=payload("sent-onward"),
                informed="no",
                not_informed_reason=payload("sent-not-told"),
                **date_fields("reconsider_on", _day(1)),
            ),
            record=False,
        )
        assert check.status_code == 200, check.content[:2000]
        self.post(p, reverse("delivery:send", args=[self.decision.pk]), {})
        self.sent = Delivery.objects.get(from_agency=self.agency)
        self.post(
            self.client(elsewhere.user),
            reverse("delivery:received_detail", args=[self.sent.pk]),
            {"text": payload("thread-question")},
        )
        self.post(
            p, reverse("delivery:sent_detail", args=[self.sent.disclosure_id]), {"text": payload("thread-answer")}
        )
        # Received from another agency, whose sender and child are named with payloads.
        sender = StaffMembershipFactory(
            agency=AgencyFactory(name="Eastbrook Academy"), role=Role.PRACTITIONER, user__full_name=payload("sender")
        ).user
        about = ChildFactory(agency=sender.agency, given_name=payload("sent-child"))
        self.received = send(
            sender,
            record_decision(user=sender, child=about),
            to_agency=self.agency,
            items=[{"text": payload("received-item"), "kind": "opinion"}],
            onward="yes",
            onward_detail=payload("received-onward"),
            not_informed_reason=payload("received-not-told"),
        )
        # Staff named with formulas look at the child; one of them changes the child's details.
        for number, formula in enumerate(FORMULAS):
            member = self.add_staff(email=f"formula{number}@northgate.example", full_name=formula)
            looker = self.client(member)
            assert looker.get(reverse("oversight:child_detail", args=[self.child.pk])).status_code == 200
        changed = child_post(
            given_name=payload("child-given"),
            family_name=payload("child-family"),
            other_names=payload("child-other"),
            gender_identity=payload("gender"),
            local_reference=f"{SCRIPT} #ref",
            address=payload("child-address"),
            **date_fields("date_of_birth", self.child.date_of_birth),
        )
        self.post(looker, reverse("records:child_change", args=[self.child.pk]), changed)
        # A bundle of everything, for someone and for a reason typed with payloads (ADR 21).
        self.post(
            self.lead_client,
            reverse("bundles:make", args=[self.child.pk]),
            bundle_post(recipient=payload("bundle-recipient"), reason=payload("bundle-reason")),
        )
        self.bundle = Bundle.objects.get()
        return self

    @cached_property
    def subject_access_request(self):
        """A subject access request recorded by the lead through its page, what is typed carrying payloads,
        and words of the child's details redacted for a reason typed in."""
        self.post(
            self.lead_client,
            reverse("subject_access:new_for_child", args=[self.child.pk]),
            {
                "requester_is": "representative",
                "requester_name": payload("sar-requester"),
                "identity_checked": payload("sar-identity"),
                **date_fields("received_on", timezone.localdate()),
            },
        )
        recorded = SubjectAccessRequest.objects.latest("recorded_at")
        details = paper.gather(subject_access_request=recorded, user=self.lead)[0]
        piece = next(piece for piece in details.pieces if not piece.is_label)
        self.post(
            self.lead_client,
            reverse("subject_access:record", args=[recorded.pk, "details", self.child.pk]),
            {"piece": piece.number, "words": piece.text, "reason": "other", "reason_detail": payload("sar-reason")},
        )
        return recorded

    @cached_property
    def subject_access_release(self):
        """The request answered, approved through its page."""
        recorded = self.subject_access_request
        self.post(self.lead_client, reverse("subject_access:approve", args=[recorded.pk]), {"confirmed": "on"})
        answered = SubjectAccessRequest.objects.select_related("release").get(pk=recorded.pk).release
        # A request still open, for the pages of one.
        self.subject_access_request = self._second_request()
        return answered

    def _second_request(self):
        self.post(
            self.lead_client,
            reverse("subject_access:new_for_child", args=[self.child.pk]),
            {
                "requester_is": "self",
                "requester_name": payload("sar-requester-2"),
                "identity_checked": payload("sar-identity-2"),
                **date_fields("received_on", timezone.localdate()),
            },
        )
        return SubjectAccessRequest.objects.filter(release__isnull=True).get()

    def _decision_answers(self) -> dict:
        now = timezone.localtime() - timedelta(minutes=2)
        base = complete_answers()
        return {
            QuestionKey.PURPOSE: {
                **base[QuestionKey.PURPOSE],
                "purpose": payload("purpose"),
                "legal_basis_other": payload("legal-basis-other"),
            },
            QuestionKey.IDENTIFIABLE: {**base[QuestionKey.IDENTIFIABLE], "anonymisation": payload("anonymisation")},
            QuestionKey.SHARING: {
                **base[QuestionKey.SHARING],
                "items": [{"text": payload("item"), "kind": "fact"}],
                "recipient_name": payload("planned-recipient"),
                "recipient_role": payload("planned-role"),
                "recipient_agency": payload("planned-agency"),
                "recipient_need": payload("recipient-need"),
            },
            QuestionKey.DECISION: {
                "reasons": payload("decision-reasons"),
                "decided_on": now.date().isoformat(),
                "decided_time": now.strftime("%H:%M"),
            },
        }

    def _record(self, answers, advised: bool = False) -> SharingDecision:
        draft = complete_draft(user=self.author, child=self.child, **answers)
        if advised:
            self.post(
                self.practitioner,
                reverse("advice:ask", args=[draft.pk]),
                {"question": payload("advice-question"), "to": "any_lead", "urgency": "routine"},
            )
            self.answered_advice = AdviceRequest.objects.get(draft=draft)
            self.post(
                self.lead_client,
                reverse("advice:detail", args=[self.answered_advice.pk]),
                {"advice": payload("advice-given")},
            )
        self.post(self.practitioner, reverse("sharing:check", args=[draft.pk]), {})
        return DecisionDraft.objects.get(pk=draft.pk).decision


@pytest.fixture
def scenario(agency, lead, agency_admin):
    return Scenario(client_factory=Client, agency=agency, lead=lead, agency_admin=agency_admin).build()


# Every page of the service, with the records of the scenario in its URL.


def _named_patterns(resolver=None, namespace=""):
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _named_patterns(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}", pattern


URL_ARGUMENTS = {
    "child_id": lambda s: [s.child.pk],
    "link_id": lambda s: [s.link.pk],
    "draft_id": lambda s: [s.draft.pk],
    "question": lambda s: list(QuestionKey),
    # The pages of a question after its first (guidance.PAGES): only their addresses take one.
    "page": lambda s: list(dict.fromkeys(page.name for pages in guidance.PAGES.values() for page in pages[1:])),
    # Question 7's first item: only its address takes one.
    "number": lambda s: [1],
    "decision_id": lambda s: [s.decision.pk, s.unreviewed.pk],
    "review_id": lambda s: list(s.decision.reviews.values_list("pk", flat=True)),
    "addendum_id": lambda s: list(s.decision.addenda.values_list("pk", flat=True)),
    "consent_id": lambda s: [s.child_consent.pk, s.adult_consent.pk],
    "renews": lambda s: [s.child_consent.pk],
    # The pages of recording a consent after its first: with nothing answered in the session, each sends to it.
    "consent_page": lambda s: [page.slug for page in consent_pages.PAGES[1:]] + [consent_pages.CHECK],
    # The pages of recording a disclosure: those not yet reachable in the draft send to the one that is.
    "disclosure_page": lambda s: [page.slug for page in disclosure_pages.PAGES] + [disclosure_pages.CHECK],
    "request_id": lambda s: [s.request.pk, s.closed_request.pk],
    # The pages of logging a request and its check page: with nothing answered in the session, each sends to the
    # first; the pages of correcting one, once its correction has started (exchange:request_change, opened first).
    "request_page": lambda s: [page.slug for page in request_pages.PAGES] + [request_pages.CHECK],
    "disclosure_id": lambda s: [s.disclosure.pk],
    # Requests sent through this service (ADR 26): one sent, one received; the pages of asking and their check
    # page, which with nothing answered in the session send to the first.
    "sent_request_id": lambda s: [s.sent_request.pk],
    "received_request_id": lambda s: [s.received_request.pk],
    "ask_page": lambda s: [page.slug for page in through_service.PAGES] + [through_service.CHECK],
    "follow_up_id": lambda s: list(s.disclosure.follow_ups.values_list("pk", flat=True)),
    "member_id": lambda s: [s.author.pk],
    # A platform administrator's pages: refused to the three people here (tests/test_role_matrix.py).
    "agency_id": lambda s: [s.agency.pk],
    "legal_basis_id": lambda s: list(LegalBasis.objects.values_list("pk", flat=True)[:1]),
    "administrator_id": lambda s: [s.author.pk],
    "advice_id": lambda s: [s.advice.pk, s.answered_advice.pk],
    "sent_id": lambda s: [s.sent.disclosure_id],
    "received_id": lambda s: [s.received.pk],
    "bundle_id": lambda s: [s.bundle.pk],
    # Subject access requests: a released one first, then one still open (Scenario.subject_access_release).
    "release_id": lambda s: [s.subject_access_release.pk],
    "sar_id": lambda s: [s.subject_access_release.request_id, s.subject_access_request.pk],
    "adult_id": lambda s: [s.adult.pk],
    "kind": lambda s: ["details"],
    "record_id": lambda s: [s.child.pk],
    "redaction_id": lambda s: [1],
    "uidb64": lambda s: [urlsafe_base64_encode(force_bytes(s.author.pk))],
    # Removing a passkey takes a POST only: a GET is refused whichever passkey it names.
    "passkey_id": lambda s: [1],
    # A notification holds no text typed by anyone (ADR 24): opening one only goes to the page it names.
    "notification_id": lambda s: [uuid.UUID(int=1)],
    # Without a valid token in the session, the page says the link does not work.
    "token": lambda s: ["set-password"],
    # The guidance shown in the service: a paragraph, a range and the glossary.
    "reference": lambda s: ["3.5.4", "3.5.2-3.5.4", "3.8"],
}


def _urls(scenario) -> list[tuple[str, str]]:
    """(name, URL) for every page but the admin's, each record the scenario has for its arguments."""
    urls = []
    for name, pattern in _named_patterns():
        if name.startswith("admin:"):
            continue
        arguments = list(pattern.pattern.regex.groupindex)
        combinations = [{}]
        for argument in arguments:
            combinations = [
                {**combination, argument: value}
                for combination in combinations
                for value in URL_ARGUMENTS[argument](scenario)
            ]
        if "page" in arguments:
            # Only a question asked over several pages has page addresses.
            combinations = [
                combination
                for combination in combinations
                if guidance.page_named(combination["question"], combination["page"]) is not None
            ]
        if "number" in arguments and "question" in arguments:
            # Only a question with a page of items has items' addresses.
            combinations = [c for c in combinations if guidance.page_named(c["question"], guidance.ITEMS_PAGE)]
        urls += [(name, reverse(name, kwargs=combination)) for combination in combinations]
    return urls


def _pages(scenario):
    """Every page each of the three people can open: (who, name, URL, HTML)."""
    people = {"practitioner": scenario.practitioner, "lead": scenario.lead_client, "admin": scenario.admin}
    # The search results and the filtered chronology are pages too.
    scenario.post(scenario.practitioner, reverse("records:child_search"), {"text": payload("child-family")})
    extra = [
        (
            "oversight:chronology",
            reverse("oversight:chronology", args=[scenario.child.pk]) + "?order=oldest&kind=addendum",
        ),
        ("oversight:child_history", reverse("oversight:child_history", args=[scenario.child.pk]) + "?section=records"),
        # Every page opened here is in the author's history too, newest first: what they recorded is further on.
        ("oversight:staff_history", reverse("oversight:staff_history", args=[scenario.author.pk]) + "?section=records"),
    ]
    for who, client in people.items():
        for name, url in [*_urls(scenario), *extra]:
            if name in ("logout", "login"):
                continue
            response = client.get(url)
            assert response.status_code < 500, f"GET {url} as {who}: {response.status_code}"
            if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
                yield who, name, url, response.content.decode()


def test_every_url_argument_is_known():
    for name, pattern in _named_patterns():
        if not name.startswith("admin:"):
            unknown = set(pattern.pattern.regex.groupindex) - set(URL_ARGUMENTS)
            assert not unknown, f"{name}: say in URL_ARGUMENTS which record {sorted(unknown)} names"


# Pages that must show a field, and its tag: each is checked to be there, escaped.
SHOWN = {
    "oversight:child_detail": [
        "child-given", "child-family", "child-other", "gender", "child-address", "adult-given", "adult-family",
        "relationship", "adult-address", "staff-name",
    ],
    "records:child_change": ["child-given", "child-family", "child-other", "gender", "child-address"],
    "records:adult_change": ["adult-given", "adult-family", "adult-other", "relationship", "adult-address"],
    "records:child_search": ["child-given", "child-family"],
    "sharing:decision_detail": [
        "child-given", "purpose", "legal-basis-other", "anonymisation", "item", "planned-recipient", "planned-role",
        "planned-agency", "recipient-need", "decision-reasons", "addendum", "review-reasons", "review-actions",
        "staff-name", "advice-question", "advice-given",
    ],
    "sharing:check": ["purpose", "anonymisation", "item", "planned-recipient", "decision-reasons", "advice-open"],
    "sharing:question": ["typed-not-saved", "decision-reasons", "advice-open"],
    # Question 2's anonymisation, question 7's items listed, an item on its own page, and the recipient on theirs.
    "sharing:question_page": ["legal-basis-other", "anonymisation", "item", "planned-recipient"],
    "sharing:question_item": ["item"],
    "advice:ask": ["child-given", "advice-open"],
    "advice:list": ["child-given", "advice-open", "staff-name"],
    "advice:detail": [
        "child-given", "advice-open", "advice-question", "advice-given", "staff-name", "purpose", "item",
        "planned-recipient", "decision-reasons",
    ],
    "sharing:drafts": ["child-given"],
    "sharing:task_list": ["child-given", "staff-name"],
    "sharing:review_add": ["decision-reasons"],
    "consent:detail": [
        "how-signalled", "assessed-by", "explained-how", "language", "communication", "assessment-notes",
        "scope-information", "scope-purposes", "scope-recipients", "scope-use", "refusal", "conflict-advice",
        "adult-scope", "staff-name",
    ],
    # A renewal's first page: whose information, and the consent it replaces.
    "consent:renew": ["child-given"],
    "exchange:request_detail": [
        "requester-name", "requester-role", "requester-agency", "requester-contact", "information-needed",
        "request-reason", "intended-use", "others-to-tell", "verification", "close-reasons",
    ],
    # Correcting a request: each page shows its answer as logged, and the check page all of them.
    "exchange:request_change_page": [
        "requester-name", "requester-role", "requester-agency", "requester-contact", "information-needed",
        "request-reason", "intended-use", "others-to-tell",
    ],
    "exchange:request_list": ["requester-agency", "child-given", "sender-name"],
    "exchange:sent_request_detail": [
        "sent-information", "sent-reason", "sent-use", "sent-others", "staff-name", "child-given",
    ],
    "exchange:sent_requests": ["child-given"],
    "exchange:received_detail": [
        "sender-name", "sender-title", "received-child", "received-address", "received-information",
    ],
    "exchange:disclosure_detail": [
        "disclosed-item", "recipient-name", "recipient-role", "recipient-agency", "method-detail", "onward-detail",
        "not-informed", "follow-up", "staff-name",
    ],
    "exchange:disclosure_page": ["item", "planned-recipient"],
    "exchange:disclosure_item": ["item"],
    "oversight:chronology": [
        "child-given", "information-needed", "requester-name", "decision-reasons", "addendum", "review-reasons",
        "recipient-name", "follow-up", "close-reasons", "staff-name", "advice-question", "advice-given",
    ],
    "oversight:dashboard": ["child-given", "staff-name", "recipient-name", "requester-name", "advice-open"],
    "oversight:child_history": ["child-given", "addendum", "decision-reasons", "staff-name", "advice-given"],
    "oversight:staff_history": ["staff-name", "addendum", "advice-open", "advice-question"],
    "oversight:change_history": ["child-given", "child-address", "adult-given", "staff-name"],
    "oversight:staff_list": ["staff-name", "job-title"],
    "records:staff_list": ["staff-name", "job-title"],
    "records:staff_change": ["staff-name", "job-title"],
    "bundles:list": ["bundle-recipient", "bundle-reason"],
    "delivery:sent_detail": [
        "child-given", "sent-item", "sent-onward", "sent-not-told", "thread-question", "thread-answer", "staff-name",
    ],
    "delivery:received_list": ["sender", "sent-child"],
    "delivery:received_detail": ["sender", "sent-child", "received-item", "received-onward", "received-not-told"],
    "bundles:make": ["child-given"],
}  # fmt: skip


def test_payloads_are_shown_escaped_on_every_page(scenario, subtests):
    seen: dict[str, str] = {}
    for who, name, url, html in _pages(scenario):
        with subtests.test(msg=f"GET {url} as {who}"):
            assert not raw_markup(html), f"GET {url} ({name}) as {who} shows markup from a payload: {raw_markup(html)}"
        seen[name] = seen.get(name, "") + html
    for name, tags in SHOWN.items():
        with subtests.test(msg=f"{name} shows its fields"):
            assert name in seen, f"{name} was not opened"
            missing = [tag for tag in tags if not shown_escaped(seen[name], tag)]
            assert not missing, f"{name} does not show these fields, escaped: {missing}"


def test_the_printable_pages_show_payloads_as_text(scenario):
    """The decision and the chronology print for case conferences and court from the same HTML."""
    for url in (
        reverse("sharing:decision_detail", args=[scenario.decision.pk]),
        reverse("oversight:chronology", args=[scenario.child.pk]),
    ):
        html = scenario.practitioner.get(url).content.decode()
        assert 'media="print"' in html
        assert not raw_markup(html)
        assert shown_escaped(html, "decision-reasons") and shown_escaped(html, "addendum")


# The CSV exports of the audit histories


def _csv(client, url) -> list[list[str]]:
    response = client.get(url, {"format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def test_csv_exports_neutralise_cells_a_spreadsheet_would_run(scenario):
    exports = {
        "child history": reverse("oversight:child_history", args=[scenario.child.pk]),
        "staff history of the lead": reverse("oversight:staff_history", args=[scenario.lead.pk]),
        "staff history of the author": reverse("oversight:staff_history", args=[scenario.author.pk]),
        "change history": reverse("oversight:change_history"),
    }
    cells: dict[str, list[str]] = {}
    for title, url in exports.items():
        rows = _csv(scenario.lead_client, url)
        assert rows[0] == ["When", "Section", "What", "Who", "Details", "Link"]
        cells[title] = [cell for row in rows[1:] for cell in row]
        dangerous = [cell for cell in cells[title] if cell.startswith(FORMULA_STARTS)]
        assert not dangerous, f"{title}: cells a spreadsheet would run: {dangerous}"
    # The formulas did reach the exports, neutralised with a leading quote.
    child = cells["child history"]
    for formula in FORMULAS:
        assert f"'{formula}" in child, f"addendum {formula!r} missing from the child's history"
        assert any(cell.startswith(f"'{formula}, ") for cell in child), f"a look by {formula!r} is missing"
    assert f"'{FORMULAS[3]}, Health visitor, {FORMULAS[2]}" in child, "the request from @SUM(1) is missing"
    assert {f"'{formula}" for formula in FORMULAS} <= set(cells["staff history of the lead"])
    assert any(cell.startswith(f"'{FORMULAS[3]}") for cell in cells["change history"]), (
        "the change by the member of staff named @SUM(1) is missing"
    )


def test_csv_cells_keep_markup_as_plain_text(scenario):
    """A CSV is not HTML: the payload is there as typed, for the reader to see, not escaped twice."""
    rows = _csv(scenario.lead_client, reverse("oversight:child_history", args=[scenario.child.pk]))
    assert any(payload("addendum") == cell for row in rows for cell in row)
