"""The traffic of information: requests that come in, what is disclosed, and
what follows (3.7 "Confidential information exchange")."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from exchange import verification
from ledger.fields import CanonicalJSONField
from ledger.models import LedgerRecord
from records.models import Adult, Agency, Child
from sharing import guidance
from sharing.models import SharingDecision


class Channel(models.TextChoices):
    PHONE = "phone", "Telephone"
    EMAIL = "email", "Email"
    LETTER = "letter", "Letter"
    PORTAL = "portal", "Secure portal or case management system"
    IN_PERSON = "in_person", "In person"
    MEETING = "meeting", "At a meeting (for example a strategy meeting)"
    # Issue 19: sent by another agency on this service (SentRequest), matched to a child of the agency asked.
    THROUGH_SERVICE = "service", "Through this service"


class PoliceCategory(models.TextChoices):
    """3.6.9: the categories of request the police can lawfully answer."""

    S47_REFERRAL = "s47_referral", "A child protection referral for an enquiry under s47 Children Act 1989"
    RISK_MANAGEMENT = (
        "risk_management",
        ("An inter-agency risk management meeting under the Criminal Justice Act 2000 or the Sex Offenders Act 1997"),
    )
    ASSESSMENT_FOR_S47 = (
        "assessment_for_s47",
        ("An initial or core assessment by children's social care to decide whether a s47 enquiry is justified"),
    )
    CHILD_IN_NEED = (
        "child_in_need",
        ("A child in need assessment under s17, with written consent or where safeguarding overrides confidence"),
    )
    CHILD_PROTECTION_PLAN = "child_protection_plan", "The child is the subject of a child protection plan"
    EMERGENCY_PLACEMENT = (
        "emergency_placement",
        ("An emergency placement with a family member or friend, with the necessary consents"),
    )
    NONE = "none", "None of these"


class VerificationMethod(models.TextChoices):
    CALLED_BACK = "called_back", "Called back through their agency's published number (3.7.4)"
    SECURE_EMAIL = "secure_email", "Confirmed from a secure email address of their agency"
    IN_PERSON = "in_person", "Met in person and saw identification"
    OTHER = "other", "Another way"
    # 3.7.4: a request sent through this service comes from a signed-in account of an agency on it (ADR 26).
    SERVICE_ACCOUNT = "service_account", "Verified by their account on this service"


class InformationRequest(models.Model):
    """A request for information about a child, logged as it arrives (3.7.9).

    The intake can be corrected (its history is kept); what became of the
    request is an append-only ``RequestOutcome``.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="information_requests")
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="information_requests")
    adults = models.ManyToManyField(Adult, blank=True, related_name="information_requests")
    received_at = models.DateTimeField()
    channel = models.CharField(max_length=20, choices=Channel.choices)
    requester_name = models.CharField(max_length=200)
    requester_role = models.CharField(max_length=200)
    requester_agency = models.CharField(max_length=200)
    requester_agency_kind = models.CharField(max_length=32, choices=Agency.Kind.choices)
    requester_contact = models.CharField(max_length=300)
    # 3.7.4: a requester not already known is verified before anything is disclosed.
    requester_known = models.BooleanField(default=False)
    # 000: what a requester must explain.
    information_needed = models.TextField()
    reason = models.TextField()
    intended_use = models.TextField()
    others_to_tell = models.TextField(blank=True)
    risk_level = models.CharField(
        max_length=50, choices=[(c.value, label) for c, label in guidance.CONCERN_LABELS.items()]
    )
    police_category = models.CharField(max_length=32, choices=PoliceCategory.choices, blank=True)
    verified_at = models.DateTimeField(null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    verification_method = models.CharField(max_length=20, choices=VerificationMethod.choices, blank=True)
    verification_details = models.TextField(blank=True)
    logged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    logged_at = models.DateTimeField(auto_now_add=True)
    # False once an outcome is recorded (services.request_outcome_record): open requests from an index (ADR 18 §3).
    is_open = models.BooleanField(default=True, editable=False)
    # 3.7.4: true while the requester can still be verified (verification.verification_stays_open); kept by
    # the services, so that requests not verified come from an index (ADR 18 §3).
    verification_open = models.BooleanField(default=True, editable=False)

    history = HistoricalRecords(excluded_fields=["is_open", "verification_open"])

    class Meta:
        ordering = ["-received_at"]
        indexes = [
            models.Index(fields=["agency", "-received_at"]),
            models.Index(fields=["child", "-received_at"]),
            # Open requests, and those whose requester is still to be verified
            # (3.7.4: exchange.verification.awaits_verification), on the lead's dashboard.
            models.Index(fields=["agency", "received_at"], condition=Q(is_open=True), name="request_open"),
            models.Index(
                fields=["agency", "received_at"],
                condition=Q(verification_open=True, requester_known=False, verified_at__isnull=True),
                name="request_unverified",
            ),
        ]

    SERVICE_FLAGS = ("is_open", "verification_open")

    def __str__(self):
        return f"Request {self.reference} from {self.requester_agency}"

    def save(self, *args, **kwargs):
        # ``is_open`` and ``verification_open`` are written by the services
        # alone (request_outcome_record, disclosure_record): saving a correction of the
        # intake never writes them back, so a request read before it was
        # closed cannot be reopened by saving it.
        if not self._state.adding and kwargs.get("update_fields") is None:
            kwargs["update_fields"] = [
                field.name
                for field in self._meta.concrete_fields
                if not field.primary_key and field.name not in self.SERVICE_FLAGS
            ]
        super().save(*args, **kwargs)

    @property
    def reference(self) -> str:
        return f"REQ-{self.pk.hex[:8].upper()}"

    @property
    def is_verified(self) -> bool:
        return not verification.not_verified(known=self.requester_known, verified=self.verified_at is not None)

    @property
    def can_be_verified(self) -> bool:
        """3.7.4: "Verify the requester" is offered (verification.can_verify; the
        flag is verification.verification_stays_open, kept by the services)."""
        return not self.is_verified and self.verification_open

    @property
    def outside_police_categories(self) -> bool:
        # 3.6.10: a request to the police outside the 3.6.9 categories is declined.
        return self.police_category == PoliceCategory.NONE


class RequestStatus(models.TextChoices):
    OPEN = "open", "Open"
    DECIDED = "decided", "Decided"
    DECLINED = "declined", "Declined"
    WITHDRAWN = "withdrawn", "Withdrawn"


class RequestOutcome(LedgerRecord):
    """What became of a request: decided, declined with reasons, or withdrawn."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    request = models.OneToOneField(InformationRequest, on_delete=models.PROTECT, related_name="outcome")
    outcome = models.CharField(max_length=20, choices=RequestStatus.choices)
    decision = models.ForeignKey(
        SharingDecision, null=True, blank=True, on_delete=models.PROTECT, related_name="request_outcomes"
    )
    reasons = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorder_name = models.CharField(max_length=150)
    recorded_at = models.DateTimeField()

    ledger_kind = "request outcome"
    ledger_fields = (
        "request_id",
        "outcome",
        "decision_id",
        "reasons",
        "recorded_by_id",
        "recorder_name",
        "recorded_at",
    )

    def __str__(self):
        return f"{self.get_outcome_display()}: {self.request}"


class SentRequest(LedgerRecord):
    """A request for information about a child, sent through this service by a practitioner of one agency to
    another agency on it (issue 19; 000, 3.7.1, 3.7.9). Written once and entered in the log (ADR 26).

    The agency asked never reads the asking agency's records: what it needs to find the child among its own
    is copied here, as the asking agency held it when the request was sent (the ``child_*`` fields). Who sent
    it is copied too, as they were then: their account is the verification of who they are (3.7.4).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # The agency asking, and its child the request is about.
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="sent_requests")
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="sent_requests")
    to_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="received_requests")
    child_name = models.CharField(max_length=200)
    child_other_names = models.CharField(max_length=200, blank=True)
    child_date_of_birth = models.DateField(null=True, blank=True)
    child_expected_date_of_birth = models.DateField(null=True, blank=True)
    child_nhs_number = models.CharField(max_length=10, blank=True)
    child_address = models.TextField(blank=True)
    child_postcode = models.CharField(max_length=10, blank=True)
    # 000: what a requester must explain.
    information_needed = models.TextField()
    reason = models.TextField()
    intended_use = models.TextField()
    others_to_tell = models.TextField()
    risk_level = models.CharField(
        max_length=50, choices=[(c.value, label) for c, label in guidance.CONCERN_LABELS.items()]
    )
    # 3.6.9: asked when the agency asked is a police force.
    police_category = models.CharField(max_length=32, choices=PoliceCategory.choices, blank=True)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    sender_name = models.CharField(max_length=150)
    sender_role = models.CharField(max_length=100)
    sender_job_title = models.CharField(max_length=150, blank=True)
    sender_email = models.CharField(max_length=254)
    sender_agency_name = models.CharField(max_length=200)
    sender_agency_kind = models.CharField(max_length=32, choices=Agency.Kind.choices)
    # 3.7.4: the sender had signed in with a second factor when they sent it.
    sender_two_factor = models.BooleanField()
    sent_at = models.DateTimeField()

    class Meta:
        ordering = ["-sent_at"]
        indexes = [models.Index(fields=["to_agency", "-sent_at"]), models.Index(fields=["child", "-sent_at"])]

    ledger_kind = "sent request"
    ledger_fields = (
        "agency_id", "child_id", "to_agency_id", "child_name", "child_other_names", "child_date_of_birth",
        "child_expected_date_of_birth", "child_nhs_number", "child_address", "child_postcode",
        "information_needed", "reason", "intended_use", "others_to_tell", "risk_level", "police_category",
        "sent_by_id", "sender_name", "sender_role", "sender_job_title", "sender_email", "sender_agency_name",
        "sender_agency_kind", "sender_two_factor", "sent_at",
    )  # fmt: skip

    def __str__(self):
        return f"Request {self.reference} sent to {self.to_agency}"

    @property
    def reference(self) -> str:
        return f"SENT-{self.pk.hex[:8].upper()}"


