"""Reads for subject access requests, scoped to the signed-in lead's agency (another agency's: 404)."""

from __future__ import annotations

import uuid

from django.db.models import Count, QuerySet, Window
from django.http import Http404
from django.utils import timezone

from core.paging import Page
from records.models import Adult, Child, User
from records.roles import Role
from subject_access import deadlines
from subject_access.models import Redaction, SubjectAccessRelease, SubjectAccessRequest

# Open requests shown on "For review"; the list page has them all.
FOR_REVIEW_LIMIT = 25


def _of_agency(user: User) -> QuerySet[SubjectAccessRequest]:
    agency = user.agency
    if agency is None:
        return SubjectAccessRequest.objects.none()
    return SubjectAccessRequest.objects.filter(agency=agency)


def request_get_for_user(*, user: User, request_id: uuid.UUID) -> SubjectAccessRequest:
    """The request with its person and its release, if any; a 404 for anyone outside its agency."""
    found = (
        _of_agency(user)
        .select_related("agency", "child", "adult", "release", "approval", "recorded_by")
        .filter(pk=request_id)
        .first()
    )
    if found is None:
        raise Http404("No subject access request found")
    return found


def release_get_for_user(*, user: User, release_id: uuid.UUID) -> SubjectAccessRelease:
    agency = user.agency
    found = (
        SubjectAccessRelease.objects.select_related("request", "child", "adult", "agency")
        .filter(pk=release_id, agency=agency)
        .first()
        if agency is not None
        else None
    )
    if found is None:
        raise Http404("No release found")
    return found


def adult_get_for_user(*, user: User, adult_id: uuid.UUID) -> Adult:
    found = Adult.objects.select_related("agency").filter(pk=adult_id, agency=user.agency).first()
    if found is None or user.agency is None:
        raise Http404("No adult found")
    return found


def requests_of_agency(*, user: User) -> list[SubjectAccessRequest]:
    """Every request of the agency: the open ones first, soonest due first; then those answered, newest first."""
    rows = list(
        _of_agency(user).select_related("child", "adult", "release", "approval").order_by("due_on", "recorded_at")
    )
    return [row for row in rows if not row.is_released] + sorted(
        (row for row in rows if row.is_released), key=lambda row: row.release.released_at, reverse=True
    )


def open_requests(*, user: User, limit: int = FOR_REVIEW_LIMIT) -> Page:
    """The agency's requests not yet answered, soonest due first, with how many there are: one query."""
    rows = list(
        _of_agency(user)
        .filter(release__isnull=True)
        .select_related("child", "adult", "release", "approval")
        .annotate(list_total=Window(Count("pk")))
        .order_by("due_on", "recorded_at")[:limit]
    )
    return Page(rows, rows[0].list_total if rows else 0, size=limit)


def for_review_panel(*, user: User) -> dict:
    """The open requests as the lead's "For review" shows them (oversight.selectors.add_dashboard_panel)."""
    listing = open_requests(user=user)
    today = timezone.localdate()
    for row in listing.rows:
        row.due_in_words = deadlines.due_in_words(row.due_on, today)
        row.overdue = row.due_on < today
    return {"template": "subject_access/includes/for_review.html", "listing": listing}


def redactions_of(subject_access_request: SubjectAccessRequest) -> list[Redaction]:
    return list(subject_access_request.redactions.order_by("redacted_at", "pk"))


def redactor_ids(subject_access_request: SubjectAccessRequest) -> set[int]:
    return set(subject_access_request.redactions.values_list("redacted_by_id", flat=True).distinct())


def other_leads_exist(*, user: User) -> bool:
    """Whether the user's agency has another safeguarding lead who can sign in."""
    return (
        User.objects.filter(
            is_active=True, staff_membership__agency=user.agency, staff_membership__role=Role.SAFEGUARDING_LEAD
        )
        .exclude(pk=user.pk)
        .exists()
    )


def person_of(*, child: Child | None, adult: Adult | None) -> Child | Adult:
    return child if child is not None else adult
