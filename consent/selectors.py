"""Reads of consent records, scoped to the user's agency."""

from __future__ import annotations

import hashlib
import uuid

from django.conf import settings
from django.db.models import OuterRef, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone

from consent import capacity
from consent.models import ConsentRecord
from core.links import record_link
from ledger import receipts
from records.models import Child, User
from records.roles import Permission


def _records() -> QuerySet[ConsentRecord]:
    return ConsentRecord.objects.select_related("about_adult", "responder", "child", "superseded_by")


def consents_for_child(*, user: User, child: Child) -> QuerySet[ConsentRecord]:
    """Every consent about the child or their adults, newest first."""
    if not user.has_perm(Permission.CONSENT_VIEW, child):
        return ConsentRecord.objects.none()
    return _records().filter(child=child, agency=user.agency).order_by("-responded_on", "-recorded_at")


def consent_get_for_user(*, user: User, consent_id: uuid.UUID) -> ConsentRecord:
    record = _records().filter(pk=consent_id, agency=user.agency).first()
    if record is None or not user.has_perm(Permission.CONSENT_VIEW, record):
        raise Http404("No consent record found")
    return record


def consent_standing(*, record: ConsentRecord) -> receipts.Standing | None:
    """Where the consent stands in the log (ADR 13, item 6)."""
    return receipts.standing_of(record)


def signed_form_as_recorded(*, record: ConsentRecord) -> bytes | None:
    """The signed form's bytes, if they are still the file recorded; None if it is missing or differs.

    The bytes are hashed and served from one read, so what is served is what
    was checked. No more than the recorded size and one byte is read: a file
    that grew no longer matches, however large it grew.
    """
    if not record.signed_form or not record.signed_form_sha256:
        return None
    limit = record.signed_form_size if record.signed_form_size is not None else settings.CONSENT_FORM_MAX_BYTES
    try:
        with record.signed_form.storage.open(record.signed_form.name, "rb") as handle:
            content = handle.read(limit + 1)
    except OSError:  # missing, or unreadable
        return None
    if hashlib.sha256(content).hexdigest() != record.signed_form_sha256:
        return None
    return content


def live_consents(*, child: Child, about_adult_ids: set | None = None) -> list[ConsentRecord]:
    """Consents not withdrawn or superseded, about the child or the given adults."""
    today = timezone.localdate()
    records = _records().filter(child=child).order_by("-responded_on", "-recorded_at")
    live = []
    for record in records:
        if record.about_adult_id is not None and record.about_adult_id not in (about_adult_ids or set()):
            continue
        if record.status(today) in (capacity.Status.CURRENT, capacity.Status.REVIEW_DUE):
            live.append(record)
    return live


def standing_for_child(*, child: Child) -> capacity.Standing:
    today = timezone.localdate()
    facts = [record.fact() for record in _records().filter(child=child, about_adult__isnull=True)]
    return capacity.consent_standing(facts, today)


# What the child's page shows of each consent record (and what its status needs).
HISTORY_FIELDS = (
    "id", "agency_id", "child_id", "about_adult_id", "responder_id", "responder_name",
    "responder_parental_responsibility", "responder_lives_with_child", "child_age", "child_competent", "response",
    "responded_on", "review_on", "recorder_name", "recorded_at", "about_adult__given_name", "about_adult__family_name",
)  # fmt: skip


def consent_history(*, user: User, child: Child) -> list[dict]:
    """The child's consent history, newest first, each with its status now, its address and its answer in words.

    Only the columns shown are read, and what superseded a record (a
    withdrawal or a renewal) is asked in the same query, not by reading the
    record that superseded it.
    """
    if not user.has_perm(Permission.CONSENT_VIEW, child):
        return []
    today = timezone.localdate()
    # The agency is checked on the rows read, not in the WHERE clause (ADR 18 §4).
    records = (
        ConsentRecord.objects.filter(child=child)
        .select_related("about_adult")
        .only(*HISTORY_FIELDS)
        .annotate(
            superseded_by_response=Subquery(
                ConsentRecord.objects.filter(supersedes=OuterRef("pk")).values("response")[:1]
            )
        )
        .order_by("-responded_on", "-recorded_at")
    )
    link = record_link("consent:detail")
    responses = dict(ConsentRecord._meta.get_field("response").flatchoices)
    entries = []
    for record in records:
        if record.agency_id != user.agency.pk:
            continue
        record.child = child  # about_name reads it: the child in hand, not read again
        status = capacity.status_of(record.fact(superseded_by=record.superseded_by_response), today)
        entries.append(
            {
                "record": record,
                "status": status,
                "label": capacity.STATUS_LABELS[status],
                "url": link(record.pk),
                "response": responses.get(record.response, record.response),
            }
        )
    return entries
