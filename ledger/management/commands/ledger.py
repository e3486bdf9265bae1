"""The ledger's operations.

manage.py ledger sequence [--loop] [--interval S]  place waiting entries in the tree, sign checkpoints when due
manage.py ledger sign                             place everything waiting and sign a checkpoint now
manage.py ledger generate-key PATH                write a new signing key (mode 0600), print its public key
manage.py ledger public-key                       print the public key checkpoints verify against
"""

import signal
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections

from ledger import keys, note, sequencer


class Command(BaseCommand):
    help = "Sequence the log, sign checkpoints, manage the signing key."

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="action", required=True)
        sequence = commands.add_parser("sequence", help="place waiting entries in the tree")
        sequence.add_argument("--loop", action="store_true", help="keep going until stopped (a worker)")
        sequence.add_argument("--interval", type=float, default=0.5, help="seconds between rounds (with --loop)")
        commands.add_parser("sign", help="place everything waiting and sign a checkpoint now")
        generate = commands.add_parser("generate-key", help="write a new signing key")
        generate.add_argument("path", type=Path)
        commands.add_parser("public-key", help="print the public (verifier) key")

    def handle(self, *args, action, **options):
        try:
            getattr(self, action.replace("-", "_"))(**options)
        except note.NoteError as error:
            raise CommandError(str(error)) from error

    def sequence(self, *, loop=False, interval=0.5, **options):
        stopping = []
        if loop:
            signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
            self.stderr.write(f"Sequencing the log every {interval} s; signing checkpoints as they fall due.")
        while True:
            placed = 0
            while (done := sequencer.sequence()) is not None and done:
                placed += done
            if not loop:
                self.stdout.write(f"Placed {placed} entries in the tree.")
                return
            close_old_connections()
            if stopping:
                return
            time.sleep(interval)

    def sign(self, **options):
        checkpoint = sequencer.sign_now()
        head = sequencer.latest_head()
        if checkpoint is None:
            self.stdout.write(f"Nothing new to sign: the tree has {head.size if head else 0} entries.")
            return
        self.stdout.write(checkpoint.note, ending="")

    def generate_key(self, *, path: Path, **options):
        from django.conf import settings

        note.generate_key_file(path)
        signer = note.load_signer(path, settings.LEDGER_ORIGIN, refuse_readable_by_others=True)
        self.stderr.write(f"Wrote a new signing key to {path} (readable by its owner only). Its public key:")
        self.stdout.write(signer.verifier_key())

    def public_key(self, **options):
        self.stdout.write(keys.verifier_key())
