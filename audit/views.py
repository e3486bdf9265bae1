"""The safeguarding lead's oversight: the dashboard and the audit histories."""

from __future__ import annotations

import uuid
from datetime import date

from django.shortcuts import render
from django.utils import timezone

from audit import history, selectors
from audit.export import csv_response
from audit.models import Action, Subject
from audit.paging import Page
from audit.services import declared_look, shown
from core.access_log import logs, shows_no_case_records
from core.permissions import require_permission
from records import selectors as record_selectors
from records.roles import Permission

# Far enough for any real list; keeps an OFFSET typed into the address sensible.
MAX_PAGE = 100_000


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


def _history_page(request, *, target, child, title: str, page: Page, filters, extra=None):
    """Render a page of an audit history, or export all of it as CSV; either way it is logged."""
    filtered = filters.start or filters.end or filters.sections != frozenset(history.SECTIONS)
    rows = f"{len(page.rows)} rows" if _wants_csv(request) else f"{len(page.rows)} of {page.total_label} rows"
    if page.number > 1:
        rows += f", page {page.number}"
    detail = f"{rows}{' (filtered)' if filtered else ''}"
    if _wants_csv(request):
        shown(request, target, child=child, detail=detail, action=Action.EXPORT)
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        subject = declared_look(request).subject  # the view's: child_audit, staff_audit, change_history
        return csv_response(page.rows, filename=f"{subject.replace('_', '-')}-{stamp}.csv")
    shown(request, target, child=child, detail=detail)
    query = request.GET.copy()
    query.pop("page", None)
    query["format"] = "csv"
    context = {
        "title": title,
        "page": page,
        "rows": page.rows,
        "filters": filters,
        "sections": history.SECTIONS,
        "csv_query": query.urlencode(),
        "previous_query": _page_query(request, page.number - 1),
        "next_query": _page_query(request, page.number + 1),
        **(extra or {}),
    }
    return render(request, "audit/history.html", context)


def _history_page_number(request) -> int | None:
    """The page asked for; None for the CSV, which has every row."""
    return None if _wants_csv(request) else _page_number(request)


def _page_number(request) -> int:
    try:
        return min(max(int(request.GET.get("page", "1")), 1), MAX_PAGE)
    except ValueError:
        return 1


def _page_query(request, page: int) -> str:
    query = request.GET.copy()
    query["page"] = str(page)
    return query.urlencode()


@logs(Action.VIEW, subject=Subject.DASHBOARD)
def dashboard(request):
    """For the safeguarding lead: what needs their attention; or one of its lists, a page at a time."""
    require_permission(request.user, Permission.OVERSIGHT_VIEW)
    if "list" in request.GET:
        return _dashboard_list(request, request.GET["list"])
    board = selectors.dashboard(user=request.user)
    shown(request)
    return render(request, "audit/dashboard.html", {"board": board})


def _dashboard_list(request, slug: str):
    entry, listing = selectors.dashboard_list(user=request.user, slug=slug, page=_page_number(request))
    shown(request, detail=f"{entry.title.lower()}, page {listing.number}")
    context = {
        "entry": entry,
        "listing": listing,
        "table": f"audit/includes/{entry.table}",
        "previous_query": _page_query(request, listing.number - 1),
        "next_query": _page_query(request, listing.number + 1),
    }
    return render(request, "audit/dashboard_list.html", context)


@logs(Action.VIEW, Action.EXPORT, subject=Subject.CHILD_AUDIT)
def child_history(request, child_id: uuid.UUID):
    child = record_selectors.child_get_for_user(user=request.user, child_id=child_id, adults=False)
    require_permission(request.user, Permission.OVERSIGHT_VIEW, child)
    filters = _filters(request)
    page = history.child_history(child=child, filters=filters, page=_history_page_number(request))
    return _history_page(
        request,
        target=child,
        child=child,
        title=f"Audit history: {child.full_name}",
        page=page,
        filters=filters,
        extra={"child": child},
    )


@shows_no_case_records("the agency's staff, to choose whose audit history to read")
def staff_list(request):
    require_permission(request.user, Permission.OVERSIGHT_VIEW)
    return render(request, "audit/staff_list.html", {"staff": selectors.staff_of_agency(user=request.user)})


@logs(Action.VIEW, Action.EXPORT, subject=Subject.STAFF_AUDIT)
def staff_history(request, member_id: int):
    member = selectors.staff_member_get_for_user(user=request.user, member_id=member_id)
    require_permission(request.user, Permission.OVERSIGHT_VIEW)
    filters = _filters(request)
    page = history.staff_history(member=member, filters=filters, page=_history_page_number(request))
    return _history_page(
        request,
        target=member,
        child=None,
        title=f"Audit history: {member.full_name}",
        page=page,
        filters=filters,
        extra={"member": member},
    )


@logs(Action.VIEW, Action.EXPORT, subject=Subject.CHANGE_HISTORY)
def change_history(request):
    require_permission(request.user, Permission.OVERSIGHT_VIEW)
    filters = _filters(request)
    kinds = {kind for kind in request.GET.getlist("kind") if kind in history.CHANGE_KINDS}
    rows = history.agency_changes(
        agency=request.user.agency,
        kinds=kinds,
        filters=filters,
        limit=None if _wants_csv(request) else history.CHANGE_HISTORY_ROWS,
    )
    return _history_page(
        request,
        target=None,
        child=None,
        title="Change history",
        page=Page(rows, len(rows)),
        filters=filters,
        extra={
            "change_kinds": history.CHANGE_KINDS,
            "chosen_kinds": kinds,
            "change_history_rows": history.CHANGE_HISTORY_ROWS,
        },
    )
