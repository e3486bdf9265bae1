"""What a story's records say, as plain values: the containers ``Recording`` fills, the ids drawn for them,
and question 4's label of a consent as ``sharing.forms.consent_label`` wrote it on the day."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date

from scale.generate.base import new_uuid
from scale.generate.casework import Story
from sharing import guidance


@dataclass
class Labels:
    """Display labels of the models' choices, passed in so that the plan needs no Django."""

    roles: dict[str, str]
    relationships: dict[str, str]
    responsibility: dict[str, str]
    offered_bases: list[str]
    guidance_version: str = guidance.GUIDANCE_VERSION


@dataclass
class Written:
    """A story's records: each a dict of field values."""

    ids: StoryIds
    request: dict | None = None
    request_adults: list = field(default_factory=list)
    draft: dict | None = None
    draft_adults: list = field(default_factory=list)
    decision: dict | None = None
    answers: dict | None = None
    outcome: dict | None = None
    disclosure: dict | None = None
    follow_ups: list[dict] = field(default_factory=list)
    reviews: list[dict] = field(default_factory=list)
    addenda: list[dict] = field(default_factory=list)
    consents: list[dict] = field(default_factory=list)


@dataclass
class StoryIds:
    """Every id a story's records get, drawn first from the story's own generator, so that the access log
    can name them from the plan alone."""

    request: str
    draft: str
    decision: str
    outcome: str
    disclosure: str
    consents: list[str]
    follow_ups: list[str]
    reviews: list[str]
    addenda: list[str]


def story_ids(story: Story, rng: random.Random | None = None) -> StoryIds:
    rng = rng or random.Random(story.seed)  # noqa: S311 (reproducible test data, not a secret)
    return StoryIds(
        *(new_uuid(rng) for _ in range(5)),
        consents=[new_uuid(rng) for _ in story.consents],
        follow_ups=[new_uuid(rng) for _ in story.follow_ups],
        reviews=[new_uuid(rng) for _ in story.reviews],
        addenda=[new_uuid(rng) for _ in story.addenda],
    )


def consent_label(record: dict, about_name: str, today: date) -> str:
    """``sharing.forms.consent_label``, as it read on ``today``."""
    label = f"{record['response'].title()} by {record['responder_name']} ({record['responder_relationship'].lower()})"
    label += f" on {record['responded_on']:%-d %B %Y}, about {about_name}"
    if record["review_on"]:
        due = record["review_on"] <= today
        label += f"; review {'was due' if due else 'by'} {record['review_on']:%-d %B %Y}"
    return label
