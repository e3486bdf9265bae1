from django.core.exceptions import PermissionDenied
from django.http import Http404

from audit.models import Action, Subject
from audit.services import access_record


class RefusedAccessMiddleware:
    """A signed-in user refused a page (not found in their agency, or not allowed) is logged.

    Another agency's record answers 404 like a record that does not exist,
    so the log is where a lead sees someone trying identifiers that are not theirs.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if isinstance(exception, Http404):
            detail = "not found in the agency"
        elif isinstance(exception, PermissionDenied):
            detail = "not permitted for the role"
        else:
            return None
        access_record(request=request, action=Action.REFUSED, subject=Subject.PAGE, detail=detail)
        return None
