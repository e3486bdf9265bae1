"""seed_scale's work: plan an area, then write it in one transaction.

Records join their hash chain in time order, continuing from the chain head,
which stays locked until the end (as ``sharing.chain.append`` locks it for
one record); each hash is of the model's own ``chain_document`` (computed by
``scale.hashing``, checked against ``sharing.integrity``). Rows that are not
chained (children, requests, drafts, answers, history) are written as they
come. Nothing is queried row by row. The access log, a chain of its own, is
made beside the records (``scale.access``).
"""

from __future__ import annotations

import gc
import itertools
import random
from collections import Counter
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone

from audit.models import AccessEvent
from consent.models import ConsentRecord
from exchange.models import Disclosure, InformationRequest, InformedFollowUp, RequestOutcome
from records.models import (
    Adult,
    Agency,
    Child,
    ChildAdultRelationship,
    ParentalResponsibility,
    Relationship,
    StaffMembership,
    User,
)
from records.roles import Role
from scale.access import AccessLog, Beside, write_here
from scale.generate import casework, names
from scale.generate.base import DAY, Clock, instant
from scale.generate.casework import Casework, Story
from scale.generate.people import plan_people
from scale.generate.plans import People
from scale.generate.recording import Recording
from scale.generate.written import Labels, Written
from scale.hashing import Hasher
from scale.instances import unsaved
from scale.snapshot import DecisionAnswers
from scale.writer import Progress, Writer
from sharing import integrity
from sharing.models import (
    ACCESS_CHAIN,
    RECORDS_CHAIN,
    Addendum,
    ChainHead,
    DecisionDraft,
    DecisionReview,
    LegalBasis,
    SharingDecision,
)

MODELS = {
    casework.DECISION: SharingDecision,
    casework.CONSENT: ConsentRecord,
    casework.OUTCOME: RequestOutcome,
    casework.DISCLOSURE: Disclosure,
    casework.FOLLOW_UP: InformedFollowUp,
    casework.REVIEW: DecisionReview,
    casework.ADDENDUM: Addendum,
}
# How many "a few dozen" children a searched family name should find.
SEARCH_MATCHES = 36


@dataclass
class Ids:
    agencies: list[int]
    users: list[int]
    links: list[int]


def choose_area() -> tuple[str, str, int]:
    """The first area no earlier run has used, so that a second run adds to the first."""
    taken = set(Agency.objects.values_list("name", flat=True))
    for run in itertools.count():
        name, code = names.AREAS[run % len(names.AREAS)]
        if run >= len(names.AREAS):
            name = f"{name} {run // len(names.AREAS) + 1}"
        if f"{name} Council Children's Services" not in taken:
            return name, code, run
    raise AssertionError("unreachable")


def _locked_head(chain_id: int) -> ChainHead:
    ChainHead.objects.get_or_create(pk=chain_id, defaults={"head_hash": integrity.GENESIS_HASH})
    return ChainHead.objects.select_for_update().get(pk=chain_id)


