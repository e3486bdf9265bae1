from django.db import models


class Fixture(models.Model):
    """What seed_scale made, for `make bench`: who signs in (the accounts'
    password, a lead, a practitioner) and which records are measured (the
    child with the long chronology, a decision, a member of staff, search
    terms). Kept in the database it describes, so a fresh checkout can
    measure a database seeded from another."""

    created_at = models.DateTimeField(auto_now_add=True)
    data = models.JSONField()

    class Meta:
        get_latest_by = "created_at"

    def __str__(self):
        return f"Data set made on {self.created_at:%Y-%m-%d %H:%M}"
