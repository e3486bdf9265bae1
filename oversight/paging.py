"""A page of a long list (the dashboard's lists, the audit histories), and how long the list is."""

from __future__ import annotations

from dataclasses import dataclass


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
