"""Who can consent, and which consent counts, in plain Python.

Read next to 3.3.15-3.3.22 of ``shared/guidance/004`` (London child
protection procedures, chapter 3). No Django imports.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

# 3.3.17: the criteria for a child's sufficient understanding, in its words.
COMPETENCE_CRITERIA: dict[str, str] = {
    "understands_question": "Can the child understand the question being asked of them?",
    "understands_what": "Does the child have a reasonable understanding of what information might be shared?",
    "understands_reasons": "Does the child understand the main reason or reasons for sharing the information?",
    "understands_implications": "Does the child understand the implications of sharing that information, and of "
    "not sharing it?",
    "weighs_alternatives": "Can the child appreciate and consider the alternative courses of action open to them, "
    "and weigh up one aspect of the situation against another?",
    "own_view": "Can the child express a clear personal view on the matter, as distinct from repeating what someone "
    "else thinks they should do?",
    "consistent": "Is the child reasonably consistent in their view, rather than constantly changing their mind?",
}

# 3.3.15: a young person of 16 or 17 can consent for themself.
AGE_OF_CONSENT = 16
# 3.3.16: children of 12 or over may generally be expected to have sufficient understanding.
AGE_PRESUMED_UNDERSTANDING = 12


class Response(StrEnum):
    GIVEN = "given"
    REFUSED = "refused"
    WITHDRAWN = "withdrawn"


def asks_about_withdrawal_and_review(response: Response | str | None) -> bool:
    """Whether the person is asked if they were told they can withdraw, and when to review: consent given only.

    3.3.22: the right to withdraw is a right to withdraw consent "after they
    have given it"; 3.3.21: it is consent given that is reviewed and renewed.
    A refusal records what was sought (3.3.28) and the refusal itself, clearly
    and where everyone who may be asked to share can read it (3.7.9); nothing
    is shared on it, so there is nothing to withdraw or renew (3.3.5: a refusal
    is weighed in the public interest test, question 6, when it is relied on).
    """
    return response == Response.GIVEN


class Status(StrEnum):
    CURRENT = "current"
    REVIEW_DUE = "review_due"
    WITHDRAWN = "withdrawn"
    SUPERSEDED = "superseded"


STATUS_LABELS = {
    Status.CURRENT: "Current",
    Status.REVIEW_DUE: "Review due",
    Status.WITHDRAWN: "Withdrawn",
    Status.SUPERSEDED: "Superseded",
}


@dataclass(frozen=True)
class Finding:
    """What the guidance says about a consent: a paragraph and a message."""

    paragraph: str
    text: str
    blocks: bool = False  # True when the consent cannot stand as recorded
    # The field of the consent record it concerns, where an error is shown: every finding that blocks has one.
    field: str = ""


def criteria_met(assessment: Mapping[str, bool]) -> list[str]:
    return [key for key in COMPETENCE_CRITERIA if assessment.get(key)]


def assessment_needed(age: int | None) -> bool:
    """Whether a child's own answer needs an assessment of their understanding first.

    3.3.15: a young person of 16 or 17 may give or refuse consent; only a child
    under 16 must be judged to have the capacity to (3.3.16-3.3.17). When the
    age is not known, the child is assessed.
    """
    return age is None or age < AGE_OF_CONSENT


def own_answer_basis(*, age: int | None, judged_competent: bool | None) -> str | None:
    """Why a child's own consent or refusal is the one that counts, in words; None when it is not.

    3.3.18: a child judged not competent cannot (at any age: the judgement,
    when one was made, decides); 3.3.17: a child judged competent can; 3.3.15:
    a young person of 16 or 17 can without being assessed.
    """
    if judged_competent is not None:
        return "judged competent" if judged_competent else None
    if not assessment_needed(age):
        return f"aged {age}"
    return None


def child_capacity_findings(
    *,
    age: int | None,
    assessment: Mapping[str, bool] | None,
    judged_competent: bool | None,
    explanation: str = "",
):
    """Whether a child can give or refuse consent themself (3.3.15-3.3.17).

    ``explanation``: the notes on the assessment, where a child judged
    competent against an unmet criterion must be explained (3.3.17).
    """
    findings: list[Finding] = []
    if age is None:
        findings.append(Finding("3.3.15", "The child's age is not known: record the assessment of understanding."))
    elif age >= AGE_OF_CONSENT:
        # 3.3.15: presumed able to decide; nothing more is asked unless someone judged otherwise (3.3.18).
        findings.append(
            Finding(
                "3.3.15",
                "A young person of 16 or 17 can give or refuse consent themself: their understanding need not be "
                "assessed.",
            )
        )
        if judged_competent is None:
            return findings
    elif age >= AGE_PRESUMED_UNDERSTANDING:
        findings.append(
            Finding(
                "3.3.16",
                "Children of 12 or over may generally be expected to have sufficient understanding; record the "
                "assessment all the same.",
            )
        )
    else:
        findings.append(
            Finding(
                "3.3.16",
                "Younger children may also have sufficient understanding: assess it against each criterion.",
            )
        )
    if judged_competent is None:
        findings.append(
            Finding("3.3.17", "Record whether the child was judged competent.", blocks=True, field="child_competent")
        )
        return findings
    met = criteria_met(assessment or {})
    unmet = len(COMPETENCE_CRITERIA) - len(met)
    if judged_competent and unmet and assessment_needed(age):
        # 3.3.17: the criteria are what competence is judged against; judging a child under 16 competent
        # against one of them needs the reason on the record.
        explained = bool(explanation.strip())
        were = "was" if unmet == 1 else "were"
        findings.append(
            Finding(
                "3.3.17",
                f"The child was judged competent although {unmet} of the {len(COMPETENCE_CRITERIA)} criteria {were} "
                "not met: "
                + ("the reason is in the notes." if explained else "explain why in the notes on the assessment."),
                blocks=not explained,
                field="assessment_notes",
            )
        )
    if not judged_competent:
        findings.append(
            Finding(
                "3.3.18",
                "A child judged not competent cannot give or refuse consent themself: ask a person with parental "
                "responsibility.",
                blocks=True,
                field="child_competent",
            )
        )
    return findings


@dataclass(frozen=True)
class ConsentFact:
    """The part of a consent record the rules need."""

    key: str
    by_child: bool
    by_parental_responsibility: bool
    # The child's own answer counts: judged competent, or 16 or 17 (own_answer_basis).
    child_decides: bool
    response: Response
    responded_on: date
    review_on: date | None
    # The answer of the record that replaced this one: a withdrawal, or a renewal (given or refused); None if
    # nothing has.
    superseded_by: Response | None
    adult_lives_with_child: bool | None = None

    @property
    def superseded(self) -> bool:
        return self.superseded_by is not None


def status_of(fact: ConsentFact, today: date) -> Status:
    # 3.3.22: a consent withdrawn is "Withdrawn", the record of the withdrawal and the consent it withdrew alike;
    # one replaced by a renewal is "Superseded".
    if fact.response == Response.WITHDRAWN or fact.superseded_by == Response.WITHDRAWN:
        return Status.WITHDRAWN
    if fact.superseded:
        return Status.SUPERSEDED
    if fact.review_on is not None and fact.review_on <= today:
        return Status.REVIEW_DUE  # 3.3.21
    return Status.CURRENT


@dataclass(frozen=True)
class Standing:
    """Which consent counts for sharing a child's information, and why."""

    response: Response | None
    deciding: str | None
    findings: tuple[Finding, ...]


