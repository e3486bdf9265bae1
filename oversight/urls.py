"""The top floor's pages: the child's page, the chronology, the lead's
dashboard and the audit histories. Their paths are those they always had."""

from django.urls import path

from oversight import views

app_name = "oversight"

urlpatterns = [
    path("children/<uuid:child_id>/", views.child_detail, name="child_detail"),
    path("children/<uuid:child_id>/chronology/", views.child_chronology, name="chronology"),
    path("for-review/", views.dashboard, name="dashboard"),
    path("children/<uuid:child_id>/audit/", views.child_history, name="child_history"),
    path("audit/staff/", views.staff_list, name="staff_list"),
    path("audit/staff/<int:member_id>/", views.staff_history, name="staff_history"),
    path("audit/changes/", views.change_history, name="change_history"),
]
