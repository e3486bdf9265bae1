"""Why a code is refused, as the access log says it (accounts.forms.CodeRefused): each rule on its own."""

from datetime import timedelta

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.forms import CodeRefused, FirstCodeForm, SignInCodeForm, code_used_already
from accounts.recovery_codes import recovery_code_digest
from tests.accounts.codes import authenticator_code


@pytest.fixture
def app(lead):
    return TOTPDevice.objects.create(user=lead, name="Authenticator app", confirmed=True)


def code_at_step(device, step: int) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits)
    totp.time = step * device.step
    return f"{totp.token():06d}"


def now_step(device) -> int:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits)
    return totp.t()


# code_used_already: a code the app showed for a step already signed in with.


def test_the_code_of_the_step_signed_in_with_is_used_already(app, frozen):
    step = now_step(app)
    app.last_t = step
    assert code_used_already(app, code_at_step(app, step))


def test_the_code_of_an_earlier_step_within_the_drift_allowed_is_used_already(app, frozen):
    step = now_step(app)
    app.last_t = step
    assert app.tolerance >= 1
    assert code_used_already(app, code_at_step(app, step - 1))


def test_the_next_code_is_not_used_already(app, frozen):
    step = now_step(app)
    app.last_t = step - 1
    assert not code_used_already(app, code_at_step(app, step))


def test_a_code_never_shown_is_not_used_already(app, frozen):
    app.last_t = now_step(app)
    right = code_at_step(app, now_step(app))
    assert not code_used_already(app, f"{(int(right) + 1) % 1_000_000:06d}")


def test_a_code_older_than_the_drift_allowed_is_wrong_not_used(app, frozen):
    step = now_step(app)
    app.last_t = step
    assert not code_used_already(app, code_at_step(app, step - app.tolerance - 1))


# The forms: what each refusal is called.


def sent(form_class, data, **kwargs):
    form = form_class(data, **kwargs)
    form.is_valid()
    return form.refused()


def test_an_accepted_code_is_not_refused(lead, app, frozen):
    assert sent(SignInCodeForm, {"code": authenticator_code(app.bin_key)}, user=lead) is None


@pytest.mark.parametrize(
    ("typed", "refusal"),
    [
        ({}, CodeRefused.NO_CODE),
        ({"code": "   "}, CodeRefused.NO_CODE),
        ({"code": "12345"}, CodeRefused.NOT_A_CODE),
        ({"code": "x" * 41}, CodeRefused.NOT_A_CODE),
        ({"code": "abcdefgh"}, CodeRefused.WRONG_RECOVERY_CODE),
    ],
)
def test_what_was_typed_names_the_refusal(lead, app, typed, refusal):
    assert sent(SignInCodeForm, typed, user=lead) == refusal


def test_a_wrong_code_a_used_one_and_one_while_waiting(lead, app, frozen):
    right = authenticator_code(app.bin_key)
    assert sent(SignInCodeForm, {"code": f"{(int(right) + 1) % 1_000_000:06d}"}, user=lead) == CodeRefused.WRONG
    # django-otp makes each try after a wrong one wait: straight away, even the right code is refused for that.
    assert sent(SignInCodeForm, {"code": right}, user=lead) == CodeRefused.THROTTLED
    frozen.shift(timedelta(seconds=2))
    assert sent(SignInCodeForm, {"code": right}, user=lead) is None
    frozen.shift(timedelta(seconds=2))
    assert sent(SignInCodeForm, {"code": right}, user=lead) == CodeRefused.USED_ALREADY


def test_a_recovery_code_used_is_wrong_or_used(lead):
    device = StaticDevice.objects.create(user=lead, name="Recovery codes", confirmed=True)
    device.token_set.create(token=recovery_code_digest("abcdefgh"))
    assert sent(SignInCodeForm, {"code": "abcdefgh"}, user=lead) is None
    assert sent(SignInCodeForm, {"code": "abcdefgh"}, user=lead) == CodeRefused.WRONG_RECOVERY_CODE


def test_setting_up_an_app_names_its_refusals_too(lead, frozen):
    device = TOTPDevice.objects.create(user=lead, name="Authenticator app", confirmed=False)
    right = authenticator_code(device.bin_key)
    assert sent(FirstCodeForm, {"code": "1234"}, device=device) == CodeRefused.NOT_A_CODE
    assert sent(FirstCodeForm, {"code": f"{(int(right) + 1) % 1_000_000:06d}"}, device=device) == CodeRefused.WRONG
    device.refresh_from_db()  # as the next request reads it
    assert sent(FirstCodeForm, {"code": right}, device=device) == CodeRefused.THROTTLED
