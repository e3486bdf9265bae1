"""Reads of the log for its own pages."""

from __future__ import annotations

from ledger.models import Checkpoint


def newest_checkpoint() -> Checkpoint | None:
    return Checkpoint.objects.order_by("-size", "-signed_at").first()
