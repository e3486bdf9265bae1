import math
import re

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django_otp import verify_token
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

AUTHENTICATOR_CODE = re.compile(r"^\d{6}$")
# StaticToken.random_token(): 8 characters of base 32, shown in lower case.
RECOVERY_CODE = re.compile(r"^[a-z2-7]{8}$")


def _normalised(value: str) -> str:
    """Codes as people type them: with spaces or dashes, in either case."""
    return re.sub(r"[\s-]", "", value or "").lower()


def _wait_message(device) -> str | None:
    """Too many wrong codes in a row: django-otp makes each next try wait longer."""
    allowed, details = device.verify_is_allowed()
    if allowed or not details or "locked_until" not in details:
        return None
    seconds = max(1, math.ceil((details["locked_until"] - timezone.now()).total_seconds()))
    wait = f"{seconds} second{'s' if seconds != 1 else ''}" if seconds < 120 else f"{seconds // 60} minutes"
    return f"There have been too many wrong codes. Wait {wait}, then try again"


class CodeForm(forms.Form):
    code = forms.CharField(max_length=40, strip=True)
    label = "Code"
    hint = ""
    required_message = "Enter the 6-digit code from your authenticator app"
    input_attributes: dict[str, str] = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["code"]
        field.label = self.label
        field.help_text = self.hint
        field.error_messages["required"] = self.required_message
        field.error_messages["max_length"] = self.required_message
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.text(
                "code",
                label_size=Size.SMALL,
                field_width=10,
                autocomplete="one-time-code",
                spellcheck="false",
                autocapitalize="none",
                **self.input_attributes,
            )
        )


class SignInCodeForm(CodeForm):
    """The second step of signing in: a code from the app, or a recovery code."""

    hint = "The 6-digit code your authenticator app shows now, or one of your recovery codes"

    def __init__(self, *args, user, **kwargs):
        self.user = user
        self.device = None
        super().__init__(*args, **kwargs)

    def clean_code(self):
        code = _normalised(self.cleaned_data["code"])
        if AUTHENTICATOR_CODE.match(code):
            devices, wrong = TOTPDevice, "The code is not right. Enter the code your authenticator app shows now"
        elif RECOVERY_CODE.match(code):
            devices, wrong = StaticDevice, "That recovery code is not right, or it has been used already"
        else:
            raise ValidationError("Enter the 6-digit code from your authenticator app, or a recovery code")
        for device in devices.objects.devices_for_user(self.user, confirmed=True):
            waiting = _wait_message(device)
            if waiting:
                raise ValidationError(waiting)
            verified = verify_token(self.user, device.persistent_id, code)
            if verified is not None:
                self.device = verified
                return code
        raise ValidationError(wrong)


class FirstCodeForm(CodeForm):
    """Setting up an app: the first code it shows proves it holds the secret."""

    hint = "The 6-digit code your authenticator app shows for this service"
    input_attributes = {"inputmode": "numeric"}

    def __init__(self, *args, device: TOTPDevice, **kwargs):
        self.device = device
        super().__init__(*args, **kwargs)

    def clean_code(self):
        code = _normalised(self.cleaned_data["code"])
        if not AUTHENTICATOR_CODE.match(code):
            raise ValidationError("Enter the 6 numbers your authenticator app shows, like 123456")
        waiting = _wait_message(self.device)
        if waiting:
            raise ValidationError(waiting)
        if verify_token(self.device.user, self.device.persistent_id, code) is None:
            raise ValidationError("The code is not right. Enter the code your authenticator app shows now")
        return code
