import re
import uuid
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.decorators.http import require_http_methods, require_POST

from accounts.kept_typing import form_for, form_sent_elsewhere, keeps_typing, typed_take
from advice import selectors as advice_selectors
from audit.models import Action, Subject
from audit.pdfs import pdf_download
from audit.receipts import receipt_download
from audit.services import shown
from core import cookies
from core.access_log import logs, shows_no_case_records
from core.paging import page_number, page_query
from core.permissions import require_permission
from exchange import selectors as exchange_selectors
from records import selectors as record_selectors
from records.roles import Permission
from sharing import guidance, selectors, services, summary
from sharing.forms import (
    PAGE_FORMS,
    QUESTION_FORMS,
    AddendumForm,
    ItemForm,
    LegalBasisForm,
    ReviewForm,
    StartForm,
    consents_offered,
)
from sharing.guidance import QuestionKey
from sharing.models import Direction


@logs(Action.VIEW, subject=Subject.CHILD)
@keeps_typing
@require_http_methods(["GET", "POST"])
def decision_start(request, child_id: uuid.UUID):
    child = record_selectors.child_get_for_user(user=request.user, child_id=child_id)
    require_permission(request.user, Permission.DECISION_START, child)
    relationships = list(child.relationships.all())
    form = form_for(request, StartForm, relationships=relationships)
    if request.method == "POST" and form.is_valid():
        chosen = set(form.cleaned_data.get("adults") or [])
        if form.cleaned_data["direction"] == Direction.REQUEST_RECEIVED:
            # Asked to share: the request is logged first, or chosen, so that the record shows who asked (3.7.9).
            query = urlencode({"adults": sorted(chosen)}, doseq=True)
            asked = reverse("exchange:request_before_decision", args=[child.pk])
            return redirect(f"{asked}?{query}" if query else asked)
        adults = [link.adult for link in relationships if str(link.adult_id) in chosen]
        draft = services.draft_start(
            user=request.user, child=child, adults=adults, direction=form.cleaned_data["direction"]
        )
        return redirect("sharing:question", draft_id=draft.pk, question=QuestionKey.PURPOSE)
    shown(request, child, detail="to start a decision")
    return render(request, "sharing/start.html", {"form": form, "child": child})


def _typed(form, data) -> dict:
    """What was typed on a page, field by field, to show it again unchecked.

    NUL characters are dropped: no database keeps them in text, and nobody types them.
    """

    def clean(value: str) -> str:
        return value.replace("\x00", "")

    typed = {}
    for name, field in form.fields.items():
        widget = field.widget
        if hasattr(widget, "widgets"):
            typed[name] = [clean(data.get(f"{name}_{index}", "")) for index in range(len(widget.widgets))]
        elif hasattr(data, "getlist") and getattr(widget, "allow_multiple_selected", False):
            typed[name] = [clean(value) for value in data.getlist(name)]
        elif name in data:
            typed[name] = clean(data.get(name))
    return typed


def question_url(draft, step: guidance.Step) -> str:
    """The address of a question's page (its first page unless ``step.page``), or of the check page."""
    if step.question is None:
        return reverse("sharing:check", args=[draft.pk])
    if step.page is None:
        url = reverse("sharing:question", args=[draft.pk, step.question])
    elif step.page == guidance.ITEMS_PAGE and not guidance.items_of(draft.answers, step.question):
        # No item yet: the list starts with its first item's page (GOV.UK's "add another" pattern).
        url = item_url(draft, step.question, 1)
    else:
        url = reverse("sharing:question_page", args=[draft.pk, step.question, step.page])
    return url + "?from=check" if step.from_check else url


def item_url(draft, question: QuestionKey, number: int, *, from_check: bool = False) -> str:
    """The page of a question's item ``number`` (1 for the first): to add it, or to change it once added."""
    url = reverse("sharing:question_item", args=[draft.pk, question, number])
    return url + "?from=check" if from_check else url


