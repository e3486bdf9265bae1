import uuid
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from accounts.kept_typing import form_for, form_sent_elsewhere, keeps_typing, typed_initial
from audit.models import Action, Subject
from audit.pdfs import pdf_download
from audit.receipts import receipt_download
from audit.services import shown
from core import filters
from core.access_log import logs, shows_no_case_records
from core.paging import page_number, page_of, page_query
from core.permissions import require_permission
from exchange import request_drafts, request_pages, selectors, services
from exchange.forms import (
    BeforeDecidingForm,
    CloseRequestForm,
    FollowUpForm,
    RequestForm,
    VerifyForm,
)
from exchange.models import RequestStatus
from records import selectors as record_selectors
from records.models import Agency
from records.roles import Permission
from sharing import services as sharing_services
from sharing.guidance import QuestionKey
from sharing.models import Direction


def _request_page_url(slug: str, *, child=None, info_request=None, then_decide: bool = False) -> str:
    """The address of a page of logging a request (or of correcting one); on the way to a decision, it says so."""
    if info_request is not None:
        return reverse("exchange:request_change_page", args=[info_request.pk, slug])
    if slug == request_pages.FIRST:
        url = reverse("exchange:request_add", args=[child.pk])
    else:
        url = reverse("exchange:request_add_page", args=[child.pk, slug])
    return url + ("?then=decide" if then_decide else "")


def _request_answers(request, relationships) -> request_pages.Answers:
    return request_pages.Answers(
        asked_agency_is_police=request.user.agency.kind == Agency.Kind.POLICE, adults_linked=bool(relationships)
    )


@logs(Action.VIEW, subject=Subject.CHILD)
@keeps_typing
@require_http_methods(["GET", "POST"])
def request_add(request, child_id: uuid.UUID, request_page: str = request_pages.FIRST):
    """One page of logging a request (exchange.request_pages), its answers kept in a draft until the check page."""
    child = record_selectors.child_get_for_user(user=request.user, child_id=child_id)
    require_permission(request.user, Permission.REQUEST_LOG, child)
    # Logged on the way to a decision (request_before_decision): the decision starts from it.
    then_decide = request.GET.get("then") == "decide" and request.user.has_perm(Permission.DECISION_START, child)
    draft = request_drafts.draft_get(request.session, request_drafts.draft_key(child_id=child.pk))
    relationships = list(child.relationships.all())  # read with the child, and the adults with them
    if request_page == request_pages.FIRST and request.method == "GET":
        linked = {str(link.adult_id) for link in relationships}
        chosen = [adult for adult in request.GET.getlist("adults") if adult in linked]
        request_drafts.draft_preselect_adults(request.session, draft, adult_ids=chosen)
    back_url = (
        reverse("exchange:request_before_decision", args=[child.pk])
        + "?"
        + urlencode({"adults": request.GET.getlist("adults")}, doseq=True)
        if then_decide
        else reverse("oversight:child_detail", args=[child.pk])
    )
    return _request_page(
        request,
        draft=draft,
        page=request_page,
        relationships=relationships,
        child=child,
        page_url=lambda slug: _request_page_url(slug, child=child, then_decide=then_decide),
        first_back_url=back_url,
        then_decide=then_decide,
    )


@logs(Action.VIEW, subject=Subject.REQUEST)
@require_http_methods(["GET"])
def request_change(request, request_id: uuid.UUID):
    """Correct a logged request: its answers, as logged, on the check page, each page a "Change" away."""
    info_request = _request_to_correct(request, request_id)
    if info_request is None:
        return redirect("exchange:request_detail", request_id=request_id)
    received = timezone.localtime(info_request.received_at)
    typed = {
        name: [getattr(info_request, name)]
        for name in (
            "channel", "requester_name", "requester_role", "requester_agency", "requester_agency_kind",
            "requester_contact", "information_needed", "reason", "intended_use", "others_to_tell", "risk_level",
            "police_category",
        )
    }  # fmt: skip
    typed.update(
        received_on_0=[str(received.day)],
        received_on_1=[str(received.month)],
        received_on_2=[str(received.year)],
        received_time=[received.strftime("%H:%M")],
        requester_known=["yes" if info_request.requester_known else "no"],
        adults=[str(adult.pk) for adult in info_request.adults.all()],
    )
    request_drafts.draft_start_correcting(
        request.session, request_drafts.draft_key(correcting=info_request.pk), logged=typed
    )
    return redirect("exchange:request_change_page", request_id=info_request.pk, request_page=request_pages.CHECK)


