"""Recorded decisions made through the real service, for tests."""

from datetime import timedelta

from django.utils import timezone

from sharing import services
from sharing.guidance import QuestionKey


def complete_answers(**overrides):
    now = timezone.localtime() - timedelta(minutes=1)
    answers = {
        QuestionKey.PURPOSE: {
            "purpose": "To plan a safe home visit.",
            "legal_bases": ["ca2004-s11"],
            "legal_basis_other": "",
            "concern_level": "reasonable_cause_to_believe",
            "need_to_know": True,
            "proportionate": True,
            "statutory_restriction": False,
            "secondary_disclosure": False,
            "anonymised_would_do": False,
            "legitimate_purpose": True,
        },
        QuestionKey.IDENTIFIABLE: {"identifies_person": False, "who_identified": "", "anonymisation": "Names removed."},
        QuestionKey.SHARING: {
            "outcome": "share",
            "items": [{"text": "Anonymised summary of concerns.", "kind": "fact"}],
            "withheld": "",
            "recipient_name": "Nadia Hughes",
            "recipient_role": "Health visitor",
            "recipient_agency": "Northgate NHS Foundation Trust",
            "recipient_need": "Home visit",
            "accuracy_checked": True,
            "method": "secure_email",
            "method_detail": "",
            "onward_sharing": "no",
            "onward_detail": "",
            "person_informed": "already",
            "not_informed_reason": "",
        },
        QuestionKey.DECISION: {
            "reasons": "Anonymised information for a legitimate purpose (3.5.5).",
            "decided_on": now.date().isoformat(),
            "decided_time": now.strftime("%H:%M"),
        },
    }
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
    consent = {
        "status": "obtained",
        "consent_record": str(record.pk),
        "consent_covers": True,
        "not_sought_reason": "",
        "not_sought_other": "",
        "not_needed_reason": "",
        "consent_summary": f"Given by {record.responder_name}",
        "consent_recipient_kinds": list(record.scope_recipient_kinds),
        "consent_review_on": record.review_on.isoformat() if record.review_on else None,
        "consent_review_due": False,
    }
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
