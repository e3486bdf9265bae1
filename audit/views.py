"""The safeguarding lead's oversight: the dashboard and the audit histories."""

from __future__ import annotations

import uuid
from datetime import date

from django.shortcuts import render
from django.utils import timezone

from audit import history, selectors
from audit.export import csv_response
from audit.models import Action, Subject
from audit.services import access_record, viewed
from records import selectors as record_selectors
from records.roles import Permission
from records.views import require_permission


def _date(value: str) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _filters(request) -> history.Filters:
    sections = {s for s in request.GET.getlist("section") if s in history.SECTIONS}
    return history.Filters(
        sections=frozenset(sections or history.SECTIONS),
        start=_date(request.GET.get("from", "")),
        end=_date(request.GET.get("to", "")),
    )


def _wants_csv(request) -> bool:
    return request.GET.get("format") == "csv"


def _history_page(request, *, subject: Subject, target, child, title: str, rows, filters, extra=None):
    """Render an audit history, or export it as CSV; either way it is logged."""
    filtered = filters.start or filters.end or filters.sections != frozenset(history.SECTIONS)
    detail = f"{len(rows)} rows{' (filtered)' if filtered else ''}"
    if _wants_csv(request):
        access_record(request=request, action=Action.EXPORT, subject=subject, target=target, child=child, detail=detail)
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        return csv_response(rows, filename=f"{subject.value.replace('_', '-')}-{stamp}.csv")
    viewed(request, subject, target, child=child, detail=detail)
    query = request.GET.copy()
    query["format"] = "csv"
    context = {
        "title": title,
        "rows": rows,
        "filters": filters,
        "sections": history.SECTIONS,
        "page_rows": history.PAGE_ROWS,
        "csv_query": query.urlencode(),
        **(extra or {}),
    }
    return render(request, "audit/history.html", context)


def dashboard(request):
    """For the safeguarding lead: what needs their attention."""
    require_permission(request.user, Permission.OVERSIGHT_VIEW)
    board = selectors.dashboard(user=request.user)
    viewed(request, Subject.DASHBOARD, None)
    return render(request, "audit/dashboard.html", {"board": board})


def child_history(request, child_id: uuid.UUID):
    child = record_selectors.child_get_for_user(user=request.user, child_id=child_id)
    require_permission(request.user, Permission.OVERSIGHT_VIEW, child)
    filters = _filters(request)
    rows = history.child_history(child=child, filters=filters, limit=None if _wants_csv(request) else history.PAGE_ROWS)
    return _history_page(
        request,
        subject=Subject.CHILD_AUDIT,
        target=child,
        child=child,
        title=f"Audit history: {child.full_name}",
        rows=rows,
        filters=filters,
        extra={"child": child},
    )


def staff_list(request):
    require_permission(request.user, Permission.OVERSIGHT_VIEW)
    return render(request, "audit/staff_list.html", {"staff": selectors.staff_of_agency(user=request.user)})


def staff_history(request, member_id: int):
    member = selectors.staff_member_get_for_user(user=request.user, member_id=member_id)
    require_permission(request.user, Permission.OVERSIGHT_VIEW)
    filters = _filters(request)
    rows = history.staff_history(
        member=member, filters=filters, limit=None if _wants_csv(request) else history.PAGE_ROWS
    )
    return _history_page(
        request,
        subject=Subject.STAFF_AUDIT,
        target=member,
        child=None,
        title=f"Audit history: {member.full_name}",
        rows=rows,
        filters=filters,
        extra={"member": member},
    )


def change_history(request):
    require_permission(request.user, Permission.OVERSIGHT_VIEW)
    filters = _filters(request)
    kinds = {kind for kind in request.GET.getlist("kind") if kind in history.CHANGE_KINDS}
    rows = history.agency_changes(
        agency=request.user.agency,
        kinds=kinds,
        filters=filters,
        limit=None if _wants_csv(request) else history.PAGE_ROWS,
    )
    return _history_page(
        request,
        subject=Subject.CHANGE_HISTORY,
        target=None,
        child=None,
        title="Change history",
        rows=rows,
        filters=filters,
        extra={"change_kinds": history.CHANGE_KINDS, "chosen_kinds": kinds},
    )
