"""A disclosure being recorded a page at a time, kept on the server (``DisclosureDraft``) until it is recorded.

Each page's answers are kept as they were sent (field name to the values sent, as ``request.POST`` holds
them), so that a page shown again, by "Back" or "Change", shows them as typed; only the check page checks the
whole, and only what applies is recorded (exchange.disclosure_pages). Being in the database, a draft outlives
the session: after a time-out its author signs in again and carries on (what was typed on the page itself
when the session ended comes back through accounts.kept_typing).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.http import QueryDict

from core import typed
from core.typed import as_sent
from exchange import disclosure_pages as pages
from exchange.models import DisclosureDraft
from records.models import User
from sharing import guidance
from sharing.guidance import QuestionKey
from sharing.models import SharingDecision


@dataclass(frozen=True)
class Facts:
    """What the decision says that decides the pages: its consent lapsed, its requester not verified, the consent
    relied on still covering it (whose limits the recipient is told)."""

    consent_lapsed: bool
    unverified: bool
    consent_relied_on: bool


def answers_of(draft: DisclosureDraft, facts: Facts) -> pages.Answers:
    return pages.Answers.from_typed(
        draft.typed,
        consent_lapsed=facts.consent_lapsed,
        unverified=facts.unverified,
        consent_relied_on=facts.consent_relied_on,
    )


def applying_typed(draft: DisclosureDraft, facts: Facts) -> dict[str, list[str]]:
    """What was typed on the pages that still apply, for the answers they still ask: nothing else."""
    dropped = pages.fields_that_do_not_apply(answers_of(draft, facts))
    return typed.without_fields(draft.typed, dropped)


def with_page(draft: DisclosureDraft, *, page: str, sent) -> QueryDict:
    """The draft's answers with one page's (``sent``: its POST) in place of what the page held before."""
    return as_sent(typed.with_page(draft.typed, asked=set(pages.BY_SLUG[page].fields), sent=sent))


def draft_get(*, user: User, decision: SharingDecision) -> DisclosureDraft | None:
    return DisclosureDraft.objects.filter(decision=decision, author=user).first()


def draft_start(*, user: User, decision: SharingDecision) -> DisclosureDraft:
    """The author's draft under the decision, begun if need be from what the decision planned: its items and
    recipient (question 7), to be changed to what actually happened."""
    planned = next((a.answers for a in decision.answers.all() if a.question_key == QuestionKey.SHARING), {})
    recipient = {
        name: [planned[name]] for name in ("recipient_name", "recipient_role", "recipient_agency") if planned.get(name)
    }
    items = [{"text": item["text"], "kind": item["kind"]} for item in planned.get("items") or [] if item.get("text")][
        : guidance.MAX_ITEMS
    ]
    draft, _ = DisclosureDraft.objects.get_or_create(
        decision=decision, author=user, defaults={"typed": recipient, "items": items}
    )
    return draft


@transaction.atomic
def draft_save_page(draft: DisclosureDraft, *, page: str, sent) -> DisclosureDraft:
    """Keep one page's answers (``sent``: the page's POST) in place of what the page held before; a page whose
    answers were given for this page's old answer is asked again (Page.reasked_after)."""
    before = {name: draft.typed.get(name) for name in pages.BY_SLUG[page].fields}
    draft.typed = dict(with_page(draft, page=page, sent=sent).lists())
    after = {name: draft.typed.get(name) for name in pages.BY_SLUG[page].fields}
    reasked = set(pages.pages_reasked(page)) if before != after else set()
    draft.answered = [slug for slug in draft.answered if slug != page and slug not in reasked] + [page]
    draft.save(update_fields=["typed", "answered", "updated_at"])
    return draft


def draft_items_done(draft: DisclosureDraft) -> DisclosureDraft:
    """No more items to add: the items page is answered."""
    if pages.ITEMS not in draft.answered:
        draft.answered = [*draft.answered, pages.ITEMS]
        draft.save(update_fields=["answered", "updated_at"])
    return draft


def draft_reopen(draft: DisclosureDraft, *, page: str) -> None:
    """Ask a page again: an earlier answer changed what it must say."""
    draft.answered = [slug for slug in draft.answered if slug != page]
    draft.save(update_fields=["answered", "updated_at"])


def draft_item_save(draft: DisclosureDraft, *, number: int, item: dict[str, str]) -> DisclosureDraft:
    """Item ``number`` (1 for the first) changed, or added when it is one more than there are."""
    items = list(draft.items)
    if number <= len(items):
        items[number - 1] = item
    else:
        items.append(item)
    draft.items = items
    draft.save(update_fields=["items", "updated_at"])
    return draft


def draft_item_remove(draft: DisclosureDraft, *, number: int) -> DisclosureDraft:
    """Item ``number`` removed; never the last (it is changed instead: ADR 8), so something is always disclosed."""
    if len(draft.items) > 1 and 1 <= number <= len(draft.items):
        draft.items = [item for position, item in enumerate(draft.items, start=1) if position != number]
        draft.save(update_fields=["items", "updated_at"])
    return draft


def draft_forget(draft: DisclosureDraft) -> None:
    DisclosureDraft.objects.filter(pk=draft.pk).delete()