def reserve_ids(model, count: int) -> list[int]:
    """Primary keys for rows written with their ids (history rows refer to them)."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, count]
            )
            return [row[0] for row in cursor.fetchall()]
        # SQLite: the transaction holds the write lock, so nobody else takes these.
        cursor.execute(f'SELECT COALESCE(MAX(id), 0) FROM "{table}"')  # noqa: S608 (a model's table name)
        highest = cursor.fetchone()[0]
        cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
        row = cursor.fetchone()
        start = max(highest, row[0] if row else 0) + 1
        return list(range(start, start + count))


class Loader:
    def __init__(self, *, people: People, clock: Clock, writer: Writer, progress: Progress, password: str):
        self.people, self.clock, self.writer, self.progress = people, clock, writer, progress
        self.password = password
        self.counts: Counter = Counter()
        self.historical: dict = {}
        self.largest = max(range(len(people.agencies)), key=lambda i: len(people.agencies[i].children))

    def history(self, model, values: dict, *, when, kind: str = "+", user_id=None) -> None:
        """The row django-simple-history writes when a service saves ``values``."""
        if model not in self.historical:
            # Reading ``model.history`` builds a manager class every time: once is enough.
            self.historical[model] = self.writer.table(model.history.model, exclude=("history_id",))
        table = self.historical[model]
        row = {
            **values,
            "history_date": when,
            "history_change_reason": None,
            "history_type": kind,
            "history_user_id": user_id,
        }
        self.writer.add(table, row)

    def write_staff(self) -> Ids:
        people, clock = self.people, self.clock
        joined = instant(clock.start - 30 * DAY)
        agencies = Agency.objects.bulk_create(
            [Agency(name=a.name, kind=a.kind, address=a.address, phone=a.phone, email=a.email) for a in people.agencies]
        )
        hashed = make_password(self.password)  # once: every account of the data set shares the password
        users = User.objects.bulk_create(
            [User(email=s.email, full_name=s.full_name, password=hashed, date_joined=joined) for s in people.staff]
        )
        memberships = StaffMembership.objects.bulk_create(
            [
                StaffMembership(
                    user=users[i],
                    agency=agencies[s.agency],
                    role=s.role,
                    job_title=s.job_title,
                    is_lead_information_officer=s.is_lead_information_officer,
                    is_caldicott_guardian=s.is_caldicott_guardian,
                )
                for i, s in enumerate(people.staff)
            ]
        )
        links = reserve_ids(ChildAdultRelationship, len(people.links))
        for rows in (agencies, users, memberships):
            for row in rows:
                self.history(type(row), row.__dict__, when=joined)
        return Ids([a.pk for a in agencies], [u.pk for u in users], links)

    def write_people(self, ids: Ids) -> None:
        people, writer, progress = self.people, self.writer, self.progress
        children = writer.table(Child)
        for child in people.children:
            values = {
                "id": child.id,
                "agency_id": ids.agencies[child.agency],
                "given_name": child.given_name,
                "family_name": child.family_name,
                "other_names": child.other_names,
                "date_of_birth": child.date_of_birth,
                "expected_date_of_birth": child.expected_date_of_birth,
                "sex": child.sex,
                "gender_identity": child.gender_identity,
                "nhs_number": child.nhs_number,
                "local_reference": child.local_reference,
                "address": child.address,
                "postcode": child.postcode,
                "created_at": instant(child.created_at),
                "updated_at": instant(child.created_at),
            }
            by = ids.users[child.created_by]
            self.history(Child, values, when=values["created_at"], user_id=by)
            if child.moved is not None:
                when, address, postcode = child.moved
                values.update(address=address, postcode=postcode, updated_at=instant(when))
                self.history(Child, values, when=values["updated_at"], kind="~", user_id=by)
            writer.add(children, values)
            progress.advance(1, "children")
        adults = writer.table(Adult)
        for adult in people.adults:
            values = {
                "id": adult.id,
                "agency_id": ids.agencies[adult.agency],
                "given_name": adult.given_name,
                "family_name": adult.family_name,
                "other_names": "",
                "date_of_birth": adult.date_of_birth,
                "address": adult.address,
                "postcode": adult.postcode,
                "phone": adult.phone,
                "email": adult.email,
                "created_at": instant(adult.created_at),
                "updated_at": instant(adult.created_at),
            }
            writer.add(adults, values)
            self.history(Adult, values, when=values["created_at"], user_id=ids.users[adult.created_by])
        relationships = writer.table(ChildAdultRelationship)
        for link, link_id in zip(people.links, ids.links, strict=True):
            values = {
                "id": link_id,
                "child_id": people.children[link.child].id,
                "adult_id": people.adults[link.adult].id,
                "relationship": link.relationship,
                "relationship_other": link.relationship_other,
                "parental_responsibility": link.parental_responsibility,
                "lives_with_child": link.lives_with_child,
                "created_at": instant(link.created_at),
                "updated_at": instant(link.created_at),
            }
            writer.add(relationships, values)
            self.history(ChildAdultRelationship, values, when=values["created_at"], user_id=ids.users[link.created_by])
        self.counts.update(children=len(people.children), adults=len(people.adults), relationships=len(people.links))


class Stream:
    """Stories written in time order: every chained record appended to its chain as it happened."""

    def __init__(self, *, loader: Loader, recording: Recording, head: ChainHead, answers: DecisionAnswers):
        self.loader, self.recording, self.head = loader, recording, head
        self.writer, self.progress, self.people = loader.writer, loader.progress, loader.people
        self.answers = answers
        self.hasher = Hasher()
        self.tables = {kind: self.writer.table(model) for kind, model in MODELS.items()}
        self.answer_table = self.writer.table(SharingDecision.answers.rel.related_model, exclude=("id",))
        self.drafts = self.writer.table(DecisionDraft)
        self.requests = self.writer.table(InformationRequest)
        self.request_adults = self.writer.table(InformationRequest.adults.through, exclude=("id",))
        self.draft_adults = self.writer.table(DecisionDraft.adults.through, exclude=("id",))
        self.featured_decision = None

    def run(self, stories: list[Story]) -> None:
        steps = sorted(
            (at, story.index, position, kind, n)
            for story in stories
            for position, (at, kind, n) in enumerate(story.chained())
        )
        left = Counter(step[1] for step in steps)
        live: dict[int, tuple[Story, dict]] = {}
        for _, index, _, kind, n in steps:
            if index not in live:
                live[index] = (stories[index], self.materialise(stories[index]))
            story, records = live[index]
            self.append(kind, records[(kind, n)])
            left[index] -= 1
            if not left[index]:
                del live[index]
        for story in stories:
            if not left.get(story.index) and story.index not in live and not story.chained():
                self.materialise(story)  # requests still open: nothing chained yet

    def materialise(self, story: Story) -> dict:
        """Write a story's unchained rows; return its chained records, keyed as ``Story.chained`` numbers them."""
        written: Written = self.recording.write(story)
        child = self.people.children[story.child]
        agency = child.agency
        if written.request is not None:
            self.write_request(written)
        records = {(casework.CONSENT, n): unsaved(ConsentRecord, values) for n, values in enumerate(written.consents)}
        if written.decision is not None:
            decision = unsaved(SharingDecision, written.decision)
            decision.scale_written = written
            records[(casework.DECISION, 0)] = decision
        if written.outcome is not None:
            records[(casework.OUTCOME, 0)] = unsaved(RequestOutcome, written.outcome)
        if written.disclosure is not None:
            records[(casework.DISCLOSURE, 0)] = unsaved(Disclosure, written.disclosure)
        for kind, model, many in (
            (casework.FOLLOW_UP, InformedFollowUp, written.follow_ups),
            (casework.REVIEW, DecisionReview, written.reviews),
            (casework.ADDENDUM, Addendum, written.addenda),
        ):
            for n, values in enumerate(many):
                records[(kind, n)] = unsaved(model, values)
        if agency == self.loader.largest:
            self.feature(story, written)
        return records

    def write_request(self, written: Written) -> None:
        request = written.request
        # As services.request_close leaves it.
        self.writer.add(self.requests, {**request, "is_open": written.outcome is None})
        for adult in written.request_adults:
            self.writer.add(self.request_adults, {"informationrequest_id": request["id"], "adult_id": adult})
        # request_log saves it, then request_verify saves it again: two history rows.
        logged = {
            **request,
            "verified_at": None,
            "verified_by_id": None,
            "verification_method": "",
            "verification_details": "",
        }
        self.loader.history(InformationRequest, logged, when=request["logged_at"], user_id=request["logged_by_id"])
        if request["verified_at"] is not None:
            self.loader.history(
                InformationRequest, request, when=request["verified_at"], kind="~", user_id=request["verified_by_id"]
            )
        self.loader.counts["request"] += 1
        self.progress.advance(1, "records")

    def feature(self, story: Story, written: Written) -> None:
        """The decision the benchmark opens: of the largest agency, and as full as they come (every question
        answered, shared, disclosed and reviewed)."""
        if written.decision is None:
            return
        fullness = (
            len(written.answers),
            written.decision["outcome"] != "do_not_share",
            story.disclosure is not None,
            len(story.reviews),
        )
        if self.featured_decision is None or fullness > self.featured_decision[0]:
            self.featured_decision = (fullness, written.decision["id"])

    def append(self, kind: str, record) -> None:
        """Give the record its place in the chain, hash it, and write it, then the rows that point to it."""
        head = self.head
        record.chain_sequence = head.sequence + 1
        record.previous_hash = head.head_hash
        record.hash_version = integrity.HASH_VERSION
        rows = []
        if kind == casework.DECISION:
            written = record.scale_written
            rows = self.answers.rows(record, written.answers)
            document = record.chain_document(answers=rows)
        else:
            document = record.chain_document()
        record.record_hash = self.hasher.record_hash(kind=kind, previous_hash=record.previous_hash, document=document)
        head.sequence, head.head_hash = record.chain_sequence, record.record_hash
        self.writer.add(self.tables[kind], record.__dict__)
        if kind == casework.DECISION:
            for row in rows:
                self.writer.add(self.answer_table, row.__dict__)
            self.writer.add(self.drafts, written.draft)
            for adult in written.draft_adults:
                self.writer.add(self.draft_adults, {"decisiondraft_id": written.draft["id"], "adult_id": adult})
        self.loader.counts[kind] += 1
        self.progress.advance(1, "records")


