"""The list of legal bases offered on question 1, maintained by platform
administrators. Recorded decisions, their answers and addenda are case records:
they are not in the admin (records/admin.py says why)."""

from django.contrib import admin

from records.admin import HistoryAdmin
from records.rules import is_platform_admin
from sharing.models import LegalBasis


@admin.register(LegalBasis)
class LegalBasisAdmin(HistoryAdmin):
    # Kept on the service's pages (sharing.views.legal_basis_*); here, for emergencies, one at a time:
    # the list's editable cells had no labels (WCAG 1.3.1, 4.1.2).
    list_display = ["label", "code", "position", "is_active"]

    def has_module_permission(self, request):
        return is_platform_admin(request.user)

    has_view_permission = has_change_permission = has_add_permission = lambda self, request, obj=None: (
        is_platform_admin(request.user)
    )

    def has_delete_permission(self, request, obj=None):
        # Decisions keep the codes they used: retire a basis instead.
        return False
