"""The access log: who looked at what, when and from where, written once and chained."""

from django.conf import settings
from django.db import models

from ledger.models import LedgerRecord
from records.models import Agency, Child


class Action(models.TextChoices):
    VIEW = "view", "Viewed"
    SEARCH = "search", "Searched"
    EXPORT = "export", "Exported"
    # With the second factor, where one is asked for; with the password, where none is.
    SIGN_IN = "sign_in", "Signed in"
    PASSWORD_ACCEPTED = "password_accepted", "Password accepted, second factor asked"
    SECOND_FACTOR_FAILED = "second_factor_failed", "Second factor failed"
    SIGN_IN_FAILED = "sign_in_failed", "Failed to sign in"
    LOCKED_OUT = "locked_out", "Locked out"
    SIGN_OUT = "sign_out", "Signed out"
    REFUSED = "refused", "Refused access"
    PASSWORD_LINK_SENT = "password_link_sent", "Sent a link to choose a password"
    PASSWORD_LINK_USED = "password_link_used", "Chose a password with a link"
    PASSWORD_CHANGED = "password_changed", "Changed their password"
    # A second factor (an authenticator app, recovery codes) set up or removed; the detail says which.
    DEVICE_ADDED = "device_added", "Set up a second factor"
    DEVICE_REMOVED = "device_removed", "Removed a second factor"
    TWO_FACTOR_RESET = "two_factor_reset", "Reset two-factor authentication"


class Subject(models.TextChoices):
    """What was looked at."""

    CHILD = "child", "Child"
    ADULT = "adult", "Adult"
    DECISION = "decision", "Decision"
    DRAFT = "draft", "Draft decision"
    DRAFTS = "drafts", "Draft decisions"
    DECISIONS = "decisions", "Decisions"
    CONSENT = "consent", "Consent record"
    SIGNED_FORM = "signed_form", "Signed consent form"
    REQUEST = "request", "Request for information"
    DISCLOSURE = "disclosure", "Disclosure"
    CHRONOLOGY = "chronology", "Chronology"
    CHILDREN = "children", "Children"
    REQUESTS = "requests", "Requests for information"
    ADVICE = "advice", "Requests for advice"
    DASHBOARD = "dashboard", "Review dashboard"
    CHILD_AUDIT = "child_audit", "Audit history of a child"
    STAFF_AUDIT = "staff_audit", "Audit history of a member of staff"
    CHANGE_HISTORY = "change_history", "Change history"
    ACCOUNT = "account", "Account"
    PAGE = "page", "Page"


class AccessEvent(LedgerRecord):
    """One look at, search of, or export from the records; or a sign-in.

    Who, in which role and agency as they were then, what, when and from
    which address. The path holds opaque identifiers only; search terms are
    never stored, only what kind of search it was and how many it found.
    """

    ledger_kind = "access"
    ledger_fields = (
        "occurred_at", "user_id", "user_email", "user_name", "role", "agency_id", "agency_name", "action", "subject",
        "object_id", "child_id", "path", "ip_address", "detail",
    )  # fmt: skip

    occurred_at = models.DateTimeField()
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="access_events"
    )
    # The sign-in name as typed for a failed sign-in; the user's email otherwise.
    user_email = models.CharField(max_length=254, blank=True)
    user_name = models.CharField(max_length=150, blank=True)
    role = models.CharField(max_length=100, blank=True)
    agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    agency_name = models.CharField(max_length=200, blank=True)
    action = models.CharField(max_length=20, choices=Action.choices)
    subject = models.CharField(max_length=20, choices=Subject.choices)
    object_id = models.CharField(max_length=64, blank=True)
    # The child the record is about, so a child's audit history finds every look.
    child = models.ForeignKey(Child, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    path = models.CharField(max_length=300, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    detail = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-occurred_at"]
        indexes = [
            models.Index(fields=["child", "-occurred_at"]),
            models.Index(fields=["user", "-occurred_at"]),
            models.Index(fields=["agency", "-occurred_at"]),
        ]

    def __str__(self):
        return f"{self.get_action_display()} {self.get_subject_display().lower()} at {self.occurred_at:%Y-%m-%d %H:%M}"
