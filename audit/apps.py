from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = "Oversight and audit"

    def ready(self):
        from audit import signals

        signals.connect()
