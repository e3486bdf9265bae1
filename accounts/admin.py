"""django-otp's admin pages for authenticator apps and recovery codes, with each device a platform
administrator adds or removes there written to the access log (ASVS 16.3.1), as a reset on the staff
pages is (``services.two_factor_reset``).

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
    """Adding or removing a device here is logged, with who did it and whose device it was."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:
            services.second_factor_added(request=request, device=obj, how=IN_THE_ADMIN)

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
