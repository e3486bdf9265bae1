"""Check that no record, and no access log entry, has been changed, removed or inserted.

manage.py verify_records                 walk both chains; exit 0 when intact
manage.py verify_records --checkpoint    also print the chain heads as JSON, to keep elsewhere
manage.py verify_records --against FILE  also check the chains still hold a saved checkpoint
manage.py verify_records --workers N     share the work between N processes (default: one per CPU, up to 4)
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from sharing.models import ACCESS_CHAIN, RECORDS_CHAIN
from sharing.verification import hash_at, verify_chain

CHAINS = {RECORDS_CHAIN: "Chain", ACCESS_CHAIN: "Access log"}


class Command(BaseCommand):
    help = "Verify the hash chains of the records and of the access log."

    def add_arguments(self, parser):
        parser.add_argument("--checkpoint", action="store_true", help="print the chain heads as JSON")
        parser.add_argument("--against", type=Path, help="a checkpoint file saved earlier")
        parser.add_argument(
            "--workers", type=int, help="processes to share the work (default: one per CPU, up to 4; on PostgreSQL)"
        )

    def handle(self, *args, checkpoint=False, against=None, workers=None, **options):
        # With --checkpoint, standard output carries only the JSON, so it can be saved as it is.
        summary = self.stderr if checkpoint else self.stdout
        reports = {}
        for chain_id, name in CHAINS.items():
            report = verify_chain(chain_id, workers=workers)
            if not report.intact:
                raise CommandError(
                    f"{name} broken after checking {report.checked} records. First problem: {report.first_problem}"
                )
            summary.write(
                self.style.SUCCESS(
                    f"{name} intact: {report.checked} records checked, head at record {report.head_sequence}."
                )
            )
            reports[chain_id] = report
        if against is not None:
            saved = json.loads(against.read_text())
            self._check(summary, reports[RECORDS_CHAIN], saved, RECORDS_CHAIN)
            if "access_log" in saved:
                self._check(summary, reports[ACCESS_CHAIN], saved["access_log"], ACCESS_CHAIN)
        if checkpoint:
            self.stdout.write(
                json.dumps(
                    {
                        "sequence": reports[RECORDS_CHAIN].head_sequence,
                        "head_hash": reports[RECORDS_CHAIN].head_hash,
                        "access_log": {
                            "sequence": reports[ACCESS_CHAIN].head_sequence,
                            "head_hash": reports[ACCESS_CHAIN].head_hash,
                        },
                        "taken_at": timezone.now().isoformat(),
                    }
                )
            )

    def _check(self, summary, report, saved: dict, chain_id: int) -> None:
        name = CHAINS[chain_id]
        sequence, expected = int(saved["sequence"]), saved["head_hash"]
        if sequence > report.head_sequence:
            raise CommandError(
                f"{name}: the checkpoint has {sequence} records but the chain has only {report.head_sequence}: "
                "records have been lost (was an old backup restored?)"
            )
        if sequence and hash_at(sequence, chain_id) != expected:
            raise CommandError(f"{name}: record {sequence} does not match the checkpoint: the chain has been rewritten")
        subject = "Matches" if chain_id == RECORDS_CHAIN else f"{name} matches"
        summary.write(self.style.SUCCESS(f"{subject} the checkpoint at record {sequence}."))
