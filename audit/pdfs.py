"""A record's PDF (ADR 20), downloaded as an export and logged as one, like its receipt (audit.receipts).

The feature's view has already checked that the user may see the record (the
same selector as its page) and gathered what its page shows; this makes the
PDF, logs the export, and hands it over as an attachment whose name holds no
personal data: the kind of record and its id.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone

from audit.models import Action
from audit.services import shown
from core import pdf


def pdf_download(
    request: HttpRequest,
    record,
    *,
    what: str,
    template: str,
    context: dict,
    child=None,
) -> HttpResponse:
    """``template`` (extending core/pdf_document.html) as a PDF attachment named ``<what>-<id>.pdf``, logged as
    an export of ``record``, as the view declares (``@logs(Action.EXPORT, subject=...)``)."""
    html = render_to_string(template, {**context, "printed_at": timezone.localtime()}, request=request)
    made = pdf.pdf_from_html(html)
    shown(request, record, child=child, detail="PDF", action=Action.EXPORT)
    return pdf.pdf_attachment(made, filename=f"{what}-{record.pk}.pdf")