class QuestionStep(View):
    """One of the eight key questions (3.5.1), or one page of a question asked over several
    (``guidance.PAGES``): one view and one template for them all.

    Each page loads the draft and its page's form, and sends the practitioner
    on where ``guidance.after_saving`` (``after_saving_page``) says; the hooks
    below are what a page adds to that (its first answers, its context, where
    Back goes).
    """

    http_method_names = ["get", "post"]
    template_name = "sharing/question.html"

    def dispatch(self, request, *args, **kwargs):
        # The method is checked first, before anything is read, as require_http_methods did.
        if request.method.lower() not in self.http_method_names:
            return self.http_method_not_allowed(request)
        try:
            self.question = QuestionKey(kwargs["question"])
        except ValueError as error:
            raise Http404("No such question") from error
        pages = guidance.pages_of(self.question)
        # The first page of a question is at the question's own address.
        self.page = next(iter(pages), None)
        if "page" in kwargs:
            self.page = guidance.page_named(self.question, kwargs["page"])
            if self.page is None or self.page == pages[0]:
                raise Http404("No such page")
        self.draft = selectors.draft_get_for_user(user=request.user, draft_id=kwargs["draft_id"], with_advice=True)
        if self.draft.is_recorded:
            return redirect("sharing:decision_detail", decision_id=self.draft.decision_id)
        require_permission(request.user, Permission.DRAFT_EDIT, self.draft)
        self.from_check = request.GET.get("from") == "check"
        answers = self.draft.answers
        if not guidance.is_reachable(answers, self.question):
            return redirect(self.step_url(guidance.resume_at(answers, guidance.first_unanswered(answers))))
        if self.page is not None and not guidance.page_is_reachable(answers, self.question, self.page.name):
            return redirect(self.step_url(guidance.resume_at(answers, self.question, from_check=self.from_check)))
        self.form_class = PAGE_FORMS[self.question][self.page.name] if self.page else QUESTION_FORMS[self.question]
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        chosen = self.consent_just_recorded()
        answered_already = chosen is not None and guidance.consent_status(self.draft.answers) == _ANSWERED_BY.get(
            chosen.response
        )
        if answered_already and self.page.name == "status":
            # Back from recording the consent asked for on the page that chooses it, with the answer it gives
            # already given: on to choose it.
            return redirect(self.step_to_record_page())
        return self.render(self.form_class(initial=self.initial(), draft=self.draft))

    def post(self, request, *args, **kwargs):
        form = self.form_class(request.POST, draft=self.draft)
        action = request.POST.get("action", "continue")
        if action == "save_later":
            return self.save_for_later(form)
        if form.is_valid():
            return self.save(form)
        return self.render(form)

    # The hooks.

    def step_url(self, step: guidance.Step) -> str:
        return question_url(self.draft, step)

    def save(self, form) -> HttpResponse:
        """Keep the page's answers and go on, as the guidance orders the questions and their pages."""
        if self.page is None:
            self.draft = services.draft_save_answers(
                draft=self.draft, question=self.question, answers=form.to_answers()
            )
            step = guidance.after_saving(self.draft.answers, self.question, from_check=self.from_check)
        else:
            self.draft = services.draft_save_answers(
                draft=self.draft, question=self.question, answers=form.to_answers(), page=self.page.name
            )
            step = guidance.after_saving_page(
                self.draft.answers, self.question, self.page.name, from_check=self.from_check
            )
            if step.question == self.question and step.page == "record" and self.consent_just_recorded():
                # The consent just recorded from the flow, offered on the page that chooses it.
                return redirect(self.step_to_record_page())
        return redirect(self.step_url(step))

    def save_for_later(self, form) -> HttpResponse:
        """ "Save and come back later": what was typed is kept unchecked."""
        typed = _typed(form, self.request.POST)
        if self.page is not None:
            # A choice left unmade on this page is kept as unmade, not as the answer saved before.
            typed = {**dict.fromkeys(self.page.fields, ""), **typed}
        services.draft_save_unsaved(
            draft=self.draft, question=self.question, typed=typed, page=self.page.name if self.page else None
        )
        messages.success(self.request, "Your answers have been saved. You can come back to this decision later.")
        return redirect("sharing:drafts")

    def consent_just_recorded(self):
        """The consent record just recorded from question 4 (``?consent=``), if the question offers it."""
        chosen = self.request.GET.get("consent")
        if self.question != QuestionKey.CONSENT or not chosen:
            return None
        return consents_offered(self.draft).get(chosen)

    def step_to_record_page(self) -> str:
        step = guidance.Step(self.question, from_check=self.from_check, page="record")
        return (
            self.step_url(step)
            + ("&" if self.from_check else "?")
            + urlencode({"consent": self.request.GET["consent"]})
        )

    def initial(self) -> dict:
        """What the page shows first: typed before a time-out, else saved for later, else the answers kept."""
        typed = typed_take(self.request)
        if typed is not None:
            # Typed when the session ended (accounts.kept_typing).
            return _typed(self.form_class(typed, draft=self.draft), typed)
        kept = self.draft.answers.get(self.question, {})
        if self.page is not None:
            # One page of several: its answers kept, under what was typed on it and saved for later.
            fields = self.page.fields
            typed_here = self.draft.unsaved.get(self.question, {})
            initial = {
                **self.form_class.initial_from({name: value for name, value in kept.items() if name in fields}),
                **{name: value for name, value in typed_here.items() if name in fields},
            }
            chosen = self.consent_just_recorded()
            if chosen is not None:
                # Back from recording consent inside the flow: offer that record, and the answer it gives.
                initial.update(status=_ANSWERED_BY.get(chosen.response, ""), consent_record=str(chosen.pk))
            return initial
        if self.question in self.draft.unsaved:
            return dict(self.draft.unsaved[self.question])
        return self.form_class.initial_from(kept)

    def back_url(self) -> str:
        # Back to the check page only when it would show; an unfinished draft
        # sends the check page straight back here.
        if self.from_check and guidance.first_unanswered(self.draft.answers) is None:
            return reverse("sharing:check", args=[self.draft.pk])
        if self.page is not None:
            # Within a question asked over several pages, back to its page before.
            before = guidance.previous_page(self.question, self.page.name, self.draft.answers)
            if before is not None:
                return self.step_url(guidance.step_to_page(self.question, before, from_check=False))
        previous = guidance.previous_question(self.draft.answers, self.question)
        if previous is None:
            return reverse("oversight:child_detail", args=[self.draft.child_id])
        return self.step_url(_last_page(self.draft.answers, previous))

    def consent_add_url(self) -> str | None:
        """Question 4 is answered with a consent record, which can be recorded from the page that chooses it and
        come back."""
        if self.question != QuestionKey.CONSENT or self.page.name != "record":
            return None
        return reverse("consent:add", args=[self.draft.child_id]) + f"?draft={self.draft.pk}"

    def context(self, form) -> dict:
        draft = self.draft
        advised = guidance.recommendation(draft.answers)
        return {
            "draft": draft,
            "form": form,
            "question": guidance.QUESTION_BY_KEY[self.question],
            "notes": guidance.notes_for_page(self.question, self.page.name if self.page else None, draft.answers),
            "page": self.page,
            **self.part(),
            "back_url": self.back_url(),
            "recommendation": advised,
            "recommendation_label": guidance.RECOMMENDATION_LABELS[advised],
            "consent_add_url": self.consent_add_url(),
            "requester_warning": exchange_selectors.requester_warning(draft.request),
            **_advice_on_draft(self.request, draft, back=self.question, page=self.page),
        }

    def part(self) -> dict:
        """Which part of its question the page is: of a question whose pages are all asked, its number of
        how many; of one whose follow-ups depend on its answers, its title only."""
        pages = guidance.pages_of(self.question)
        if self.page is None or any(page.asked for page in pages):
            return {"page_number": None, "page_count": None}
        return {"page_number": pages.index(self.page) + 1, "page_count": len(pages)}

    def render(self, form) -> HttpResponse:
        detail = f"question: {self.question.value}"
        if self.page is not None and self.page != guidance.pages_of(self.question)[0]:
            detail += f", page: {self.page.name}"
        shown(self.request, self.draft, child=self.draft.child, detail=detail)
        return render(self.request, self.template_name, self.context(form))


