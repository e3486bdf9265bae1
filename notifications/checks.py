from django.conf import settings
from django.core.checks import Error, register


@register(deploy=True)
def service_url_set_for_the_emails(app_configs, **kwargs):
    # The worker sends the notification emails with no request to build their links on (ADR 24): outside the demo,
    # a link to the demo's address would send people nowhere.
    if not settings.SERVICE_URL and not settings.DEBUG:
        return [
            Error(
                "SERVICE_URL is not set: the notification emails would link to nowhere.",
                hint="Set SERVICE_URL to the service's address, e.g. https://safeguarding.example.org.",
                id="notifications.E001",
            )
        ]
    return []