def consent_standing(facts: Iterable[ConsentFact], today: date) -> Standing:
    """What the current consents about a child's information add up to.

    3.3.19: a competent child's consent or refusal is the one that counts, even
    if a parent disagrees; otherwise one parent's consent is enough; where
    people with parental responsibility disagree, the family is in conflict and
    advice must be taken on whose consent to seek.
    """
    live = [f for f in facts if status_of(f, today) in (Status.CURRENT, Status.REVIEW_DUE)]
    findings: list[Finding] = []
    if any(status_of(f, today) == Status.REVIEW_DUE for f in live):
        findings.append(Finding("3.3.21", "A consent's review date has passed: check it still stands."))
    children = sorted((f for f in live if f.by_child and f.child_decides), key=lambda f: f.responded_on)
    if children:
        newest = children[-1]
        parents_disagree = any(
            f.by_parental_responsibility and f.response != newest.response for f in live if not f.by_child
        )
        if parents_disagree:
            findings.append(
                Finding(
                    "3.3.19",
                    f"The child, able to decide for themself, has "
                    f"{'refused' if newest.response == Response.REFUSED else 'given'} consent and a parent disagrees: "
                    "the child's decision is the one that counts.",
                )
            )
        return Standing(newest.response, newest.key, tuple(findings))
    parents = [f for f in live if f.by_parental_responsibility]
    if not parents:
        return Standing(None, None, tuple(findings))
    given = [f for f in parents if f.response == Response.GIVEN]
    refused = [f for f in parents if f.response == Response.REFUSED]
    if given and refused:
        findings.append(
            Finding(
                "3.3.19",
                "People with parental responsibility disagree: talk to your agency's information lead and child "
                "protection adviser about whose consent to seek, and record their advice.",
            )
        )
    if given:
        findings.append(Finding("3.3.19", "One parent's consent is enough."))
        return Standing(Response.GIVEN, max(given, key=lambda f: f.responded_on).key, tuple(findings))
    return Standing(Response.REFUSED, max(refused, key=lambda f: f.responded_on).key, tuple(findings))


