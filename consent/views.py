import io
import logging
import uuid

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from accounts.kept_typing import form_for, keeps_typing
from audit.models import Action, Subject
from audit.pdfs import pdf_download
from audit.receipts import receipt_download
from audit.services import shown
from consent import capacity, selectors, services
from consent.forms import ConsentRecordForm, WithdrawForm
from core.access_log import logs
from core.permissions import require_permission
from records import selectors as record_selectors
from records.roles import Permission
from sharing import selectors as sharing_selectors

logger = logging.getLogger(__name__)


def _return_to_draft(request, child):
    """When consent is recorded from question 4 of a decision, go back there."""
    draft_id = request.GET.get("draft")
    if not draft_id:
        return None
    try:
        draft = sharing_selectors.draft_get_for_user(user=request.user, draft_id=uuid.UUID(draft_id))
    except (ValueError, Http404):
        return None
    if draft.is_recorded or draft.child_id != child.pk or not request.user.has_perm(Permission.DRAFT_EDIT, draft):
        return None
    return draft


def _renewal_initial(record) -> dict:
    initial = {
        "about": str(record.about_adult_id) if record.about_adult_id else "child",
        "responder": str(record.responder_id) if record.responder_id else "child",
    }
    for name in (
        "explicitness", "form", "child_competent", "assessed_by", "explained_how", "language", "communication",
        "assessment_notes", "family_conflict", "conflict_advice", "non_resident_reason", "scope_information",
        "scope_purposes", "scope_recipients", "scope_recipient_kinds", "scope_recipient_use", "told_can_withdraw",
    ):  # fmt: skip
        value = getattr(record, name)
        initial[name] = (
            ("yes" if value else "no")
            if name in ("child_competent", "told_can_withdraw") and value is not None
            else value
        )
    for key, met in (record.competence or {}).items():
        initial[f"criterion_{key}"] = met
    return initial


