from records.roles import Permission
from records.rules import has_case_role, is_agency_admin


def roles(request):
    """Who is signed in, and which parts of the service their role opens (the header's links)."""
    user = getattr(request, "user", None)
    signed_in = bool(user and user.is_authenticated)
    return {
        "current_membership": user.membership if signed_in else None,
        "can_use_case_records": signed_in and has_case_role(user),
        "can_manage_staff": signed_in and is_agency_admin(user),
        "can_oversee": signed_in and user.has_perm(Permission.OVERSIGHT_VIEW),
    }
