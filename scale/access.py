"""The access log of the scale data set: who looked at what, and when.

Every event names something that existed when it happened: a child already
added, a decision already recorded. Events are entered in the log in time
order and are the first of the data set's entries to be placed in the tree,
right after what it held before (``scale.entries``): so they are entered and
placed apart from the records, on PostgreSQL in a process of their own.
"""

from __future__ import annotations

import bisect
import multiprocessing
import random
import threading
import traceback
from dataclasses import dataclass

from audit.models import AccessEvent, Action, Subject
from ledger import merkle
from scale import writer as writing
from scale.entries import Entering, Placing, Tables
from scale.generate.base import Weighted, below, choice, instant, new_uuid
from scale.generate.casework import Story
from scale.generate.people import ADMIN, LEAD
from scale.generate.plans import People
from scale.generate.written import story_ids
from scale.instances import unsaved

# What case workers do, by weight; a lead also looks at the oversight pages.
CASE_WORK = Weighted(
    {
        "child": 34, "search": 12, "decision": 12, "sign_in": 9, "request": 6, "chronology": 5, "consent": 5,
        "sign_out": 4, "disclosure": 3, "adult": 2, "requests": 2, "draft": 1, "sign_in_failed": 1, "refused": 1,
        "oversight": 3,
    }
)  # fmt: skip
OVERSIGHT = Weighted({"dashboard": 50, "child_audit": 25, "staff_audit": 15, "change_history": 5, "export": 5})
ADMIN_WORK = Weighted({"sign_in": 60, "sign_out": 35, "sign_in_failed": 5})
SEARCHES = Weighted(
    {"name or reference": 70, "NHS number": 15, "date of birth": 10, "name or reference and date of birth": 5}
)
# The member of staff the benchmark reads the audit history of: this share of every event is theirs.
BUSY_SHARE = 0.03


@dataclass(slots=True)
class Seen:
    """Something that can be looked at: its id, its child, and its page."""

    id: object
    child: object
    path: str


