from django.apps import AppConfig


class SubjectAccessConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "subject_access"
    verbose_name = "Subject access requests"

    def ready(self):
        from django.tasks.signals import task_finished

        from oversight import selectors as oversight_selectors
        from subject_access import tasks
        from subject_access.selectors import for_review_panel

        # The open requests and their deadlines on the lead's "For review" (oversight imports no app above it).
        oversight_selectors.add_dashboard_panel(for_review_panel)
        # A release whose task failed for good is said to be so on its request's page.
        task_finished.connect(tasks.task_finished, dispatch_uid="subject_access.task_finished")
