"""The admin site: platform administrators manage agencies; agency
administrators manage the staff of their own agency. Practitioners and leads
never reach it (they are not ``is_staff``)."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from simple_history.admin import SimpleHistoryAdmin

from records import services
from records.models import Adult, Agency, Child, ChildAdultRelationship, StaffMembership, User
from records.rules import is_agency_admin, is_platform_admin


def _own_agency_id(request):
    agency = request.user.agency
    return agency.pk if agency else None


class PlatformOrAgencyAdminMixin:
    """Admin access decided by our role predicates, not Django's model permissions."""

    def has_module_permission(self, request):
        return is_platform_admin(request.user) or is_agency_admin(request.user)

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request) and (obj is None or self.in_scope(request, obj))

    def has_change_permission(self, request, obj=None):
        return self.has_view_permission(request, obj)

    def has_add_permission(self, request, *args):
        return self.has_module_permission(request)

    def has_delete_permission(self, request, obj=None):
        # Nothing is deleted: agencies and staff are deactivated, so the
        # record of who did what stays intact.
        return False

    def in_scope(self, request, obj) -> bool:
        raise NotImplementedError


@admin.register(Agency)
class AgencyAdmin(PlatformOrAgencyAdminMixin, SimpleHistoryAdmin):
    list_display = ["name", "kind", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name"]

    def get_queryset(self, request):
        agencies = super().get_queryset(request)
        if is_platform_admin(request.user):
            return agencies
        return agencies.filter(pk=_own_agency_id(request))

    def in_scope(self, request, obj):
        return is_platform_admin(request.user) or obj.pk == _own_agency_id(request)

    def has_add_permission(self, request, *args):
        return is_platform_admin(request.user)

    def get_readonly_fields(self, request, obj=None):
        if is_platform_admin(request.user):
            return []
        return ["name", "kind", "is_active"]


class StaffMembershipInline(admin.StackedInline):
    model = StaffMembership
    can_delete = False
    min_num = 1
    max_num = 1
    extra = 0
    fields = ["agency", "role", "job_title", "is_lead_information_officer", "is_caldicott_guardian"]

    def has_view_permission(self, request, obj=None):
        return is_platform_admin(request.user) or is_agency_admin(request.user)

    has_change_permission = has_view_permission
    has_add_permission = has_view_permission

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "agency" and not is_platform_admin(request.user):
            kwargs["queryset"] = Agency.objects.filter(pk=_own_agency_id(request))
            kwargs["initial"] = _own_agency_id(request)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class StaffCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ["email", "full_name"]


class StaffChangeForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


@admin.register(User)
class StaffAdmin(PlatformOrAgencyAdminMixin, DjangoUserAdmin, SimpleHistoryAdmin):
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

    @admin.display(description="Agency")
    def agency_name(self, user):
        return user.agency.name if user.agency else "—"

    @admin.display(description="Role")
    def role_name(self, user):
        return user.membership.get_role_display() if user.membership else "—"

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return self.add_fieldsets
        fieldsets = [
            (None, {"fields": ["email", "full_name", "password"]}),
            ("Access", {"fields": ["is_active", "is_staff", "last_login", "date_joined"]}),
        ]
        if is_platform_admin(request.user):
            fieldsets[1][1]["fields"].insert(2, "is_superuser")
        return fieldsets

    def get_queryset(self, request):
        users = super().get_queryset(request)
        if is_platform_admin(request.user):
            return users
        return users.filter(staff_membership__agency_id=_own_agency_id(request), is_superuser=False)

    def in_scope(self, request, obj):
        if is_platform_admin(request.user):
            return True
        return obj.agency is not None and obj.agency.pk == _own_agency_id(request) and not obj.is_superuser

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        membership = form.instance.membership
        if membership is not None:
            services.staff_sync_admin_access(membership=membership)


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
