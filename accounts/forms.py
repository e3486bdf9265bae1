import math
import re
import time
from enum import StrEnum

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size
from django import forms
from django.contrib.auth import authenticate
from django.contrib.auth.forms import PasswordChangeForm, SetPasswordForm
from django.core.exceptions import ValidationError
from django.utils import timezone
from django_otp import verify_token
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import selectors
from accounts.recovery_codes import RECOVERY_CODE

AUTHENTICATOR_CODE = re.compile(r"^\d{6}$")


def _normalised(value: str) -> str:
    """Codes as people type them: with spaces or dashes, in either case."""
    return re.sub(r"[\s-]", "", value or "").lower()


class CodeRefused(StrEnum):
    """Why a code was refused, as the access log says it (ASVS 16.3.1); never the code itself."""

    NO_CODE = "no code typed"
    NOT_A_CODE = "not a code"
    WRONG = "wrong code from the authenticator app"
    USED_ALREADY = "code from the authenticator app used already"
    # A recovery code is deleted when it is used: a used one cannot be told from a wrong one.
    WRONG_RECOVERY_CODE = "recovery code wrong or used already"
    THROTTLED = "too many wrong codes: told to wait"


def code_used_already(device: TOTPDevice, code: str) -> bool:
    """Whether a code the app refused is one it showed within the time allowed, but for a step already
    signed in with: django-otp takes each code once, and would call it wrong."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    # Once verified, the TOTP's step is the one the code matched.
    return totp.verify(int(code), device.tolerance) and totp.t() <= device.last_t


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
    # Why the code was refused, once the form is found not valid; set by clean_code where it knows more.
    refusal: CodeRefused | None = None

    def refused(self) -> CodeRefused | None:
        """Why the code sent was not accepted (None if it was)."""
        if self.is_valid():
            return None
        if self.refusal is not None:
            return self.refusal
        return CodeRefused.NOT_A_CODE if (self.data.get("code") or "").strip() else CodeRefused.NO_CODE

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
            refusal = CodeRefused.WRONG
        elif RECOVERY_CODE.match(code):
            devices, wrong = StaticDevice, "That recovery code is not right, or it has been used already"
            refusal = CodeRefused.WRONG_RECOVERY_CODE
        else:
            raise ValidationError("Enter the 6-digit code from your authenticator app, or a recovery code")
        for device in devices.objects.devices_for_user(self.user, confirmed=True):
            waiting = _wait_message(device)
            if waiting:
                self.refusal = CodeRefused.THROTTLED
                raise ValidationError(waiting)
            # Recovery codes are stored as digests (accounts/recovery_codes.py): django-otp checks and uses
            # up the digest.
            token = code if devices is TOTPDevice else selectors.recovery_code_stored_as(device, code)
            verified = verify_token(self.user, device.persistent_id, token)
            if verified is not None:
                self.device = verified
                return code
            if devices is TOTPDevice and code_used_already(device, code):
                refusal = CodeRefused.USED_ALREADY
        self.refusal = refusal
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
            self.refusal = CodeRefused.THROTTLED
            raise ValidationError(waiting)
        if verify_token(self.device.user, self.device.persistent_id, code) is None:
            self.refusal = CodeRefused.WRONG
            raise ValidationError("The code is not right. Enter the code your authenticator app shows now")
        return code


# Passwords: Django's forms, with GOV.UK layout and messages. Any characters,
# at least 12 of them, checked by AUTH_PASSWORD_VALIDATORS (similar to the
# email address or name, too common, all numbers: ASVS 6.2.1, 6.2.4, 6.2.5),
# typed in password inputs that a password manager may fill (6.2.6, 6.2.7).

ADVICE_ON_CHOOSING = (
    "At least 12 characters, of any kind. A few unrelated words together make a password that is long, "
    "and easy to remember but hard to guess. Do not use a password you use anywhere else."
)


class ChoosePasswordForm(SetPasswordForm):
    """A new password, typed twice (Django's SetPasswordForm)."""

    error_messages = {"password_mismatch": "The passwords do not match: type the same password in both boxes"}

    def __init__(self, user, *args, **kwargs):
        super().__init__(user, *args, **kwargs)
        new, again = self.fields["new_password1"], self.fields["new_password2"]
        new.label, new.help_text = "New password", ADVICE_ON_CHOOSING
        new.error_messages["required"] = "Enter a new password"
        again.label, again.help_text = "Type the new password again", ""
        again.error_messages["required"] = "Type the new password again"
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(*self.layout_fields())

    def layout_fields(self) -> list:
        return [
            Field.text("new_password1", field_width=20, autocomplete="new-password", spellcheck="false"),
            Field.text("new_password2", field_width=20, autocomplete="new-password", spellcheck="false"),
        ]


class ChangePasswordForm(PasswordChangeForm, ChoosePasswordForm):
    """Changing one's own password asks for the current one first (ASVS 6.2.3),
    checked by signing in afresh, so that wrong guesses here count towards the
    same lockout as on the sign-in page (django-axes) and are logged like them."""

    error_messages = {
        **ChoosePasswordForm.error_messages,
        "password_incorrect": "Your current password is not right",
    }

    def __init__(self, user, *args, request, **kwargs):
        self.request = request
        super().__init__(user, *args, **kwargs)
        current = self.fields["old_password"]
        current.label = "Current password"
        current.error_messages["required"] = "Enter your current password"

    def layout_fields(self) -> list:
        return [
            Field.text("old_password", field_width=20, autocomplete="current-password", spellcheck="false"),
            *super().layout_fields(),
        ]

    def clean_old_password(self):
        password = self.cleaned_data["old_password"]
        if authenticate(self.request, username=self.user.email, password=password) != self.user:
            raise ValidationError(self.error_messages["password_incorrect"], code="password_incorrect")
        return password


class ForgottenPasswordForm(forms.Form):
    email = forms.EmailField(
        label="Email address",
        help_text="The one you sign in with",
        max_length=254,
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.org",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.text("email", field_width=20, autocomplete="username", spellcheck="false", autocapitalize="none")
        )
