from django.urls import path

from about import views

app_name = "about"

urlpatterns = [
    path("help/", views.help_and_contact, name="help"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("privacy/", views.privacy, name="privacy"),
    path("cookies/", views.cookies, name="cookies"),
    path("guidance/", views.guidance_contents, name="guidance_contents"),
    path("guidance/<str:reference>/", views.guidance, name="guidance"),
]