class AccessLog:
    """Generates the access log in time order, from the plan: it needs no query.

    ``generate`` hands each event (an unsaved ``AccessEvent`` with its id, one
    of ``event_ids`` in turn) to a sink; on PostgreSQL this runs in a process
    of its own (``scale.load``), beside the records.
    """

    def __init__(
        self, *, people: People, stories: list[Story], ids, roles: dict[str, str], busy: int, event_ids: list[int]
    ):
        self.people, self.stories = people, stories
        self.user_ids, self.agency_ids, self.link_ids, self.roles = ids.users, ids.agencies, ids.links, roles
        self.event_ids = iter(event_ids)
        self.busy = busy
        staff = people.staff
        self.agencies = Weighted(
            [
                (index, sum(staff[i].activity for i in a.practitioners + a.leads))
                for index, a in enumerate(people.agencies)
            ]
        )
        self.users = [
            Weighted([(i, staff[i].activity) for i in a.practitioners + a.leads + a.admins]) for a in people.agencies
        ]
        children = [sorted(a.children, key=lambda i: people.children[i].created_at) for a in people.agencies]
        self.children = children
        self.children_added = [[people.children[i].created_at for i in kids] for kids in children]
        self.seen: dict[str, list[list[Seen]]] = {
            kind: [[] for _ in people.agencies] for kind in ("decision", "consent", "request", "disclosure", "draft")
        }
        self.entries: dict = {}
        self.child_index = {child.id: index for index, child in enumerate(people.children)}
        self.addresses = [f"10.{10 + staff[i].agency}.{1 + i // 250}.{1 + i % 250}" for i in range(len(staff))]

    def timeline(self) -> list[tuple]:
        """Every record that can be looked at, by when it came to exist: (when, kind, agency, seen)."""
        made = []
        for story in self.stories:
            ids = story_ids(story)
            child = self.people.children[story.child]
            agency, child_id = child.agency, child.id

            def add(when, kind, record_id=None, path="", agency=agency, child_id=child_id):
                made.append((when, kind, agency, Seen(record_id, child_id, path)))

            if story.logged is not None:
                add(story.logged, "request", ids.request, f"/requests/{ids.request}/")
            for n, consent in enumerate(story.consents):
                add(consent.at, "consent", ids.consents[n], f"/consent/{ids.consents[n]}/")
            if story.decided is not None:
                add(story.decided, "draft", ids.draft, f"/decisions/drafts/{ids.draft}/check/")
                add(story.recorded, "decision", ids.decision, f"/decisions/{ids.decision}/")
            if story.disclosure is not None:
                add(story.disclosure[1], "disclosure", ids.disclosure, f"/disclosures/{ids.disclosure}/")
            for when in [story.outcome_at] * (story.outcome_at is not None) + [
                step[0] for step in story.follow_ups + story.reviews + story.addenda
            ]:
                add(when, "entry")
        made.sort(key=lambda item: item[0])
        return made

    def generate(self, *, rng: random.Random, count: int, start: int, end: int, sink) -> None:
        """``count`` events spread over the years, each naming only what existed by then."""
        self.rng = rng
        times = sorted(start + below(rng, end - start) for _ in range(count))
        made = self.timeline()
        position = 0
        for when in times:
            while position < len(made) and made[position][0] < when:
                _, kind, agency, seen = made[position]
                if kind != "entry":
                    self.seen[kind][agency].append(seen)
                if kind != "draft":
                    self.entries[seen.child] = self.entries.get(seen.child, 0) + 1
                position += 1
            sink(self.event(when))

    # One event

    def child_of(self, agency: int, when: int):
        added = bisect.bisect(self.children_added[agency], when)
        if not added:
            return None
        rng = self.rng
        recent = self.seen["decision"][agency] or self.seen["request"][agency]
        if recent and rng.random() < 0.5:
            return recent[-1 - below(rng, min(len(recent), 200))].child
        return self.people.children[self.children[agency][below(rng, added)]].id

    def recent(self, kind: str, agency: int) -> Seen | None:
        items = self.seen[kind][agency]
        if not items:
            return None
        # Recent records are looked at most.
        return items[len(items) - 1 - int(len(items) * self.rng.random() ** 3)]

    def event(self, when: int) -> AccessEvent:
        rng, people = self.rng, self.people
        member = self.busy if rng.random() < BUSY_SHARE else self.users[self.agencies.pick(rng)].pick(rng)
        staff = people.staff[member]
        agency = staff.agency
        work = ADMIN_WORK.pick(rng) if staff.role == ADMIN else CASE_WORK.pick(rng)
        if work == "oversight":
            work = OVERSIGHT.pick(rng) if staff.role == LEAD else "child"
        values = self.describe(work, member, agency, when)
        if values is None:
            values = self.describe("sign_in", member, agency, when)
        user_id = self.user_ids[member]
        signed_in = values.pop("signed_in", True)
        address = self.addresses[member] if rng.random() < 0.9 else f"10.200.{below(rng, 250)}.{below(rng, 250)}"
        return unsaved(
            AccessEvent,
            {
                "id": next(self.event_ids),
                "occurred_at": instant(when),
                "user_id": user_id if signed_in else None,
                "user_email": staff.email,
                "user_name": staff.full_name if signed_in else "",
                "role": self.roles[staff.role] if signed_in else "",
                "agency_id": self.agency_ids[agency] if signed_in else None,
                "agency_name": people.agencies[agency].name if signed_in else "",
                "ip_address": address,
                **values,
            },
        )

    def describe(self, work: str, member: int, agency: int, when: int) -> dict | None:
        """What was done: action, subject, record, child, page and detail, as the views log them."""
        rng = self.rng
        if work == "sign_in":
            return _entry(Action.SIGN_IN, Subject.ACCOUNT, "/accounts/login/")
        if work == "sign_out":
            return _entry(Action.SIGN_OUT, Subject.ACCOUNT, "/accounts/logout/")
        if work == "sign_in_failed":
            return _entry(Action.SIGN_IN_FAILED, Subject.ACCOUNT, "/accounts/login/", signed_in=False)
        if work == "refused":
            return _entry(Action.REFUSED, Subject.PAGE, f"/children/{new_uuid(rng)}/", detail="not found in the agency")
        if work == "search":
            kind = SEARCHES.pick(rng)
            found = 1 if kind == "NHS number" else below(rng, 40 if kind.startswith("name") else 12)
            return _entry(Action.SEARCH, Subject.CHILDREN, "/children/", detail=f"by {kind}: {found} found")
        if work == "requests":
            return _entry(Action.SEARCH, Subject.REQUESTS, "/requests/", detail=f"status open: {below(rng, 30)} listed")
        if work == "dashboard":
            return _entry(Action.VIEW, Subject.DASHBOARD, "/for-review/")
        if work == "change_history":
            return _entry(Action.VIEW, Subject.CHANGE_HISTORY, "/audit/changes/", detail="500 rows")
        if work == "staff_audit":
            user_id = self.user_ids[choice(rng, self.people.agencies[agency].practitioners)]
            path = f"/audit/staff/{user_id}/"
            return _entry(Action.VIEW, Subject.STAFF_AUDIT, path, target=user_id, detail=f"{below(rng, 500)} rows")
        if work in ("child", "chronology", "adult", "child_audit", "export"):
            child = self.child_of(agency, when)
            if child is None:
                return None
            if work == "child":
                return _entry(Action.VIEW, Subject.CHILD, f"/children/{child}/", target=child, child=child)
            if work == "chronology":
                detail = f"{self.entries.get(child, 0)} entries"
                path = f"/children/{child}/chronology/"
                return _entry(Action.VIEW, Subject.CHRONOLOGY, path, target=child, child=child, detail=detail)
            if work == "adult":
                return self.adult(child)
            action = Action.EXPORT if work == "export" else Action.VIEW
            path, detail = f"/children/{child}/audit/", f"{below(rng, 200)} rows"
            return _entry(action, Subject.CHILD_AUDIT, path, target=child, child=child, detail=detail)
        seen = self.recent(work, agency)
        if seen is None:
            return None
        return _entry(Action.VIEW, SUBJECTS[work], seen.path, target=seen.id, child=seen.child)

    def adult(self, child_id) -> dict | None:
        people = self.people
        child = self.child_index.get(child_id)
        if child is None or not people.children[child].links:
            return None
        link = choice(self.rng, people.children[child].links)
        adult = people.adults[people.links[link].adult].id
        path = f"/children/{child_id}/adults/{self.link_ids[link]}/change/"
        return _entry(Action.VIEW, Subject.ADULT, path, target=adult, child=child_id, detail="details to change")


