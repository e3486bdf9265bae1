from django.conf import settings


def service(request):
    """What every page shows whoever is looking: the service's name."""
    return {"service_name": settings.SERVICE_NAME}
