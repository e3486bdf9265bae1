"""The answers to the eight key questions for each path through the guidance.

The fields every answer has come from ``sharing.examples``, the one home of
example answers. Each question's answers have exactly the keys and kinds of value its form
saves (``sharing.forms``' ``to_answers``): a test binds them to the real
forms and compares. The paths are those of ``sharing.guidance``; which
questions a decision needs, what the guidance recommends and which notes it
shows are asked of ``sharing.guidance`` itself, never worked out here.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

from scale.generate import texts
from scale.generate.base import Weighted, choice
from sharing import examples, guidance, summary
from sharing.guidance import QuestionKey

# Legal bases a practitioner would tick, by level of concern (the codes of the maintained list).
BASES = {
    "high": ["ca1989-s47", "ca2004-s11", "dpa2018-sch1-para18", "ukgdpr-9-2"],
    "lower": ["ca1989-s17", "ca2004-s10", "ukgdpr-6-1-e"],
}
CONFIDENTIALITY = Weighted({"formal": 60, "informal": 20, "assumed": 20})
NOT_SOUGHT_HIGH = Weighted(
    {"child_at_increased_risk": 45, "adult_at_risk": 25, "prejudice_serious_crime": 15, "unjustified_delay": 15}
)
ADVISERS = Weighted({"safeguarding_lead": 60, "line_manager": 20, "lead_information_officer": 10, "legal": 10})
METHODS = Weighted({"secure_email": 55, "secure_system": 20, "telephone": 15, "in_person": 8, "post": 2})
ONWARD = Weighted({"no": 85, "yes": 10, "not_known": 5})
ITEM_KINDS = Weighted({"fact": 60, "opinion": 20, "hypothesis": 10, "mixed": 10})
OUTCOMES = {
    "public_interest": Weighted({"share": 60, "share_in_part": 40}),
    "consent": Weighted({"share": 1}),
    "refused_high": Weighted({"share_in_part": 1}),
    "refused_lower": Weighted({"do_not_share": 1}),
    "statutory": Weighted({"share": 1}),
    "not_confidential": Weighted({"share": 1}),
    "anonymised": Weighted({"share": 1}),
    "no_purpose": Weighted({"do_not_share": 1}),
    "not_sought_lower": Weighted({"do_not_share": 1}),
    "departure": Weighted({"share_in_part": 1}),
}


def fill(template: str, context: dict) -> str:
    return template.format(**context)


def legal_bases(level: str, offered: list[str], rng: random.Random) -> list[str]:
    """Codes ticked, in the order the form lists them."""
    wanted = set(rng.sample(BASES[level], k=1 + int(rng.random() * 2)))
    return [code for code in offered if code in wanted]


def items(context: dict, rng: random.Random) -> list[dict[str, str]]:
    chosen = []
    for _ in range(1 + int(rng.random() * 3)):
        kind = ITEM_KINDS.pick(rng)
        text = fill(choice(rng, texts.ITEMS[kind]), context)
        if all(item["text"] != text for item in chosen):
            chosen.append({"text": text, "kind": kind})
    return chosen


def eight_questions(
    *,
    scenario: str,
    concern: str,
    purpose: str,
    context: dict,
    offered_bases: list[str],
    recipient: dict | None,
    consent: dict | None,
    person_informed: str,
    decided: datetime,
    rng: random.Random,
) -> dict[str, dict]:
    """Every needed question's answers, keyed by question, as a draft holds them.

    ``consent`` is what question 4 snapshots of the consent record relied on
    (its id, label, kinds of recipient and review date); ``decided`` the
    local date and time the practitioner typed.
    """
    level = "high" if concern != "lower" else "lower"
    answers: dict[str, dict] = {}
    bases = legal_bases(level, offered_bases, rng)
    answers[QuestionKey.PURPOSE] = examples.purpose_kept(
        purpose,
        concern,
        bases,
        legal_basis_other="" if bases else "The local information-sharing agreement",
        need_to_know=scenario != "no_purpose",
        secondary_disclosure=rng.random() < 0.1,
        anonymised_would_do=scenario == "anonymised",
        legitimate_purpose=scenario != "no_purpose",
    )
    if scenario == "anonymised":
        answers[QuestionKey.IDENTIFIABLE] = {
            "identifies_person": False,
            "who_identified": "",
            "anonymisation": choice(rng, texts.ANONYMISATION),
        }
    else:
        answers[QuestionKey.IDENTIFIABLE] = {
            "identifies_person": True,
            "who_identified": fill(choice(rng, texts.WHO_IDENTIFIED), context),
            "anonymisation": "",
        }
    kind = "not_confidential" if scenario == "not_confidential" else CONFIDENTIALITY.pick(rng)
    answers[QuestionKey.CONFIDENTIAL] = {
        "confidentiality": kind,
        "reason": fill(choice(rng, texts.CONFIDENTIALITY[kind]), context),
    }
    answers[QuestionKey.CONSENT] = _consent(scenario, consent, context, decided.date(), rng)
    duty, reference = "none", ""
    if scenario == "statutory":
        duty = "statutory_duty" if rng.random() < 0.7 else "court_order"
        reference = fill(choice(rng, texts.STATUTORY_REFERENCES[duty]), context)
    answers[QuestionKey.STATUTORY] = {"duty": duty, "reference": reference}
    context = {**context, "reference": reference}
    answers[QuestionKey.PUBLIC_INTEREST] = _public_interest(level, context, rng)
    answers[QuestionKey.SHARING] = _sharing(scenario, recipient, person_informed, decided.date(), context, rng)
    answers[QuestionKey.DECISION] = {"reasons": fill(texts.REASONS[scenario], context)}
    needed = guidance.questions_needed(answers)
    answers = {key: value for key, value in answers.items() if key in needed}
    if not guidance.has_consent(answers):
        answers[QuestionKey.SHARING].pop("consent_limits_explained", None)
    if not guidance.person_told_is_asked(answers):
        for name in ("person_informed", "not_informed_reason", "reconsider_on"):
            answers[QuestionKey.SHARING].pop(name, None)
    if guidance.departs_from_guidance(answers):
        answers[QuestionKey.DECISION]["departure_reason"] = fill(choice(rng, texts.DEPARTURE_REASONS), context)
    answers[QuestionKey.DECISION].update(decided_on=decided.date().isoformat(), decided_time=decided.strftime("%H:%M"))
    return {str(key): value for key, value in answers.items()}


def _consent(scenario: str, consent: dict | None, context: dict, today: date, rng: random.Random) -> dict:
    answers = examples.consent_kept()
    if consent is not None:
        answers.update(status="obtained" if scenario == "consent" else "refused", consent_record=str(consent["id"]))
        if scenario == "consent":
            answers["consent_covers"] = True
    elif scenario == "statutory" and rng.random() < 0.5:
        answers.update(status="not_needed", not_needed_reason=choice(rng, texts.NOT_NEEDED))
    elif scenario in ("public_interest", "statutory"):
        answers.update(status="not_sought", not_sought_reason=NOT_SOUGHT_HIGH.pick(rng))
    else:
        other = "{child} asked us not to involve their parents yet." if scenario == "departure" else None
        answers.update(
            status="not_sought",
            not_sought_reason="other",
            not_sought_other=fill(other or choice(rng, texts.NOT_SOUGHT_OTHER), context),
        )
    # What ConsentForm.to_answers snapshots of the record relied on.
    review_on = consent["review_on"] if consent else None
    answers.update(
        consent_summary=consent["label"] if consent else "",
        consent_recipient_kinds=list(consent["kinds"]) if consent else [],
        consent_review_on=review_on.isoformat() if review_on else None,
        consent_review_due=bool(review_on and review_on <= today),
        **{key: consent["record"][name] or "" if consent else "" for key, name in summary.CONSENT_SNAPSHOT.items()},
    )
    return answers


def _public_interest(level: str, context: dict, rng: random.Random) -> dict:
    phrases = texts.PUBLIC_INTEREST[level]
    answers = {name: fill(choice(rng, phrases[name]), context) for name in ("if_shared", "if_not_shared")}
    answers["proportionality"] = fill(choice(rng, phrases["proportionality"]), context)
    if rng.random() < (0.8 if level == "high" else 0.5):
        adviser = ADVISERS.pick(rng)
        answers.update(
            advice_sought=True,
            advice_from=adviser,
            adviser_name=context["adviser"],
            advice_given=choice(rng, texts.ADVICE_GIVEN),
            no_advice_reason="",
        )
    else:
        answers.update(
            advice_sought=False,
            advice_from="",
            adviser_name="",
            advice_given="",
            no_advice_reason=choice(rng, texts.NO_ADVICE_REASONS),
        )
    return answers


def _sharing(scenario: str, recipient: dict | None, person_informed: str, decided: date, context: dict, rng) -> dict:
    outcome = OUTCOMES[scenario].pick(rng)
    withheld = "" if outcome == "share" else fill(choice(rng, texts.WITHHELD), context)
    if outcome == "do_not_share" or recipient is None:
        # 3.5.20: the checks of question 7 are for a decision to share only; nothing else is kept.
        return {"outcome": "do_not_share", "withheld": withheld or fill(texts.WITHHELD[-1], context)}
    onward = ONWARD.pick(rng)
    not_told = person_informed == "not_told"
    return {
        "outcome": outcome,
        "withheld": withheld,
        **examples.recipient_kept(
            recipient["name"],
            recipient["role"],
            recipient["agency"],
            fill(choice(rng, texts.RECIPIENT_NEED), context),
            recipient["kind"],
            method=METHODS.pick(rng),
            onward_sharing=onward,
            onward_detail="To the GP, to keep the health record complete." if onward == "yes" else "",
        ),
        "consent_limits_explained": True,
        "person_informed": person_informed,
        "not_informed_reason": fill(choice(rng, texts.NOT_INFORMED), context) if not_told else "",
        # 3.5.19: a date still to come on the day of the decision.
        "reconsider_on": (decided + timedelta(days=rng.randint(14, 90))).isoformat() if not_told else None,
        "items": items(context, rng),
    }
