"""A JSON value stored as its canonical text: the exact bytes that are hashed.

``jsonb`` (and Django's JSONField on either database) keeps a value, not its
text: PostgreSQL writes it out afresh on every read, in its own order and
spacing, and verification had to parse it and write it canonically again,
which cost more than anything else it did (ADR 13, "Parts stored as
canonical text"). A ``CanonicalJSONField`` is written once as
``canonical.canonical_bytes`` of its value, read back by the service as the
value, and read by verification as the text, which it hashes as it is.
"""

from __future__ import annotations

import json

from django.core import checks
from django.db import models

from ledger import canonical


class CanonicalJSONField(models.TextField):
    """JSON held as the text ``canonical_bytes`` makes of it (sorted keys, no spaces, UTF-8, no floats)."""

    description = "JSON as its canonical text"

    def from_db_value(self, value, expression, connection):
        if value is None:
            return None
        return json.loads(value)

    def to_python(self, value):
        # The value itself (TextField's would make it a str); validation never parses text here.
        return value

    def get_prep_value(self, value):
        if value is None:
            return None
        return canonical_text(value)

    def value_to_string(self, obj):
        # The value, as JSONField gives it to a serializer (to_python takes it back as it is).
        return self.value_from_object(obj)

    def check(self, **kwargs):
        errors = super().check(**kwargs)
        if self.max_length is not None:
            errors.append(checks.Error("CanonicalJSONField takes no max_length", obj=self))
        return errors


def canonical_text(value) -> str:
    """The canonical text of a JSON value: what is stored, and hashed within its record."""
    return canonical.canonical_bytes(value).decode("utf-8")


def stored_field(field: models.Field) -> models.Field:
    """The field whose type a column holds: a foreign key's target (followed to the end), or the field itself."""
    while field.many_to_one or field.one_to_one:
        field = field.target_field
    return field
