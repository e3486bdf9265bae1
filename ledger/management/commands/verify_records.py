"""Check that no record, access event, row of history or signed form has been changed, removed or reordered.

manage.py verify_records                 check the whole log; exit 0 when intact
manage.py verify_records --against FILE  also hold the log to a signed checkpoint kept elsewhere
manage.py verify_records --checkpoint    then print the newest signed checkpoint, to keep elsewhere
manage.py verify_records --key KEY       the public key to check signatures with (default: the service's)
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ledger import keys, note
from ledger.models import Checkpoint
from ledger.verification import verify

# Disposed entries listed after the summary (all are counted in it).
DISPOSALS_PRINTED = 20


class Command(BaseCommand):
    help = "Verify the log: records, access log, change history, signed forms, checkpoints and witness store."

    def add_arguments(self, parser):
        parser.add_argument("--against", type=Path, action="append", default=[], help="a signed checkpoint file")
        parser.add_argument("--checkpoint", action="store_true", help="print the newest signed checkpoint")
        parser.add_argument("--key", help="verifier key (name+id+key) or a file holding it")

    def handle(self, *args, against=(), checkpoint=False, key=None, **options):
        summary = self.stderr if checkpoint else self.stdout
        verifier = self._verifier(key)
        also = []
        for path in against:
            try:
                also.append((path.read_text(encoding="utf-8"), str(path)))
            except (OSError, UnicodeDecodeError) as error:
                raise CommandError(f"Cannot read the checkpoint {path}: {error}") from error
        report = verify(verifier=verifier, origin=settings.LEDGER_ORIGIN, also=tuple(also))
        for line in report.notes:
            summary.write(self.style.WARNING(line))
        if not report.intact:
            raise CommandError(f"The log does not verify. First problem: {report.first_problem}")
        summary.write(
            self.style.SUCCESS(
                f"Log intact: {report.size} entries in the tree (root {report.root[:16]}...), "
                f"{report.records} records checked against their entries, {report.files} signed forms, "
                f"{report.disposed} disposed of, {report.pending} waiting to be placed; "
                f"{report.checkpoints} signed checkpoints and {report.witnessed} witnessed checkpoints verified "
                f"(the newest witnessed covers {report.witnessed_size} entries)."
            )
        )
        for disposed in report.disposals[:DISPOSALS_PRINTED]:
            summary.write(f"Disposed of, not removed: {disposed}")
        if report.disposed > DISPOSALS_PRINTED:
            summary.write(f"... and {report.disposed - DISPOSALS_PRINTED} more entries disposed of.")
        if checkpoint:
            newest = Checkpoint.objects.order_by("-size", "-signed_at").first()
            if newest is None:
                raise CommandError("No checkpoint has been signed yet: run 'manage.py ledger sign'.")
            self.stdout.write(newest.note, ending="")

    def _verifier(self, key: str | None) -> str | None:
        if key:
            path = Path(key)
            return path.read_text(encoding="utf-8").strip() if path.exists() else key.strip()
        try:
            return keys.verifier_key()
        except note.NoteError:
            return None
