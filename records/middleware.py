import logging
import uuid
from datetime import timedelta

from django.contrib import messages
from django.db import DatabaseError, IntegrityError, InterfaceError, OperationalError, transaction
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.cache import patch_cache_control

from records.models import Submission
from records.templatetags.submission import FIELD as SUBMISSION_FIELD

logger = logging.getLogger(__name__)


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


class SubmitOnceMiddleware:
    """A form sent twice is recorded once.

    Forms that record something carry a key (``{% submission_key %}``). The
    first send with a key claims it; when the view answers with a redirect
    (the record was saved) the destination is kept, and any later send with
    the same key is sent there instead of saving again. A send refused with
    errors gives the key back, so the corrected form can be sent. A send that
    arrives while the first is still being handled is told so.
    """

    ABANDONED_AFTER = timedelta(minutes=2)

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        key = self._key(request)
        if key is None:
            return self.get_response(request)
        claimed, earlier = self._claim(request, key)
        if not claimed:
            if earlier.result_url:
                messages.info(request, "That form had already been sent: this is what was recorded.")
                return redirect(earlier.result_url)
            return render(request, "submission_in_progress.html", {"path": request.path}, status=409)
        response = self.get_response(request)
        try:
            if response.status_code in (301, 302, 303) and response.has_header("Location"):
                Submission.objects.filter(key=key).update(result_url=response["Location"][:300])
            else:
                Submission.objects.filter(key=key).delete()
        except DatabaseError:
            # The database went away: the page already says nothing was recorded.
            pass
        return response

    @staticmethod
    def _key(request) -> uuid.UUID | None:
        if request.method != "POST" or not request.user.is_authenticated:
            return None
        try:
            return uuid.UUID(request.POST.get(SUBMISSION_FIELD, ""))
        except ValueError:
            return None

    def _claim(self, request, key) -> tuple[bool, Submission | None]:
        for first_try in (True, False):
            try:
                with transaction.atomic():
                    Submission.objects.create(key=key, user=request.user, path=request.path[:300])
                return True, None
            except IntegrityError:
                earlier = Submission.objects.filter(key=key, user=request.user).first()
                if earlier is None:
                    # Someone else's key: not theirs to replay; handle the form as sent without one.
                    return True, None
                abandoned = not earlier.result_url and earlier.started_at < timezone.now() - self.ABANDONED_AFTER
                if not (first_try and abandoned):
                    return False, earlier
                # The first send never finished (its worker died): this one takes the key.
                Submission.objects.filter(pk=earlier.pk, result_url="", started_at=earlier.started_at).delete()
        return False, earlier
