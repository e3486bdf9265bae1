"""A bundle of a child's records made for a court or a conference (docs/adr/0021-court-bundles.md).

Making a bundle is itself a record, written once and entered in the log: who
made it and in what role, for whom and why, the period and the kinds of
record chosen, every record that went in (its kind, id, place in the log and
the SHA-256 its entry holds), and the SHA-256 of the PDF produced. The PDF is
kept in private storage, like a signed consent form, and verification checks
its bytes against that SHA-256 (``ledger_files``), so a copy handed over can
be checked against what the service says it produced.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from consent.storage import private_storage
from ledger.fields import CanonicalJSONField
from ledger.models import LedgerRecord
from records.models import Agency, Child


def bundle_path(bundle: Bundle, filename: str) -> str:
    # Random names: no personal data in file names or paths.
    return f"bundles/{uuid.uuid4().hex}.pdf"


class Purpose(models.TextChoices):
    COURT = "court", "Court proceedings"
    CONFERENCE = "conference", "A child protection conference"
    REVIEW_CONFERENCE = "review_conference", "A child protection review conference"
    OTHER = "other", "Something else"


class Kind(models.TextChoices):
    """The kinds of record a bundle can hold, in the order it holds them."""

    DECISIONS = "decisions", "Information-sharing decisions, with their reviews and addenda"
    CONSENTS = "consents", "Consent records"
    REQUESTS = "requests", "Requests for information and what became of them"
    DISCLOSURES = "disclosures", "Disclosures and their follow-ups"
    ADVICE = "advice", "Advice asked and given"


class Bundle(LedgerRecord):
    """A PDF of a child's records, made once for someone, for a reason; never changed."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="bundles")
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="bundles")
    purpose = models.CharField(max_length=30, choices=Purpose.choices)
    # For whom, in the maker's words: "Family Court at Nottingham, case NG24C00123".
    recipient = models.CharField(max_length=300)
    reason = models.TextField()
    period_start = models.DateField(null=True, blank=True)
    period_end = models.DateField(null=True, blank=True)
    kinds = CanonicalJSONField(default=list)
    # What went in: [{"kind": ..., "id": ..., "position": ..., "sha256": ...}, ...], in the bundle's order.
    contents = CanonicalJSONField(default=list)
    pages = models.PositiveIntegerField()
    pdf = models.FileField("PDF", upload_to=bundle_path, storage=private_storage)
    pdf_size = models.PositiveIntegerField()
    pdf_sha256 = models.CharField(max_length=64)
    made_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    maker_name = models.CharField(max_length=150)
    maker_role = models.CharField(max_length=100)
    made_at = models.DateTimeField()

    ledger_kind = "bundle"
    # The PDF's bytes are checked against the SHA-256 recorded (and hashed) with the bundle.
    ledger_files = (("pdf", "pdf_sha256"),)
    ledger_fields = (
        "agency_id", "child_id", "purpose", "recipient", "reason", "period_start", "period_end", "kinds",
        "contents", "pages", "pdf_size", "pdf_sha256", "made_by_id", "maker_name", "maker_role", "made_at",
    )  # fmt: skip

    class Meta:
        ordering = ["-made_at"]
        indexes = [models.Index(fields=["child", "-made_at"])]

    def __str__(self):
        return f"Bundle {self.pk} of {self.made_at:%Y-%m-%d %H:%M}"

    @property
    def kind_labels(self) -> list[str]:
        labels = dict(Kind.choices)
        return [labels.get(kind, kind) for kind in self.kinds]


class BundleOrder(models.Model):
    """A bundle asked for on the "Make a bundle" page: what was chosen, by whom, and what became of it.

    The bundle is made in the background (a task, ADR 21 and 23): until it is, the child's list of bundles
    shows it as being made; then it names the bundle made, or when its task failed for good.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="bundle_orders")
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="bundle_orders")
    purpose = models.CharField(max_length=30, choices=Purpose.choices)
    recipient = models.CharField(max_length=300)
    reason = models.TextField()
    period_start = models.DateField(null=True, blank=True)
    period_end = models.DateField(null=True, blank=True)
    kinds = models.JSONField(default=list)
    asked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    asker_name = models.CharField(max_length=150)
    asked_at = models.DateTimeField()
    bundle = models.OneToOneField(Bundle, null=True, blank=True, on_delete=models.PROTECT, related_name="order")
    # When its task failed for good (every attempt, ADR 23): nothing was kept or entered in the log.
    failed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-asked_at"]
        indexes = [models.Index(fields=["child", "-asked_at"])]

    def __str__(self):
        return f"Bundle asked for at {self.asked_at:%Y-%m-%d %H:%M}"

    @property
    def is_ready(self) -> bool:
        return self.bundle_id is not None

    @property
    def is_being_made(self) -> bool:
        return self.bundle_id is None and self.failed_at is None

    @property
    def could_not_be_made(self) -> bool:
        return self.bundle_id is None and self.failed_at is not None