def responder_findings(
    *,
    by_child: bool,
    about_child: bool,
    holds_parental_responsibility: str | None,
    lives_with_child: bool | None,
    another_resident_parent: bool,
    family_conflict: bool,
    conflict_advice: str,
) -> list[Finding]:
    """Whether the person who responded could consent (3.3.15, 3.3.18-3.3.19)."""
    findings: list[Finding] = []
    if by_child or not about_child:
        return findings
    if holds_parental_responsibility != "yes":
        findings.append(
            Finding(
                "3.3.18",
                "Only a person with parental responsibility can consent on a child's behalf: this person is not "
                "recorded as holding it.",
                blocks=True,
                field="responder",
            )
        )
    if lives_with_child is False and another_resident_parent:
        findings.append(
            Finding(
                "3.3.19",
                "Where parents are separated, the consent of the parent the child lives with would usually be sought.",
            )
        )
    if family_conflict and not conflict_advice.strip():
        findings.append(
            Finding(
                "3.3.19",
                "Where family members are in conflict, record the advice of your information lead and child "
                "protection adviser on whose consent to seek.",
                blocks=True,
                field="conflict_advice",
            )
        )
    return findings


# Blank parts of a record: no assessment of a child's understanding (an adult
# answered, or this is a withdrawal), and no notes about the family.
NO_ASSESSMENT = {
    "competence": {},
    "child_competent": None,
    "assessed_by": "",
    "assessed_on": None,
    "explained_how": "",
    "language": "",
    "communication": "",
    "assessment_notes": "",
}
NO_FAMILY_NOTES = {"family_conflict": False, "conflict_advice": "", "non_resident_reason": ""}


def asks_why_this_parent(*, lives_with_child: bool | None) -> bool:
    """Whether a parent answering for the child is asked why it was them: when the child does not live with them.

    3.3.19: where parents are separated, the consent of the parent the child
    lives with would usually be sought.
    """
    return lives_with_child is False


def parts_that_do_not_apply(
    *, by_child: bool, family_conflict: bool, about_child: bool = True, lives_with_child: bool | None = False
) -> dict[str, object]:
    """The parts of a consent given or refused that do not apply to who answered, as their blanks.

    A record keeps only what applies to the person who answered, so it
    never holds a child's assessment beside a parent's answer, nor the
    reverse; whatever was typed in the other section before the answer
    changed is left out. ``about_child``: the consent is about the child's
    information (not an adult's own); ``lives_with_child``: whether the adult
    who answered lives with the child.
    """
    if by_child:
        # 3.3.18-3.3.19: the family's conflict and a non-resident parent's answer are asked when a parent answers.
        blanks: dict[str, object] = dict(NO_FAMILY_NOTES)
    else:
        # 3.3.15-3.3.17: a child's understanding is assessed when the child answers.
        blanks = {**NO_ASSESSMENT, "competence": {}}
        if not about_child:
            # 3.3.18-3.3.19 are about consent for a child: an adult's answer about their own information is theirs.
            blanks.update(NO_FAMILY_NOTES)
        elif not asks_why_this_parent(lives_with_child=lives_with_child):
            blanks["non_resident_reason"] = ""  # 3.3.19: asked of a parent the child does not live with
    if not family_conflict:
        blanks["conflict_advice"] = ""  # 3.3.19: advice on whose consent to seek is taken where there is conflict
    return blanks
