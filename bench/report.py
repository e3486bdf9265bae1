"""Which targets were met, and the table printed at the end."""

from __future__ import annotations

from bench.measure import TARGET_ACCESS_LOG_MS, TARGET_DECISIONS_PER_SECOND, TARGET_VERIFY_PER_SECOND

# Issue 18: the bundle of the child with 300 chronology entries, made in under 10 seconds at full size.
TARGET_BUNDLE_SECONDS = 10

# What a lock wait on the log's own tables looks like in pg_stat_activity (bench.server.LockWatch).
LOG_TABLES = ("ledger_", "audit_accessevent")


def waits_on_the_log(lock_waits: dict | None) -> list[dict]:
    return [wait for wait in (lock_waits or {}).get("waits", []) if any(t in wait["what"] for t in LOG_TABLES)]


def judge(result: dict) -> dict:
    pages = {name: figures for name, figures in result.get("pages", {}).items() if not name.startswith("Floor")}
    targets: dict = {
        "pages_p95_under_50_ms": {name: f["targets"]["p95_under_50_ms"] for name, f in pages.items()},
        "pages_within_3_times_floor": {name: f["targets"]["within_3_times_floor"] for name, f in pages.items()},
        "pages_at_most_12_queries": {name: f["targets"]["at_most_12_queries"] for name, f in pages.items()},
        "query_counts_do_not_grow": "checked by tests/test_query_counts.py (little against more data)",
    }
    logged = {name: f for name, f in pages.items() if "access_log_p95_cost_ms" in f}
    if logged:
        targets["logged_pages_p95_within_5_ms_of_logging_off"] = {
            name: f["access_log_p95_cost_ms"] <= TARGET_ACCESS_LOG_MS for name, f in logged.items()
        }
    if result.get("lock_waits") is not None:
        # ADR 13: appending takes no lock another writer holds (PostgreSQL only: where the sampling can see it).
        targets["no_logged_page_waits_on_another_append"] = not waits_on_the_log(result["lock_waits"])
    if "throughput" in result:
        targets["record_decision_100_per_second"] = (
            result["throughput"]["record_only"]["decisions_per_second"] >= TARGET_DECISIONS_PER_SECOND
        )
    if "bundle" in result:
        targets["bundle_under_10_seconds"] = result["bundle"]["seconds"] < TARGET_BUNDLE_SECONDS
    if "verification" in result:
        targets["verification_100000_entries_per_second"] = (
            result["verification"]["entries_per_second"] or 0
        ) >= TARGET_VERIFY_PER_SECOND
        targets["log_intact"] = result["verification"]["intact"]
    return targets


def _mark(ok: bool) -> str:
    return "" if ok else " !"


def _servers(settings: dict) -> str:
    """Several application servers, or a pool in front of the database (ADR 29); nothing for the usual run."""
    servers = settings.get("servers", 1)
    pool = settings.get("database_pool", "none")
    said = f" over {servers} servers (the clients spread over them)" if servers > 1 else ""
    return said + (f"; the database through {pool}" if pool != "none" else "")