SUBJECTS = {
    "decision": Subject.DECISION,
    "consent": Subject.CONSENT,
    "request": Subject.REQUEST,
    "disclosure": Subject.DISCLOSURE,
    "draft": Subject.DRAFT,
}


def _entry(action, subject, path: str, *, target="", child=None, detail: str = "", signed_in: bool = True) -> dict:
    return {
        "action": action,
        "subject": subject,
        "object_id": str(target),
        "child_id": child,
        "path": path,
        "detail": detail,
        "signed_in": signed_in,
    }


class Entered:
    """Each event written, entered in the log and placed in the tree at once (its entries come first)."""

    def __init__(self, *, add, access_table, tables: Tables, entry_ids: list[int], frontier: merkle.Frontier):
        self.add, self.access_table = add, access_table
        self.entering = Entering(add=add, tables=tables, next_id=iter(entry_ids).__next__)
        self.placing = Placing(frontier, add=add, tables=tables)

    def __call__(self, event: AccessEvent) -> None:
        self.add(self.access_table, event.__dict__)
        entry_id, leaf = self.entering.enter(
            kind=event.ledger_kind,
            record_id=event.ledger_record_id,
            document=event.ledger_document(),
            appended_at=event.occurred_at,
        )
        self.placing.place(entry_id, leaf)

    @property
    def frontier(self) -> merkle.Frontier:
        return self.placing.frontier


def write_here(
    log: AccessLog, *, rng, count: int, start: int, end: int, writer, entry_ids, frontier, progress
) -> merkle.Frontier:
    """Make the access log in this process, into the writer (SQLite, whose connection stays in one thread);
    return the tree's frontier after its entries."""
    entered = Entered(
        add=writer.add,
        access_table=writer.table(AccessEvent),
        tables=Tables(writer.table),
        entry_ids=entry_ids,
        frontier=frontier,
    )

    def sink(event: AccessEvent) -> None:
        entered(event)
        progress.advance(1, "access log")

    log.generate(rng=rng, count=count, start=start, end=end, sink=sink)
    return entered.frontier


