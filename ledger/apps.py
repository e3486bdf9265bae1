from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "ledger"
    verbose_name = "Ledger"

    def ready(self):
        from simple_history.signals import post_create_historical_record

        from ledger import checks, history  # noqa: F401  (registers the system checks)

        post_create_historical_record.connect(history.enter_historical_row, dispatch_uid="ledger_history")