class ItemsStep(QuestionStep):
    """A question's items so far (3.7.9), each with Change and Remove, and "Do you need to add another item?":
    GOV.UK's "add another" pattern. Each item is added or changed on a page of its own (``ItemStep``), and kept
    in the draft as soon as it is (``services.draft_item_save``), so none is lost going back or changing."""

    template_name = "sharing/items.html"

    def items(self) -> list[dict[str, str]]:
        return guidance.items_of(self.draft.answers, self.question)

    def get(self, request, *args, **kwargs):
        if not self.items():
            return redirect(item_url(self.draft, self.question, 1, from_check=self.from_check))
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        remove = request.POST.get("remove", "")
        if remove.isascii() and remove.isdigit() and len(remove) < 3:
            if len(self.items()) > 1:
                self.draft = services.draft_item_remove(draft=self.draft, question=self.question, number=int(remove))
                messages.success(request, f"Item {remove} has been removed.")
            return redirect(request.get_full_path())
        form = self.form_class(request.POST, draft=self.draft)
        if request.POST.get("action") == "save_later":
            return self.save_for_later(form)
        if not form.is_valid():
            return self.render(form)
        if form.cleaned_data["add_another"]:
            return redirect(item_url(self.draft, self.question, len(self.items()) + 1, from_check=self.from_check))
        return self.save(form)

    def save_for_later(self, form) -> HttpResponse:
        # Each item is kept as it is added: nothing on this page waits to be saved.
        messages.success(self.request, "Your answers have been saved. You can come back to this decision later.")
        return redirect("sharing:drafts")

    def context(self, form) -> dict:
        kinds = dict(summary.ITEM_KINDS)
        items = [
            {
                "number": number,
                "text": item["text"],
                "kind": kinds.get(item["kind"], item["kind"]),
                "change_url": item_url(self.draft, self.question, number, from_check=self.from_check),
            }
            for number, item in enumerate(self.items(), start=1)
        ]
        # The last item is changed, not removed (guidance.ITEMS_PAGE).
        return {**super().context(form), "items": items, "can_remove": len(items) > 1}


