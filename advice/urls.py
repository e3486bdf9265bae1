from django.urls import path

from advice import views

app_name = "advice"

urlpatterns = [
    path("decisions/drafts/<uuid:draft_id>/advice/ask/", views.advice_ask, name="ask"),
    path("advice/", views.advice_list, name="list"),
    path("advice/<uuid:advice_id>/", views.advice_detail, name="detail"),
]
