"""The access log of the scale data set: who looked at what, and when.

Every event names something that existed when it happened: a child already
added, a decision already recorded. Events go into the access chain in time
order, continuing from its head. The access chain is a chain of its own, so
it is built apart from the records.
"""

from __future__ import annotations

import bisect
import multiprocessing
import random
import threading
import traceback
from dataclasses import dataclass

from audit.models import AccessEvent, Action, Subject
from scale import writer as writing
from scale.generate.base import Weighted, below, choice, instant, new_uuid
from scale.generate.casework import Story
from scale.generate.people import ADMIN, LEAD
from scale.generate.plans import People
from scale.generate.written import story_ids
from scale.hashing import Hasher
from scale.instances import unsaved
from sharing import integrity

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
    """Generates the access log in time order, from the plan: it needs no query and no other chain.

    ``generate`` hands each event's field values to a sink, hashed into the
    chain after ``sequence`` and ``head_hash``; on PostgreSQL this runs in a
    process of its own (``scale.load``), beside the records.
    """

    def __init__(self, *, people: People, stories: list[Story], ids, roles: dict[str, str], busy: int, head):
        self.people, self.stories = people, stories
        self.user_ids, self.agency_ids, self.link_ids, self.roles = ids.users, ids.agencies, ids.links, roles
        self.sequence, self.head_hash = head.sequence, head.head_hash
        self.busy = busy
        self.hasher = Hasher()
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

    def event(self, when: int) -> dict:
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
        event = unsaved(
            AccessEvent,
            {
                "id": None,
                "occurred_at": instant(when),
                "user_id": user_id if signed_in else None,
                "user_email": staff.email,
                "user_name": staff.full_name if signed_in else "",
                "role": self.roles[staff.role] if signed_in else "",
                "agency_id": self.agency_ids[agency] if signed_in else None,
                "agency_name": people.agencies[agency].name if signed_in else "",
                "ip_address": address,
                "chain_sequence": self.sequence + 1,
                "previous_hash": self.head_hash,
                "hash_version": integrity.HASH_VERSION,
                **values,
            },
        )
        event.record_hash = self.hasher.record_hash(
            kind="access", previous_hash=event.previous_hash, document=event.chain_document()
        )
        self.sequence, self.head_hash = event.chain_sequence, event.record_hash
        return event.__dict__

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


def write_here(log: AccessLog, *, rng, count: int, start: int, end: int, writer, table, progress) -> None:
    """Make the access log in this process, into the writer (SQLite, whose connection stays in one thread)."""

    def sink(values: dict) -> None:
        writer.add(table, values)
        progress.advance(1, "access log")

    log.generate(rng=rng, count=count, start=start, end=end, sink=sink)


class Beside:
    """The access log made by a forked process while this one writes the records (PostgreSQL).

    The process only computes: it sends rows, already in COPY's format, down
    a pipe; a thread here hands them to the writer, on the one connection and
    in the one transaction. The process never touches the database.
    """

    def __init__(self, log: AccessLog, *, rng, count: int, start: int, end: int, writer, table, progress):
        self.writer, self.table, self.progress = writer, table, progress
        self.head: tuple[int, str] | None = None
        self.failure: BaseException | None = None
        # Events name children: their rows go to the database first (see ``release``).
        self.ready = threading.Event()
        context = multiprocessing.get_context("fork")
        self.receiving, sending = context.Pipe(duplex=False)
        self.process = context.Process(
            target=_make, args=(log, sending, table, rng, count, start, end), name="scale-access-log", daemon=True
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
                    self.writer.send_payload(self.table, message[1], message[2])
                    self.progress.advance(message[2], "access log")
                elif message[0] == "done":
                    self.head = (message[1], message[2])
                    return
                else:
                    self.failure = RuntimeError(f"the access log could not be made:\n{message[1]}")
                    return
        except BaseException as error:  # handed to the main thread by finish()
            self.failure = error

    def finish(self) -> tuple[int, str]:
        """Wait for the last rows; the access chain's new head."""
        self.relay.join()
        self.process.join()
        if self.failure is not None:
            raise self.failure
        if self.head is None:
            raise RuntimeError("the access log process stopped without finishing")
        return self.head

    def stop(self) -> None:
        self.ready.set()
        if self.process.is_alive():
            self.process.kill()
            self.process.join()


def _make(log: AccessLog, sending, table, rng, count: int, start: int, end: int) -> None:
    rows: list[str] = []

    def sink(values: dict) -> None:
        rows.append(table.row(values))
        if len(rows) >= writing.BATCH_ROWS:
            sending.send(("rows", "".join(rows).encode("utf-8"), len(rows)))
            rows.clear()

    try:
        log.generate(rng=rng, count=count, start=start, end=end, sink=sink)
        if rows:
            sending.send(("rows", "".join(rows).encode("utf-8"), len(rows)))
        sending.send(("done", log.sequence, log.head_hash))
    except BaseException:
        sending.send(("error", traceback.format_exc()))
    finally:
        sending.close()