class ItemStep(QuestionStep):
    """One item of a question's items (3.7.9): its text, and whether it is fact, opinion, hypothesis or a mixture.

    Number ``n`` is the n-th item, changed here; one more than there are adds one. Its position is all the
    address says of it.
    """

    template_name = "sharing/item.html"
    # Typed on this page and saved for later: {"number": n, "text": ..., "kind": ...} in the draft's unsaved.
    UNSAVED = "item"

    def dispatch(self, request, *args, **kwargs):
        self.number = kwargs.pop("number")
        return super().dispatch(request, *args, page=guidance.ITEMS_PAGE, **kwargs)

    def items(self) -> list[dict[str, str]]:
        return guidance.items_of(self.draft.answers, self.question)

    def get(self, request, *args, **kwargs):
        if not 1 <= self.number <= min(len(self.items()) + 1, guidance.MAX_ITEMS):
            raise Http404("No such item")
        return self.render(ItemForm(initial=self.initial(), number=self.number))

    def post(self, request, *args, **kwargs):
        if not 1 <= self.number <= min(len(self.items()) + 1, guidance.MAX_ITEMS):
            raise Http404("No such item")
        form = ItemForm(request.POST, number=self.number)
        if request.POST.get("action") == "save_later":
            typed = {"number": self.number, **_typed(form, request.POST)}
            services.draft_save_unsaved(
                draft=self.draft, question=self.question, typed={self.UNSAVED: typed}, page=self.page.name
            )
            messages.success(request, "Your answers have been saved. You can come back to this decision later.")
            return redirect("sharing:drafts")
        if not form.is_valid():
            return self.render(form)
        self.draft = services.draft_item_save(
            draft=self.draft, question=self.question, number=self.number, item=form.item()
        )
        return redirect(self.step_url(guidance.step_to_page(self.question, self.page, from_check=self.from_check)))

    def initial(self) -> dict:
        typed = typed_take(self.request)
        if typed is not None:
            return _typed(ItemForm(typed), typed)
        kept = self.draft.unsaved.get(self.question, {}).get(self.UNSAVED)
        if isinstance(kept, dict) and kept.get("number") == self.number:
            return {"text": kept.get("text", ""), "kind": kept.get("kind", "")}
        items = self.items()
        return dict(items[self.number - 1]) if self.number <= len(items) else {}

    def back_url(self) -> str:
        if self.items():
            # Back to the list of items, which keeps every item added.
            return self.step_url(guidance.step_to_page(self.question, self.page, from_check=self.from_check))
        return super().back_url()

    def context(self, form) -> dict:
        return {**super().context(form), "number": self.number, "is_new": self.number > len(self.items())}

    def render(self, form) -> HttpResponse:
        shown(self.request, self.draft, child=self.draft.child, detail=f"question: {self.question.value}, item")
        return render(self.request, self.template_name, self.context(form))


