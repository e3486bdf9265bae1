from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "ledger"
    verbose_name = "Ledger"

    def ready(self):
        from django.core.signals import request_finished, request_started
        from simple_history.signals import post_create_historical_record

        from ledger import checks, history, services  # noqa: F401  (checks: registers the system checks)

        post_create_historical_record.connect(history.enter_historical_row, dispatch_uid="ledger_history")
        request_started.connect(services.request_opened, dispatch_uid="ledger_request_opened")
        request_finished.connect(services.sequence_after_response, dispatch_uid="ledger_after_response")