@logs(Action.VIEW, subject=Subject.REQUEST)
@keeps_typing
@require_http_methods(["GET", "POST"])
def request_change_page(request, request_id: uuid.UUID, request_page: str):
    """One page of correcting a logged request, or its check page, which records the correction."""
    info_request = _request_to_correct(request, request_id)
    if info_request is None:
        return redirect("exchange:request_detail", request_id=request_id)
    draft = request_drafts.draft_get(request.session, request_drafts.draft_key(correcting=info_request.pk))
    if not draft.answered:
        # Nothing being corrected in this session (it ended, or the correction was saved): start again.
        return redirect("exchange:request_change", request_id=info_request.pk)
    return _request_page(
        request,
        draft=draft,
        page=request_page,
        relationships=list(info_request.child.relationships.select_related("adult")),
        child=info_request.child,
        page_url=lambda slug: _request_page_url(slug, info_request=info_request),
        first_back_url=_request_page_url(request_pages.CHECK, info_request=info_request),
        info_request=info_request,
    )


def _request_to_correct(request, request_id):
    """The request, if it can still be corrected (an open one); None, said in a message, if it cannot."""
    info_request = selectors.request_get_for_user(user=request.user, request_id=request_id)
    require_permission(request.user, Permission.REQUEST_LOG, info_request)
    if services.request_status(info_request) != RequestStatus.OPEN:
        messages.info(request, "A closed request cannot be changed.")
        return None
    return info_request


def _request_page(
    request, *, draft, page, relationships, child, page_url, first_back_url, info_request=None, then_decide=False
):
    """A page of a request's draft (exchange.request_pages), or its check page; ``info_request``: the request
    being corrected, if it is a correction."""
    if page != request_pages.CHECK and page not in request_pages.BY_SLUG:
        raise Http404("No such page")
    answers = _request_answers(request, relationships)
    if not request_pages.is_reachable(page, answers, draft.answered_pages):
        return redirect(page_url(request_pages.first_page_to_answer(answers, draft.answered_pages)))
    kwargs = {"relationships": relationships, "police": answers.asked_agency_is_police}
    detail = "to correct" if info_request else "to log a request"
    if page == request_pages.CHECK:
        return _request_check(request, draft, answers, child, info_request, page_url, then_decide, kwargs)
    if request.method == "POST":
        # The page's answers are checked beside those of the pages before it.
        sent = request_drafts.with_page(draft, page=page, sent=request.POST)
        form = RequestForm(sent, page=page, **kwargs)
        if form.is_valid():
            draft = request_drafts.draft_save_page(request.session, draft, page=page, sent=request.POST)
            return redirect(page_url(request_pages.after_saving(page, answers, draft.answered_pages)))
    else:
        # What the draft holds for the page, shown as typed, unchecked; else the form's own (received now).
        asked = request_pages.BY_SLUG[page].fields
        initial = (
            {
                name: value
                for name, value in typed_initial(RequestForm(request_drafts.as_sent(draft.typed), **kwargs)).items()
                if name in asked
            }
            if request_drafts.holds_answers_for(draft, page)
            else {}
        )
        form = form_for(request, RequestForm, initial=initial, page=page, **kwargs)
    shown(request, info_request or child, detail=detail)
    previous = request_pages.previous_page(page, answers)
    return render(
        request,
        "exchange/request_form.html",
        {
            "form": form,
            "child": child,
            "info_request": info_request,
            "then_decide": then_decide,
            "page": request_pages.BY_SLUG[page],
            "first": page == request_pages.FIRST,
            "back_url": first_back_url if info_request else (page_url(previous) if previous else first_back_url),
        },
    )


def _request_check(request, draft, answers, child, info_request, page_url, then_decide, kwargs):
    """Check your answers, then log the request (or record the correction): only what applies is recorded."""
    form = RequestForm(request_drafts.as_sent(draft.applying_typed(answers)), **kwargs)
    if not form.is_valid():
        # An answer is no longer right (a date now in the future, an adult no longer linked): asked again.
        wrong = next(
            (
                slug
                for slug in request_pages.pages_that_apply(answers)
                if set(request_pages.BY_SLUG[slug].fields) & set(form.errors)
            ),
            request_pages.FIRST,
        )
        request_drafts.draft_reopen(request.session, draft, page=wrong)
        return redirect(page_url(wrong))
    relationships = kwargs["relationships"]
    if request.method == "POST":
        adults = _chosen_adults(relationships, form.cleaned_data.get("adults") or [])
        if info_request is not None:
            services.request_correct(
                user=request.user, information_request=info_request, adults=adults, details=form.details()
            )
            request_drafts.draft_forget(request.session, draft)
            messages.success(request, "The request has been corrected. What it said before is kept in its history.")
            return redirect("exchange:request_detail", request_id=info_request.pk)
        logged = services.request_log(user=request.user, child=child, adults=adults, details=form.details())
        request_drafts.draft_forget(request.session, draft)
        messages.success(request, f"Request {logged.reference} has been logged.")
        if then_decide and not logged.outside_police_categories:
            return _decision_from(request, logged)
        return redirect("exchange:request_detail", request_id=logged.pk)
    shown(request, info_request or child, detail="to correct" if info_request else "to log a request")
    sections = form.answers_in_words()
    for section in sections:
        section["change_url"] = page_url(section["slug"])
    return render(
        request,
        "exchange/request_check.html",
        {
            "child": child,
            "info_request": info_request,
            "then_decide": then_decide,
            "sections": sections,
            "back_url": reverse("exchange:request_detail", args=[info_request.pk])
            if info_request
            else page_url(request_pages.previous_page(request_pages.CHECK, answers)),
        },
    )


