from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "What every part of the service uses"

    def ready(self):
        from django.core.signals import request_finished, request_started

        from core import after_response, logs

        request_started.connect(after_response.request_opened, dispatch_uid="core_request_opened")
        request_finished.connect(after_response.run_waiting, dispatch_uid="core_after_response")
        # After the work done once the page has gone, whose lines keep the request's id.
        request_finished.connect(logs.request_id_clear, dispatch_uid="core_request_id_clear")
