"""Every page that takes a form: where it is, who may use it, and what a valid
post to it looks like.

``World`` holds the records the pages need (a child of agency A with a mother,
consents, a draft on every question, a recorded decision, a request, a
disclosure; and records of other agencies, whose ids make good forged
choices). ``FORM_PAGES`` has one ``FormPage`` per URL that accepts a POST; a
URL added to the project without one fails the completeness test in
test_forms_properties.py.
"""

from __future__ import annotations

import copy
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from functools import cached_property

from django import forms
from django.test import Client
from django.test.client import ClientMixin
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from accounts import services as account_services
from accounts.forms import ChangePasswordForm, ChoosePasswordForm, FirstCodeForm, ForgottenPasswordForm, SignInCodeForm
from accounts.tokens import invitation_tokens, password_reset_tokens
from advice import advisers
from advice import selectors as advice_selectors
from advice.forms import AnswerForm, AskForm
from bundles.forms import BundleForm
from bundles.models import Kind
from consent.forms import ConsentRecordForm, WithdrawForm
from delivery import services as delivery_services
from delivery.forms import AnswerForm as DeliveryAnswerForm
from delivery.forms import QuestionForm
from exchange import services as exchange_services
from exchange.disclosure_forms import DisclosureForm
from exchange.forms import (
    AskAgencyForm,
    BeforeDecidingForm,
    ChildToMatchForm,
    CloseRequestForm,
    FollowUpForm,
    NotKnownForm,
    RequestForm,
    VerifyForm,
)
from exchange.models import DisclosureDraft
from notifications.forms import PreferenceForm
from records.auth_forms import SignInForm
from records.forms import (
    AdultForm,
    AgencyForm,
    ChildForm,
    ChildSearchForm,
    LinkAdultForm,
    LinkAdultSearchForm,
    PlatformAdminForm,
    StaffForm,
)
from records.models import Adult, Agency, ParentalResponsibility, Relationship
from records.roles import Role
from sharing import guidance
from sharing import services as sharing_services
from sharing.forms import PAGE_FORMS, AddAnotherItemForm, AddendumForm, ItemForm, LegalBasisForm, ReviewForm, StartForm
from sharing.guidance import QuestionKey
from sharing.models import LegalBasis
from subject_access import paper
from subject_access.forms import ApproveForm, ExtendForm, RedactionForm
from subject_access.forms import RequestForm as SubjectAccessRequestForm
from tests.advice.asked import ask
from tests.bundles.bundle_data import bundle_post
from tests.consent.consent_data import record_consent
from tests.consent.consent_post_data import by_parent, consent_post
from tests.delivery.sent import send
from tests.exchange.recorded import date_fields, disclose, disclosure_post
from tests.exchange.through_service_data import ask_post, sent_about
from tests.factories import (
    PASSWORD,
    AgencyFactory,
    ChildFactory,
    RelationshipFactory,
    StaffMembershipFactory,
    UserFactory,
)
from tests.sharing import answers
from tests.sharing.recorded import complete_answers, complete_draft, record_decision
from tests.subject_access.sar_data import redact_words, request_about


class Later:
    """A value worked out when the body is posted (a code that changes every 30 seconds, the newest record)."""

    def __init__(self, compute: Callable[[], object]):
        self.compute = compute

    def __str__(self):
        return str(self.compute())

    def __repr__(self):
        return "Later(...)"


def _day(days_from_today: int):
    return timezone.localdate() + timedelta(days=days_from_today)


def request_post(**overrides) -> dict:
    """A request for information as the intake form posts it."""
    received = timezone.localtime() - timedelta(days=1)
    data = {
        **date_fields("received_on", received.date()),
        "received_time": "10:30",
        "channel": "email",
        "requester_name": "Nadia Hughes",
        "requester_role": "Health visitor",
        "requester_agency": "Northgate NHS Foundation Trust",
        "requester_agency_kind": "health",
        "requester_contact": "nadia.hughes@nhs.example",
        "requester_known": "no",
        "information_needed": "Whether the family is known to children's social care.",
        "reason": "She visits the home alone next week.",
        "intended_use": "To plan a safe home visit.",
        "others_to_tell": "",
        "risk_level": "reasonable_cause_to_believe",
    }
    data.update(overrides)
    return data


REQUEST_DETAILS = {
    "channel": "email",
    "requester_name": "Nadia Hughes",
    "requester_role": "Health visitor",
    "requester_agency": "Northgate NHS Foundation Trust",
    "requester_agency_kind": "health",
    "requester_contact": "nadia@nhs.example",
    "information_needed": "Whether the family is known",
    "reason": "Home visit",
    "intended_use": "Plan a safe visit",
    "risk_level": "lower",
}


def child_post(**overrides) -> dict:
    data = {
        "given_name": "Mia",
        "family_name": "Adeyemi",
        "other_names": "",
        "born": "yes",
        **date_fields("date_of_birth", _day(-3650)),
        "sex": "female",
        "gender_identity": "",
        "nhs_number": "",
        "local_reference": "",
        "address": "12 Station Road\nNorthgate",
        "postcode": "NG1 4AB",
    }
    data.update(overrides)
    return data


def unborn_child_post(**overrides) -> dict:
    data = child_post(given_name="", born="no", **date_fields("expected_date_of_birth", _day(90)))
    for key in ("date_of_birth_0", "date_of_birth_1", "date_of_birth_2"):
        data[key] = ""
    data.update(overrides)
    return data


def adult_post(**overrides) -> dict:
    data = {
        "given_name": "Daniel",
        "family_name": "Adeyemi",
        "other_names": "",
        **date_fields("date_of_birth", _day(-12000)),
        "relationship": "father",
        "relationship_other": "",
        "parental_responsibility": "yes",
        "lives_with_child": "no",
        "address": "4 Mill Lane\nNorthgate",
        "postcode": "NG2 7CD",
        "phone": "01632 960 123",
        "email": "daniel@example.org",
    }
    data.update(overrides)
    return data


def staff_post(**overrides) -> dict:
    data = {
        "full_name": "Sam Okafor",
        "email": "sam.okafor@northgate.example",
        "role": "practitioner",
        "job_title": "Social worker",
    }
    data.update(overrides)
    return data


def agency_post(**overrides) -> dict:
    data = {
        "name": "Eastbrook Primary School",
        "kind": "school",
        "address": "1 School Lane\nEastbrook",
        "phone": "01632 960 456",
        "email": "safeguarding@eastbrook.example",
    }
    data.update(overrides)
    return data


def withdraw_post(**overrides) -> dict:
    data = {
        **date_fields("responded_on", _day(-1)),
        "explicitness": "explicit",
        "form": "verbal",
        "how_signalled": "She phoned to say she no longer agrees.",
    }
    data.update(overrides)
    return data


