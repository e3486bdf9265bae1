"""The eight key questions of 3.5.1, and what the guidance says about answers.

Plain Python with no Django imports, so each rule can be read next to the
paragraph of ``shared/guidance/004`` (London child protection procedures,
chapter 3) that it implements, and tested in milliseconds.

``answers`` is a mapping from a question's key to the answers given on that
question's page: plain strings, booleans and lists of strings.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

# Bump when a question's wording or a rule changes; every decision keeps the
# version it was made under, with the wording shown.
GUIDANCE_VERSION = "london-cpp-ch3/2026-11"

Answers = Mapping[str, Mapping[str, Any]]


class QuestionKey(StrEnum):
    PURPOSE = "purpose"
    IDENTIFIABLE = "identifiable"
    CONFIDENTIAL = "confidential"
    CONSENT = "consent"
    STATUTORY = "statutory"
    PUBLIC_INTEREST = "public-interest"
    SHARING = "sharing"
    DECISION = "decision"


@dataclass(frozen=True)
class Question:
    key: QuestionKey
    number: int
    wording: str
    paragraphs: str


# 3.5.1: the eight key questions, in the guidance's own words.
QUESTIONS: tuple[Question, ...] = (
    Question(QuestionKey.PURPOSE, 1, "Is there a legitimate purpose to share the information?", "3.5.2 to 3.5.4"),
    Question(QuestionKey.IDENTIFIABLE, 2, "Does the information enable a person to be identified?", "3.5.5"),
    Question(QuestionKey.CONFIDENTIAL, 3, "Is the information confidential?", "3.3.2 and 3.5.6 to 3.5.7"),
    Question(
        QuestionKey.CONSENT,
        4,
        "If the information is confidential, has consent to share been obtained?",
        "3.3.10 to 3.3.29",
    ),
    Question(
        QuestionKey.STATUTORY,
        5,
        "Is there a statutory duty or a court order to share the information?",
        "3.5.9 to 3.5.10",
    ),
    Question(
        QuestionKey.PUBLIC_INTEREST,
        6,
        "If consent has been refused, or there are good reasons not to seek consent to share confidential "
        "information, is there a sufficient public interest to share information?",
        "3.3.6 to 3.3.8 and 3.5.16 to 3.5.19",
    ),
    Question(
        QuestionKey.SHARING,
        7,
        "If the decision is to share, is the right information being shared in the right way?",
        "3.5.20",
    ),
    Question(QuestionKey.DECISION, 8, "Have the decision and the reasons for it been recorded?", "3.5.21"),
)
QUESTION_BY_KEY = {question.key: question for question in QUESTIONS}


class Concern(StrEnum):
    """The level of concern, in the words of 3.3.8."""

    EVIDENCE_OF_SIGNIFICANT_HARM = "evidence_of_significant_harm"
    REASONABLE_CAUSE_TO_BELIEVE = "reasonable_cause_to_believe"
    PREVENT_SIGNIFICANT_HARM_OR_SERIOUS_CRIME = "prevent_significant_harm_or_serious_crime"
    LOWER = "lower"


CONCERN_LABELS = {
    Concern.EVIDENCE_OF_SIGNIFICANT_HARM: "There is evidence that the child is suffering, or is at risk of suffering, "
    "significant harm",
    Concern.REASONABLE_CAUSE_TO_BELIEVE: "There is reasonable cause to believe that the child may be suffering, or "
    "at risk of, significant harm",
    Concern.PREVENT_SIGNIFICANT_HARM_OR_SERIOUS_CRIME: "Sharing would prevent significant harm to a child or serious "
    "harm to an adult, including through preventing, detecting or prosecuting serious crime",
    Concern.LOWER: "A lower level of concern: the child may need services, but none of the above applies",
}

# 3.3.8: the circumstances in which sharing confidential information without
# consent will normally be justified in the public interest.
PUBLIC_INTEREST_CONCERNS = frozenset(
    {
        Concern.EVIDENCE_OF_SIGNIFICANT_HARM,
        Concern.REASONABLE_CAUSE_TO_BELIEVE,
        Concern.PREVENT_SIGNIFICANT_HARM_OR_SERIOUS_CRIME,
    }
)


class Confidentiality(StrEnum):
    """3.5.6: the three kinds of confidential relationship, or none (3.3.2-3.3.4)."""

    FORMAL = "formal"
    INFORMAL = "informal"
    ASSUMED = "assumed"
    NOT_CONFIDENTIAL = "not_confidential"


CONFIDENTIALITY_LABELS = {
    Confidentiality.FORMAL: "Yes: a formal confidential relationship (for example doctor and patient, social worker "
    "and client, counsellor and client)",
    Confidentiality.INFORMAL: "Yes: an informal relationship in which the person asked for this to be kept "
    "confidential (for example a pupil telling a teacher)",
    Confidentiality.ASSUMED: "Yes: the person did not ask, but may assume it will be treated as confidential",
    Confidentiality.NOT_CONFIDENTIAL: "No: it is already public or readily available, or it was given on the "
    "understanding that it would be shared",
}


class ConsentStatus(StrEnum):
    OBTAINED = "obtained"
    REFUSED = "refused"
    NOT_SOUGHT = "not_sought"
    NOT_NEEDED = "not_needed"


CONSENT_STATUS_LABELS = {
    ConsentStatus.OBTAINED: "Consent was sought and given",
    ConsentStatus.REFUSED: "Consent was sought and refused",
    ConsentStatus.NOT_SOUGHT: "Consent was not sought",
    ConsentStatus.NOT_NEEDED: "Consent is not needed",
}


class NotSoughtReason(StrEnum):
    """3.4.2: when professionals should not seek consent."""

    CHILD_AT_RISK = "child_at_increased_risk"
    ADULT_AT_RISK = "adult_at_risk"
    PREJUDICE_CRIME = "prejudice_serious_crime"
    UNJUSTIFIED_DELAY = "unjustified_delay"
    OTHER = "other"


NOT_SOUGHT_LABELS = {
    NotSoughtReason.CHILD_AT_RISK: "Asking would place a child at increased risk of significant harm",
    NotSoughtReason.ADULT_AT_RISK: "Asking would place an adult at risk of serious harm",
    NotSoughtReason.PREJUDICE_CRIME: "Asking would prejudice the prevention or detection of a serious crime",
    NotSoughtReason.UNJUSTIFIED_DELAY: "Asking would lead to unjustified delay in making enquiries about "
    "allegations of significant harm",
    NotSoughtReason.OTHER: "Another reason",
}


class Duty(StrEnum):
    NONE = "none"
    STATUTORY_DUTY = "statutory_duty"
    COURT_ORDER = "court_order"


DUTY_LABELS = {
    Duty.NONE: "No",
    Duty.STATUTORY_DUTY: "Yes, a statutory duty",
    Duty.COURT_ORDER: "Yes, a court order",
}


class Outcome(StrEnum):
    SHARE = "share"
    SHARE_IN_PART = "share_in_part"
    DO_NOT_SHARE = "do_not_share"


OUTCOME_LABELS = {
    Outcome.SHARE: "Share the information",
    Outcome.SHARE_IN_PART: "Share some of the information",
    Outcome.DO_NOT_SHARE: "Do not share the information",
}


class Recommendation(StrEnum):
    """What the guidance points to, given the answers; the practitioner decides."""

    MUST_SHARE = "must_share"
    MAY_SHARE = "may_share"
    SHOULD_NOT_SHARE = "should_not_share"
    UNDECIDED = "undecided"


RECOMMENDATION_LABELS = {
    Recommendation.MUST_SHARE: "The guidance says the information must be shared",
    Recommendation.MAY_SHARE: "The guidance says the information may be shared",
    Recommendation.SHOULD_NOT_SHARE: "The guidance does not support sharing on these answers",
    Recommendation.UNDECIDED: "Answer the questions to see what the guidance says",
}


@dataclass(frozen=True)
class Note:
    """A piece of guidance shown to the practitioner, with its paragraph."""

    paragraph: str
    text: str

    @property
    def cited(self) -> str:
        """The note as a sentence citing its paragraph: "... (3.3.22)." """
        return f"{self.text.removesuffix('.')} ({self.paragraph})."


def _get(answers: Answers, question: QuestionKey, field: str, default: Any = None) -> Any:
    return (answers.get(question) or {}).get(field, default)


def _answered(answers: Answers, question: QuestionKey) -> bool:
    if question in PAGES:
        # A question asked over several pages is answered once the last of its pages asked has been sent
        # (page_sent): that page opens only once the pages asked before it are answered (page_is_reachable).
        return page_sent(answers, question, pages_asked(answers, question)[-1].name)
    return bool(answers.get(question))


# Questions asked over more than one page, one thing to a page; the others are asked on one page.


@dataclass(frozen=True)
class Page:
    """One page of a question: its name in the page's address, what it asks (answer keys), and its paragraph.

    The first page of a question is at the question's own address. ``asked``: the rule saying whether the
    page is asked, given the answers (None: always); a page not asked is skipped, and its answers do not
    apply (``answers_that_apply``). ``keeps``: answers the page keeps besides those it asks (a snapshot of
    the consent record chosen). ``given_for``: answers on earlier pages that this page's answers were given
    for; when one of them changes, this page's answers are forgotten, to be given again. ``revealed``: answers
    the page asks only where their own rule says so (a conditional reveal under one of its choices, or an
    answer another question calls for), each with its rule. One rule, then, says both what is asked and which
    answers do not apply (``answers_asked_on``, ``_not_applying``).
    """

    name: str
    title: str
    fields: tuple[str, ...]
    paragraphs: str
    asked: Callable[[Answers], bool] | None = None
    keeps: tuple[str, ...] = ()
    given_for: tuple[str, ...] = ()
    revealed: tuple[tuple[str, Callable[[Answers], bool]], ...] = ()


# What question 4 keeps of the consent record chosen, besides the record itself (sharing.forms).
CONSENT_RECORD_SNAPSHOT = (
    "consent_summary", "consent_explicitness", "consent_form", "consent_how_signalled", "consent_information",
    "consent_purposes", "consent_recipients", "consent_recipient_use", "consent_recipient_kinds", "consent_review_on",
    "consent_review_due",
)  # fmt: skip


def _identifies_someone(answers: Answers) -> bool:
    return is_identifiable(answers) is True  # 3.5.5: who could be identified


def _identifies_nobody(answers: Answers) -> bool:
    return is_identifiable(answers) is False  # 3.5.5, 3.8: how it was anonymised


def _consent_sought_and_answered(answers: Answers) -> bool:
    # 3.7.2: consent sought, and given or refused, is answered with a consent record.
    return consent_status(answers) in (ConsentStatus.OBTAINED, ConsentStatus.REFUSED)


def _consent_given(answers: Answers) -> bool:
    # 3.3.14, 3.3.22: only consent given covers a purpose; asked once the record of it is chosen (the page before).
    return consent_status(answers) == ConsentStatus.OBTAINED


def _consent_not_sought(answers: Answers) -> bool:
    return consent_status(answers) == ConsentStatus.NOT_SOUGHT  # 3.4.2, 3.3.25: why it was not sought


def _consent_not_needed(answers: Answers) -> bool:
    return consent_status(answers) == ConsentStatus.NOT_NEEDED  # 3.3.2-3.3.4: why it is not needed


def _duty_or_order(answers: Answers) -> bool:
    return duty(answers) in (Duty.STATUTORY_DUTY, Duty.COURT_ORDER)  # 3.5.10: the duty or order to name


def _advice_sought(answers: Answers) -> bool:
    return _get(answers, QuestionKey.PUBLIC_INTEREST, "advice_sought") is True  # 3.5.17: who advised, and what


def _advice_not_sought(answers: Answers) -> bool:
    return _get(answers, QuestionKey.PUBLIC_INTEREST, "advice_sought") is False  # 3.5.17: why not


def _another_reason_not_to_seek(answers: Answers) -> bool:
    # 3.3.25: a reason of 3.4.2 needs no explaining; another reason does.
    return _get(answers, QuestionKey.CONSENT, "not_sought_reason") == NotSoughtReason.OTHER


def _departs(answers: Answers) -> bool:
    return departs_from_guidance(answers)  # 3.5.21: only a departure needs its reason


def _sharing(answers: Answers) -> bool:
    return sharing_checks_apply(answers)  # 3.5.20: the checks are for a decision to share


def _passed_on(answers: Answers) -> bool:
    return _get(answers, QuestionKey.SHARING, "onward_sharing") == "yes"  # 3.5.20: to whom, if it is passed on


def _consent_has_limits(answers: Answers) -> bool:
    return has_consent(answers)  # 3.3.28, 3.5.20: only consent covering this sharing has limits to tell


def _person_told_is_asked(answers: Answers) -> bool:
    return person_told_is_asked(answers)  # 3.5.5: anonymised information identifies nobody to tell


def _not_told(answers: Answers) -> bool:
    return not_told(answers)  # 3.5.19, 3.7.3: why the person is not told, and when that is reconsidered


# Question 1, in the order of 3.5.2 to 3.5.4: why, on what legal basis, at what level of concern (3.3.8,
# 3.3.9, 3.7.1), the tests of 3.5.4, and then the conclusion, with what follows from the pages before it.
# Questions 2 to 6 and 8: the main question first, then each follow-up on a page of its own, asked only
# where the answer before it calls for it. Question 7: see below.
PAGES: dict[QuestionKey, tuple[Page, ...]] = {
    QuestionKey.PURPOSE: (
        Page("purpose", "Purpose", ("purpose",), "3.5.2 and 3.5.4"),
        Page("legal-basis", "Legal basis", ("legal_bases", "legal_basis_other"), "3.5.4"),
        Page("concern", "Level of concern", ("concern_level",), "3.3.8, 3.3.9 and 3.7.1"),
        Page(
            "tests",
            "Establishing a legitimate purpose",
            ("need_to_know", "proportionate", "statutory_restriction", "secondary_disclosure", "anonymised_would_do"),
            "3.5.4",
        ),
        Page("conclusion", "Conclusion", ("legitimate_purpose",), "3.5.2 and 3.5.3"),
    ),
    QuestionKey.IDENTIFIABLE: (
        Page("identifies", "Whether anyone is identified", ("identifies_person",), "3.5.5"),
        Page("who", "Who could be identified", ("who_identified",), "3.5.5", asked=_identifies_someone),
        Page("anonymised", "How it was anonymised", ("anonymisation",), "3.5.5", asked=_identifies_nobody),
    ),
    QuestionKey.CONFIDENTIAL: (
        Page("confidentiality", "Confidentiality", ("confidentiality",), "3.3.2 and 3.5.6 to 3.5.7"),
        Page("reason", "Why", ("reason",), "3.3.2 and 3.5.6 to 3.5.7"),
    ),
    QuestionKey.CONSENT: (
        Page("status", "Consent", ("status",), "3.3.10 to 3.3.29"),
        Page(
            "record",
            "Consent record",
            ("consent_record",),
            "3.3.11 and 3.3.28",
            asked=_consent_sought_and_answered,
            keeps=CONSENT_RECORD_SNAPSHOT,
            given_for=("status",),
        ),
        Page(
            "covers",
            "What the consent covers",
            ("consent_covers",),
            "3.3.14 and 3.3.22",
            asked=_consent_given,
            given_for=("status", "consent_record"),
        ),
        Page(
            "not-sought",
            "Why consent was not sought",
            ("not_sought_reason", "not_sought_other"),
            "3.4.2",
            asked=_consent_not_sought,
            revealed=(("not_sought_other", _another_reason_not_to_seek),),  # 3.3.25: under "Another reason" only
        ),
        Page(
            "not-needed",
            "Why consent is not needed",
            ("not_needed_reason",),
            "3.3.2 to 3.3.4",
            asked=_consent_not_needed,
        ),
    ),
    QuestionKey.STATUTORY: (
        Page("duty", "Duty or order", ("duty",), "3.5.9 to 3.5.10"),
        Page("reference", "Which duty or order", ("reference",), "3.5.10", asked=_duty_or_order),
    ),
    QuestionKey.PUBLIC_INTEREST: (
        Page("if-shared", "If it is shared", ("if_shared",), "3.5.16"),
        Page("if-not-shared", "If it is not shared", ("if_not_shared",), "3.5.16"),
        Page("proportionality", "Proportionality", ("proportionality",), "3.3.7 and 3.5.16"),
        Page("advice", "Advice", ("advice_sought",), "3.5.17"),
        Page(
            "advice-given",
            "The advice given",
            ("advice_from", "adviser_name", "advice_given"),
            "3.5.17",
            asked=_advice_sought,
        ),
        Page("no-advice", "Why no advice was sought", ("no_advice_reason",), "3.5.17", asked=_advice_not_sought),
    ),
    QuestionKey.DECISION: (
        Page("reasons", "Reasons", ("reasons",), "3.5.21"),
        Page("departure", "Departing from the guidance", ("departure_reason",), "3.5.21", asked=_departs),
        Page("when", "Date and time", ("decided_on", "decided_time"), "3.5.21"),
    ),
    # Question 7: the decision, then, for a decision to share only (3.5.20), what is shared, item by item (3.7.9:
    # ITEMS_PAGE), with whom, how, whether it is passed on, and whether the person is told (3.5.19, 3.7.3).
    QuestionKey.SHARING: (
        Page("outcome", "Your decision", ("outcome", "withheld"), "3.5.20 and 3.5.21"),
        Page("items", "What will be shared", ("items",), "3.5.20 and 3.7.9", asked=_sharing),
        Page(
            "recipient",
            "Who will receive it",
            ("recipient_name", "recipient_role", "recipient_agency", "recipient_agency_kind", "recipient_need"),
            "3.5.20 and 3.3.28",
            asked=_sharing,
        ),
        Page(
            "method",
            "How it will be shared",
            ("accuracy_checked", "method", "method_detail"),
            "3.5.20 and 3.7.8",
            asked=_sharing,
        ),
        Page(
            "onward",
            "Passing it on",
            ("onward_sharing", "onward_detail", "consent_limits_explained"),
            "3.5.20",
            asked=_sharing,
            revealed=(("onward_detail", _passed_on), ("consent_limits_explained", _consent_has_limits)),
        ),
        Page(
            "told",
            "Telling the person",
            ("person_informed", "not_informed_reason", "reconsider_on"),
            "3.5.19",
            asked=_person_told_is_asked,
            revealed=(("not_informed_reason", _not_told), ("reconsider_on", _not_told)),
        ),
    ),
}

# What an answer of a page not asked is recorded as: blank, as the question's one form wrote it when its
# pages were one page, so that a recorded decision's answers keep their shape (answers_as_one_page).
UNASKED_BLANK: dict[str, Any] = {
    "who_identified": "",
    "anonymisation": "",
    "consent_record": "",
    **dict.fromkeys(CONSENT_RECORD_SNAPSHOT, ""),
    "consent_recipient_kinds": [],
    "consent_review_on": None,
    "consent_review_due": False,
    "consent_covers": None,
    "not_sought_reason": "",
    "not_sought_other": "",
    "not_needed_reason": "",
    "reference": "",
    "advice_from": "",
    "adviser_name": "",
    "advice_given": "",
    "no_advice_reason": "",
}

# The page of a question that lists what is shared, one item at a time (3.7.9), added, changed and removed each
# on a page of its own (GOV.UK's "add another" pattern): its one answer, "items", is the list, which keeps at least
# one item once one is added (the last is changed, not removed), so the pages after it stay answered.
ITEMS_PAGE = "items"
# 3.7.9: no more items than a practitioner could read back to the recipient.
MAX_ITEMS = 30


def pages_of(question: QuestionKey) -> tuple[Page, ...]:
    """The pages ``question`` is asked on, in order: one, unless ``PAGES`` splits it."""
    return PAGES.get(question, ())


def page_named(question: QuestionKey, name: str) -> Page | None:
    return next((page for page in pages_of(question) if page.name == name), None)


def page_of_field(question: QuestionKey, field: str) -> Page | None:
    """The page of ``question`` that asks for the answer ``field`` (or keeps it), if the question has pages."""
    return next((page for page in pages_of(question) if field in page.fields or field in page.keeps), None)


def page_is_asked(answers: Answers, page: Page) -> bool:
    """Whether ``page`` is asked, given the answers so far (a follow-up only where its answer calls for it)."""
    return page.asked is None or page.asked(answers)


def pages_asked(answers: Answers, question: QuestionKey) -> list[Page]:
    """The pages of ``question`` asked, given the answers so far, in order."""
    return [page for page in pages_of(question) if page_is_asked(answers, page)]


def answers_asked_on(answers: Answers, question: QuestionKey, page: str) -> list[str]:
    """The answers ``page`` asks for, given the answers so far: none if the page is not asked (``Page.asked``),
    else its answers but those it reveals only where their rule does not call for them (``Page.revealed``)."""
    asked = page_named(question, page)
    if not page_is_asked(answers, asked):
        return []
    hidden = {name for name, applies in asked.revealed if not applies(answers)}
    return [name for name in asked.fields if name not in hidden]


def page_answered(answers: Answers, question: QuestionKey, page: str) -> bool:
    """Every answer a page asks for on these answers (``answers_asked_on``) has been saved (an optional one saved
    empty counts: the page was sent). A page not asked asks nothing, so is answered."""
    given = answers.get(question) or {}
    return all(field in given for field in answers_asked_on(answers, question, page))


def page_sent(answers: Answers, question: QuestionKey, page: str) -> bool:
    """The page has been sent: an answer it asks for on these answers is saved. A page is saved whole, so an answer
    it asks for that is missing is one it came to ask since, by an answer changed elsewhere: one to give again
    (``questions_to_revisit``, ``first_page_to_do``), not a page still to answer."""
    given = answers.get(question) or {}
    return any(field in given for field in answers_asked_on(answers, question, page))


def first_unanswered_page(answers: Answers, question: QuestionKey) -> Page | None:
    """The first page asked of ``question`` still to answer, or None once every one is (or it has none)."""
    return next(
        (page for page in pages_asked(answers, question) if not page_answered(answers, question, page.name)), None
    )


def page_is_reachable(answers: Answers, question: QuestionKey, page: str) -> bool:
    """A page of a question opens once the question can (``is_reachable``), the page is asked, and the pages
    asked before it are answered."""
    if not is_reachable(answers, question):
        return False
    asked = [each.name for each in pages_asked(answers, question)]
    if page not in asked:
        return False
    return all(page_answered(answers, question, earlier) for earlier in asked[: asked.index(page)])


def previous_page(question: QuestionKey, page: str | None, answers: Answers | None = None) -> Page | None:
    """The page before ``page`` within its question, or None on its first page (or a question of one page).

    ``answers``: the answers so far, to skip the pages they do not ask (before a page not asked itself too: the
    page before the question that follows is the last one asked).
    """
    names = [each.name for each in pages_of(question)]
    if page not in names:
        return None
    before = [
        each for each in pages_of(question)[: names.index(page)] if answers is None or page_is_asked(answers, each)
    ]
    return before[-1] if before else None


def page_answers_kept(given: Mapping[str, Any], question: QuestionKey, page: str, sent: Mapping[str, Any]) -> dict:
    """A question's answers once ``page`` of it is sent: ``sent`` joins the answers ``given`` on its other pages.

    A later page's answers given for an answer that changed are forgotten, to be given again (``Page.given_for``):
    a consent record chosen as consent given is no answer once the answer is that consent was refused (3.7.2),
    nor a judgment that it covers the purpose once another record is chosen (3.3.14, 3.3.22).
    """
    kept = {**given, **sent}
    changed = {name for name, value in sent.items() if name not in given or given[name] != value}
    for later in pages_of(question):
        if later.name != page and changed.intersection(later.given_for):
            for name in (*later.fields, *later.keeps):
                kept.pop(name, None)
    return kept


def answers_as_one_page(answers: Answers) -> dict[str, dict[str, Any]]:
    """The answers with those of each page not asked blank, as a question's one page wrote them.

    A question asked over several pages keeps only the answers of the pages sent, and keeps an answer of a
    page no longer asked (changing an answer back loses nothing); recorded, each question's answers have the
    shape they had when it was one form: a follow-up not asked is there, blank (``UNASKED_BLANK``).
    """
    shaped: dict[str, dict[str, Any]] = {str(key): dict(value) for key, value in answers.items()}
    for question, pages in PAGES.items():
        if question not in shaped:
            continue
        for page in pages:
            if page_is_asked(answers, page):
                continue
            for name in (*page.fields, *page.keeps):
                if name in UNASKED_BLANK:
                    shaped[question][name] = UNASKED_BLANK[name]
    return shaped


def items_of(answers: Answers, question: QuestionKey) -> list[dict[str, str]]:
    """The items a question's item page lists so far (3.7.9): each {"text": ..., "kind": ...}."""
    return list(_get(answers, question, "items") or [])


