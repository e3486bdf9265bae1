"""The log's public pages: its public key (open to anyone) and its newest signed checkpoint (signed-in staff).

A feature's receipt downloads check access to the record and log the export
in their own app (``audit.receipts``); nothing here names a record.
"""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.views.decorators.http import require_GET

from core.access_log import shows_no_case_records
from ledger import keys, note, selectors

PLAIN_TEXT = "text/plain; charset=utf-8"


@shows_no_case_records("the log's public key")
@login_not_required
@require_GET
def public_key(request):
    """The verifier key checkpoints are signed with (``name+keyid+base64``), for tools/verify_receipt.py --key.

    Open to anyone, as the sign-in and two-factor middleware let /healthz be:
    a receipt is worth something only if whoever holds it can fetch the key.
    """
    try:
        key = keys.verifier_key()
    except note.NoteError:
        return HttpResponse("The log's signing key is not configured.\n", content_type=PLAIN_TEXT, status=503)
    return HttpResponse(f"{key}\n", content_type=PLAIN_TEXT)


@shows_no_case_records("the log's newest signed checkpoint: a size and a hash")
@require_GET
def checkpoint(request):
    """The newest signed checkpoint note (C2SP tlog-checkpoint), as it was signed."""
    newest = selectors.newest_checkpoint()
    if newest is None:
        return HttpResponse("No checkpoint has been signed yet.\n", content_type=PLAIN_TEXT, status=404)
    return HttpResponse(newest.note, content_type=PLAIN_TEXT)
