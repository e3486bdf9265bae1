"""Requests for information sent through this service to another agency on it (issue 19, ADR 26): asked a page
at a time and sent by a practitioner of the agency asking; matched to a child of its own, or said not known,
by the agency asked, which then answers it as any request it logged.

Each agency reads only its side: the agency asking its requests sent, with where they stand; the agency asked
those sent to it, with the child's details as sent, and its own children to match them to.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from accounts.kept_typing import form_for, keeps_typing
from audit.models import Action, Subject
from audit.services import shown
from core import typed
from core.access_log import logs
from core.permissions import require_permission
from exchange import selectors, services, through_service
from exchange.forms import AskAgencyForm, ChildToMatchForm, NotKnownForm
from records import selectors as record_selectors
from records.forms import ChildSearchForm
from records.roles import Permission

# What was typed of a request to send, a page at a time, by child: kept in the session until it is sent.
SESSION_KEY = "sent_request_drafts"
KEPT = 5


def _draft(session, child_id) -> dict:
    return session.get(SESSION_KEY, {}).get(str(child_id)) or {"typed": {}, "answered": []}


def _keep(session, child_id, draft: dict | None) -> None:
    drafts = dict(session.get(SESSION_KEY, {}))
    drafts.pop(str(child_id), None)
    if draft is not None:
        drafts[str(child_id)] = draft
    for oldest in list(drafts)[:-KEPT]:
        del drafts[oldest]
    session[SESSION_KEY] = drafts


def _page_url(child, slug: str) -> str:
    if slug == through_service.FIRST:
        return reverse("exchange:sent_request_add", args=[child.pk])
    return reverse("exchange:sent_request_add_page", args=[child.pk, slug])


@logs(Action.VIEW, subject=Subject.REQUESTS)
def sent_requests(request, child_id: uuid.UUID):
    """The requests sent about the child to other agencies on this service, and where each stands."""
    child = record_selectors.child_get_for_user(user=request.user, child_id=child_id, adults=False)
    require_permission(request.user, Permission.REQUEST_VIEW, child)
    sent = selectors.sent_requests_for_child(user=request.user, child=child)
    shown(request, child, detail=f"requests sent through this service: {len(sent)} listed")
    return render(
        request,
        "exchange/sent_requests.html",
        {"child": child, "sent": sent, "can_send": request.user.has_perm(Permission.REQUEST_LOG, child)},
    )


@logs(Action.VIEW, subject=Subject.CHILD)
@keeps_typing
@require_http_methods(["GET", "POST"])
def sent_request_add(request, child_id: uuid.UUID, ask_page: str = through_service.FIRST):
    """One page of asking another agency on this service about the child, or its check page, which sends it."""
    child = record_selectors.child_get_for_user(user=request.user, child_id=child_id, adults=False)
    require_permission(request.user, Permission.REQUEST_LOG, child)
    if ask_page != through_service.CHECK and ask_page not in through_service.BY_SLUG:
        raise Http404("No such page")
    agencies = selectors.agencies_to_ask(user=request.user)
    draft = _draft(request.session, child.pk)
    whole = AskAgencyForm(typed.as_sent(draft["typed"]), agencies=agencies)
    answers = through_service.Answers(asked_agency_is_police=whole.police)
    answered = set(draft["answered"])
    if not through_service.is_reachable(ask_page, answers, answered):
        return redirect(_page_url(child, through_service.first_page_to_answer(answers, answered)))
    if ask_page == through_service.CHECK:
        return _check(request, child, draft, whole, answers)
    asked = set(through_service.BY_SLUG[ask_page].fields)
    if request.method == "POST":
        sent = typed.with_page(draft["typed"], asked=asked, sent=request.POST)
        form = AskAgencyForm(typed.as_sent(sent), agencies=agencies, page=ask_page)
        if form.is_valid():
            draft = {"typed": sent, "answered": typed.answered_last(draft["answered"], ask_page)}
            _keep(request.session, child.pk, draft)
            answers = through_service.Answers(asked_agency_is_police=form.police)
            return redirect(_page_url(child, through_service.after_saving(ask_page, answers, set(draft["answered"]))))
    else:
        # What the draft holds for the page; what was typed there when the session ended, if anything.
        initial = {name: whole.data.get(name) for name in asked if name in whole.data}
        form = form_for(request, AskAgencyForm, initial=initial, agencies=agencies, page=ask_page)
    shown(request, child, detail="to ask another agency on this service")
    previous = through_service.previous_page(ask_page, answers)
    return render(
        request,
        "exchange/sent_request_form.html",
        {
            "form": form,
            "child": child,
            "page": through_service.BY_SLUG[ask_page],
            "first": ask_page == through_service.FIRST,
            "back_url": _page_url(child, previous) if previous else reverse("exchange:sent_requests", args=[child.pk]),
        },
    )


def _check(request, child, draft, form, answers):
    """Check your answers, then send the request: what applies, in one save."""
    if not form.is_valid():
        # An answer is no longer right (the agency left the service, say): asked again.
        wrong = next(
            (
                slug
                for slug in through_service.pages_that_apply(answers)
                if set(through_service.BY_SLUG[slug].fields) & set(form.errors)
            ),
            through_service.FIRST,
        )
        draft["answered"] = [slug for slug in draft["answered"] if slug != wrong]
        _keep(request.session, child.pk, draft)
        return redirect(_page_url(child, wrong))
    if request.method == "POST":
        try:
            sent_request = services.sent_request_send(
                user=request.user, child=child, details=form.details(), two_factor=request.user.is_verified()
            )
        except services.NotAllowed as refusal:
            messages.info(request, f"{refusal}.")
            return redirect(_page_url(child, through_service.FIRST))
        _keep(request.session, child.pk, None)
        messages.success(request, f"Request {sent_request.reference} has been sent to {sent_request.to_agency}.")
        return redirect("exchange:sent_request_detail", sent_request_id=sent_request.pk)
    shown(request, child, detail="to ask another agency on this service")
    sections = form.answers_in_words()
    for section in sections:
        section["change_url"] = _page_url(child, section["slug"])
    return render(
        request,
        "exchange/sent_request_check.html",
        {
            "child": child,
            "sections": sections,
            "to_agency": form.chosen_agency(),
            "back_url": _page_url(child, through_service.previous_page(through_service.CHECK, answers)),
        },
    )


@logs(Action.VIEW, subject=Subject.REQUEST)
def sent_request_detail(request, sent_request_id: uuid.UUID):
    """A request the user's agency sent: what was sent, and where it stands; nothing of the other's records."""
    sent_request = selectors.sent_request_get_for_user(user=request.user, sent_id=sent_request_id)
    shown(request, sent_request)
    return render(
        request,
        "exchange/sent_request_detail.html",
        {
            "sent_request": sent_request,
            "standing": selectors.sent_standing(sent_request),
            **selectors.request_labels(sent_request),
        },
    )


def _received_context(request, received, choosing: _Choosing, *, match_form=None, not_known_form=None):
    return {
        "received": received,
        **selectors.request_labels(received),
        "children": choosing.children,
        "searched": choosing.searched,
        "search_form": choosing.search_form,
        "match_form": match_form or ChildToMatchForm(children=choosing.children),
        "not_known_form": not_known_form or NotKnownForm(),
        "can_match": request.user.has_perm(Permission.REQUEST_LOG),
    }


# A search of the agency's children for a request received, kept in the session (never in the address):
# received request to what was typed.
SEARCH_SESSION_KEY = "received_request_searches"


@logs(Action.VIEW, Action.SEARCH, subject=Subject.REQUEST)
@require_http_methods(["GET", "POST"])
def received_detail(request, received_request_id: uuid.UUID):
    """A request sent to the user's agency through this service: what is asked, the child's details as the
    agency asking holds them, and the agency's own children to match it to: at first those of the name and
    date of birth sent, then those of a search (sent by POST, kept in the session)."""
    received = selectors.received_get_for_user(user=request.user, received_id=received_request_id)
    match = getattr(received, "match", None)
    if match is not None and match.matched:
        return redirect("exchange:request_detail", request_id=match.information_request_id)
    if request.method == "POST":
        search_form = ChildSearchForm(request.POST)
        if search_form.is_valid():
            born = search_form.cleaned_data["date_of_birth"]
            searches = dict(request.session.get(SEARCH_SESSION_KEY, {}))
            searches[str(received.pk)] = {
                "text": search_form.cleaned_data["text"].strip(),
                "date_of_birth": born.isoformat() if born else None,
            }
            request.session[SEARCH_SESSION_KEY] = dict(list(searches.items())[-5:])
            return redirect("exchange:received_detail", received_request_id=received.pk)
        shown(request, received, detail="searching for the child: the search has errors")
        choosing = _Choosing(children=[], search_form=search_form, searched=True, found_by="")
        return render(request, "exchange/received_detail.html", _received_context(request, received, choosing))
    choosing = _children_to_choose(request, received)
    shown(
        request,
        received,
        action=Action.SEARCH if choosing.searched else Action.VIEW,
        detail=f"children {choosing.found_by}: {len(choosing.children)} found",
    )
    return render(request, "exchange/received_detail.html", _received_context(request, received, choosing))


@dataclass(frozen=True)
class _Choosing:
    """The agency's own children offered for a request received, and how they were found."""

    children: list
    search_form: ChildSearchForm
    searched: bool  # by the user's own search (kept in the session), not the name and date of birth sent
    found_by: str


