"""Subject access requests (UK GDPR article 15): recorded, redacted, approved and released (ADR 22).

Every page is the agency's safeguarding leads' (subject_access.rules). Until
the access log has a subject of its own for a request, its pages are logged
as pages, naming the request and the child it is about (ADR 22).
"""

from __future__ import annotations

import csv
import uuid

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from audit.models import Action, Subject
from audit.services import shown
from core import pdf
from core.access_log import logs, shows_no_case_records
from core.errors import ApplicationError
from core.permissions import require_permission
from ledger.files import kept_file_as_recorded
from oversight.export import safe_cell
from records import selectors as record_selectors
from records.roles import Permission
from subject_access import deadlines, paper, redaction, releasing, selectors, services
from subject_access.forms import ApproveForm, ExtendForm, RedactionForm, RequestForm
from subject_access.models import Requester

# How a request's pages are logged until the access log has a subject for it (ADR 22).
LOGGED_AS = Subject.PAGE


def _with_deadline(rows: list) -> list:
    today = timezone.localdate()
    for row in rows:
        row.due_in_words = deadlines.due_in_words(row.due_on, today)
        row.overdue = row.due_on < today
    return rows


@logs(Action.VIEW, subject=LOGGED_AS)
def request_list(request):
    require_permission(request.user, Permission.SUBJECT_ACCESS)
    rows = _with_deadline(selectors.requests_of_agency(user=request.user))
    shown(request, detail=f"subject access requests, {len(rows)}")
    return render(
        request,
        "subject_access/list.html",
        {
            "open_rows": [row for row in rows if not row.is_released],
            "answered_rows": [row for row in rows if row.is_released],
        },
    )


def _request_new(request, *, child=None, adult=None):
    person = child if child is not None else adult
    require_permission(request.user, Permission.SUBJECT_ACCESS, person)
    form = RequestForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        recorded = services.subject_access_request_record(
            user=request.user, child=child, adult=adult, details=form.details()
        )
        messages.success(request, f"The request has been recorded. Answer it by {recorded.due_on:%-d %B %Y}.")
        return redirect("subject_access:detail", sar_id=recorded.pk)
    shown(request, person, detail="to record a subject access request")
    return render(request, "subject_access/new.html", {"form": form, "person": person, "child": child})


@logs(Action.VIEW, subject=Subject.CHILD)
@require_http_methods(["GET", "POST"])
def request_new_for_child(request, child_id: uuid.UUID):
    child = record_selectors.child_get_for_user(user=request.user, child_id=child_id, adults=False)
    return _request_new(request, child=child)


@logs(Action.VIEW, subject=Subject.ADULT)
@require_http_methods(["GET", "POST"])
def request_new_for_adult(request, adult_id: uuid.UUID):
    adult = selectors.adult_get_for_user(user=request.user, adult_id=adult_id)
    return _request_new(request, adult=adult)


def _the_request(request, sar_id: uuid.UUID):
    subject_access_request = selectors.request_get_for_user(user=request.user, request_id=sar_id)
    require_permission(request.user, Permission.SUBJECT_ACCESS, subject_access_request)
    return subject_access_request


def _approval(request, subject_access_request) -> dict:
    """Whether the user may approve the release, and if not, why not, in words."""
    if subject_access_request.is_closed:
        return {"can_approve": False, "approval_note": ""}
    if request.user.has_perm(Permission.SUBJECT_ACCESS_APPROVE, subject_access_request):
        return {"can_approve": True, "approval_note": ""}
    return {
        "can_approve": False,
        "approval_note": "You made redactions to this request, so another safeguarding lead approves its release.",
    }


