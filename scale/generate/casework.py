"""Years of casework about an area's children, planned as stories.

A story is what happens once: a request comes in and is decided, declined or
withdrawn; a practitioner proposes to share; a family gives or refuses
consent. Each story fixes which records it makes, when (whole microseconds)
and by whom. What they say is written later (``answers``), story by story,
so that the plan of a million records stays small.

Every record of a story is after the child was added, and before the start
of today; within a story, causes come before effects (a consent before the
decision relying on it, a decision before its disclosure, a disclosure before
its follow-ups), so the chain, in time order, reads as things happened.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from scale.generate.base import DAY, HOUR, MINUTE, Clock, Weighted, below, between, choice
from scale.generate.plans import People

REQUEST, OUTCOME, DECISION, ADDENDUM, REVIEW = "request", "outcome", "decision", "addendum", "review"
CONSENT, DISCLOSURE, FOLLOW_UP = "consent", "disclosure", "follow_up"
KINDS = (REQUEST, OUTCOME, DECISION, ADDENDUM, REVIEW, CONSENT, DISCLOSURE, FOLLOW_UP)

HIGH_CONCERNS = (
    "evidence_of_significant_harm",
    "reasonable_cause_to_believe",
    "prevent_significant_harm_or_serious_crime",
)
CONCERNS = Weighted({HIGH_CONCERNS[0]: 15, HIGH_CONCERNS[1]: 30, HIGH_CONCERNS[2]: 10, "lower": 45})
STORY_KINDS = Weighted({"request": 50, "proposal": 27, "consent": 23})
REQUEST_FATES = Weighted({"decided": 80, "declined": 14, "withdrawn": 6})
SCENARIOS_HIGH = Weighted(
    {"public_interest": 42, "consent": 18, "refused_high": 10, "statutory": 16, "not_confidential": 14}
)
SCENARIOS_LOWER = Weighted(
    {"consent": 36, "refused_lower": 16, "not_confidential": 14, "anonymised": 10, "no_purpose": 6,
     "not_sought_lower": 14, "departure": 4}
)  # fmt: skip
NEEDS_CONSENT = {"consent": "given", "refused_high": "refused", "refused_lower": "refused"}
SHARING = {"public_interest", "consent", "refused_high", "statutory", "not_confidential", "anonymised", "departure"}
PERSON_INFORMED = {
    "consent": Weighted({"already": 1}),
    "public_interest": Weighted({"not_told": 60, "will_be_told": 40}),
    "refused_high": Weighted({"will_be_told": 50, "not_told": 50}),
    "statutory": Weighted({"will_be_told": 70, "already": 30}),
    "not_confidential": Weighted({"already": 60, "will_be_told": 40}),
    "anonymised": Weighted({"already": 1}),
    "departure": Weighted({"already": 1}),
}
POLICE_CATEGORIES = Weighted(
    {"s47_referral": 30, "risk_management": 15, "assessment_for_s47": 20, "child_in_need": 15,
     "child_protection_plan": 10, "emergency_placement": 2, "none": 8}
)  # fmt: skip
REVIEW_OUTCOMES = Weighted({"agree": 70, "agree_with_comments": 22, "disagree": 8})
# Long enough for a request to be verified, decided on and recorded.
STORY_ROOM = 9 * DAY
RECENT = 45 * DAY


@dataclass(slots=True)
class ConsentPlan:
    at: int  # recorded
    responded: int
    response: str  # given, refused, withdrawn
    by_child: bool
    responder: int | None  # index of the link to the adult who answered
    about_adult: bool
    supersedes: int | None = None  # position of the consent it replaces, in the story
    review_days: int | None = None


@dataclass(slots=True)
class Story:
    index: int
    child: int
    kind: str
    author: int
    seed: int
    concern: str = "lower"
    scenario: str | None = None
    # A request: when it came in, was logged, verified; who asked; what became of it.
    received: int | None = None
    logged: int | None = None
    verified: int | None = None
    requester: int | None = None
    # Whom the decision is about sharing with: the requester, or a professional the practitioner chose.
    recipient: int | None = None
    police_category: str = ""
    requester_known: bool = True
    fate: str | None = None
    outcome_at: int | None = None
    consents: list[ConsentPlan] = field(default_factory=list)
    decided: int | None = None
    recorded: int | None = None
    person_informed: str = ""
    # A disclosure: (disclosed, recorded, informed, reconsider in days); follow-ups: (recorded, informed).
    disclosure: tuple | None = None
    follow_ups: list[tuple] = field(default_factory=list)
    reviews: list[tuple] = field(default_factory=list)  # (recorded, reviewer, outcome)
    addenda: list[tuple] = field(default_factory=list)  # (recorded, author)

    def chained(self) -> list[tuple[int, str, int]]:
        """The story's chained records in causal order: (recorded, kind, position among its kind)."""
        steps = [(consent.at, CONSENT, n) for n, consent in enumerate(self.consents) if consent.supersedes is None]
        if self.decided is not None:
            steps.append((self.recorded, DECISION, 0))
        if self.outcome_at is not None:
            steps.append((self.outcome_at, OUTCOME, 0))
        if self.disclosure is not None:
            steps.append((self.disclosure[1], DISCLOSURE, 0))
        steps += [(follow_up[0], FOLLOW_UP, n) for n, follow_up in enumerate(self.follow_ups)]
        steps += [(review[0], REVIEW, n) for n, review in enumerate(self.reviews)]
        steps += [(addendum[0], ADDENDUM, n) for n, addendum in enumerate(self.addenda)]
        steps += [(consent.at, CONSENT, n) for n, consent in enumerate(self.consents) if consent.supersedes is not None]
        return steps

    @property
    def size(self) -> int:
        """How many records: the chained ones, and the request."""
        return len(self.chained()) + (1 if self.received is not None else 0)


