"""Recorded decisions made through the real service, for tests."""

from datetime import timedelta

from django.utils import timezone

from sharing import examples, services
from sharing.guidance import QuestionKey


def complete_answers(**overrides):
    """The answers of ``sharing.examples.anonymised_share``, decided a minute ago, with ``overrides`` by question."""
    answers = examples.anonymised_share(timezone.localtime() - timedelta(minutes=1))
    answers.update(overrides)
    return answers


def complete_draft(*, user, child, **overrides):
    draft = services.draft_start(user=user, child=child, adults=[], direction="proposing")
    draft.answers = {str(key): value for key, value in complete_answers(**overrides).items()}
    draft.save()
    return draft


def record_decision(*, user, child, **overrides):
    return services.decision_record(draft=complete_draft(user=user, child=child, **overrides), user=user)


def relying_on_consent(record, *, kind="health", **sharing):
    """Answers of a decision to share confidential information relying on ``record``, with ``kind`` of recipient."""
    identifies = {"identifies_person": True, "who_identified": "The child", "anonymisation": ""}
    consent = examples.consent_kept(
        status="obtained",
        consent_record=str(record.pk),
        consent_covers=True,
        consent_summary=f"Given by {record.responder_name}",
        consent_recipient_kinds=list(record.scope_recipient_kinds),
        consent_review_on=record.review_on.isoformat() if record.review_on else None,
    )
    planned = {
        **complete_answers()[QuestionKey.SHARING],
        "recipient_agency_kind": kind,
        "consent_limits_explained": True,
        **sharing,
    }
    return {
        QuestionKey.IDENTIFIABLE: identifies,
        QuestionKey.CONFIDENTIAL: {"confidentiality": "formal", "reason": "Told to the social worker."},
        QuestionKey.CONSENT: consent,
        QuestionKey.SHARING: planned,
    }
