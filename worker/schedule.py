"""Periodic background tasks: what each app asks the worker to enqueue, and how often (ADR 23).

Django's Tasks framework has no scheduler, so an app registers its periodic tasks here, from its
AppConfig.ready(), and the worker's scheduler (worker.scheduler) enqueues each when it falls due:

    schedule.every(timedelta(seconds=1), tasks.place_entries, when=sequencer.entries_waiting)
    schedule.every(timedelta(days=1), tasks.remind_overdue)

`when`, if given, is asked before each run (a cheap query): a task with nothing to do is not enqueued.
A run is not enqueued while the last is still waiting or running, so a slow task never piles up.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.tasks import Task


@dataclass(frozen=True)
class Periodic:
    task: Task
    interval: timedelta
    when: Callable[[], bool] | None = None

    @property
    def name(self) -> str:
        return self.task.module_path


SCHEDULE: dict[str, Periodic] = {}


def every(interval: timedelta, task: Task, *, when: Callable[[], bool] | None = None) -> None:
    """Enqueue `task` (no arguments) every `interval`, and only when `when()` says there is work."""
    if interval <= timedelta(0):
        raise ValueError("a periodic task needs an interval longer than nothing")
    periodic = Periodic(task=task, interval=interval, when=when)
    SCHEDULE[periodic.name] = periodic
