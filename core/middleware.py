"""Request plumbing every page goes through: the request's id, caching of signed-in pages, a database that
went away, and a write the service refused (``core.errors.ApplicationError``)."""

import logging

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.cache import patch_cache_control
from django.utils.http import url_has_allowed_host_and_scheme

from core.errors import ApplicationError
from core.logs import request_id_from, request_id_var
from core.templatetags.submission import FIELD as SUBMISSION_FIELD

logger = logging.getLogger(__name__)


class RequestIdMiddleware:
    """Gives each request an id, on every log line written while serving it and on the response.

    The id is the proxy's X-Request-ID when it is a safe token (core.logs.request_id_from), so the proxy's
    log and ours can be matched line for line; otherwise one of our own. It is sent back as X-Request-ID,
    which gunicorn's access log reads (gunicorn.conf.py), and someone reporting a problem can quote it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = request_id_from(request.headers.get("X-Request-ID"))
        request.request_id = request_id
        # Kept until the response is finished (core.logs.request_id_clear), not just until this returns:
        # Django logs a refused request (a 404, a 500) after the middleware, and work done once the page
        # has gone (core.after_response) belongs to the request too.
        request_id_var.set(request_id)
        response = self.get_response(request)
        response["X-Request-ID"] = request_id
        return response


class NoStoreWhenSignedInMiddleware:
    """Pages seen while signed in hold personal data: browsers and proxies must not keep them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, no_store=True, no_cache=True, private=True, max_age=0)
        return response


class DatabaseUnavailableMiddleware:
    """The database went away in the middle of a request (a restart, a dropped connection).

    Whatever the view was writing was in a transaction and has been rolled
    back, so nothing half-written is left. The person gets a clear page, not a
    500, with what they had typed and a button that sends it again; Django
    discards the broken connection when the request ends, so the next request
    connects afresh. The page is rendered without the database (no context
    processors, no session writes).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, (OperationalError, InterfaceError)):
            return None
        # The class of the error and the path only: a database message can quote values.
        logger.warning("Database unavailable (%s) on %s %s", type(exception).__name__, request.method, request.path)
        typed = []
        if request.method == "POST":
            typed = [
                (name, value)
                for name, values in request.POST.lists()
                if name not in ("csrfmiddlewaretoken", SUBMISSION_FIELD)
                for value in values
            ]
        html = render_to_string(
            "503.html",
            {
                "typed": typed,
                "visible": [(name, value) for name, value in typed if value.strip() and len(value) > 1],
                "has_files": bool(request.FILES),
                "path": request.path,
                "csrf_token": get_token(request),
            },
        )
        response = HttpResponse(html, status=503)
        response["Retry-After"] = "5"
        return response


class ApplicationErrorMiddleware:
    """A write the service refused (``core.errors.ApplicationError``) is shown to the person, never a 500.

    The page says what happened in an error summary, that nothing from the
    page was recorded, and what they had typed, to copy; a link goes back to
    the page they were on. Each view need not catch the error: the service
    refusing after the view's own checks passed means someone acted in
    between, and the same page serves every such case.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, ApplicationError):
            return None
        logger.info("Refused (%s) on %s %s", type(exception).__name__, request.method, request.path)
        return render(
            request,
            "core/application_error.html",
            {
                "message": exception.message,
                "typed": _typed(request),
                "has_files": bool(request.FILES),
                "back_url": _back_url(request),
            },
            status=exception.status,
        )


def _typed(request) -> list[tuple[str, str]]:
    """What a POST sent that a person typed or chose: not the CSRF token or the form's key, nor empty fields."""
    if request.method != "POST":
        return []
    return [
        (name, value)
        for name, values in request.POST.lists()
        if name not in ("csrfmiddlewaretoken", SUBMISSION_FIELD)
        for value in values
        if value.strip()
    ]


def _back_url(request) -> str:
    """The page the person was on: the one that sent the form, if it is this service's; else this address."""
    referer = request.META.get("HTTP_REFERER", "")
    if referer and url_has_allowed_host_and_scheme(referer, {request.get_host()}, require_https=request.is_secure()):
        return referer
    return request.get_full_path()
