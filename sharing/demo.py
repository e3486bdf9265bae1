"""Demo decisions, recorded through the same service a practitioner uses."""

from datetime import timedelta

from django.utils import timezone

from consent import capacity
from consent import services as consent_services
from exchange import demo as exchange_demo
from records.models import Child, User
from sharing import examples, services
from sharing.guidance import QuestionKey


def _decided(days_ago: int) -> dict:
    return examples.decided_kept(timezone.localtime() - timedelta(days=days_ago, hours=2))


def _mia(child: Child) -> tuple[str, dict]:
    return "request_received", {
        QuestionKey.PURPOSE: examples.purpose_kept(
            "The health visitor asked whether the family is known to children's social care before visiting "
            "Mia's younger brother at home, so that she can plan a safe visit.",
            "reasonable_cause_to_believe",
            ["ca2004-s11", "dpa2018-sch1-para18"],
        ),
        QuestionKey.IDENTIFIABLE: {
            "identifies_person": True,
            "who_identified": "Mia, Jayden, their mother and her partner",
        },
        QuestionKey.CONFIDENTIAL: {
            "confidentiality": "formal",
            "reason": "Given to children's social care during a child and family assessment.",
        },
        QuestionKey.CONSENT: examples.consent_kept(status="not_sought", not_sought_reason="adult_at_risk"),
        QuestionKey.STATUTORY: {"duty": "none", "reference": ""},
        QuestionKey.PUBLIC_INTEREST: {
            "if_shared": "Mother may feel her trust has been broken if she learns of it.",
            "if_not_shared": "The health visitor would visit alone, unaware of recent violence by the partner.",
            "proportionality": "Only the police call-out and the partner's name are shared; the assessment is not.",
            "advice_sought": True,
            "advice_from": "safeguarding_lead",
            "adviser_name": "Laura Bennett, designated safeguarding lead",
            "advice_given": "Share the risk information needed for a safe visit; do not share the assessment.",
            "no_advice_reason": "",
        },
        QuestionKey.SHARING: {
            "outcome": "share_in_part",
            "items": [
                {"text": "Police attended a domestic incident at the home last month.", "kind": "fact"},
                {"text": "The mother's partner, Ryan Cole, can be hostile to professionals.", "kind": "opinion"},
            ],
            "withheld": "The child and family assessment: not needed for a safe visit.",
            **examples.recipient_kept(
                "Nadia Hughes",
                "Health visitor",
                "Northgate NHS Foundation Trust",
                "She visits the home alone.",
                "health",
            ),
            "person_informed": "not_told",
            "not_informed_reason": "Telling the mother now could put her at risk from her partner (3.5.19).",
            "reconsider_on": (timezone.localdate() + timedelta(days=21)).isoformat(),
        },
        QuestionKey.DECISION: {
            "reasons": "Reasonable cause to believe the children may be at risk of significant harm; the health "
            "visitor needs to know to keep them and herself safe. Only what the visit needs is shared.",
            "departure_reason": "",
            **_decided(6),
        },
    }


def _ellie(child: Child) -> tuple[str, dict]:
    return "proposing", {
        QuestionKey.PURPOSE: examples.purpose_kept(
            "To refer Ellie to the school nurse for emotional support, which she asked for.",
            "lower",
            ["ca1989-s17"],
        ),
        QuestionKey.IDENTIFIABLE: {"identifies_person": True, "who_identified": "Ellie"},
        QuestionKey.CONFIDENTIAL: {
            "confidentiality": "informal",
            "reason": "Ellie told her social worker and asked that it go no further without her say-so.",
        },
        QuestionKey.CONSENT: {"status": "obtained", "consent_covers": "yes"},
        QuestionKey.SHARING: {
            "outcome": "share",
            "items": [{"text": "Ellie has asked for support with anxiety.", "kind": "fact"}],
            "withheld": "",
            **examples.recipient_kept(
                "Sam Patel", "School nurse", "Northgate Academy", "To offer Ellie support sessions.", "school"
            ),
            "consent_limits_explained": True,
            "person_informed": "already",
            "not_informed_reason": "",
        },
        QuestionKey.DECISION: {
            "reasons": "Ellie consented and the referral is what she asked for.",
            "departure_reason": "",
            **_decided(2),
        },
    }