def follow_up_post(**overrides) -> dict:
    data = {"informed": "yes", **date_fields("informed_on", _day(-1)), "informed_by": "Priya Shah"}
    data.update(overrides)
    return data


def follow_up_not_yet_post(**overrides) -> dict:
    data = {
        "informed": "no",
        "reasons": "Telling the mother now would put the child at risk.",
        **date_fields("reconsider_on", _day(14)),
    }
    data.update(overrides)
    return data


class World:
    """The records the form pages work on, each made on first use."""

    def __init__(self, *, agency, practitioner, lead, agency_admin, other_practitioner):
        self.agency = agency
        self.practitioner = practitioner
        self.lead = lead
        self.agency_admin = agency_admin
        self.other_practitioner = other_practitioner

    # People and their browsers

    def client_for(self, role: str) -> Client:
        return self._clients[role]

    @cached_property
    def _clients(self) -> dict[str, Client]:
        return _Clients(self)

    @cached_property
    def verifying_lead(self):
        """A lead with an authenticator app, signed in with a password only: the code page is next."""
        user = StaffMembershipFactory(agency=self.agency, role=Role.SAFEGUARDING_LEAD).user
        TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
        return user

    @cached_property
    def passkey(self):
        """The practitioner's passkey, beside the authenticator app they sign in with."""
        return WebAuthnCredential.objects.create(
            user=self.practitioner, name="Passkey", credential_id=os.urandom(32), public_key=b"key", confirmed=True
        )

    @cached_property
    def enrolling_practitioner(self):
        """A practitioner who has opened "set up an authenticator app": the secret is there already."""
        user = StaffMembershipFactory(agency=self.agency, role=Role.PRACTITIONER).user
        account_services.authenticator_start(user=user)
        return user

    @cached_property
    def signing_in(self):
        return StaffMembershipFactory(agency=self.agency, role=Role.PRACTITIONER).user

    @cached_property
    def resetting(self):
        """A practitioner who has opened the link in a password reset email."""
        return StaffMembershipFactory(agency=self.agency, role=Role.PRACTITIONER).user

    @cached_property
    def invited(self):
        """A new member of staff who has opened the link in their invitation."""
        user = StaffMembershipFactory(agency=self.agency, role=Role.PRACTITIONER).user
        user.set_unusable_password()
        user.save()
        return user

    @cached_property
    def platform_admin(self):
        return UserFactory(is_superuser=True, is_staff=True, full_name="Ola Byrne")

    @cached_property
    def other_platform_admin(self):
        return UserFactory(is_superuser=True, is_staff=True, full_name="Kofi Mensah")

    @cached_property
    def police_practitioner(self):
        police = AgencyFactory(name="Northgate Police", kind=Agency.Kind.POLICE)
        return StaffMembershipFactory(agency=police, role=Role.PRACTITIONER).user

    @cached_property
    def legal_basis(self):
        return LegalBasis.objects.order_by("position").first()

    # Case records of agency A

    @cached_property
    def child(self):
        # 15: old enough to be judged competent to consent herself (3.3.17).
        return ChildFactory(agency=self.agency, date_of_birth=_day(-15 * 365 - 40), given_name="Mia")

    @cached_property
    def mother(self):
        return RelationshipFactory(child=self.child)

    @cached_property
    def linkable_adult(self) -> Adult:
        """A sibling's father: held by the agency, not yet connected to the child."""
        sibling = ChildFactory(agency=self.agency)
        return RelationshipFactory(
            child=sibling,
            adult__family_name="Okonkwo",
            relationship=Relationship.FATHER,
            parental_responsibility=ParentalResponsibility.YES,
            lives_with_child=False,
        ).adult

    @cached_property
    def subject_access_request(self):
        """A subject access request about the child, with the child's name redacted by another lead of the
        agency (so the world's lead may approve its release)."""
        colleague = StaffMembershipFactory(agency=self.agency, role=Role.SAFEGUARDING_LEAD).user
        recorded = request_about(lead=colleague, child=self.child)
        redact_words(recorded, user=colleague, words=self.child.full_name)
        return recorded

    def subject_access_piece(self):
        details = paper.gather(subject_access_request=self.subject_access_request, user=self.lead)[0]
        return next(piece for piece in details.pieces if self.child.full_name in piece.text), details.pieces

    @cached_property
    def given_consent(self):
        return record_consent(user=self.practitioner, child=self.child)

    @cached_property
    def refused_consent(self):
        return record_consent(
            user=self.practitioner, child=self.child, responder=self.mother.adult, response="refused", review_on=None
        )

    @cached_property
    def question_draft(self):
        """A draft with every question reachable (the public-interest path), as tests/test_bad_input.py has it."""
        self.given_consent, self.refused_consent  # noqa: B018 (question 4 lists them)
        draft = sharing_services.draft_start(
            user=self.practitioner, child=self.child, adults=[self.mother.adult], direction="proposing"
        )
        draft.answers = {str(key): value for key, value in complete_answers().items()}
        draft.answers[QuestionKey.IDENTIFIABLE] = {
            "identifies_person": True,
            "who_identified": "Mia",
            "anonymisation": "",
        }
        draft.answers[QuestionKey.CONFIDENTIAL] = {"confidentiality": "formal", "reason": "Told in confidence."}
        draft.answers[QuestionKey.CONSENT] = {"status": "refused", "consent_record": str(self.refused_consent.pk)}
        draft.answers[QuestionKey.STATUTORY] = {"duty": "none", "reference": ""}
        draft.answers[QuestionKey.PUBLIC_INTEREST] = {
            "if_shared": "She may stop talking to us.",
            "if_not_shared": "The visit goes ahead blind.",
            "proportionality": "Only the risk is shared.",
            "advice_sought": False,
            "no_advice_reason": "Urgent.",
        }
        draft.save()
        return draft

    @cached_property
    def complete_draft(self):
        return complete_draft(user=self.practitioner, child=self.child)

    @cached_property
    def decision(self):
        return record_decision(user=self.practitioner, child=self.child)

    @cached_property
    def information_request(self):
        return exchange_services.request_log(
            user=self.practitioner,
            child=self.child,
            adults=[],
            details=exchange_services.RequestDetails(
                received_at=timezone.now() - timedelta(hours=2), **REQUEST_DETAILS
            ),
        )

    @cached_property
    def disclosure(self):
        return disclose(self.practitioner, self.decision, informed=False)

    @cached_property
    def sent(self):
        """A disclosure the practitioner sent through the service to agency B's leads, asked about there."""
        sent = send(self.practitioner, self.decision, to_agency=self.other_practitioner.agency)
        asker = StaffMembershipFactory(agency=sent.to_agency, role=Role.SAFEGUARDING_LEAD).user
        delivery_services.thread_write(user=asker, delivery=sent, text="Is the father still at the address?")
        return sent

    @cached_property
    def received(self):
        """A disclosure agency B's practitioner sent through the service to this agency's leads."""
        sender = self.other_practitioner
        decision = record_decision(user=sender, child=ChildFactory(agency=sender.agency))
        return send(sender, decision, to_agency=self.agency)

    @cached_property
    def advice(self):
        """A request for advice about the complete draft, to any lead: the lead answers it."""
        return ask(self.practitioner, self.complete_draft)

    @cached_property
    def received_request(self):
        """A request sent to agency A through this service by the practitioner of agency B, to be matched."""
        return sent_about(self.other_practitioner, ChildFactory(agency=self.other_practitioner.agency), self.agency)

    @cached_property
    def police_child(self):
        return ChildFactory(agency=self.police_practitioner.agency)

    # Records of other agencies: their ids are choices a page must refuse.

    @cached_property
    def foreign_ids(self) -> list[str]:
        other_child = ChildFactory(agency=self.other_practitioner.agency)
        other_link = RelationshipFactory(child=other_child)
        other_consent = record_consent(user=self.other_practitioner, child=other_child)
        return [str(other_child.pk), str(other_link.adult.pk), str(other_link.pk), str(other_consent.pk)]


