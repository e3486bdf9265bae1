"""The admin site is for platform administrators only, and holds no case records.

They manage agencies, the accounts of their staff (by invitation: nobody sets
another person's password here) and the list of legal bases
(sharing/admin.py); they also lift sign-in lockouts (django-axes) and remove a
lost authenticator (django-otp). Children, adults, their relationships,
decisions, consents, requests, disclosures, reviews and their change
histories are not registered: they are read only on the service's own pages,
which check the agency and the role and log every look (ASVS 8.2.2, 8.4.1,
16.3.2). ``tests/records/test_admin.py`` holds the list of what may be here.

Agency administrators manage their own staff on the service's pages
(records.views.staff_*); practitioners and leads never reach the admin.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseNotAllowed
from simple_history.admin import SimpleHistoryAdmin

from accounts import services as account_services
from records import services
from records.models import Agency, StaffMembership, User
from records.rules import is_platform_admin


def _platform_admin_only(request) -> bool:
    return is_platform_admin(request.user)


# Not Django's "is_staff": the admin site opens to platform administrators alone.
admin.site.has_permission = _platform_admin_only
# Roles come from a staff membership and the rules (records/roles.py), not
# from Django's groups: a group here would grant nothing, so it is not offered.
admin.site.unregister(Group)


class HistoryAdmin(SimpleHistoryAdmin):
    """A row's change history, to read. A past version is shown, never put
    back (simple-history's "revert"), and a row or version whose id is not a
    number is not found, instead of the server error each used to be
    (``/admin/records/user/<id>/password/history/``: the user's "password"
    history, reached from the address of Django's password form)."""

    def revert_disabled(self, request, obj=None):
        return True

    def _row_id_or_404(self, object_id) -> None:
        # The admin's own change page treats such an id as "no such row";
        # simple-history's pages ask the database with it and fail.
        try:
            self.model._meta.pk.to_python(unquote(object_id))
        except ValidationError as error:
            raise Http404("No such row") from error

    def history_view(self, request, object_id, extra_context=None):
        self._row_id_or_404(object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self._row_id_or_404(object_id)
        if not str(version_id).isdigit():
            raise Http404("No such version")
        if request.method != "GET":
            return HttpResponseNotAllowed(["GET"])
        return super().history_form_view(request, object_id, version_id, extra_context)


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
class AgencyAdmin(PlatformAdminMixin, HistoryAdmin):
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


class StaffAddForm(forms.ModelForm):
    """A new account: a name and an email address, never a password. The
    person is sent an invitation and chooses their own (ASVS 6.4.1, 6.4.6)."""

    class Meta:
        model = User
        fields = ["email", "full_name"]

    def clean_email(self):
        email = User.objects.normalize_email(self.cleaned_data["email"]).lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError("Someone already signs in with this email address")
        return email


class StaffChangeForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["email", "full_name", "is_active", "is_superuser"]


@admin.register(User)
class StaffAdmin(PlatformAdminMixin, HistoryAdmin):
    form = StaffChangeForm
    add_form = StaffAddForm
    inlines = [StaffMembershipInline]
    ordering = ["full_name"]
    list_display = ["full_name", "email", "agency_name", "role_name", "is_active"]
    list_filter = ["is_active", "staff_membership__role", "staff_membership__agency"]
    search_fields = ["full_name", "email"]
    list_select_related = ["staff_membership__agency"]
    readonly_fields = ["last_login", "date_joined", "is_staff"]
    actions = ["send_password_link", "reset_two_factor"]

    @admin.display(description="Agency")
    def agency_name(self, user):
        return user.agency.name if user.agency else "—"

    @admin.display(description="Role")
    def role_name(self, user):
        return user.role_then.role or "—"

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = self.add_form
        return super().get_form(request, obj, **kwargs)

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return [(None, {"fields": ["email", "full_name"]})]
        return [
            (None, {"fields": ["email", "full_name"]}),
            ("Access", {"fields": ["is_active", "is_superuser", "is_staff", "last_login", "date_joined"]}),
        ]

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj is not None else []

    def save_model(self, request, obj, form, change):
        if not change:
            # Nobody knows a password for the new account: they choose one
            # through the invitation sent once their place is saved.
            obj.set_unusable_password()
        super().save_model(request, obj, form, change)
        if not obj.is_active:
            # Deactivated: signed out everywhere now, not at their next request.
            account_services.user_sessions_end(user=obj)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        services.staff_sync_admin_access(user=form.instance)
        if not change:
            self._send_link(request, form.instance)

    def _send_link(self, request, user) -> None:
        sent = account_services.password_link_send(request=request, user=user)
        if sent is None:
            self.message_user(
                request, f"No email was sent to {user.email}: the account is deactivated.", messages.WARNING
            )
        elif not sent.delivered:
            self.message_user(
                request,
                f"The email to {user.email} could not be sent. Check the email settings, then send it again.",
                messages.ERROR,
            )
        else:
            self.message_user(request, f"{sent.description} has been sent to {user.email}.")

    @admin.action(description="Send a new invitation, or a password reset link (a current password stops working)")
    def send_password_link(self, request, queryset):
        for user in queryset:
            self._send_link(request, user)

    @admin.action(description="Reset two-factor authentication (a lost phone)", permissions=["change"])
    def reset_two_factor(self, request, queryset):
        for user in queryset:
            account_services.two_factor_reset(user=user, request=request)
        self.message_user(
            request,
            f"Two-factor authentication reset for {len(queryset)}: they set it up again when they next sign in.",
        )