class RequestMatch(LedgerRecord):
    """What the agency asked did with a request sent to it through this service, once: matched it to a child
    of its own (``information_request``: the request it logged for that child, answered as any other), or
    said it is not a child it knows, with the reason, which the agency asking sees (ADR 26)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    sent_request = models.OneToOneField(SentRequest, on_delete=models.PROTECT, related_name="match")
    information_request = models.OneToOneField(
        InformationRequest, null=True, blank=True, on_delete=models.PROTECT, related_name="sent_request_match"
    )
    reason = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorder_name = models.CharField(max_length=150)
    recorded_at = models.DateTimeField()

    ledger_kind = "sent request match"
    ledger_fields = (
        "sent_request_id",
        "information_request_id",
        "reason",
        "recorded_by_id",
        "recorder_name",
        "recorded_at",
    )

    def __str__(self):
        return f"{'Matched' if self.matched else 'Not matched'}: {self.sent_request}"

    @property
    def matched(self) -> bool:
        return self.information_request_id is not None


class Method(models.TextChoices):
    SECURE_EMAIL = "secure_email", "Secure email"
    SECURE_PORTAL = "secure_portal", "Secure portal or case management system"
    PHONE = "phone", "Telephone"
    IN_PERSON = "in_person", "In person"
    LETTER = "letter", "Letter"
    FAX = "fax", "Fax to a safe-haven number"
    # Sent to an agency on this service, which sees what was sent and acknowledges it (the delivery app, ADR 27).
    THROUGH_THE_SERVICE = "through_the_service", "Through this service, to an agency on it"


# 3.7.6-3.7.8: the checks that go with each method.
METHOD_CHECKS: dict[str, list[tuple[str, str]]] = {
    Method.SECURE_EMAIL: [
        ("secure_system", "Sent through a secure system, not ordinary internet email (3.7.8)"),
        ("confidentiality_warning", "The email carried a confidentiality warning (3.7.8)"),
    ],
    Method.SECURE_PORTAL: [("secure_system", "Sent through a secure system (3.7.8)")],
    Method.PHONE: [
        ("caller_verified", "The person was verified, by calling their agency back if not known (3.7.4)"),
        ("written_record", "A record of what was said has been made (3.7.5)"),
    ],
    Method.IN_PERSON: [("written_record", "A record of what was said has been made (3.7.5)")],
    Method.LETTER: [
        ("marked_confidential", "Marked confidential and addressed to a named person"),
        ("tracked_delivery", "Sent by recorded or special delivery"),
    ],
    Method.FAX: [
        ("number_checked", "The number was checked carefully, preferably by a colleague (3.7.6)"),
        ("cover_sheet", "A cover sheet with a confidentiality statement was used (3.7.7)"),
        ("safe_haven", "Sent to a safe-haven fax machine (3.7.7)"),
        ("receipt_confirmed", "Receipt was confirmed by the recipient (3.7.7)"),
    ],
}


class Disclosure(LedgerRecord):
    """What was actually disclosed, to whom, when and how (3.7.9)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="disclosures")
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="disclosures")
    decision = models.ForeignKey(SharingDecision, on_delete=models.PROTECT, related_name="disclosures")
    request = models.ForeignKey(
        InformationRequest, null=True, blank=True, on_delete=models.PROTECT, related_name="disclosures"
    )
    # [{"text": ..., "kind": "fact" | "opinion" | "hypothesis" | "mixed"}, ...]
    items = CanonicalJSONField()
    recipient_name = models.CharField(max_length=200)
    recipient_role = models.CharField(max_length=200)
    recipient_agency = models.CharField(max_length=200)
    disclosed_at = models.DateTimeField()
    method = models.CharField(max_length=20, choices=Method.choices)
    method_detail = models.CharField(max_length=500, blank=True)
    # Empty for a disclosure sent through this service, which asks no checks (ADR 27).
    checks = CanonicalJSONField(default=list, blank=True)
    onward_sharing = models.CharField(max_length=20)
    onward_detail = models.CharField(max_length=500, blank=True)
    consent_limits_told = models.BooleanField(null=True, blank=True)
    # 3.5.19, 3.7.3: whether the child or parents were told.
    informed = models.BooleanField()
    informed_on = models.DateField(null=True, blank=True)
    informed_by = models.CharField(max_length=200, blank=True)
    not_informed_reason = models.TextField(blank=True)
    reconsider_on = models.DateField(null=True, blank=True)
    unverified_override = models.TextField(blank=True)
    # 3.3.21-3.3.22: the consent the decision relied on was withdrawn, replaced or past its review date, and
    # the practitioner recorded why this disclosure went ahead on another basis (sharing.guidance.consent_lapse).
    consent_lapsed_reason = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorder_name = models.CharField(max_length=150)
    recorder_role = models.CharField(max_length=100)
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["-disclosed_at"]
        indexes = [
            models.Index(fields=["child", "-disclosed_at"]),
            # People not yet told (3.5.19), on the lead's dashboard.
            models.Index(fields=["agency", "reconsider_on"], condition=Q(informed=False), name="disclosure_not_told"),
            # Disclosed after the consent relied on lapsed (3.3.22), on the lead's dashboard.
            models.Index(
                fields=["agency", "-disclosed_at"], condition=~Q(consent_lapsed_reason=""), name="disclosure_lapsed"
            ),
        ]

    ledger_kind = "disclosure"
    ledger_fields = (
        "agency_id", "child_id", "decision_id", "request_id", "items", "recipient_name", "recipient_role",
        "recipient_agency", "disclosed_at", "method", "method_detail", "checks", "onward_sharing", "onward_detail",
        "consent_limits_told", "informed", "informed_on", "informed_by", "not_informed_reason", "reconsider_on",
        "unverified_override", "recorded_by_id", "recorder_name", "recorder_role", "recorded_at",
        "consent_lapsed_reason",
    )  # fmt: skip
    # Hashed only when given: disclosures recorded before it was a column were hashed without it.
    ledger_fields_when_set = ("consent_lapsed_reason",)

    def __str__(self):
        return f"Disclosure to {self.recipient_name}, {self.recipient_agency}"


