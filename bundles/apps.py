from django.apps import AppConfig


class BundlesConfig(AppConfig):
    name = "bundles"
    verbose_name = "Bundles of a child's records"

    def ready(self):
        from django.tasks.signals import task_finished

        from bundles import tasks

        task_finished.connect(tasks.task_finished, dispatch_uid="bundles.task_finished")
