"""Reads of consent records, scoped to the user's agency."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date

from django.conf import settings
from django.db.models import OuterRef, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone

from consent import capacity
from consent.models import ConsentRecord
from core.links import record_link
from core.periods import within
from ledger import receipts
from ledger.files import kept_file_as_recorded
from records.models import Agency, Child, User
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


def consents_on_paper(records: Sequence[ConsentRecord]) -> list[dict]:
    """What each consent record's PDF shows (its page adds its buttons), in the records' order: for its own
    PDF, a bundle of a child's records, a release to the person it is about. Needs no request.

    Reads, for all the records at once, their places in the log (two queries) and, for each child they are
    about, whether the child's own consent stands (one query a child).
    """
    today = timezone.localdate()
    standings = receipts.standings(records)
    child_standings = {}
    for record in records:
        if record.child_id not in child_standings:
            child_standings[record.child_id] = standing_for_child(child=record.child)
    return [_consent_on_paper(record, today, child_standings[record.child_id], standings) for record in records]


def consent_on_paper(record: ConsentRecord) -> dict:
    """What one consent record's PDF shows: ``consents_on_paper`` of it alone."""
    return consents_on_paper([record])[0]


def _consent_on_paper(record: ConsentRecord, today, standing: capacity.Standing, standings: dict) -> dict:
    status = record.status(today)
    findings = []
    if record.by_child:
        findings = capacity.child_capacity_findings(
            age=record.child_age,
            assessment=record.competence,
            judged_competent=record.child_competent,
            explanation=record.assessment_notes,
        )
    return {
        "record": record,
        "on_paper": True,
        "status": status,
        "status_label": capacity.STATUS_LABELS[status],
        "is_live": status in (capacity.Status.CURRENT, capacity.Status.REVIEW_DUE)
        and record.response != capacity.Response.WITHDRAWN,
        # 3.3.15: a young person of 16 or 17 who answered without an assessment of their understanding.
        "presumed_able": record.by_child
        and record.child_competent is None
        and not capacity.assessment_needed(record.child_age),
        "asks_about_withdrawal": capacity.asks_about_withdrawal_and_review(record.response)
        or record.response == capacity.Response.WITHDRAWN,
        "criteria": [
            (wording, (record.competence or {}).get(key)) for key, wording in capacity.COMPETENCE_CRITERIA.items()
        ],
        "findings": [f for f in findings if not f.blocks] + list(standing.findings),
        "can_record": False,
        "recipient_kinds": [dict(Agency.Kind.choices).get(kind, kind) for kind in record.scope_recipient_kinds],
        "ledger_standing": standings.get(record.ledger_record_id),
    }


def child_consents_on_paper(*, child: Child, start: date | None = None, end: date | None = None) -> list[dict]:
    """The child's consent records of responses from ``start`` to ``end`` (days, either open), oldest first,
    as on paper. The caller has checked that whoever asked may see the child's records."""
    records = (
        _records()
        .select_related("supersedes")
        .filter(child=child, agency_id=child.agency_id)
        .order_by("responded_on", "recorded_at")
    )
    records = within(records, "responded_on", start, end)
    return consents_on_paper(list(records))


def consent_standing(*, record: ConsentRecord) -> receipts.Standing | None:
    """Where the consent stands in the log (ADR 13, item 6)."""
    return receipts.standing_of(record)


def signed_form_as_recorded(*, record: ConsentRecord) -> bytes | None:
    """The signed form's bytes, if they are still the file recorded; None if it is missing or differs."""
    limit = record.signed_form_size if record.signed_form_size is not None else settings.CONSENT_FORM_MAX_BYTES
    return kept_file_as_recorded(record.signed_form, record.signed_form_sha256, size=limit)


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
