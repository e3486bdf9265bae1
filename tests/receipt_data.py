"""What a record's page says of its place in the log and its signed checkpoint (ADR 13, item 6), worked out
from the log's own tables and the signing key, not from ``ledger.receipts``: for page and browser tests."""

import base64

from django.utils import timezone

from ledger import keys
from ledger.models import Checkpoint, Entry, Leaf


def _entry(record) -> Entry:
    return Entry.objects.get(kind=record.ledger_kind, record_id=str(record.pk))


def place_text(record) -> str:
    """E.g. "Entry 41, entered 4 December 2026 at 22:31" (the record must be placed and signed)."""
    entry = _entry(record)
    position = Leaf.objects.get(entry=entry).position
    entered = timezone.localtime(entry.appended_at)
    return f"Entry {position}, entered {entered.day} {entered:%B %Y} at {entered:%H:%M}"


def checkpoint_text(record) -> str:
    """E.g. "120 entries, signed 4 December 2026 at 22:31:07 by safeguarding.example/ledger (key 1a2b3c4d),
    root <base64>": the smallest signed checkpoint whose tree includes the record."""
    position = Leaf.objects.get(entry=_entry(record)).position
    checkpoint = Checkpoint.objects.filter(size__gt=position).order_by("size").first()
    signer = keys.signer()
    signed = timezone.localtime(checkpoint.signed_at)
    entries = "1 entry" if checkpoint.size == 1 else f"{checkpoint.size} entries"
    root = base64.b64encode(bytes.fromhex(checkpoint.root)).decode()
    return (
        f"{entries}, signed {signed.day} {signed:%B %Y} at {signed:%H:%M:%S}"
        f" by {signer.name} (key {signer.key_id.hex()}), root {root}"
    )
