from django.urls import path

from records import views

app_name = "records"

urlpatterns = [
    path("children/", views.child_search, name="child_search"),
    path("children/add/", views.child_add, name="child_add"),
    path("children/<uuid:child_id>/change/", views.child_change, name="child_change"),
    path("children/<uuid:child_id>/adults/add/", views.adult_add, name="adult_add"),
    path("children/<uuid:child_id>/adults/connect/", views.adult_link, name="adult_link"),
    path("children/<uuid:child_id>/adults/<int:link_id>/change/", views.adult_change, name="adult_change"),
    path("staff/", views.staff_list, name="staff_list"),
    path("staff/add/", views.staff_add, name="staff_add"),
    path("staff/<int:member_id>/change/", views.staff_change, name="staff_change"),
    path("staff/<int:member_id>/two-factor-reset/", views.staff_two_factor_reset, name="staff_two_factor_reset"),
    path("staff/<int:member_id>/password-link/", views.staff_password_link, name="staff_password_link"),
    # A platform administrator's pages.
    path("platform/agencies/", views.agency_list, name="agency_list"),
    path("platform/agencies/add/", views.agency_add, name="agency_add"),
    path("platform/agencies/<int:agency_id>/change/", views.agency_change, name="agency_change"),
    path("platform/agencies/<int:agency_id>/administrators/add/", views.agency_admin_add, name="agency_admin_add"),
    path("platform/administrators/", views.platform_admin_list, name="platform_admin_list"),
    path("platform/administrators/add/", views.platform_admin_add, name="platform_admin_add"),
    path(
        "platform/administrators/<int:administrator_id>/invitation/",
        views.platform_invitation_send,
        name="platform_invitation_send",
    ),
    path(
        "platform/administrators/<int:administrator_id>/deactivate/",
        views.platform_admin_deactivate,
        name="platform_admin_deactivate",
    ),
]
