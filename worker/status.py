"""What the worker last found of tasks failing, written to a file for the web server to read (ADR 23).

The lead's "For review" shows tasks failing, and is already at its most queries (docs/performance.md): so
the worker, which counts them in the database every few seconds anyway, writes what it found to
TASKS_STATUS_FILE, and the page reads that file, not the database. The time it was written says whether
a worker is running at all: a status older than TASKS_WORKER_LOST_SECONDS means none has been heard from,
and nothing enqueued is being done.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.utils import timezone


@dataclass(frozen=True)
class FailingKind:
    kind: str
    failed: int
    retrying: int


@dataclass(frozen=True)
class WorkerStatus:
    written_at: datetime | None
    kinds: list[FailingKind]

    @property
    def worker_silent(self) -> bool:
        """No worker has written for longer than a live one ever waits between writes."""
        lost = timedelta(seconds=settings.TASKS_WORKER_LOST_SECONDS)
        return self.written_at is None or timezone.now() - self.written_at > lost


def write(kinds: list[FailingKind], *, now: datetime | None = None, path: Path | None = None) -> None:
    """Replace the status file at once (a reader sees the old one or the new one, never half)."""
    path = Path(path or settings.TASKS_STATUS_FILE)
    path.parent.mkdir(parents=True, exist_ok=True)
    content = {"written_at": (now or timezone.now()).isoformat(), "kinds": [asdict(kind) for kind in kinds]}
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".worker-status-")
    with os.fdopen(handle, "w") as file:
        json.dump(content, file)
    os.replace(temporary, path)


def read(*, path: Path | None = None) -> WorkerStatus:
    path = Path(path or settings.TASKS_STATUS_FILE)
    try:
        content = json.loads(path.read_text())
        return WorkerStatus(
            written_at=datetime.fromisoformat(content["written_at"]),
            kinds=[FailingKind(**kind) for kind in content["kinds"]],
        )
    except (OSError, ValueError, KeyError, TypeError):
        return WorkerStatus(written_at=None, kinds=[])