# Facts the rules turn on. Each is None while the question is unanswered.


def has_legitimate_purpose(answers: Answers) -> bool | None:
    return _get(answers, QuestionKey.PURPOSE, "legitimate_purpose")


def is_identifiable(answers: Answers) -> bool | None:
    return _get(answers, QuestionKey.IDENTIFIABLE, "identifies_person")


def is_confidential(answers: Answers) -> bool | None:
    kind = _get(answers, QuestionKey.CONFIDENTIAL, "confidentiality")
    if kind is None:
        return None
    return kind != Confidentiality.NOT_CONFIDENTIAL


def consent_status(answers: Answers) -> ConsentStatus | None:
    status = _get(answers, QuestionKey.CONSENT, "status")
    return ConsentStatus(status) if status else None


def consent_covers_purpose(answers: Answers) -> bool:
    """Consent was given, and the practitioner judged it covers this purpose (3.3.14, 3.3.22)."""
    return (
        consent_status(answers) == ConsentStatus.OBTAINED
        and _get(answers, QuestionKey.CONSENT, "consent_covers") is not False
    )


def consent_misses_recipient(answers: Answers) -> bool:
    """The recipient's kind of agency is not among those the person consented to (3.3.28).

    Known once question 7 names the recipient's kind of agency.
    """
    kind = _get(answers, QuestionKey.SHARING, "recipient_agency_kind")
    return bool(
        consent_covers_purpose(answers)
        and kind
        and kind not in (_get(answers, QuestionKey.CONSENT, "consent_recipient_kinds") or [])
    )


