"""Asking for advice about a draft decision, the adviser's page, and each person's list of requests."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from advice import advisers, selectors, services
from advice.forms import AnswerForm, AskForm
from advice.rules import may_answer
from audit.models import Action, Subject
from audit.services import shown
from core.access_log import logs
from core.paging import page_number, page_query
from core.permissions import require_permission
from records.roles import Permission
from sharing import selectors as sharing_selectors
from sharing.guidance import QuestionKey, page_named, pages_of


def _draft_url(draft, back: str | None, page: str | None = None) -> str:
    """Back to the question (and the page of it) the practitioner asked from, or the draft's check page
    (which sends its author on to the first question still to answer)."""
    try:
        question = QuestionKey(back)
    except ValueError:
        return reverse("sharing:check", args=[draft.pk])
    named = page_named(question, page or "")
    if named is not None and named != pages_of(question)[0]:  # the first page is at the question's address
        return reverse("sharing:question_page", args=[draft.pk, question, named.name])
    return reverse("sharing:question", args=[draft.pk, question])


@logs(Action.VIEW, subject=Subject.DRAFT)
@require_http_methods(["GET", "POST"])
def advice_ask(request, draft_id: uuid.UUID):
    """The draft's author asks a colleague of their agency for advice about it (3.5.17, 3.5.18; 002 rule 3)."""
    draft = sharing_selectors.draft_get_for_user(user=request.user, draft_id=draft_id, with_advice=True)
    if draft.is_recorded:
        return redirect("sharing:decision_detail", decision_id=draft.decision_id)
    require_permission(request.user, Permission.ADVICE_ASK, draft)
    back = request.GET.get("from", "")
    back_url = _draft_url(draft, back, request.GET.get("page"))
    choices = advisers.choices_for(asker_id=request.user.pk, colleagues=selectors.colleagues_of(user=request.user))
    form = AskForm(
        request.POST if request.method == "POST" else None,
        choices=choices,
        agency_name=draft.agency.name,
        within_hours=selectors.within_hours(),
    )
    if request.method == "POST" and choices and form.is_valid():
        try:
            advice = services.advice_ask(user=request.user, draft=draft, asking=form.asking())
        except services.DecisionRecorded as recorded:
            # Recorded in another tab meanwhile: its advice is on the decision now.
            return redirect("sharing:decision_detail", decision_id=recorded.decision_id)
        messages.success(
            request,
            f"Your request for advice has been sent to {advice.addressed_to}. "
            "Their answer will show here and on your start page.",
        )
        return redirect(back_url)
    shown(request, draft, child=draft.child, detail="to ask for advice")
    return render(
        request,
        "advice/ask.html",
        {
            "draft": draft,
            "form": form,
            "has_advisers": bool(choices),
            "back_url": back_url,
            "advice_asked": selectors.advice_shown(draft.advice_asked, decision_recorded=False),
        },
    )


@logs(Action.VIEW, subject=Subject.ADVICE)
def advice_list(request):
    """A person's own list: requests for advice waiting for their answer, and their own requests."""
    require_permission(request.user, Permission.ADVICE_LIST)
    lists = selectors.lists_for_user(
        user=request.user,
        waiting_page=page_number(request, "waiting"),
        asked_page=page_number(request, "asked"),
    )
    waiting, asked = lists.waiting_page, lists.asked_page
    shown(
        request,
        detail=f"{len(waiting.rows)} waiting for an answer{_of(waiting)}, {len(asked.rows)} asked{_of(asked)}",
    )
    context = {
        "lists": lists,
        **{
            f"{name}_{step}_query": page_query(request, listing.number + change, name)
            for name, listing in (("waiting", waiting), ("asked", asked))
            for step, change in (("previous", -1), ("next", 1))
        },
    }
    return render(request, "advice/list.html", context)


def _of(listing) -> str:
    """A paged list's place, for the access log: nothing while it fits on one page."""
    return f" of {listing.total_label}, page {listing.number}" if listing.offset or listing.has_more else ""


@logs(Action.VIEW, subject=Subject.DRAFT)
@require_http_methods(["GET", "POST"])
def advice_detail(request, advice_id: uuid.UUID):
    """A request for advice and the draft as it stands: the adviser reads both (a logged look) and answers."""
    advice = selectors.advice_get_for_user(user=request.user, advice_id=advice_id)
    can_answer = request.user.has_perm(Permission.ADVICE_ANSWER, advice)
    form = AnswerForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not can_answer:
            if may_answer(request.user, advice):
                # Answered by someone else first, or the decision was recorded meanwhile.
                messages.info(request, "This request for advice has been answered or its decision recorded.")
                return redirect("advice:detail", advice_id=advice.pk)
            raise PermissionDenied
        if form.is_valid():
            try:
                services.advice_answer(user=request.user, advice=advice, text=form.cleaned_data["advice"])
            except services.AdviceClosed:
                messages.info(request, "This request for advice has been answered or its decision recorded.")
                return redirect("advice:detail", advice_id=advice.pk)
            messages.success(request, f"Your advice has been recorded and sent to {advice.asker_name}.")
            return redirect("advice:detail", advice_id=advice.pk)
    draft = advice.draft
    shown(request, draft, child=draft.child, detail=f"with request for advice {advice.pk}")
    recorded = draft.decision_id is not None
    return render(
        request,
        "advice/detail.html",
        {
            "advice": selectors.with_state(advice, decision_recorded=recorded),
            "draft": draft,
            # The draft as it stands; once recorded, the decision is the record to read.
            "summaries": [] if recorded else sharing_selectors.answer_summaries(draft),
            "form": form if can_answer else None,
            "draft_url": _draft_url(draft, None) if request.user.has_perm(Permission.DRAFT_VIEW, draft) else None,
        },
    )
