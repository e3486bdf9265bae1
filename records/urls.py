from django.urls import path

from records import views

app_name = "records"

urlpatterns = [
    path("children/", views.child_search, name="child_search"),
    path("children/add/", views.child_add, name="child_add"),
    path("children/<uuid:child_id>/", views.child_detail, name="child_detail"),
    path("children/<uuid:child_id>/change/", views.child_change, name="child_change"),
    path("children/<uuid:child_id>/adults/add/", views.adult_add, name="adult_add"),
    path("children/<uuid:child_id>/adults/connect/", views.adult_link, name="adult_link"),
    path("children/<uuid:child_id>/adults/<int:link_id>/change/", views.adult_change, name="adult_change"),
]
