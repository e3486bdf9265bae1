"""A page of a long list (the dashboard's lists, the audit histories, the requests), and how long the list is.

Every paged list shows its page with ``core/includes/pagination.html`` and reads
the page asked for with ``page_number``; ``page_query`` makes the links.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Window

# The rows a page of a long list shows.
PAGE_ROWS = 50
# The rows counted past the page shown; past that the page says "more than".
COUNT_LIMIT = 1000
# Far enough for any real list; keeps an OFFSET typed into the address sensible.
MAX_PAGE = 100_000


@dataclass
class Page:
    rows: list
    total: int
    offset: int = 0
    # The list holds more than ``total`` rows: the count stopped there.
    more_than: bool = False
    size: int = 50

    @property
    def total_label(self) -> str:
        return f"more than {self.total:,}" if self.more_than else f"{self.total:,}"

    @property
    def first(self) -> int:
        return self.offset + 1

    @property
    def last(self) -> int:
        return self.offset + len(self.rows)

    @property
    def has_more(self) -> bool:
        return self.more_than or self.last < self.total

    @property
    def number(self) -> int:
        return self.offset // self.size + 1


def page_number(request, name: str = "page") -> int:
    """The page asked for (``?page=``, or ``name`` where a page pages two lists): 1 for anything else."""
    try:
        return min(max(int(request.GET.get(name, "1")), 1), MAX_PAGE)
    except ValueError:
        return 1


def page_query(request, page: int, name: str = "page") -> str:
    """The address's query with the page ``name`` set: the filters (and any other list's page) stay."""
    query = request.GET.copy()
    query[name] = str(page)
    return query.urlencode()


def page_of(queryset, page: int, *, size: int = PAGE_ROWS, count_limit: int = COUNT_LIMIT) -> Page:
    """One page of an ordered queryset and how many rows it has: two queries, however long the list.

    The count stops ``count_limit`` rows past the page (then the page says "more than").
    """
    offset = (max(page, 1) - 1) * size
    limit = offset + size + count_limit
    counted = queryset.order_by()[: limit + 1].count()
    rows = list(queryset[offset : offset + size]) if counted > offset else []
    return Page(rows, min(counted, limit), offset, more_than=counted > limit, size=size)


def page_counted(queryset, page: int, *, size: int = PAGE_ROWS) -> Page:
    """One page of an ordered queryset, its rows carrying how many there are in all: one query (two only
    for a page past the end, which has no row to carry the count). For short lists, such as a person's own."""
    offset = (max(page, 1) - 1) * size
    rows = list(queryset.annotate(list_total=Window(Count("pk")))[offset : offset + size])
    total = rows[0].list_total if rows else (queryset.count() if offset else 0)
    return Page(rows, total, offset, size=size)
