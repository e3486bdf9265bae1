"""The parts of `make bench` that run inside Django, started by bench/run.py as a separate process.

    python bench/django_side.py children        JSON: how many children the database holds
    python bench/django_side.py fixture         JSON: the fixture seed_scale kept in the database
    python bench/django_side.py facts FIXTURE   JSON: database, data sizes, what the client needs
    python bench/django_side.py lag ENTRY_ID    JSON: how long entries after ENTRY_ID waited for a checkpoint
    python bench/django_side.py verify          JSON: verification speed against hashlib alone
    python bench/django_side.py bundle FIXTURE  JSON: how long the bundle of the 300-entry child takes to make

The HTTP measurements never go through here: they go through gunicorn like a
browser's requests would. This only reads what a browser cannot see (how
big the data set is, the lead's authenticator key, which children to record
decisions about, when each entry was first covered by a signed checkpoint)
and times `verify_records`' work.
"""

from __future__ import annotations

import hashlib
import json
import os
import resource
import statistics
import sys
import threading
import time
from itertools import islice
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import Max  # noqa: E402
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402

from audit.models import AccessEvent  # noqa: E402
from consent.models import ConsentRecord  # noqa: E402
from exchange.models import Disclosure, InformationRequest, InformedFollowUp, RequestOutcome  # noqa: E402
from ledger import keys, note, verification  # noqa: E402
from ledger.models import Checkpoint, Entry, Leaf, Pending, entry_text  # noqa: E402
from records.models import Adult, Agency, Child, ChildAdultRelationship, User  # noqa: E402
from sharing.models import Addendum, DecisionReview, SharingDecision  # noqa: E402

# Decisions recorded by the benchmark go to children picked at random from
# this many, so that no child's page grows run after run.
FLOW_CHILDREN = 2000
# The baseline hashes this many records' (or entries') bytes at a time, to bound memory.
HASH_BATCH = 50_000

SIZED = {
    "agencies": Agency,
    "staff": User,
    "children": Child,
    "adults": Adult,
    "relationships": ChildAdultRelationship,
    "decisions": SharingDecision,
    "addenda": Addendum,
    "reviews": DecisionReview,
    "consent_records": ConsentRecord,
    "requests": InformationRequest,
    "request_outcomes": RequestOutcome,
    "disclosures": Disclosure,
    "follow_ups": InformedFollowUp,
    "access_events": AccessEvent,
}


def database_version() -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            return f"PostgreSQL {cursor.fetchone()[0]}"
        if connection.vendor == "sqlite":
            cursor.execute("SELECT sqlite_version()")
            return f"SQLite {cursor.fetchone()[0]}"
    return connection.vendor


def data_sizes() -> dict[str, int]:
    sizes = {name: model.objects.count() for name, model in SIZED.items()}
    sizes["log_entries"] = Entry.objects.count()
    sizes["log_tree_size"] = Leaf.objects.count()
    sizes["log_pending"] = Pending.objects.count()
    sizes["checkpoints"] = Checkpoint.objects.count()
    return sizes


def authenticator(email: str) -> dict | None:
    """A person's authenticator app, as the app on their phone holds it: the key and the clock settings."""
    device = TOTPDevice.objects.filter(user__email__iexact=email, confirmed=True).first()
    if device is None:
        return None
    return {"key_hex": device.key, "step": device.step, "t0": device.t0, "digits": device.digits, "drift": device.drift}


