"""A person's own notifications and how they like to be told (ADR 24). The list names the record each is about
and links to it, and is logged as a look at case records; the other pages show none, and the page linked to logs
its own look."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from audit.services import shown
from core.access_log import logs, shows_no_case_records
from core.paging import page_number, page_query
from core.permissions import require_permission
from notifications import selectors, services
from notifications.forms import PreferenceForm
from records.roles import Permission

WHY = "the person's own notifications: the kind of thing waiting and a link, never what it is about"


# The list names the record each notification is about (a child's name among them): a look at case records.
# Logged as a page until the access log has a subject for it (audit.models.Subject; as subject_access's pages).
@logs("view", subject="page")
@require_GET
def notification_list(request):
    require_permission(request.user, Permission.NOTIFICATIONS)
    page = selectors.notifications_of(user=request.user, page=page_number(request))
    shown(request, detail=f"notifications: {len(page.rows)}")
    return render(
        request,
        "notifications/list.html",
        {
            "page": page,
            "previous_query": page_query(request, page.number - 1),
            "next_query": page_query(request, page.number + 1),
            "frequency": selectors.frequency_of(user=request.user),
        },
    )


@shows_no_case_records(WHY)
@require_GET
def notification_open(request, notification_id: uuid.UUID):
    """Marks the notification read and goes to the thing waiting, whose page checks who may see it."""
    require_permission(request.user, Permission.NOTIFICATIONS)
    notification = selectors.notification_get_for_user(user=request.user, notification_id=notification_id)
    services.notification_open(notification=notification)
    return redirect(notification.link)


@shows_no_case_records(WHY)
@require_POST
def notifications_all_read(request):
    require_permission(request.user, Permission.NOTIFICATIONS)
    marked = services.notifications_all_read(user=request.user)
    messages.success(request, f"{marked} notification{'s' if marked != 1 else ''} marked as read.")
    return redirect("notifications:list")


@shows_no_case_records("how the person likes to be told of notifications")
@require_http_methods(["GET", "POST"])
def preferences(request):
    require_permission(request.user, Permission.NOTIFICATIONS)
    if request.method == "POST":
        form = PreferenceForm(request.POST)
        if form.is_valid():
            services.preference_set(user=request.user, frequency=form.cleaned_data["frequency"])
            messages.success(request, "How you are told of notifications has been saved.")
            return redirect("notifications:list")
    else:
        form = PreferenceForm(initial={"frequency": selectors.frequency_of(user=request.user)})
    return render(request, "notifications/preferences.html", {"form": form})
