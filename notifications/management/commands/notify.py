"""Run the notifications' scheduled work now, in this process (ADR 24; docs/operations.md):

    manage.py notify overdue                       # every overdue check
    manage.py notify overdue --check "consent reviews due"
    manage.py notify daily-summaries               # the daily summaries' emails

The same work is the tasks ``notifications.tasks.overdue_notify`` and ``daily_summaries_send``, for a
scheduler that enqueues tasks.
"""

from django.core.management.base import BaseCommand, CommandError

from notifications import overdue, tasks


class Command(BaseCommand):
    help = "Run the overdue checks or send the daily summaries now."

    def add_arguments(self, parser):
        parser.add_argument("work", choices=["overdue", "daily-summaries"])
        parser.add_argument(
            "--check", action="append", dest="checks", help="Only this check (repeat for more); --list names them"
        )
        parser.add_argument("--list", action="store_true", help="Name the overdue checks and stop")

    def handle(self, *args, work, checks, list, **options):
        if work == "daily-summaries":
            sent = tasks.daily_summaries_send.call()
            self.stdout.write(f"Daily summaries sent: {sent}.")
            return
        if list:
            for name in overdue.checks():
                self.stdout.write(name)
            return
        try:
            made = tasks.overdue_notify.call(checks=checks)
        except KeyError as error:
            raise CommandError(error.args[0]) from error
        for name, count in made.items():
            self.stdout.write(f"{name}: {count} notification{'s' if count != 1 else ''} made.")
