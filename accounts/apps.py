from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Sign-in, two-factor authentication and sessions"

    def ready(self):
        from django.core.signals import request_finished, request_started

        from accounts import checks, deferred, signals  # noqa: F401 - registers the receivers and system checks

        request_started.connect(deferred.request_opened, dispatch_uid="accounts_request_opened")
        request_finished.connect(deferred.run_waiting, dispatch_uid="accounts_after_response")