_question_step = QuestionStep.as_view()
_items_step = ItemsStep.as_view()


@require_http_methods(["GET", "POST"])
def _question_page(request, *args, **kwargs):
    """A question's page; its page of items (guidance.ITEMS_PAGE) lists them (ItemsStep)."""
    if kwargs.get("page") == guidance.ITEMS_PAGE:
        return _items_step(request, *args, **kwargs)
    return _question_step(request, *args, **kwargs)


draft_question = logs(Action.VIEW, subject=Subject.DRAFT)(keeps_typing(_question_page))
draft_item = logs(Action.VIEW, subject=Subject.DRAFT)(keeps_typing(ItemStep.as_view()))

# The answer to question 4 a consent record gives, by its response (3.7.2).
_ANSWERED_BY = {"given": guidance.ConsentStatus.OBTAINED, "refused": guidance.ConsentStatus.REFUSED}


def _last_page(answers, question: QuestionKey) -> guidance.Step:
    """The step to the last page of ``question`` asked on ``answers`` (its only page, if it has one)."""
    asked = guidance.pages_asked(answers, question)
    return guidance.step_to_page(question, asked[-1] if asked else None, from_check=False)


def _advice_on_draft(request, draft, back: str, page: guidance.Page | None = None) -> dict:
    """The requests for advice about the draft and their answers (3.5.17), and where to ask for more (and
    come back to: the question, and its page when it is asked over several)."""
    can_ask = request.user.has_perm(Permission.ADVICE_ASK, draft)
    came_from = {"from": back, **({"page": page.name} if page else {})}
    return {
        "advice_asked": advice_selectors.advice_shown(draft.advice_asked, decision_recorded=False),
        "advice_ask_url": reverse("advice:ask", args=[draft.pk]) + "?" + urlencode(came_from) if can_ask else None,
    }


def _task_rows(draft, *, can_edit: bool) -> list[dict]:
    """The draft's task list (guidance.task_list) as the page lists it: a link for each task its author can open."""
    rows = []
    for task in guidance.task_list(draft.answers):
        opens = can_edit and task.status in (guidance.TaskStatus.COMPLETED, guidance.TaskStatus.TO_DO)
        if task.question is None:
            name, url, key = "Check your answers", reverse("sharing:check", args=[draft.pk]), "check"
        else:
            question = guidance.QUESTION_BY_KEY[task.question]
            name = f"Question {question.number}: {question.wording}"
            url = question_url(draft, guidance.Step(task.question, page=task.page))
            key = task.question.value
        rows.append(
            {
                "key": key,
                "name": name,
                "url": url if opens else None,
                "status": task.status.value,
                "status_label": guidance.TASK_STATUS_LABELS[task.status],
                "hint": task.why_not_needed.cited if task.why_not_needed else "",
            }
        )
    return rows


@logs(Action.VIEW, subject=Subject.DRAFT)
@require_http_methods(["GET"])
def draft_task_list(request, draft_id: uuid.UUID):
    """The eight questions with what is done, not needed and why, and still to do; then checking the answers."""
    draft = selectors.draft_get_for_user(user=request.user, draft_id=draft_id)
    if draft.is_recorded:
        return redirect("sharing:decision_detail", decision_id=draft.decision_id)
    can_edit = request.user.has_perm(Permission.DRAFT_EDIT, draft)
    rows = _task_rows(draft, can_edit=can_edit)
    shown(request, draft, child=draft.child, detail="task list")
    return render(
        request,
        "sharing/task_list.html",
        {
            "draft": draft,
            "can_edit": can_edit,
            "questions": rows[:-1],
            "check": rows[-1:],
            "completed": sum(row["status"] == guidance.TaskStatus.COMPLETED for row in rows[:-1]),
            "needed": sum(row["status"] != guidance.TaskStatus.NOT_NEEDED for row in rows[:-1]),
        },
    )


