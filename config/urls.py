from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from config.health import healthz
from records.auth_forms import SignInForm
from records.views import home

admin.site.site_header = "Safeguarding information sharing: administration"
admin.site.site_title = "Administration"

urlpatterns = [
    path("", home, name="home"),
    path("healthz", healthz, name="healthz"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(authentication_form=SignInForm, redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("", include("records.urls")),
    path("", include("sharing.urls")),
    path("", include("consent.urls")),
    path("", include("exchange.urls")),
]
