"""A form sent twice is recorded once: the middleware that claims each form's key in ``Submission``."""

import uuid
from datetime import timedelta

from django.contrib import messages
from django.db import DatabaseError, IntegrityError, transaction
from django.shortcuts import redirect, render
from django.utils import timezone

from core.templatetags.submission import FIELD as SUBMISSION_FIELD
from records.models import Submission


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
