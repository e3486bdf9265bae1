"""Demo decisions, recorded through the same service a practitioner uses."""

from datetime import timedelta

from django.utils import timezone

from records.models import Child, User
from sharing import services
from sharing.guidance import Q


def _decided(days_ago: int) -> dict:
    when = timezone.localtime() - timedelta(days=days_ago, hours=2)
    return {"decided_on": when.date().isoformat(), "decided_time": when.strftime("%H:%M")}


def _purpose(purpose: str, concern: str, bases: list[str]) -> dict:
    return {
        "purpose": purpose,
        "legal_bases": bases,
        "legal_basis_other": "",
        "concern_level": concern,
        "need_to_know": True,
        "proportionate": True,
        "statutory_restriction": False,
        "secondary_disclosure": False,
        "anonymised_would_do": False,
        "legitimate_purpose": True,
    }


def _recipient(name: str, role: str, agency: str, need: str) -> dict:
    return {
        "recipient_name": name,
        "recipient_role": role,
        "recipient_agency": agency,
        "recipient_need": need,
        "accuracy_checked": True,
        "method": "secure_email",
        "method_detail": "",
        "onward_sharing": "no",
        "onward_detail": "",
    }


def _mia(child: Child) -> tuple[str, dict]:
    return "request_received", {
        Q.PURPOSE: _purpose(
            "The health visitor asked whether the family is known to children's social care before visiting "
            "Mia's younger brother at home, so that she can plan a safe visit.",
            "reasonable_cause_to_believe",
            ["ca2004-s11", "dpa2018-sch1-para18"],
        ),
        Q.IDENTIFIABLE: {"identifies_person": True, "who_identified": "Mia, Jayden, their mother and her partner"},
        Q.CONFIDENTIAL: {
            "confidentiality": "formal",
            "reason": "Given to children's social care during a child and family assessment.",
        },
        Q.CONSENT: {
            "status": "not_sought",
            "given_by": "",
            "given_by_other": "",
            "explicit": "",
            "form": "",
            "how_signalled": "",
            "consent_date": None,
            "not_sought_reason": "adult_at_risk",
            "not_sought_other": "",
            "not_needed_reason": "",
        },
        Q.STATUTORY: {"duty": "none", "reference": ""},
        Q.PUBLIC_INTEREST: {
            "if_shared": "Mother may feel her trust has been broken if she learns of it.",
            "if_not_shared": "The health visitor would visit alone, unaware of recent violence by the partner.",
            "proportionality": "Only the police call-out and the partner's name are shared; the assessment is not.",
            "advice_sought": True,
            "advice_from": "safeguarding_lead",
            "adviser_name": "Laura Bennett, designated safeguarding lead",
            "advice_given": "Share the risk information needed for a safe visit; do not share the assessment.",
            "no_advice_reason": "",
        },
        Q.SHARING: {
            "outcome": "share_in_part",
            "items": [
                {"text": "Police attended a domestic incident at the home last month.", "kind": "fact"},
                {"text": "The mother's partner, Ryan Cole, can be hostile to professionals.", "kind": "opinion"},
            ],
            "withheld": "The child and family assessment: not needed for a safe visit.",
            **_recipient(
                "Nadia Hughes", "Health visitor", "Northgate NHS Foundation Trust", "She visits the home alone."
            ),
            "person_informed": "not_told",
            "not_informed_reason": "Telling the mother now could put her at risk from her partner (3.5.19).",
        },
        Q.DECISION: {
            "reasons": "Reasonable cause to believe the children may be at risk of significant harm; the health "
            "visitor needs to know to keep them and herself safe. Only what the visit needs is shared.",
            "departure_reason": "",
            **_decided(6),
        },
    }


def _ellie(child: Child) -> tuple[str, dict]:
    return "proposing", {
        Q.PURPOSE: _purpose(
            "To refer Ellie to the school nurse for emotional support, which she asked for.",
            "lower",
            ["ca1989-s17"],
        ),
        Q.IDENTIFIABLE: {"identifies_person": True, "who_identified": "Ellie"},
        Q.CONFIDENTIAL: {
            "confidentiality": "informal",
            "reason": "Ellie told her social worker and asked that it go no further without her say-so.",
        },
        Q.CONSENT: {
            "status": "obtained",
            "given_by": "child",
            "given_by_other": "",
            "explicit": "explicit",
            "form": "written",
            "how_signalled": "Ellie, who is 15 and understood what would be shared and why, signed the form.",
            "consent_date": (timezone.localdate() - timedelta(days=3)).isoformat(),
            "not_sought_reason": "",
            "not_sought_other": "",
            "not_needed_reason": "",
        },
        Q.SHARING: {
            "outcome": "share",
            "items": [{"text": "Ellie has asked for support with anxiety.", "kind": "fact"}],
            "withheld": "",
            **_recipient("Sam Patel", "School nurse", "Northgate Academy", "To offer Ellie support sessions."),
            "consent_limits_explained": True,
            "person_informed": "already",
            "not_informed_reason": "",
        },
        Q.DECISION: {
            "reasons": "Ellie consented and the referral is what she asked for.",
            "departure_reason": "",
            **_decided(2),
        },
    }


def _oliver(child: Child) -> tuple[str, dict]:
    mother = child.relationships.filter(relationship="mother").first()
    return "request_received", {
        Q.PURPOSE: _purpose(
            "A nursery asked for Oliver's health visiting notes to help settle him in.",
            "lower",
            ["ca2004-s10"],
        ),
        Q.IDENTIFIABLE: {"identifies_person": True, "who_identified": "Oliver and his mother"},
        Q.CONFIDENTIAL: {"confidentiality": "formal", "reason": "Health records, held in confidence."},
        Q.CONSENT: {
            "status": "refused",
            "given_by": str(mother.adult_id) if mother else "other",
            "given_by_other": "" if mother else "His mother",
            "explicit": "explicit",
            "form": "verbal",
            "how_signalled": "His mother said on the phone she would rather tell the nursery herself.",
            "consent_date": (timezone.localdate() - timedelta(days=1)).isoformat(),
            "not_sought_reason": "",
            "not_sought_other": "",
            "not_needed_reason": "",
        },
        Q.STATUTORY: {"duty": "none", "reference": ""},
        Q.PUBLIC_INTEREST: {
            "if_shared": "Trust between the family and the health visiting service would suffer.",
            "if_not_shared": "Little risk: there is no concern about harm, and mother will talk to the nursery.",
            "proportionality": "No need to override a refusal where there is no safeguarding concern.",
            "advice_sought": False,
            "advice_from": "",
            "adviser_name": "",
            "advice_given": "",
            "no_advice_reason": "A routine request with no concern about harm.",
        },
        Q.SHARING: {"outcome": "do_not_share", "items": [], "withheld": "All of the health visiting notes."},
        Q.DECISION: {
            "reasons": "Consent refused and no safeguarding concern: the public interest does not justify sharing.",
            "departure_reason": "",
            **_decided(1),
        },
    }


SCENARIOS = {"NCS-1042": _mia, "NCS-2210": _ellie, "NHS-HV-7781": _oliver}


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
        draft = services.draft_start(user=author, child=child, adults=adults, direction=direction)
        draft.answers = {str(key): value for key, value in answers.items()}
        draft.save(update_fields=["answers"])
        services.decision_record(draft=draft, user=author)
        created += 1
    return created
