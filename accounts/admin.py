"""django-otp's admin pages for authenticator apps and recovery codes: a platform administrator may
remove a device, which is written to the access log (ASVS 16.3.1) as a reset on the staff pages is
(``services.two_factor_reset``), and may not add one.

django-otp registers its own admin classes; these replace them (this app comes after django-otp's in
INSTALLED_APPS, so theirs are registered by the time this module is read).
"""

from django.contrib import admin
from django_otp.plugins.otp_static.admin import StaticDeviceAdmin
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import services

IN_THE_ADMIN = "in the admin"


class LoggedDeviceAdmin:
    """Removing a device here is logged, with who did it and whose device it was. Nobody adds one here:
    whoever adds a device knows its secret, and a second factor is only ever set up by its owner (keys and
    recovery codes are hidden here too: OTP_ADMIN_HIDE_SENSITIVE_DATA)."""

    def has_add_permission(self, request):
        return False

    def delete_model(self, request, obj):
        services.second_factor_delete(request=request, device=obj, how=IN_THE_ADMIN)

    def delete_queryset(self, request, queryset):
        for device in queryset:
            services.second_factor_delete(request=request, device=device, how=IN_THE_ADMIN)


class LoggedTOTPDeviceAdmin(LoggedDeviceAdmin, TOTPDeviceAdmin):
    pass


class LoggedStaticDeviceAdmin(LoggedDeviceAdmin, StaticDeviceAdmin):
    pass


for model, model_admin in ((TOTPDevice, LoggedTOTPDeviceAdmin), (StaticDevice, LoggedStaticDeviceAdmin)):
    if admin.site.is_registered(model):
        admin.site.unregister(model)
    admin.site.register(model, model_admin)