def has_consent(answers: Answers) -> bool:
    """Consent was given and covers this decision: its purpose and its recipient.

    3.3.14, 3.3.22: consent does not stretch to a purpose it was not given
    for; a significant change in use means asking again, and until then the
    decision is one without consent. 3.3.11, 3.3.28: nor does it stretch to
    a kind of agency the person was not told of; sharing with one is sharing
    without consent, so questions 5 and 6 are asked.
    """
    return consent_covers_purpose(answers) and not consent_misses_recipient(answers)


def duty(answers: Answers) -> Duty | None:
    value = _get(answers, QuestionKey.STATUTORY, "duty")
    return Duty(value) if value else None


def concern(answers: Answers) -> Concern | None:
    value = _get(answers, QuestionKey.PURPOSE, "concern_level")
    return Concern(value) if value else None


def outcome(answers: Answers) -> Outcome | None:
    value = _get(answers, QuestionKey.SHARING, "outcome")
    return Outcome(value) if value else None


# Which questions are asked.


def questions_needed(answers: Answers) -> list[QuestionKey]:
    """The questions this decision needs, in order, given the answers so far.

    A question whose earlier answers make it irrelevant is left out; changing
    an earlier answer can bring it back or remove a later one.
    """
    needed = [QuestionKey.PURPOSE]
    if has_legitimate_purpose(answers) is False:
        # 3.5.2: without a legitimate purpose there is nothing to weigh.
        return [*needed, QuestionKey.SHARING, QuestionKey.DECISION]
    needed.append(QuestionKey.IDENTIFIABLE)
    if is_identifiable(answers) is False:
        # 3.5.5: anonymised information can lawfully be shared for a
        # legitimate purpose; confidentiality and consent do not arise.
        return [*needed, QuestionKey.SHARING, QuestionKey.DECISION]
    needed.append(QuestionKey.CONFIDENTIAL)
    if is_confidential(answers) is False:
        # 3.3.2-3.3.4: information that is not confidential needs no consent
        # to be shared for a legitimate purpose.
        return [*needed, QuestionKey.SHARING, QuestionKey.DECISION]
    needed.append(QuestionKey.CONSENT)
    if has_consent(answers):
        return [*needed, QuestionKey.SHARING, QuestionKey.DECISION]
    needed.append(QuestionKey.STATUTORY)
    if duty(answers) in (Duty.STATUTORY_DUTY, Duty.COURT_ORDER):
        # 3.5.10: the information must be shared; no public interest test.
        return [*needed, QuestionKey.SHARING, QuestionKey.DECISION]
    # 3.5.16: no consent and no duty, so weigh the public interest.
    return [*needed, QuestionKey.PUBLIC_INTEREST, QuestionKey.SHARING, QuestionKey.DECISION]


