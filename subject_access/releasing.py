"""A request's records as they will be released, and the release's PDF made from them (ADR 22).

The approval page shows the records redacted; the worker, once a lead has approved, makes the PDF from the
same records and redactions (``tasks.release_make``), with no request to hand: everything the PDF shows is
passed in here.
"""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe

from core import pdf
from records.models import User
from subject_access import paper, redaction
from subject_access.models import MARKS, REASON_LAW, Reason, Redaction, SubjectAccessRequest


def cuts(redactions) -> list[redaction.Cut]:
    return [redaction.Cut(piece=row.piece, words=row.words, mark=row.mark) for row in redactions]


def redacted_html(redacted: redaction.Redacted):
    """A record's HTML as redaction wrote it: the templates' own escaped HTML, its text escaped again and its
    tags and attributes rebuilt from a short list, so it is shown as markup."""
    return mark_safe(redacted.html)  # noqa: S308  # nosec B308 B703


def released_records(records, redactions) -> tuple[list[dict], list[str]]:
    """Each record redacted as it will be released, and where a redaction's words were not found."""
    released, missed = [], []
    for record in records:
        chosen = [row for row in redactions if (row.record_kind, row.record_id) == (record.kind, record.id)]
        redacted = redaction.redact(record.html, cuts(chosen))
        missed += [f"{record.title}, part {cut.piece}" for cut in redacted.missed]
        released.append({"record": record, "html": redacted_html(redacted)})
    return released, missed


class WordsNotFound(Exception):
    """A redaction's words are no longer where they were chosen: nothing is released with them showing."""


def release_pdf(
    *, subject_access_request: SubjectAccessRequest, user: User, redactions: list[Redaction]
) -> tuple[bytes, list[dict]]:
    """The release's PDF, printed by ``user`` (who approved it), and the records in it; WordsNotFound if a
    redaction's words are no longer where they were chosen (a record printed differently since)."""
    records = paper.gather(subject_access_request=subject_access_request, user=user)
    released, missed = released_records(records, redactions)
    if missed:
        raise WordsNotFound(missed[0])
    html = render_to_string(
        "subject_access/release_pdf.html",
        {
            "sar": subject_access_request,
            "released": released,
            "marks": [(MARKS[reason], reason.label, REASON_LAW[reason]) for reason in Reason],
            "printed_at": timezone.localtime(),
            # What core/pdf_document.html puts on every page: the marking, and who printed it.
            "user": user,
            "service_name": settings.SERVICE_NAME,
            "protective_marking": settings.PROTECTIVE_MARKING,
        },
    )
    titles = [
        {"kind": item["record"].kind, "id": item["record"].id, "title": item["record"].title} for item in released
    ]
    return pdf.pdf_from_html(html), titles