def labels() -> Labels:
    return Labels(
        roles={str(value): str(label) for value, label in Role.choices},
        relationships={str(value): str(label) for value, label in Relationship.choices},
        responsibility={str(value): str(label) for value, label in ParentalResponsibility.choices},
        offered_bases=[basis.code for basis in LegalBasis.objects.all() if basis.is_active],
    )


def search_terms(people: People, agency: int) -> dict:
    """A family name that finds a few dozen of the agency's children, a date of birth and an NHS number."""
    children = [people.children[i] for i in people.agencies[agency].children]
    counts = Counter(child.family_name for child in children)
    family_name = min(counts, key=lambda name: (abs(counts[name] - SEARCH_MATCHES), name))
    child = people.children[people.chronology_child]
    return {
        "family_name": family_name,
        "date_of_birth": child.date_of_birth.isoformat(),
        "nhs_number": child.nhs_number,
    }


def seed_scale(
    *,
    children: int,
    records: int,
    access_events: int,
    seed: int,
    password: str,
    chronology_entries: int,
    progress: Progress,
) -> dict:
    """Plan and write the data set; return what the benchmark needs to know about it."""
    clock = Clock(timezone.localdate(), timezone.get_current_timezone())
    with transaction.atomic():
        heads = {chain: _locked_head(chain) for chain in (RECORDS_CHAIN, ACCESS_CHAIN)}
        area, code, run = choose_area()
        rng = random.Random(f"{seed}:{run}")  # noqa: S311 (reproducible test data, not a secret)
        progress.stage(f"planning {area}: agencies, staff, families")
        people = plan_people(area=area, code=code, children=children, clock=clock, rng=rng)
        progress.stage("planning casework")
        stories = Casework(people, clock, rng).plan(records=records, chronology_entries=chronology_entries)
        # Millions of objects live from here on: the cycle collector would walk them all, again and again.
        gc.freeze()
        # Everything that queries comes first: once rows are being copied, the connection is busy.
        answers, choices = DecisionAnswers(), labels()
        writer = Writer(connection, progress)
        loader = Loader(people=people, clock=clock, writer=writer, progress=progress, password=password)
        progress.stage("writing agencies and staff")
        ids = loader.write_staff()
        largest = people.agencies[loader.largest]
        busy = largest.practitioners[1 % len(largest.practitioners)]
        log = AccessLog(
            people=people, stories=stories, ids=ids, roles=choices.roles, busy=busy, head=heads[ACCESS_CHAIN]
        )
        making = {
            "rng": random.Random(f"{seed}:{run}:access"),  # noqa: S311 (reproducible test data, not a secret)
            "count": access_events,
            "start": clock.start,
            "end": clock.end,
            "writer": writer,
            "table": writer.table(AccessEvent, exclude=("id",)),
            "progress": progress,
        }
        totals = {"records": records, "access log": access_events, "children": children}
        progress.stage("writing children, then records and access log, in time order", **totals)
        # The access log is a chain of its own: on PostgreSQL a second process makes it meanwhile. Forked
        # before any thread starts here, and before the connection starts copying.
        beside = Beside(log, **making) if connection.vendor == "postgresql" and access_events else None
        try:
            with writer.only_writing():
                writer.start()
                loader.write_people(ids)
                writer.flush_all()
                if beside is not None:
                    beside.release()
                recording = Recording(people, clock, choices, user_ids=ids.users, agency_ids=ids.agencies)
                stream = Stream(loader=loader, recording=recording, head=heads[RECORDS_CHAIN], answers=answers)
                stream.run(stories)
                if beside is None:
                    write_here(log, **making)
                    access_head = (log.sequence, log.head_hash)
                else:
                    access_head = beside.finish()
                progress.stage("finishing the writes")
                writer.drain()
        except BaseException:
            writer.abandon()
            raise
        finally:
            if beside is not None:
                beside.stop()
        heads[ACCESS_CHAIN].sequence, heads[ACCESS_CHAIN].head_hash = access_head
        for head in heads.values():
            head.save(update_fields=["sequence", "head_hash"])
        loader.counts["access events"] = access_events
    # Statistics for the query planner, as a database in service has them; on
    # PostgreSQL VACUUM also fills the visibility map, without which no scan
    # can be index-only.
    progress.stage("vacuuming and analysing the tables for the query planner")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # VACUUM cannot run inside a transaction (a test's): ANALYZE alone there.
            vacuum = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
            for table in sorted(writer.written()):
                cursor.execute(f'{vacuum} "{table}"')
        else:
            cursor.execute("ANALYZE")
    progress.finish()
    lead = largest.leads[0]
    return {
        "fixture": {
            "password": password,
            "lead_email": people.staff[lead].email,
            "practitioner_email": people.staff[largest.practitioners[0]].email,
            "agency_id": ids.agencies[loader.largest],
            "chronology_child_id": str(people.children[people.chronology_child].id),
            "decision_id": str(stream.featured_decision[1]),
            "staff_member_id": ids.users[busy],
            "search": search_terms(people, loader.largest),
        },
        "counts": dict(loader.counts),
        "area": area,
        "rows": writer.written(),
    }
