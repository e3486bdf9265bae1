"""What someone was typing when their session ended is kept for them, and for
nobody else (ADR 11; WCAG 2.2.1).

A view that shows a form declares it once, ``@keeps_typing``; a form that is
shown on one page and sent to a URL of its own (an addendum on the decision's
page) names that page, ``@keeps_typing(shown_on="sharing:decision_detail")``,
whose URL takes the same arguments. When the next request of a signed-in
session that has ended is a POST to such a view, ``SessionLimitsMiddleware``
signs the person out, keeps what they sent in the session that follows (for
them alone: signing in as anyone else forgets it), and sends them to sign in
and then back to the page, which takes it back (``typed_take``) and shows it,
unchecked, to be sent again. Files are never kept: the page asks for them
again.

Nothing is kept for anyone who was not signed in: their POST is answered by
``LoginRequiredMiddleware`` before any view runs, and writes nothing to the
session table (ASVS 2.4.1). What is kept is at most one request body, which
``DATA_UPLOAD_MAX_MEMORY_SIZE`` bounds.
"""

from dataclasses import dataclass

from django.contrib import messages
from django.http import QueryDict
from django.urls import Resolver404, resolve, reverse

from core.templatetags.submission import FIELD as SUBMISSION_FIELD

# The session key of what was typed: {"user": ..., "posted_to": ..., "data": {...}, "files": bool}.
TYPED_BEFORE_SIGN_IN = "typed_before_sign_in"
# Added by the time-out warning's script (static/js/session-timeout.js) to the
# form it sends when time has run out in the browser: keep what was typed and
# never act on the form, whatever the server's clock says.
TIMED_OUT_PARAMETER = "timed-out"
# Never kept: the CSRF token and the key that makes a form record once belong to the page that sent them.
NOT_KEPT = frozenset({"csrfmiddlewaretoken", SUBMISSION_FIELD})

KEPT_MESSAGE = "You were signed out before this page was saved. What you typed has been kept below."
FILES_NOT_KEPT = " Choose any file again: files are not kept."


@dataclass(frozen=True)
class KeepsTyping:
    # The URL name of the page that shows the form, when it is not the URL the form is sent to.
    shown_on: str | None = None


def keeps_typing(view=None, *, shown_on: str | None = None):
    """Declare that a view's form keeps what was typed through a time-out and signing in again."""

    def declare(function):
        function.keeps_typing = KeepsTyping(shown_on=shown_on)
        return function

    return declare(view) if view is not None else declare


@dataclass(frozen=True)
class TypedPost:
    """A POST to a view that keeps typing: the view, and the page to come back to."""

    view: object
    return_to: str


def typed_post(request) -> TypedPost | None:
    """The POST's view and page to return to, when that view keeps typing; else None."""
    if request.method != "POST":
        return None
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return None
    declared = getattr(match.func, "keeps_typing", None)
    if declared is None:
        return None
    if declared.shown_on:
        return_to = reverse(declared.shown_on, args=match.args, kwargs=match.kwargs)
    else:
        query = request.GET.copy()
        query.pop(TIMED_OUT_PARAMETER, None)
        return_to = request.path + (f"?{query.urlencode()}" if query else "")
    return TypedPost(view=match.func, return_to=return_to)


def typed_keep(*, request, user_id) -> None:
    """Keep what this POST sent (but files, the CSRF token and the submission
    key) for this person; a form sent with nothing typed in it leaves nothing."""
    data = {
        name: [value.replace("\x00", "") for value in values]
        for name, values in request.POST.lists()
        if name not in NOT_KEPT
    }
    if not request.FILES and not any(value.strip() for values in data.values() for value in values):
        return
    request.session[TYPED_BEFORE_SIGN_IN] = {
        "user": str(user_id),
        "posted_to": request.path,
        "data": data,
        "files": bool(request.FILES),
    }


def typed_forget_unless_for(*, request, user) -> None:
    """At sign-in: what someone else typed is forgotten, never shown to this person; work in progress carried
    over a time-out (``carried_keep``) is theirs again."""
    kept = request.session.get(TYPED_BEFORE_SIGN_IN)
    if kept is not None and kept.get("user") != str(user.pk):
        del request.session[TYPED_BEFORE_SIGN_IN]
    carried = request.session.pop(CARRIED_OVER_SIGN_IN, None)
    if carried is not None and carried.get("user") == str(user.pk):
        request.session.update(carried["keys"])


# Session keys that hold work in progress on the server (a consent recorded a page at a time: consent.drafts),
# registered by their apps. When a session times out they are carried into the session that follows, for the
# same person alone, as what was typed is.
CARRIED_KEYS: set[str] = set()
CARRIED_OVER_SIGN_IN = "carried_over_sign_in"


def carried_take(request) -> dict:
    """The work in progress of a session about to end."""
    return {key: request.session[key] for key in CARRIED_KEYS if key in request.session}


def carried_keep(*, request, carried: dict, user_id) -> None:
    """Keep it, in the session that follows, for this person to take back when they sign in again."""
    if carried:
        request.session[CARRIED_OVER_SIGN_IN] = {"user": str(user_id), "keys": carried}


def typed_take(request, *, posted_to: str | None = None) -> QueryDict | None:
    """What the signed-in person typed before their session ended, as sent to
    ``posted_to`` (this page's own URL unless given), then gone from the
    session; None if nothing was kept for it. Says so on the page."""
    kept = request.session.get(TYPED_BEFORE_SIGN_IN)
    if not kept or kept.get("posted_to") != (posted_to or request.path):
        return None
    del request.session[TYPED_BEFORE_SIGN_IN]
    if kept.get("user") != str(request.user.pk):
        return None
    typed = QueryDict(mutable=True)
    for name, values in kept["data"].items():
        typed.setlist(name, values)
    messages.info(request, KEPT_MESSAGE + (FILES_NOT_KEPT if kept.get("files") else ""))
    return typed


def typed_initial(form) -> dict:
    """What was typed into a form bound to ``typed_take``'s answer, field by
    field and unchecked, as initial values for the same form shown afresh:
    shown again without error messages, to be sent when the person is ready."""
    return {
        name: field.widget.value_from_datadict(form.data, form.files, form.add_prefix(name))
        for name, field in form.fields.items()
    }


def form_for(request, form_class, *, initial=None, posted_to: str | None = None, **kwargs):
    """The form of a page that keeps typing (``@keeps_typing``): bound to what
    was sent; else showing what was typed before a time-out, unchecked; else
    as new, with ``initial``."""
    if request.method == "POST":
        return form_class(request.POST, request.FILES, initial=initial, **kwargs)
    typed = typed_take(request, posted_to=posted_to)
    if typed is not None:
        initial = typed_initial(form_class(typed, initial=initial, **kwargs))
    return form_class(initial=initial, **kwargs)


def form_sent_elsewhere(request, form_class, *, posted_to: str, **kwargs):
    """A form this page shows but sends to ``posted_to`` (a view declared with
    ``@keeps_typing(shown_on=...)``): with what was typed into it when the
    session ended, unchecked, or as new."""
    typed = typed_take(request, posted_to=posted_to) if request.method == "GET" else None
    if typed is None:
        return form_class(**kwargs)
    return form_class(initial=typed_initial(form_class(typed, **kwargs)), **kwargs)
