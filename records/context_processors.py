from django.conf import settings

from records.roles import Permission
from records.rules import has_case_role


def service(request):
    user = getattr(request, "user", None)
    signed_in = bool(user and user.is_authenticated)
    return {
        "service_name": settings.SERVICE_NAME,
        "current_membership": user.membership if signed_in else None,
        "can_use_case_records": signed_in and has_case_role(user),
        "can_review_consents": signed_in and user.has_perm(Permission.CONSENT_REVIEWS),
    }
