from django.apps import AppConfig


class SubjectAccessConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "subject_access"
    verbose_name = "Subject access requests"

    def ready(self):
        from oversight import selectors as oversight_selectors
        from subject_access import tasks  # noqa: F401
        from subject_access.selectors import for_review_panel

        # The open requests and their deadlines on the lead's "For review" (oversight imports no app above it).
        oversight_selectors.add_dashboard_panel(for_review_panel)
        # tasks: a release whose task failed for good is said to be so on its request's page (worker.failed_for_good).
