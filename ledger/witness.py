"""The witness store: every signed checkpoint appended outside the database.

One file a day in ``LEDGER_WITNESS_DIR``, opened for appending only; each
line is JSON: the signed note, when it was signed, and the leaf hashes the
tree gained since the checkpoint before, so that verification can name the
first entry that differs from what was witnessed, not just the checkpoint.
docs/operations.md says how to keep the directory on write-once storage or
on another host. A database rewritten with every hash recomputed no longer
matches these files, unless the attacker can also write to them and sign.
"""

from __future__ import annotations

import base64
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from django.conf import settings


@dataclass(frozen=True)
class Witnessed:
    note: str
    signed_at: str
    # Leaf hashes from position `first` on (the tree's size at the checkpoint before), 32 bytes each.
    first: int
    leaves: bytes
    file: str
    line: int
    # Why the line could not be read, if it could not.
    error: str = ""


def directory() -> Path | None:
    value = settings.LEDGER_WITNESS_DIR
    return Path(value) if value else None


def append(*, note: str, signed_at: datetime, first: int, leaves: list[bytes]) -> None:
    folder = directory()
    if folder is None:
        return
    folder.mkdir(parents=True, exist_ok=True)
    line = json.dumps(
        {
            "checkpoint": note,
            "signed_at": signed_at.isoformat(),
            "first": first,
            "leaves": base64.b64encode(b"".join(leaves)).decode("ascii"),
        },
        separators=(",", ":"),
    )
    path = folder / f"checkpoints-{signed_at:%Y-%m-%d}.jsonl"
    # O_APPEND: each line lands at the end, whatever else writes; fsync so a signed checkpoint outlives a crash.
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
    try:
        os.write(fd, (line + "\n").encode("utf-8"))
        os.fsync(fd)
    finally:
        os.close(fd)


def read(folder: Path | None = None) -> Iterator[Witnessed]:
    """Every witnessed checkpoint, in the order the files were written."""
    return parse(read_files(folder))


def read_files(folder: Path | None = None) -> list[tuple[str, str]]:
    """The witness store's files as they are now, each (name, text), in the order they were written: read
    at one moment (verification reads them before the database's snapshot), parsed later with ``parse``."""
    folder = folder or directory()
    if folder is None or not folder.exists():
        return []
    return [(path.name, path.read_text(encoding="utf-8")) for path in sorted(folder.glob("checkpoints-*.jsonl"))]


def parse(files: list[tuple[str, str]]) -> Iterator[Witnessed]:
    """The checkpoints witnessed in files read by ``read_files``; a line that cannot be read says why."""
    for name, content in files:
        for number, text in enumerate(content.split("\n"), start=1):
            if not text.strip():
                continue
            try:
                item = json.loads(text)
                leaves = base64.b64decode(item.get("leaves", ""), validate=True)
                yield Witnessed(
                    note=item["checkpoint"],
                    signed_at=item.get("signed_at", ""),
                    first=int(item.get("first", 0)),
                    leaves=leaves,
                    file=name,
                    line=number,
                )
            except (ValueError, KeyError, TypeError) as error:
                yield Witnessed(note="", signed_at="", first=0, leaves=b"", file=name, line=number, error=str(error))