def facts(fixture_path: str) -> dict:
    fixture = json.loads(Path(fixture_path).read_text())
    if not Child.objects.filter(pk=fixture["chronology_child_id"], agency_id=fixture["agency_id"]).exists():
        sys.exit(f"{fixture_path} does not describe this database (no such child in that agency): seed it again")
    flow_children = list(
        Child.objects.filter(agency_id=fixture["agency_id"], date_of_birth__isnull=False)
        .exclude(pk=fixture["chronology_child_id"])
        .order_by("?")
        .values_list("pk", flat=True)[:FLOW_CHILDREN]
    )
    return {
        "database": {"vendor": connection.vendor, "version": database_version()},
        "data_sizes": data_sizes(),
        "lead_authenticator": authenticator(fixture["lead_email"]),
        "practitioner_authenticator": authenticator(fixture["practitioner_email"]),
        "flow_children": [str(pk) for pk in flow_children],
        # Entries after this one are written during the run: their wait for a checkpoint is measured.
        "last_entry_id": Entry.objects.aggregate(last=Max("pk"))["last"] or 0,
    }


def _percentile(ordered: list[float], percent: float) -> float | None:
    """Nearest rank, as bench.measure.percentile."""
    if not ordered:
        return None
    rank = max(1, -(-len(ordered) * percent // 100))
    return ordered[int(rank) - 1]


def lag(after_entry_id: int) -> dict:
    """For each entry written after ``after_entry_id`` and placed in the tree: from its appended_at to the
    signing of the first checkpoint that covers it (the first whose size is beyond its position)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT e.kind, e.appended_at, "
            "(SELECT MIN(c.signed_at) FROM ledger_checkpoint c WHERE c.size > l.position) "
            "FROM ledger_entry e LEFT JOIN ledger_leaf l ON l.entry_id = e.id WHERE e.id > %s",
            [after_entry_id],
        )
        rows = cursor.fetchall()
    waits: dict[str, list[float]] = {"all": [], "access": []}
    uncovered = 0
    for kind, appended_at, signed_at in rows:
        if signed_at is None:
            uncovered += 1
            continue
        seconds = (signed_at - appended_at).total_seconds()
        waits["all"].append(seconds)
        if kind == "access":
            waits["access"].append(seconds)
    figures = {}
    for name, values in waits.items():
        values.sort()
        figures[name] = {
            "entries": len(values),
            "median_ms": round(statistics.median(values) * 1000, 1) if values else None,
            "p95_ms": round(_percentile(values, 95) * 1000, 1) if values else None,
            "max_ms": round(values[-1] * 1000, 1) if values else None,
        }
    return {
        **figures,
        "not_yet_covered": uncovered,
        "checkpoint_seconds": settings.LEDGER_CHECKPOINT_SECONDS,
        "sequence_on_commit": settings.LEDGER_SEQUENCE_ON_COMMIT,
    }


def _verify() -> dict:
    """What manage.py verify_records does (ledger.verification.verify), timed."""
    try:
        verifier = keys.verifier_key()
    except note.NoteError as error:  # reported; verification then checks no signature
        verifier, key_problem = None, str(error)
    else:
        key_problem = None
    with _CpuSpent() as cpu:
        started = time.perf_counter()
        report = verification.verify(verifier=verifier, origin=settings.LEDGER_ORIGIN)
        seconds = time.perf_counter() - started
    return {
        "cpu": cpu.figures(report.size),
        "entries": report.size,
        "records": report.records,
        "seconds": round(seconds, 3),
        "entries_per_second": round(report.size / seconds) if seconds else None,
        "records_per_second": round(report.records / seconds) if seconds else None,
        "checkpoints": report.checkpoints,
        "witnessed": report.witnessed,
        "witnessed_size": report.witnessed_size,
        "pending": report.pending,
        "notes": report.notes + ([f"no signing key: {key_problem}"] if key_problem else []),
        "intact": report.intact,
        "first_problem": str(report.first_problem) if report.first_problem else None,
    }


class _CpuSpent:
    """The CPU seconds verification spends: this process and its workers, and the database's backends.

    On a machine shared with other work the seconds measure the wait for a core as much as the work; the CPU
    spent does not. Its half is the least time two idle cores could take (ADR 18). The backends' CPU is read
    from /proc while they run, so only a database on this machine is counted; elsewhere it is None.
    """

    def __init__(self):
        self.backends: dict[int, float] = {}
        self.stop = threading.Event()

    def __enter__(self):
        self.started = _process_cpu()
        self.sampler = threading.Thread(target=self._sample, daemon=True)
        if connection.vendor == "postgresql" and Path("/proc/self/stat").exists():
            self.sampler.start()
        return self

    def __exit__(self, *exc):
        self.spent = _process_cpu() - self.started
        self.stop.set()
        if self.sampler.is_alive():
            self.sampler.join()
        return False

    def _sample(self):
        # Its own connection: the backends of this database other than its own, every 50 ms.
        import psycopg2

        params = connection.get_connection_params()
        params.pop("cursor_factory", None)
        watcher = psycopg2.connect(**params)
        watcher.autocommit = True
        try:
            with watcher.cursor() as cursor:
                while not self.stop.wait(0.05):
                    cursor.execute(
                        "SELECT pid FROM pg_stat_activity"
                        " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                    )
                    for (pid,) in cursor.fetchall():
                        seconds = _backend_cpu(pid)
                        if seconds is not None:
                            self.backends[pid] = seconds
        finally:
            watcher.close()

    def figures(self, entries: int) -> dict:
        database = round(sum(self.backends.values()), 2) if self.sampler.ident else None
        total = self.spent + (database or 0)
        return {
            "python_seconds": round(self.spent, 2),
            "database_seconds": database,
            # The most two idle cores could do with this work, if every part ran in parallel.
            "entries_per_second_on_two_idle_cores": round(entries / (total / 2)) if total else None,
        }


def _process_cpu() -> float:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _backend_cpu(pid: int) -> float | None:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:  # gone, or another machine's
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class _Batch:
    """Byte strings made ready first; only SHA-256 over them is timed."""

    def __init__(self):
        self.items: list[bytes] = []
        self.seconds = 0.0
        self.count = 0

    def add(self, data: bytes) -> None:
        self.items.append(data)
        if len(self.items) >= HASH_BATCH:
            self.hash()

    def hash(self) -> None:
        sha256 = hashlib.sha256
        started = time.perf_counter()
        for data in self.items:
            sha256(data).digest()
        self.seconds += time.perf_counter() - started
        self.count += len(self.items)
        self.items.clear()


def _hash_alone() -> dict:
    """The bytes verification hashes, made ready first; then only SHA-256 over them is timed.

    Each record's canonical content and each entry's bytes with the leaf prefix (0x00, RFC 9162), read and
    made as verification's one pass reads and makes them, in one process: reading the rows and making the
    records' canonical bytes, and making the entries' bytes, are timed apart from the hashing, to show where
    verification's time goes.
    """
    read_seconds = entry_seconds = 0.0
    contents, leaves = _Batch(), _Batch()
    with transaction.atomic():  # one snapshot, and PostgreSQL's server-side cursors need a transaction
        for model in verification.ledger_models():
            reader = verification.RecordReader(model)
            made = reader.contents_in_one_pass()
            while True:
                started = time.perf_counter()
                item = next(made, None)
                read_seconds += time.perf_counter() - started
                if item is None:
                    break
                if item[1] is not None:
                    contents.add(item[1])
        query = Leaf.objects.order_by("position").values_list(
            "entry__kind",
            "entry__record_id",
            "entry__content_sha256",
            verification._CanonicalTime("entry__appended_at"),
        )
        rows = query.iterator(chunk_size=verification.TREE_CHUNK)
        while True:
            started = time.perf_counter()
            chunk = list(islice(rows, verification.TREE_CHUNK))
            read_seconds += time.perf_counter() - started
            if not chunk:
                break
            started = time.perf_counter()
            made = [
                b"\x00"
                + (
                    f'{{"appended_at":"{at}","content_sha256":"{sha}","id":"{record_id}","kind":"{kind}","v":1}}'.encode()
                    if isinstance(at, str)
                    else entry_text(kind=kind, record_id=record_id, content_sha256=sha, appended_at=at)
                )
                for kind, record_id, sha, at in chunk
            ]
            entry_seconds += time.perf_counter() - started
            for data in made:
                leaves.add(data)
    contents.hash()
    leaves.hash()
    hashed = contents.count + leaves.count
    hash_seconds = contents.seconds + leaves.seconds
    return {
        "records": contents.count,
        "entries": leaves.count,
        "hash_seconds": round(hash_seconds, 4),
        "records_hash_seconds": round(contents.seconds, 4),
        "entries_hash_seconds": round(leaves.seconds, 4),
        "sha256_per_second": round(hashed / hash_seconds) if hash_seconds else None,
        # The whole log's hashing alone (each entry's content and its leaf), in entries a second.
        "hashlib_entries_per_second": round(leaves.count / hash_seconds) if hash_seconds else None,
        # Reading the records and making their canonical bytes, as one stream; then the entries.
        "read_seconds": round(read_seconds, 3),
        "entry_bytes_seconds": round(entry_seconds, 3),
    }


def verify() -> dict:
    return {**_verify(), "baseline": _hash_alone()}


def bundle(fixture_path: str) -> dict:
    """The bundle of the fixture's child with 300 chronology entries, every kind of record, made by the
    fixture's lead as "Make the bundle" makes it (bundles.services.bundle_pdf), timed; nothing is kept or
    entered in the log, so the database is left as it was. The first PDF a process makes also pays for
    importing WeasyPrint: that is timed apart, on a one-page document, first."""
    from bundles import services as bundle_services
    from bundles.models import Kind, Purpose
    from core import pdf

    fixture = json.loads(Path(fixture_path).read_text())
    child = Child.objects.select_related("agency").get(pk=fixture["chronology_child_id"])
    lead = User.objects.select_related("staff_membership__agency").get(email=fixture["lead_email"])
    started = time.perf_counter()
    pdf.pdf_from_html("<!DOCTYPE html><html lang=en><title>Warm</title><p>Warm</p></html>")
    warm_seconds = time.perf_counter() - started
    choices = bundle_services.BundleChoices(
        purpose=Purpose.COURT,
        recipient="The benchmark",
        reason="How long a bundle of a long chronology takes to make.",
        period_start=None,
        period_end=None,
        kinds=tuple(Kind),
    )
    queries = []

    def counted(run, sql, *args):
        queries.append(sql)
        return run(sql, *args)

    # The PDF and what went in, as "Make the bundle" makes them; nothing is written. The service refuses a
    # bundle this large (BUNDLE_MOST_RECORDS, while bundles are printed as the lead waits): measured all the same,
    # to show what it would take.
    settings.BUNDLE_MOST_RECORDS = sys.maxsize
    with connection.execute_wrapper(counted):
        started, cpu_started = time.perf_counter(), time.process_time()
        made, pages, contents = bundle_services.bundle_pdf(user=lead, child=child, choices=choices)
        seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu_started
    return {
        "records": len(contents),
        "pages": pages,
        "bytes": len(made),
        "queries": len(queries),
        "seconds": round(seconds, 2),
        # This process's CPU: on a machine shared with other work, the figure to compare.
        "cpu_seconds": round(cpu_seconds, 2),
        "weasyprint_import_seconds": round(warm_seconds, 2),
    }


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    if command == "children":
        print(json.dumps({"children": Child.objects.count(), "vendor": connection.vendor}))
    elif command == "fixture":
        from scale.models import Fixture

        made = Fixture.objects.order_by("-created_at").first()
        print(json.dumps(made.data if made else None))
    elif command == "facts" and len(sys.argv) == 3:
        print(json.dumps(facts(sys.argv[2])))
    elif command == "lag" and len(sys.argv) == 3:
        print(json.dumps(lag(int(sys.argv[2]))))
    elif command == "verify":
        print(json.dumps(verify()))
    elif command == "bundle" and len(sys.argv) == 3:
        print(json.dumps(bundle(sys.argv[2])))
    else:
        sys.exit(__doc__)