def _request_context(request, info_request, **forms):
    status = services.request_status(info_request)
    open_request = status == RequestStatus.OPEN
    police_decline = open_request and info_request.outside_police_categories
    context = {
        "info_request": info_request,
        "status": status,
        "is_open": open_request,
        "police_decline": police_decline,
        **selectors.request_labels(info_request),
        "open_drafts": [d for d in info_request.drafts.all() if d.decision_id is None],
        "verify_form": None,
        "close_form": None,
    }
    # 3.7.4: a requester can be verified until something is disclosed under the request, decided or not.
    if info_request.can_be_verified:
        context["verify_form"] = forms.get("verify_form") or form_sent_elsewhere(
            request, VerifyForm, posted_to=reverse("exchange:request_verify", args=[info_request.pk])
        )
    if open_request:
        context["close_form"] = forms.get("close_form") or form_sent_elsewhere(
            request,
            CloseRequestForm,
            posted_to=reverse("exchange:request_close", args=[info_request.pk]),
            police_decline=police_decline,
        )
    return context


@logs(Action.VIEW, subject=Subject.REQUEST)
def request_detail(request, request_id: uuid.UUID):
    info_request = selectors.request_get_for_user(user=request.user, request_id=request_id)
    shown(request, info_request)
    return render(request, "exchange/request_detail.html", _request_context(request, info_request))


@logs(Action.VIEW, subject=Subject.REQUEST)
@keeps_typing(shown_on="exchange:request_detail")
@require_POST
def request_verify(request, request_id: uuid.UUID):
    info_request = selectors.request_get_for_user(user=request.user, request_id=request_id)
    require_permission(request.user, Permission.REQUEST_LOG, info_request)
    if not info_request.can_be_verified:
        messages.info(
            request,
            "This requester has already been verified, or the request is past verifying: something has been "
            "disclosed under it, or it was declined or withdrawn.",
        )
        return redirect("exchange:request_detail", request_id=info_request.pk)
    form = VerifyForm(request.POST)
    if form.is_valid():
        try:
            services.request_verify(
                user=request.user,
                information_request=info_request,
                method=form.cleaned_data["method"],
                details=form.cleaned_data["details"],
            )
        except services.NotAllowed as refusal:
            # Something was disclosed under it a moment ago.
            messages.info(request, f"{refusal}.")
            return redirect("exchange:request_detail", request_id=info_request.pk)
        messages.success(request, "The requester's verification has been recorded.")
        return redirect("exchange:request_detail", request_id=info_request.pk)
    shown(request, info_request, detail="verifying the requester")
    return render(request, "exchange/request_detail.html", _request_context(request, info_request, verify_form=form))


@logs(Action.VIEW, subject=Subject.REQUEST)
@keeps_typing(shown_on="exchange:request_detail")
@require_POST
def request_close(request, request_id: uuid.UUID):
    info_request = selectors.request_get_for_user(user=request.user, request_id=request_id)
    require_permission(request.user, Permission.REQUEST_LOG, info_request)
    police_decline = info_request.outside_police_categories
    form = CloseRequestForm(request.POST, police_decline=police_decline)
    if form.is_valid():
        services.request_outcome_record(user=request.user, information_request=info_request, closing=form.details())
        messages.success(request, "What happened to the request has been recorded.")
        return redirect("exchange:request_detail", request_id=info_request.pk)
    shown(request, info_request, detail="recording what happened")
    return render(request, "exchange/request_detail.html", _request_context(request, info_request, close_form=form))


