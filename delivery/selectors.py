"""Reads of disclosures sent through the service (ADR 27): the receiving agency's list and pages read the
record of what was sent (``Delivery``) and its thread, never the sender's disclosure, child or decision;
the sending side reads its own disclosure's. Anyone else gets "not found"."""

from __future__ import annotations

import uuid
from datetime import datetime

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from core.paging import Page, page_counted
from delivery import rules
from delivery.models import Delivery, Opened, Side, ThreadMessage
from exchange.forms import ONWARD
from exchange.models import Disclosure
from records.models import User
from records.roles import Role
from records.rules import has_case_role
from sharing import summary

ONWARD_LABELS = dict(ONWARD)


def _with_thread(queryset: QuerySet[Delivery]) -> QuerySet[Delivery]:
    return queryset.select_related("acknowledgement").prefetch_related(
        Prefetch("openings", queryset=Opened.objects.order_by("opened_at", "id")),
        Prefetch("thread", queryset=ThreadMessage.objects.order_by("written_at", "id")),
    )


def received_by(user: User) -> Q:
    """What the user's agency received that the user may read: mirrors rules.receives."""
    membership = user.membership
    if not has_case_role(user):
        return Q(pk__in=[])
    mine = Q(to_agency_id=membership.agency_id)
    if membership.role == Role.SAFEGUARDING_LEAD:
        return mine
    return mine & Q(to_person=user)


def received_list(*, user: User, page: int = 1) -> Page:
    """The disclosures received that the user may read, newest first, a page at a time."""
    rows = page_counted(
        Delivery.objects.filter(received_by(user)).select_related("acknowledgement").order_by("-sent_at", "-id"),
        page,
    )
    now = timezone.now()
    for row in rows.rows:
        with_state(row, now=now)
    return rows


def received_get_for_user(*, user: User, delivery_id: uuid.UUID) -> Delivery:
    """A disclosure the user's agency received and the user may read; 404 for anyone else."""
    delivery = _with_thread(Delivery.objects.filter(pk=delivery_id).filter(received_by(user))).first()
    if delivery is None or not rules.receives(user, delivery):
        raise Http404("No disclosure received found")
    return with_state(delivery)


def sent_get_for_user(*, user: User, disclosure_id: uuid.UUID) -> Delivery:
    """The sending side's view of a disclosure it sent through the service (its sender, its agency's leads)."""
    membership = user.membership
    if membership is None:
        raise Http404("No disclosure found")
    delivery = _with_thread(
        Delivery.objects.filter(disclosure_id=disclosure_id, from_agency_id=membership.agency_id).select_related(
            "disclosure", "disclosure__child", "to_agency"
        )
    ).first()
    if delivery is None or not rules.sends(user, delivery):
        raise Http404("No disclosure found")
    return with_state(delivery)


def with_state(delivery: Delivery, *, now: datetime | None = None) -> Delivery:
    """The delivery with what its pages show: whether acknowledged and overdue, its first opening, its items
    with their marks in words."""
    delivery.acknowledged = getattr(delivery, "acknowledgement", None)
    delivery.overdue = rules.is_overdue(
        acknowledge_by=delivery.acknowledge_by, now=now or timezone.now(), acknowledged=bool(delivery.acknowledged)
    )
    kinds = dict(summary.ITEM_KINDS)
    delivery.items_shown = [
        {"number": number, "text": item["text"], "kind": kinds.get(item["kind"], item["kind"])}
        for number, item in enumerate(delivery.items, start=1)
    ]
    delivery.onward_label = ONWARD_LABELS.get(delivery.onward_sharing, delivery.onward_sharing)
    return delivery


def first_opened(delivery: Delivery) -> Opened | None:
    openings = list(delivery.openings.all())
    return openings[0] if openings else None


def asked(delivery: Delivery) -> bool:
    return any(message.side == Side.RECIPIENT for message in delivery.thread.all())


# "For review": the sending agency's disclosures not acknowledged in time.


def not_acknowledged(now: datetime) -> Q:
    """Mirrors rules.is_overdue."""
    return Q(acknowledgement__isnull=True, acknowledge_by__lte=now)


def not_acknowledged_disclosures(*, agency_id: int) -> QuerySet[Disclosure]:
    """The agency's disclosures sent through the service and not acknowledged in time, as disclosures (the
    lead's "For review" reads them with its other disclosures in one query): mirrors rules.is_overdue."""
    return Disclosure.objects.filter(
        agency_id=agency_id,
        delivery__acknowledgement__isnull=True,
        delivery__acknowledge_by__lte=timezone.now(),
    )
