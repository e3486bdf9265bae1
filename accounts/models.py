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