def next_question(answers: Answers, after: QuestionKey) -> QuestionKey | None:
    """The question to answer after ``after``.

    A later answer can bring back an earlier question (question 7's recipient
    outside the consent brings back 5 and 6): that question comes first.
    """
    needed = questions_needed(answers)
    if after not in needed:
        return first_unanswered(answers)
    position = needed.index(after)
    brought_back = next((key for key in needed[:position] if not _answered(answers, key)), None)
    if brought_back is not None:
        return brought_back
    return needed[position + 1] if position + 1 < len(needed) else None


def previous_question(answers: Answers, before: QuestionKey) -> QuestionKey | None:
    needed = questions_needed(answers)
    if before not in needed:
        return None
    position = needed.index(before)
    return needed[position - 1] if position > 0 else None


def first_unanswered(answers: Answers) -> QuestionKey | None:
    for question in questions_needed(answers):
        if not _answered(answers, question):
            return question
    return None


def questions_to_revisit(answers: Answers) -> list[QuestionKey]:
    """The questions answered before an earlier answer changed what they must say, in order."""
    return list(_answers_to_revisit(answers))


def _answers_to_revisit(answers: Answers) -> dict[QuestionKey, str]:
    """{question answered before an earlier answer changed what it must say: the answer it must now give}."""
    revisit: dict[QuestionKey, str] = {}
    sharing_outcome = outcome(answers)
    limits_untold = (  # 3.5.20: the recipient must understand the limits of the consent
        sharing_outcome in (Outcome.SHARE, Outcome.SHARE_IN_PART)
        and has_consent(answers)
        and not _get(answers, QuestionKey.SHARING, "consent_limits_explained")
    )
    # 3.5.19, 3.7.3: sharing without telling the person needs a date to reconsider
    undated = not_told(answers) and not _get(answers, QuestionKey.SHARING, "reconsider_on")
    if limits_untold or undated:
        revisit[QuestionKey.SHARING] = "consent_limits_explained" if limits_untold else "reconsider_on"
    if departs_from_guidance(answers) and not (_get(answers, QuestionKey.DECISION, "departure_reason") or "").strip():
        revisit[QuestionKey.DECISION] = "departure_reason"  # 3.5.21: a departure from the guidance needs its reason
    return revisit


