from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "ledger"
    verbose_name = "Ledger"

    def ready(self):
        from simple_history.signals import post_create_historical_record

        from ledger import checks, history  # noqa: F401  (registers the system checks)

        post_create_historical_record.connect(history.enter_historical_row, dispatch_uid="ledger_history")

        from datetime import timedelta

        from ledger import sequencer, tasks
        from worker import schedule

        # The background worker places waiting entries and signs checkpoints when due (ADR 13, ADR 23):
        # enqueued only when there is something to do, looked at every second.
        schedule.every(timedelta(seconds=1), tasks.place_entries, when=sequencer.entries_waiting)
        schedule.every(timedelta(seconds=1), tasks.sign_checkpoint, when=sequencer.checkpoint_due)
