"""Subject access requests (UK GDPR article 15) and what was released in answer (ADR 22).

A request is recorded when it arrives and changes while it is answered (its
deadline may be extended, redactions are added and taken back). What was
released is a ``SubjectAccessRelease``: written once and entered in the log,
with the redaction log (what was taken out, why, by whom, approved by whom)
and the SHA-256 of the PDF handed over, which is kept in private storage.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from consent.storage import private_storage
from ledger.fields import CanonicalJSONField
from ledger.models import LedgerRecord
from records.models import Adult, Agency, Child
from subject_access import deadlines


class Requester(models.TextChoices):
    SELF = "self", "The person the information is about"
    PARENT = "parent", "A parent or carer, for a child who cannot make the request themself"
    REPRESENTATIVE = "representative", "Someone acting for them with their written authority (a solicitor, an advocate)"


class Reason(models.TextChoices):
    """Why words are withheld: the exemptions of the Data Protection Act 2018 a safeguarding record meets."""

    THIRD_PARTY = "third_party", "Another person's information, without their consent"
    SERIOUS_HARM = "serious_harm", "Serious harm to anyone's physical or mental health"
    LEGAL_PRIVILEGE = "legal_privilege", "Legal professional privilege"
    CRIME = "crime", "Crime and taxation: it would prejudice preventing or detecting crime"
    OTHER = "other", "Another reason (say which)"


# The law each reason rests on, as the redaction log and the form's hints cite it.
REASON_LAW = {
    Reason.THIRD_PARTY: "DPA 2018 schedule 2 part 3 paragraphs 16 and 17",
    Reason.SERIOUS_HARM: "DPA 2018 schedule 3 (health, social work and education data: the serious harm test)",
    Reason.LEGAL_PRIVILEGE: "DPA 2018 schedule 2 part 4 paragraph 19",
    Reason.CRIME: "DPA 2018 schedule 2 part 1 paragraph 2",
    Reason.OTHER: "as written",
}
# What the released document shows where words were taken out: "[Redacted: third party]".
MARKS = {
    Reason.THIRD_PARTY: "Redacted: third party",
    Reason.SERIOUS_HARM: "Redacted: serious harm",
    Reason.LEGAL_PRIVILEGE: "Redacted: legal professional privilege",
    Reason.CRIME: "Redacted: crime and taxation",
    Reason.OTHER: "Redacted: other exemption",
}


class SubjectAccessRequest(models.Model):
    """A request by a person (or someone for them) for the information the agency holds about them."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="subject_access_requests")
    # Whose information: a child or an adult of the agency's records, exactly one.
    child = models.ForeignKey(
        Child, null=True, blank=True, on_delete=models.PROTECT, related_name="subject_access_requests"
    )
    adult = models.ForeignKey(
        Adult, null=True, blank=True, on_delete=models.PROTECT, related_name="subject_access_requests"
    )
    requester_name = models.CharField(max_length=200)
    requester_is = models.CharField(max_length=20, choices=Requester.choices)
    identity_checked = models.TextField()
    received_on = models.DateField()
    due_on = models.DateField()
    extension_months = models.PositiveSmallIntegerField(default=0)
    extension_reason = models.TextField(blank=True)
    extended_by_name = models.CharField(max_length=150, blank=True)
    extended_at = models.DateTimeField(null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorder_name = models.CharField(max_length=150)
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["due_on", "recorded_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(child__isnull=True, adult__isnull=False) | Q(child__isnull=False, adult__isnull=True),
                name="subject_access_about_one_person",
            ),
        ]
        indexes = [models.Index(fields=["agency", "due_on"])]

    def __str__(self):
        return f"Subject access request received {self.received_on:%Y-%m-%d}"

    @property
    def person(self) -> Child | Adult:
        return self.child if self.child_id else self.adult

    @property
    def original_due_on(self):
        return deadlines.due_on(self.received_on)

    @property
    def is_released(self) -> bool:
        return hasattr(self, "release")

    @property
    def is_approved(self) -> bool:
        """Approved for release: closed to changes, its PDF made or being made (ReleaseApproval)."""
        return hasattr(self, "approval")

    @property
    def is_closed(self) -> bool:
        """Released, or approved and being made; a release that could not be made may be approved again."""
        return self.is_released or (self.is_approved and self.approval.failed_at is None)

    @property
    def release_being_made(self) -> bool:
        return self.is_approved and not self.is_released and self.approval.failed_at is None

    @property
    def release_could_not_be_made(self) -> bool:
        return self.is_approved and not self.is_released and self.approval.failed_at is not None


