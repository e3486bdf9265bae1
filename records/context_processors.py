from records.roles import Permission
from records.rules import has_case_role, is_agency_admin, is_platform_admin

# The header's items for a platform administrator: each is current on its list and the pages behind it.
PLATFORM_SECTIONS = {
    "agencies": {"records:agency_list", "records:agency_add", "records:agency_change", "records:agency_admin_add"},
    "legal_bases": {"sharing:legal_basis_list", "sharing:legal_basis_add", "sharing:legal_basis_change"},
    "administrators": {"records:platform_admin_list", "records:platform_admin_add"},
}


def _platform_section(request) -> str:
    match = getattr(request, "resolver_match", None)
    name = match.view_name if match else ""
    return next((section for section, names in PLATFORM_SECTIONS.items() if name in names), "")


def roles(request):
    """Who is signed in, and which parts of the service their role opens (the header's links)."""
    user = getattr(request, "user", None)
    signed_in = bool(user and user.is_authenticated)
    return {
        "current_membership": user.membership if signed_in else None,
        "can_use_case_records": signed_in and has_case_role(user),
        "can_manage_staff": signed_in and is_agency_admin(user),
        "can_oversee": signed_in and user.has_perm(Permission.OVERSIGHT_VIEW),
        "can_manage_platform": signed_in and is_platform_admin(user),
        "platform_section": _platform_section(request) if signed_in and is_platform_admin(user) else "",
    }
