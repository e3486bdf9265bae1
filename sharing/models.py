import uuid
from collections.abc import Iterable
from datetime import date
from operator import itemgetter

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from ledger.fields import CanonicalJSONField
from ledger.models import LedgerRecord, WrittenOnce
from records import identity
from records.models import Adult, Agency, Child
from sharing import guidance


class LegalBasis(models.Model):
    """The maintained list of legal bases offered on question 1 (3.5.4)."""

    code = models.SlugField(max_length=60, unique=True)
    label = models.CharField(max_length=200)
    position = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField("offered to practitioners", default=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "label"]
        verbose_name_plural = "legal bases"

    def __str__(self):
        return self.label


class Direction(models.TextChoices):
    REQUEST_RECEIVED = "request_received", "I have been asked to share information"
    PROPOSING = "proposing", "I want to share information"


class DecisionDraft(models.Model):
    """A decision being worked through: answers saved page by page.

    Visible only to its author and the safeguarding leads of the agency.
    Once recorded it points to its decision, and is never recorded twice.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="decision_drafts")
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="decision_drafts")
    adults = models.ManyToManyField(Adult, blank=True, related_name="decision_drafts")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="decision_drafts")
    direction = models.CharField(max_length=20, choices=Direction.choices)
    # {question key: {field: value}} of validated answers.
    answers = models.JSONField(default=dict, blank=True)
    # {question key: {field: value}} typed but not yet valid ("save and come back later").
    unsaved = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    decision = models.OneToOneField(
        "SharingDecision", null=True, blank=True, on_delete=models.PROTECT, related_name="draft"
    )
    # The request this decision answers, if there was one.
    request = models.ForeignKey(
        "exchange.InformationRequest", null=True, blank=True, on_delete=models.PROTECT, related_name="drafts"
    )

    class Meta:
        ordering = ["-updated_at"]

    def __str__(self):
        return f"Draft decision about {self.child}"

    @property
    def is_recorded(self) -> bool:
        return self.decision_id is not None


class SharingDecision(LedgerRecord):
    """A recorded decision, whether or not to share: a snapshot that never changes."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="sharing_decisions")
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="sharing_decisions")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="sharing_decisions"
    )
    # Who decided, as they were then (names and roles change).
    recorder_name = models.CharField(max_length=150)
    recorder_role = models.CharField(max_length=100)
    recorder_job_title = models.CharField(max_length=150, blank=True)
    agency_name = models.CharField(max_length=200)
    # Whom the information is about, as recorded then.
    subject = CanonicalJSONField()
    direction = models.CharField(max_length=20, choices=Direction.choices)
    outcome = models.CharField(
        max_length=20, choices=[(o.value, label) for o, label in guidance.OUTCOME_LABELS.items()]
    )
    recommendation = models.CharField(max_length=20)
    departs_from_guidance = models.BooleanField()
    reasons = models.TextField()
    departure_reason = models.TextField(blank=True)
    decided_at = models.DateTimeField()
    recorded_at = models.DateTimeField()
    guidance_version = models.CharField(max_length=40)
    draft_key = models.UUIDField(unique=True, editable=False)
    # 3.5.19, 3.7.3: a decision to share without telling the person, and when to reconsider telling them
    # (guidance.reconsider_date); on the lead's "not yet told" list once it comes, until a disclosure under
    # the decision records whether they were told.
    reconsider_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-recorded_at"]
        indexes = [
            models.Index(fields=["child", "-recorded_at"]),
            models.Index(fields=["agency", "-recorded_at"]),
            # The lead's recent decisions to share without consent.
            models.Index(
                fields=["agency", "-decided_at"],
                condition=Q(outcome__in=[guidance.Outcome.SHARE, guidance.Outcome.SHARE_IN_PART]),
                name="decision_agency_shared",
            ),
            # The lead's list of people not yet told (3.5.19).
            models.Index(
                fields=["agency", "reconsider_on"],
                condition=Q(reconsider_on__isnull=False),
                name="decision_not_told",
            ),
        ]

    ledger_kind = "decision"
    ledger_fields = (
        "agency_id", "agency_name", "child_id", "recorded_by_id", "recorder_name", "recorder_role",
        "recorder_job_title", "subject", "direction", "outcome", "recommendation", "departs_from_guidance",
        "reasons", "departure_reason", "decided_at", "recorded_at", "guidance_version", "draft_key", "reconsider_on",
    )  # fmt: skip
    ledger_parts = ("answers",)
    # The answers are hashed in the order of their position.
    ledger_parts_ordered_by = {"answers": "position"}
    # Hashed only when there is one: decisions recorded before it was a column were hashed without it.
    ledger_fields_when_set = ("reconsider_on",)

    def __str__(self):
        return f"Decision recorded {self.recorded_at:%Y-%m-%d %H:%M}: {self.get_outcome_display()}"

    @classmethod
    def ledger_document_of(cls, values: dict, answers: Iterable[dict] = ()) -> dict:
        order = itemgetter(cls.ledger_parts_ordered_by["answers"])
        return {**super().ledger_document_of(values), "answers": sorted(answers, key=order)}

    @property
    def recommendation_label(self) -> str:
        """What the guidance pointed to on the answers given, as the check page said it (3.5.21)."""
        return guidance.RECOMMENDATION_LABELS.get(self.recommendation, self.recommendation)

    def answers_by_question(self) -> dict[str, dict]:
        """The answers as the rules of ``guidance`` read them, from the recorded rows."""
        return {row.question_key: row.answers for row in self.answers.all()}

    def ledger_document(self, answers: list["DecisionAnswer"] | None = None) -> dict:
        rows = answers if answers is not None else list(self.answers.all())
        return self.ledger_document_of(self.ledger_values(), answers=[row.ledger_values() for row in rows])

    @property
    def subject_lines(self) -> list[str]:
        """Whom the decision was about, as recorded, for reading."""
        child = self.subject["child"]
        parts = [child["name"]]
        if child.get("date_of_birth"):
            parts.append(f"born {date.fromisoformat(child['date_of_birth']):%-d %B %Y}")
        elif child.get("expected_date_of_birth"):
            parts.append(f"unborn, due {date.fromisoformat(child['expected_date_of_birth']):%-d %B %Y}")
        if child.get("nhs_number"):
            parts.append(f"NHS number {identity.nhs_number_format(child['nhs_number'])}")
        if child.get("local_reference"):
            parts.append(f"reference {child['local_reference']}")
        lines = [", ".join(parts)]
        for adult in self.subject.get("adults", []):
            lines.append(
                f"{adult['name']} ({adult['relationship'].lower()}; parental responsibility: "
                f"{adult['parental_responsibility'].lower()})"
            )
        return lines


