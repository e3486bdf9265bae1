"""Making a bundle: the PDF of a child's records, kept, hashed and entered in the log (docs/adr/0021-court-bundles.md).

The page records what was asked for (a ``BundleOrder``) and enqueues a task
(``bundles.tasks.bundle_order_make``); the worker makes the PDF while nothing
is written, saves its bytes to private storage, and writes the bundle, naming
them by their SHA-256, entered in the log, in one transaction with the key
that says it is done (``worker.once``): a task run twice makes one bundle. If
that transaction fails or finds the bundle made already, the file is removed,
so no file is kept that the log does not name.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from bundles import selectors
from bundles.models import Bundle, BundleOrder, Kind, Purpose
from core import pdf
from ledger import services as ledger
from notifications.models import Kind as NotificationKind
from notifications.services import Notice, Recipients, notification_send
from records.models import Child, User
from worker import once


@dataclass(frozen=True)
class BundleChoices:
    """What the person making the bundle chose: for what, for whom, why, the period and the kinds of record."""

    purpose: Purpose
    recipient: str
    reason: str
    period_start: date | None
    period_end: date | None
    kinds: tuple[Kind, ...]


class TooManyRecords(Exception):
    """More records than one bundle may hold (``settings.BUNDLE_MOST_RECORDS``)."""

    def __init__(self, records: int):
        super().__init__(records)
        self.records = records


def bundle_pdf(
    *, user: User, child: Child, choices: BundleChoices, made_at=None, limited: bool = True
) -> tuple[bytes, int, list[dict]]:
    """The bundle's PDF, its number of pages, and what went in (each record's kind, id, place in the log and
    SHA-256), made now by ``user``. Writes nothing. TooManyRecords, before anything is printed, for more than
    a bundle may hold (unless not ``limited``: the order was checked when it was made)."""
    made_at = made_at or timezone.now()
    contents = selectors.bundle_contents(
        child=child, kinds=choices.kinds, start=choices.period_start, end=choices.period_end
    )
    if limited and len(contents.logged) > settings.BUNDLE_MOST_RECORDS:
        raise TooManyRecords(len(contents.logged))
    role = user.role_then
    html = render_to_string(
        "bundles/bundle_pdf.html",
        {
            "child": child,
            "choices": choices,
            "purpose_label": Purpose(choices.purpose).label,
            "kind_labels": [Kind(kind).label for kind in choices.kinds],
            "contents": contents,
            "logged": contents.logged,
            "maker_name": user.full_name,
            "maker_role": role.role,
            # What core/pdf_document.html puts on every page: the marking, and who printed it when.
            "user": user,
            "printed_at": timezone.localtime(made_at),
            "service_name": settings.SERVICE_NAME,
            "protective_marking": settings.PROTECTIVE_MARKING,
        },
    )
    made, pages = pdf.pdf_and_pages(html)
    return made, pages, [logged.as_contents() for logged in contents.logged]


def _records_count(*, child: Child, choices: BundleChoices) -> int:
    contents = selectors.bundle_contents(
        child=child, kinds=choices.kinds, start=choices.period_start, end=choices.period_end
    )
    return len(contents.logged)


def _order_record(*, user: User, child: Child, choices: BundleChoices) -> BundleOrder:
    return BundleOrder.objects.create(
        agency=child.agency,
        child=child,
        purpose=choices.purpose,
        recipient=choices.recipient,
        reason=choices.reason,
        period_start=choices.period_start,
        period_end=choices.period_end,
        kinds=[kind.value for kind in choices.kinds],
        asked_by=user,
        asker_name=user.full_name,
        asked_at=timezone.now(),
    )


def bundle_ask(*, user: User, child: Child, choices: BundleChoices) -> BundleOrder:
    """Record the bundle asked for and enqueue the task that makes it; TooManyRecords, with nothing written, for
    more than a bundle may hold. The caller has checked that ``user`` may make the child's bundles.

    The order and its task are written in one transaction (with the database backend the queue is a table of
    the same database): both or neither. Returned as it stands once enqueued (made already, where tasks run as
    they are enqueued)."""
    records = _records_count(child=child, choices=choices)
    if records > settings.BUNDLE_MOST_RECORDS:
        raise TooManyRecords(records)
    from bundles.tasks import bundle_order_make

    with transaction.atomic():
        order = _order_record(user=user, child=child, choices=choices)
        bundle_order_make.enqueue(order_id=str(order.pk))
    order.refresh_from_db(fields=["bundle", "failed_at"])
    return order


class OrderNotFound(Exception):
    """The order is not (yet) in the database: with a queue outside it (Redis), a task can arrive before the
    order's transaction commits. Raised to be tried again."""


