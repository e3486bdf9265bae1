from django.urls import path

from notifications import views

app_name = "notifications"

urlpatterns = [
    path("notifications/", views.notification_list, name="list"),
    path("notifications/preferences/", views.preferences, name="preferences"),
    path("notifications/all-read/", views.notifications_all_read, name="all_read"),
    path("notifications/<uuid:notification_id>/", views.notification_open, name="open"),
]