@logs(Action.VIEW, subject=Subject.CHILD)
@keeps_typing
@require_http_methods(["GET", "POST"])
def consent_add(request, child_id: uuid.UUID, renews: uuid.UUID | None = None):
    child = record_selectors.child_get_for_user(user=request.user, child_id=child_id)
    require_permission(request.user, Permission.CONSENT_RECORD, child)
    superseded = None
    initial = {}
    if renews is not None:
        superseded = selectors.consent_get_for_user(user=request.user, consent_id=renews)
        if superseded.child_id != child.pk or superseded.status(timezone.localdate()) not in (
            capacity.Status.CURRENT,
            capacity.Status.REVIEW_DUE,
        ):
            raise Http404("Only a current consent can be renewed")
        initial = _renewal_initial(superseded)
    relationships = list(child.relationships.select_related("adult"))
    draft = _return_to_draft(request, child)
    form = form_for(
        request,
        ConsentRecordForm,
        initial=initial,
        child=child,
        relationships=relationships,
        about_adult_ids={adult.pk for adult in draft.adults.all()} if draft else None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            record = services.consent_record(
                user=request.user,
                child=child,
                details=form.details(),
                about_adult=form.about_adult(),
                responder=form.responder_adult(),
                signed_form=form.cleaned_data.get("signed_form"),
                signed_form_type=getattr(form, "signed_form_type", None),
                supersedes=superseded,
            )
        except services.AlreadySuperseded:
            messages.info(request, "That consent had already been renewed or withdrawn: see the latest record.")
            return redirect("oversight:child_detail", child_id=child.pk)
        messages.success(request, "The consent has been recorded.")
        if draft is not None:
            return redirect(reverse("sharing:question", args=[draft.pk, "consent"]) + f"?consent={record.pk}")
        return redirect("consent:detail", consent_id=record.pk)
    shown(request, child, detail=f"to renew consent {superseded.pk}" if superseded else "to record consent")
    return render(
        request,
        "consent/consent_form.html",
        {"form": form, "child": child, "renewing": superseded, "draft": draft},
    )


def _consent_context(request, record, *, on_paper: bool = False) -> dict:
    """What the consent record's page shows; ``on_paper``: what its PDF shows (selectors.consent_on_paper),
    without the page's buttons."""
    context = {**selectors.consent_on_paper(record), "on_paper": on_paper}
    if not on_paper:
        context["can_record"] = request.user.has_perm(Permission.CONSENT_RECORD, record)
    return context


@logs(Action.VIEW, subject=Subject.CONSENT)
def consent_detail(request, consent_id: uuid.UUID):
    record = selectors.consent_get_for_user(user=request.user, consent_id=consent_id)
    context = _consent_context(request, record)
    shown(request, record)
    return render(request, "consent/consent_detail.html", context)


@logs(Action.EXPORT, subject=Subject.CONSENT)
def consent_pdf(request, consent_id: uuid.UUID):
    """The consent record as its page shows it, with its receipt, as a PDF (ADR 20): logged as an export."""
    record = selectors.consent_get_for_user(user=request.user, consent_id=consent_id)
    return pdf_download(
        request,
        record,
        what="consent",
        template="consent/consent_pdf.html",
        context=_consent_context(request, record, on_paper=True),
    )


@logs(Action.EXPORT, subject=Subject.CONSENT)
def consent_receipt(request, consent_id: uuid.UUID):
    record = selectors.consent_get_for_user(user=request.user, consent_id=consent_id)
    return receipt_download(
        request,
        record,
        what="consent record",
        back_url=reverse("consent:detail", args=[record.pk]),
        back_text="Back to the consent record",
    )


@logs(Action.VIEW, subject=Subject.CONSENT)
@keeps_typing
@require_http_methods(["GET", "POST"])
def consent_withdraw(request, consent_id: uuid.UUID):
    record = selectors.consent_get_for_user(user=request.user, consent_id=consent_id)
    require_permission(request.user, Permission.CONSENT_RECORD, record)
    if record.response == capacity.Response.WITHDRAWN or hasattr(record, "superseded_by"):
        messages.info(request, "This consent has already been withdrawn or replaced.")
        return redirect("consent:detail", consent_id=record.pk)
    form = form_for(request, WithdrawForm)
    if request.method == "POST" and form.is_valid():
        try:
            withdrawal = services.consent_withdraw(user=request.user, record=record, details=form.details())
        except services.AlreadySuperseded:
            messages.info(request, "This consent has already been withdrawn or replaced.")
            return redirect("consent:detail", consent_id=record.pk)
        messages.success(request, "The withdrawal has been recorded. Earlier decisions are unchanged.")
        return redirect("consent:detail", consent_id=withdrawal.pk)
    shown(request, record, detail="to withdraw")
    return render(request, "consent/withdraw.html", {"form": form, "record": record})


@logs(Action.EXPORT, Action.REFUSED, subject=Subject.SIGNED_FORM)
@never_cache
def signed_form(request, consent_id: uuid.UUID):
    record = selectors.consent_get_for_user(user=request.user, consent_id=consent_id)
    if not record.signed_form:
        raise Http404("No signed form")
    content = selectors.signed_form_as_recorded(record=record)
    if content is None:
        # Changed, replaced or lost since it was recorded: never served as if it were the signed form. The
        # refusal goes in the access log, in the child's audit history a lead reads; no personal data in either line.
        shown(request, record, action=Action.REFUSED, detail="signed form does not match its record")
        logger.error("The signed form of consent record %s does not match its recorded SHA-256", record.pk)
        # 409 Conflict rather than 500: nothing failed in the service and trying again will not help; the stored
        # file conflicts with the record of it, and the page says so (a 500 would say "try again later").
        return render(request, "consent/signed_form_mismatch.html", {"record": record}, status=409)
    extension = record.signed_form.name.rsplit(".", 1)[-1]
    shown(request, record)
    response = FileResponse(
        io.BytesIO(content),
        content_type=record.signed_form_type,
        as_attachment=True,
        filename=f"signed-consent-form.{extension}",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