def _children_to_choose(request, received) -> _Choosing:
    saved = request.session.get(SEARCH_SESSION_KEY, {}).get(str(received.pk))
    if saved is None:
        search = record_selectors.ChildSearch(
            text=received.child_name,
            date_of_birth=received.child_date_of_birth or received.child_expected_date_of_birth,
        )
        found_by, initial = "of the name and date of birth sent", {}
    else:
        born = date.fromisoformat(saved["date_of_birth"]) if saved.get("date_of_birth") else None
        search = record_selectors.ChildSearch(text=saved["text"], date_of_birth=born)
        found_by, initial = f"by {search.kind}", {"text": search.text, "date_of_birth": born}
    return _Choosing(
        children=list(record_selectors.child_search(user=request.user, search=search)),
        search_form=ChildSearchForm(initial=initial),
        searched=saved is not None,
        found_by=found_by,
    )


@logs(Action.VIEW, subject=Subject.REQUEST)
@require_POST
def received_match(request, received_request_id: uuid.UUID):
    """Match a request received through this service to a child of the agency's own: logged for that child."""
    received = selectors.received_get_for_user(user=request.user, received_id=received_request_id)
    require_permission(request.user, Permission.REQUEST_LOG)
    chosen = request.POST.get("child", "")
    children = []
    try:
        child = record_selectors.child_get_for_user(user=request.user, child_id=uuid.UUID(chosen), adults=False)
        children = [child]
    except (ValueError, Http404):
        child = None
    form = ChildToMatchForm(request.POST, children=children)
    if child is not None and form.is_valid():
        try:
            information_request = services.sent_request_match(user=request.user, sent_request=received, child=child)
        except services.NotAllowed as refusal:
            messages.info(request, f"{refusal}.")
            return redirect("exchange:request_list")
        messages.success(
            request,
            f"Request {information_request.reference} has been logged for {child.full_name}: decide on it as any "
            "other request.",
        )
        return redirect("exchange:request_detail", request_id=information_request.pk)
    choosing = _children_to_choose(request, received)
    form = ChildToMatchForm(request.POST, children=choosing.children)
    form.is_valid()  # for its error: no child of theirs chosen
    shown(request, received, detail="matching it to a child: nobody chosen")
    return render(
        request, "exchange/received_detail.html", _received_context(request, received, choosing, match_form=form)
    )


@logs(Action.VIEW, subject=Subject.REQUEST)
@keeps_typing(shown_on="exchange:received_detail")
@require_POST
def received_not_known(request, received_request_id: uuid.UUID):
    """Say that a request received through this service is not about a child the agency knows, and why."""
    received = selectors.received_get_for_user(user=request.user, received_id=received_request_id)
    require_permission(request.user, Permission.REQUEST_LOG)
    form = NotKnownForm(request.POST)
    if form.is_valid():
        try:
            services.sent_request_not_known(
                user=request.user, sent_request=received, reason=form.cleaned_data["reasons"]
            )
        except services.NotAllowed as refusal:
            messages.info(request, f"{refusal}.")
            return redirect("exchange:request_list")
        messages.success(request, f"You have told {received.sender_agency_name} it is not a child you know.")
        return redirect("exchange:request_list")
    shown(request, received, detail="saying it is not a child known: the reason is missing")
    return render(
        request,
        "exchange/received_detail.html",
        _received_context(request, received, _children_to_choose(request, received), not_known_form=form),
    )
