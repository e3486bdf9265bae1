from django.urls import path

from consent import views

app_name = "consent"

urlpatterns = [
    # Recording a consent, a page at a time (consent.pages): the first page, then the others and "check".
    path("children/<uuid:child_id>/consent/add/", views.consent_add, name="add"),
    path("children/<uuid:child_id>/consent/add/<slug:consent_page>/", views.consent_add, name="add_page"),
    path("children/<uuid:child_id>/consent/<uuid:renews>/renew/", views.consent_add, name="renew"),
    path(
        "children/<uuid:child_id>/consent/<uuid:renews>/renew/<slug:consent_page>/",
        views.consent_add,
        name="renew_page",
    ),
    path("consent/<uuid:consent_id>/", views.consent_detail, name="detail"),
    path("consent/<uuid:consent_id>/withdraw/", views.consent_withdraw, name="withdraw"),
    path("consent/<uuid:consent_id>/signed-form/", views.signed_form, name="signed_form"),
    path("consent/<uuid:consent_id>/pdf/", views.consent_pdf, name="consent_pdf"),
    path("consent/<uuid:consent_id>/receipt/", views.consent_receipt, name="consent_receipt"),
]