def _oliver(child: Child) -> tuple[str, dict]:
    return "request_received", {
        QuestionKey.PURPOSE: examples.purpose_kept(
            "A nursery asked for Oliver's health visiting notes to help settle him in.",
            "lower",
            ["ca2004-s10"],
        ),
        QuestionKey.IDENTIFIABLE: {"identifies_person": True, "who_identified": "Oliver and his mother"},
        QuestionKey.CONFIDENTIAL: {"confidentiality": "formal", "reason": "Health records, held in confidence."},
        QuestionKey.CONSENT: {"status": "refused"},
        QuestionKey.STATUTORY: {"duty": "none", "reference": ""},
        QuestionKey.PUBLIC_INTEREST: {
            "if_shared": "Trust between the family and the health visiting service would suffer.",
            "if_not_shared": "Little risk: there is no concern about harm, and mother will talk to the nursery.",
            "proportionality": "No need to override a refusal where there is no safeguarding concern.",
            "advice_sought": False,
            "advice_from": "",
            "adviser_name": "",
            "advice_given": "",
            "no_advice_reason": "A routine request with no concern about harm.",
        },
        QuestionKey.SHARING: {"outcome": "do_not_share", "withheld": "All of the health visiting notes."},
        QuestionKey.DECISION: {
            "reasons": "Consent refused and no safeguarding concern: the public interest does not justify sharing.",
            "departure_reason": "",
            **_decided(1),
        },
    }


def _consent_details(**details) -> consent_services.ConsentDetails:
    today = timezone.localdate()
    base = {
        "explicitness": "explicit",
        "form": "written",
        "responded_on": today - timedelta(days=3),
        **consent_services.NO_ASSESSMENT,
        **consent_services.NO_FAMILY_NOTES,
        "scope_recipients": "",
        "told_can_withdraw": True,
        "review_on": None,
    }
    return consent_services.ConsentDetails(**{**base, **details})


# Consent recorded before the decision that relies on it: (responder, details).
CONSENTS = {
    # Ellie, 15, judged competent, consents herself (3.3.15-3.3.17).
    "NCS-2210": (
        None,
        _consent_details(
            response="given",
            how_signalled="Ellie signed the consent form after we talked it through at school.",
            competence=dict.fromkeys(capacity.COMPETENCE_CRITERIA, True),
            child_competent=True,
            assessed_by="Priya Shah, social worker",
            assessed_on=timezone.localdate() - timedelta(days=3),
            explained_how="In plain words, at her pace, with time for questions.",
            language="English",
            scope_information="That she has asked for support with anxiety.",
            scope_purposes="A referral to the school nurse for emotional support.",
            scope_recipient_kinds=["school", "health"],
            scope_recipients="The school nurse",
            scope_recipient_use="To offer support sessions.",
            review_on=timezone.localdate() + timedelta(days=180),
        ),
    ),
    # Oliver's mother refuses, on the phone (3.3.12: verbal, with case-note details).
    "NHS-HV-7781": (
        "mother",
        _consent_details(
            response="refused",
            form="verbal",
            responded_on=timezone.localdate() - timedelta(days=1),
            how_signalled="On the phone: she would rather tell the nursery herself. Case note of that call.",
            scope_information="The health visiting notes.",
            scope_purposes="To help the nursery settle Oliver in.",
            scope_recipient_kinds=["school"],
            scope_recipient_use="Planning his care at nursery.",
        ),
    ),
}

SCENARIOS = {"NCS-1042": _mia, "NCS-2210": _ellie, "NHS-HV-7781": _oliver}


def _consent_answers(draft, child: Child, author: User, answers: dict) -> dict:
    """Record the demo consent, then answer question 4 with it through the form."""
    from sharing.forms import ConsentForm

    responder_relationship, details = CONSENTS[child.local_reference]
    responder = None
    if responder_relationship:
        responder = child.relationships.get(relationship=responder_relationship).adult
    record = consent_services.consent_record(user=author, child=child, responder=responder, details=details)
    form = ConsentForm({**answers, "consent_record": str(record.pk)}, draft=draft)
    if not form.is_valid():
        raise ValueError(f"demo consent answers are not valid: {form.errors.as_text()}")
    return form.to_answers()


def seed_decisions(*, author_for) -> int:
    """Record the demo decisions for children that have none yet."""
    created = 0
    for reference, scenario in SCENARIOS.items():
        child = Child.objects.filter(local_reference=reference).first()
        if child is None or child.sharing_decisions.exists():
            continue
        author: User = author_for(child.agency)
        direction, answers = scenario(child)
        adults = [link.adult for link in child.relationships.select_related("adult")]
        request = exchange_demo.request_for(child, author, adults) if reference in exchange_demo.REQUESTS else None
        draft = services.draft_start(user=author, child=child, adults=adults, direction=direction, request=request)
        if child.local_reference in CONSENTS:
            answers[QuestionKey.CONSENT] = _consent_answers(draft, child, author, answers[QuestionKey.CONSENT])
        draft.answers = {str(key): value for key, value in answers.items()}
        draft.save(update_fields=["answers"])
        decision = services.decision_record(draft=draft, user=author)
        exchange_demo.disclose(decision, author)
        created += 1
    return created
