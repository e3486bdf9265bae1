import uuid
from datetime import date

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from accounts.kept_typing import form_for, form_sent_elsewhere, keeps_typing
from audit.models import Action, Subject
from audit.receipts import receipt_download
from audit.services import access_record, viewed
from exchange import chronology as chronology_module
from exchange import selectors, services
from exchange.forms import ONWARD, CloseRequestForm, DisclosureForm, FollowUpForm, RequestForm, VerifyForm
from exchange.models import METHOD_CHECKS, Method, PoliceCategory, RequestStatus
from records import selectors as record_selectors
from records.models import Agency
from records.roles import Permission
from records.views import require_permission
from sharing import guidance
from sharing import selectors as sharing_selectors
from sharing import services as sharing_services
from sharing.forms import ItemRowsMixin
from sharing.guidance import Q


@keeps_typing
@require_http_methods(["GET", "POST"])
def request_add(request, child_id: uuid.UUID):
    child = record_selectors.child_get_for_user(user=request.user, child_id=child_id)
    require_permission(request.user, Permission.REQUEST_LOG, child)
    relationships = list(child.relationships.select_related("adult"))
    police = request.user.agency.kind == Agency.Kind.POLICE
    form = form_for(request, RequestForm, relationships=relationships, police=police)
    if request.method == "POST" and form.is_valid():
        chosen = set(form.cleaned_data.get("adults") or [])
        adults = [link.adult for link in relationships if str(link.adult_id) in chosen]
        logged = services.request_log(user=request.user, child=child, adults=adults, details=form.details())
        messages.success(request, f"Request {logged.reference} has been logged.")
        return redirect("exchange:request_detail", request_id=logged.pk)
    return render(request, "exchange/request_form.html", {"form": form, "child": child})


@keeps_typing
@require_http_methods(["GET", "POST"])
def request_change(request, request_id: uuid.UUID):
    info_request = selectors.request_get_for_user(user=request.user, request_id=request_id)
    require_permission(request.user, Permission.REQUEST_LOG, info_request)
    if services.request_status(info_request) != RequestStatus.OPEN:
        messages.info(request, "A closed request cannot be changed.")
        return redirect("exchange:request_detail", request_id=info_request.pk)
    child = info_request.child
    relationships = list(child.relationships.select_related("adult"))
    received = timezone.localtime(info_request.received_at)
    initial = {
        name: getattr(info_request, name)
        for name in (
            "channel", "requester_name", "requester_role", "requester_agency", "requester_agency_kind",
            "requester_contact", "information_needed", "reason", "intended_use", "others_to_tell", "risk_level",
            "police_category",
        )
    }  # fmt: skip
    initial.update(
        received_on=received.date(),
        received_time=received.strftime("%H:%M"),
        requester_known="yes" if info_request.requester_known else "no",
        adults=[str(adult.pk) for adult in info_request.adults.all()],
    )
    form = form_for(
        request,
        RequestForm,
        initial=initial,
        relationships=relationships,
        police=request.user.agency.kind == Agency.Kind.POLICE,
    )
    if request.method == "POST" and form.is_valid():
        chosen = set(form.cleaned_data.get("adults") or [])
        adults = [link.adult for link in relationships if str(link.adult_id) in chosen]
        services.request_correct(user=request.user, request=info_request, adults=adults, details=form.details())
        messages.success(request, "The request has been corrected. What it said before is kept in its history.")
        return redirect("exchange:request_detail", request_id=info_request.pk)
    return render(request, "exchange/request_form.html", {"form": form, "child": child, "info_request": info_request})


def _request_context(request, info_request, **forms):
    status = services.request_status(info_request)
    open_request = status == RequestStatus.OPEN
    police_decline = open_request and info_request.outside_police_categories
    context = {
        "info_request": info_request,
        "status": status,
        "is_open": open_request,
        "police_decline": police_decline,
        "police_category_label": dict(PoliceCategory.choices).get(info_request.police_category, ""),
        "risk_label": guidance.CONCERN_LABELS.get(info_request.risk_level, info_request.risk_level),
        "open_drafts": [d for d in info_request.drafts.all() if d.decision_id is None],
        "verify_form": None,
        "close_form": None,
    }
    if open_request and not info_request.is_verified:
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


def request_detail(request, request_id: uuid.UUID):
    info_request = selectors.request_get_for_user(user=request.user, request_id=request_id)
    viewed(request, Subject.REQUEST, info_request)
    return render(request, "exchange/request_detail.html", _request_context(request, info_request))