def first_page_to_do(answers: Answers, question: QuestionKey) -> Page | None:
    """The page of ``question`` to open to go on with it: its first still to answer, else the page of an answer
    it must give again (``questions_to_revisit``); None if neither, or it has no pages."""
    unanswered = first_unanswered_page(answers, question)
    if unanswered is not None:
        return unanswered
    field = _answers_to_revisit(answers).get(question)
    return page_of_field(question, field) if field else None


def first_to_revisit(answers: Answers) -> QuestionKey | None:
    """A question answered before an earlier answer changed what it must say."""
    return next(iter(questions_to_revisit(answers)), None)


def first_incomplete(answers: Answers) -> QuestionKey | None:
    """The first question still to answer, or to answer again."""
    return first_unanswered(answers) or first_to_revisit(answers)


def is_complete(answers: Answers) -> bool:
    return first_incomplete(answers) is None


@dataclass(frozen=True)
class Step:
    """Where a page sends the practitioner: a question's page, or the check page when ``question`` is None.

    ``from_check``: the question is answered on the way back to the check page. ``page``: the page of the
    question (``PAGES``) to open; None for its first page.
    """

    question: QuestionKey | None
    from_check: bool = False
    page: str | None = None


CHECK_ANSWERS = Step(None)


def after_saving(answers: Answers, saved: QuestionKey, *, from_check: bool) -> Step:
    """Where to go once question ``saved`` is answered, ``answers`` including that answer.

    ``from_check``: the practitioner came to the question from the check page, to change an answer.
    """
    if not from_check:
        following = next_question(answers, saved)
        if following is not None:
            # 3.5.1: the key questions in order, each asked only where the answers so far make it needed
            # (questions_needed); one a later answer brought back comes first (3.3.28).
            return resume_at(answers, following)
    following = first_incomplete(answers)
    if following is None:
        # 3.5.21: every question the decision needs is answered: check the answers, then record it.
        return CHECK_ANSWERS
    # A changed answer brought in a question (3.3.22, 3.3.28: consent that does not cover the decision brings
    # back 5 and 6), or one to answer again (3.5.19, 3.5.20, 3.5.21: first_to_revisit), at its first page still
    # to answer (a reason for departing from the guidance); then back to checking.
    return resume_at(answers, following, from_check=True)


def step_to_page(question: QuestionKey, page: Page | None, *, from_check: bool) -> Step:
    """The step to ``page`` of ``question`` (None for a question's first page, at the question's address)."""
    first = next(iter(pages_of(question)), None)
    return Step(question, from_check=from_check, page=None if page is None or page == first else page.name)


def resume_at(answers: Answers, question: QuestionKey, *, from_check: bool = False) -> Step:
    """The page of ``question`` to open to go on with it (``first_page_to_do``), else its first page."""
    return step_to_page(question, first_page_to_do(answers, question), from_check=from_check)


def after_saving_page(answers: Answers, question: QuestionKey, page: str, *, from_check: bool) -> Step:
    """Where to go once ``page`` of ``question`` is answered, ``answers`` including that answer.

    On through the question's pages in order; from the check page, back to it
    once every page of the question is answered. Then as ``after_saving``.
    """
    if from_check:
        # A change from the check page: only a page still unanswered stands between it and the check page.
        unanswered = first_page_to_do(answers, question)
        if unanswered is not None:
            return step_to_page(question, unanswered, from_check=True)
    else:
        names = [each.name for each in pages_of(question)]
        # The pages after it that are asked on the answers now, one at a time (3.5.4: the questions establishing
        # a legitimate purpose before the conclusion; a follow-up only where the answer before it calls for it;
        # 3.5.20: question 7's checks only of a decision to share).
        following = next(
            (
                later
                for later in pages_asked(answers, question)
                if page in names and names.index(later.name) > names.index(page)
            ),
            None,
        )
        if following is not None:
            return step_to_page(question, following, from_check=False)
    return after_saving(answers, question, from_check=from_check)


def is_reachable(answers: Answers, question: QuestionKey) -> bool:
    """A page may be opened once every question before it is answered."""
    needed = questions_needed(answers)
    if question not in needed:
        return False
    return all(_answered(answers, earlier) for earlier in needed[: needed.index(question)])


# The task list: each question's status in a draft, then checking the answers.


class TaskStatus(StrEnum):
    COMPLETED = "completed"
    NOT_NEEDED = "not_needed"
    CANNOT_START_YET = "cannot_start_yet"
    TO_DO = "to_do"


TASK_STATUS_LABELS = {
    TaskStatus.COMPLETED: "Completed",
    TaskStatus.NOT_NEEDED: "Not needed",
    TaskStatus.CANNOT_START_YET: "Cannot start yet",
    TaskStatus.TO_DO: "Incomplete",
}

# Why the questions after it, up to question 7, are not needed, by the question whose answer made them so:
# the last one ``questions_needed`` asks before question 7. Each is the branch there that cites it.
NOT_NEEDED_BECAUSE = {
    QuestionKey.PURPOSE: Note(
        "3.5.2",
        "You answered that there is no legitimate purpose to share the information, so there is nothing to weigh",
    ),
    QuestionKey.IDENTIFIABLE: Note(
        "3.5.5",
        "You answered that the information does not identify anyone: anonymised information can be shared for a "
        "legitimate purpose",
    ),
    QuestionKey.CONFIDENTIAL: Note(
        "3.3.2 to 3.3.4", "You answered that the information is not confidential, so sharing it needs no consent"
    ),
    QuestionKey.CONSENT: Note(
        "3.3.4 and 3.5.16",
        "Consent was given and covers this sharing, so there is no duty of confidence to set aside: no statutory "
        "duty or public interest is needed",
    ),
    QuestionKey.STATUTORY: Note(
        "3.5.10",
        "You answered that there is a statutory duty or court order, so the information must be shared: there is "
        "no public interest test",
    ),
}


@dataclass(frozen=True)
class Task:
    """One line of a draft's task list: a question, or checking the answers when ``question`` is None.

    ``why_not_needed``: for a question the answers make not needed, the answer that did, citing its paragraph.
    """

    question: QuestionKey | None
    status: TaskStatus
    why_not_needed: Note | None = None
    page: str | None = None


