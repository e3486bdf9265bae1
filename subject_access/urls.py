"""Subject access requests: the agency's safeguarding leads' pages (ADR 22)."""

from django.urls import path

from subject_access import views

app_name = "subject_access"

urlpatterns = [
    path("subject-access/", views.request_list, name="list"),
    path("subject-access/new/child/<uuid:child_id>/", views.request_new_for_child, name="new_for_child"),
    path("subject-access/new/adult/<uuid:adult_id>/", views.request_new_for_adult, name="new_for_adult"),
    path("subject-access/<uuid:sar_id>/", views.request_detail, name="detail"),
    path("subject-access/<uuid:sar_id>/extend/", views.request_extend, name="extend"),
    path("subject-access/<uuid:sar_id>/records/<slug:kind>/<str:record_id>/", views.record_redact, name="record"),
    path(
        "subject-access/<uuid:sar_id>/redactions/<int:redaction_id>/remove/",
        views.redaction_remove,
        name="redaction_remove",
    ),
    path("subject-access/<uuid:sar_id>/approve/", views.release_approve, name="approve"),
    path("subject-access/releases/<uuid:release_id>/pdf/", views.release_pdf, name="release_pdf"),
    path("subject-access/releases/<uuid:release_id>/redaction-log/", views.redaction_log, name="redaction_log"),
]