def print_table(result: dict) -> None:
    sizes = result["data_sizes"]
    print()
    print(
        f"{result['machine']['cpu']}, {result['machine']['cores']} cores, {result['machine']['memory_gb']} GB; "
        f"{result['machine']['database']}; Python {result['machine']['python']}; gunicorn "
        f"{result['settings']['gunicorn_workers']} workers x {result['settings']['gunicorn_threads']} threads"
        + _servers(result["settings"])
    )
    print(
        f"{sizes['children']:,} children, {sizes['access_events']:,} access events, {sizes['log_entries']:,} "
        f"entries in the log ({sizes['log_tree_size']:,} in its tree); load average before "
        f"{result['load_average_before']}, after {result['load_average_after']}"
    )
    print()
    header = (
        f"{'page':<42} {'n':>4} {'median ms':>10} {'p95 ms':>8} {'p95/floor':>10} {'queries':>9} {'query ms':>9}"
        f" {'p95 no log':>10} {'log +ms':>8}"
    )
    print(header)
    print("-" * len(header))
    for name, figures in result["pages"].items():
        if not figures["requests"]:
            print(f"{name[:42]:<42} {0:>4}  {figures['failure']}")
            continue
        targets = figures.get("targets", {})
        queries = "+".join(str(q) for q in figures.get("queries_per_request_usual", figures["queries_per_request_max"]))
        query_ms = "+".join(f"{ms:.1f}" for ms in figures["query_ms_median"])
        ratio = figures.get("p95_over_floor")
        off, cost = figures.get("access_log_off"), figures.get("access_log_p95_cost_ms")
        logging = ""
        if off and off.get("requests"):
            logging = f" {off['p95_ms']:>10.1f} {cost:>+6.1f}{_mark(cost <= TARGET_ACCESS_LOG_MS):<2}"
        print(
            f"{name[:42]:<42} {figures['requests']:>4} {figures['median_ms']:>10.1f} "
            f"{figures['p95_ms']:>6.1f}{_mark(targets.get('p95_under_50_ms', True)):<2} "
            f"{ratio if ratio is not None else '':>8}{_mark(targets.get('within_3_times_floor', True)):<2} "
            f"{queries:>7}{_mark(targets.get('at_most_12_queries', True)):<2} {query_ms:>9}{logging}"
        )
        if figures.get("failure"):
            print(f"{'':<42}       ^ {figures['failure']}")
    again = result.get("floor_again")
    if again:
        print(
            f"{'Floor, measured again at the end':<42} {again['requests']:>4} {again['median_ms']:>10.1f} "
            f"{again['p95_ms']:>6.1f}"
        )
    print("(! misses a target; a step of two requests is a form sent and the page it leads to,")
    print(" compared with 100 ms and twice the floor; 'p95 no log' is the same page asked for")
    most = f"{TARGET_ACCESS_LOG_MS:g}"
    print(f" without its access event, 'log +ms' what the access log adds to its p95, at most {most} ms)")
    lag = result.get("checkpoint_lag")
    if lag:
        print()
        for name, label in (("all", "every entry"), ("access", "access events")):
            figures = lag.get(name) or {}
            if figures.get("entries"):
                print(
                    f"From appended to covered by a signed checkpoint, {label} written during the run "
                    f"({figures['entries']:,}): median {figures['median_ms']:,.0f} ms, "
                    f"p95 {figures['p95_ms']:,.0f} ms, max {figures['max_ms']:,.0f} ms"
                )
        if lag.get("not_yet_covered"):
            print(f"  {lag['not_yet_covered']:,} entries were not yet covered by a checkpoint at the end")
    locks = result.get("lock_waits")
    if locks is not None:
        on_log = waits_on_the_log(locks)
        print(
            f"Lock waits while the clients ran (pg_stat_activity every {locks['every_ms']} ms, {locks['samples']:,} "
            f"samples): {locks['samples_with_a_lock_wait']:,} samples with a backend waiting, "
            f"{sum(w['samples'] for w in on_log):,} of them on the log's tables{_mark(not on_log)}"
        )
        for wait in locks["waits"][:5]:
            print(f"  {wait['samples']:>5} x {wait['what']}")
    if "page_cpu" in result:
        _print_page_cpu(result["page_cpu"])
    if "throughput" in result:
        e2e, rec = result["throughput"]["end_to_end"], result["throughput"]["record_only"]
        print()
        print(
            f"Decisions end to end, 4 clients: {e2e['decisions_per_second']}/s "
            f"({e2e['decisions']} in {e2e['seconds']} s, {e2e['requests_per_decision']} requests each)"
        )
        print(
            f'"Record decision" alone, 4 clients: {rec["decisions_per_second"]}/s'
            f"{_mark(rec['decisions_per_second'] >= TARGET_DECISIONS_PER_SECOND)} "
            f"({rec['decisions']} in {rec['seconds']} s; median {rec['median_ms']} ms, p95 {rec['p95_ms']} ms)"
        )
    if "bundle" in result:
        b = result["bundle"]
        print(
            f"Bundle of the child with the long chronology: {b['records']:,} records, {b['pages']:,} pages "
            f"({b['bytes']:,} bytes), {b['queries']} queries, made in {b['seconds']} s ({b['cpu_seconds']} s of CPU)"
            f"{_mark(b['seconds'] < TARGET_BUNDLE_SECONDS)} (importing WeasyPrint first: "
            f"{b['weasyprint_import_seconds']} s)"
        )
    if "verification" in result:
        v = result["verification"]
        base = v["baseline"]
        speed = v["entries_per_second"] or 0
        print(
            f"Verification of the whole log: {v['entries']:,} entries ({v['records']:,} records) in {v['seconds']} s, "
            f"{speed:,} entries/s{_mark(speed >= TARGET_VERIFY_PER_SECOND)}"
            f"; hashlib alone on the same bytes (each record's content and each entry's leaf) "
            f"{base['hashlib_entries_per_second'] or 0:,} entries/s; log {'intact' if v['intact'] else 'BROKEN'}"
        )
        if v.get("first_problem"):
            print(f"  first problem: {v['first_problem']}")
        cpu = v.get("cpu")
        if cpu:
            database = "not measured" if cpu["database_seconds"] is None else f"{cpu['database_seconds']} s"
            print(
                f"  CPU spent: Python (with its workers) {cpu['python_seconds']} s, PostgreSQL {database}; "
                f"at most {cpu['entries_per_second_on_two_idle_cores'] or 0:,} entries/s on two idle cores"
            )
        print(
            f"  in one process: reading rows and making the records' canonical bytes {base['read_seconds']} s, "
            f"entry bytes {base['entry_bytes_seconds']} s, sha256 {base['hash_seconds']} s"
        )
    memory = result.get("memory_kb")
    if memory and memory["peak_worker_vmhwm"]:
        print(
            f"Peak memory of a worker (VmHWM): {memory['peak_worker_vmhwm'] / 1024:.0f} MB "
            f"({len(memory['workers'])} workers); master {memory['master']['VmHWM'] / 1024:.0f} MB"
            + (f"; {memory['workers_replaced']} workers replaced after a timeout" if memory["workers_replaced"] else "")
        )


# The service's own functions shown per page, from its profile.
PROFILE_LINES = 6


def _print_page_cpu(cpu: dict) -> None:
    print()
    print(
        f"Each page's CPU in one process (bench/page_cpu.py, {cpu['requests']} requests; load {cpu['load_average']}):"
    )
    for name, figures in cpu["pages"].items():
        database = "" if figures["database_ms"] is None else f" + PostgreSQL {figures['database_ms']:.1f} ms"
        print(f"  {name[:42]:<42} Python {figures['python_ms']:.1f} ms{database}")
        profile = figures.get("profile")
        if profile:
            for row in profile["service_code_with_what_it_calls"][:PROFILE_LINES]:
                print(f"      {row['ms']:>6.2f} ms  {row['calls']:>4} x {row['function']}")
    if any(figures.get("profile") for figures in cpu["pages"].values()):
        print("  (under cProfile: the service's functions with what they call, ms a request; the whole profile")
        print("   in var/bench/profile-<page>.pstats, and the functions by their own time in the results file)")