def task_list(answers: Answers) -> list[Task]:
    """The eight questions (3.5.1) with what is left to do on each, then "Check your answers".

    A question is completed once answered, unless a later answer means it must
    be answered again (``questions_to_revisit``); not needed when the answers
    leave it out (``questions_needed``), with the answer that did; to do once
    every question needed before it is answered (``is_reachable``), and until
    then it cannot start yet. The answers are checked, and the decision
    recorded, once every question needed is completed (``is_complete``).
    """
    needed = questions_needed(answers)
    revisit = set(questions_to_revisit(answers))
    cut_short_by = NOT_NEEDED_BECAUSE.get(needed[needed.index(QuestionKey.SHARING) - 1])
    tasks = []
    for question in QuestionKey:
        if question not in needed:
            tasks.append(Task(question, TaskStatus.NOT_NEEDED, why_not_needed=cut_short_by))
        elif _answered(answers, question) and question not in revisit:
            tasks.append(Task(question, TaskStatus.COMPLETED))
        elif _answered(answers, question) or is_reachable(answers, question):
            # A question asked over several pages and begun opens at its first page still to do.
            unanswered = first_page_to_do(answers, question)
            first = next(iter(pages_of(question)), None)
            tasks.append(
                Task(question, TaskStatus.TO_DO, page=unanswered.name if unanswered not in (None, first) else None)
            )
        else:
            tasks.append(Task(question, TaskStatus.CANNOT_START_YET))
    # 3.5.21: the answers are checked, and the decision recorded, once every question it needs is answered.
    tasks.append(Task(None, TaskStatus.TO_DO if is_complete(answers) else TaskStatus.CANNOT_START_YET))
    return tasks


# What the guidance says.


def recommendation(answers: Answers) -> Recommendation:
    """What the guidance points to on the answers given so far."""
    if has_legitimate_purpose(answers) is False:
        return Recommendation.SHOULD_NOT_SHARE  # 3.5.2
    if has_legitimate_purpose(answers) is None:
        return Recommendation.UNDECIDED
    if is_identifiable(answers) is False:
        return Recommendation.MAY_SHARE  # 3.5.5
    if is_confidential(answers) is False:
        return Recommendation.MAY_SHARE  # 3.3.2-3.3.4
    if has_consent(answers):
        return Recommendation.MAY_SHARE  # 3.3.11, within the consent given
    if duty(answers) in (Duty.STATUTORY_DUTY, Duty.COURT_ORDER):
        return Recommendation.MUST_SHARE  # 3.5.10
    if not _answered(answers, QuestionKey.PUBLIC_INTEREST):
        return Recommendation.UNDECIDED
    if concern(answers) in PUBLIC_INTEREST_CONCERNS:
        return Recommendation.MAY_SHARE  # 3.3.7-3.3.8
    return Recommendation.SHOULD_NOT_SHARE  # 3.5.16: confidence not outweighed


def departs_from_guidance(answers: Answers) -> bool:
    """True when the practitioner's decision goes against what the guidance points to.

    The practitioner decides; a departure needs a written reason (3.5.21).
    """
    decided = outcome(answers)
    advised = recommendation(answers)
    if decided is None:
        return False
    if advised == Recommendation.MUST_SHARE:
        return decided == Outcome.DO_NOT_SHARE
    if advised == Recommendation.SHOULD_NOT_SHARE:
        return decided in (Outcome.SHARE, Outcome.SHARE_IN_PART)
    return False


def notes_for(question: QuestionKey, answers: Answers) -> list[Note]:
    """The guidance to show on a question's page, given the answers so far (and kept with its answers)."""
    return [note for note in _NOTES[question](answers) if note is not None]


def notes_for_page(question: QuestionKey, page: str | None, answers: Answers) -> list[Note]:
    """The guidance to show on one page of a question.

    Each page of question 7 shows the notes of the paragraphs it follows.
    Each page of another question shows ``notes_for`` its question, but
    question 1: its last page, its conclusion, shows them all, with what
    follows from the pages before it (3.5.4, and 3.4.1 at the level of
    concern that calls for it); the pages before it show what every answer
    needs: a legitimate purpose (3.5.2) within the agency's functions (3.5.3).
    """
    notes = notes_for(question, answers)
    pages = pages_of(question)
    if question == QuestionKey.SHARING and page is not None:
        # Question 7's pages each show the guidance on what they ask: the paragraphs they follow.
        paragraphs = set(page_named(question, page).paragraphs.replace(" and ", ", ").split(", "))
        return [note for note in notes if note.paragraph in paragraphs]
    if question != QuestionKey.PURPOSE or page == pages[-1].name:
        return notes
    return [note for note in notes if note.paragraph in ("3.5.2", "3.5.3")]


def _purpose_notes(answers: Answers) -> list[Note | None]:
    checklist = answers.get(QuestionKey.PURPOSE) or {}
    return [
        Note("3.5.2", "You must have a good reason, a legitimate purpose, to share information about a child."),
        Note("3.5.3", "The sharing must be within the functions or powers of your agency."),
        Note(
            "3.4.1",
            "Where you have reasonable cause to suspect that a child may be suffering, or at risk of suffering, "
            "significant harm, always share information with the local authority's children's social care.",
        )
        if concern(answers) in PUBLIC_INTEREST_CONCERNS
        else None,
        Note("3.5.4", "Sharing needs a sufficient need to know; without it there is no legitimate purpose.")
        if checklist.get("need_to_know") is False
        else None,
        Note("3.5.4", "A disproportionate request should be narrowed to what the purpose needs.")
        if checklist.get("proportionate") is False
        else None,
        Note(
            "3.5.4",
            "If anonymised information would achieve the purpose, share that instead: it has less impact on "
            "confidentiality.",
        )
        if checklist.get("anonymised_would_do") is True
        else None,
        Note(
            "3.5.4",
            "The recipient may pass the information on (secondary disclosure): agree with them who else will see "
            "it, and record it.",
        )
        if checklist.get("secondary_disclosure") is True
        else None,
    ]


def _identifiable_notes(answers: Answers) -> list[Note | None]:
    return [
        Note(
            "3.5.5",
            "Anonymised information can lawfully be shared as long as the purpose is legitimate. Information that "
            "identifies a child or others is subject to data protection law: follow these questions and, where "
            "appropriate, take legal advice.",
        )
    ]


def _confidential_notes(answers: Answers) -> list[Note | None]:
    return [
        Note(
            "3.3.2",
            "Confidential information is information of some sensitivity, not already lawfully public or readily "
            "available elsewhere, shared in a relationship where the person understood it would not be shared "
            "with others.",
        ),
        Note(
            "3.5.6",
            "Where the person may simply assume confidentiality, check whether the information is confidential "
            "and in what circumstances it may be shared.",
        )
        if _get(answers, QuestionKey.CONFIDENTIAL, "confidentiality") == Confidentiality.ASSUMED
        else None,
    ]


