"""The overdue checks: each finds what has come due and tells the people who must act, once (ADR 24).

A check lives with the records it reads (``exchange/overdue.py``, ``consent/overdue.py``,
``subject_access/overdue.py``), since those apps stand above this one, and declares itself here::

    @overdue.check("consent reviews due")
    def consent_reviews_due(today: date) -> int: ...

It calls ``services.notifications_make`` with an ``about`` that names the record and the date come due:
a notification already made for that is not made again, so a check can run as often as it likes and
tells each person once. ``tasks.overdue_notify`` and ``manage.py notify overdue`` run them all.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

Check = Callable[[date], int]
_checks: dict[str, Check] = {}


def check(name: str) -> Callable[[Check], Check]:
    def register(function: Check) -> Check:
        _checks[name] = function
        return function

    return register


def checks() -> dict[str, Check]:
    """Every check, by name: each installed app's ``overdue`` module declares its own."""
    autodiscover_modules("overdue")
    return dict(sorted(_checks.items()))


def run(*, names: list[str] | None = None, today: date | None = None) -> dict[str, int]:
    """Run the checks named (all of them by default); how many notifications each made."""
    found = checks()
    unknown = set(names or ()) - set(found)
    if unknown:
        raise KeyError(f"No such check: {', '.join(sorted(unknown))}")
    today = today or timezone.localdate()
    return {name: function(today) for name, function in found.items() if not names or name in names}
