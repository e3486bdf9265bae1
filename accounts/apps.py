from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Sign-in, two-factor authentication and sessions"

    def ready(self):
        from accounts import checks, signals  # noqa: F401 - registers the receivers and system checks