def _consent_notes(answers: Answers) -> list[Note | None]:
    status = consent_status(answers)
    reason = _get(answers, QuestionKey.CONSENT, "not_sought_reason")
    return [
        Note(
            "3.3.11",
            "Consent must be freely given and informed: the person understands why the information is shared, who "
            "will see it, what it will be used for and what follows from sharing it.",
        ),
        Note("3.3.19", "Where a parent's consent is needed, one parent's consent is enough."),
        Note(
            "3.3.19",
            "A child judged competent decides for themself: their consent or refusal is the one that counts, even if "
            "a parent disagrees.",
        ),
        Note(
            "3.4.2",
            "Do not seek consent where doing so would place a child at increased risk of significant harm, place an "
            "adult at risk of serious harm, prejudice the prevention or detection of a serious crime, or lead to "
            "unjustified delay in enquiries about significant harm.",
        ),
        Note(
            "3.3.25",
            "It is good practice to obtain consent before sharing, even when there is no legal requirement. Record "
            "why it was not sought.",
        )
        if status == ConsentStatus.NOT_SOUGHT and reason == NotSoughtReason.OTHER
        else None,
        Note(
            "3.3.12",
            "Verbal consent must be recorded with its details in the case notes; written consent is preferable.",
        )
        if _get(answers, QuestionKey.CONSENT, "form") == "verbal"
        else None,
        Note("3.5.16", "Consent was refused: the public interest test decides whether to share without it.")
        if status == ConsentStatus.REFUSED
        else None,
        Note(
            "3.3.21",
            "The review date of this consent has passed: check with the person that it still stands, and record a "
            "renewal.",
        )
        # Of the record chosen, while one is asked for (a record chosen before the answer changed is not relied on).
        if _consent_sought_and_answered(answers) and _get(answers, QuestionKey.CONSENT, "consent_review_due")
        else None,
        Note(
            "3.3.22",
            "The consent does not cover this purpose: a significant change in use means seeking consent again. "
            "Until then this decision is made as one without consent.",
        )
        if status == ConsentStatus.OBTAINED and _get(answers, QuestionKey.CONSENT, "consent_covers") is False
        else None,
    ]


def _recipient_outside_consent_note(answers: Answers) -> Note | None:
    if not consent_misses_recipient(answers):
        return None
    return Note(
        "3.3.28",
        "The consent relied on does not cover sharing with the kind of agency named at question 7: the person was "
        "not told their information might go there. This decision goes on as one without consent.",
    )


def _statutory_notes(answers: Answers) -> list[Note | None]:
    return [
        _recipient_outside_consent_note(answers),
        Note(
            "3.5.9",
            "Some information must be shared by law, and a court may order information or case files to be brought "
            "before it. Where this applies you will usually know or be told.",
        ),
        Note(
            "3.5.10",
            "Where a statutory duty or court order applies, you must share the information, even if it is "
            "confidential and consent has not been given. Wherever possible, tell the person concerned that it is "
            "being shared, why, and with whom.",
        )
        if duty(answers) in (Duty.STATUTORY_DUTY, Duty.COURT_ORDER)
        else None,
    ]


def _public_interest_notes(answers: Answers) -> list[Note | None]:
    level = concern(answers)
    return [
        _recipient_outside_consent_note(answers),
        Note(
            "3.5.16",
            "Weigh the public interest in maintaining confidence against the public interest in protecting a child "
            "at risk of significant harm or an adult at risk of serious harm.",
        ),
        Note(
            "3.3.8",
            "Sharing confidential information without consent will normally be justified in the public interest "
            "at the level of concern you recorded.",
        )
        if level in PUBLIC_INTEREST_CONCERNS
        else None,
        Note(
            "3.3.8",
            "At a lower level of concern, sharing confidential information without consent will not normally be "
            "justified in the public interest. Consider seeking consent, or advice.",
        )
        if level == Concern.LOWER
        else None,
        Note("3.3.7", "Share only what is proportionate: it may be right to share some information first."),
        Note(
            "3.5.17",
            "Seek advice from a line manager, your safeguarding lead, a Caldicott Guardian or a professional body, "
            "and record what they advised.",
        ),
    ]


def consent_warnings(answers: Answers) -> list[Note]:
    """What a practitioner must see before recording a decision that relies on consent."""
    warnings = []
    if has_consent(answers) and _get(answers, QuestionKey.CONSENT, "consent_review_due"):
        warnings.append(Note("3.3.21", "The consent relied on was due for review: check it still stands."))
    if (
        consent_status(answers) == ConsentStatus.OBTAINED
        and _get(answers, QuestionKey.CONSENT, "consent_covers") is False
    ):
        warnings.append(Note("3.3.22", "The consent does not cover this purpose, so the decision is without consent."))
    if consent_misses_recipient(answers):
        warnings.append(
            Note(
                "3.3.28",
                "The consent does not cover sharing with this kind of agency, so the decision is without consent.",
            )
        )
    return warnings


# Question 7: what is asked depends on the decision and on questions 1 to 6.


def sharing_checks_apply(answers: Answers) -> bool:
    """3.5.20: "If the decision is to share", check the information is shared in the right way.

    Accurate and up to date, securely, whether the recipient passes it on,
    the limits of any consent, and whether the person is told: asked and
    recorded for a decision to share all or some of the information only.
    """
    return outcome(answers) in (Outcome.SHARE, Outcome.SHARE_IN_PART)


def person_told_is_asked(answers: Answers) -> bool:
    """Whether question 7 asks if the person the information is about will be told.

    3.5.5: anonymised information identifies nobody, so there is nobody to
    tell; otherwise 3.5.19, 3.5.20 ask it of every decision to share.
    """
    return sharing_checks_apply(answers) and is_identifiable(answers) is not False


def not_told(answers: Answers) -> bool:
    """The decision is to share without telling the person (3.5.19, 3.7.3)."""
    return person_told_is_asked(answers) and _get(answers, QuestionKey.SHARING, "person_informed") == "not_told"


def reconsider_date_is_valid(reconsider_on: date, today: date) -> bool:
    """3.5.19, 3.7.3: a date to reconsider telling the person is a date still to come."""
    return reconsider_on > today


def reconsider_date(answers: Answers) -> date | None:
    """When a decision to share without telling is to be reconsidered, if it is one."""
    value = _get(answers, QuestionKey.SHARING, "reconsider_on") if not_told(answers) else None
    return date.fromisoformat(value) if value else None


def reconsider_date_has_passed(answers: Answers, today: date) -> bool:
    """A draft's date to reconsider telling the person came before it was recorded: choose another (3.5.19)."""
    when = reconsider_date(answers)
    return when is not None and not reconsider_date_is_valid(when, today)


# Answers to questions that do not apply.

# Question 7's answers that apply only to a decision to share (3.5.20).
SHARING_ONLY = (
    "items", "recipient_name", "recipient_role", "recipient_agency", "recipient_agency_kind", "recipient_need",
    "accuracy_checked", "method", "method_detail", "onward_sharing", "onward_detail", "consent_limits_explained",
    "person_informed", "not_informed_reason", "reconsider_on",
)  # fmt: skip
# Question 7's answers about telling the person the information is about (3.5.19, 3.7.3).
TOLD = "person_informed", "not_informed_reason", "reconsider_on"


def _not_applying(answers: Answers) -> dict[QuestionKey, set[str]]:
    """{question: the answers on its pages that do not apply, given all the answers}: those its pages do not
    ask (``answers_asked_on``), by the same rule that decides whether a page, or an answer on it, is asked."""
    dropped: dict[QuestionKey, set[str]] = {key: set() for key in QuestionKey}
    for question, pages in PAGES.items():
        # A follow-up not asked (Page.asked): nobody identified (3.5.5); consent not sought and answered with a
        # record (3.7.2), not given (3.3.14, 3.3.22), sought (3.4.2) or needed (3.3.2-3.3.4); no duty or order
        # to name (3.5.10); advice sought, or not (3.5.17); question 7's checks of a decision not to share
        # (3.5.20), nobody to tell (3.5.5); no departure from the guidance (3.5.21). An answer a page reveals
        # only under one of its choices (Page.revealed): another reason not to seek consent (3.3.25), who it is
        # passed on to (3.5.20), the limits of a consent covering it (3.3.28), why the person is not told and
        # when that is reconsidered (3.5.19, 3.7.3).
        for page in pages:
            asked = answers_asked_on(answers, question, page.name)
            dropped[question].update(name for name in page.fields if name not in asked)
            if not page_is_asked(answers, page):
                dropped[question].update(page.keeps)
    return dropped


