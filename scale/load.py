"""seed_scale's work: plan an area, then write it in one transaction.

Every record the ledger keeps (decisions, consents, the rest of the casework,
access events, rows of change history) is entered in the log as it is
written: an ``Entry`` with the SHA-256 of the model's own document
(``ledger_document_of``; ``ledger.history`` for history rows), computed by
``scale.hashing`` and checked against ``ledger``'s own code. Records are
written in time order. The entries are then placed in the tree in the order
they were written (``scale.entries``), continuing from the newest tree head:
the access log's first (it is made beside the records, ``scale.access``),
then everything else. The sequencer's lock is held until the end, so nothing
else places entries meanwhile; after the commit one checkpoint of the whole
tree is signed and witnessed (``ledger.sequencer.sign_now``). Nothing is
queried row by row.
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
from exchange import verification
from exchange.models import Disclosure, InformationRequest, InformedFollowUp, RequestOutcome
from ledger import history, sequencer
from ledger.models import Entry
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
from scale.entries import Entering, IdBlocks, Kept, Placing, Tables, frontier_of, tree_head
from scale.generate import casework, names
from scale.generate.base import DAY, Clock, instant
from scale.generate.casework import Casework, Story
from scale.generate.people import plan_people
from scale.generate.plans import People
from scale.generate.recording import Recording
from scale.generate.written import Labels, Written
from scale.instances import unsaved
from scale.snapshot import DecisionAnswers
from scale.writer import Progress, Writer
from sharing.models import Addendum, DecisionDraft, DecisionReview, LegalBasis, SharingDecision

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


def _hold_the_sequencer() -> None:
    """Nothing else places entries in the tree until this transaction ends (ledger.sequencer's lock, waited
    for: a sequencer running now finishes its batch first); on SQLite the transaction's write lock does it."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [sequencer.ADVISORY_LOCK])


