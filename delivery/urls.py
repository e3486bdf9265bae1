from django.urls import path

from delivery import views

app_name = "delivery"

urlpatterns = [
    path("decisions/<uuid:decision_id>/disclosures/send/", views.disclosure_send, name="send"),
    path("disclosures/<uuid:sent_id>/through-the-service/", views.sent_detail, name="sent_detail"),
    path("received/", views.received_list, name="received_list"),
    path("received/<uuid:received_id>/", views.received_detail, name="received_detail"),
    path("received/<uuid:received_id>/acknowledge/", views.received_acknowledge, name="received_acknowledge"),
]
