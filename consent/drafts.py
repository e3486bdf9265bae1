"""A consent being recorded over several pages, kept on the server in the person's session until it is recorded.

Each page's answers are kept as they were sent (field name to the values
sent, as ``request.POST`` holds them), so that a page shown again, by "Back"
or "Change", shows them as typed; only the check page validates the whole,
and only what applies is recorded (consent.pages). A signed form chosen on
its page is kept in private storage under a random name until the consent is
recorded (a draft never recorded takes its form with it after PENDING_HOURS).
A draft belongs to its session: a time-out carries it into the next session
of the same person (accounts.kept_typing.CARRIED_KEYS), signing out ends it.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass, field

from django.core.files.base import File
from django.http import QueryDict

from consent import pages
from consent.storage import private_storage
from core import typed
from core.typed import as_sent

SESSION_KEY = "consent_drafts"
# Drafts kept in one session at most: the oldest is forgotten first.
KEPT = 5
PENDING_FOLDER = "consent-forms/pending"
# A signed form kept for a draft never recorded is removed after this long (a session's longest life).
PENDING_HOURS = 12


@dataclass
class ConsentDraft:
    key: str
    typed: dict[str, list[str]] = field(default_factory=dict)
    answered: list[str] = field(default_factory=list)
    # The signed form kept for it: {"name": storage name, "type": content type, "size": bytes}.
    signed_form: dict | None = None

    @property
    def answers(self) -> pages.Answers:
        return pages.Answers.from_typed(self.typed)

    def applying_typed(self) -> dict[str, list[str]]:
        """What was typed on the pages that still apply: nothing from a page that no longer does."""
        dropped = pages.fields_that_do_not_apply(self.answers)
        return typed.without_fields(self.typed, dropped)

    @property
    def answered_pages(self) -> set[str]:
        return set(self.answered)


def draft_key(*, child_id, renews=None, decision_draft=None) -> str:
    return f"{child_id}:{renews or ''}:{decision_draft or ''}"


def draft_get(session, key: str) -> ConsentDraft:
    kept = session.get(SESSION_KEY, {}).get(key)
    if kept is None:
        return ConsentDraft(key=key)
    return ConsentDraft(key=key, typed=kept["typed"], answered=kept["answered"], signed_form=kept["signed_form"])


def _keep(session, draft: ConsentDraft) -> None:
    drafts = dict(session.get(SESSION_KEY, {}))
    drafts.pop(draft.key, None)
    drafts[draft.key] = {"typed": draft.typed, "answered": draft.answered, "signed_form": draft.signed_form}
    for oldest in list(drafts)[:-KEPT]:
        _remove_signed_form(drafts[oldest].get("signed_form"))
        del drafts[oldest]
    session[SESSION_KEY] = drafts


def with_page(draft: ConsentDraft, *, page: str, sent) -> QueryDict:
    """The draft's answers with one page's (``sent``: its POST) in place of what the page held before."""
    answers = typed.with_page(draft.typed, asked=set(pages.BY_SLUG[page].fields), sent=sent)
    if page == "about" and answers.get("about", ["child"]) != ["child"]:
        # An adult answers about their own information: who answered is not asked (consent.pages).
        answers["responder"] = answers["about"]
    return as_sent(answers)


def draft_save_page(session, draft: ConsentDraft, *, page: str, sent) -> ConsentDraft:
    """Keep one page's answers (``sent``: the page's POST) in place of what the page held before."""
    draft.typed = dict(with_page(draft, page=page, sent=sent).lists())
    draft.answered = typed.answered_last(draft.answered, page)
    _keep(session, draft)
    return draft


def draft_reopen(session, draft: ConsentDraft, *, page: str) -> None:
    """Ask a page again: an earlier answer changed since it was answered."""
    draft.answered = [slug for slug in draft.answered if slug != page]
    _keep(session, draft)


def draft_keep_signed_form(session, draft: ConsentDraft, *, upload, content_type: str) -> None:
    """Keep the signed form chosen, under a random name, in place of any kept before."""
    _remove_stale_signed_forms()
    _remove_signed_form(draft.signed_form)
    name = private_storage().save(f"{PENDING_FOLDER}/{uuid.uuid4().hex}", upload)
    draft.signed_form = {"name": name, "type": content_type, "size": upload.size}
    _keep(session, draft)


def signed_form_open(draft: ConsentDraft) -> File | None:
    """The signed form kept for the draft, open to be recorded; None if there is none (or it has gone)."""
    if draft.signed_form is None or not private_storage().exists(draft.signed_form["name"]):
        return None
    return File(private_storage().open(draft.signed_form["name"], "rb"), name="signed-form")


def draft_forget(session, draft: ConsentDraft) -> None:
    _remove_signed_form(draft.signed_form)
    drafts = dict(session.get(SESSION_KEY, {}))
    drafts.pop(draft.key, None)
    session[SESSION_KEY] = drafts


def _remove_signed_form(kept: dict | None) -> None:
    if kept is not None:
        private_storage().delete(kept["name"])


def _remove_stale_signed_forms() -> None:
    """Signed forms kept for drafts never recorded (their session ended) go once a session could not still hold
    them."""
    storage = private_storage()
    if not storage.exists(PENDING_FOLDER):
        return
    oldest = time.time() - PENDING_HOURS * 3600
    for name in storage.listdir(PENDING_FOLDER)[1]:
        path = f"{PENDING_FOLDER}/{name}"
        if storage.get_modified_time(path).timestamp() < oldest:
            storage.delete(path)
