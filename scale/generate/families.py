"""Families of an area: children, and the adults connected to them, in the many shapes families take."""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass
from datetime import date, timedelta

from scale.generate.base import (
    BOYS,
    DAY,
    FAMILY_NAMES,
    GIRLS,
    MEN,
    MINUTE,
    OLDER_MEN,
    OLDER_WOMEN,
    WOMEN,
    YEAR_DAYS,
    Clock,
    Weighted,
    choice,
    email_local,
    new_uuid,
    nhs_numbers,
    phone,
    postcode,
    randint,
    randrange,
    street_address,
    years_before,
)
from scale.generate.plans import CHILDRENS_SOCIAL_CARE, AdultPlan, AgencyPlan, ChildPlan, LinkPlan

SEXES = Weighted({"female": 49, "male": 49, "not_specified": 1, "not_known": 1})
FAMILY_SIZES = Weighted({1: 45, 2: 30, 3: 15, 4: 7, 5: 3})
FATHER_RESPONSIBILITY = Weighted({"yes": 85, "not_known": 10, "no": 5})
EXTRA_ADULTS = Weighted({None: 82, "grandparent": 8, "step_parent": 4, "other_relative": 4, "other": 2})
GENDER_IDENTITIES = ["Non-binary", "Trans boy", "Trans girl"]
OTHER_RELATIONSHIPS = ["Family friend", "Neighbour who provides childcare"]


@dataclass(slots=True)
class _Member:
    """An adult of a family before they are linked to each child."""

    adult: int
    relationship: str
    responsibility: str
    lives_with_child: bool
    other: str = ""


