"""Consent records made through the real service, for tests."""

from datetime import timedelta

from django.utils import timezone

from consent import services

COMPETENT = {
    "understands_question": True,
    "understands_what": True,
    "understands_reasons": True,
    "understands_implications": True,
    "weighs_alternatives": True,
    "own_view": True,
    "consistent": True,
}


def consent_details(**overrides) -> services.ConsentDetails:
    today = timezone.localdate()
    details = {
        "response": "given",
        "explicitness": "explicit",
        "form": "written",
        "how_signalled": "Signed the form.",
        "responded_on": today - timedelta(days=2),
        **services.NO_ASSESSMENT,
        **services.NO_FAMILY_NOTES,
        "scope_information": "Concerns about the child's safety at home.",
        "scope_purposes": "To plan support and keep the child safe.",
        "scope_recipients": "",
        "scope_recipient_kinds": ["health", "childrens_social_care"],
        "scope_recipient_use": "To plan a safe home visit.",
        "told_can_withdraw": True,
        "review_on": today + timedelta(days=180),
    }
    details.update(overrides)
    return services.ConsentDetails(**details)


def record_consent(*, user, child, responder=None, about_adult=None, **overrides):
    if responder is None and "competence" not in overrides:
        overrides.setdefault("competence", COMPETENT)
        overrides.setdefault("child_competent", True)
        overrides.setdefault("assessed_by", "Priya Shah")
        overrides.setdefault("assessed_on", timezone.localdate() - timedelta(days=2))
        overrides.setdefault("explained_how", "In plain words.")
    return services.consent_record(
        user=user, child=child, responder=responder, about_adult=about_adult, details=consent_details(**overrides)
    )


def withdraw_consent(*, user, record):
    """The consent ``record`` withdrawn today, told in person, through the real service."""
    details = services.WithdrawalDetails(
        responded_on=timezone.localdate(), explicitness="explicit", form="verbal", how_signalled="x"
    )
    return services.consent_withdraw(user=user, record=record, details=details)