class _Clients(dict):
    """One browser per kind of person, signed in as they would be."""

    def __init__(self, world: World):
        super().__init__()
        self.world = world

    def __missing__(self, role: str) -> Client:
        world = self.world
        client = Client()
        if role == "anonymous":
            pass
        elif role in ("resetting", "invited"):
            # Opening the link moves its token into the session (Django's PasswordResetConfirmView).
            user = getattr(world, role)
            tokens = password_reset_tokens if role == "resetting" else invitation_tokens
            name = "password_reset_confirm" if role == "resetting" else "invitation_accept"
            opened = client.get(reverse(name, args=[_uid(user), tokens.make_token(user)]))
            assert opened.status_code == 302, opened
        elif role in ("verifying_lead", "enrolling_practitioner"):
            # Password only: the conftest's force_login would add the second factor.
            ClientMixin.force_login(client, getattr(world, role))
        else:
            user = {
                "practitioner": world.practitioner,
                "lead": world.lead,
                "agency_admin": world.agency_admin,
                "police_practitioner": world.police_practitioner,
                "platform_admin": world.platform_admin,
            }[role]
            client.force_login(user)
        self[role] = client
        return client


def _uid(user) -> str:
    return urlsafe_base64_encode(force_bytes(user.pk))


def _choose_password(name: str, role: str) -> FormPage:
    """The page a link to choose a password opens, once the token is in the session."""
    return FormPage(
        name=name,
        role=role,
        url=lambda w: reverse(name, args=[_uid(getattr(w, role)), "set-password"]),
        valid=lambda w: [{"new_password1": "lantern orchard pebble 42", "new_password2": "lantern orchard pebble 42"}],
        form=lambda w: ChoosePasswordForm(getattr(w, role)),
    )


def current_code(user) -> Later:
    """The code the person's authenticator app shows now."""

    def compute():
        device = TOTPDevice.objects.devices_for_user(user, confirmed=None).get()
        return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"

    return Later(compute)


@dataclass(frozen=True)
class FormPage:
    """One URL that takes a POST, and how to use it properly."""

    name: str  # the URL's name
    role: str  # who posts (a key of _Clients)
    url: Callable[[World], str]
    valid: Callable[[World], list[dict]]  # valid bodies: each saves
    form: Callable[[World], forms.BaseForm | None] = lambda world: None  # the form the page checks
    variant: str = ""
    # A 200 page without errors that is nonetheless right for this body (a search step, "add another item").
    plain_page_ok: Callable[[dict], bool] = lambda body: False
    extra_fields: tuple[str, ...] = ()
    notes: str = field(default="", compare=False)

    @property
    def id(self) -> str:
        return f"{self.name}[{self.variant}]" if self.variant else self.name


def _sent_as_text(body: dict, name: str) -> bool:
    value = body.get(name)
    return any(isinstance(item, str) for item in (value if isinstance(value, list) else [value]))


def _last(body: dict, name: str):
    value = body.get(name)
    if isinstance(value, list):
        return value[-1] if value else None
    return value


def _asks(page: guidance.Page, name: str) -> bool:
    """Whether ``page`` asks the posted ``name`` (a date is posted as three boxes, ``decided_on_0`` ...)."""
    return name in page.fields or name.rsplit("_", 1)[0] in page.fields


def _paged_question(
    question: QuestionKey, valid: Callable[[World], list[dict]], pages: Sequence[guidance.Page] | None = None
) -> list[FormPage]:
    """The pages of a question asked over several (guidance.PAGES), or those of them given, its first at the
    question's address; each is sent what it asks of the valid bodies that answer it (of those the draft's
    answers so far accept: ``ON_THE_DRAFT``)."""
    forms = []
    for page in guidance.pages_of(question) if pages is None else pages:
        first = page == guidance.pages_of(question)[0]
        sending = ON_THE_DRAFT.get((question, page.name), valid)

        def page_bodies(w, page=page, sending=sending):
            bodies = [
                {name: value for name, value in body.items() if name == "action" or _asks(page, name)}
                for body in sending(w)
            ]
            return [body for body in bodies if set(body) - {"action"}]

        forms.append(
            FormPage(
                name="sharing:question" if first else "sharing:question_page",
                variant=str(question) if first else f"{question}/{page.name}",
                role="practitioner",
                url=lambda w, first=first, page=page: (
                    reverse("sharing:question", args=[w.question_draft.pk, question])
                    if first
                    else reverse("sharing:question_page", args=[w.question_draft.pk, question, page.name])
                ),
                valid=page_bodies,
                form=lambda w, page=page: PAGE_FORMS[question][page.name](draft=w.question_draft),
                extra_fields=("action",),
            )
        )
    return forms


