from django.urls import path

from consent import views

app_name = "consent"

urlpatterns = [
    path("children/<uuid:child_id>/consent/add/", views.consent_add, name="add"),
    path("children/<uuid:child_id>/consent/<uuid:renews>/renew/", views.consent_add, name="renew"),
    path("consent/<uuid:consent_id>/", views.consent_detail, name="detail"),
    path("consent/<uuid:consent_id>/withdraw/", views.consent_withdraw, name="withdraw"),
    path("consent/<uuid:consent_id>/signed-form/", views.signed_form, name="signed_form"),
    path("consent/<uuid:consent_id>/pdf/", views.consent_pdf, name="consent_pdf"),
    path("consent/<uuid:consent_id>/receipt/", views.consent_receipt, name="consent_receipt"),
]
