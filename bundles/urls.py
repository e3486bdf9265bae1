from django.urls import path

from bundles import views

app_name = "bundles"

urlpatterns = [
    path("children/<uuid:child_id>/bundles/", views.bundle_list, name="list"),
    path("children/<uuid:child_id>/bundles/make/", views.bundle_make, name="make"),
    path("children/<uuid:child_id>/bundles/<uuid:bundle_id>/", views.bundle_download, name="download"),
]
