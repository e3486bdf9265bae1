from django.apps import AppConfig


class WorkerConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "worker"
    verbose_name = "Background tasks"

    def ready(self):
        from datetime import timedelta

        from worker import schedule, tasks

        # What the worker keeps of its own work is pruned once a day (ADR 23).
        schedule.every(timedelta(days=1), tasks.prune_finished)
