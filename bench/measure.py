"""Timing requests from several clients at once, and summing them up against the targets."""

from __future__ import annotations

import http.client
import statistics
import threading
import time
from dataclasses import dataclass, field

from bench.client import BenchError, Client, Response

# Targets from issue 7 (and ADR 13 for the log), on PostgreSQL, 100,000 children, 1,000,000 records, 2 cores.
TARGET_P95_MS = 50.0
TARGET_FLOOR_RATIO = 3.0
TARGET_MAX_QUERIES = 12
TARGET_DECISIONS_PER_SECOND = 100.0
TARGET_VERIFY_PER_SECOND = 100_000.0
# ADR 13: a logged page's p95 within this of the same page with the access log off.
TARGET_ACCESS_LOG_MS = 5.0


@dataclass
class Sample:
    seconds: float
    queries: list[int | None]
    query_ms: list[float | None]


@dataclass
class Measurement:
    name: str
    samples: list[Sample] = field(default_factory=list)
    requests_per_sample: int = 1
    wall_seconds: float = 0.0
    # Why the page was not measured fully: it failed, or one request took too long to ask for 200.
    failure: str = ""

    def add(self, responses: list[Response]) -> None:
        self.requests_per_sample = len(responses)
        self.samples.append(
            Sample(sum(r.seconds for r in responses), [r.queries for r in responses], [r.query_ms for r in responses])
        )

    def summary(self, floor_p95_ms: float | None) -> dict:
        if not self.samples:
            return {"requests": 0, "failure": self.failure, "targets": dict.fromkeys(TARGET_NAMES, False)}
        times = sorted(s.seconds * 1000 for s in self.samples)
        median = statistics.median(times)
        p95 = percentile(times, 95)
        per_request_queries = list(zip(*(s.queries for s in self.samples), strict=True))
        per_request_ms = list(zip(*(s.query_ms for s in self.samples), strict=True))
        queries_max = [max((q or 0) for q in column) for column in per_request_queries]
        queries_min = [min((q or 0) for q in column) for column in per_request_queries]
        # Most requests: the count without the session's once-a-minute save and other occasional writes.
        queries_usual = [statistics.mode((q or 0) for q in column) for column in per_request_queries]
        query_ms_median = [statistics.median((q or 0.0) for q in column) for column in per_request_ms]
        result = {
            "requests": len(self.samples),
            "requests_per_sample": self.requests_per_sample,
            "median_ms": round(median, 2),
            "p95_ms": round(p95, 2),
            "max_ms": round(times[-1], 2),
            "queries_per_request_max": queries_max,
            "queries_per_request_min": queries_min,
            "queries_per_request_usual": queries_usual,
            "query_ms_median": [round(ms, 2) for ms in query_ms_median],
            "requests_per_second": round(len(self.samples) * self.requests_per_sample / self.wall_seconds, 1)
            if self.wall_seconds
            else None,
        }
        if self.failure:
            result["failure"] = self.failure
        if floor_p95_ms:
            ratio = p95 / (floor_p95_ms * self.requests_per_sample)
            result["p95_over_floor"] = round(ratio, 2)
            result["targets"] = {
                # Issue 20: 50 ms a page, 100 ms for a step of two requests (a form sent and the page it leads to).
                "p95_under_50_ms": p95 <= TARGET_P95_MS * self.requests_per_sample,
                "within_3_times_floor": ratio <= TARGET_FLOOR_RATIO,
                "at_most_12_queries": max(queries_usual) <= TARGET_MAX_QUERIES,
            }
        return result


TARGET_NAMES = ("p95_under_50_ms", "within_3_times_floor", "at_most_12_queries")


def percentile(ordered: list[float], percent: float) -> float:
    """Nearest-rank percentile of sorted values."""
    rank = max(1, -(-len(ordered) * percent // 100))
    return ordered[int(rank) - 1]


def run_concurrently(clients: list[Client], work) -> float:
    """Run work(client, index) in one thread per client, started together; returns the wall time."""
    barrier = threading.Barrier(len(clients) + 1)
    errors: list[BaseException] = []

    def body(client, index):
        barrier.wait()
        try:
            work(client, index)
        except BaseException as error:  # reported in the main thread
            errors.append(error)

    threads = [threading.Thread(target=body, args=(c, i), daemon=True) for i, c in enumerate(clients)]
    for thread in threads:
        thread.start()
    barrier.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return time.perf_counter() - started


# A page whose first request takes longer than this is not asked for 200 times more.
SLOW_PAGE_SECONDS = 5.0


def measure(
    name: str, clients: list[Client], action, total: int, warmup: int, progress=print, *, alternate=None
) -> Measurement:
    """``total`` samples of ``action(client)`` (a list of responses), spread over the clients at once.

    One request is tried alone first: a page that fails, or takes longer than
    SLOW_PAGE_SECONDS, is reported with that one request instead.

    ``alternate``: (a Measurement, headers): every other request of each client is sent with these headers
    and counted there instead, ``total`` more, so that the two are measured over the same seconds under
    the same load (a logged page and the same page without its access event).
    """
    measurement = Measurement(name)
    lock = threading.Lock()
    per_client = -(-total // len(clients))
    started = time.perf_counter()
    try:
        first = action(clients[0])
    except (BenchError, OSError, http.client.HTTPException) as error:
        clients[0].close()
        measurement.failure = f"failed after {time.perf_counter() - started:.1f} s: {str(error)[:200]}"
        progress(f"  {name}: {measurement.failure}")
        return measurement
    if sum(response.seconds for response in first) > SLOW_PAGE_SECONDS:
        measurement.add(first)
        measurement.failure = (
            f"too slow to measure 200 times: one request alone took {measurement.samples[0].seconds:.1f} s"
        )
        progress(f"  {name}: {measurement.failure}")
        return measurement
    other, headers = alternate if alternate else (None, {})

    def ask(client, into):
        if into is other:
            client.extra_headers.update(headers)
        try:
            responses = action(client)
        finally:
            for header in headers:
                client.extra_headers.pop(header, None)
        return responses

    def warm(client, _index):
        for number in range(warmup):
            ask(client, other if other is not None and number % 2 else measurement)

    def work(client, index):
        for number in range(per_client * (2 if other is not None else 1)):
            # Clients start on different sides, so that both are asked for at every moment.
            into = other if other is not None and (number + index) % 2 else measurement
            responses = ask(client, into)
            with lock:
                into.add(responses)

    if warmup:
        run_concurrently(clients, warm)
    measurement.wall_seconds = run_concurrently(clients, work)
    if other is not None:
        other.wall_seconds = measurement.wall_seconds
        progress(f"  {name}: {len(measurement.samples)} done, and {len(other.samples)} {other.name}")
    else:
        progress(f"  {name}: {len(measurement.samples)} done")
    return measurement
