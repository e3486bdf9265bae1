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

from accounts.kept_typing import form_for, keeps_typing, typed_initial
from audit.models import Action, Subject
from audit.pdfs import pdf_download
from audit.receipts import receipt_download
from audit.services import shown
from consent import capacity, drafts, pages, selectors, services
from consent.forms import ConsentRecordForm, WithdrawForm, answers_in_words
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


def _page_url(child, superseded, slug: str, draft) -> str:
    """The address of a page of recording (or renewing) a consent; from a decision, it says which."""
    if slug == pages.FIRST:
        name, args = ("consent:renew", [child.pk, superseded.pk]) if superseded else ("consent:add", [child.pk])
    else:
        name = "consent:renew_page" if superseded else "consent:add_page"
        args = [child.pk, superseded.pk, slug] if superseded else [child.pk, slug]
    return reverse(name, args=args) + (f"?draft={draft.pk}" if draft else "")


@logs(Action.VIEW, subject=Subject.CHILD)
@keeps_typing
@require_http_methods(["GET", "POST"])
def consent_add(request, child_id: uuid.UUID, renews: uuid.UUID | None = None, consent_page: str = pages.FIRST):
    """One page of recording a consent (consent.pages), its answers kept in a draft until the check page."""
    child = record_selectors.child_get_for_user(user=request.user, child_id=child_id)
    require_permission(request.user, Permission.CONSENT_RECORD, child)
    superseded = None
    if renews is not None:
        superseded = selectors.consent_get_for_user(user=request.user, consent_id=renews)
        if superseded.child_id != child.pk or superseded.status(timezone.localdate()) not in (
            capacity.Status.CURRENT,
            capacity.Status.REVIEW_DUE,
        ):
            raise Http404("Only a current consent can be renewed")
    if consent_page != pages.CHECK and consent_page not in pages.BY_SLUG:
        raise Http404("No such page")
    decision_draft = _return_to_draft(request, child)
    draft = drafts.draft_get(
        request.session,
        drafts.draft_key(
            child_id=child.pk, renews=renews, decision_draft=decision_draft.pk if decision_draft else None
        ),
    )
    answers = draft.answers
    if not pages.is_reachable(consent_page, answers, draft.answered_pages):
        return redirect(
            _page_url(child, superseded, pages.first_page_to_answer(answers, draft.answered_pages), decision_draft)
        )
    relationships = list(child.relationships.all())  # read with the child
    kwargs = {
        "child": child,
        "relationships": relationships,
        "about_adult_ids": {adult.pk for adult in decision_draft.adults.all()} if decision_draft else None,
    }
    if consent_page == pages.CHECK:
        return _consent_check(request, child, superseded, decision_draft, draft, kwargs)
    responder = (draft.typed.get("responder") or [""])[0]
    if consent_page in draft.answered_pages:
        # What the draft holds for the page, shown as typed, unchecked.
        initial = typed_initial(ConsentRecordForm(drafts.as_sent(draft.typed), answered_by=responder, **kwargs))
    else:
        initial = _renewal_initial(superseded) if superseded else {}
    if request.method == "POST":
        # The page's answers are checked beside those of the pages before it.
        sent = drafts.with_page(draft, page=consent_page, sent=request.POST)
        form = ConsentRecordForm(sent, request.FILES, page=consent_page, **kwargs)
        if form.is_valid():
            if consent_page == "signed-form" and form.cleaned_data.get("signed_form"):
                drafts.draft_keep_signed_form(
                    request.session, draft, upload=form.cleaned_data["signed_form"], content_type=form.signed_form_type
                )
            draft = drafts.draft_save_page(request.session, draft, page=consent_page, sent=request.POST)
            after = pages.after_saving(consent_page, draft.answers, draft.answered_pages)
            return redirect(_page_url(child, superseded, after, decision_draft))
    else:
        form = form_for(request, ConsentRecordForm, initial=initial, page=consent_page, answered_by=responder, **kwargs)
    shown(request, child, detail=f"to renew consent {superseded.pk}" if superseded else "to record consent")
    previous = pages.previous_page(consent_page, answers)
    return render(
        request,
        "consent/consent_form.html",
        {
            "form": form,
            "child": child,
            "renewing": superseded,
            "draft": decision_draft,
            "page": pages.BY_SLUG[consent_page],
            "back_url": _page_url(child, superseded, previous, decision_draft)
            if previous
            else (
                reverse("sharing:question", args=[decision_draft.pk, "consent"])
                if decision_draft
                else reverse("oversight:child_detail", args=[child.pk])
            ),
            "responder_link": form.links.get(responder) if consent_page == "parental-responsibility" else None,
            "signed_form_kept": draft.signed_form if consent_page == "signed-form" else None,
        },
    )


def _consent_check(request, child, superseded, decision_draft, draft, kwargs):
    """Check your answers, then record the consent: only what applies to the answers given (consent.pages)."""
    form = ConsentRecordForm(drafts.as_sent(draft.applying_typed()), **kwargs)
    if not form.is_valid():
        # An earlier answer changed since a later page was answered: that page is asked again.
        applying = pages.pages_that_apply(draft.answers)
        wrong = next((slug for slug in applying if set(pages.BY_SLUG[slug].fields) & set(form.errors)), pages.FIRST)
        drafts.draft_reopen(request.session, draft, page=wrong)
        return redirect(_page_url(child, superseded, wrong, decision_draft))
    if request.method == "POST":
        signed_form = drafts.signed_form_open(draft) if pages.page_applies("signed-form", draft.answers) else None
        try:
            record = services.consent_record(
                user=request.user,
                child=child,
                details=form.details(),
                about_adult=form.about_adult(),
                responder=form.responder_adult(),
                signed_form=signed_form,
                signed_form_type=draft.signed_form["type"] if signed_form else None,
                supersedes=superseded,
            )
        except services.AlreadySuperseded:
            messages.info(request, "That consent had already been renewed or withdrawn: see the latest record.")
            return redirect("oversight:child_detail", child_id=child.pk)
        finally:
            if signed_form is not None:
                signed_form.close()
        drafts.draft_forget(request.session, draft)
        messages.success(request, "The consent has been recorded.")
        if decision_draft is not None:
            return redirect(reverse("sharing:question", args=[decision_draft.pk, "consent"]) + f"?consent={record.pk}")
        return redirect("consent:detail", consent_id=record.pk)
    shown(request, child, detail=f"to renew consent {superseded.pk}" if superseded else "to record consent")
    sections = answers_in_words(form, pages.pages_that_apply(draft.answers), signed_form=draft.signed_form)
    for section in sections:
        section["change_url"] = _page_url(child, superseded, section["slug"], decision_draft)
    return render(
        request,
        "consent/consent_check.html",
        {
            "child": child,
            "renewing": superseded,
            "draft": decision_draft,
            "sections": sections,
            "back_url": _page_url(child, superseded, pages.previous_page(pages.CHECK, draft.answers), decision_draft),
        },
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
