from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from accounts import views as accounts_views
from config.health import healthz
from records.views import home

admin.site.site_header = "Safeguarding information sharing: administration"
admin.site.site_title = "Administration"

urlpatterns = [
    path("", home, name="home"),
    path("healthz", healthz, name="healthz"),
    # The log's public key (open to anyone) and newest checkpoint (ADR 13).
    path("ledger/", include("ledger.urls")),
    path("accounts/", include("accounts.urls")),
    # One sign-in page and one sign-out for the admin site too (accounts/views.py),
    # and one page to change one's own password.
    path("admin/login/", accounts_views.admin_sign_in),
    path("admin/logout/", accounts_views.SignOutView.as_view()),
    path("admin/password_change/", RedirectView.as_view(pattern_name="password_change")),
    path("admin/", admin.site.urls),
    path("", include("records.urls")),
    path("", include("sharing.urls")),
    path("", include("consent.urls")),
    path("", include("exchange.urls")),
    path("", include("advice.urls")),
    path("", include("delivery.urls")),
    path("", include("oversight.urls")),
    path("", include("bundles.urls")),
    path("", include("subject_access.urls")),
    path("", include("notifications.urls")),
    path("", include("about.urls")),
]

if settings.BENCH_QUERY_HEADERS:
    from config import bench

    urlpatterns.append(path("bench/floor/", bench.floor, name="bench_floor"))
