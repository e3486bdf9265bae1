"""Recording what was disclosed under a decision, one thing a page (exchange.disclosure_pages; ADR 10).

Each page keeps its answers in the author's draft (exchange.disclosure_drafts) and goes on to the next page
that applies; the items are added, changed and removed a page each (GOV.UK's "add another"); "Check your
answers" checks the whole and records it at once, only what applies (exchange.services.disclosure_record).
"""

import uuid
from dataclasses import dataclass

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from accounts.kept_typing import form_for, keeps_typing, typed_initial
from audit.models import Action, Subject
from audit.services import shown
from core.access_log import logs, shows_no_case_records
from core.permissions import require_permission
from core.typed import field_of
from exchange import disclosure_drafts as drafts
from exchange import disclosure_pages as pages
from exchange import selectors, services
from exchange.disclosure_forms import DisclosureForm
from records.roles import Permission
from sharing import guidance, summary
from sharing import selectors as sharing_selectors
from sharing.forms import AddAnotherItemForm, ItemForm


@dataclass(frozen=True)
class _Disclosing:
    """The decision disclosed under, what it says that decides the pages, and the author's draft."""

    decision: object
    info_request: object
    lapsed: object
    facts: drafts.Facts
    draft: object
    # Sent through this service: the agencies it can go to, and the people of the one chosen (ADR 27).
    service: dict

    def form_options(self) -> dict:
        return {
            "consent_relied_on": self.facts.consent_relied_on,
            "needs_override": self.facts.unverified,
            "consent_lapsed": self.facts.consent_lapsed,
            "items": self.draft.items if self.draft else [],
            **self.service,
        }

    @property
    def answers(self) -> pages.Answers:
        return drafts.answers_of(self.draft, self.facts)

    @property
    def answered(self) -> set[str]:
        return set(self.draft.answered)


def _disclosing(request, decision_id: uuid.UUID) -> _Disclosing:
    decision = sharing_selectors.decision_get_for_user(user=request.user, decision_id=decision_id)
    require_permission(request.user, Permission.DISCLOSURE_RECORD, decision)
    if decision.outcome == guidance.Outcome.DO_NOT_SHARE:
        raise Http404("Nothing is disclosed against a decision not to share")
    lapsed = sharing_selectors.consent_lapse_of(decision=decision)
    info_request = decision.draft.request if hasattr(decision, "draft") else None
    facts = drafts.Facts(
        consent_lapsed=lapsed is not None,
        unverified=info_request is not None and not info_request.is_verified,
        consent_relied_on=guidance.shares_under_consent(
            decision.answers_by_question(), lapse=lapsed.lapse if lapsed else None
        ),
    )
    draft = drafts.draft_get(user=request.user, decision=decision)
    service = {}
    if draft is not None and drafts.answers_of(draft, facts).method == pages.THROUGH_THE_SERVICE:
        # Read only for this way of disclosing: the other ways' pages run no query more.
        chosen = (draft.typed.get("send_to_agency") or [""])[0]
        service = {
            "service_agencies": selectors.service_agencies(user=request.user),
            "service_people": selectors.service_people(agency_id=chosen),
        }
    return _Disclosing(decision, info_request, lapsed, facts, draft, service)


def page_url(decision, slug: str) -> str:
    return reverse("exchange:disclosure_page", args=[decision.pk, slug])


def item_url(decision, number: int) -> str:
    return reverse("exchange:disclosure_item", args=[decision.pk, number])


def _back_url(disclosing: _Disclosing, slug: str) -> str:
    before = pages.previous_page(slug, disclosing.answers)
    if before is None:
        return reverse("sharing:decision_detail", args=[disclosing.decision.pk])
    return page_url(disclosing.decision, before)


def _context(disclosing: _Disclosing, **more) -> dict:
    return {
        "decision": disclosing.decision,
        "info_request": disclosing.info_request,
        "lapsed_consent": disclosing.lapsed,
        "lapse_next_step": guidance.CONSENT_LAPSE_NEXT_STEP,
        **more,
    }


@shows_no_case_records("leads on to the first page of recording a disclosure still to answer")
@require_GET
def disclosure_add(request, decision_id: uuid.UUID):
    """Start recording a disclosure, from what the decision planned, or carry on with the one started."""
    disclosing = _disclosing(request, decision_id)
    draft = disclosing.draft or drafts.draft_start(user=request.user, decision=disclosing.decision)
    answers = drafts.answers_of(draft, disclosing.facts)
    return redirect(page_url(disclosing.decision, pages.first_page_to_answer(answers, set(draft.answered))))


