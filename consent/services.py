"""Recording consent: every record is new; withdrawal and renewal supersede."""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field, replace
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


@dataclass(frozen=True, kw_only=True)
class ConsentDetails:
    """What a consent record says, apart from who it is about, who answered and who recorded it.

    The defaults are a record's blank parts (NO_ASSESSMENT, NO_FAMILY_NOTES): no
    assessment of a child's understanding, no notes about the family.
    """

    response: capacity.Response
    explicitness: str  # ConsentRecord.Explicitness (3.3.12-3.3.13)
    how_signalled: str
    responded_on: date
    form: str = ""  # ConsentRecord.Form, when explicit
    # 3.3.15-3.3.17: a child's understanding, when the child answered.
    competence: dict[str, bool] = field(default_factory=dict)
    child_competent: bool | None = None
    assessed_by: str = ""
    assessed_on: date | None = None
    explained_how: str = ""
    language: str = ""
    communication: str = ""
    assessment_notes: str = ""
    # 3.3.18-3.3.19: the family.
    family_conflict: bool = False
    conflict_advice: str = ""
    non_resident_reason: str = ""
    # 3.3.28: what the person was asked to agree to.
    scope_information: str = ""
    scope_purposes: str = ""
    scope_recipients: str = ""
    scope_recipient_kinds: list[str] = field(default_factory=list)
    scope_recipient_use: str = ""
    # 3.3.21-3.3.22: asked of consent given only (capacity.asks_about_withdrawal_and_review).
    told_can_withdraw: bool | None = None
    review_on: date | None = None


@dataclass(frozen=True, kw_only=True)
class WithdrawalDetails:
    """When and how consent was withdrawn (3.3.22)."""

    responded_on: date
    explicitness: str
    how_signalled: str
    form: str = ""


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
    details: ConsentDetails,
    about_adult: Adult | None = None,
    responder: Adult | None = None,
    signed_form: UploadedFile | None = None,
    signed_form_type: str | None = None,
    supersedes: ConsentRecord | None = None,
) -> ConsentRecord:
    """Record a consent given, refused or withdrawn, entered in the log."""
    if supersedes is not None:
        # A second renewal or withdrawal of the same consent waits here, then finds it superseded. Why the
        # child's row, and NO KEY UPDATE: docs/adr/0018-performance-reasoning.md §5.
        Child.objects.select_for_update(no_key=True).only("pk").get(pk=supersedes.child_id)
        if ConsentRecord.objects.filter(supersedes=supersedes).exists():
            raise AlreadySuperseded
    response = details.response
    if response != capacity.Response.WITHDRAWN and not capacity.asks_about_withdrawal_and_review(response):
        # A refusal is not asked them (3.3.21-3.3.22), so never records them. (A withdrawal carries what the
        # consent it withdraws was told.)
        details = replace(details, told_can_withdraw=None, review_on=None)
    snapshot = _responder_snapshot(child, responder)
    if response != capacity.Response.WITHDRAWN:
        # Only the section for who answered is recorded: the child's understanding or the parent's family notes.
        details = replace(
            details,
            **capacity.parts_that_do_not_apply(
                by_child=responder is None,
                family_conflict=details.family_conflict,
                about_child=about_adult is None,
                lives_with_child=snapshot["responder_lives_with_child"],
            ),
        )
    record = ConsentRecord(
        agency=child.agency,
        child=child,
        about_adult=about_adult,
        responder=responder,
        child_age=_child_age(child, details.responded_on),
        supersedes=supersedes,
        recorded_by=user,
        recorder_name=user.full_name,
        recorder_role=user.role_then.role,
        recorded_at=timezone.now(),
        **snapshot,
        **asdict(details),
    )
    _attach(record, signed_form, signed_form_type)
    record.full_clean(exclude=["signed_form"])
    ledger.append(record)
    return record


@transaction.atomic
def consent_withdraw(*, user: User, record: ConsentRecord, details: WithdrawalDetails) -> ConsentRecord:
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
        details=ConsentDetails(
            **carried,
            **asdict(details),
            response=capacity.Response.WITHDRAWN,
            review_on=None,
            **NO_ASSESSMENT,
            **NO_FAMILY_NOTES,
        ),
    )
