from django.conf import settings
from django.db import models
from django.utils import timezone


class UserSession(models.Model):
    """A session someone signed in with, so that all of a person's sessions
    can be ended at once (when their account is deactivated)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="signed_in_sessions")
    session_key = models.CharField(max_length=40, unique=True)
    signed_in_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-signed_in_at"]
        verbose_name = "signed-in session"

    def __str__(self):
        return f"{self.user} since {self.signed_in_at:%Y-%m-%d %H:%M}"


class PasswordResetAsk(models.Model):
    """One ask on "Forgotten your password?", kept for the rate limit's time only. The address typed is
    kept as a keyed digest (``services.address_digest``): anyone may type anyone's address, and it is
    no business of the service's to keep it."""

    address_digest = models.CharField(max_length=64, db_index=True)
    client_address = models.GenericIPAddressField(null=True, blank=True, db_index=True)
    asked_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = "ask for a password reset link"

    def __str__(self):
        return f"asked at {self.asked_at:%Y-%m-%d %H:%M}"