@logs(Action.VIEW, subject=Subject.DRAFT)
@require_http_methods(["GET", "POST"])
def draft_check(request, draft_id: uuid.UUID):
    draft = selectors.draft_get_for_user(user=request.user, draft_id=draft_id, with_advice=True)
    if draft.is_recorded:
        return redirect("sharing:decision_detail", decision_id=draft.decision_id)
    can_edit = request.user.has_perm(Permission.DRAFT_EDIT, draft)
    first = guidance.first_incomplete(draft.answers)
    if first is None and selectors.consent_relied_on_has_lapsed(draft=draft):
        messages.info(
            request, "The consent chosen for this question has since been withdrawn or replaced: answer again."
        )
        first = QuestionKey.CONSENT
    told = None
    if first is None and guidance.reconsider_date_has_passed(draft.answers, timezone.localdate()):
        messages.info(request, "The date to reconsider telling the person has come: choose a date still to come.")
        first = QuestionKey.SHARING
        # 3.5.19: straight to the page that asks for the date.
        told = guidance.step_to_page(first, guidance.page_of_field(first, "reconsider_on"), from_check=True)
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        if first is not None:
            messages.info(request, "Answer this question before recording the decision.")
            return redirect(question_url(draft, told or guidance.resume_at(draft.answers, first, from_check=True)))
        decision = services.decision_record(draft=draft, user=request.user)
        response = redirect("sharing:decision_detail", decision_id=decision.pk)
        _mark_just_recorded(response, decision)
        return response
    if first is not None and can_edit:
        return redirect(question_url(draft, told or guidance.resume_at(draft.answers, first, from_check=True)))
    sections = [
        {
            "question": question,
            "lines": lines,
            "change_url": reverse("sharing:question", args=[draft.pk, question.key]) + "?from=check",
            "rows": _rows_changed_on_their_page(draft, question.key, lines),
        }
        for question, lines in selectors.answer_summaries(draft)
    ]
    advised = guidance.recommendation(draft.answers)
    shown(request, draft, child=draft.child)
    return render(
        request,
        "sharing/check.html",
        {
            "draft": draft,
            "sections": sections,
            "can_edit": can_edit,
            "recommendation_label": guidance.RECOMMENDATION_LABELS[advised],
            "departs": guidance.departs_from_guidance(draft.answers),
            "warnings": guidance.consent_warnings(draft.answers),
            "back_url": question_url(draft, _last_page(draft.answers, QuestionKey.DECISION)),
            "outcome_label": guidance.OUTCOME_LABELS.get(guidance.outcome(draft.answers), ""),
            "requester_warning": exchange_selectors.requester_warning(draft.request),
            **_advice_on_draft(request, draft, back="check"),
        },
    )


def _rows_changed_on_their_page(draft, question: QuestionKey, lines) -> list[dict] | None:
    """A question asked over several pages is changed answer by answer: each line links to its page, and back."""
    if not guidance.pages_of(question):
        return None
    field_of = {label: name for name, label in summary.LABELS[question].items()}
    rows = []
    for label, value in lines:
        item = ITEM_LINE.match(label)
        if item and guidance.page_named(question, guidance.ITEMS_PAGE):
            # An item shared is changed on its own page (3.7.9).
            rows.append(
                {"label": label, "value": value, "change_url": item_url(draft, question, int(item[1]), from_check=True)}
            )
            continue
        # A line that is no answer's label is of the consent record chosen (its snapshot), changed on its page.
        page = guidance.page_of_field(question, field_of.get(label, "consent_summary"))
        step = (
            guidance.step_to_page(question, page, from_check=True) if page else guidance.Step(question, from_check=True)
        )
        rows.append({"label": label, "value": value, "change_url": question_url(draft, step)})
    return rows


# How summary.answer_lines labels an item shared: "Item 2 (opinion)".
ITEM_LINE = re.compile(r"^Item (\d+) \(")


@logs(Action.VIEW, subject=Subject.DRAFTS)
def draft_list(request):
    require_permission(request.user, Permission.DECISION_VIEW)
    drafts = list(selectors.drafts_open_for_user(user=request.user))
    shown(request, detail=f"{len(drafts)} listed")
    return render(request, "sharing/drafts.html", {"drafts": drafts})


