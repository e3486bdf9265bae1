from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "notifications"
    verbose_name = "Notifications"

    def ready(self):
        from datetime import timedelta

        from notifications import checks, selectors, tasks  # noqa: F401 (checks registers the system check)
        from worker import schedule

        # The background worker runs the overdue checks every hour (each thing is told once, however often they
        # run) and the daily summaries once a day, in the hour NOTIFICATIONS_SUMMARY_HOUR (ADR 24, ADR 23).
        schedule.every(timedelta(hours=1), tasks.overdue_notify)
        schedule.every(timedelta(hours=1), tasks.daily_summaries_send, when=selectors.summary_hour)
