"""Shared helpers of the plan: seeded choices, time in microseconds, identifiers."""

from __future__ import annotations

import bisect
import itertools
import math
import random
import uuid
from datetime import UTC, date, datetime, timedelta, tzinfo

from records import identity
from scale.generate import names

YEARS = 8
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
# Times in the plan are whole microseconds since the epoch: exact, unlike floats.
SECOND = 1_000_000
MINUTE = 60 * SECOND
HOUR = 60 * MINUTE
DAY = 24 * HOUR
YEAR_DAYS = 365
POSTCODE_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"


class Weighted:
    """Pick from weighted choices in O(log n), from a seeded generator."""

    __slots__ = ("cumulative", "items", "total")

    def __init__(self, weights):
        pairs = list(weights.items()) if isinstance(weights, dict) else list(weights)
        self.items = [item for item, _ in pairs]
        self.cumulative = list(itertools.accumulate(weight for _, weight in pairs))
        self.total = self.cumulative[-1]

    def pick(self, rng: random.Random):
        return self.items[bisect.bisect(self.cumulative, rng.random() * self.total)]


GIRLS, BOYS = Weighted(names.GIRLS), Weighted(names.BOYS)
WOMEN, MEN = Weighted(names.WOMEN), Weighted(names.MEN)
OLDER_WOMEN, OLDER_MEN = Weighted(names.OLDER_WOMEN), Weighted(names.OLDER_MEN)
FAMILY_NAMES = Weighted(names.FAMILY_NAMES)


def new_uuid(rng: random.Random) -> str:
    """A random (version 4) UUID, as text: it is written and hashed as text many times, and made once."""
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def instant(micros: int) -> datetime:
    """An aware UTC datetime."""
    return EPOCH + timedelta(microseconds=micros)


def micros_of(moment: datetime) -> int:
    span = moment - EPOCH
    return (span.days * 86_400 + span.seconds) * SECOND + span.microseconds


# random's randint, randrange and choice, without their overhead (they are
# most of the time spent planning): uniform enough for a data set.


def below(rng: random.Random, limit: int) -> int:
    """A whole number in [0, limit)."""
    return int(rng.random() * limit)


def randint(rng: random.Random, low: int, high: int) -> int:
    return low + int(rng.random() * (high - low + 1))


def randrange(rng: random.Random, low: int, high: int | None = None) -> int:
    if high is None:
        low, high = 0, low
    return low + int(rng.random() * (high - low))


def choice(rng: random.Random, items):
    return items[int(rng.random() * len(items))]


class Clock:
    """The span the data covers: ``YEARS`` years up to the start of ``today``, local time."""

    def __init__(self, today: date, zone: tzinfo):
        self.today, self.zone = today, zone
        self.end = micros_of(datetime(today.year, today.month, today.day, tzinfo=zone))
        self.start = self.end - YEARS * YEAR_DAYS * DAY

    def local(self, micros: int) -> datetime:
        return instant(micros).astimezone(self.zone)

    def local_date(self, micros: int) -> date:
        return self.local(micros).date()

    def midnight(self, day: date) -> int:
        return micros_of(datetime(day.year, day.month, day.day, tzinfo=self.zone))

    def working(self, micros: int, rng: random.Random) -> int:
        """The first moment from ``micros`` in working hours (8:00 to 18:00), with the seconds of a real save."""
        moment = self.local(micros)
        if 8 <= moment.hour < 18:
            return micros
        day = moment.date() if moment.hour < 8 else moment.date() + timedelta(days=1)
        return self.midnight(day) + 8 * HOUR + below(rng, 2 * HOUR)

    def typed(self, micros: int, rng: random.Random) -> int:
        """A date and time as a practitioner types it (on the minute), not before ``micros``."""
        working = self.working(micros, rng)
        return -(-working // MINUTE) * MINUTE

    def saved(self, micros: int, rng: random.Random) -> int:
        """When something typed at about ``micros`` was saved: the seconds and microseconds of a real save."""
        return self.working(micros, rng) + below(rng, MINUTE)


def between(rng: random.Random, low: int, high: int) -> int:
    return low + below(rng, max(1, high - low))


def slug(text: str) -> str:
    return "".join(ch if ch.isalnum() else "-" for ch in text.lower()).strip("-")


def email_local(given: str, family: str) -> str:
    return f"{slug(given)}.{slug(family)}".replace("-", "")


def postcode(code: str, rng: random.Random) -> str:
    letters = "".join(choice(rng, POSTCODE_LETTERS) for _ in range(2))
    return f"{code}{randint(rng, 1, 12)} {randint(rng, 1, 9)}{letters}"


def street_address(area: str, rng: random.Random) -> str:
    line = choice(rng, names.FLATS).format(
        n=randint(rng, 1, 24), house=randint(rng, 1, 180), street=choice(rng, names.STREETS)
    )
    return f"{line}\n{area}"


def phone(rng: random.Random, *, mobile: bool) -> str:
    # Ofcom's ranges for drama: numbers that belong to nobody.
    return f"07700 900 {randint(rng, 0, 999):03d}" if mobile else f"01632 960 {randint(rng, 0, 999):03d}"


def nhs_numbers(rng: random.Random):
    """Valid, distinct NHS numbers from the 999 range the NHS keeps for test data: never a real person's."""
    used: set[str] = set()
    while True:
        first_nine = f"999{randint(rng, 0, 999_999):06d}"
        check = identity.nhs_number_check_digit(first_nine)
        if check is None or f"{first_nine}{check}" in used:
            continue
        used.add(f"{first_nine}{check}")
        yield f"{first_nine}{check}"


def split(total: int, shares: list[float]) -> list[int]:
    """Whole numbers in proportion to the shares, adding up to ``total`` (largest remainder)."""
    exact = [total * share / sum(shares) for share in shares]
    counts = [math.floor(value) for value in exact]
    order = sorted(range(len(shares)), key=lambda i: exact[i] - counts[i], reverse=True)
    for i in order[: total - sum(counts)]:
        counts[i] += 1
    return counts


def years_before(day: date, rng: random.Random, low: int, high: int) -> date:
    return day - timedelta(days=randint(rng, low * YEAR_DAYS, high * YEAR_DAYS))
