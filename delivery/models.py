"""Disclosures sent through this service to another agency on it: what was sent, to whom, when, with the
limits that travel with it; who opened it, who acknowledged it, and the questions and answers on its thread
(ADR 27). Each is written once and entered in the log.

What was sent is copied into the record of sending, as it was then: the recipient reads that record, never the
sender's disclosure, child or decision, and each side holds an immutable record of exactly what passed.
"""

import uuid

from django.conf import settings
from django.db import models

from exchange.models import Disclosure
from ledger.fields import CanonicalJSONField
from ledger.models import LedgerRecord
from records.models import Agency


class Delivery(LedgerRecord):
    """A disclosure sent through the service: what, to which agency and whom there, when, and its limits
    (3.5.20, 3.7.1, 3.7.8, 3.7.9)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    disclosure = models.OneToOneField(Disclosure, on_delete=models.PROTECT, related_name="delivery")
    from_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="deliveries_sent")
    to_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="deliveries_received")
    # The person it was sent to by name; empty when it went to the agency's safeguarding leads.
    to_person = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="deliveries_received"
    )
    # To whom, in words, as it was then: "Laura Bennett, safeguarding lead, Northgate NHS Foundation Trust".
    addressed_to = models.CharField(max_length=400)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="deliveries_sent")
    sender_name = models.CharField(max_length=150)
    sender_role = models.CharField(max_length=100)
    sender_agency = models.CharField(max_length=200)
    sent_at = models.DateTimeField()
    # Who it is about, as the sender's record said then: the recipient must know whom the items concern.
    child_name = models.CharField(max_length=300)
    child_born_on = models.DateField(null=True, blank=True)
    # What was sent, each item marked fact, opinion, hypothesis or a mixture (3.5.20): the disclosure's items.
    items = CanonicalJSONField()
    # The limits that travel with it (3.5.20, 3.7.1): passing it on, the consent's limits, whether the family
    # knows and until when they must not be told, and until when the recipient may keep it.
    onward_sharing = models.CharField(max_length=20)
    onward_detail = models.CharField(max_length=500, blank=True)
    consent_limits = models.TextField(blank=True)
    informed = models.BooleanField()
    not_informed_reason = models.TextField(blank=True)
    reconsider_on = models.DateField(null=True, blank=True)
    keep_until = models.DateField()
    # When it should be acknowledged by (DELIVERY_ACKNOWLEDGE_WITHIN_HOURS when sent); past that, the
    # sender's leads are told and see it on "For review".
    acknowledge_by = models.DateTimeField()

    ledger_kind = "delivery"
    ledger_fields = (
        "disclosure_id", "from_agency_id", "to_agency_id", "to_person_id", "addressed_to", "sent_by_id",
        "sender_name", "sender_role", "sender_agency", "sent_at", "child_name", "child_born_on", "items",
        "onward_sharing", "onward_detail", "consent_limits", "informed", "not_informed_reason", "reconsider_on",
        "keep_until", "acknowledge_by",
    )  # fmt: skip

    class Meta:
        ordering = ["-sent_at", "id"]
        verbose_name_plural = "deliveries"
        indexes = [
            # The agency's list of what it received, newest first.
            models.Index(fields=["to_agency", "-sent_at"]),
            # The sending agency's not acknowledged in time ("For review").
            models.Index(fields=["from_agency", "acknowledge_by"]),
        ]

    def __str__(self):
        return f"Disclosure {self.disclosure_id} sent through the service on {self.sent_at:%Y-%m-%d %H:%M}"


class Opened(LedgerRecord):
    """The first time a person of the receiving agency opened it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    delivery = models.ForeignKey(Delivery, on_delete=models.PROTECT, related_name="openings")
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    opener_name = models.CharField(max_length=150)
    opener_role = models.CharField(max_length=100)
    opened_at = models.DateTimeField()

    ledger_kind = "delivery opened"
    ledger_fields = ("delivery_id", "opened_by_id", "opener_name", "opener_role", "opened_at")

    class Meta:
        ordering = ["opened_at", "id"]
        constraints = [models.UniqueConstraint(fields=["delivery", "opened_by"], name="delivery_opened_once_each")]

    def __str__(self):
        return f"Opened by user {self.opened_by_id} on {self.opened_at:%Y-%m-%d %H:%M}"


class Acknowledgement(LedgerRecord):
    """The receiving agency's acknowledgement that it has the disclosure and its limits: once."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    delivery = models.OneToOneField(Delivery, on_delete=models.PROTECT, related_name="acknowledgement")
    acknowledged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    acknowledger_name = models.CharField(max_length=150)
    acknowledger_role = models.CharField(max_length=100)
    acknowledged_at = models.DateTimeField()

    ledger_kind = "delivery acknowledged"
    ledger_fields = ("delivery_id", "acknowledged_by_id", "acknowledger_name", "acknowledger_role", "acknowledged_at")

    def __str__(self):
        return f"Acknowledged by user {self.acknowledged_by_id} on {self.acknowledged_at:%Y-%m-%d %H:%M}"


class Side(models.TextChoices):
    RECIPIENT = "recipient", "A question from the recipient"
    SENDER = "sender", "An answer from the sender"


class ThreadMessage(LedgerRecord):
    """A question from the receiving agency about what was sent, or the sender's answer: written once."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    delivery = models.ForeignKey(Delivery, on_delete=models.PROTECT, related_name="thread")
    side = models.CharField(max_length=20, choices=Side.choices)
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    writer_name = models.CharField(max_length=150)
    writer_role = models.CharField(max_length=100)
    writer_agency = models.CharField(max_length=200)
    text = models.TextField()
    written_at = models.DateTimeField()

    ledger_kind = "delivery message"
    ledger_fields = (
        "delivery_id", "side", "written_by_id", "writer_name", "writer_role", "writer_agency", "text", "written_at",
    )  # fmt: skip

    class Meta:
        ordering = ["written_at", "id"]
        indexes = [models.Index(fields=["delivery", "written_at"])]

    def __str__(self):
        return f"{self.get_side_display()} on {self.written_at:%Y-%m-%d %H:%M}"