class DecisionAnswer(WrittenOnce):
    """One question of a decision as it was shown and answered."""

    decision = models.ForeignKey(SharingDecision, on_delete=models.PROTECT, related_name="answers")
    position = models.PositiveSmallIntegerField()
    question_key = models.CharField(max_length=30)
    question_number = models.PositiveSmallIntegerField()
    question_wording = models.TextField()
    paragraphs = models.CharField(max_length=100)
    # The raw answers, and each answer as shown to the practitioner. Stored as the canonical text that is
    # hashed, so that verification hashes it as it is (ADR 13, "Parts stored as canonical text").
    answers = CanonicalJSONField()
    summary = CanonicalJSONField()
    # The guidance shown with the question: [[paragraph, text], ...].
    guidance_shown = CanonicalJSONField()

    # What of each answer is hashed with its decision.
    ledger_fields = (
        "position", "question_key", "question_number", "question_wording", "paragraphs", "answers", "summary",
        "guidance_shown",
    )  # fmt: skip

    class Meta:
        ordering = ["decision", "position"]
        constraints = [
            models.UniqueConstraint(fields=["decision", "position"], name="answer_position_once_per_decision")
        ]
        indexes = [
            # Whether a decision was asked question 5: the lead's decisions without consent (ADR 18 §3).
            models.Index(
                fields=["decision"], condition=Q(question_key="statutory"), name="answer_statutory_of_decision"
            ),
        ]

    def __str__(self):
        return f"Q{self.question_number}: {self.question_wording}"

    def ledger_values(self) -> dict:
        return {name: getattr(self, name) for name in self.ledger_fields}


class Addendum(LedgerRecord):
    """A dated, signed note appended to a decision: the only way to correct one."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    decision = models.ForeignKey(SharingDecision, on_delete=models.PROTECT, related_name="addenda")
    text = models.TextField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="addenda")
    author_name = models.CharField(max_length=150)
    author_role = models.CharField(max_length=100)
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["recorded_at"]
        verbose_name_plural = "addenda"

    ledger_kind = "addendum"
    ledger_fields = ("decision_id", "text", "author_id", "author_name", "author_role", "recorded_at")

    def __str__(self):
        return f"Addendum of {self.recorded_at:%Y-%m-%d %H:%M} to decision {self.decision_id}"


class ReviewOutcome(models.TextChoices):
    AGREE = "agree", "I agree with the decision"
    AGREE_WITH_COMMENTS = "agree_with_comments", "I agree with the decision, with comments"
    DISAGREE = "disagree", "I disagree with the decision"


class DecisionReview(LedgerRecord):
    """A safeguarding lead's review of a recorded decision: written once, shown with the decision.

    A decision may be reviewed more than once (by different leads, or again
    later); no review replaces another, and nobody reviews their own decision.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    decision = models.ForeignKey(SharingDecision, on_delete=models.PROTECT, related_name="reviews")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="decision_reviews")
    reviewer_name = models.CharField(max_length=150)
    reviewer_role = models.CharField(max_length=100)
    outcome = models.CharField(max_length=30, choices=ReviewOutcome.choices)
    comments = models.TextField(blank=True)
    # When the lead disagrees: why, and what is to be done about it.
    reasons = models.TextField(blank=True)
    actions = models.TextField(blank=True)
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["recorded_at"]
        indexes = [models.Index(fields=["decision", "recorded_at"])]

    ledger_kind = "review"
    ledger_fields = (
        "decision_id", "reviewer_id", "reviewer_name", "reviewer_role", "outcome", "comments", "reasons", "actions",
        "recorded_at",
    )  # fmt: skip

    def __str__(self):
        return f"Review of {self.recorded_at:%Y-%m-%d %H:%M} of decision {self.decision_id}"
