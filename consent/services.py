"""Recording consent: every record is new; withdrawal and renewal supersede."""

from __future__ import annotations

import hashlib
from datetime import date
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from consent import capacity
from consent.models import ConsentRecord
from core.errors import ApplicationError
from ledger import services as ledger
from records import identity
from records.models import Adult, Child, User

# Blank parts of a record (consent.capacity, where the data-set generator reads them too).
NO_ASSESSMENT = capacity.NO_ASSESSMENT
NO_FAMILY_NOTES = capacity.NO_FAMILY_NOTES


class AlreadySuperseded(ApplicationError):
    """The consent was withdrawn or renewed by someone else first."""

    def __init__(self):
        super().__init__("This consent has already been withdrawn or replaced: see the latest record")


def _responder_snapshot(child: Child, responder: Adult | None) -> dict[str, Any]:
    if responder is None:
        return {
            "responder_name": child.full_name,
            "responder_relationship": "The child",
            "responder_parental_responsibility": "",
            "responder_lives_with_child": None,
        }
    link = child.relationships.filter(adult=responder).first()
    return {
        "responder_name": responder.full_name,
        "responder_relationship": link.relationship_display if link else "Not connected to the child",
        "responder_parental_responsibility": link.parental_responsibility if link else "",
        "responder_lives_with_child": link.lives_with_child if link else None,
    }


def _child_age(child: Child, on: date) -> int | None:
    # Consent may be recorded before birth (000: sharing before a birth).
    if child.date_of_birth is None or on < child.date_of_birth:
        return None
    return identity.age_in_years(child.date_of_birth, on)


def _attach(record: ConsentRecord, upload: UploadedFile | None, content_type: str | None) -> None:
    if upload is None:
        return
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    record.signed_form_type = content_type or ""
    record.signed_form_size = upload.size
    record.signed_form_sha256 = digest.hexdigest()
    record.signed_form = upload


@transaction.atomic
def consent_record(
    *,
    user: User,
    child: Child,
    details: dict[str, Any],
    about_adult: Adult | None = None,
    responder: Adult | None = None,
    signed_form: UploadedFile | None = None,
    signed_form_type: str | None = None,
    supersedes: ConsentRecord | None = None,
) -> ConsentRecord:
    """Record a consent given, refused or withdrawn, entered in the log."""
    if supersedes is not None:
        # Two people renewing or withdrawing the same consent at once: the second waits here, then finds it
        # superseded. The child's row is locked, not the consent's: the service's database role may only
        # insert and read consent records, and locking a row needs the right to update it. NO KEY UPDATE
        # leaves other records about the child (the access log's among them) free to be written meanwhile.
        Child.objects.select_for_update(no_key=True).only("pk").get(pk=supersedes.child_id)
        if ConsentRecord.objects.filter(supersedes=supersedes).exists():
            raise AlreadySuperseded
    response = details["response"]
    if response != capacity.Response.WITHDRAWN and not capacity.asks_about_withdrawal_and_review(response):
        # A refusal is not asked them (3.3.21-3.3.22), so never records them. (A withdrawal carries what the
        # consent it withdraws was told.)
        details = {**details, "told_can_withdraw": None, "review_on": None}
    record = ConsentRecord(
        agency=child.agency,
        child=child,
        about_adult=about_adult,
        responder=responder,
        child_age=_child_age(child, details["responded_on"]),
        supersedes=supersedes,
        recorded_by=user,
        recorder_name=user.full_name,
        recorder_role=user.role_then.role,
        recorded_at=timezone.now(),
        **_responder_snapshot(child, responder),
        **details,
    )
    _attach(record, signed_form, signed_form_type)
    record.full_clean(exclude=["signed_form"])
    ledger.append(record)
    return record


@transaction.atomic
def consent_withdraw(*, user: User, record: ConsentRecord, details: dict[str, Any]) -> ConsentRecord:
    """A withdrawal: a new record that supersedes the consent (3.3.22, 001)."""
    # What is withdrawn is the consent as it was explained; anyone may
    # withdraw, so no assessment of understanding is carried over.
    carried = {
        name: getattr(record, name)
        for name in (
            "scope_information",
            "scope_purposes",
            "scope_recipients",
            "scope_recipient_kinds",
            "scope_recipient_use",
            "told_can_withdraw",
        )
    }
    return consent_record(
        user=user,
        child=record.child,
        about_adult=record.about_adult,
        responder=record.responder,
        supersedes=record,
        details={
            **carried,
            **details,
            "response": capacity.Response.WITHDRAWN,
            "review_on": None,
            **NO_ASSESSMENT,
            **NO_FAMILY_NOTES,
        },
    )