class Beside:
    """The access log made by a forked process while this one writes the records (PostgreSQL).

    The process only computes: it sends rows (events, their entries, leaves
    and nodes), already in COPY's format, down a pipe; a thread here hands
    them to the writer, on the one connection and in the one transaction. The
    process never touches the database.
    """

    def __init__(self, log: AccessLog, *, rng, count: int, start: int, end: int, writer, entry_ids, frontier, progress):
        self.writer, self.progress = writer, progress
        self.access = writer.table(AccessEvent)
        log_tables = Tables(writer.table)
        self.tables = {table.name: table for table in (self.access, log_tables.entry, log_tables.leaf, log_tables.node)}
        self.frontier: merkle.Frontier | None = None
        self.failure: BaseException | None = None
        # Events name children: their rows go to the database first (see ``release``).
        self.ready = threading.Event()
        context = multiprocessing.get_context("fork")
        self.receiving, sending = context.Pipe(duplex=False)
        self.process = context.Process(
            target=_make,
            args=(log, sending, writer.vendor, rng, count, start, end, entry_ids, frontier),
            name="scale-access-log",
            daemon=True,
        )
        self.process.start()
        sending.close()
        self.relay = threading.Thread(target=self._relay, name="scale-access-relay", daemon=True)
        self.relay.start()

    def release(self) -> None:
        """The children and staff are written: events may follow."""
        self.ready.set()

    def _relay(self) -> None:
        try:
            self.ready.wait()
            while True:
                message = self.receiving.recv()
                if message[0] == "rows":
                    _, name, payload, count = message
                    self.writer.send_payload(self.tables[name], payload, count)
                    if name == self.access.name:
                        self.progress.advance(count, "access log")
                elif message[0] == "done":
                    self.frontier = merkle.Frontier(message[1], message[2])
                    return
                else:
                    self.failure = RuntimeError(f"the access log could not be made:\n{message[1]}")
                    return
        except BaseException as error:  # handed to the main thread by finish()
            self.failure = error

    def finish(self) -> merkle.Frontier:
        """Wait for the last rows; the tree's frontier after the access log's entries."""
        self.relay.join()
        self.process.join()
        if self.failure is not None:
            raise self.failure
        if self.frontier is None:
            raise RuntimeError("the access log process stopped without finishing")
        return self.frontier

    def stop(self) -> None:
        self.ready.set()
        if self.process.is_alive():
            self.process.kill()
            self.process.join()


class _Piped:
    """The forked process's side of the writer: rows in COPY's format, sent a batch of every table at a time
    (entries before the leaves that point to them)."""

    def __init__(self, sending, tables: list):
        self.sending, self.tables = sending, tables

    def add(self, table, values: dict) -> None:
        table.pending.append(table.row(values))
        if len(table.pending) >= writing.BATCH_ROWS:
            self.flush()

    def flush(self) -> None:
        for table in self.tables:
            if table.pending:
                self.sending.send(("rows", table.name, "".join(table.pending).encode("utf-8"), len(table.pending)))
                table.pending = []


def _make(log: AccessLog, sending, vendor, rng, count: int, start: int, end: int, entry_ids, frontier) -> None:
    try:
        # Tables of its own: the writer's were forked with whatever rows they had waiting.
        tables = Tables(lambda model, exclude=(): writing.Table(model, vendor, exclude))
        access = writing.Table(AccessEvent, vendor)
        piped = _Piped(sending, [access, tables.entry, tables.leaf, tables.node])
        entered = Entered(add=piped.add, access_table=access, tables=tables, entry_ids=entry_ids, frontier=frontier)
        log.generate(rng=rng, count=count, start=start, end=end, sink=entered)
        piped.flush()
        sending.send(("done", entered.frontier.size, entered.frontier.hashes))
    except BaseException:
        sending.send(("error", traceback.format_exc()))
    finally:
        sending.close()
