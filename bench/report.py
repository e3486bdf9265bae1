"""Which targets were met, and the table printed at the end."""

from __future__ import annotations

from bench.measure import TARGET_DECISIONS_PER_SECOND, TARGET_VERIFY_PER_SECOND


def judge(result: dict) -> dict:
    pages = {name: figures for name, figures in result.get("pages", {}).items() if not name.startswith("Floor")}
    targets: dict = {
        "pages_p95_under_50_ms": {name: f["targets"]["p95_under_50_ms"] for name, f in pages.items()},
        "pages_within_3_times_floor": {name: f["targets"]["within_3_times_floor"] for name, f in pages.items()},
        "pages_at_most_12_queries": {name: f["targets"]["at_most_12_queries"] for name, f in pages.items()},
        "query_counts_do_not_grow": "checked by tests/test_query_counts.py (little against more data)",
    }
    if "throughput" in result:
        targets["record_decision_100_per_second"] = (
            result["throughput"]["record_only"]["decisions_per_second"] >= TARGET_DECISIONS_PER_SECOND
        )
    if "verification" in result:
        targets["verification_100000_per_second"] = (
            result["verification"]["records_per_second"] or 0
        ) >= TARGET_VERIFY_PER_SECOND
        targets["chains_intact"] = result["verification"]["intact"]
    return targets


def _mark(ok: bool) -> str:
    return "" if ok else " !"


def print_table(result: dict) -> None:
    sizes = result["data_sizes"]
    print()
    print(
        f"{result['machine']['cpu']}, {result['machine']['cores']} cores, {result['machine']['memory_gb']} GB; "
        f"{result['machine']['database']}; Python {result['machine']['python']}; gunicorn "
        f"{result['settings']['gunicorn_workers']} workers x {result['settings']['gunicorn_threads']} threads"
    )
    print(
        f"{sizes['children']:,} children, {sizes['records_chain']:,} records in the chain, "
        f"{sizes['access_chain']:,} access log entries; load average before {result['load_average_before']}, "
        f"after {result['load_average_after']}"
    )
    print()
    header = f"{'page':<42} {'n':>4} {'median ms':>10} {'p95 ms':>8} {'p95/floor':>10} {'queries':>9} {'query ms':>9}"
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
        print(
            f"{name[:42]:<42} {figures['requests']:>4} {figures['median_ms']:>10.1f} "
            f"{figures['p95_ms']:>6.1f}{_mark(targets.get('p95_under_50_ms', True)):<2} "
            f"{ratio if ratio is not None else '':>8}{_mark(targets.get('within_3_times_floor', True)):<2} "
            f"{queries:>7}{_mark(targets.get('at_most_12_queries', True)):<2} {query_ms:>9}"
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
    print(" compared with twice the floor)")
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
    if "verification" in result:
        v = result["verification"]
        print(
            f"Verification: {v['records']:,} records at {v['records_per_second']:,}/s"
            f"{_mark((v['records_per_second'] or 0) >= TARGET_VERIFY_PER_SECOND)}; hashlib alone on the same "
            f"bytes {v['hashlib_records_per_second']:,}/s; chains {'intact' if v['intact'] else 'BROKEN'}"
        )
        for name, chain in v["chains"].items():
            base = chain["baseline"]
            print(
                f"  {name}: {chain['records']:,} records in {chain['seconds']} s ({chain['records_per_second']:,}/s); "
                f"reading {base['read_seconds']} s, canonical bytes {base['canonical_seconds']} s, "
                f"sha256 {base['hash_seconds']} s"
            )
    memory = result.get("memory_kb")
    if memory and memory["peak_worker_vmhwm"]:
        print(
            f"Peak memory of a worker (VmHWM): {memory['peak_worker_vmhwm'] / 1024:.0f} MB "
            f"({len(memory['workers'])} workers); master {memory['master']['VmHWM'] / 1024:.0f} MB"
            + (f"; {memory['workers_replaced']} workers replaced after a timeout" if memory["workers_replaced"] else "")
        )
