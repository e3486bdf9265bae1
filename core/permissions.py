"""How a view checks permission: ``require_permission(request.user, Permission.X, record)``.

The permissions and the predicates behind them are declared in
``records/roles.py`` and each app's ``rules.py`` (django-rules); a view asks
before it does anything, and a refusal is Django's 403 page, which the access
log records (``audit.middleware.RefusedAccessMiddleware``).
"""

from django.core.exceptions import PermissionDenied


def require_permission(user, permission: str, record=None) -> None:
    if not user.has_perm(permission, record):
        raise PermissionDenied
