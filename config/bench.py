"""What `make bench` needs from the service, and nothing else: on only with BENCH_QUERY_HEADERS=true.

QueryCountHeadersMiddleware tells the benchmark how many SQL queries a
request ran and how long the database took over them; ``floor`` is the
cheapest signed-in page there is, so every page's time can be read as a
multiple of what the server, the middleware and the session cost anyway.
Never turned on in production: the headers would tell anyone how a page
queries the database.
"""

from __future__ import annotations

import time

from django.db import connection
from django.http import HttpResponse

QUERY_COUNT_HEADER = "X-Query-Count"
QUERY_TIME_HEADER = "X-Query-Time-Ms"


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
