"""What a person is told needs them, and how they like to be told (ADR 24).

A notification names only the kind of thing waiting and where it is (a path of
the service, of opaque identifiers: ADR 4): never a child, an adult or any
words typed about them, so that the email sent with it carries nothing more.
"""

import uuid

from django.conf import settings
from django.db import models


class Kind(models.TextChoices):
    """What is waiting, in the words of the email's subject and the list."""

    DECISION_TO_REVIEW = "decision_to_review", "A decision to review"
    ADVICE_ASKED = "advice_asked", "Advice asked of you"
    ADVICE_ANSWERED = "advice_answered", "Your request for advice answered"
    REQUEST_RECEIVED = "request_received", "A request for information received"
    # Disclosures sent through the service (delivery, ADR 27): received, and not acknowledged in time.
    DISCLOSURE_RECEIVED = "disclosure_received", "A disclosure received"
    DISCLOSURE_NOT_ACKNOWLEDGED = "disclosure_not_acknowledged", "A disclosure not acknowledged"
    # Through the service (ADR 26 and 27): the agency asked has answered; a question or answer on a disclosure.
    REQUEST_ANSWERED = "request_answered", "Your request to another agency answered"
    DISCLOSURE_MESSAGE = "disclosure_message", "A question or answer about a disclosure sent through the service"
    RECONSIDER_DATE_PASSED = "reconsider_date_passed", "A date to reconsider telling the person has come"
    CONSENT_REVIEW_DUE = "consent_review_due", "A consent due for review"
    SUBJECT_ACCESS_DEADLINE_NEAR = "subject_access_deadline_near", "A subject access request's deadline is near"
    # Made in the background (ADR 21, 22 and 23): the person who asked is told when it is done, or is not.
    BUNDLE_READY = "bundle_ready", "A bundle you asked for is ready"
    BUNDLE_NOT_MADE = "bundle_not_made", "A bundle you asked for could not be made"
    RELEASE_READY = "release_ready", "A subject access release you approved is ready"
    RELEASE_NOT_MADE = "release_not_made", "A subject access release you approved could not be made"


class Frequency(models.TextChoices):
    IMMEDIATE = "immediate", "Straight away, one email for each"
    DAILY = "daily", "Once a day, one email saying how many of each kind"


class Notification(models.Model):
    """One thing waiting for one person. ``about`` names what it is about (a record's kind, its identifier and,
    for a date that has come, the date), so that the same thing is never notified twice to the same person."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=40, choices=Kind.choices)
    # A path within the service (reverse()), to a page the role matrix protects.
    link = models.CharField(max_length=300)
    about = models.CharField(max_length=120)
    created_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)
    # When an email told of it: on its own (immediate) or in a daily summary. Empty until then.
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "kind", "about"], name="notification_once_per_thing"),
        ]
        indexes = [
            # The person's list, newest first, and how many are unread.
            models.Index(fields=["recipient", "-created_at"]),
            models.Index(fields=["recipient", "read_at"]),
            # The daily summaries: what no email has told of yet.
            models.Index(fields=["emailed_at", "recipient"]),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} for user {self.recipient_id}"


class NotificationPreference(models.Model):
    """How a person likes to be told; without a row, straight away."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    frequency = models.CharField(max_length=20, choices=Frequency.choices, default=Frequency.IMMEDIATE)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"{self.get_frequency_display()} for user {self.user_id}"
