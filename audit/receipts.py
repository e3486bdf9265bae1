"""A record's receipt (ADR 13, item 6), downloaded as an export and logged as one.

The feature's view has already checked that the user may see the record (the
same selector as its page); this gives the receipt, or, in the seconds before
a signed checkpoint includes the record, a page saying so.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header

from audit.models import Action
from audit.services import nothing_shown, shown
from ledger import receipts
from ledger.models import LedgerRecord
from records.models import Child


def receipt_download(
    request: HttpRequest,
    record: LedgerRecord,
    *,
    what: str,
    back_url: str,
    back_text: str,
    target=None,
    child: Child | None = None,
    detail: str = "log receipt",
) -> HttpResponse:
    """The receipt as a JSON attachment, logged as an export of ``target`` (the record, unless given), as the
    view declares (``@logs(Action.EXPORT, subject=...)``).

    Not ready yet: a page, with status 200, saying the record is in the log and
    its receipt follows within seconds; nothing was exported, so nothing is logged.
    """
    try:
        receipt = receipts.receipt_for(record)
    except receipts.ReceiptNotReady:
        nothing_shown(request)
        return render(
            request, "ledger/receipt_waiting.html", {"what": what, "back_url": back_url, "back_text": back_text}
        )
    shown(request, record if target is None else target, child=child, detail=detail, action=Action.EXPORT)
    # UTF-8 as it is (the checker reads UTF-8), indented for whoever opens the file.
    response = JsonResponse(receipt, json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=f"receipt-{record.ledger_kind}-{record.ledger_record_id}.json"
    )
    return response