@logs(Action.VIEW, subject=LOGGED_AS)
def request_detail(request, sar_id: uuid.UUID):
    subject_access_request = _the_request(request, sar_id)
    redactions = selectors.redactions_of(subject_access_request)
    records = (
        []
        if subject_access_request.is_closed
        else paper.gather(subject_access_request=subject_access_request, user=request.user)
    )
    counts: dict[str, int] = {}
    for row in redactions:
        counts[f"{row.record_kind}:{row.record_id}"] = counts.get(f"{row.record_kind}:{row.record_id}", 0) + 1
    titles = {record.key: record.title for record in records}
    shown(request, subject_access_request, child=subject_access_request.child, detail="subject access request")
    _with_deadline([subject_access_request])
    return render(
        request,
        "subject_access/detail.html",
        {
            "sar": subject_access_request,
            "records": [(record, counts.get(record.key, 0)) for record in records],
            "redactions": [(row, titles.get(f"{row.record_kind}:{row.record_id}", "")) for row in redactions],
            "original_due_on": deadlines.due_on(subject_access_request.received_on),
            "requester_label": Requester(subject_access_request.requester_is).label,
            **_approval(request, subject_access_request),
        },
    )


def _closed(request, subject_access_request):
    if not subject_access_request.is_released:
        messages.info(request, "This request's release has been approved: it can no longer change.")
        return redirect("subject_access:detail", sar_id=subject_access_request.pk)
    messages.info(request, "This request has been answered: what was released can no longer change.")
    return redirect("subject_access:detail", sar_id=subject_access_request.pk)


@logs(Action.VIEW, subject=LOGGED_AS)
@require_http_methods(["GET", "POST"])
def request_extend(request, sar_id: uuid.UUID):
    subject_access_request = _the_request(request, sar_id)
    if subject_access_request.is_closed:
        return _closed(request, subject_access_request)
    if subject_access_request.extension_months:
        messages.info(request, "This request has already been extended: a deadline is extended once.")
        return redirect("subject_access:detail", sar_id=subject_access_request.pk)
    form = ExtendForm(
        request.POST if request.method == "POST" else None, received_on=subject_access_request.received_on
    )
    if request.method == "POST" and form.is_valid():
        extended = services.subject_access_request_extend(
            user=request.user,
            subject_access_request=subject_access_request,
            months=form.cleaned_data["months"],
            reason=form.cleaned_data["reason"],
        )
        messages.success(request, f"The deadline has been extended to {extended.due_on:%-d %B %Y}.")
        return redirect("subject_access:detail", sar_id=subject_access_request.pk)
    shown(request, subject_access_request, child=subject_access_request.child, detail="to extend the deadline")
    return render(request, "subject_access/extend.html", {"sar": subject_access_request, "form": form})


def _piece_asked(request) -> int | None:
    try:
        return int(request.GET.get("piece", ""))
    except ValueError:
        return None


def _same_words_elsewhere(records, words: str, *, chosen: tuple[str, str, int]) -> list[tuple]:
    """Every other piece of the request's records in which the words occur: (record, piece)."""
    return [
        (record, piece)
        for record in records
        for piece in record.pieces
        if (record.kind, record.id, piece.number) != chosen and redaction.occurs_in(words, piece.text)
    ]


