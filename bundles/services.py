"""Making a bundle: the PDF of a child's records, kept, hashed and entered in the log (docs/adr/0021-court-bundles.md).

The PDF is made first, while nothing is written; its bytes are then saved to
private storage and the bundle, naming them by their SHA-256, is written and
entered in the log in one transaction. If that fails, the file is removed, so
no file is kept that the log does not name.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from bundles import selectors
from bundles.models import Bundle, Kind, Purpose
from core import pdf
from ledger import services as ledger
from records.models import Child, User


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


def bundle_pdf(*, user: User, child: Child, choices: BundleChoices, made_at=None) -> tuple[bytes, int, list[dict]]:
    """The bundle's PDF, its number of pages, and what went in (each record's kind, id, place in the log and
    SHA-256), made now by ``user``. Writes nothing. TooManyRecords, before anything is printed, for more than
    a bundle may hold."""
    made_at = made_at or timezone.now()
    contents = selectors.bundle_contents(
        child=child, kinds=choices.kinds, start=choices.period_start, end=choices.period_end
    )
    if len(contents.logged) > settings.BUNDLE_MOST_RECORDS:
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


def bundle_make(*, user: User, child: Child, choices: BundleChoices) -> Bundle:
    """Make the child's bundle, keep its PDF and enter the bundle in the log. The caller has checked that
    ``user`` may make the child's bundles."""
    made_at = timezone.now()
    made, pages, contents = bundle_pdf(user=user, child=child, choices=choices, made_at=made_at)
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
            ledger.append(bundle)
    except BaseException:
        bundle.pdf.storage.delete(bundle.pdf.name)
        raise
    return bundle
