"""The admin site is for platform administrators only: they manage agencies
and their administrators. Agency administrators manage their own staff on the
service's own pages (records.views.staff_*); practitioners and leads never
reach the admin."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from simple_history.admin import SimpleHistoryAdmin

from accounts import services as account_services
from records import services
from records.models import Adult, Agency, Child, ChildAdultRelationship, StaffMembership, User
from records.rules import is_platform_admin


def _platform_admin_only(request) -> bool:
    return is_platform_admin(request.user)


# Not Django's "is_staff": the admin site opens to platform administrators alone.
admin.site.has_permission = _platform_admin_only


class PlatformAdminMixin:
    """Admin access decided by our role predicates, not Django's model permissions."""

    def has_module_permission(self, request):
        return is_platform_admin(request.user)

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    has_change_permission = has_view_permission

    def has_add_permission(self, request, *args):
        return self.has_module_permission(request)

    def has_delete_permission(self, request, obj=None):
        # Nothing is deleted: agencies and staff are deactivated, so the
        # record of who did what stays intact.
        return False


@admin.register(Agency)
class AgencyAdmin(PlatformAdminMixin, SimpleHistoryAdmin):
    list_display = ["name", "kind", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name"]


class StaffMembershipInline(admin.StackedInline):
    model = StaffMembership
    can_delete = False
    min_num = 1
    max_num = 1
    extra = 0
    fields = ["agency", "role", "job_title", "is_lead_information_officer", "is_caldicott_guardian"]

    def has_view_permission(self, request, obj=None):
        return is_platform_admin(request.user)

    has_change_permission = has_view_permission
    has_add_permission = has_view_permission


class StaffCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ["email", "full_name"]


class StaffChangeForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


@admin.register(User)
class StaffAdmin(PlatformAdminMixin, DjangoUserAdmin, SimpleHistoryAdmin):
    form = StaffChangeForm
    add_form = StaffCreationForm
    inlines = [StaffMembershipInline]
    ordering = ["full_name"]
    list_display = ["full_name", "email", "agency_name", "role_name", "is_active"]
    list_filter = ["is_active", "staff_membership__role", "staff_membership__agency"]
    search_fields = ["full_name", "email"]
    list_select_related = ["staff_membership__agency"]
    readonly_fields = ["last_login", "date_joined", "is_staff"]
    add_fieldsets = [(None, {"fields": ["email", "full_name", "password1", "password2"]})]
    actions = ["reset_two_factor"]

    @admin.action(description="Reset two-factor authentication (a lost phone)", permissions=["change"])
    def reset_two_factor(self, request, queryset):
        for user in queryset:
            account_services.two_factor_reset(user=user)
        self.message_user(
            request,
            f"Two-factor authentication reset for {len(queryset)}: they set it up again when they next sign in.",
        )

    @admin.display(description="Agency")
    def agency_name(self, user):
        return user.agency.name if user.agency else "—"

    @admin.display(description="Role")
    def role_name(self, user):
        return user.membership.get_role_display() if user.membership else "—"

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return self.add_fieldsets
        return [
            (None, {"fields": ["email", "full_name", "password"]}),
            ("Access", {"fields": ["is_active", "is_superuser", "is_staff", "last_login", "date_joined"]}),
        ]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not obj.is_active:
            # Deactivated: signed out everywhere now, not at their next request.
            account_services.user_sessions_end(user=obj)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        services.staff_sync_admin_access(user=form.instance)


class PlatformReadOnlyMixin:
    """Seen here only by platform administrators, and never changed here."""

    def has_module_permission(self, request):
        return is_platform_admin(request.user)

    def has_view_permission(self, request, obj=None):
        return is_platform_admin(request.user)

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class CaseRecordAdmin(PlatformReadOnlyMixin, SimpleHistoryAdmin):
    """Staff use the service's own pages for case records, which check agency and role."""


@admin.register(Child)
class ChildAdmin(CaseRecordAdmin):
    list_display = ["family_name", "given_name", "agency", "date_of_birth", "expected_date_of_birth"]
    list_filter = ["agency"]


@admin.register(Adult)
class AdultAdmin(CaseRecordAdmin):
    list_display = ["family_name", "given_name", "agency"]
    list_filter = ["agency"]


@admin.register(ChildAdultRelationship)
class ChildAdultRelationshipAdmin(CaseRecordAdmin):
    list_display = ["child", "adult", "relationship", "parental_responsibility", "lives_with_child"]
