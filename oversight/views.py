"""The top floor's pages: the child's page and chronology, which bring every
kind of case record together, and the safeguarding lead's dashboard and audit
histories."""

from __future__ import annotations

import uuid

from django.shortcuts import render
from django.utils import timezone

from audit.models import Action, Subject
from audit.services import declared_look, shown
from consent import selectors as consent_selectors
from core import filters as filter_kit
from core.access_log import logs, shows_no_case_records
from core.links import record_link
from core.paging import Page, page_number, page_query
from core.permissions import require_permission
from oversight import chronology as chronology_module
from oversight import history, selectors
from oversight.chronology import latest
from oversight.export import csv_response
from records import selectors as record_selectors
from records.roles import Permission
from sharing import selectors as sharing_selectors
from sharing.guidance import OUTCOME_LABELS

# The newest events of the chronology on the child's page.
RECENT_EVENTS = 5


def _filters(request) -> tuple[history.Filters, filter_kit.DateRange]:
    """The filters of an audit history, and the dates as typed (none is used while either is wrong)."""
    sections = {s for s in request.GET.getlist("section") if s in history.SECTIONS}
    dates = filter_kit.date_range(request)
    return history.Filters(sections=frozenset(sections or history.SECTIONS), start=dates.start, end=dates.end), dates


def _wants_csv(request, dates: filter_kit.DateRange) -> bool:
    """A CSV asked for with dates that are wrong is not downloaded unfiltered: the page shows the error."""
    return request.GET.get("format") == "csv" and not dates.errors


def _history_page(request, *, target, child, title: str, page: Page, filters, dates, extra=None):
    """Render a page of an audit history, or export all of it as CSV; either way it is logged."""
    filtered = filters.start or filters.end or filters.sections != frozenset(history.SECTIONS)
    wants_csv = _wants_csv(request, dates)
    rows = f"{len(page.rows)} rows" if wants_csv else f"{len(page.rows)} of {page.total_label} rows"
    if page.number > 1:
        rows += f", page {page.number}"
    detail = f"{rows}{' (filtered)' if filtered else ''}"
    if wants_csv:
        shown(request, target, child=child, detail=detail, action=Action.EXPORT)
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        subject = declared_look(request).subject  # the view's: child_audit, staff_audit, change_history
        filename = f"{subject.replace('_', '-')}-{stamp}.csv"
        return csv_response(page.rows, filename=filename, address=request.build_absolute_uri)
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
        **filter_kit.context(request, dates, _history_tags(request, filters, extra or {})),
        "previous_query": page_query(request, page.number - 1),
        "next_query": page_query(request, page.number + 1),
        **(extra or {}),
    }
    return render(request, "oversight/history.html", context)


def _history_tags(request, filters, extra: dict) -> list[filter_kit.Tag]:
    if "change_kinds" in extra:
        return filter_kit.choice_tags(request, "kind", extra["chosen_kinds"], extra["change_kinds"])
    return filter_kit.choice_tags(request, "section", filters.ticked_sections, history.SECTIONS)


def _history_page_number(request, dates: filter_kit.DateRange) -> int | None:
    """The page asked for; None for the CSV, which has every row."""
    return None if _wants_csv(request, dates) else page_number(request)


@logs(Action.VIEW, subject=Subject.CHILD)
def child_detail(request, child_id: uuid.UUID):
    child = record_selectors.child_get_for_user(user=request.user, child_id=child_id)
    shown(request, child)
    relationships = list(child.relationships.all())
    consents = consent_selectors.consent_history(user=request.user, child=child)
    # Each decision's address and outcome in words, made here once, not in the template (ADR 18 §2).
    decision_link = record_link("sharing:decision_detail")
    decisions = [
        (decision, decision_link(decision.pk), OUTCOME_LABELS.get(decision.outcome, decision.outcome))
        for decision in sharing_selectors.decisions_for_child(user=request.user, child=child)
    ]
    return render(
        request,
        "oversight/child_detail.html",
        {
            "child": child,
            "relationships": relationships,
            "parental_responsibility_holders": child.parental_responsibility_holders(),
            "decisions": decisions,
            "drafts": list(sharing_selectors.drafts_for_child(user=request.user, child=child)),
            "can_start_decision": request.user.has_perm(Permission.DECISION_START, child),
            "consents": consents,
            "can_record_consent": request.user.has_perm(Permission.CONSENT_RECORD, child),
            # The consents are read for their own table above.
            "recent": latest(
                child=child, count=RECENT_EVENTS, consents=[shown_consent["record"] for shown_consent in consents]
            ),
        },
    )