@logs(Action.VIEW, subject=Subject.DECISIONS)
def my_decisions(request):
    """The user's own drafts and recorded decisions in their agency, each list a page at a time."""
    require_permission(request.user, Permission.DECISION_VIEW)
    drafts = selectors.my_drafts(user=request.user, page=page_number(request, "drafts_page"))
    decisions = selectors.my_decisions(user=request.user, page=page_number(request))
    shown(
        request,
        detail=f"drafts: {_listed(drafts)}; recorded: {_listed(decisions)}",
    )
    return render(
        request,
        "sharing/my_decisions.html",
        {
            "drafts": drafts,
            "drafts_previous": page_query(request, drafts.number - 1, "drafts_page"),
            "drafts_next": page_query(request, drafts.number + 1, "drafts_page"),
            "decisions": decisions,
            "decisions_previous": page_query(request, decisions.number - 1),
            "decisions_next": page_query(request, decisions.number + 1),
        },
    )


def _listed(listing) -> str:
    if listing.offset or listing.has_more:
        return f"{len(listing.rows)} of {listing.total_label} listed, page {listing.number}"
    return f"{len(listing.rows)} listed"


# The confirmation after recording shows once, on the decision's page: a signed cookie naming only the
# decision's id (no personal data, and no write to the session), cleared when that page is shown.
JUST_RECORDED_SALT = "sharing.just_recorded"
JUST_RECORDED_SECONDS = 300


def _just_recorded_cookie() -> str:
    return cookies.named(cookies.JUST_RECORDED)