class Casework:
    """Plans stories for the area's children until there are exactly the number of records asked for."""

    def __init__(self, people: People, clock: Clock, rng: random.Random):
        self.people, self.clock, self.rng = people, clock, rng
        self.stories: list[Story] = []
        self.agency_staff = [
            (Weighted([(i, people.staff[i].activity) for i in agency.practitioners]), agency.leads)
            for agency in people.agencies
        ]
        self.contacts_by_agency = {}

    # Who

    def author(self, agency: int) -> int:
        practitioners, leads = self.agency_staff[agency]
        return choice(self.rng, leads) if self.rng.random() < 0.12 else practitioners.pick(self.rng)

    def contact(self, agency: int) -> int:
        contacts = self.people.contacts
        while True:
            index = below(self.rng, len(contacts))
            if contacts[index].agency_index != agency:
                return index

    def responder(self, child_index: int, on: int) -> tuple[bool, int | None] | None:
        """Who answers for the child's information: the child from 12 (3.3.16), else a person with parental
        responsibility, the one the child lives with first (3.3.19). None when nobody can."""
        child = self.people.children[child_index]
        age = child.age_on(self.clock.local_date(on))
        if age is not None and age >= 12:
            return True, None
        holders = [i for i in child.links if self.people.links[i].parental_responsibility == "yes"]
        if not holders:
            return None
        resident = [i for i in holders if self.people.links[i].lives_with_child]
        return False, choice(self.rng, resident or holders)

    # Stories

    def story(self, child_index: int, *, size_limit: int) -> Story | None:
        """A story about the child no bigger than ``size_limit`` records, or None if none fits."""
        rng = self.rng
        kind = STORY_KINDS.pick(rng)
        made = None
        if kind == "request":
            made = self.request_story(child_index)
        elif kind == "proposal":
            made = self.proposal_story(child_index)
        if made is None or made.size > size_limit:
            made = self.consent_story(child_index, single=size_limit < 2)
        if made is None or made.size > size_limit:
            made = self.open_request(child_index)
        return made

    def _new(self, child_index: int, kind: str) -> Story:
        agency = self.people.children[child_index].agency
        return Story(len(self.stories), child_index, kind, self.author(agency), self.rng.getrandbits(64))

    def _start(self, child_index: int, room: int) -> int | None:
        low = self.people.children[child_index].created_at + HOUR
        high = self.clock.end - room
        return None if high <= low else between(self.rng, low, high)

    def request_story(self, child_index: int) -> Story | None:
        start = self._start(child_index, STORY_ROOM)
        if start is None:
            return None
        rng, clock = self.rng, self.clock
        agency = self.people.children[child_index].agency
        story = self._new(child_index, "request")
        story.received = clock.typed(start, rng)
        story.logged = story.received + between(rng, 2 * MINUTE, 90 * MINUTE)
        story.requester = story.recipient = self.contact(agency)
        story.concern = CONCERNS.pick(rng)
        if self.people.agencies[agency].kind == "police":
            story.police_category = POLICE_CATEGORIES.pick(rng)
        known = rng.random() < 0.55
        if not known and rng.random() < 0.85:
            story.verified = story.logged + between(rng, 20 * MINUTE, 20 * HOUR)
        story.requester_known = known
        fate = "declined" if story.police_category == "none" else REQUEST_FATES.pick(rng)
        if clock.end - story.received < RECENT and rng.random() < 0.35:
            fate = "open"
        story.fate = fate
        if fate in ("declined", "withdrawn"):
            story.outcome_at = clock.saved(max(story.logged, story.verified or 0) + between(rng, HOUR, 10 * DAY), rng)
            if story.outcome_at >= clock.end:
                story.fate, story.outcome_at = "open", None
        elif fate == "decided":
            self.decide(story, after=max(story.logged, story.verified or 0))
            story.outcome_at = story.recorded + between(rng, 20_000, 400_000)
        return story

    def open_request(self, child_index: int) -> Story | None:
        """A request still open: received lately, nothing decided yet."""
        child = self.people.children[child_index]
        low = max(child.created_at + HOUR, self.clock.end - RECENT)
        if low >= self.clock.end - DAY:
            return None
        story = self._new(child_index, "request")
        story.received = self.clock.typed(between(self.rng, low, self.clock.end - DAY), self.rng)
        story.logged = story.received + between(self.rng, 2 * MINUTE, 90 * MINUTE)
        story.requester = self.contact(child.agency)
        story.concern = CONCERNS.pick(self.rng)
        story.requester_known = True
        if self.people.agencies[child.agency].kind == "police":
            story.police_category = "s47_referral"
        story.fate = "open"
        return story

    def proposal_story(self, child_index: int) -> Story | None:
        start = self._start(child_index, STORY_ROOM)
        if start is None:
            return None
        story = self._new(child_index, "proposal")
        story.recipient = self.contact(self.people.children[child_index].agency)
        story.concern = CONCERNS.pick(self.rng)
        self.decide(story, after=start)
        return story

    def decide(self, story: Story, *, after: int) -> None:
        """A decision, with the consent it relies on, and what followed it."""
        rng, clock = self.rng, self.clock
        scenarios = SCENARIOS_HIGH if story.concern in HIGH_CONCERNS else SCENARIOS_LOWER
        scenario = scenarios.pick(rng)
        if scenario == "no_purpose" and story.kind != "request":
            scenario = "not_sought_lower"
        child = self.people.children[story.child]
        age = child.age_on(clock.local_date(after))
        if scenario == "departure" and (age is None or age < 12):
            scenario = "not_confidential"
        if scenario in NEEDS_CONSENT:
            answering = self.responder(story.child, after)
            if answering is None:
                scenario = "public_interest" if story.concern in HIGH_CONCERNS else "not_confidential"
            else:
                at = after + between(rng, 2 * HOUR, 2 * DAY)
                story.consents.append(
                    ConsentPlan(
                        at=clock.saved(at, rng),
                        responded=at,
                        response=NEEDS_CONSENT[scenario],
                        by_child=answering[0],
                        responder=answering[1],
                        about_adult=False,
                        review_days=randint_days(rng, 180, 365) if scenario == "consent" else None,
                    )
                )
                after = story.consents[-1].at + 30 * MINUTE
        story.scenario = scenario
        story.decided = clock.typed(after + between(rng, HOUR, 4 * DAY), rng)
        story.recorded = story.decided + between(rng, 5 * MINUTE, 36 * HOUR)
        if scenario in SHARING:
            story.person_informed = PERSON_INFORMED[scenario].pick(rng)
            if rng.random() < 0.88:
                self.disclose(story)
        self.oversee(story)

    def disclose(self, story: Story) -> None:
        rng, clock = self.rng, self.clock
        disclosed = clock.typed(story.decided + between(rng, 10 * MINUTE, 3 * DAY), rng)
        recorded = clock.saved(max(disclosed, story.recorded) + between(rng, 5 * MINUTE, 20 * HOUR), rng)
        if recorded >= clock.end:
            return
        told = story.person_informed == "already" or (story.person_informed == "will_be_told" and rng.random() < 0.5)
        reconsider = None if told else randint_days(rng, 7, 30 if story.person_informed == "will_be_told" else 90)
        story.disclosure = (disclosed, recorded, told, reconsider)
        if told or rng.random() >= 0.7:
            return
        when = recorded
        for attempt in range(2):
            when = max(when + DAY, clock.midnight(clock.local_date(disclosed)) + (reconsider + attempt * 45) * DAY)
            when = clock.saved(when + between(rng, 0, 5 * DAY), rng)
            if when >= clock.end:
                return
            informed = attempt == 1 or rng.random() < 0.7
            story.follow_ups.append((when, informed))
            if informed or rng.random() >= 0.5:
                return

    def oversee(self, story: Story) -> None:
        """Reviews by the agency's leads (never of their own decisions), and addenda."""
        rng, clock = self.rng, self.clock
        agency = self.people.children[story.child].agency
        leads = [lead for lead in self.agency_staff[agency][1] if lead != story.author]
        without_consent = story.scenario in ("public_interest", "refused_high", "departure")
        chance = 0.75 if without_consent else 0.4
        for _ in range(2):
            if not leads or rng.random() >= chance:
                break
            at = clock.saved(story.recorded + between(rng, HOUR, 30 * DAY), rng)
            if at < clock.end:
                story.reviews.append((max(at, story.recorded + MINUTE), choice(rng, leads), REVIEW_OUTCOMES.pick(rng)))
            chance = 0.05
        if rng.random() < 0.07:
            at = clock.saved(story.recorded + between(rng, DAY, 60 * DAY), rng)
            author = story.author if rng.random() < 0.8 or not leads else choice(rng, leads)
            if at < clock.end:
                story.addenda.append((at, author))

    def consent_story(self, child_index: int, *, single: bool) -> Story | None:
        """A consent given or refused; later, perhaps, withdrawn or renewed."""
        rng, clock = self.rng, self.clock
        start = self._start(child_index, DAY)
        if start is None:
            return None
        answering = self.responder(child_index, start)
        if answering is None:
            return None
        story = self._new(child_index, "consent")
        by_child, responder = answering
        about_adult = not by_child and rng.random() < 0.1
        given = rng.random() < 0.8
        first = ConsentPlan(
            at=clock.saved(start, rng),
            responded=start - between(rng, 0, 2 * DAY),
            response="given" if given else "refused",
            by_child=by_child,
            responder=responder,
            about_adult=about_adult,
            review_days=randint_days(rng, 180, 365) if given else None,
        )
        first.responded = max(first.responded, self.people.children[child_index].created_at)
        story.consents.append(first)
        if single or not given:
            return story
        later = {"by_child": by_child, "responder": responder, "about_adult": about_adult, "supersedes": 0}
        roll = rng.random()
        if roll < 0.12:
            at = first.at + between(rng, 10 * DAY, 200 * DAY)
            if at < clock.end - DAY:
                story.consents.append(ConsentPlan(clock.saved(at, rng), at, "withdrawn", **later))
        elif roll < 0.27:
            review = clock.midnight(clock.local_date(first.responded)) + first.review_days * DAY
            at = review + between(rng, 8 * HOUR, 20 * DAY)
            if at < clock.end - DAY:
                renewal = ConsentPlan(
                    clock.saved(at, rng), at, "given", **later, review_days=randint_days(rng, 180, 365)
                )
                story.consents.append(renewal)
        return story

    def plan(self, *, records: int, chronology_entries: int) -> list[Story]:
        """Stories adding up to exactly ``records`` records, ``chronology_entries`` of them about the
        designated child."""
        people, rng = self.people, self.rng
        if chronology_entries > records:
            raise ValueError("the designated child's chronology cannot have more entries than there are records")
        self._fill(chronology_entries, lambda: people.chronology_child)
        others = [i for i in range(len(people.children)) if i != people.chronology_child]
        if not others and records > chronology_entries:
            raise ValueError("at least two children are needed")
        if others:
            children = Weighted([(i, people.children[i].activity) for i in others])
            self._fill(records - chronology_entries, lambda: children.pick(rng))
        return self.stories

    def _fill(self, count: int, pick) -> None:
        remaining, failures = count, 0
        while remaining > 0:
            made = self.story(pick(), size_limit=remaining)
            if made is None:
                failures += 1
                if failures > 10_000:
                    raise ValueError("the children are too recent to hold this many records: ask for fewer")
                continue
            self.stories.append(made)
            remaining -= made.size


def randint_days(rng: random.Random, low: int, high: int) -> int:
    return low + below(rng, high - low + 1)
