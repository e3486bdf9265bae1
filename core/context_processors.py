from django.conf import settings


def service(request):
    """What every page shows whoever is looking: the service's name and its protective marking."""
    return {"service_name": settings.SERVICE_NAME, "protective_marking": settings.PROTECTIVE_MARKING}
