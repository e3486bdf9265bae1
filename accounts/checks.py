from django.conf import settings
from django.core.checks import Error, register

from accounts.policy import TwoFactorMode


@register()
def two_factor_off_only_for_the_demo(app_configs, **kwargs):
    if settings.TWO_FACTOR == TwoFactorMode.OFF and not settings.DEBUG:
        return [
            Error(
                "TWO_FACTOR=off is for the demo only.",
                hint="Leave TWO_FACTOR unset (everyone) or set it to roles when DEBUG is off.",
                id="accounts.E001",
            )
        ]
    return []