@keeps_typing(shown_on="exchange:request_detail")
@require_POST
def request_verify(request, request_id: uuid.UUID):
    info_request = selectors.request_get_for_user(user=request.user, request_id=request_id)
    require_permission(request.user, Permission.REQUEST_LOG, info_request)
    if info_request.is_verified or services.request_status(info_request) != RequestStatus.OPEN:
        messages.info(request, "This requester has already been verified, or the request is closed.")
        return redirect("exchange:request_detail", request_id=info_request.pk)
    form = VerifyForm(request.POST)
    if form.is_valid():
        services.request_verify(
            user=request.user,
            request=info_request,
            method=form.cleaned_data["method"],
            details=form.cleaned_data["details"],
        )
        messages.success(request, "The requester's verification has been recorded.")
        return redirect("exchange:request_detail", request_id=info_request.pk)
    return render(request, "exchange/request_detail.html", _request_context(request, info_request, verify_form=form))


@keeps_typing(shown_on="exchange:request_detail")
@require_POST
def request_close(request, request_id: uuid.UUID):
    info_request = selectors.request_get_for_user(user=request.user, request_id=request_id)
    require_permission(request.user, Permission.REQUEST_LOG, info_request)
    police_decline = info_request.outside_police_categories
    form = CloseRequestForm(request.POST, police_decline=police_decline)
    if form.is_valid():
        services.request_close(
            user=request.user,
            request=info_request,
            outcome=RequestStatus(form.cleaned_data["outcome"]),
            reasons=form.cleaned_data["reasons"],
        )
        messages.success(request, "What happened to the request has been recorded.")
        return redirect("exchange:request_detail", request_id=info_request.pk)
    return render(request, "exchange/request_detail.html", _request_context(request, info_request, close_form=form))


@keeps_typing(shown_on="exchange:request_detail")
@require_POST
def request_decide(request, request_id: uuid.UUID):
    """Start the eight questions for a request, with question 1 filled in from it."""
    info_request = selectors.request_get_for_user(user=request.user, request_id=request_id)
    require_permission(request.user, Permission.DECISION_START, info_request.child)
    if services.request_status(info_request) != RequestStatus.OPEN or info_request.outside_police_categories:
        messages.info(request, "This request cannot go to a decision.")
        return redirect("exchange:request_detail", request_id=info_request.pk)
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
        direction="request_received",
        request=info_request,
    )
    return redirect("sharing:question", draft_id=draft.pk, question=Q.PURPOSE)


def _parse_date(value: str) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def request_list(request):
    require_permission(request.user, Permission.REQUEST_VIEW)
    status = request.GET.get("status", "")
    if status not in RequestStatus.values:
        status = ""
    received_from = _parse_date(request.GET.get("from", ""))
    received_to = _parse_date(request.GET.get("to", ""))
    requests = list(
        selectors.requests_for_agency(
            user=request.user, status=status, received_from=received_from, received_to=received_to
        )[:500]
    )
    filters = [f"status {status}" if status else "", f"from {received_from}" if received_from else ""]
    filters.append(f"to {received_to}" if received_to else "")
    access_record(
        request=request,
        action=Action.SEARCH,
        subject=Subject.REQUESTS,
        detail=f"{', '.join(f for f in filters if f) or 'all'}: {len(requests)} listed",
    )
    return render(
        request,
        "exchange/request_list.html",
        {
            "requests": [(r, services.request_status(r)) for r in requests],
            "status": status,
            "statuses": RequestStatus.choices,
            "received_from": received_from,
            "received_to": received_to,
        },
    )


def _consent_relied_on(decision) -> bool:
    consent_answer = next((a for a in decision.answers.all() if a.question_key == Q.CONSENT), None)
    if consent_answer is None:
        return False
    return (
        consent_answer.answers.get("status") == "obtained" and consent_answer.answers.get("consent_covers") is not False
    )


