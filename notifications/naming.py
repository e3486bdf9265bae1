"""What each notification is about, named for its list inside the service (issue 17, point 8; ADR 24).

A notification holds only the kind of thing waiting and what it is about (``decision:<id>``,
``consent:<id>:<date>``), so that its email carries no personal data. The list inside the service, behind
sign-in and logged as a look at case records, names the record: "A decision to review: decision about Mia
Turner". The records live in the apps above this one, so each app names its own, as the overdue checks do::

    @naming.names("consent", lambda pk, detail, person: f"consent by {detail} about {person}")
    def consents(*, agency_id: int, ids: list[uuid.UUID]) -> QuerySet: ...

found in each installed app's ``notified`` module. A namer's query gives, for the records of the reader's
agency only, four columns: the record's id, the child's id, the adult's id (either may be empty) and a detail
of the record's own (who it was disclosed to, who answered). The queries of every kind on a page are sent as
one (a UNION), then the people's names are read in one query each for children and adults: however many rows
and kinds, a page reads two or three queries more.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.module_loading import autodiscover_modules

from records.models import Adult, Child

Rows = Callable[..., QuerySet]  # (agency_id=, ids=) -> values_list(record id, child id, adult id, detail)
Wording = Callable[[uuid.UUID, str, str], str]  # (record id, detail, person's name) -> the record's name


@dataclass(frozen=True)
class Namer:
    rows: Rows
    wording: Wording


_namers: dict[str, Namer] = {}


def names(kind: str, wording: Wording) -> Callable[[Rows], Rows]:
    """Declare how the records an ``about`` of ``kind`` ("decision", "request") points at are read and named."""

    def register(rows: Rows) -> Rows:
        _namers[kind] = Namer(rows=rows, wording=wording)
        return rows

    return register


def namers() -> dict[str, Namer]:
    autodiscover_modules("notified")
    return dict(_namers)


def _record_of(about: str) -> tuple[str, uuid.UUID] | None:
    kind, _, rest = about.partition(":")
    try:
        return kind, uuid.UUID(rest.partition(":")[0])
    except ValueError:
        return None


def names_of(*, agency_id: int | None, abouts: Iterable[str]) -> dict[str, str]:
    """What each ``about`` is, as the list names it; one not named (another agency's, gone, or of a kind no app
    names) is left out, and its row says only the kind of thing waiting."""
    if agency_id is None:
        return {}
    wanted: dict[str, dict[uuid.UUID, list[str]]] = {}
    for about in abouts:
        found = _record_of(about)
        if found is not None:
            wanted.setdefault(found[0], {}).setdefault(found[1], []).append(about)
    known = namers()
    kinds = [kind for kind in wanted if kind in known]
    if not kinds:
        return {}
    # Each kind's rows, tagged with the kind: one query for all of them.
    # Without their models' default order, which a UNION cannot take.
    queries = [known[kind].rows(agency_id=agency_id, ids=list(wanted[kind])).order_by() for kind in kinds]
    rows = list(queries[0].union(*queries[1:], all=True).order_by()) if len(queries) > 1 else list(queries[0])
    found_in = {pk: kind for kind in kinds for pk in wanted[kind]}
    children = _names(Child, {child_id for _pk, child_id, _adult_id, _detail in rows if child_id})
    adults = _names(Adult, {adult_id for _pk, _child_id, adult_id, _detail in rows if adult_id})
    named: dict[str, str] = {}
    for pk, child_id, adult_id, detail in rows:
        kind = found_in.get(_as_uuid(pk))
        person = children.get(_as_uuid(child_id)) or adults.get(_as_uuid(adult_id)) or ""
        if kind is None or not person:
            continue
        for about in wanted[kind][_as_uuid(pk)]:
            named[about] = known[kind].wording(_as_uuid(pk), detail or "", person)
    return named


def _as_uuid(value) -> uuid.UUID | None:
    if value is None or isinstance(value, uuid.UUID):
        return value
    return uuid.UUID(str(value))


def _names(model, ids: set) -> dict[uuid.UUID, str]:
    if not ids:
        return {}
    return {person.pk: person.full_name for person in model.objects.filter(pk__in=ids)}