@logs(Action.VIEW, subject=LOGGED_AS)
@require_http_methods(["GET", "POST"])
def record_redact(request, sar_id: uuid.UUID, kind: str, record_id: str):
    """One record's pieces of text, each with the words redacted from it so far, and the form to redact more."""
    subject_access_request = _the_request(request, sar_id)
    if subject_access_request.is_closed:
        return _closed(request, subject_access_request)
    records = paper.gather(subject_access_request=subject_access_request, user=request.user)
    record = paper.record_of(records, kind=kind, record_id=record_id)
    if record is None:
        raise Http404("No such record in this request")
    piece_asked = _piece_asked(request)
    form = RedactionForm(
        request.POST if request.method == "POST" else None,
        initial={"piece": piece_asked},
        pieces=record.pieces,
    )
    if request.method == "POST" and form.is_valid():
        words, reason = form.cleaned_data["words"], form.cleaned_data["reason"]
        places = [(record, form.piece)]
        if form.cleaned_data["everywhere"]:
            places += _same_words_elsewhere(records, words, chosen=(record.kind, record.id, form.piece.number))
        services.redactions_add(
            user=request.user,
            subject_access_request=subject_access_request,
            redactions=[
                services.RedactionDetails(
                    record_kind=place.kind,
                    record_id=place.id,
                    piece=piece.number,
                    where=piece.label,
                    words=words,
                    reason=reason,
                    reason_detail=form.cleaned_data["reason_detail"] or "",
                )
                for place, piece in places
            ],
        )
        where = "1 place" if len(places) == 1 else f"{len(places)} places"
        messages.success(request, f"The words will be redacted in {where}.")
        return redirect(reverse("subject_access:record", args=[subject_access_request.pk, kind, record_id]))
    redactions = [
        row
        for row in selectors.redactions_of(subject_access_request)
        if (row.record_kind, row.record_id) == (record.kind, record.id)
    ]
    chosen = form.pieces.get(_int(form.data.get("piece")) if form.is_bound else piece_asked)
    if chosen is None and form.is_bound:
        # Sent without a part (or with one the record does not have): the form again, with what was typed, for
        # the first part, and the error saying to choose one.
        chosen = record.pieces[0] if record.pieces else None
        form.data = form.data.copy()
        form.data["piece"] = str(chosen.number) if chosen else ""
    shown(request, subject_access_request, child=subject_access_request.child, detail=f"to redact a {kind} record")
    return render(
        request,
        "subject_access/record.html",
        {
            "sar": subject_access_request,
            "record": record,
            "pieces": [(piece, [row for row in redactions if row.piece == piece.number]) for piece in record.pieces],
            "chosen": chosen,
            "form": form,
            "preview": releasing.redacted_html(redaction.redact(record.html, releasing.cuts(redactions))),
        },
    )


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@shows_no_case_records("takes a redaction back and returns to its record")
@require_POST
def redaction_remove(request, sar_id: uuid.UUID, redaction_id: int):
    subject_access_request = _the_request(request, sar_id)
    if subject_access_request.is_closed:
        return _closed(request, subject_access_request)
    removed = next((row for row in selectors.redactions_of(subject_access_request) if row.pk == redaction_id), None)
    if removed is None:
        raise Http404("No such redaction")
    services.redaction_remove(
        user=request.user, subject_access_request=subject_access_request, redaction_id=redaction_id
    )
    messages.success(request, "The redaction has been taken back.")
    return redirect(
        reverse("subject_access:record", args=[subject_access_request.pk, removed.record_kind, removed.record_id])
    )


def _still_showing(released: list[dict], redactions) -> list[tuple[str, list[str]]]:
    """Words redacted somewhere that can still be read elsewhere in the release: each, with where."""
    shown = []
    for words in dict.fromkeys(row.words for row in redactions):
        places = [
            f"{item['record'].title}, part {piece.number}" + (f" ({piece.label})" if piece.label else "")
            for item in released
            for piece in redaction.pieces(item["html"])
            if redaction.occurs_in(words, piece.text)
        ]
        if places:
            shown.append((words, places))
    return shown


