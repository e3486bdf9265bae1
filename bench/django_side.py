"""The parts of `make bench` that run inside Django, started by bench/run.py as a separate process.

    python bench/django_side.py children        JSON: how many children the database holds
    python bench/django_side.py fixture         JSON: the fixture seed_scale kept in the database
    python bench/django_side.py facts FIXTURE   JSON: database, data sizes, what the client needs
    python bench/django_side.py verify          JSON: verification speed against hashlib alone

The HTTP measurements never go through here: they go through gunicorn like a
browser's requests would. This only reads what a browser cannot see (how
big the data set is, the lead's authenticator key, which children to record
decisions about) and times `verify_records`' work.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.db import connection  # noqa: E402
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402

from audit.models import AccessEvent  # noqa: E402
from consent.models import ConsentRecord  # noqa: E402
from exchange.models import Disclosure, InformationRequest, InformedFollowUp, RequestOutcome  # noqa: E402
from records.models import Adult, Agency, Child, ChildAdultRelationship, User  # noqa: E402
from sharing import verification  # noqa: E402
from sharing.models import ACCESS_CHAIN, RECORDS_CHAIN, Addendum, ChainHead, DecisionReview, SharingDecision  # noqa: E402

# Decisions recorded by the benchmark go to children picked at random from
# this many, so that no child's page grows run after run.
FLOW_CHILDREN = 2000
# The baseline hashes this many records' bytes at a time, to bound memory.
HASH_BATCH = 50_000

SIZED = {
    "agencies": Agency,
    "staff": User,
    "children": Child,
    "adults": Adult,
    "relationships": ChildAdultRelationship,
    "decisions": SharingDecision,
    "addenda": Addendum,
    "reviews": DecisionReview,
    "consent_records": ConsentRecord,
    "requests": InformationRequest,
    "request_outcomes": RequestOutcome,
    "disclosures": Disclosure,
    "follow_ups": InformedFollowUp,
    "access_events": AccessEvent,
}


def database_version() -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            return f"PostgreSQL {cursor.fetchone()[0]}"
        if connection.vendor == "sqlite":
            cursor.execute("SELECT sqlite_version()")
            return f"SQLite {cursor.fetchone()[0]}"
    return connection.vendor


def data_sizes() -> dict[str, int]:
    sizes = {name: model.objects.count() for name, model in SIZED.items()}
    heads = dict(ChainHead.objects.values_list("pk", "sequence"))
    sizes["records_chain"] = heads.get(RECORDS_CHAIN, 0)
    sizes["access_chain"] = heads.get(ACCESS_CHAIN, 0)
    return sizes


def authenticator(email: str) -> dict | None:
    """The lead's authenticator app, as the app on their phone holds it: the key and the clock settings."""
    device = TOTPDevice.objects.filter(user__email__iexact=email, confirmed=True).first()
    if device is None:
        return None
    return {"key_hex": device.key, "step": device.step, "t0": device.t0, "digits": device.digits, "drift": device.drift}


def facts(fixture_path: str) -> dict:
    fixture = json.loads(Path(fixture_path).read_text())
    if not Child.objects.filter(pk=fixture["chronology_child_id"], agency_id=fixture["agency_id"]).exists():
        sys.exit(f"{fixture_path} does not describe this database (no such child in that agency): seed it again")
    flow_children = list(
        Child.objects.filter(agency_id=fixture["agency_id"], date_of_birth__isnull=False)
        .exclude(pk=fixture["chronology_child_id"])
        .order_by("?")
        .values_list("pk", flat=True)[:FLOW_CHILDREN]
    )
    return {
        "database": {"vendor": connection.vendor, "version": database_version()},
        "data_sizes": data_sizes(),
        "lead_authenticator": authenticator(fixture["lead_email"]),
        "flow_children": [str(pk) for pk in flow_children],
    }


def _verify(chain_id: int) -> dict:
    started = time.perf_counter()
    report = verification.verify_chain(chain_id)
    seconds = time.perf_counter() - started
    return {
        "records": report.checked,
        "seconds": round(seconds, 3),
        "records_per_second": round(report.checked / seconds) if seconds else None,
        "intact": report.intact,
        "first_problem": str(report.first_problem) if report.first_problem else None,
    }


def _hash_alone(chain_id: int) -> dict:
    """The same records' bytes, made ready first; then only SHA-256 over them is timed.

    Reading the rows, and making each record's canonical bytes from them, are
    timed separately (in one process), to show where verification's time goes.
    """
    read_seconds = canonical_seconds = hash_seconds = 0.0
    count = 0
    batch: list[tuple[bytes, bytes]] = []

    def hash_batch():
        nonlocal hash_seconds
        started = time.perf_counter()
        for previous, content in batch:
            digest = hashlib.sha256()
            digest.update(previous)
            digest.update(b"\n")
            digest.update(content)
            digest.hexdigest()
        hash_seconds += time.perf_counter() - started
        batch.clear()

    for model in verification.chained_models(chain_id):
        reader = verification.RecordReader(model)
        rows = reader.rows(None, None)
        while True:
            started = time.perf_counter()
            item = next(rows, None)
            read_seconds += time.perf_counter() - started
            if item is None:
                break
            row, part_rows = item
            started = time.perf_counter()
            content = reader.content(row, part_rows)
            canonical_seconds += time.perf_counter() - started
            batch.append((row[reader.previous_at].encode("ascii"), content))
            count += 1
            if len(batch) >= HASH_BATCH:
                hash_batch()
    hash_batch()
    return {
        "records": count,
        "hash_seconds": round(hash_seconds, 4),
        "hashlib_records_per_second": round(count / hash_seconds) if hash_seconds else None,
        "read_seconds": round(read_seconds, 3),
        "canonical_seconds": round(canonical_seconds, 3),
    }


def verify() -> dict:
    chains = {}
    for chain_id, name in ((RECORDS_CHAIN, "records"), (ACCESS_CHAIN, "access_log")):
        chains[name] = {**_verify(chain_id), "baseline": _hash_alone(chain_id)}
    return chains


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    if command == "children":
        print(json.dumps({"children": Child.objects.count(), "vendor": connection.vendor}))
    elif command == "fixture":
        from scale.models import Fixture

        made = Fixture.objects.order_by("-created_at").first()
        print(json.dumps(made.data if made else None))
    elif command == "facts" and len(sys.argv) == 3:
        print(json.dumps(facts(sys.argv[2])))
    elif command == "verify":
        print(json.dumps(verify()))
    else:
        sys.exit(__doc__)
