"""What the safeguarding lead's dashboard lists, scoped to the lead's agency."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, QuerySet
from django.http import Http404
from django.utils import timezone

from consent import selectors as consent_selectors
from exchange import selectors as exchange_selectors
from exchange.models import Disclosure, InformationRequest
from records.models import User
from sharing import guidance
from sharing.models import DecisionAnswer, DecisionReview, SharingDecision

# Each list shows this many, oldest first, with the total.
LIST_LIMIT = 25

SHARING_OUTCOMES = (guidance.Outcome.SHARE, guidance.Outcome.SHARE_IN_PART)


@dataclass
class Listing:
    rows: list
    total: int


def _listing(queryset: QuerySet) -> Listing:
    rows = list(queryset[:LIST_LIMIT])
    total = len(rows) if len(rows) < LIST_LIMIT else queryset.count()
    return Listing(rows, total)


def _agency_decisions(user: User) -> QuerySet[SharingDecision]:
    return SharingDecision.objects.filter(agency=user.agency).select_related("child")


def decisions_to_review(*, user: User) -> Listing:
    """Decisions nobody has reviewed yet, other than the lead's own."""
    reviewed = DecisionReview.objects.filter(decision=OuterRef("pk"))
    decisions = _agency_decisions(user).exclude(recorded_by=user).filter(~Exists(reviewed)).order_by("recorded_at")
    return _listing(decisions)


def decisions_without_consent(*, user: User, days: int) -> Listing:
    """Decisions in the last ``days`` to share confidential information without consent (3.3.6-3.3.8).

    Question 4 was answered (the information was confidential) and consent
    was not obtained, or did not cover this sharing (3.3.14, 3.3.22).
    """
    since = timezone.now() - timedelta(days=days)
    consent_answers = DecisionAnswer.objects.filter(decision=OuterRef("pk"), question_key=guidance.Q.CONSENT)
    with_consent = consent_answers.filter(answers__status=guidance.ConsentStatus.OBTAINED).exclude(
        answers__consent_covers=False
    )
    decisions = (
        _agency_decisions(user)
        .filter(outcome__in=SHARING_OUTCOMES, decided_at__gte=since)
        .filter(Exists(consent_answers), ~Exists(with_consent))
        .annotate(review_count=Count("reviews"))
        .order_by("-decided_at")
    )
    return _listing(decisions)


def requests_open_longer_than(*, user: User, days: int) -> Listing:
    cutoff = timezone.now() - timedelta(days=days)
    requests = (
        InformationRequest.objects.filter(agency=user.agency, outcome__isnull=True, received_at__lt=cutoff)
        .select_related("child")
        .order_by("received_at")
    )
    return _listing(requests)


def requests_unverified(*, user: User) -> Listing:
    """Open requests whose requester has not been verified (3.7.4)."""
    requests = (
        InformationRequest.objects.filter(agency=user.agency, outcome__isnull=True, verified_at__isnull=True)
        .select_related("child")
        .order_by("received_at")
    )
    return _listing(requests)


@dataclass
class Dashboard:
    to_review: Listing
    without_consent: Listing
    without_consent_days: int
    not_told: list[tuple[Disclosure, object]]
    consent_reviews: list
    open_requests: Listing
    open_request_days: int
    unverified: Listing


def dashboard(*, user: User) -> Dashboard:
    from exchange.services import reconsider_date

    return Dashboard(
        to_review=decisions_to_review(user=user),
        without_consent=decisions_without_consent(user=user, days=settings.DASHBOARD_RECENT_DAYS),
        without_consent_days=settings.DASHBOARD_RECENT_DAYS,
        not_told=[(d, reconsider_date(d)) for d in exchange_selectors.not_yet_informed(user=user)],
        consent_reviews=consent_selectors.reviews_due(user=user),
        open_requests=requests_open_longer_than(user=user, days=settings.OPEN_REQUEST_ALERT_DAYS),
        open_request_days=settings.OPEN_REQUEST_ALERT_DAYS,
        unverified=requests_unverified(user=user),
    )


def staff_member_get_for_user(*, user: User, member_id: int) -> User:
    """A member of the user's own agency; 404 for anyone else's."""
    member = User.objects.filter(pk=member_id, staff_membership__agency=user.agency).first()
    if member is None or user.agency is None:
        raise Http404("No such member of staff")
    return member


def staff_of_agency(*, user: User) -> QuerySet[User]:
    return (
        User.objects.filter(staff_membership__agency=user.agency)
        .select_related("staff_membership")
        .order_by("full_name")
    )