@logs(Action.VIEW, subject=Subject.DECISION)
@keeps_typing
@require_http_methods(["GET", "POST"])
def disclosure_page(request, decision_id: uuid.UUID, disclosure_page: str):
    """One page of recording a disclosure, its answers kept in the draft until "Check your answers"."""
    if disclosure_page != pages.CHECK and disclosure_page not in pages.BY_SLUG:
        raise Http404("No such page")
    disclosing = _disclosing(request, decision_id)
    if disclosing.draft is None:
        return redirect("exchange:disclosure_add", decision_id=decision_id)
    if not pages.is_reachable(disclosure_page, disclosing.answers, disclosing.answered):
        return redirect(
            page_url(disclosing.decision, pages.first_page_to_answer(disclosing.answers, disclosing.answered))
        )
    if disclosure_page == pages.CHECK:
        return _check(request, disclosing)
    if disclosure_page == pages.ITEMS:
        return _items(request, disclosing)
    draft = disclosing.draft
    options = {**disclosing.form_options(), "page": disclosure_page, "method": disclosing.answers.method}
    if request.method == "POST":
        # The page's answers are checked beside those of the pages before it.
        form = DisclosureForm(drafts.with_page(draft, page=disclosure_page, sent=request.POST), **options)
        if form.is_valid():
            draft = drafts.draft_save_page(draft, page=disclosure_page, sent=request.POST)
            answers = drafts.answers_of(draft, disclosing.facts)
            return redirect(
                page_url(disclosing.decision, pages.after_saving(disclosure_page, answers, set(draft.answered)))
            )
    else:
        form = form_for(request, DisclosureForm, initial=_kept(draft, options), **options)
    shown(request, disclosing.decision, detail=f"to record a disclosure, page: {disclosure_page}")
    return render(
        request,
        "exchange/disclosure_page.html",
        _context(
            disclosing,
            form=form,
            page=pages.BY_SLUG[disclosure_page],
            back_url=_back_url(disclosing, disclosure_page),
        ),
    )


def _kept(draft, options: dict) -> dict:
    """What the draft holds, shown as typed, unchecked: only the answers typed (a date not typed is today)."""
    typed = {field_of(name) for name in draft.typed}
    shown = typed_initial(DisclosureForm(drafts.as_sent(draft.typed), **options))
    return {name: value for name, value in shown.items() if name in typed}


def _items(request, disclosing: _Disclosing):
    """The items disclosed so far (3.7.9), each changed or removed, and "Do you need to add another item?"."""
    draft, decision = disclosing.draft, disclosing.decision
    if not draft.items:
        return redirect(item_url(decision, 1))
    form = AddAnotherItemForm(request.POST if request.method == "POST" else None, items=len(draft.items))
    if request.method == "POST":
        remove = request.POST.get("remove", "")
        if remove.isascii() and remove.isdigit() and len(remove) < 3:
            if len(draft.items) > 1:
                drafts.draft_item_remove(draft, number=int(remove))
                messages.success(request, f"Item {remove} has been removed.")
            return redirect(page_url(decision, pages.ITEMS))
        if form.is_valid():
            if form.cleaned_data["add_another"]:
                return redirect(item_url(decision, len(draft.items) + 1))
            draft = drafts.draft_items_done(draft)
            answers = drafts.answers_of(draft, disclosing.facts)
            return redirect(page_url(decision, pages.after_saving(pages.ITEMS, answers, set(draft.answered))))
    kinds = dict(summary.ITEM_KINDS)
    items = [
        {
            "number": number,
            "text": item["text"],
            "kind": kinds.get(item["kind"], item["kind"]),
            "change_url": item_url(decision, number),
        }
        for number, item in enumerate(draft.items, start=1)
    ]
    shown(request, decision, detail="to record a disclosure, page: items")
    return render(
        request,
        "exchange/disclosure_items.html",
        _context(
            disclosing,
            form=form,
            items=items,
            # The last item is changed, not removed (ADR 8): something was disclosed.
            can_remove=len(items) > 1,
            page=pages.BY_SLUG[pages.ITEMS],
            back_url=_back_url(disclosing, pages.ITEMS),
        ),
    )