def _choices_of(order: BundleOrder) -> BundleChoices:
    return BundleChoices(
        purpose=Purpose(order.purpose),
        recipient=order.recipient,
        reason=order.reason,
        period_start=order.period_start,
        period_end=order.period_end,
        kinds=tuple(kind for kind in Kind if kind.value in order.kinds),
    )


def bundle_order_make(*, order_id) -> Bundle | None:
    """Make the bundle asked for, keep its PDF and enter it in the log; None if it was made already (a task run
    a second time). The work is done once whatever runs it: ``worker.once`` and the order's row, both written
    with the bundle."""
    order = BundleOrder.objects.select_related("child__agency", "asked_by").filter(pk=order_id).first()
    if order is None:
        raise OrderNotFound(order_id)
    if order.bundle_id is not None:
        return None
    user, child, choices = order.asked_by, order.child, _choices_of(order)
    made_at = timezone.now()
    # Checked when it was asked for; records added since go in all the same, rather than failing it.
    made, pages, contents = bundle_pdf(user=user, child=child, choices=choices, made_at=made_at, limited=False)
    role = user.role_then
    bundle = Bundle(
        agency=child.agency,
        child=child,
        purpose=choices.purpose,
        recipient=choices.recipient,
        reason=choices.reason,
        period_start=choices.period_start,
        period_end=choices.period_end,
        kinds=[kind.value for kind in choices.kinds],
        contents=contents,
        pages=pages,
        pdf_size=len(made),
        pdf_sha256=hashlib.sha256(made).hexdigest(),
        made_by=user,
        maker_name=user.full_name,
        maker_role=role.role,
        made_at=made_at,
    )
    bundle.pdf.save("bundle.pdf", ContentFile(made), save=False)
    try:
        with transaction.atomic():
            locked = BundleOrder.objects.select_for_update().get(pk=order.pk)
            first = locked.bundle_id is None and once.first_time(f"bundle-order:{order.pk}")
            if first:
                ledger.append(bundle)
                locked.bundle, locked.failed_at = bundle, None
                locked.save(update_fields=["bundle", "failed_at"])
                _tell_who_asked(order, kind=NotificationKind.BUNDLE_READY, about=f"bundle:{bundle.pk}")
    except BaseException:
        bundle.pdf.storage.delete(bundle.pdf.name)
        raise
    if not first:
        # Made meanwhile by another run of the same task: this copy is not the one in the log.
        bundle.pdf.storage.delete(bundle.pdf.name)
        return None
    return bundle


def bundle_order_failed(*, order_id) -> None:
    """The order's task failed for good (ADR 23): the list says it could not be made, and whoever asked is told.
    Said more than once (worker.failed_for_good), it is marked and told once."""
    with transaction.atomic():
        marked = BundleOrder.objects.filter(pk=order_id, bundle__isnull=True, failed_at__isnull=True).update(
            failed_at=timezone.now()
        )
        if marked:
            order = BundleOrder.objects.get(pk=order_id)
            _tell_who_asked(order, kind=NotificationKind.BUNDLE_NOT_MADE, about=f"bundle-order:{order.pk}")


def _tell_who_asked(order: BundleOrder, *, kind: NotificationKind, about: str) -> None:
    # The child's list of bundles, which says "Ready" with the download, or "Could not be made" and what to do.
    link = reverse("bundles:list", args=[order.child_id])
    notification_send(notice=Notice(kind=kind, link=link, about=about), to=Recipients(people=(order.asked_by_id,)))


def bundle_make(*, user: User, child: Child, choices: BundleChoices) -> Bundle:
    """Make the child's bundle at once, as the worker makes one asked for (for tests and the command line):
    the order recorded, then made. The caller has checked that ``user`` may make the child's bundles."""
    order = _order_record(user=user, child=child, choices=choices)
    return bundle_order_make(order_id=order.pk)
