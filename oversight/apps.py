from django.apps import AppConfig


class OversightConfig(AppConfig):
    name = "oversight"
    verbose_name = "Oversight"

    def ready(self):
        from oversight import selectors

        # Background tasks failing, first on "For review" when there are any (ADR 23).
        selectors.add_dashboard_panel(selectors.failing_tasks_panel)
