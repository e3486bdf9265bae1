"""The service's URLs plus one that fails, to see the 500 page as a user would."""

from django.urls import path

from config.urls import urlpatterns as service_urlpatterns


def broken(request):
    raise RuntimeError("a fault")


urlpatterns = [path("broken/", broken), *service_urlpatterns]