def _sharing_pages(valid: Callable[[World], list[dict]]) -> list[FormPage]:
    """Question 7's pages: each as a page of a question asked over several, but its list of items, which goes on
    to its items' pages (guidance.ITEMS_PAGE), and the page of an item."""
    items_page = guidance.page_named(QuestionKey.SHARING, guidance.ITEMS_PAGE)
    pages = guidance.pages_of(QuestionKey.SHARING)
    return [
        *_paged_question(QuestionKey.SHARING, valid, pages[:1]),
        # 3.5.20: the pages after the first are asked of a decision to share only.
        *_paged_question(
            QuestionKey.SHARING,
            lambda w: [body for body in valid(w) if body["outcome"] != "do_not_share"],
            [page for page in pages[1:] if page != items_page],
        ),
        FormPage(
            name="sharing:question_page",
            variant=f"{QuestionKey.SHARING}/{items_page.name}",
            role="practitioner",
            url=lambda w: reverse(
                "sharing:question_page", args=[w.question_draft.pk, QuestionKey.SHARING, items_page.name]
            ),
            valid=lambda w: [{"add_another": "no", "action": "continue"}, {"add_another": "yes", "action": "continue"}],
            form=lambda w: PAGE_FORMS[QuestionKey.SHARING][items_page.name](draft=w.question_draft),
            extra_fields=("action", "remove"),
        ),
        FormPage(
            name="sharing:question_item",
            role="practitioner",
            url=lambda w: reverse("sharing:question_item", args=[w.question_draft.pk, QuestionKey.SHARING, 1]),
            valid=lambda w: [
                {"text": "Police attended a domestic incident at the home.", "kind": "fact", "action": "continue"}
            ],
            form=lambda w: ItemForm(),
            extra_fields=("action",),
        ),
    ]


def _with_action(bodies: list[dict]) -> list[dict]:
    return [{**body, "action": "continue"} for body in bodies]


def _refused_consent_answer(w: World) -> list[dict]:
    return _with_action([{**answers.consent(status="refused"), "consent_record": str(w.refused_consent.pk)}])


# The valid bodies of a page that its draft's answers so far accept, where some of the question's do not: the
# draft's consent was refused, so only a refusal is a record to answer it with (3.7.2).
ON_THE_DRAFT: dict[tuple[QuestionKey, str], Callable[[World], list[dict]]] = {
    (QuestionKey.CONSENT, "record"): _refused_consent_answer,
}


def _consent_answered_up_to(w: World, page: str, *, renews=None) -> str:
    """The address of a page of recording (or renewing) a consent, the pages before it answered in the
    practitioner's session."""
    client = w.client_for("practitioner")
    args = [w.child.pk, renews.pk] if renews is not None else [w.child.pk]
    url = reverse("consent:renew" if renews is not None else "consent:add", args=args)
    while not url.rstrip("/").endswith(f"/{page}"):
        response = client.post(url, consent_post())
        assert response.status_code == 302, response.content[:300]
        url = response.url
    return url


def _disclosure_answered_up_to(w: World, page: str) -> str:
    """The address of a page of recording a disclosure under the world's decision, the pages before it
    answered, afresh, in the practitioner's draft (once: every example is rolled back to it)."""
    if getattr(w, "disclosure_answered_up_to", None) == page:
        return w.disclosure_page_url
    client = w.client_for("practitioner")
    DisclosureDraft.objects.filter(decision=w.decision).delete()
    url = client.get(reverse("exchange:disclosure_add", args=[w.decision.pk])).url
    while not url.rstrip("/").endswith(f"/{page}"):
        response = client.post(url, {"add_another": "no"} if url.endswith("/items/") else disclosure_post())
        assert response.status_code == 302, response.content[:300]
        url = response.url
    w.disclosure_answered_up_to, w.disclosure_page_url = page, url
    return url


def _sent_answered_up_to_check(w: World) -> str:
    """The address of sending a disclosure through the service, its pages answered in the practitioner's draft
    up to "Check your answers" (once: every example is rolled back to it)."""
    if getattr(w, "disclosure_answered_up_to", None) != "check through the service":
        client = w.client_for("practitioner")
        DisclosureDraft.objects.filter(decision=w.decision).delete()
        url = client.get(reverse("exchange:disclosure_add", args=[w.decision.pk])).url
        data = disclosure_post(
            method="through_the_service",
            send_to_agency=str(w.other_practitioner.agency.pk),
            send_to_person="leads",
            **date_fields("keep_until", timezone.localdate() + timedelta(days=30)),
        )
        while not url.rstrip("/").endswith("/check"):
            response = client.post(url, {"add_another": "no"} if url.endswith("/items/") else data)
            assert response.status_code == 302, response.content[:300]
            url = response.url
        w.disclosure_answered_up_to, w.disclosure_page_url = "check through the service", url
    return reverse("delivery:send", args=[w.decision.pk])


def _request_answered_up_to(w: World, page: str, *, role: str = "practitioner", child=None) -> str:
    """The address of a page of logging a request, the pages before it answered in ``role``'s session."""
    client = w.client_for(role)
    url = reverse("exchange:request_add", args=[(child or w.child).pk])
    while not url.rstrip("/").endswith(f"/{page}"):
        response = client.post(url, request_post(adults=[str(w.mother.adult.pk)]) if child is None else request_post())
        assert response.status_code == 302, response.content[:300]
        url = response.url
    return url


def _asked_up_to(w: World, page: str) -> str:
    """The address of a page of asking another agency, the pages before it answered in the practitioner's
    session."""
    client = w.client_for("practitioner")
    url = reverse("exchange:sent_request_add", args=[w.child.pk])
    while not url.rstrip("/").endswith(f"/{page}"):
        response = client.post(url, ask_post(w.other_practitioner.agency))
        assert response.status_code == 302, response.content[:300]
        url = response.url
    return url


def _request_correction_page(w: World, page: str) -> str:
    """The address of a page of correcting the request, its correction started in the practitioner's session."""
    w.client_for("practitioner").get(reverse("exchange:request_change", args=[w.information_request.pk]))
    return reverse("exchange:request_change_page", args=[w.information_request.pk, page])


def _consent_answers(w: World) -> list[dict]:
    return [
        {**answers.consent(status="obtained"), "consent_record": str(w.given_consent.pk)},
        {**answers.consent(status="refused"), "consent_record": str(w.refused_consent.pk)},
        answers.consent(status="not_sought", not_sought_reason="child_at_increased_risk"),
        answers.consent(status="not_sought", not_sought_reason="other", not_sought_other="No safe way to ask."),
        answers.consent(status="not_needed", not_needed_reason="The information is not confidential."),
    ]


