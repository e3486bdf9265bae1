"""What `make bench` needs from the service, and nothing else: on only with BENCH_QUERY_HEADERS=true.

QueryCountHeadersMiddleware tells the benchmark how many SQL queries a
request ran and how long the database took over them; ``floor`` is the
cheapest signed-in page there is, so every page's time can be read as a
multiple of what the server, the middleware and the session cost anyway.
Never turned on in production: the headers would tell anyone how a page
queries the database.

``access_log_off`` lets the benchmark ask for a page without its access
event, to measure what the access log costs that page. It needs all three
of: BENCH_QUERY_HEADERS on, a key of at least 32 characters in the
environment variable BENCH_ACCESS_LOG_OFF (the benchmark makes a new one for
each run and gives it to the gunicorn it starts), and that key in the
request's X-Bench-Access-Log-Off header. Production sets neither variable,
so no request can turn the access log off there; a request without the key
is logged as always, whatever the settings.
"""

from __future__ import annotations

import hmac
import os
import time

from django.db import connection
from django.http import HttpResponse

QUERY_COUNT_HEADER = "X-Query-Count"
QUERY_TIME_HEADER = "X-Query-Time-Ms"
ACCESS_LOG_OFF_HEADER = "X-Bench-Access-Log-Off"
_ACCESS_LOG_OFF_META = "HTTP_X_BENCH_ACCESS_LOG_OFF"
# Read once, at start-up: the benchmark's key for this run, or nothing.
_ACCESS_LOG_OFF_KEY = os.environ.get("BENCH_ACCESS_LOG_OFF", "")
ACCESS_LOG_OFF_KEY_LENGTH = 32


class QueryTally:
    """An execute_wrapper that counts queries and adds up their time."""

    def __init__(self):
        self.count = 0
        self.seconds = 0.0

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - started
            self.count += 1


class QueryCountHeadersMiddleware:
    """First in MIDDLEWARE, so the session, the user and the access log are counted too."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        tally = QueryTally()
        with connection.execute_wrapper(tally):
            response = self.get_response(request)
        response[QUERY_COUNT_HEADER] = str(tally.count)
        response[QUERY_TIME_HEADER] = f"{tally.seconds * 1000:.2f}"
        return response


def floor(request):
    """A signed-in page that does nothing: only the middleware's work is left."""
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")


def access_log_off(request) -> bool:
    """Whether this request asked, with the benchmark's key for this run, to be served without its access event.

    audit.services.access_record asks only when BENCH_QUERY_HEADERS is on; without a key of the right length
    in the environment the answer is always no.
    """
    key = _ACCESS_LOG_OFF_KEY
    if len(key) < ACCESS_LOG_OFF_KEY_LENGTH or request is None:
        return False
    return hmac.compare_digest(request.META.get(_ACCESS_LOG_OFF_META, "").encode(), key.encode())