@logs(Action.VIEW, subject=Subject.CHRONOLOGY)
def child_chronology(request, child_id: uuid.UUID):
    child = record_selectors.child_get_for_user(user=request.user, child_id=child_id, adults=False)
    require_permission(request.user, Permission.CHRONOLOGY_VIEW, child)
    kinds = {kind for kind in request.GET.getlist("kind") if kind in chronology_module.KINDS}
    dates = filter_kit.date_range(request)
    start, end = dates.start, dates.end
    newest_first = request.GET.get("order") != "oldest"
    events = chronology_module.chronology(
        child=child, kinds=kinds or None, start=start, end=end, newest_first=newest_first
    )
    shown(request, child, detail=f"{len(events)} entries")
    return render(
        request,
        "oversight/chronology.html",
        {
            "child": child,
            "events": events,
            "kinds": chronology_module.KINDS,
            "chosen_kinds": kinds,
            "start": start,
            "end": end,
            "newest_first": newest_first,
            **filter_kit.context(
                request, dates, filter_kit.choice_tags(request, "kind", kinds, chronology_module.KINDS)
            ),
            "printed_at": timezone.localtime(),
        },
    )


@logs(Action.VIEW, subject=Subject.DASHBOARD)
def dashboard(request):
    """For the safeguarding lead: what needs their attention; or one of its lists, a page at a time."""
    require_permission(request.user, Permission.OVERSIGHT_VIEW)
    if "list" in request.GET:
        return _dashboard_list(request, request.GET["list"])
    board = selectors.dashboard(user=request.user)
    shown(request)
    return render(request, "oversight/dashboard.html", {"board": board})


def _dashboard_list(request, slug: str):
    chosen_list, listing = selectors.dashboard_list(user=request.user, slug=slug, page=page_number(request))
    shown(request, detail=f"{chosen_list.title.lower()}, page {listing.number}")
    context = {
        "chosen_list": chosen_list,
        "listing": listing,
        "table": f"oversight/includes/{chosen_list.table}",
        "previous_query": page_query(request, listing.number - 1),
        "next_query": page_query(request, listing.number + 1),
    }
    return render(request, "oversight/dashboard_list.html", context)


@logs(Action.VIEW, Action.EXPORT, subject=Subject.CHILD_AUDIT)
def child_history(request, child_id: uuid.UUID):
    child = record_selectors.child_get_for_user(user=request.user, child_id=child_id, adults=False)
    require_permission(request.user, Permission.OVERSIGHT_VIEW, child)
    filters, dates = _filters(request)
    page = history.child_history(child=child, filters=filters, page=_history_page_number(request, dates))
    return _history_page(
        request,
        target=child,
        child=child,
        title=f"Audit history: {child.full_name}",
        page=page,
        filters=filters,
        dates=dates,
        extra={"child": child},
    )


@shows_no_case_records("the agency's staff, to choose whose audit history to read")
def staff_list(request):
    require_permission(request.user, Permission.OVERSIGHT_VIEW)
    return render(request, "oversight/staff_list.html", {"staff": selectors.staff_of_agency(user=request.user)})


@logs(Action.VIEW, Action.EXPORT, subject=Subject.STAFF_AUDIT)
def staff_history(request, member_id: int):
    member = selectors.staff_member_get_for_user(user=request.user, member_id=member_id)
    require_permission(request.user, Permission.OVERSIGHT_VIEW)
    filters, dates = _filters(request)
    page = history.staff_history(
        member=member, filters=filters, page=_history_page_number(request, dates), agency=request.user.agency
    )
    return _history_page(
        request,
        target=member,
        child=None,
        title=f"Audit history: {member.full_name}",
        page=page,
        filters=filters,
        dates=dates,
        extra={"member": member},
    )


@logs(Action.VIEW, Action.EXPORT, subject=Subject.CHANGE_HISTORY)
def change_history(request):
    require_permission(request.user, Permission.OVERSIGHT_VIEW)
    filters, dates = _filters(request)
    kinds = {kind for kind in request.GET.getlist("kind") if kind in history.CHANGE_KINDS}
    page = history.agency_changes(
        agency=request.user.agency, kinds=kinds, filters=filters, page=_history_page_number(request, dates)
    )
    return _history_page(
        request,
        target=None,
        child=None,
        title="Change history",
        page=page,
        filters=filters,
        dates=dates,
        extra={
            "change_kinds": history.CHANGE_KINDS,
            "chosen_kinds": kinds,
        },
    )
