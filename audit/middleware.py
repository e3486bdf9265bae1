import logging

from django.core.exceptions import PermissionDenied
from django.http import Http404

from audit.models import Action, Subject
from audit.refusals import refused_page
from audit.services import access_record, accounted_for, declared_look

logger = logging.getLogger(__name__)

# The detail of a look the view did not name: the page was logged by the middleware, not by the view.
NOT_NAMED = "the page did not name what it showed"


class RefusedAccessMiddleware:
    """A signed-in user refused a page (not found in their agency, or not allowed) is logged.

    Another agency's record answers 404 like a record that does not exist,
    so the log is where a lead sees someone trying identifiers that are not
    theirs: the lead of the person refused, in that person's audit history,
    and the lead of the child's agency, in the child's (audit.refusals).
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
        # The child the page was about goes in the log, so that the child's own agency sees the attempt in
        # the child's audit history; what the person refused is shown does not change.
        subject, child = refused_page(getattr(request, "resolver_match", None))
        access_record(request=request, action=Action.REFUSED, subject=subject, child=child, detail=detail)
        return None


class EveryLookLoggedMiddleware:
    """A page of a view that declares a look (``core.access_log.logs``), shown without its look logged, is
    logged here: the declared action and subject, the path (which names the record) and who, though not the
    child; and the omission is reported as an error to be fixed. Each view names what it showed
    (``audit.services.shown``), and the role matrix fails for one that does not: this is the net under it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code != 200 or accounted_for(request):
            return response
        declaration = declared_look(request)
        user = getattr(request, "user", None)
        if declaration is None or user is None or not user.is_authenticated:
            return response
        logger.error("%s showed a page without logging the look its view declares", request.path)
        access_record(
            request=request, action=declaration.action, subject=Subject(declaration.subject), detail=NOT_NAMED
        )
        return response
