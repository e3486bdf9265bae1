"""Build a realistic data set of a given size, fast, and describe it for the benchmark.

manage.py seed_scale --children 100000 --records 1000000
"""

import json
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from scale.load import seed_scale
from scale.models import Fixture
from scale.writer import Progress

# The NHS numbers come from the 999 range kept for test data: room for about 900,000.
MOST_CHILDREN = 800_000


def positive(value: str) -> int:
    number = int(value)
    if number < 0:
        raise ValueError(value)
    return number


class Command(BaseCommand):
    help = (
        "Add a local area of agencies, staff, children and years of records and access log, in one "
        "transaction, and write a fixture file for the benchmark (refuses when DEBUG is off, unless --force)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--children", type=positive, default=1000, help="children to add (default 1000)")
        parser.add_argument(
            "--records",
            type=positive,
            default=10_000,
            help="records to add: requests, request outcomes, decisions (with their answers), addenda, reviews, "
            "consents, disclosures and follow-ups (default 10000)",
        )
        parser.add_argument(
            "--access-events", type=positive, default=None, help="access log entries to add (default: --records)"
        )
        parser.add_argument(
            "--seed", type=int, default=7, help="random seed: the same data for the same seed (default 7)"
        )
        parser.add_argument("--password", default=None, help="password of every account added (default DEMO_PASSWORD)")
        parser.add_argument(
            "--chronology-entries",
            type=positive,
            default=300,
            help="entries in the chronology of the fixture's child (default 300)",
        )
        parser.add_argument(
            "--fixture",
            type=Path,
            default=None,
            help="where to write the fixture file (default var/bench/fixture.json)",
        )
        parser.add_argument("--force", action="store_true", help="run even though DEBUG is off")

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "seed_scale creates accounts with a known password: it runs only when DEBUG is on, or with --force."
            )
        children, records = options["children"], options["records"]
        if not 2 <= children <= MOST_CHILDREN:
            raise CommandError(f"--children must be between 2 and {MOST_CHILDREN:,}")
        if options["chronology_entries"] > records:
            raise CommandError("--chronology-entries cannot be more than --records")
        access_events = records if options["access_events"] is None else options["access_events"]
        password = options["password"] or settings.DEMO_PASSWORD
        started = time.monotonic()
        try:
            result = seed_scale(
                children=children,
                records=records,
                access_events=access_events,
                seed=options["seed"],
                password=password,
                chronology_entries=options["chronology_entries"],
                progress=Progress(self.stderr),
            )
        except ValueError as error:
            raise CommandError(str(error)) from error
        elapsed = time.monotonic() - started
        fixture = Path(options["fixture"] or Path(settings.VAR_DIR) / "bench" / "fixture.json")
        fixture.parent.mkdir(parents=True, exist_ok=True)
        fixture.write_text(json.dumps(result["fixture"], indent=2) + "\n")
        Fixture.objects.create(data=result["fixture"])
        counts = ", ".join(f"{count:,} {kind}" for kind, count in sorted(result["counts"].items()))
        rows = sum(result["rows"].values())
        self.stdout.write(
            self.style.SUCCESS(
                f"{result['area']}: {counts}; {rows:,} rows in {elapsed:.1f}s ({rows / elapsed:,.0f} rows/s). "
                f"Fixture: {fixture}"
            )
        )
