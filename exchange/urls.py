from django.urls import path

from exchange import disclosure_views, through_service_views, views

app_name = "exchange"

urlpatterns = [
    # Logging a request, a page at a time (exchange.request_pages): the first page, then the others and "check".
    path("children/<uuid:child_id>/requests/add/", views.request_add, name="request_add"),
    path("children/<uuid:child_id>/requests/add/<slug:request_page>/", views.request_add, name="request_add_page"),
    path(
        "children/<uuid:child_id>/requests/before-deciding/",
        views.request_before_decision,
        name="request_before_decision",
    ),
    # Asking another agency on this service (exchange.through_service): the requests sent about a child, the
    # pages of asking, and what was sent; on the other side, a request received, matched or said not known.
    path("children/<uuid:child_id>/requests/sent/", through_service_views.sent_requests, name="sent_requests"),
    path("children/<uuid:child_id>/requests/ask/", through_service_views.sent_request_add, name="sent_request_add"),
    path(
        "children/<uuid:child_id>/requests/ask/<slug:ask_page>/",
        through_service_views.sent_request_add,
        name="sent_request_add_page",
    ),
    path(
        "sent-requests/<uuid:sent_request_id>/",
        through_service_views.sent_request_detail,
        name="sent_request_detail",
    ),
    path(
        "received-requests/<uuid:received_request_id>/",
        through_service_views.received_detail,
        name="received_detail",
    ),
    path(
        "received-requests/<uuid:received_request_id>/match/",
        through_service_views.received_match,
        name="received_match",
    ),
    path(
        "received-requests/<uuid:received_request_id>/not-known/",
        through_service_views.received_not_known,
        name="received_not_known",
    ),
    path("requests/", views.request_list, name="request_list"),
    path("my-requests/", views.my_requests, name="mine"),
    path("requests/<uuid:request_id>/", views.request_detail, name="request_detail"),
    # Correcting one: its check page first, each page a "Change" away.
    path("requests/<uuid:request_id>/change/", views.request_change, name="request_change"),
    path(
        "requests/<uuid:request_id>/change/<slug:request_page>/",
        views.request_change_page,
        name="request_change_page",
    ),
    path("requests/<uuid:request_id>/verify/", views.request_verify, name="request_verify"),
    path("requests/<uuid:request_id>/close/", views.request_close, name="request_close"),
    path("requests/<uuid:request_id>/decide/", views.request_decide, name="request_decide"),
    # Recording a disclosure, a page at a time (exchange.disclosure_pages): started, then each page, the items
    # one a page, and "check".
    path("decisions/<uuid:decision_id>/disclosures/add/", disclosure_views.disclosure_add, name="disclosure_add"),
    path(
        "decisions/<uuid:decision_id>/disclosures/add/items/<int:number>/",
        disclosure_views.disclosure_item,
        name="disclosure_item",
    ),
    path(
        "decisions/<uuid:decision_id>/disclosures/add/<slug:disclosure_page>/",
        disclosure_views.disclosure_page,
        name="disclosure_page",
    ),
    path("disclosures/<uuid:disclosure_id>/", views.disclosure_detail, name="disclosure_detail"),
    path("disclosures/<uuid:disclosure_id>/pdf/", views.disclosure_pdf, name="disclosure_pdf"),
    path("disclosures/<uuid:disclosure_id>/receipt/", views.disclosure_receipt, name="disclosure_receipt"),
    path("disclosures/<uuid:disclosure_id>/follow-ups/", views.follow_up_add, name="follow_up_add"),
    path(
        "disclosures/<uuid:disclosure_id>/follow-ups/<uuid:follow_up_id>/receipt/",
        views.follow_up_receipt,
        name="follow_up_receipt",
    ),
]