@shows_no_case_records("leads on to the decision's first question, or back to the request")
@keeps_typing(shown_on="exchange:request_detail")
@require_POST
def request_decide(request, request_id: uuid.UUID):
    """Start the eight questions for a request, with question 1 filled in from it."""
    info_request = selectors.request_get_for_user(user=request.user, request_id=request_id)
    require_permission(request.user, Permission.DECISION_START, info_request.child)
    if services.request_status(info_request) != RequestStatus.OPEN or info_request.outside_police_categories:
        messages.info(request, "This request cannot go to a decision.")
        return redirect("exchange:request_detail", request_id=info_request.pk)
    return _decision_from(request, info_request)


def _decision_from(request, info_request):
    """The eight questions for a request, with question 1 filled in from it; one decision per request."""
    started = next(
        (d for d in info_request.drafts.all() if d.decision_id is None and d.author_id == request.user.pk), None
    )
    if started is not None:
        # One decision per request: carry on with the one already started.
        return redirect("sharing:check", draft_id=started.pk)
    draft = sharing_services.draft_start(
        user=request.user,
        child=info_request.child,
        adults=list(info_request.adults.all()),
        direction=Direction.REQUEST_RECEIVED,
        request=info_request,
    )
    return redirect("sharing:question", draft_id=draft.pk, question=QuestionKey.PURPOSE)


def _chosen_adults(relationships, chosen: list[str]) -> list:
    return [link.adult for link in relationships if str(link.adult_id) in set(chosen)]


@logs(Action.VIEW, subject=Subject.REQUESTS)
@require_http_methods(["GET", "POST"])
def request_before_decision(request, child_id: uuid.UUID):
    """Asked to share (3.7.1, 3.7.9): answer a request already logged, log it now and then decide, or decide
    without logging it. The record of the decision shows the request it answers."""
    child = record_selectors.child_get_for_user(user=request.user, child_id=child_id)
    require_permission(request.user, Permission.DECISION_START, child)
    adult_ids = request.GET.getlist("adults")
    waiting = selectors.requests_awaiting_decision(user=request.user, child=child)
    form = BeforeDecidingForm(request.POST if request.method == "POST" else None, waiting=waiting)
    if request.method == "POST" and form.is_valid():
        answering = form.cleaned_data["answering"]
        if answering == BeforeDecidingForm.LOG_NOW:
            query = urlencode({"then": "decide", "adults": adult_ids}, doseq=True)
            return redirect(reverse("exchange:request_add", args=[child.pk]) + f"?{query}")
        if answering == BeforeDecidingForm.NOT_LOGGED:
            adults = _chosen_adults(child.relationships.select_related("adult"), adult_ids)
            draft = sharing_services.draft_start(
                user=request.user, child=child, adults=adults, direction=Direction.REQUEST_RECEIVED
            )
            return redirect("sharing:question", draft_id=draft.pk, question=QuestionKey.PURPOSE)
        chosen = next(info_request for info_request in waiting if str(info_request.pk) == answering)
        return _decision_from(request, chosen)
    shown(request, child, detail=f"requests awaiting a decision: {len(waiting)} listed")
    return render(
        request,
        "exchange/request_before_decision.html",
        {"form": form, "child": child, "back_url": reverse("sharing:start", args=[child.pk])},
    )


@logs(Action.SEARCH, subject=Subject.REQUESTS)
def request_list(request):
    require_permission(request.user, Permission.REQUEST_VIEW)
    status = request.GET.get("status", "")
    if status not in RequestStatus.values:
        status = ""
    dates = filters.date_range(request, start_label="Received from", end_label="Received to")
    received_from, received_to = dates.start, dates.end
    page = page_of(
        selectors.requests_for_agency(
            user=request.user, status=status, received_from=received_from, received_to=received_to
        ),
        page_number(request),
    )
    applied = [f"status {status}" if status else "", f"from {received_from}" if received_from else ""]
    applied.append(f"to {received_to}" if received_to else "")
    listed = f"{len(page.rows)} listed"
    if page.offset or page.has_more:
        listed = f"{len(page.rows)} of {page.total_label} listed, page {page.number}"
    # Received through this service and not yet matched to a child (ADR 26): on every page of the list.
    received = selectors.received_to_match(user=request.user)
    if received:
        listed += f"; {len(received)} received through this service to be matched"
    shown(request, detail=f"{', '.join(f for f in applied if f) or 'all'}: {listed}")
    return render(
        request,
        "exchange/request_list.html",
        {
            "received": received,
            "requests": [(r, services.request_status(r)) for r in page.rows],
            "page": page,
            "previous_query": page_query(request, page.number - 1),
            "next_query": page_query(request, page.number + 1),
            "status": status,
            "statuses": RequestStatus.choices,
            **filters.context(
                request, dates, filters.choice_tags(request, "status", {status}, dict(RequestStatus.choices), "status ")
            ),
        },
    )