class InformedFollowUp(LedgerRecord):
    """A later record of whether the person has now been told (3.5.19, 3.7.3)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    disclosure = models.ForeignKey(Disclosure, on_delete=models.PROTECT, related_name="follow_ups")
    informed = models.BooleanField()
    informed_on = models.DateField(null=True, blank=True)
    informed_by = models.CharField(max_length=200, blank=True)
    reasons = models.TextField(blank=True)
    reconsider_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorder_name = models.CharField(max_length=150)
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["recorded_at"]
        indexes = [
            # A disclosure's newest follow-up.
            models.Index(fields=["disclosure", "-recorded_at"], name="follow_up_newest"),
            # People not yet told (3.5.19), on the lead's dashboard.
            models.Index(fields=["reconsider_on"], condition=Q(informed=False), name="follow_up_not_told"),
        ]

    ledger_kind = "follow-up"
    ledger_fields = (
        "disclosure_id", "informed", "informed_on", "informed_by", "reasons", "reconsider_on", "recorded_by_id",
        "recorder_name", "recorded_at",
    )  # fmt: skip

    def __str__(self):
        return f"Follow-up to {self.disclosure}"


class DisclosureDraft(models.Model):
    """A disclosure being recorded a page at a time (exchange.disclosure_pages), kept until it is recorded.

    Kept on the server, so that a time-out or a closed tab loses nothing: its author carries on where they left
    off. One a decision for each author; only its author sees it. ``typed``: each page's answers as the page
    sent them (field name to the values sent), shown again as typed; ``answered``: the pages sent; ``items``:
    what was disclosed, item by item, [{"text": ..., "kind": ...}] (3.7.9). The check page checks the whole;
    what is recorded is only what applies.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    decision = models.ForeignKey(SharingDecision, on_delete=models.CASCADE, related_name="disclosure_drafts")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="disclosure_drafts")
    typed = models.JSONField(default=dict, blank=True)
    answered = models.JSONField(default=list, blank=True)
    items = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["decision", "author"], name="disclosure_draft_one_each")]

    def __str__(self):
        return f"Draft disclosure under decision {self.decision_id}"
