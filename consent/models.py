import uuid
from datetime import date
from types import EllipsisType

from django.conf import settings
from django.db import models
from django.db.models import Q

from consent import capacity
from consent.storage import private_storage
from ledger.fields import CanonicalJSONField
from ledger.models import LedgerRecord
from records.models import Adult, Agency, Child, ParentalResponsibility


def signed_form_path(record: "ConsentRecord", filename: str) -> str:
    # Random names: no personal data in file names or paths.
    extension = {"application/pdf": "pdf", "image/png": "png", "image/jpeg": "jpg"}[record.signed_form_type]
    return f"consent-forms/{uuid.uuid4().hex}.{extension}"


class ConsentRecord(LedgerRecord):
    """A consent given, refused or withdrawn, as it was at the time.

    Append-only: a withdrawal or a renewal is a new record that supersedes the
    earlier one (3.3.21-3.3.22). Joins the hash chain of decisions.
    """

    class Explicitness(models.TextChoices):
        EXPLICIT = "explicit", "Explicit: given in words, spoken or written"
        IMPLIED = "implied", "Implied by the circumstances"

    class Form(models.TextChoices):
        WRITTEN = "written", "In writing"
        VERBAL = "verbal", "Verbally"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="consent_records")
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="consent_records")
    # Whose information: the child (blank) or a connected adult.
    about_adult = models.ForeignKey(
        Adult, null=True, blank=True, on_delete=models.PROTECT, related_name="consents_about"
    )
    # Who responded: the child themself (blank) or an adult.
    responder = models.ForeignKey(Adult, null=True, blank=True, on_delete=models.PROTECT, related_name="consents_given")
    responder_name = models.CharField(max_length=200)
    responder_relationship = models.CharField(max_length=100)
    responder_parental_responsibility = models.CharField(max_length=20, blank=True)
    responder_lives_with_child = models.BooleanField(null=True, blank=True)
    child_age = models.PositiveSmallIntegerField(null=True, blank=True)
    # 3.3.17 assessment, when the child responded: {criterion: bool, ...}.
    competence = CanonicalJSONField(default=dict, blank=True)
    child_competent = models.BooleanField(null=True, blank=True)
    assessed_by = models.CharField(max_length=200, blank=True)
    assessed_on = models.DateField(null=True, blank=True)
    explained_how = models.TextField(blank=True)
    language = models.CharField(max_length=100, blank=True)
    communication = models.CharField(max_length=200, blank=True)
    assessment_notes = models.TextField(blank=True)
    # 3.3.19: family conflict and the advice taken.
    family_conflict = models.BooleanField(default=False)
    conflict_advice = models.TextField(blank=True)
    non_resident_reason = models.TextField(blank=True)

    response = models.CharField(max_length=20, choices=[(r.value, r.value.title()) for r in capacity.Response])
    explicitness = models.CharField(max_length=20, choices=Explicitness.choices)
    form = models.CharField(max_length=20, choices=Form.choices, blank=True)
    how_signalled = models.TextField()
    responded_on = models.DateField()
    # 3.3.28: what the person was told.
    scope_information = models.TextField(blank=True)
    scope_purposes = models.TextField(blank=True)
    scope_recipients = models.TextField(blank=True)
    scope_recipient_kinds = CanonicalJSONField(default=list, blank=True)
    scope_recipient_use = models.TextField(blank=True)
    told_can_withdraw = models.BooleanField(null=True, blank=True)
    review_on = models.DateField(null=True, blank=True)

    signed_form = models.FileField(upload_to=signed_form_path, blank=True, storage=private_storage)
    signed_form_type = models.CharField(max_length=40, blank=True)
    signed_form_size = models.PositiveIntegerField(null=True, blank=True)
    signed_form_sha256 = models.CharField(max_length=64, blank=True)

    supersedes = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="superseded_by"
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorder_name = models.CharField(max_length=150)
    recorder_role = models.CharField(max_length=100)
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["-recorded_at"]
        indexes = [
            models.Index(fields=["child", "-recorded_at"]),
            # Consents due for review (3.3.21), on the lead's dashboard.
            models.Index(
                fields=["agency", "review_on"], condition=Q(review_on__isnull=False), name="consent_agency_review_on"
            ),
        ]

    ledger_kind = "consent"
    # The form's bytes are checked against the SHA-256 recorded (and hashed) with the consent.
    ledger_files = (("signed_form", "signed_form_sha256"),)
    ledger_fields = (
        "agency_id", "child_id", "about_adult_id", "responder_id", "responder_name", "responder_relationship",
        "responder_parental_responsibility", "responder_lives_with_child", "child_age", "competence",
        "child_competent", "assessed_by", "assessed_on", "explained_how", "language", "communication",
        "assessment_notes", "family_conflict", "conflict_advice", "non_resident_reason", "response",
        "explicitness", "form", "how_signalled", "responded_on", "scope_information", "scope_purposes",
        "scope_recipients", "scope_recipient_kinds", "scope_recipient_use", "told_can_withdraw", "review_on",
        "signed_form_type", "signed_form_size", "signed_form_sha256", "supersedes_id", "recorded_by_id",
        "recorder_name", "recorder_role", "recorded_at",
    )  # fmt: skip

    def __str__(self):
        return f"Consent {self.response} by {self.responder_name} on {self.responded_on}"

    @property
    def by_child(self) -> bool:
        return self.responder_id is None

    @property
    def responder_parental_responsibility_display(self) -> str:
        return dict(ParentalResponsibility.choices).get(self.responder_parental_responsibility, "")

    @property
    def about_name(self) -> str:
        return self.about_adult.full_name if self.about_adult_id else self.child.full_name

    @property
    def child_decides(self) -> bool:
        """The child answered, and their answer is the one that counts (3.3.15, 3.3.17-3.3.18)."""
        return self.by_child and self.own_answer_basis is not None

    @property
    def own_answer_basis(self) -> str | None:
        """Why the child's own answer counts, in words ("judged competent", "aged 16"); None if it does not."""
        if not self.by_child:
            return None
        return capacity.own_answer_basis(age=self.child_age, judged_competent=self.child_competent)

    def fact(self, superseded_by: str | EllipsisType | None = ...) -> capacity.ConsentFact:
        """The record as the rules see it. ``superseded_by``: the answer of the record that replaced this one,
        when the caller has read it (None: nothing has); by default it is read from ``superseded_by``."""
        if superseded_by is ...:
            newer = self.superseded_by if hasattr(self, "superseded_by") else None
            superseded_by = newer.response if newer is not None else None
        return capacity.ConsentFact(
            key=str(self.pk),
            by_child=self.by_child,
            by_parental_responsibility=self.responder_parental_responsibility == "yes",
            child_decides=self.child_decides,
            response=capacity.Response(self.response),
            responded_on=self.responded_on,
            review_on=self.review_on,
            superseded_by=capacity.Response(superseded_by) if superseded_by else None,
            adult_lives_with_child=self.responder_lives_with_child,
        )

    def status(self, today: date) -> capacity.Status:
        return capacity.status_of(self.fact(), today)
