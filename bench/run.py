"""The benchmark: the service under gunicorn as in production, measured as its users would feel it.

    python bench/run.py                  # PostgreSQL at BENCH_DATABASE_URL
    python bench/run.py --sqlite         # the SQLite file at BENCH_SQLITE_PATH

`make bench` runs it with --prepare, which first creates the PostgreSQL
database if it is missing, migrates it, and seeds it with `manage.py
seed_scale` when it holds no children (docs/performance.md). Then, in the
standard library only, it:

1. asks Django (bench/django_side.py) for the data sizes and what a browser
   cannot see: the lead's authenticator key, children to record decisions about;
2. starts the ledger's sequencer (`manage.py ledger sequence --loop`, as
   production runs it) and gunicorn on 127.0.0.1 with production settings
   (DEBUG off, a fresh SECRET_KEY, two-factor for leads) plus
   BENCH_QUERY_HEADERS, which adds each response's SQL query count and time
   and a floor page, and a key for this run with which a request can ask to be
   served without its access event (config/bench.py);
3. signs in through the real sign-in pages (the lead with a code from the
   authenticator key) and times every page with 4 clients at once; each page
   that writes an access event is timed twice in a row, with its access event
   and without it, to give what the access log costs it;
4. walks the eight questions to "Record decision", then measures how many
   decisions 4 clients record per second;
5. measures how long each entry written meanwhile waited for a signed
   checkpoint covering it (and, on PostgreSQL, whether any request waited on
   a lock), stops gunicorn and the sequencer, and times verify_records over the
   whole log against hashlib alone;
6. prints a table and writes bench/results/<date>-<database>.json (-2, -3, ... after the first run of a day).

The client plays the part of the TLS-terminating proxy production has in
front of gunicorn: it sends X-Forwarded-Proto: https (SECURE_PROXY_SSL_HEADER
is set for it), so HTTPS redirects, secure cookies, HSTS and the CSRF origin
check all stay as in production, with plain http on the loopback only.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.client import BenchError, Client, sign_in
from bench.flow import FLOW_STEPS, LONDON, ChildPicker, flow_answers, walk_decision
from bench.measure import Measurement, measure, percentile, run_concurrently
from bench.report import judge, print_table
from bench.server import (
    ROOT,
    Gunicorn,
    LockWatch,
    PgBouncer,
    Sequencer,
    django_side,
    load_average,
    machine,
    memory_kb,
    package_version,
    page_cpu,
    prepare,
    server_environment,
)

CHILD_LINK = re.compile(r'href="/children/([0-9a-f-]{36})/"')
# config/bench.py: a request carrying this run's key in it is served without its access event.
ACCESS_LOG_OFF_HEADER = "X-Bench-Access-Log-Off"
# After the clients stop, the sequencer is left this long to sign a checkpoint covering the last entries.
SETTLE_SECONDS = 5.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sqlite", action="store_true", help="run against SQLite (BENCH_SQLITE_PATH)")
    parser.add_argument("--database-url", help="override BENCH_DATABASE_URL / the SQLite file")
    parser.add_argument("--prepare", action="store_true", help="create, migrate and (if empty) seed the database")
    parser.add_argument(
        "--fixture", help="default var/bench/fixture-<kind>-<database name>.json, else var/bench/fixture.json"
    )
    parser.add_argument("--requests", type=int, default=200, help="timed requests per page (at least 200)")
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--warmup", type=int, default=3, help="untimed requests per client before each page")
    parser.add_argument("--workers", type=int, default=int(os.environ.get("BENCH_WORKERS", "4")))
    parser.add_argument("--threads", type=int, default=int(os.environ.get("BENCH_THREADS", "1")))
    parser.add_argument("--port", type=int, default=int(os.environ.get("BENCH_PORT", "8765")))
    parser.add_argument(
        "--servers",
        type=int,
        default=1,
        help="gunicorn instances, as application servers (ports --port on), "
        "sharing --workers between them and the clients spread over them (ADR 29)",
    )
    parser.add_argument(
        "--pgbouncer", action="store_true", help="through PgBouncer in transaction pooling mode (PostgreSQL only)"
    )
    parser.add_argument("--throughput-seconds", type=float, default=30.0, help="end-to-end decisions, for this long")
    parser.add_argument("--record-burst", type=int, default=100, help='drafts per client for "Record decision" alone')
    parser.add_argument("--only", help="comma-separated parts: pages,flow,throughput,cpu,verify,bundle (default all)")
    parser.add_argument(
        "--profile",
        type=int,
        default=20,
        help="cpu: requests a page under cProfile, after those timed (0: no profile)",
    )
    parser.add_argument("--results", default=str(ROOT / "bench" / "results"))
    parser.add_argument("--no-write", action="store_true", help="print only; write no results file")
    args = parser.parse_args(argv)
    parts = set((args.only or "pages,flow,throughput,cpu,verify,bundle").split(","))
    if args.requests < 200:
        print(f"Note: {args.requests} requests per page, fewer than the 200 issue 7 asks for.")

    if args.sqlite:
        sqlite_path = ROOT / os.environ.get("BENCH_SQLITE_PATH", "var/bench.sqlite3")
        database_url = args.database_url or f"sqlite:///{sqlite_path.resolve()}"
    else:
        database_url = args.database_url or os.environ.get(
            "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bench"
        )
    # Each database has its own fixture, written by seed_scale when it filled it.
    database_name = Path(urllib.parse.urlsplit(database_url).path).stem
    own_fixture = ROOT / "var" / "bench" / f"fixture-{'sqlite' if args.sqlite else 'postgresql'}-{database_name}.json"
    if args.prepare:
        prepare(database_url, own_fixture)
    fixture_path = Path(args.fixture) if args.fixture else own_fixture
    if not args.fixture and not fixture_path.exists():
        fixture_path = ROOT / "var" / "bench" / "fixture.json"
    if not fixture_path.exists():
        raise BenchError(f"No fixture at {fixture_path}: seed the database first (make bench does)")
    fixture = json.loads(fixture_path.read_text())
    if args.servers < 1 or args.workers < args.servers:
        raise BenchError(f"--servers {args.servers} needs at least one gunicorn worker each (--workers {args.workers})")
    bouncer = None
    served_url = database_url
    if args.pgbouncer:
        if args.sqlite:
            raise BenchError("--pgbouncer is for PostgreSQL")
        parsed = urllib.parse.urlsplit(database_url)
        bouncer = PgBouncer(
            Path(tempfile.mkdtemp(prefix="bench-pgbouncer-")),
            users=[parsed.username or "postgres"],
            host=parsed.hostname or "127.0.0.1",
            port=parsed.port or 5432,
        )
        served_url = parsed._replace(netloc=f"{parsed.username or 'postgres'}@127.0.0.1:{bouncer.port}").geturl()
    env = server_environment(served_url)
    # What is measured from Django's side (sizes, lag, verification, the bundle) goes straight to PostgreSQL, as
    # operators run verify_records (docs/operations.md); the servers and the sequencer go through the pool.
    direct = {**env, "DATABASE_URL": database_url}
    if args.pgbouncer:
        env["DATABASE_POOL_MODE"] = "transaction"
    if not Path(env["LEDGER_SIGNING_KEY_FILE"]).exists():
        raise BenchError(f"No signing key at {env['LEDGER_SIGNING_KEY_FILE']}: run with --prepare (make bench does)")

    print(f"Data set and machine ({database_url.split('@')[-1]})...")
    facts = django_side(direct, "facts", str(fixture_path))
    started_at = datetime.now(LONDON)
    result: dict = {
        "started_at": started_at.isoformat(timespec="seconds"),
        "machine": {**machine(), "database": facts["database"]["version"]},
        "software": {name: package_version(name) for name in ("Django", "gunicorn", "psycopg2-binary")},
        "load_average_before": load_average(),
        "data_sizes": facts["data_sizes"],
        "settings": {
            "concurrency": args.concurrency,
            "requests_per_page": args.requests,
            "gunicorn_workers": args.workers,
            "gunicorn_threads": args.threads,
            # Application servers sharing the workers, the clients spread over them (ADR 29).
            "servers": args.servers,
            "database_pool": "PgBouncer, transaction pooling" if args.pgbouncer else "none",
            "debug": False,
            "two_factor": "roles",
            # Beside gunicorn, as in production (ADR 13); each worker also sequences after its commits.
            "ledger_sequencer": "manage.py ledger sequence --loop --interval=0.5",
        },
    }
    print(json.dumps(result["data_sizes"]))

    sequencer = Sequencer(env, ROOT / "var" / "bench" / "sequencer.log")
    per_server = args.workers // args.servers
    servers = [
        Gunicorn(env, args.port + i, per_server, args.threads, ROOT / "var" / "bench" / f"gunicorn-{i + 1}.log")
        for i in range(args.servers)
    ]
    try:
        for server in servers:
            server.wait_ready()
        sequencer.check()
        first_workers = {pid for server in servers for pid in server.workers()}
        locks = LockWatch(database_url)
        locks.start()
        ports = [server.port for server in servers]
        measured = run_http(args, parts, fixture, facts, ports, env["BENCH_ACCESS_LOG_OFF"])
        result.update(measured)
        result["lock_waits"] = locks.stop()
        # The last entries are covered by the sequencer's next checkpoint: give it time to sign one.
        time.sleep(SETTLE_SECONDS)
        sequencer.check()
        result["checkpoint_lag"] = django_side(direct, "lag", str(facts["last_entry_id"]))
        # VmHWM: the most resident memory each process has had since it started.
        workers = [{"pid": pid, **memory_kb(pid)} for server in servers for pid in server.workers()]
        result["memory_kb"] = {
            "master": memory_kb(servers[0].process.pid),
            "workers": workers,
            "peak_worker_vmhwm": max((worker["VmHWM"] for worker in workers), default=None),
            # Workers gunicorn had to replace (killed at its timeout): their peak is not in the figures.
            "workers_replaced": len({worker["pid"] for worker in workers} - first_workers),
        }
    finally:
        for server in servers:
            server.stop()
        sequencer.stop()
        if bouncer is not None:
            bouncer.stop()

    if "cpu" in parts:
        print("Each page's CPU in one process (bench/page_cpu.py), then where it goes (cProfile)...")
        result["page_cpu"] = page_cpu(direct, fixture_path, args.profile)
    if "bundle" in parts:
        print("Making the bundle of the child with the long chronology (bundles.services.bundle_pdf)...")
        result["bundle"] = django_side(direct, "bundle", str(fixture_path))
    if "verify" in parts:
        print("Verifying the whole log (verify_records' work), then hashing the same bytes with hashlib alone...")
        result["verification"] = django_side(direct, "verify")
    result["load_average_after"] = load_average()
    result["targets"] = judge(result)
    print_table(result)
    if not args.no_write:
        vendor = facts["database"]["vendor"]
        out = results_path(Path(args.results), f"{started_at:%Y-%m-%d}-{vendor}")
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(result, indent=2) + "\n")
        print(f"\nWritten to {out.relative_to(ROOT) if out.is_relative_to(ROOT) else out}")
    return 0


def results_path(directory: Path, name: str) -> Path:
    """The first of name.json, name-2.json, ... that is not there: a run never writes over an earlier one's
    results (those in bench/results are quoted by docs/performance.md)."""
    out, number = directory / f"{name}.json", 1
    while out.exists():
        number += 1
        out = directory / f"{name}-{number}.json"
    return out


def run_http(args, parts: set[str], fixture: dict, facts: dict, ports: list[int], access_log_off_key: str) -> dict:
    """Every client sends all its requests to one server; the clients are spread over the servers in turn."""
    n, warmup = args.requests, args.warmup

    def port(index: int) -> int:
        return ports[index % len(ports)]

    password = fixture["password"]
    print(f"Signing in {args.concurrency} practitioners and the lead through the sign-in pages...")
    practitioners = [Client(port(i), f"practitioner {i + 1}") for i in range(args.concurrency)]
    # Everyone has a second factor (TWO_FACTOR=everyone): the first sign-in sets up the practitioner's
    # authenticator app, unless an earlier run did, and the other clients use the same one.
    practitioner_app = facts["practitioner_authenticator"]
    for client in practitioners:
        practitioner_app = sign_in(client, fixture["practitioner_email"], password, practitioner_app)
    lead = Client(port(0), "lead")
    sign_in(lead, fixture["lead_email"], password, facts["lead_authenticator"])
    # One lead, several tabs: the lead's pages are asked for 4 at a time in one session.
    leads = [lead] + [Client(port(i + 1), f"lead tab {i + 2}") for i in range(args.concurrency - 1)]
    for tab in leads[1:]:
        tab.cookies, tab.csrf_token = dict(lead.cookies), lead.csrf_token
    visitors = [Client(port(i), f"visitor {i + 1}") for i in range(args.concurrency)]

    chronology_child = fixture["chronology_child_id"]
    search = fixture["search"]
    dob = datetime.fromisoformat(search["date_of_birth"]).date()
    blank_date = {"date_of_birth_0": "", "date_of_birth_1": "", "date_of_birth_2": ""}
    found = practitioners[0].post_then_get("/children/", {"text": search["nhs_number"], **blank_date})[1]
    matches = CHILD_LINK.findall(found.body)
    if not matches:
        raise BenchError("The NHS number in the fixture finds no child")
    searched_child = matches[0]

    measurements: list[Measurement] = []
    # Every page after these two writes an access event.
    unlogged = 2
    pages: list[tuple[str, list[Client], object]] = [
        ("Floor: a trivial signed-in page", practitioners, lambda c: [c.get("/bench/floor/")]),
        ("Sign-in page", visitors, lambda c: [c.get("/accounts/login/")]),
        (
            "Child search by name",
            practitioners,
            lambda c: c.post_then_get("/children/", {"text": search["family_name"], **blank_date}),
        ),
        (
            "Child search by date of birth",
            practitioners,
            lambda c: c.post_then_get(
                "/children/",
                {"text": "", "date_of_birth_0": dob.day, "date_of_birth_1": dob.month, "date_of_birth_2": dob.year},
            ),
        ),
        (
            "Child search by NHS number",
            practitioners,
            lambda c: c.post_then_get("/children/", {"text": search["nhs_number"], **blank_date}),
        ),
        ("Child's page (found by NHS number)", practitioners, lambda c: [c.get(f"/children/{searched_child}/")]),
        ("Child's page (300 chronology entries)", practitioners, lambda c: [c.get(f"/children/{chronology_child}/")]),
        ("Chronology (300 entries)", practitioners, lambda c: [c.get(f"/children/{chronology_child}/chronology/")]),
        ("Decision page", practitioners, lambda c: [c.get(f"/decisions/{fixture['decision_id']}/")]),
        ("Lead's dashboard", leads, lambda c: [c.get("/for-review/")]),
        ("Audit history of a child", leads, lambda c: [c.get(f"/children/{chronology_child}/audit/")]),
        (
            "Access log of one member of staff",
            leads,
            lambda c: [c.get(f"/audit/staff/{fixture['staff_member_id']}/?section=accesses")],
        ),
    ]
    result: dict = {"pages": {}}
    logging_off: dict[str, Measurement] = {}
    if "pages" in parts:
        print(f"Pages: {n} requests each, {args.concurrency} at a time; a logged page {n} more without its event...")
        for number, (name, clients, action) in enumerate(pages):
            if number >= unlogged:
                # Asked for with and without its event in turn, over the same seconds.
                logging_off[name] = Measurement("without its access event")
                off = (logging_off[name], {ACCESS_LOG_OFF_HEADER: access_log_off_key})
                measurements.append(measure(name, clients, action, n, warmup, alternate=off))
            else:
                measurements.append(measure(name, clients, action, n, warmup))
    else:
        measurements.append(measure(pages[0][0], pages[0][1], pages[0][2], n, warmup))

    children = ChildPicker(facts["flow_children"])
    if "flow" in parts:
        print(f"The decision flow: {n} decisions, every step timed, {args.concurrency} at a time...")
        steps = [Measurement(name) for name in FLOW_STEPS]
        lock = threading.Lock()
        per_client = -(-n // args.concurrency)

        def walk(client, _index, count=per_client, timed=True):
            for _ in range(count):
                walked, _check = walk_decision(client, children.next(), flow_answers())
                if timed:
                    with lock:
                        for measurement, responses in zip(steps, walked, strict=True):
                            measurement.add(responses)

        run_concurrently(practitioners, lambda c, i: walk(c, i, count=1, timed=False))
        wall = run_concurrently(practitioners, walk)
        for measurement in steps:
            measurement.wall_seconds = wall
        measurements.extend(steps)

    floor = measurements[0].summary(None)["p95_ms"]
    for measurement in measurements:
        result["pages"][measurement.name] = measurement.summary(floor)
        if measurement.name in logging_off:
            figures = result["pages"][measurement.name]
            off = logging_off[measurement.name].summary(floor)
            figures["access_log_off"] = off
            if figures["requests"] and off["requests"]:
                figures["access_log_p95_cost_ms"] = round(figures["p95_ms"] - off["p95_ms"], 2)
                figures["access_log_median_cost_ms"] = round(figures["median_ms"] - off["median_ms"], 2)
    result["floor_p95_ms"] = floor

    if "throughput" in parts:
        result["throughput"] = throughput(args, practitioners, children)
    # Measured again last: how much the machine's speed moved during the run.
    result["floor_again"] = measure(
        "Floor again", practitioners, lambda c: [c.get("/bench/floor/")], n, warmup
    ).summary(floor)
    for client in [*practitioners, *leads, *visitors]:
        client.close()
    return result


def throughput(args, practitioners: list[Client], children: ChildPicker) -> dict:
    seconds = args.throughput_seconds
    print(f"Throughput: {args.concurrency} clients recording decisions end to end for {seconds:.0f} seconds...")
    done = [0] * len(practitioners)
    requests = [0] * len(practitioners)

    def end_to_end(client, index):
        deadline = time.perf_counter() + seconds
        while time.perf_counter() < deadline:
            walked, _check = walk_decision(client, children.next(), flow_answers())
            done[index] += 1
            requests[index] += sum(len(step) for step in walked)

    wall = run_concurrently(practitioners, end_to_end)
    end_to_end_result = {
        "seconds": round(wall, 2),
        "decisions": sum(done),
        "requests": sum(requests),
        "decisions_per_second": round(sum(done) / wall, 2),
        "requests_per_decision": round(sum(requests) / max(sum(done), 1), 1),
    }

    burst = args.record_burst
    print(f'Throughput: preparing {burst} drafts per client, then only "Record decision", 4 clients at once...')
    ready: list[list[str]] = [[] for _ in practitioners]

    def prepare(client, index):
        for _ in range(burst):
            _steps, check = walk_decision(client, children.next(), flow_answers(), follow=False, record=False)
            ready[index].append(check)

    run_concurrently(practitioners, prepare)
    latencies: list[float] = []
    lock = threading.Lock()

    def record(client, index):
        for check in ready[index]:
            response = client.post(check)
            with lock:
                latencies.append(response.seconds * 1000)

    wall_record = run_concurrently(practitioners, record)
    latencies.sort()
    recorded = len(latencies)
    return {
        "end_to_end": end_to_end_result,
        "record_only": {
            "decisions": recorded,
            "seconds": round(wall_record, 2),
            "decisions_per_second": round(recorded / wall_record, 1),
            "median_ms": round(statistics.median(latencies), 2),
            "p95_ms": round(percentile(latencies, 95), 2),
        },
    }


def _stop_on_terminate(signum, frame):
    # Unwinds through main's finally, which stops gunicorn: no server is left behind.
    raise SystemExit(128 + signum)


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, _stop_on_terminate)
    try:
        sys.exit(main())
    except (BenchError, subprocess.CalledProcessError) as error:
        print(f"bench: {error}", file=sys.stderr)
        sys.exit(1)