@logs(Action.VIEW, subject=Subject.DECISION)
@keeps_typing
@require_http_methods(["GET", "POST"])
def disclosure_item(request, decision_id: uuid.UUID, number: int):
    """One item disclosed (3.7.9): its text, and whether it is fact, opinion, hypothesis or a mixture. Number
    ``n`` is the n-th item, changed here; one more than there are adds one."""
    disclosing = _disclosing(request, decision_id)
    if disclosing.draft is None:
        return redirect("exchange:disclosure_add", decision_id=decision_id)
    draft, decision = disclosing.draft, disclosing.decision
    if not pages.is_reachable(pages.ITEMS, disclosing.answers, disclosing.answered):
        return redirect(page_url(decision, pages.first_page_to_answer(disclosing.answers, disclosing.answered)))
    if not 1 <= number <= min(len(draft.items) + 1, guidance.MAX_ITEMS):
        raise Http404("No such item")
    kept = dict(draft.items[number - 1]) if number <= len(draft.items) else {}
    form = form_for(request, ItemForm, initial=kept, number=number)
    if request.method == "POST" and form.is_valid():
        drafts.draft_item_save(draft, number=number, item=form.item())
        return redirect(page_url(decision, pages.ITEMS))
    shown(request, decision, detail="to record a disclosure, item")
    return render(
        request,
        "exchange/disclosure_item.html",
        _context(
            disclosing,
            form=form,
            number=number,
            is_new=number > len(draft.items),
            page=pages.BY_SLUG[pages.ITEMS],
            back_url=page_url(decision, pages.ITEMS) if draft.items else _back_url(disclosing, pages.ITEMS),
        ),
    )


def checked(request, decision_id: uuid.UUID) -> tuple[_Disclosing, DisclosureForm] | HttpResponse:
    """The author's draft disclosure and its answers checked whole, as its check page checks them; or where to
    go instead (no draft yet, or a page to answer again). For sending it through this service (delivery.views)."""
    disclosing = _disclosing(request, decision_id)
    if disclosing.draft is None:
        return redirect("exchange:disclosure_add", decision_id=decision_id)
    if not pages.is_reachable(pages.CHECK, disclosing.answers, disclosing.answered):
        return redirect(
            page_url(disclosing.decision, pages.first_page_to_answer(disclosing.answers, disclosing.answered))
        )
    form = _checked_form(disclosing)
    if not form.is_valid():
        return _ask_again(disclosing, form)
    return disclosing, form


def _checked_form(disclosing: _Disclosing) -> DisclosureForm:
    typed = drafts.as_sent(drafts.applying_typed(disclosing.draft, disclosing.facts))
    return DisclosureForm(typed, **disclosing.form_options())


def _ask_again(disclosing: _Disclosing, form: DisclosureForm):
    # An earlier answer, or the decision (its consent lapsed since), changed what a page must say: it is
    # asked again.
    applying = pages.pages_that_apply(disclosing.answers)
    wrong = next((slug for slug in applying if set(pages.BY_SLUG[slug].fields) & set(form.errors)), pages.ITEMS)
    drafts.draft_reopen(disclosing.draft, page=wrong)
    return redirect(page_url(disclosing.decision, wrong))


def _check(request, disclosing: _Disclosing):
    """Check your answers, then record the disclosure: only what applies to the answers given."""
    draft, decision = disclosing.draft, disclosing.decision
    form = _checked_form(disclosing)
    applying = pages.pages_that_apply(disclosing.answers)
    if not form.is_valid():
        return _ask_again(disclosing, form)
    sending = form.sending()
    if request.method == "POST" and sending is not None:
        # Sent through this service, it is recorded as it is sent (delivery.views.disclosure_send).
        return redirect(page_url(decision, pages.CHECK))
    if request.method == "POST":
        disclosure = services.disclosure_record(
            user=request.user,
            decision=decision,
            details=form.details(),
            information_request=disclosing.info_request,
            draft=draft,
        )
        messages.success(request, "The disclosure has been recorded.")
        return redirect("exchange:disclosure_detail", disclosure_id=disclosure.pk)
    kinds = dict(summary.ITEM_KINDS)
    items = [
        (f"Item {number} ({kinds.get(item['kind'], item['kind']).lower()})", item["text"])
        for number, item in enumerate(draft.items, start=1)
    ]
    sections = [{"slug": pages.ITEMS, "title": pages.BY_SLUG[pages.ITEMS].title, "rows": items}]
    sections += form.answers_in_words(applying)
    for section in sections:
        section["change_url"] = page_url(decision, section["slug"])
    shown(request, decision, detail="to record a disclosure, check your answers")
    return render(
        request,
        "exchange/disclosure_check.html",
        _context(
            disclosing,
            sections=sections,
            back_url=_back_url(disclosing, pages.CHECK),
            # Named, not imported: the delivery app stands above this one (ADR 27).
            send_url=reverse("delivery:send", args=[decision.pk]) if sending is not None else None,
        ),
    )
