from django.urls import path

from audit import views

app_name = "audit"

urlpatterns = [
    path("for-review/", views.dashboard, name="dashboard"),
    path("children/<uuid:child_id>/audit/", views.child_history, name="child_history"),
    path("audit/staff/", views.staff_list, name="staff_list"),
    path("audit/staff/<int:member_id>/", views.staff_history, name="staff_history"),
    path("audit/changes/", views.change_history, name="change_history"),
]
