from django.urls import path

from ledger import views

app_name = "ledger"

urlpatterns = [
    # No trailing slash, as ADR 13 and docs/operations.md publish them (like /healthz).
    path("public-key", views.public_key, name="public_key"),
    path("checkpoint", views.checkpoint, name="checkpoint"),
]
