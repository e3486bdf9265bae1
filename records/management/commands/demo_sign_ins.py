from django.conf import settings
from django.core.management.base import BaseCommand

from records.management.commands.seed_demo import STAFF


class Command(BaseCommand):
    help = "Print the demo sign-ins."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000, help="the port the demo serves on")

    def handle(self, *args, **options):
        self.stdout.write("")
        self.stdout.write(f"Demo sign-ins (password: {settings.DEMO_PASSWORD}):")
        for spec in STAFF:
            self.stdout.write(f"  {spec['email']:<38} {spec['role'].label}, {spec['agency']}")
        self.stdout.write(f"Open http://127.0.0.1:{options['port']} and sign in.")
        mailer = settings.MAILERS["default"]
        if mailer["BACKEND"].endswith(".filebased.EmailBackend"):
            folder = mailer["OPTIONS"]["file_path"]
            self.stdout.write(f"Emails (invitations, password reset links) are written to files in {folder}")
        self.stdout.write("")