class Redaction(models.Model):
    """Words to take out of one piece of one record before release, and why; taken back freely until then."""

    request = models.ForeignKey(SubjectAccessRequest, on_delete=models.CASCADE, related_name="redactions")
    record_kind = models.CharField(max_length=40)
    record_id = models.CharField(max_length=64)
    # Which piece of the record's printed text (subject_access.redaction.pieces), and what it comes under.
    piece = models.PositiveIntegerField()
    where = models.CharField(max_length=300)
    words = models.TextField()
    reason = models.CharField(max_length=20, choices=Reason.choices)
    reason_detail = models.TextField(blank=True)
    redacted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    redactor_name = models.CharField(max_length=150)
    redacted_at = models.DateTimeField()

    class Meta:
        ordering = ["redacted_at", "pk"]

    def __str__(self):
        return f"Redaction {self.pk} ({self.reason})"

    @property
    def mark(self) -> str:
        return MARKS[Reason(self.reason)]


def release_path(release: SubjectAccessRelease, filename: str) -> str:
    # Random names: no personal data in file names or paths.
    return f"subject-access/{uuid.uuid4().hex}.pdf"


class SubjectAccessRelease(LedgerRecord):
    """What was handed over in answer to a request: written once, in the log, with its PDF's SHA-256."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    request = models.OneToOneField(SubjectAccessRequest, on_delete=models.PROTECT, related_name="release")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    child = models.ForeignKey(Child, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    adult = models.ForeignKey(Adult, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    # The request as it was answered.
    subject_name = models.CharField(max_length=200)
    requester_name = models.CharField(max_length=200)
    requester_is = models.CharField(max_length=20, choices=Requester.choices)
    identity_checked = models.TextField()
    received_on = models.DateField()
    due_on = models.DateField()
    extension_months = models.PositiveSmallIntegerField()
    extension_reason = models.TextField(blank=True)
    # The records released ([{kind, id, title}]) and the redaction log ([{record, where, words, reason, ...}]).
    records = CanonicalJSONField()
    redaction_log = CanonicalJSONField()
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    approver_name = models.CharField(max_length=150)
    approver_role = models.CharField(max_length=100)
    # The approver also made redactions: allowed only when the agency had no other safeguarding lead.
    approver_redacted = models.BooleanField()
    released_at = models.DateTimeField()
    pdf = models.FileField("PDF released", upload_to=release_path, storage=private_storage)
    pdf_size = models.PositiveIntegerField()
    pdf_sha256 = models.CharField(max_length=64)

    ledger_kind = "subject access release"
    ledger_files = (("pdf", "pdf_sha256"),)
    ledger_fields = (
        "request_id", "agency_id", "child_id", "adult_id", "subject_name", "requester_name", "requester_is",
        "identity_checked", "received_on", "due_on", "extension_months", "extension_reason", "records",
        "redaction_log", "approved_by_id", "approver_name", "approver_role", "approver_redacted", "released_at",
        "pdf_size", "pdf_sha256",
    )  # fmt: skip

    class Meta:
        ordering = ["-released_at"]

    def __str__(self):
        return f"Subject access release of {self.released_at:%Y-%m-%d %H:%M}"


class ReleaseApproval(models.Model):
    """A lead's approval of a request's release, recorded the moment it is given: from then on nothing of the
    request changes, and the worker makes the redacted PDF and writes the release (ADR 22 and 23). Until the
    release is written the request's page says it is being made; if its task fails for good, that it could
    not be made."""

    request = models.OneToOneField(SubjectAccessRequest, on_delete=models.PROTECT, related_name="approval")
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    approver_name = models.CharField(max_length=150)
    approved_at = models.DateTimeField()
    approver_redacted = models.BooleanField()
    # The redactions approved: the release is made with exactly these.
    redaction_ids = models.JSONField(default=list)
    # When its task failed for good (every attempt): nothing was released, kept or entered in the log.
    failed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"Release approved at {self.approved_at:%Y-%m-%d %H:%M}"