def _holds_an_answer(name: str, value: Any) -> bool:
    # An answer a page emptied itself ("", None, [], or its blank when not asked) is kept as the page wrote it;
    # False is an answer.
    return value not in (None, "", [], {}) and not (name in UNASKED_BLANK and value == UNASKED_BLANK[name])


def answers_that_apply(answers: Answers) -> dict[str, dict[str, Any]]:
    """The answers, without those to questions that do not apply, as a decision is recorded with them.

    A draft keeps every answer given, so that changing an earlier answer and
    changing it back loses nothing; but an answer to a question that the
    other answers no longer ask (a reason for not telling the person once
    they are told, whether a consent covers the purpose once no consent was
    given) would put a contradiction in the record. Left out: each question
    ``questions_needed`` does not ask (3.5.1), and on each question's page
    each answer the page's other answers, or other pages', make not apply
    (``_not_applying``). Dropping an answer can make another not apply (no
    consent, no limits of it to tell), so this repeats until nothing changes.
    """
    kept: dict[str, dict[str, Any]] = {str(key): dict(value) for key, value in answers.items()}
    while True:
        needed = {str(key) for key in questions_needed(kept)}
        dropped = _not_applying(kept)
        trimmed = {
            key: {
                name: value
                for name, value in given.items()
                if not (name in dropped[QuestionKey(key)] and _holds_an_answer(name, value))
            }
            for key, given in kept.items()
            if key in needed
        }
        if trimmed == kept:
            return kept
        kept = trimmed


# After the decision: the consent it relied on (3.3.21-3.3.22).


class ConsentLapse(StrEnum):
    WITHDRAWN = "withdrawn"
    REPLACED = "replaced"
    REVIEW_PASSED = "review_passed"


CONSENT_LAPSE_NOTES = {
    ConsentLapse.WITHDRAWN: Note("3.3.22", "The consent this decision relied on has been withdrawn."),
    ConsentLapse.REPLACED: Note(
        "3.3.22", "The consent this decision relied on has been replaced by a later answer from the person."
    ),
    ConsentLapse.REVIEW_PASSED: Note(
        "3.3.21", "The review date of the consent this decision relied on has passed: it may no longer stand."
    ),
}

# What a practitioner is told when they come to disclose under such a decision.
CONSENT_LAPSE_NEXT_STEP = (
    "Nothing more should be disclosed under this decision: make a new decision, or, if this disclosure goes ahead "
    "on another basis, record why."
)


def consent_lapse(answers: Answers, *, superseded_by: str | None, today: date) -> ConsentLapse | None:
    """Why the consent a recorded decision relied on no longer stands, or None while it does.

    ``superseded_by`` is the response of the record that superseded the consent
    relied on ("withdrawn", or a new answer that replaced it), or None.
    3.3.22: consent can be withdrawn, and a change means asking again; 3.3.21:
    consent is reviewed, and once its review date has passed it may not stand.
    A decision that did not rely on consent has none to lapse.
    """
    if not has_consent(answers):
        return None
    if superseded_by == "withdrawn":
        return ConsentLapse.WITHDRAWN
    if superseded_by is not None:
        return ConsentLapse.REPLACED
    review_on = _get(answers, QuestionKey.CONSENT, "consent_review_on")
    if review_on and date.fromisoformat(review_on) <= today:
        return ConsentLapse.REVIEW_PASSED
    return None


def shares_under_consent(answers: Answers, *, lapse: ConsentLapse | None) -> bool:
    """Whether what is disclosed under the decision goes under consent, whose limits the recipient is told.

    3.5.20: the recipient must understand the limits of any consent; only
    consent that covers this sharing (has_consent) and still stands (3.3.21-
    3.3.22: ``lapse``, from consent_lapse, is None) has limits to tell.
    """
    return has_consent(answers) and lapse is None


def _sharing_notes(answers: Answers) -> list[Note | None]:
    shared_without_consent = _answered(answers, QuestionKey.CONSENT) and not has_consent(answers)
    return [
        Note(
            "3.5.20",
            "Share only what is necessary for the purpose, with the people who need to know; check it is accurate "
            "and up to date; share it securely; ask whether the recipient will pass it on; make sure they "
            "understand the limits of any consent.",
        ),
        Note("3.7.9", "Say whether each item is fact, opinion, hypothesis or a mixture."),
        Note("3.7.8", "Send confidential information only by secure electronic systems, not ordinary internet email."),
        Note(
            "3.5.19",
            "You are sharing without consent: explain this to the child or their parent, unless doing so would put "
            "the child at risk of harm, and record why if you do not.",
        )
        if shared_without_consent
        else None,
        Note(
            "3.3.28",
            "The person was not told their information might be shared with this kind of agency: the consent does "
            "not cover it. Seek consent again, or go on to questions 5 and 6 and decide as without consent.",
        )
        if consent_misses_recipient(answers)
        else None,
    ]


def _decision_notes(answers: Answers) -> list[Note | None]:
    return [
        Note(
            "3.5.21",
            "Record every decision, whether or not to share, and why. If you share, record what was shared and with "
            "whom.",
        ),
        Note(
            "NHS policy",
            "Record why sharing was refused as fully as what was shared and with whom: you may have to justify "
            "your reasons later.",
        ),
        Note(
            "3.5.21",
            "Your decision differs from what the guidance points to on your answers. You may still make it: explain "
            "why in your own words.",
        )
        if departs_from_guidance(answers)
        else None,
    ]


_NOTES = {
    QuestionKey.PURPOSE: _purpose_notes,
    QuestionKey.IDENTIFIABLE: _identifiable_notes,
    QuestionKey.CONFIDENTIAL: _confidential_notes,
    QuestionKey.CONSENT: _consent_notes,
    QuestionKey.STATUTORY: _statutory_notes,
    QuestionKey.PUBLIC_INTEREST: _public_interest_notes,
    QuestionKey.SHARING: _sharing_notes,
    QuestionKey.DECISION: _decision_notes,
}


@dataclass(frozen=True)
class NextStep:
    """What happens after a decision is recorded, citing its paragraph; ``disclosure`` marks the step a link serves."""

    note: Note
    disclosure: bool = False


def next_steps(outcome: Outcome | str, reconsider_on: date | None) -> list[NextStep]:
    """What happens next, shown once right after a decision is recorded.

    3.5.21: a decision to share is recorded with what was shared and with whom;
    3.5.19: the person is told of a share without consent by the date set to
    reconsider it; 3.5.18: the agency's lead for child protection reviews it.
    """
    steps: list[NextStep] = []
    if outcome != Outcome.DO_NOT_SHARE:
        steps.append(
            NextStep(Note("3.5.21", "Once you have shared, record what was disclosed and with whom"), disclosure=True)
        )
        if reconsider_on is not None:
            when = f"{reconsider_on.day} {reconsider_on:%B %Y}"
            steps.append(
                NextStep(
                    Note(
                        "3.5.19",
                        f"The person the information is about has not been told: reconsider telling them by {when}",
                    )
                )
            )
    steps.append(NextStep(Note("3.5.18", "Your safeguarding lead will review the decision")))
    return steps