@logs(Action.VIEW, subject=Subject.REQUESTS)
def my_requests(request):
    """The requests the user logged or is handling, a page at a time."""
    require_permission(request.user, Permission.REQUEST_VIEW)
    page = selectors.requests_handled_by(user=request.user, page=page_number(request))
    listed = f"{len(page.rows)} listed"
    if page.offset or page.has_more:
        listed = f"{len(page.rows)} of {page.total_label} listed, page {page.number}"
    shown(request, detail=f"handled by them: {listed}")
    return render(
        request,
        "exchange/my_requests.html",
        {
            "page": page,
            "previous_query": page_query(request, page.number - 1),
            "next_query": page_query(request, page.number + 1),
            "alert_days": settings.OPEN_REQUEST_ALERT_DAYS,
        },
    )


def _disclosure_context(request, disclosure, follow_up_form=None, *, on_paper: bool = False):
    """What the disclosure's page shows; ``on_paper``: what its PDF shows (selectors.disclosure_on_paper),
    without the follow-up form."""
    context = {**selectors.disclosure_on_paper(disclosure), "on_paper": on_paper}
    if not on_paper:
        context["follow_up_form"] = follow_up_form
        if follow_up_form is None:
            context["follow_up_form"] = form_sent_elsewhere(
                request, FollowUpForm, posted_to=reverse("exchange:follow_up_add", args=[disclosure.pk])
            )
    return context


@logs(Action.VIEW, subject=Subject.DISCLOSURE)
def disclosure_detail(request, disclosure_id: uuid.UUID):
    disclosure = selectors.disclosure_get_for_user(user=request.user, disclosure_id=disclosure_id)
    shown(request, disclosure)
    return render(request, "exchange/disclosure_detail.html", _disclosure_context(request, disclosure))


@logs(Action.EXPORT, subject=Subject.DISCLOSURE)
def disclosure_pdf(request, disclosure_id: uuid.UUID):
    """The disclosure as its page shows it, with its follow-ups and receipt, as a PDF (ADR 20): an export."""
    disclosure = selectors.disclosure_get_for_user(user=request.user, disclosure_id=disclosure_id)
    return pdf_download(
        request,
        disclosure,
        what="disclosure",
        template="exchange/disclosure_pdf.html",
        context=_disclosure_context(request, disclosure, on_paper=True),
    )


@logs(Action.EXPORT, subject=Subject.DISCLOSURE)
def disclosure_receipt(request, disclosure_id: uuid.UUID):
    disclosure = selectors.disclosure_get_for_user(user=request.user, disclosure_id=disclosure_id)
    return receipt_download(
        request,
        disclosure,
        what="disclosure",
        back_url=reverse("exchange:disclosure_detail", args=[disclosure.pk]),
        back_text="Back to the disclosure",
    )


@logs(Action.EXPORT, subject=Subject.DISCLOSURE)
def follow_up_receipt(request, disclosure_id: uuid.UUID, follow_up_id: uuid.UUID):
    follow_up = selectors.follow_up_get_for_user(
        user=request.user, disclosure_id=disclosure_id, follow_up_id=follow_up_id
    )
    disclosure = follow_up.disclosure
    return receipt_download(
        request,
        follow_up,
        what="follow-up",
        back_url=reverse("exchange:disclosure_detail", args=[disclosure.pk]),
        back_text="Back to the disclosure",
        # Logged against the disclosure it follows, whose page shows it (the access log has no subject for it).
        target=disclosure,
        detail=f"log receipt of follow-up {follow_up.pk}",
    )


@logs(Action.VIEW, subject=Subject.DISCLOSURE)
@keeps_typing(shown_on="exchange:disclosure_detail")
@require_POST
def follow_up_add(request, disclosure_id: uuid.UUID):
    disclosure = selectors.disclosure_get_for_user(user=request.user, disclosure_id=disclosure_id)
    require_permission(request.user, Permission.DISCLOSURE_RECORD, disclosure)
    form = FollowUpForm(request.POST)
    if form.is_valid():
        services.follow_up_record(user=request.user, disclosure=disclosure, details=form.details())
        messages.success(request, "The follow-up has been recorded.")
        return redirect("exchange:disclosure_detail", disclosure_id=disclosure.pk)
    shown(request, disclosure, detail="recording a follow-up")
    return render(request, "exchange/disclosure_detail.html", _disclosure_context(request, disclosure, form))
