from django.apps import AppConfig


class BundlesConfig(AppConfig):
    name = "bundles"
    verbose_name = "Bundles of a child's records"

    def ready(self):
        # A bundle whose task failed for good is said to be so on the child's list (worker.failed_for_good).
        from bundles import tasks  # noqa: F401