FORM_PAGES: list[FormPage] = [
    # Signing in
    FormPage(
        name="login",
        role="anonymous",
        url=lambda w: reverse("login"),
        valid=lambda w: [{"username": w.signing_in.email, "password": PASSWORD, "next": "/children/"}],
        form=lambda w: SignInForm(),
        extra_fields=("next",),
    ),
    FormPage(
        name="logout",
        role="practitioner",
        url=lambda w: reverse("logout"),
        valid=lambda w: [{}],
    ),
    FormPage(
        name="two_factor:verify",
        role="verifying_lead",
        url=lambda w: reverse("two_factor:verify"),
        valid=lambda w: [{"code": current_code(w.verifying_lead)}],
        form=lambda w: SignInCodeForm(user=w.verifying_lead),
    ),
    FormPage(
        name="two_factor:enrol",
        role="enrolling_practitioner",
        url=lambda w: reverse("two_factor:enrol"),
        valid=lambda w: [{"code": current_code(w.enrolling_practitioner)}],
        form=lambda w: FirstCodeForm(device=TOTPDevice.objects.get(user=w.enrolling_practitioner)),
    ),
    # Passwords
    FormPage(
        name="password_change",
        role="practitioner",
        url=lambda w: reverse("password_change"),
        valid=lambda w: [
            {
                "old_password": PASSWORD,
                "new_password1": "lantern orchard pebble 42",
                "new_password2": "lantern orchard pebble 42",
            }
        ],
        form=lambda w: ChangePasswordForm(w.practitioner, request=None),
    ),
    FormPage(
        name="password_reset",
        role="anonymous",
        url=lambda w: reverse("password_reset"),
        valid=lambda w: [{"email": w.practitioner.email}, {"email": "nobody@northgate.example"}],
        form=lambda w: ForgottenPasswordForm(),
    ),
    _choose_password("password_reset_confirm", "resetting"),
    _choose_password("invitation_accept", "invited"),
    # Children and adults
    FormPage(
        name="records:child_search",
        role="practitioner",
        url=lambda w: reverse("records:child_search"),
        valid=lambda w: [
            {"text": w.child.family_name},
            {"text": "", **date_fields("date_of_birth", w.child.date_of_birth)},
        ],
        form=lambda w: ChildSearchForm(),
    ),
    FormPage(
        name="records:child_add",
        role="practitioner",
        url=lambda w: reverse("records:child_add"),
        valid=lambda w: [child_post(), unborn_child_post(), child_post(nhs_number="943 476 5919")],
        form=lambda w: ChildForm(agency=w.agency),
    ),
    FormPage(
        name="records:child_change",
        role="practitioner",
        url=lambda w: reverse("records:child_change", args=[w.child.pk]),
        valid=lambda w: [child_post(family_name=w.child.family_name, nhs_number=w.child.nhs_number)],
        form=lambda w: ChildForm(agency=w.agency, instance=w.child),
    ),
    FormPage(
        name="records:adult_add",
        role="practitioner",
        url=lambda w: reverse("records:adult_add", args=[w.child.pk]),
        valid=lambda w: [adult_post(), adult_post(relationship="other", relationship_other="Family friend")],
        form=lambda w: AdultForm(),
    ),
    FormPage(
        name="records:adult_change",
        role="practitioner",
        url=lambda w: reverse("records:adult_change", args=[w.child.pk, w.mother.pk]),
        valid=lambda w: [
            adult_post(
                given_name=w.mother.adult.given_name,
                family_name=w.mother.adult.family_name,
                relationship="mother",
                lives_with_child="yes",
            )
        ],
        form=lambda w: AdultForm(instance=w.mother.adult, link=w.mother),
    ),
    FormPage(
        name="records:adult_link",
        role="practitioner",
        url=lambda w: reverse("records:adult_link", args=[w.child.pk]),
        valid=lambda w: [
            {
                "name": w.linkable_adult.family_name,
                "adult": str(w.linkable_adult.pk),
                "relationship": "step_parent",
                "relationship_other": "",
                "parental_responsibility": "no",
                "lives_with_child": "yes",
                "connect": "1",
            }
        ],
        form=lambda w: _LinkForms(adults=Adult.objects.filter(pk=w.linkable_adult.pk)),
        extra_fields=("connect",),
        # The search step: the adults found, to choose from.
        # (A field sent as a file upload is not a form field to the view.)
        plain_page_ok=lambda body: not _sent_as_text(body, "adult") and not _sent_as_text(body, "connect"),
    ),
    # Staff, for an agency administrator
    FormPage(
        name="records:staff_add",
        role="agency_admin",
        url=lambda w: reverse("records:staff_add"),
        valid=lambda w: [staff_post(), staff_post(email="lead.two@northgate.example", role="safeguarding_lead")],
        form=lambda w: StaffForm(acting=w.agency_admin),
    ),
    FormPage(
        name="records:staff_change",
        role="agency_admin",
        url=lambda w: reverse("records:staff_change", args=[w.practitioner.pk]),
        valid=lambda w: [
            {
                "full_name": w.practitioner.full_name,
                "role": "safeguarding_lead",
                "job_title": "Team manager",
                "is_lead_information_officer": "on",
                "is_active": "yes",
            },
            {"full_name": "Priya Shah", "role": "practitioner", "job_title": "", "is_active": "no"},
        ],
        form=lambda w: StaffForm(member=w.practitioner, acting=w.agency_admin),
    ),
    FormPage(
        name="records:staff_password_link",
        role="agency_admin",
        url=lambda w: reverse("records:staff_password_link", args=[w.practitioner.pk]),
        valid=lambda w: [{}],
    ),
    # Agencies, legal bases and platform administrators, for a platform administrator
    FormPage(
        name="records:agency_add",
        role="platform_admin",
        url=lambda w: reverse("records:agency_add"),
        valid=lambda w: [
            agency_post(),
            agency_post(name="Westfield Youth Project", kind="voluntary", address="", email=""),
        ],
        form=lambda w: AgencyForm(),
    ),
    FormPage(
        name="records:agency_change",
        role="platform_admin",
        url=lambda w: reverse("records:agency_change", args=[w.agency.pk]),
        valid=lambda w: [agency_post(name=w.agency.name, is_active="yes"), agency_post(is_active="no")],
        form=lambda w: AgencyForm(agency=w.agency),
    ),
    FormPage(
        name="records:agency_admin_add",
        role="platform_admin",
        url=lambda w: reverse("records:agency_admin_add", args=[w.agency.pk]),
        valid=lambda w: [{"full_name": "Nadia Hughes", "email": "nadia.hughes@northgate.example"}],
        form=lambda w: PlatformAdminForm(),
    ),
    FormPage(
        name="records:platform_admin_add",
        role="platform_admin",
        url=lambda w: reverse("records:platform_admin_add"),
        valid=lambda w: [{"full_name": "Kemi Adebayo", "email": "kemi.adebayo@platform.example"}],
        form=lambda w: PlatformAdminForm(),
    ),
    FormPage(
        name="records:platform_invitation_send",
        role="platform_admin",
        url=lambda w: reverse("records:platform_invitation_send", args=[w.other_platform_admin.pk]),
        valid=lambda w: [{}],
    ),
    FormPage(
        name="records:platform_admin_deactivate",
        role="platform_admin",
        url=lambda w: reverse("records:platform_admin_deactivate", args=[w.other_platform_admin.pk]),
        valid=lambda w: [{}],
    ),
    FormPage(
        name="sharing:legal_basis_add",
        role="platform_admin",
        url=lambda w: reverse("sharing:legal_basis_add"),
        valid=lambda w: [{"label": "Adoption and Children Act 2002 section 2", "position": "12"}],
        form=lambda w: LegalBasisForm(),
    ),
    FormPage(
        name="sharing:legal_basis_change",
        role="platform_admin",
        url=lambda w: reverse("sharing:legal_basis_change", args=[w.legal_basis.pk]),
        valid=lambda w: [
            {"label": w.legal_basis.label, "position": "3", "is_active": "no"},
            {"label": "Children Act 1989 s17", "position": "0", "is_active": "yes"},
        ],
        form=lambda w: LegalBasisForm(basis=w.legal_basis),
    ),
    # "Your sign-in methods": the person's own passkey, app and recovery codes.
    FormPage(
        name="passkey_remove",
        role="practitioner",
        url=lambda w: reverse("passkey_remove", args=[w.passkey.pk]),
        valid=lambda w: [{}],
    ),
    FormPage(
        name="authenticator_remove",
        role="practitioner",
        url=lambda w: (w.passkey, reverse("authenticator_remove"))[1],  # the passkey stays: the app may go
        valid=lambda w: [{}],
    ),
    FormPage(
        name="recovery_codes_regenerate",
        role="practitioner",
        url=lambda w: reverse("recovery_codes_regenerate"),
        valid=lambda w: [{}],
    ),
    FormPage(
        name="records:staff_two_factor_reset",
        role="agency_admin",
        url=lambda w: reverse("records:staff_two_factor_reset", args=[w.practitioner.pk]),
        valid=lambda w: [{}],
    ),
    # The eight key questions, and the pages around them
    FormPage(
        name="sharing:start",
        role="practitioner",
        url=lambda w: reverse("sharing:start", args=[w.child.pk]),
        valid=lambda w: [
            {"direction": "proposing", "adults": [str(w.mother.adult.pk)]},
            {"direction": "request_received"},
        ],
        form=lambda w: StartForm(relationships=[w.mother]),
    ),
    *_paged_question(
        QuestionKey.PURPOSE,
        lambda w: _with_action([answers.purpose(), answers.purpose(legal_bases=[], legal_basis_other="Common law")]),
    ),
    *_paged_question(
        QuestionKey.IDENTIFIABLE,
        lambda w: _with_action(
            [answers.identifiable(), answers.identifiable(identifies_person="no", anonymisation="Names removed.")]
        ),
    ),
    *_paged_question(QuestionKey.CONFIDENTIAL, lambda w: _with_action([answers.confidential()])),
    *_paged_question(QuestionKey.CONSENT, lambda w: _with_action(_consent_answers(w))),
    *_paged_question(
        QuestionKey.STATUTORY,
        lambda w: _with_action(
            [answers.statutory(), answers.statutory(duty="court_order", reference="Family court order, 3 May 2026")]
        ),
    ),
    *_paged_question(
        QuestionKey.PUBLIC_INTEREST,
        lambda w: _with_action(
            [
                answers.public_interest(),
                answers.public_interest(advice_sought="no", no_advice_reason="There was no time to ask."),
            ]
        ),
    ),
    *_sharing_pages(
        lambda w: _with_action(
            [
                answers.sharing(consent_limits_explained="", **answers.not_told()),
                answers.sharing(outcome="do_not_share", withheld="Everything: the risk is too low."),
            ]
        ),
    ),
    *_paged_question(
        QuestionKey.DECISION,
        lambda w: _with_action([answers.decision(departure_reason="The guidance did not foresee this.")]),
    ),
    FormPage(
        name="sharing:check",
        role="practitioner",
        url=lambda w: reverse("sharing:check", args=[w.complete_draft.pk]),
        valid=lambda w: [{}],
    ),
    FormPage(
        name="sharing:addendum_add",
        role="practitioner",
        url=lambda w: reverse("sharing:addendum_add", args=[w.decision.pk]),
        valid=lambda w: [{"text": "The health visitor's name is Nadia Hughes, not Hughs."}],
        form=lambda w: AddendumForm(),
    ),
    FormPage(
        name="sharing:review_add",
        role="lead",
        url=lambda w: reverse("sharing:review_add", args=[w.decision.pk]),
        valid=lambda w: [
            {"outcome": "agree"},
            {"outcome": "agree_with_comments", "comments": "Record who was told."},
            {"outcome": "disagree", "reasons": "Consent was not sought.", "actions": "Ask the mother by Friday."},
        ],
        form=lambda w: ReviewForm(),
    ),
    # Advice about a draft (3.5.17)
    FormPage(
        name="advice:ask",
        role="practitioner",
        url=lambda w: reverse("advice:ask", args=[w.complete_draft.pk]) + "?from=purpose",
        valid=lambda w: [
            {"question": "Is the risk high enough to share without consent?", "to": "any_lead", "urgency": "urgent"},
            {"question": "Should the school be told?", "to": f"named_lead:{w.lead.pk}", "urgency": "routine"},
        ],
        form=lambda w: AskForm(
            choices=advisers.choices_for(
                asker_id=w.practitioner.pk, colleagues=advice_selectors.colleagues_of(user=w.practitioner)
            ),
            agency_name=w.agency.name,
            within_hours=advice_selectors.within_hours(),
        ),
    ),
    FormPage(
        name="advice:detail",
        role="lead",
        url=lambda w: reverse("advice:detail", args=[w.advice.pk]),
        valid=lambda w: [{"advice": "Share the call-out only, and tell the mother unless it is unsafe."}],
        form=lambda w: AnswerForm(),
    ),
    # Consent
    FormPage(
        name="consent:add",
        role="practitioner",
        url=lambda w: reverse("consent:add", args=[w.child.pk]),
        valid=lambda w: [consent_post(), by_parent(w.mother.adult.pk, response="refused")],
        form=lambda w: ConsentRecordForm(child=w.child, relationships=[w.mother]),
    ),
    FormPage(
        name="consent:renew",
        role="practitioner",
        url=lambda w: reverse("consent:renew", args=[w.child.pk, w.given_consent.pk]),
        valid=lambda w: [consent_post()],
        form=lambda w: ConsentRecordForm(child=w.child, relationships=[w.mother]),
    ),
    # A later page, and the check page, of a consent answered up to them in the practitioner's session.
    FormPage(
        name="consent:add_page",
        role="practitioner",
        url=lambda w: _consent_answered_up_to(w, "understanding"),
        valid=lambda w: [consent_post()],
        form=lambda w: ConsentRecordForm(child=w.child, relationships=[w.mother], page="understanding"),
    ),
    FormPage(
        name="consent:add_page",
        variant="check",
        role="practitioner",
        url=lambda w: _consent_answered_up_to(w, "check"),
        valid=lambda w: [{}],
    ),
    FormPage(
        name="consent:renew_page",
        role="practitioner",
        url=lambda w: _consent_answered_up_to(w, "scope", renews=w.given_consent),
        valid=lambda w: [consent_post()],
        form=lambda w: ConsentRecordForm(child=w.child, relationships=[w.mother], page="scope"),
    ),
    FormPage(
        name="consent:withdraw",
        role="practitioner",
        url=lambda w: reverse("consent:withdraw", args=[w.given_consent.pk]),
        valid=lambda w: [withdraw_post(), withdraw_post(explicitness="implied", form="")],
        form=lambda w: WithdrawForm(),
    ),
    # Requests and disclosures
    # Logging a request, a page at a time (exchange.request_pages): each page takes its own answers from a body.
    FormPage(
        name="exchange:request_add",
        role="practitioner",
        url=lambda w: reverse("exchange:request_add", args=[w.child.pk]),
        valid=lambda w: [request_post(), request_post(requester_agency_kind="police")],
        form=lambda w: RequestForm(relationships=[w.mother], police=False, page="requester"),
    ),
    FormPage(
        name="exchange:request_add_page",
        variant="received",
        role="practitioner",
        url=lambda w: _request_answered_up_to(w, "received"),
        valid=lambda w: [request_post(), request_post(channel="in_person")],
        form=lambda w: RequestForm(relationships=[w.mother], police=False, page="received"),
    ),
    FormPage(
        name="exchange:request_add_page",
        variant="adults",
        role="practitioner",
        url=lambda w: _request_answered_up_to(w, "adults"),
        valid=lambda w: [request_post(adults=[str(w.mother.adult.pk)]), request_post()],
        form=lambda w: RequestForm(relationships=[w.mother], police=False, page="adults"),
    ),
    FormPage(
        name="exchange:request_add_page",
        variant="police",
        role="police_practitioner",
        url=lambda w: _request_answered_up_to(w, "police-category", role="police_practitioner", child=w.police_child),
        valid=lambda w: [request_post(police_category="s47_referral"), request_post(police_category="none")],
        form=lambda w: RequestForm(relationships=[], police=True, page="police-category"),
    ),
    FormPage(
        name="exchange:request_add_page",
        variant="check",
        role="practitioner",
        url=lambda w: _request_answered_up_to(w, "check"),
        valid=lambda w: [{}],
    ),
    # Asking another agency on this service, a page at a time (exchange.through_service; ADR 26).
    FormPage(
        name="exchange:sent_request_add",
        role="practitioner",
        url=lambda w: reverse("exchange:sent_request_add", args=[w.child.pk]),
        valid=lambda w: [ask_post(w.other_practitioner.agency)],
        form=lambda w: AskAgencyForm(agencies=[w.other_practitioner.agency], page="agency"),
    ),
    FormPage(
        name="exchange:sent_request_add_page",
        variant="reason",
        role="practitioner",
        url=lambda w: _asked_up_to(w, "reason"),
        valid=lambda w: [ask_post(w.other_practitioner.agency)],
        form=lambda w: AskAgencyForm(agencies=[w.other_practitioner.agency], page="reason"),
    ),
    FormPage(
        name="exchange:sent_request_add_page",
        variant="check",
        role="practitioner",
        url=lambda w: _asked_up_to(w, "check"),
        valid=lambda w: [{}],
    ),
    # A request received from another agency: its children searched, matched, or said not known.
    FormPage(
        name="exchange:received_detail",
        role="practitioner",
        url=lambda w: reverse("exchange:received_detail", args=[w.received_request.pk]),
        valid=lambda w: [
            {"text": w.child.family_name, "date_of_birth_0": "", "date_of_birth_1": "", "date_of_birth_2": ""},
            {"text": "", **date_fields("date_of_birth", w.child.date_of_birth)},
        ],
        form=lambda w: ChildSearchForm(),
    ),
    FormPage(
        name="exchange:received_match",
        role="practitioner",
        url=lambda w: reverse("exchange:received_match", args=[w.received_request.pk]),
        valid=lambda w: [{"child": str(w.child.pk)}],
        form=lambda w: ChildToMatchForm(children=[w.child]),
    ),
    FormPage(
        name="exchange:received_not_known",
        role="practitioner",
        url=lambda w: reverse("exchange:received_not_known", args=[w.received_request.pk]),
        valid=lambda w: [{"reasons": "No child of that name and date of birth is known to us."}],
        form=lambda w: NotKnownForm(),
    ),
    FormPage(
        name="exchange:request_before_decision",
        role="practitioner",
        url=lambda w: reverse("exchange:request_before_decision", args=[w.child.pk]),
        valid=lambda w: [
            {"answering": "log"},
            {"answering": "not_logged"},
            {"answering": str(w.information_request.pk)},
        ],
        form=lambda w: BeforeDecidingForm(waiting=[w.information_request]),
    ),
    # Correcting a request: its pages, each from the check page a correction starts on.
    FormPage(
        name="exchange:request_change_page",
        role="practitioner",
        url=lambda w: _request_correction_page(w, "requester"),
        valid=lambda w: [request_post(requester_role="Named nurse for safeguarding")],
        form=lambda w: RequestForm(relationships=[w.mother], police=False, page="requester"),
    ),
    FormPage(
        name="exchange:request_change_page",
        variant="check",
        role="practitioner",
        url=lambda w: _request_correction_page(w, "check"),
        valid=lambda w: [{}],
    ),
    FormPage(
        name="exchange:request_verify",
        role="practitioner",
        url=lambda w: reverse("exchange:request_verify", args=[w.information_request.pk]),
        valid=lambda w: [{"method": "called_back", "details": "Called the trust's switchboard, 01632 960 000."}],
        form=lambda w: VerifyForm(),
    ),
    FormPage(
        name="exchange:request_close",
        role="practitioner",
        url=lambda w: reverse("exchange:request_close", args=[w.information_request.pk]),
        valid=lambda w: [
            {"outcome": "declined", "reasons": "The family is not known to us."},
            {"outcome": "withdrawn", "reasons": "The health visitor no longer needs it."},
        ],
        form=lambda w: CloseRequestForm(),
    ),
    FormPage(
        name="exchange:request_decide",
        role="practitioner",
        url=lambda w: reverse("exchange:request_decide", args=[w.information_request.pk]),
        valid=lambda w: [{}],
    ),
    # Recording a disclosure, a page at a time (exchange.disclosure_pages): pages answered up to each in the
    # practitioner's draft, the list of items, an item, and the check page.
    *[
        FormPage(
            name="exchange:disclosure_page",
            variant=disclosure_page,
            role="practitioner",
            url=lambda w, disclosure_page=disclosure_page: _disclosure_answered_up_to(w, disclosure_page),
            valid=valid,
            form=lambda w, disclosure_page=disclosure_page: DisclosureForm(
                consent_relied_on=False, needs_override=False, page=disclosure_page, method="secure_email"
            ),
        )
        for disclosure_page, valid in (
            ("recipient", lambda w: [disclosure_post()]),
            ("method", lambda w: [disclosure_post(), disclosure_post(method="in_person")]),
            ("checks", lambda w: [disclosure_post()]),
            (
                "told",
                lambda w: [
                    disclosure_post(),
                    disclosure_post(
                        informed="no",
                        not_informed_reason="Telling them would put the child at risk.",
                        **date_fields("reconsider_on", _day(30)),
                    ),
                ],
            ),
        )
    ],
    FormPage(
        name="exchange:disclosure_page",
        variant="items",
        role="practitioner",
        url=lambda w: _disclosure_answered_up_to(w, "items"),
        valid=lambda w: [{"add_another": "no"}, {"add_another": "yes"}],
        form=lambda w: AddAnotherItemForm(items=1),
        extra_fields=("remove",),
    ),
    FormPage(
        name="exchange:disclosure_page",
        variant="check",
        role="practitioner",
        url=lambda w: _disclosure_answered_up_to(w, "check"),
        valid=lambda w: [{}],
    ),
    FormPage(
        name="exchange:disclosure_item",
        role="practitioner",
        url=lambda w: _disclosure_answered_up_to(w, "items").replace("/items/", "/items/2/"),
        valid=lambda w: [{"text": "Police attended a domestic incident at the home.", "kind": "fact"}],
        form=lambda w: ItemForm(),
    ),
    # A child's bundle for court or a conference (ADR 21): its consents alone, the quickest to print.
    FormPage(
        name="bundles:make",
        role="lead",
        url=lambda w: reverse("bundles:make", args=[w.child.pk]),
        valid=lambda w: [bundle_post(kinds=[Kind.CONSENTS])],
        form=lambda w: BundleForm(),
    ),
    # Subject access requests (ADR 22)
    FormPage(
        name="subject_access:new_for_child",
        role="lead",
        url=lambda w: reverse("subject_access:new_for_child", args=[w.child.pk]),
        valid=lambda w: [_subject_access_post(), _subject_access_post(requester_is="self", requester_name="Mia")],
        form=lambda w: SubjectAccessRequestForm(),
    ),
    FormPage(
        name="subject_access:new_for_adult",
        role="lead",
        url=lambda w: reverse("subject_access:new_for_adult", args=[w.mother.adult_id]),
        valid=lambda w: [_subject_access_post(requester_is="self")],
        form=lambda w: SubjectAccessRequestForm(),
    ),
    FormPage(
        name="subject_access:extend",
        role="lead",
        url=lambda w: reverse("subject_access:extend", args=[w.subject_access_request.pk]),
        valid=lambda w: [{"months": "2", "reason": "Records from three services over eleven years."}],
        form=lambda w: ExtendForm(received_on=w.subject_access_request.received_on),
    ),
    FormPage(
        name="subject_access:record",
        role="lead",
        url=lambda w: reverse("subject_access:record", args=[w.subject_access_request.pk, "details", w.child.pk]),
        valid=lambda w: [
            {"piece": str(w.subject_access_piece()[0].number), "words": w.child.given_name, "reason": "serious_harm"},
            {
                "piece": str(w.subject_access_piece()[0].number),
                "words": w.child.full_name,
                "reason": "other",
                "reason_detail": "Named in confidence.",
                "everywhere": "on",
            },
        ],
        form=lambda w: RedactionForm(pieces=w.subject_access_piece()[1]),
    ),
    FormPage(
        name="subject_access:redaction_remove",
        role="lead",
        url=lambda w: reverse(
            "subject_access:redaction_remove",
            args=[w.subject_access_request.pk, w.subject_access_request.redactions.first().pk],
        ),
        valid=lambda w: [{}],
    ),
    FormPage(
        name="subject_access:approve",
        role="lead",
        url=lambda w: reverse("subject_access:approve", args=[w.subject_access_request.pk]),
        valid=lambda w: [{"confirmed": "on"}],
        form=lambda w: ApproveForm(),
    ),
    FormPage(
        name="exchange:follow_up_add",
        role="practitioner",
        url=lambda w: reverse("exchange:follow_up_add", args=[w.disclosure.pk]),
        valid=lambda w: [follow_up_post(), follow_up_not_yet_post()],
        form=lambda w: FollowUpForm(),
    ),
    # Disclosures sent through the service (ADR 27): sent from the check page; acknowledged and asked about by
    # the receiving agency's lead; answered by the sender.
    FormPage(
        name="delivery:send",
        role="practitioner",
        url=_sent_answered_up_to_check,
        valid=lambda w: [{}],
    ),
    FormPage(
        name="delivery:sent_detail",
        role="practitioner",
        url=lambda w: reverse("delivery:sent_detail", args=[w.sent.disclosure_id]),
        valid=lambda w: [{"text": "He moved out in April."}],
        form=lambda w: DeliveryAnswerForm(),
    ),
    FormPage(
        name="delivery:received_detail",
        role="lead",
        url=lambda w: reverse("delivery:received_detail", args=[w.received.pk]),
        valid=lambda w: [{"text": "Is the father still at the address?"}],
        form=lambda w: QuestionForm(),
    ),
    FormPage(
        name="delivery:received_acknowledge",
        role="lead",
        url=lambda w: reverse("delivery:received_acknowledge", args=[w.received.pk]),
        valid=lambda w: [{}],
    ),
    # How a person is told of notifications (ADR 24), and all of theirs marked read.
    FormPage(
        name="notifications:preferences",
        role="practitioner",
        url=lambda w: reverse("notifications:preferences"),
        valid=lambda w: [{"frequency": "daily"}, {"frequency": "immediate"}],
        form=lambda w: PreferenceForm(),
    ),
    FormPage(
        name="notifications:all_read",
        role="practitioner",
        url=lambda w: reverse("notifications:all_read"),
        valid=lambda w: [{}],
    ),
]


def _subject_access_post(**changes) -> dict:
    received = timezone.localdate() - timedelta(days=2)
    return {
        "requester_is": "parent",
        "requester_name": "Dan Hughes",
        "identity_checked": "Saw his passport and the child's birth certificate.",
        **date_fields("received_on", received),
        **changes,
    }


class _LinkForms(forms.Form):
    """The two forms of the "connect an adult" page, as one set of fields."""

    def __init__(self, *, adults):
        super().__init__()
        self.fields.update(LinkAdultSearchForm().fields)
        self.fields.update(LinkAdultForm(adults=adults).fields)


def resolve(body: dict) -> dict:
    """The body as posted: every value a string (or a list of them, or an upload)."""
    resolved = {}
    for name, value in body.items():
        if isinstance(value, list):
            resolved[name] = [item if hasattr(item, "read") else str(item) for item in value]
        elif hasattr(value, "read"):
            resolved[name] = value
        else:
            resolved[name] = str(value)
    return copy.copy(resolved)