@keeps_typing
@require_http_methods(["GET", "POST"])
def disclosure_add(request, decision_id: uuid.UUID):
    decision = sharing_selectors.decision_get_for_user(user=request.user, decision_id=decision_id)
    require_permission(request.user, Permission.DISCLOSURE_RECORD, decision)
    if decision.outcome == guidance.Outcome.DO_NOT_SHARE:
        raise Http404("Nothing is disclosed against a decision not to share")
    info_request = decision.draft.request if hasattr(decision, "draft") else None
    needs_override = info_request is not None and not info_request.is_verified
    sharing_answer = next((a for a in decision.answers.all() if a.question_key == Q.SHARING), None)
    planned = sharing_answer.answers if sharing_answer else {}
    initial = {
        "recipient_name": planned.get("recipient_name", ""),
        "recipient_role": planned.get("recipient_role", ""),
        "recipient_agency": planned.get("recipient_agency", ""),
        **ItemRowsMixin.items_initial(planned.get("items")),
    }
    form = form_for(
        request,
        DisclosureForm,
        initial=initial,
        consent_relied_on=_consent_relied_on(decision),
        needs_override=needs_override,
    )
    if request.method == "POST" and request.POST.get("action") == "add_item":
        # One more row; what was typed stays, unchecked until "Record disclosure".
        typed = request.POST.copy()
        typed["item_rows"] = str(form.item_count + 1)
        form = DisclosureForm(
            initial=_typed_initial(typed),
            consent_relied_on=_consent_relied_on(decision),
            needs_override=needs_override,
        )
    if request.method == "POST" and form.is_valid():
        disclosure = services.disclosure_record(
            user=request.user, decision=decision, details=form.details(), request=info_request
        )
        messages.success(request, "The disclosure has been recorded.")
        return redirect("exchange:disclosure_detail", disclosure_id=disclosure.pk)
    return render(
        request, "exchange/disclosure_form.html", {"form": form, "decision": decision, "info_request": info_request}
    )


def _typed_initial(data) -> dict:
    initial = {}
    for key in data:
        values = data.getlist(key)
        initial[key] = values if len(values) > 1 or key.startswith("checks_") else values[0]
    for name in ("disclosed_on", "informed_on", "reconsider_on"):
        if f"{name}_0" in data:
            initial[name] = [data.get(f"{name}_{index}", "") for index in range(3)]
    return initial


def _disclosure_context(request, disclosure, follow_up_form=None):
    checks = dict(METHOD_CHECKS.get(disclosure.method, []))
    return {
        "disclosure": disclosure,
        "method_label": dict(Method.choices)[disclosure.method],
        "onward_label": dict(ONWARD).get(disclosure.onward_sharing, disclosure.onward_sharing),
        "checks": [checks.get(key, key) for key in disclosure.checks],
        "follow_ups": list(disclosure.follow_ups.all()),
        "outstanding": services.still_not_informed(disclosure),
        "follow_up_form": follow_up_form
        or form_sent_elsewhere(
            request, FollowUpForm, posted_to=reverse("exchange:follow_up_add", args=[disclosure.pk])
        ),
        "ledger_standing": selectors.disclosure_standing(disclosure=disclosure),
    }


def disclosure_detail(request, disclosure_id: uuid.UUID):
    disclosure = selectors.disclosure_get_for_user(user=request.user, disclosure_id=disclosure_id)
    viewed(request, Subject.DISCLOSURE, disclosure)
    return render(request, "exchange/disclosure_detail.html", _disclosure_context(request, disclosure))


def disclosure_receipt(request, disclosure_id: uuid.UUID):
    disclosure = selectors.disclosure_get_for_user(user=request.user, disclosure_id=disclosure_id)
    return receipt_download(
        request,
        disclosure,
        subject=Subject.DISCLOSURE,
        what="disclosure",
        back_url=reverse("exchange:disclosure_detail", args=[disclosure.pk]),
        back_text="Back to the disclosure",
    )


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
    return render(request, "exchange/disclosure_detail.html", _disclosure_context(request, disclosure, form))


def child_chronology(request, child_id: uuid.UUID):
    child = record_selectors.child_get_for_user(user=request.user, child_id=child_id, adults=False)
    require_permission(request.user, Permission.CHRONOLOGY_VIEW, child)
    kinds = {kind for kind in request.GET.getlist("kind") if kind in chronology_module.KINDS}
    start = _parse_date(request.GET.get("from", ""))
    end = _parse_date(request.GET.get("to", ""))
    newest_first = request.GET.get("order") != "oldest"
    entries = chronology_module.chronology(
        child=child, kinds=kinds or None, start=start, end=end, newest_first=newest_first
    )
    viewed(request, Subject.CHRONOLOGY, child, detail=f"{len(entries)} entries")
    return render(
        request,
        "exchange/chronology.html",
        {
            "child": child,
            "entries": entries,
            "kinds": chronology_module.KINDS,
            "chosen_kinds": kinds,
            "start": start,
            "end": end,
            "newest_first": newest_first,
            "printed_at": timezone.localtime(),
        },
    )