@logs(Action.VIEW, subject=LOGGED_AS)
@require_http_methods(["GET", "POST"])
def release_approve(request, sar_id: uuid.UUID):
    """The records as they will be released, every redaction with its reason, and the approval."""
    subject_access_request = _the_request(request, sar_id)
    if subject_access_request.is_closed:
        return _closed(request, subject_access_request)
    if request.method == "POST":
        require_permission(request.user, Permission.SUBJECT_ACCESS_APPROVE, subject_access_request)
    records = paper.gather(subject_access_request=subject_access_request, user=request.user)
    redactions = selectors.redactions_of(subject_access_request)
    released, missed = releasing.released_records(records, redactions)
    form = ApproveForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        if missed:
            raise ApplicationError(
                f"Words to redact were not found where they were chosen ({missed[0]}): take "
                "that redaction back and redact the words again"
            )
        approver_redacted = request.user.pk in {row.redacted_by_id for row in redactions}
        services.release_approve(
            user=request.user,
            subject_access_request=subject_access_request,
            redaction_ids=frozenset(row.pk for row in redactions),
            approver_redacted=approver_redacted,
        )
        if _the_request(request, sar_id).is_released:  # where tasks run as they are enqueued
            messages.success(
                request,
                "The release has been approved and kept. Download it and send it to "
                f"{subject_access_request.requester_name}.",
            )
        else:
            messages.success(request, "The release has been approved. Its PDF is being made: download it here.")
        return redirect("subject_access:detail", sar_id=subject_access_request.pk)
    titles = {f"{item['record'].kind}:{item['record'].id}": item["record"].title for item in released}
    shown(request, subject_access_request, child=subject_access_request.child, detail="the release to approve")
    return render(
        request,
        "subject_access/approve.html",
        {
            "sar": subject_access_request,
            "released": released,
            "missed": missed,
            "still_showing": _still_showing(released, redactions),
            "redactions": [(row, titles.get(f"{row.record_kind}:{row.record_id}", "")) for row in redactions],
            "form": form,
            **_approval(request, subject_access_request),
        },
    )


def _the_release(request, release_id: uuid.UUID):
    release = selectors.release_get_for_user(user=request.user, release_id=release_id)
    require_permission(request.user, Permission.SUBJECT_ACCESS, release)
    return release


class ReleaseChanged(ApplicationError):
    def __init__(self):
        super().__init__(
            "The PDF kept for this release is missing, or no longer matches the SHA-256 the log holds for it. "
            "It has not been downloaded. Tell your safeguarding lead and the service's administrators: "
            "this needs investigating."
        )


@logs(Action.EXPORT, subject=LOGGED_AS)
def release_pdf(request, release_id: uuid.UUID):
    """The PDF released, as it was kept: checked against its SHA-256 in the log before it is handed over."""
    release = _the_release(request, release_id)
    content = kept_file_as_recorded(release.pdf, release.pdf_sha256, size=release.pdf_size)
    if content is None:
        raise ReleaseChanged
    shown(request, release, child=release.child, detail="the PDF released for a subject access request")
    return pdf.pdf_attachment(content, filename=f"subject-access-release-{release.pk}.pdf")


LOG_COLUMNS = (
    "Record", "Kind of record", "Record id", "Part", "Where", "Words redacted", "Reason", "Law", "Reason given",
    "Redacted by", "Redacted at", "Approved by", "Approved at", "Approver also redacted",
)  # fmt: skip


@logs(Action.EXPORT, subject=LOGGED_AS)
def redaction_log(request, release_id: uuid.UUID):
    """The redaction log of a release as CSV, for the Information Commissioner: what, why, by whom, approved by whom."""
    release = _the_release(request, release_id)
    shown(request, release, child=release.child, detail=f"redaction log, {len(release.redaction_log)} rows")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="redaction-log-{release.pk}.csv"'
    response.write("\ufeff")  # so that spreadsheet programs read the names as UTF-8
    writer = csv.writer(response)
    writer.writerow(LOG_COLUMNS)
    approved_at = timezone.localtime(release.released_at).strftime("%Y-%m-%d %H:%M:%S")
    for line in release.redaction_log:
        writer.writerow(
            safe_cell(value)
            for value in (
                line["record"],
                line["record_kind"],
                line["record_id"],
                line["piece"],
                line["where"],
                line["words"],
                line["reason_label"],
                line["law"],
                line["reason_detail"],
                line["redacted_by"],
                line["redacted_at"],
                release.approver_name,
                approved_at,
                "yes" if release.approver_redacted else "no",
            )
        )
    return response