class Families:
    """Families of an area: children, and the adults connected to them."""

    def __init__(self, *, area: str, code: str, agencies: list[AgencyPlan], clock: Clock, rng: random.Random):
        self.area, self.code, self.agencies, self.clock, self.rng = area, code, agencies, clock, rng
        self.children: list[ChildPlan] = []
        self.adults: list[AdultPlan] = []
        self.links: list[LinkPlan] = []
        self.references = [itertools.count(1) for _ in agencies]
        self.nhs = nhs_numbers(rng)
        self.chronology_child: int | None = None

    def fill(self, agency: int, count: int) -> None:
        made = 0
        while made < count:
            # The first family of children's services is the one with the long, exact chronology.
            designated = self.chronology_child is None and self.agencies[agency].kind == CHILDRENS_SOCIAL_CARE
            size = min(count - made, 2 if designated else FAMILY_SIZES.pick(self.rng))
            self.family(agency, size, designated=designated)
            made += size

    def family(self, agency: int, size: int, *, designated: bool) -> None:
        rng, clock = self.rng, self.clock
        home = (street_address(self.area, rng), postcode(self.code, rng))
        surname = FAMILY_NAMES.pick(rng)
        added_by = choice(rng, self.agencies[agency].practitioners)
        referred = clock.start + (10 * DAY if designated else randrange(rng, clock.end - clock.start - DAY))
        oldest = randint(rng, 11 * YEAR_DAYS, 13 * YEAR_DAYS) if designated else randint(rng, 0, 18 * YEAR_DAYS - 2)
        ages = [oldest]
        for _ in range(size - 1):
            ages.append(max(randint(rng, 20, 300), ages[-1] - randint(rng, YEAR_DAYS, 5 * YEAR_DAYS)))
        unborn_last = not designated and rng.random() < 0.015
        first = len(self.children)
        for position, age_days in enumerate(ages):
            unborn = unborn_last and position == size - 1
            self.children.append(self.child(agency, surname, home, added_by, referred, age_days, designated, unborn))
        kids = list(range(first, len(self.children)))
        if designated:
            self.chronology_child = first
        else:
            self.maybe_move(kids)
        self.connect(kids, self.members(agency, kids, surname, home, added_by, designated), added_by)

    def child(self, agency, surname, home, added_by, referred, age_days, designated, unborn) -> ChildPlan:
        rng, clock, today = self.rng, self.clock, self.clock.today
        sex = "not_known" if unborn else SEXES.pick(rng)
        girl = sex == "female" or (sex != "male" and rng.random() < 0.5)
        if unborn:
            born, due = None, today + timedelta(days=randint(rng, 14, 200))
            known_from = clock.end - randint(rng, 10, 150) * DAY
        else:
            born, due = today - timedelta(days=age_days), None
            known_from = clock.midnight(born) + DAY
        given = "" if unborn else (GIRLS if girl else BOYS).pick(rng)
        plan = self.agencies[agency]
        reference = next(self.references[agency]) if rng.random() < 0.92 else None
        teenager = not unborn and age_days >= 12 * YEAR_DAYS
        created = min(max(referred, known_from, clock.start) + randint(rng, 0, 30) * DAY, clock.end - DAY)
        return ChildPlan(
            id=new_uuid(rng),
            agency=agency,
            given_name=given,
            family_name=surname if designated or rng.random() > 0.08 else FAMILY_NAMES.pick(rng),
            other_names=f"{given} {FAMILY_NAMES.pick(rng)}" if given and rng.random() < 0.03 else "",
            date_of_birth=born,
            expected_date_of_birth=due,
            sex=sex,
            gender_identity=choice(rng, GENDER_IDENTITIES) if teenager and rng.random() < 0.005 else "",
            nhs_number=next(self.nhs) if not unborn and rng.random() < 0.96 else "",
            local_reference=f"{plan.prefix}-{reference:06d}" if reference else "",
            address=home[0],
            postcode=home[1],
            created_at=clock.saved(created, rng),
            created_by=added_by,
            activity=rng.lognormvariate(0, 1.0) * (1.6 if plan.kind == CHILDRENS_SOCIAL_CARE else 1.0),
        )

    def maybe_move(self, kids: list[int]) -> None:
        """Some families move house: a later change to each child's record."""
        rng, clock = self.rng, self.clock
        earliest = max(self.children[i].created_at for i in kids) + 30 * DAY
        if rng.random() >= 0.08 or earliest >= clock.end - DAY:
            return
        when = clock.saved(randrange(rng, earliest, clock.end - DAY), rng)
        new_home = (street_address(self.area, rng), postcode(self.code, rng))
        for offset, i in enumerate(kids):
            self.children[i].moved = (when + offset, *new_home)

    def adult(self, agency: int, given: str, family: str, born: date, home: tuple, created: int, added_by: int):
        rng = self.rng
        self.adults.append(
            AdultPlan(
                id=new_uuid(rng),
                agency=agency,
                given_name=given,
                family_name=family,
                date_of_birth=born if rng.random() < 0.85 else None,
                address=home[0],
                postcode=home[1],
                phone=phone(rng, mobile=True) if rng.random() < 0.7 else "",
                email=f"{email_local(given, family)}{randint(rng, 1, 99)}@example.com" if rng.random() < 0.35 else "",
                created_at=created,
                created_by=added_by,
            )
        )
        return len(self.adults) - 1

    def elsewhere(self) -> tuple[str, str]:
        rng = self.rng
        return (street_address(self.area, rng), postcode(self.code, rng)) if rng.random() < 0.8 else ("", "")

    def members(self, agency, kids, surname, home, added_by, designated) -> list[_Member]:
        """Mother, father, a partner, carers and relatives, as families are: many shapes."""
        rng, today = self.rng, self.clock.today
        oldest = self.children[kids[0]]
        anchor = oldest.date_of_birth or oldest.expected_date_of_birth
        created = min(self.children[i].created_at for i in kids) + randint(rng, 1, 20) * MINUTE

        def add(given: str, family: str, born: date, lives: bool) -> int:
            return self.adult(agency, given, family, born, home if lives else self.elsewhere(), created, added_by)

        members: list[_Member] = []
        looked_after = not designated and rng.random() < 0.05
        mother_lives = not looked_after and (designated or rng.random() < 0.95)
        mother_born = years_before(anchor, rng, 19, 38)
        if designated or rng.random() < 0.93:
            family = surname if designated or rng.random() < 0.8 else FAMILY_NAMES.pick(rng)
            members.append(
                _Member(add(WOMEN.pick(rng), family, mother_born, mother_lives), "mother", "yes", mother_lives)
            )
        father_lives = False
        if designated or rng.random() < 0.62:
            father_lives = not designated and not looked_after and rng.random() < 0.5
            responsibility = "yes" if designated else FATHER_RESPONSIBILITY.pick(rng)
            family = surname if designated or rng.random() < 0.75 else FAMILY_NAMES.pick(rng)
            father = add(MEN.pick(rng), family, years_before(mother_born, rng, 0, 6), father_lives)
            members.append(_Member(father, "father", responsibility, father_lives))
        if mother_lives and not father_lives and (designated or rng.random() < 0.14):
            partner = add(MEN.pick(rng), FAMILY_NAMES.pick(rng), years_before(mother_born, rng, -4, 8), True)
            members.append(_Member(partner, "parents_partner", "no", True))
        if looked_after:
            relationship = "special_guardian" if rng.random() < 0.4 else "foster_carer"
            carer = add(WOMEN.pick(rng), FAMILY_NAMES.pick(rng), years_before(today, rng, 35, 65), True)
            members.append(_Member(carer, relationship, "yes" if relationship == "special_guardian" else "no", True))
        extra = None if designated else EXTRA_ADULTS.pick(rng)
        if extra is None and not members:
            extra = "grandparent"  # someone looks after the child
        if extra is not None:
            members.append(self.relative(extra, surname, add, sole=not members))
        return members

    def relative(self, relationship: str, surname: str, add, *, sole: bool) -> _Member:
        rng, today = self.rng, self.clock.today
        woman = rng.random() < 0.7
        if relationship == "grandparent":
            given, family = (OLDER_WOMEN if woman else OLDER_MEN).pick(rng), surname
            born = years_before(today, rng, 38, 60)
        else:
            given, family = (WOMEN if woman else MEN).pick(rng), FAMILY_NAMES.pick(rng)
            born = years_before(today, rng, 20, 50)
        lives = sole or relationship == "step_parent" or rng.random() < 0.2
        responsibility = "yes" if sole or (relationship == "step_parent" and rng.random() < 0.2) else "no"
        other = choice(rng, OTHER_RELATIONSHIPS) if relationship == "other" else ""
        return _Member(add(given, family, born, lives), relationship, responsibility, lives, other)

    def connect(self, kids: list[int], members: list[_Member], added_by: int) -> None:
        for child_index in kids:
            child = self.children[child_index]
            for member in members:
                created = max(child.created_at, self.adults[member.adult].created_at) + randint(self.rng, 1, 9_999)
                self.links.append(
                    LinkPlan(
                        child_index,
                        member.adult,
                        member.relationship,
                        member.other,
                        member.responsibility,
                        member.lives_with_child,
                        created,
                        added_by,
                    )
                )
                child.links.append(len(self.links) - 1)
