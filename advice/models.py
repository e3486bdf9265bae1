"""Requests for advice about a decision, and the advice given: each written once and entered in the log.

Asking and answering are records of their own, never changed: the answer is
a second record pointing to the request, not a field filled in later. Who
asked, who was asked and who answered are kept as they were then (names and
roles change).
"""

import uuid

from django.conf import settings
from django.db import models

from advice.advisers import ASKED_OF_LABELS, URGENCY_LABELS, AskedOf, Urgency
from ledger.models import LedgerRecord
from records.models import Agency, Child
from sharing.models import DecisionDraft


class AdviceRequest(LedgerRecord):
    """A practitioner's question about a draft decision, to a colleague of their agency (3.5.17, 3.5.18)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="advice_requests")
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="advice_requests")
    draft = models.ForeignKey(DecisionDraft, on_delete=models.PROTECT, related_name="advice_requests")
    asked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="advice_asked")
    asker_name = models.CharField(max_length=150)
    asker_role = models.CharField(max_length=100)
    asked_of = models.CharField(max_length=30, choices=[(a.value, label) for a, label in ASKED_OF_LABELS.items()])
    # The lead asked by name; empty when the request went to a role.
    adviser = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="advice_asked_of",
    )
    # To whom, in words, as it was then: "Laura Bennett, safeguarding lead", "The Caldicott Guardian (Sam Patel)".
    addressed_to = models.CharField(max_length=300)
    question = models.TextField()
    urgency = models.CharField(max_length=20, choices=[(u.value, label) for u, label in URGENCY_LABELS.items()])
    asked_at = models.DateTimeField()
    # When the answer is due (advisers.answer_by, with the hours set when it was asked).
    answer_by = models.DateTimeField()

    ledger_kind = "advice request"
    ledger_fields = (
        "agency_id", "child_id", "draft_id", "asked_by_id", "asker_name", "asker_role", "asked_of", "adviser_id",
        "addressed_to", "question", "urgency", "asked_at", "answer_by",
    )  # fmt: skip

    class Meta:
        ordering = ["asked_at", "id"]
        indexes = [
            models.Index(fields=["draft", "asked_at"]),
            # The agency's requests by when their answer is due ("For review").
            models.Index(fields=["agency", "answer_by"]),
            models.Index(fields=["adviser", "answer_by"]),
            models.Index(fields=["asked_by", "-asked_at"]),
            models.Index(fields=["child", "asked_at"]),
        ]

    def __str__(self):
        return f"Request for advice of {self.asked_at:%Y-%m-%d %H:%M} about draft {self.draft_id}"

    @property
    def asked_of_choice(self) -> AskedOf:
        return AskedOf(self.asked_of)

    @property
    def urgency_choice(self) -> Urgency:
        return Urgency(self.urgency)


class AdviceAnswer(LedgerRecord):
    """The advice given in answer to a request: one answer, written once."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    request = models.OneToOneField(AdviceRequest, on_delete=models.PROTECT, related_name="answer")
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="advice_given")
    adviser_name = models.CharField(max_length=150)
    adviser_role = models.CharField(max_length=100)
    # The capacity in which they answered: "Caldicott Guardian", "Safeguarding lead".
    adviser_capacity = models.CharField(max_length=100)
    advice = models.TextField()
    answered_at = models.DateTimeField()
    # When the draft they read had last been saved: the advice is about the draft as it stood then.
    draft_saved_at = models.DateTimeField()

    ledger_kind = "advice answer"
    ledger_fields = (
        "request_id", "answered_by_id", "adviser_name", "adviser_role", "adviser_capacity", "advice", "answered_at",
        "draft_saved_at",
    )  # fmt: skip

    class Meta:
        ordering = ["answered_at", "id"]
        indexes = [models.Index(fields=["answered_by", "-answered_at"])]

    def __str__(self):
        return f"Advice of {self.answered_at:%Y-%m-%d %H:%M} on request {self.request_id}"
