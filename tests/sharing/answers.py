"""Form posts for each key question, for the paths the guidance describes."""

from datetime import timedelta

from django.utils import timezone

from consent.models import ConsentRecord


def purpose(**overrides):
    data = {
        "purpose": "Health visitor asks whether the family is known, to plan a home visit safely.",
        "legal_bases": ["ca2004-s11", "dpa2018-sch1-para18"],
        "concern_level": "reasonable_cause_to_believe",
        "need_to_know": "yes",
        "proportionate": "yes",
        "statutory_restriction": "no",
        "secondary_disclosure": "no",
        "anonymised_would_do": "no",
        "legitimate_purpose": "yes",
    }
    data.update(overrides)
    return data


def identifiable(**overrides):
    data = {"identifies_person": "yes", "who_identified": "Mia and her mother"}
    data.update(overrides)
    return data


def confidential(**overrides):
    data = {"confidentiality": "formal", "reason": "Given to the social worker during an assessment."}
    data.update(overrides)
    return data


class NewestConsent:
    """The id of the newest consent record with this answer, looked up when posted."""

    def __init__(self, response):
        self.response = response

    def __str__(self):
        record = ConsentRecord.objects.filter(response=self.response).order_by("-recorded_at").first()
        return str(record.pk) if record else ""


def consent(**overrides):
    """Question 4, answered with the newest consent record of the kind the status needs."""
    status = overrides.get("status", "obtained")
    data = {"status": status}
    if status in ("obtained", "refused"):
        data["consent_record"] = NewestConsent("given" if status == "obtained" else "refused")
        if status == "obtained":
            data["consent_covers"] = "yes"
    data.update(overrides)
    return data


def statutory(**overrides):
    data = {"duty": "none"}
    data.update(overrides)
    return data


def public_interest(**overrides):
    data = {
        "if_shared": "Mother may disengage for a while.",
        "if_not_shared": "The health visitor may visit unaware of the risk from the partner.",
        "proportionality": "Only the fact of the concern and the partner's name are shared.",
        "advice_sought": "yes",
        "advice_from": "safeguarding_lead",
        "adviser_name": "Laura Bennett, designated safeguarding lead",
        "advice_given": "Share the risk information with the health visitor.",
    }
    data.update(overrides)
    return data


def sharing(**overrides):
    data = {
        "outcome": "share",
        "item_1_text": "Police attended a domestic incident at the home on 2 November.",
        "item_1_kind": "fact",
        "item_2_text": "In my view the mother is frightened of her partner.",
        "item_2_kind": "opinion",
        "recipient_name": "Nadia Hughes",
        "recipient_role": "Health visitor",
        "recipient_agency": "Northgate NHS Foundation Trust",
        "recipient_agency_kind": "health",
        "recipient_need": "She visits the home alone next week.",
        "accuracy_checked": "on",
        "method": "secure_email",
        "onward_sharing": "no",
        "consent_limits_explained": "on",
        "person_informed": "already",
    }
    data.update(overrides)
    return data


def date_parts(name: str, when) -> dict[str, str]:
    """A GOV.UK date input's three boxes, as a browser sends them."""
    return {f"{name}_0": str(when.day), f"{name}_1": str(when.month), f"{name}_2": str(when.year)}


def not_told(days: int = 30, **overrides):
    """Question 7's answer that the person will not be told, with a date to reconsider ``days`` from today."""
    return {
        "person_informed": "not_told",
        "not_informed_reason": "Telling the mother now could alert her partner.",
        **date_parts("reconsider_on", timezone.localdate() + timedelta(days=days)),
        **overrides,
    }


def decision(**overrides):
    now = timezone.localtime() - timedelta(minutes=5)
    data = {
        "reasons": "The health visitor needs to know to keep herself and the child safe.",
        "decided_on_0": str(now.day),
        "decided_on_1": str(now.month),
        "decided_on_2": str(now.year),
        "decided_time": now.strftime("%H:%M"),
    }
    data.update(overrides)
    return data
