"""Check that no recorded decision or addendum has been changed, removed or inserted.

manage.py verify_records                 walk the chain; exit 0 when intact
manage.py verify_records --checkpoint    also print the chain head as JSON, to keep elsewhere
manage.py verify_records --against FILE  also check the chain still holds a saved checkpoint
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from sharing.verification import hash_at, verify_chain


class Command(BaseCommand):
    help = "Verify the hash chain of recorded decisions and addenda."

    def add_arguments(self, parser):
        parser.add_argument("--checkpoint", action="store_true", help="print the chain head as JSON")
        parser.add_argument("--against", type=Path, help="a checkpoint file saved earlier")

    def handle(self, *args, checkpoint=False, against=None, **options):
        report = verify_chain()
        if not report.intact:
            raise CommandError(
                f"Chain broken after checking {report.checked} records. First problem: {report.first_problem}"
            )
        # With --checkpoint, standard output carries only the JSON, so it can be saved as it is.
        summary = self.stderr if checkpoint else self.stdout
        summary.write(
            self.style.SUCCESS(
                f"Chain intact: {report.checked} records checked, head at record {report.head_sequence}."
            )
        )
        if against is not None:
            saved = json.loads(against.read_text())
            sequence, expected = int(saved["sequence"]), saved["head_hash"]
            if sequence > report.head_sequence:
                raise CommandError(
                    f"The checkpoint has {sequence} records but the chain has only {report.head_sequence}: "
                    "records have been lost (was an old backup restored?)"
                )
            if sequence and hash_at(sequence) != expected:
                raise CommandError(f"Record {sequence} does not match the checkpoint: the chain has been rewritten")
            summary.write(self.style.SUCCESS(f"Matches the checkpoint at record {sequence}."))
        if checkpoint:
            self.stdout.write(
                json.dumps(
                    {
                        "sequence": report.head_sequence,
                        "head_hash": report.head_hash,
                        "taken_at": timezone.now().isoformat(),
                    }
                )
            )
