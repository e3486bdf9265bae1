"""A request for information being logged (or corrected) over several pages, kept on the server in the person's
session until it is recorded.

Each page's answers are kept as they were sent (field name to the values sent,
as ``request.POST`` holds them), so that a page shown again, by "Back" or
"Change", shows them as typed; only the check page validates the whole, and
only what applies is recorded (exchange.request_pages). A draft belongs to its
session: a time-out carries it into the next session of the same person
(accounts.kept_typing.CARRIED_KEYS, registered in exchange.apps), signing out
ends it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.http import QueryDict

from core import typed
from core.typed import as_sent, field_of
from exchange import request_pages as pages

SESSION_KEY = "request_drafts"
# Drafts kept in one session at most: the oldest is forgotten first.
KEPT = 5


@dataclass
class RequestDraft:
    key: str
    typed: dict[str, list[str]] = field(default_factory=dict)
    answered: list[str] = field(default_factory=list)

    def applying_typed(self, answers: pages.Answers) -> dict[str, list[str]]:
        """What was typed on the pages that still apply: nothing from a page that no longer does."""
        dropped = pages.fields_that_do_not_apply(answers)
        return typed.without_fields(self.typed, dropped)

    @property
    def answered_pages(self) -> set[str]:
        return set(self.answered)


def holds_answers_for(draft: RequestDraft, page: str) -> bool:
    """Something is kept for the page: answered before, or chosen for it already (draft_preselect_adults)."""
    asked = set(pages.BY_SLUG[page].fields)
    return page in draft.answered_pages or any(field_of(name) in asked for name in draft.typed)


def draft_key(*, child_id=None, correcting=None) -> str:
    """A new request about a child, or the correction of a logged one."""
    return f"correct:{correcting}" if correcting else f"log:{child_id}"


def draft_get(session, key: str) -> RequestDraft:
    kept = session.get(SESSION_KEY, {}).get(key)
    if kept is None:
        return RequestDraft(key=key)
    return RequestDraft(key=key, typed=kept["typed"], answered=kept["answered"])


def _keep(session, draft: RequestDraft) -> None:
    drafts = dict(session.get(SESSION_KEY, {}))
    drafts.pop(draft.key, None)
    drafts[draft.key] = {"typed": draft.typed, "answered": draft.answered}
    for oldest in list(drafts)[:-KEPT]:
        del drafts[oldest]
    session[SESSION_KEY] = drafts


def with_page(draft: RequestDraft, *, page: str, sent) -> QueryDict:
    """The draft's answers with one page's (``sent``: its POST) in place of what the page held before."""
    return as_sent(typed.with_page(draft.typed, asked=set(pages.BY_SLUG[page].fields), sent=sent))


def draft_save_page(session, draft: RequestDraft, *, page: str, sent) -> RequestDraft:
    """Keep one page's answers (``sent``: the page's POST) in place of what the page held before."""
    draft.typed = dict(with_page(draft, page=page, sent=sent).lists())
    draft.answered = typed.answered_last(draft.answered, page)
    _keep(session, draft)
    return draft


def draft_preselect_adults(session, draft: RequestDraft, *, adult_ids: list[str]) -> None:
    """The adults a decision was being started about, chosen already on the adults page (still to be answered)."""
    if "adults" not in draft.answered_pages and adult_ids:
        draft.typed["adults"] = adult_ids
        _keep(session, draft)


def draft_start_correcting(session, key: str, *, logged: dict[str, list[str]]) -> RequestDraft:
    """A correction starts from the request as it is logged, every page answered: its check page first."""
    draft = RequestDraft(key=key, typed=logged, answered=[page.slug for page in pages.PAGES])
    _keep(session, draft)
    return draft


def draft_reopen(session, draft: RequestDraft, *, page: str) -> None:
    """Ask a page again: its answer is no longer right (checked again on the check page)."""
    draft.answered = [slug for slug in draft.answered if slug != page]
    _keep(session, draft)


def draft_forget(session, draft: RequestDraft) -> None:
    drafts = dict(session.get(SESSION_KEY, {}))
    drafts.pop(draft.key, None)
    session[SESSION_KEY] = drafts
