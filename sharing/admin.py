"""Recorded decisions are read-only everywhere, the admin included; the list
of legal bases is maintained here by platform administrators."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from records.admin import PlatformReadOnlyMixin
from records.rules import is_platform_admin
from sharing.models import Addendum, DecisionAnswer, LegalBasis, SharingDecision


@admin.register(LegalBasis)
class LegalBasisAdmin(SimpleHistoryAdmin):
    list_display = ["label", "code", "position", "is_active"]
    list_editable = ["position", "is_active"]

    def has_module_permission(self, request):
        return is_platform_admin(request.user)

    has_view_permission = has_change_permission = has_add_permission = lambda self, request, obj=None: (
        is_platform_admin(request.user)
    )

    def has_delete_permission(self, request, obj=None):
        # Decisions keep the codes they used: retire a basis instead.
        return False


class ReadOnlyAdmin(PlatformReadOnlyMixin, admin.ModelAdmin):
    pass


class DecisionAnswerInline(admin.TabularInline):
    model = DecisionAnswer
    fields = ["question_number", "question_wording", "summary"]
    readonly_fields = fields
    can_delete = False
    extra = 0

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(SharingDecision)
class SharingDecisionAdmin(ReadOnlyAdmin):
    list_display = ["recorded_at", "agency_name", "outcome", "recorder_name", "decided_at"]
    list_filter = ["agency", "outcome"]
    inlines = [DecisionAnswerInline]


@admin.register(Addendum)
class AddendumAdmin(ReadOnlyAdmin):
    list_display = ["decision", "author_name", "recorded_at"]