class Loader:
    def __init__(
        self, *, people: People, clock: Clock, writer: Writer, progress: Progress, password: str, ids: IdBlocks
    ):
        self.people, self.clock, self.writer, self.progress = people, clock, writer, progress
        self.password = password
        self.ids = ids
        self.counts: Counter = Counter()
        self.historical: dict = {}
        self.largest = max(range(len(people.agencies)), key=lambda i: len(people.agencies[i].children))
        # Entries of everything but the access log, kept in order to be placed once the access log's are.
        self.entering = Entering(add=writer.add, tables=Tables(writer.table), next_id=ids.stream(Entry))
        self.kept = Kept()

    def enter(self, *, kind: str, record_id: str, document: dict, appended_at) -> None:
        self.kept.keep(*self.entering.enter(kind=kind, record_id=record_id, document=document, appended_at=appended_at))

    def history(self, model, values: dict, *, when, kind: str = "+", user_id=None) -> None:
        """The row django-simple-history writes when a service saves ``values``, and its entry in the log
        (``ledger.history`` enters each row simple-history writes; it sends no signal for rows written in bulk)."""
        if model not in self.historical:
            # Reading ``model.history`` builds a manager class every time: once is enough.
            historical = model.history.model
            self.historical[model] = (
                historical,
                self.writer.table(historical),
                history.kind_of(historical),
                history.fields_of(historical),
                self.ids.stream(historical),
            )
        historical, table, entry_kind, fields, next_id = self.historical[model]
        row = {
            **values,
            "history_id": next_id(),
            "history_date": when,
            "history_change_reason": None,
            "history_type": kind,
            "history_user_id": user_id,
        }
        self.writer.add(table, row)
        self.enter(
            kind=entry_kind,
            record_id=str(row["history_id"]),
            document=history.document_of(historical, {name: row[name] for name in fields}),
            appended_at=when,
        )

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
        links = self.ids.take(ChildAdultRelationship, len(people.links))
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
    """Stories written in time order: every record of the log written and entered in it as it happened."""

    def __init__(self, *, loader: Loader, recording: Recording, answers: DecisionAnswers):
        self.loader, self.recording = loader, recording
        self.writer, self.progress, self.people = loader.writer, loader.progress, loader.people
        self.answers = answers
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
        # As services.request_outcome_record and disclosure_record leave it (exchange.verification).
        outcome = written.outcome["outcome"] if written.outcome is not None else verification.OPEN
        stays_open = verification.verification_stays_open(outcome=outcome, disclosed=written.disclosure is not None)
        self.writer.add(self.requests, {**request, "is_open": written.outcome is None, "verification_open": stays_open})
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
        """Write the record, then the rows that point to it, and enter it in the log."""
        rows = []
        if kind == casework.DECISION:
            written = record.scale_written
            rows = self.answers.rows(record, written.answers)
            document = record.ledger_document(answers=rows)
        else:
            document = record.ledger_document()
        self.writer.add(self.tables[kind], record.__dict__)
        if kind == casework.DECISION:
            for row in rows:
                self.writer.add(self.answer_table, row.__dict__)
            self.writer.add(self.drafts, written.draft)
            for adult in written.draft_adults:
                self.writer.add(self.draft_adults, {"decisiondraft_id": written.draft["id"], "adult_id": adult})
        self.loader.enter(
            kind=record.ledger_kind,
            record_id=record.ledger_record_id,
            document=document,
            appended_at=record.recorded_at,
        )
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
    """Plan and write the data set, enter it in the log and sign a checkpoint; return what the benchmark needs
    to know about it."""
    clock = Clock(timezone.localdate(), timezone.get_current_timezone())
    with transaction.atomic():
        _hold_the_sequencer()
        # Entries already waiting are placed first: the data set's follow them.
        while sequencer.sequence(sign=False):
            pass
        frontier = frontier_of(sequencer.latest_head())
        before = frontier.size
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
        ids = IdBlocks(connection)
        # The access log's ids first: its entries are the first placed, so their ids come first too.
        event_ids, access_entry_ids = ids.take(AccessEvent, access_events), ids.take(Entry, access_events)
        writer = Writer(connection, progress)
        loader = Loader(people=people, clock=clock, writer=writer, progress=progress, password=password, ids=ids)
        progress.stage("writing agencies and staff")
        staff_ids = loader.write_staff()
        largest = people.agencies[loader.largest]
        busy = largest.practitioners[1 % len(largest.practitioners)]
        log = AccessLog(
            people=people, stories=stories, ids=staff_ids, roles=choices.roles, busy=busy, event_ids=event_ids
        )
        making = {
            "rng": random.Random(f"{seed}:{run}:access"),  # noqa: S311 (reproducible test data, not a secret)
            "count": access_events,
            "start": clock.start,
            "end": clock.end,
            "writer": writer,
            "entry_ids": access_entry_ids,
            "frontier": frontier,
            "progress": progress,
        }
        totals = {"records": records, "access log": access_events, "children": children}
        progress.stage("writing children, then records and access log, in time order", **totals)
        # On PostgreSQL a second process makes the access log meanwhile. Forked before any thread starts here,
        # and before the connection starts copying.
        beside = Beside(log, **making) if connection.vendor == "postgresql" and access_events else None
        try:
            with writer.only_writing():
                writer.start()
                loader.write_people(staff_ids)
                writer.flush_all()
                if beside is not None:
                    beside.release()
                recording = Recording(people, clock, choices, user_ids=staff_ids.users, agency_ids=staff_ids.agencies)
                stream = Stream(loader=loader, recording=recording, answers=answers)
                stream.run(stories)
                frontier = write_here(log, **making) if beside is None else beside.finish()
                progress.stage("placing the other entries in the log's tree", entries=len(loader.kept))
                loader.kept.place(
                    Placing(frontier, add=writer.add, tables=Tables(writer.table)),
                    progress=lambda count: progress.advance(count, "entries"),
                )
                progress.stage("finishing the writes")
                writer.drain()
        except BaseException:
            writer.abandon()
            raise
        finally:
            if beside is not None:
                beside.stop()
            ids.close()
        if frontier.size > before:
            tree_head(frontier, timezone.now()).save()
        loader.counts["access events"] = access_events
        loader.counts["log entries"] = frontier.size - before
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
    progress.stage("signing a checkpoint of the log, and witnessing it")
    checkpoint = sequencer.sign_now()
    progress.finish()
    lead = largest.leads[0]
    return {
        "fixture": {
            "password": password,
            "lead_email": people.staff[lead].email,
            "practitioner_email": people.staff[largest.practitioners[0]].email,
            "agency_id": staff_ids.agencies[loader.largest],
            "chronology_child_id": str(people.children[people.chronology_child].id),
            "decision_id": str(stream.featured_decision[1]),
            "staff_member_id": staff_ids.users[busy],
            "search": search_terms(people, loader.largest),
        },
        "counts": dict(loader.counts),
        "area": area,
        "rows": writer.written(),
        "checkpoint": checkpoint.size if checkpoint is not None else None,
    }