def _mark_just_recorded(response: HttpResponse, decision) -> None:
    response.set_signed_cookie(
        _just_recorded_cookie(),
        str(decision.pk),
        salt=JUST_RECORDED_SALT,
        max_age=JUST_RECORDED_SECONDS,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def _is_just_recorded(request, decision) -> bool:
    value = request.get_signed_cookie(
        _just_recorded_cookie(), default=None, salt=JUST_RECORDED_SALT, max_age=JUST_RECORDED_SECONDS
    )
    return value == str(decision.pk)


def _decision_context(request, decision, addendum_form=None, *, on_paper: bool = False) -> dict:
    """What the decision's page shows; ``on_paper``: what its PDF shows (selectors.decision_on_paper), without
    the page's forms and buttons."""
    context = {**selectors.decision_on_paper(decision), "on_paper": on_paper, "printed_at": timezone.localtime()}
    if on_paper:
        return context
    can_add = request.user.has_perm(Permission.ADDENDUM_ADD, decision)
    if addendum_form is None and can_add:
        addendum_form = form_sent_elsewhere(
            request, AddendumForm, posted_to=reverse("sharing:addendum_add", args=[decision.pk])
        )
    return {
        **context,
        "addendum_form": addendum_form,
        "can_disclose": decision.outcome != guidance.Outcome.DO_NOT_SHARE
        and request.user.has_perm(Permission.DISCLOSURE_RECORD, decision),
        "can_review": request.user.has_perm(Permission.DECISION_REVIEW, decision),
        "answered_request": exchange_selectors.answered_request(user=request.user, decision=decision),
    }


@logs(Action.VIEW, subject=Subject.DECISION)
def decision_detail(request, decision_id: uuid.UUID):
    decision = selectors.decision_get_for_user(user=request.user, decision_id=decision_id, with_advice=True)
    shown(request, decision)
    context = _decision_context(request, decision)
    just_recorded = _is_just_recorded(request, decision)
    if just_recorded:
        context["next_steps"] = guidance.next_steps(decision.outcome, decision.reconsider_on)
    response = render(request, "sharing/decision_detail.html", context)
    if just_recorded:
        response.delete_cookie(_just_recorded_cookie(), samesite="Lax")
    return response


@logs(Action.EXPORT, subject=Subject.DECISION)
def decision_pdf(request, decision_id: uuid.UUID):
    """The decision as its page shows it, with its receipt, as a PDF (ADR 20): a download, logged as an export."""
    decision = selectors.decision_get_for_user(user=request.user, decision_id=decision_id, with_advice=True)
    return pdf_download(
        request,
        decision,
        what="decision",
        template="sharing/decision_pdf.html",
        context=_decision_context(request, decision, on_paper=True),
    )


@logs(Action.EXPORT, subject=Subject.DECISION)
def decision_receipt(request, decision_id: uuid.UUID):
    decision = selectors.decision_get_for_user(user=request.user, decision_id=decision_id)
    return receipt_download(
        request,
        decision,
        what="decision",
        back_url=reverse("sharing:decision_detail", args=[decision.pk]),
        back_text="Back to the decision",
    )


def _receipt_of_a_part(request, part, *, what: str):
    """The receipt of a review or an addendum, logged against its decision, whose page shows it (the access
    log has no subject for either)."""
    decision = part.decision
    return receipt_download(
        request,
        part,
        what=what,
        back_url=reverse("sharing:decision_detail", args=[decision.pk]),
        back_text="Back to the decision",
        target=decision,
        detail=f"log receipt of {what} {part.pk}",
    )


@logs(Action.EXPORT, subject=Subject.DECISION)
def review_receipt(request, decision_id: uuid.UUID, review_id: uuid.UUID):
    review = selectors.review_get_for_user(user=request.user, decision_id=decision_id, review_id=review_id)
    return _receipt_of_a_part(request, review, what="review")


@logs(Action.EXPORT, subject=Subject.DECISION)
def addendum_receipt(request, decision_id: uuid.UUID, addendum_id: uuid.UUID):
    addendum = selectors.addendum_get_for_user(user=request.user, decision_id=decision_id, addendum_id=addendum_id)
    return _receipt_of_a_part(request, addendum, what="addendum")


@logs(Action.VIEW, subject=Subject.DECISION)
@keeps_typing
@require_http_methods(["GET", "POST"])
def review_add(request, decision_id: uuid.UUID):
    """A safeguarding lead records their review of someone else's decision."""
    decision = selectors.decision_get_for_user(user=request.user, decision_id=decision_id)
    require_permission(request.user, Permission.DECISION_REVIEW, decision)
    form = form_for(request, ReviewForm)
    if request.method == "POST" and form.is_valid():
        services.review_record(decision=decision, user=request.user, **form.cleaned_data)
        messages.success(request, "Your review has been recorded with the decision.")
        return redirect("sharing:decision_detail", decision_id=decision.pk)
    shown(request, decision, detail="to review")
    return render(request, "sharing/review_form.html", {"decision": decision, "form": form})


@logs(Action.VIEW, subject=Subject.DECISION)
@keeps_typing(shown_on="sharing:decision_detail")
@require_POST
def addendum_create(request, decision_id: uuid.UUID):
    decision = selectors.decision_get_for_user(user=request.user, decision_id=decision_id, with_advice=True)
    require_permission(request.user, Permission.ADDENDUM_ADD, decision)
    form = AddendumForm(request.POST)
    if form.is_valid():
        services.addendum_add(decision=decision, user=request.user, text=form.cleaned_data["text"])
        messages.success(request, "Your addendum has been added to the record.")
        return redirect("sharing:decision_detail", decision_id=decision.pk)
    shown(request, decision, detail="adding an addendum")
    return render(request, "sharing/decision_detail.html", _decision_context(request, decision, addendum_form=form))


# Question 1's list of legal bases (3.5.4), kept by platform administrators.


@shows_no_case_records("the legal bases question 1 offers: reference data")
def legal_basis_list(request):
    require_permission(request.user, Permission.PLATFORM_MANAGE)
    return render(request, "sharing/legal_basis_list.html", {"bases": selectors.legal_bases_all()})


@shows_no_case_records("a form for a legal basis: reference data")
@require_http_methods(["GET", "POST"])
def legal_basis_add(request):
    require_permission(request.user, Permission.PLATFORM_MANAGE)
    form = LegalBasisForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        basis = services.legal_basis_create(user=request.user, details=form.details())
        messages.success(request, f"“{basis.label}” has been added to question 1")
        return redirect("sharing:legal_basis_list")
    return render(request, "sharing/legal_basis_form.html", {"form": form, "basis": None})


@shows_no_case_records("a legal basis: reference data")
@require_http_methods(["GET", "POST"])
def legal_basis_change(request, legal_basis_id: int):
    require_permission(request.user, Permission.PLATFORM_MANAGE)
    basis = selectors.legal_basis_get(legal_basis_id=legal_basis_id)
    form = LegalBasisForm(request.POST if request.method == "POST" else None, basis=basis)
    if request.method == "POST" and form.is_valid():
        services.legal_basis_update(user=request.user, basis=basis, details=form.details())
        messages.success(request, f"“{basis.label}” has been updated")
        return redirect("sharing:legal_basis_list")
    return render(request, "sharing/legal_basis_form.html", {"form": form, "basis": basis})
