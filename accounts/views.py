"""Sign-in (password, then a code for those who need one), setting up an
authenticator app, recovery codes, sign-out and the lockout page; changing
one's password, "Forgotten your password?" and the links that let someone
choose a password (an invitation, a reset)."""

import math
from functools import partial

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import LoginView, LogoutView, redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.exceptions import OTPWebAuthnApiError
from django_otp_webauthn.models import WebAuthnCredential
from django_otp_webauthn.utils import rewrite_exceptions
from django_otp_webauthn.views import (
    BeginCredentialAuthenticationView,
    BeginCredentialRegistrationView,
    CompleteCredentialAuthenticationView,
    CompleteCredentialRegistrationView,
)

from accounts import emails, selectors, services
from accounts.emails import LinkKind
from accounts.forms import ChangePasswordForm, ChoosePasswordForm, FirstCodeForm, ForgottenPasswordForm, SignInCodeForm
from accounts.lockout import lockout_ends_at
from accounts.policy import TwoFactorMode
from accounts.qr import qr_code_svg, typed_key
from accounts.tokens import invitation_tokens, password_reset_tokens
from core.access_log import shows_no_case_records
from records.auth_forms import SignInForm


@shows_no_case_records("signing in (written to the access log where it happens: accounts.signals)")
class SignInView(LoginView):
    authentication_form = SignInForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        step = services.sign_in(request=self.request, user=form.get_user(), next_url=self.get_success_url())
        if step is None:
            return HttpResponseRedirect(self.get_success_url())
        return redirect(f"two_factor:{step}")


@shows_no_case_records("signing out")
@method_decorator(login_not_required, name="dispatch")
class SignOutView(LogoutView):
    """Sign-out ends the session on the server. Signed out already (after a
    time-out, say), it just leads to the sign-in page."""

    def post(self, request, *args, **kwargs):
        services.sign_out(request=request)
        return HttpResponseRedirect(self.get_success_url())


@shows_no_case_records("extends the session: answers with the time left")
@require_POST
def stay_signed_in(request):
    """The "Stay signed in" of the time-out warning (static/js/session-timeout.js):
    the session goes on, and the page learns how long it now has."""
    left = services.session_extend(request=request)
    return JsonResponse({"idle_seconds_left": left.idle_seconds, "absolute_seconds_left": left.absolute_seconds})


@shows_no_case_records("leads to the sign-in page or the admin")
@login_not_required
@require_GET
def admin_sign_in(request):
    """The admin site has no sign-in page of its own: one page, with the
    lockout and the second step, signs everyone in."""
    next_url = request.GET.get(REDIRECT_FIELD_NAME) or reverse("admin:index")
    if not request.user.is_authenticated:
        return redirect_to_login(next_url)
    if admin.site.has_permission(request):
        return redirect("admin:index")
    # Signed in, but the admin is not for them: its index would send them
    # back here, round and round.
    raise PermissionDenied


def _clock(moment) -> str:
    """A time as GOV.UK writes it: 2:47pm, with the date when it is not today."""
    local = timezone.localtime(moment)
    text = local.strftime("%I:%M%p").lstrip("0").lower()
    if local.date() != timezone.localdate():
        text += f" on {local.day} {local:%B %Y}"
    return text


def locked_out(request, original_response=None, credentials=None):
    """The page after too many failed sign-ins (django-axes' ``AXES_LOCKOUT_CALLABLE``)."""
    if not isinstance(credentials, dict):
        credentials = None
    ends_at = lockout_ends_at(request, credentials)
    minutes = math.ceil((ends_at - timezone.now()).total_seconds() / 60) if ends_at else None
    context = {
        "try_again_at": _clock(ends_at) if ends_at else None,
        "minutes": max(minutes, 1) if minutes is not None else None,
    }
    return render(request, "accounts/locked_out.html", context, status=settings.AXES_HTTP_RESPONSE_CODE)


@shows_no_case_records("the second step of signing in")
@require_http_methods(["GET", "POST"])
def two_factor_verify(request):
    user = request.user
    step = selectors.second_step_for(user)
    if step != "verify" or user.is_verified():
        return redirect("two_factor:enrol" if step == "enrol" else services.next_after_two_factor(request))
    form = SignInCodeForm(request.POST if request.method == "POST" else None, user=user)
    if request.method == "POST" and form.is_valid():
        services.two_factor_sign_in_complete(request=request, device=form.device)
        if isinstance(form.device, StaticDevice):
            left = selectors.recovery_codes_left(user)
            messages.info(
                request,
                f"You signed in with a recovery code, which cannot be used again. You have {left} left."
                if left
                else "You signed in with your last recovery code. If you lose your authenticator app, ask your "
                "agency administrator to have your two-factor authentication reset.",
            )
        return redirect(services.next_after_two_factor(request))
    if request.method == "POST":
        services.two_factor_refused(request=request, user=user, why=form.refused())
    context = {
        "form": form,
        "has_passkey": selectors.has_passkey(user),
        "has_authenticator": selectors.authenticator_for(user) is not None,
    }
    return render(request, "accounts/two_factor_verify.html", context)


@shows_no_case_records("setting up an authenticator app")
@require_http_methods(["GET", "POST"])
def two_factor_enrol(request):
    user = request.user
    if selectors.two_factor_mode() == TwoFactorMode.OFF:
        return redirect(services.next_after_two_factor(request))
    if selectors.authenticator_for(user) is not None:
        # Already set up: a new app replaces it only through an administrator.
        return redirect("two_factor:verify")
    if not user.is_verified() and selectors.has_passkey(user):
        # Someone with a passkey uses it first; an app is added once signed in with it.
        return redirect("two_factor:verify")
    device = services.authenticator_start(user=user)
    form = FirstCodeForm(request.POST if request.method == "POST" else None, device=device)
    if request.method == "POST" and form.is_valid():
        services.authenticator_confirm(request=request, device=device)
        return redirect("two_factor:recovery_codes")
    if request.method == "POST":
        services.two_factor_refused(
            request=request, user=user, why=f"setting up an authenticator app: {form.refused()}"
        )
    context = {
        "form": form,
        "qr_code": qr_code_svg(device.config_url, title="QR code to scan with your authenticator app"),
        "typed_key": typed_key(device.bin_key),
        "required": selectors.two_factor_required_for(user),
    }
    return render(request, "accounts/two_factor_enrol.html", context)


@shows_no_case_records("the person's own recovery codes")
@require_GET
def two_factor_recovery_codes(request):
    codes, replaced = services.recovery_codes_take(request=request)
    context = {"codes": codes, "replaced": replaced, "continue_url": services.next_after_two_factor(request)}
    return render(request, "accounts/recovery_codes.html", context)


# Passkeys (django-otp-webauthn). Its views answer the page's script (static/js/passkeys.js) in JSON;
# these add what this service does around them: the access log, the session's new key, recovery codes.


@shows_no_case_records("starting to sign in with a passkey: the challenge")
class PasskeySignInBeginView(BeginCredentialAuthenticationView):
    pass


@shows_no_case_records("signing in with a passkey (written to the access log: accounts.signals)")
class PasskeySignInCompleteView(CompleteCredentialAuthenticationView):
    def handle_exception(self, exc):
        if isinstance(exc, OTPWebAuthnApiError) and self.request.user.is_authenticated:
            services.two_factor_refused(request=self.request, user=self.request.user, why=f"passkey: {exc.code}")
        return super().handle_exception(exc)

    def complete_auth(self, device):
        services.two_factor_sign_in_complete(request=self.request, device=device)

    def get_success_url(self):
        return services.next_after_two_factor(self.request)


@shows_no_case_records("starting to add a passkey: the challenge")
class PasskeyAddBeginView(BeginCredentialRegistrationView):
    pass


@shows_no_case_records("adding a passkey (written to the access log: accounts.signals)")
class PasskeyAddCompleteView(CompleteCredentialRegistrationView):
    """The library saves the passkey; what follows here replaces its own marking of the session."""

    def post(self, *args, **kwargs):
        user = self.get_user()
        helper = self.get_helper()
        state = self.get_state()
        with rewrite_exceptions(logger=None):
            device = helper.register_complete(user=user, state=state, data=self.request.data)
        redirect_url = services.passkey_added(request=self.request, device=device)
        if redirect_url == reverse("sign_in_methods"):
            messages.success(self.request, "Your passkey has been added")
        return JsonResponse({"id": device.pk, "redirect_url": redirect_url})


@shows_no_case_records("the person's own passkeys, authenticator app and recovery codes")
@require_GET
def sign_in_methods(request):
    return render(request, "accounts/sign_in_methods.html", {"methods": selectors.sign_in_methods_for(request.user)})


def _remove_own(request, remove, missing: type[Exception], what: str):
    """Remove one of the person's own ways to sign in, never the last while one is required."""
    try:
        remove()
    except missing:
        raise Http404 from None
    except services.SecondFactorKept:
        messages.error(
            request,
            "You cannot remove your only passkey or authenticator app: add another way to sign in first",
        )
    else:
        messages.success(request, f"Your {what} has been removed")
    return redirect("sign_in_methods")


@shows_no_case_records("removing one of the person's own passkeys")
@require_POST
def passkey_remove(request, passkey_id: int):
    remove = partial(services.passkey_remove, request=request, passkey_id=passkey_id)
    return _remove_own(request, remove, WebAuthnCredential.DoesNotExist, "passkey")


@shows_no_case_records("removing the person's own authenticator app")
@require_POST
def authenticator_remove(request):
    remove = partial(services.authenticator_remove, request=request)
    return _remove_own(request, remove, TOTPDevice.DoesNotExist, "authenticator app")


@shows_no_case_records("new recovery codes for the person: shown on the next page")
@require_POST
def recovery_codes_regenerate(request):
    if selectors.two_factor_mode() == TwoFactorMode.OFF:
        return redirect("sign_in_methods")
    services.recovery_codes_regenerate(request=request)
    return redirect("two_factor:recovery_codes")


@shows_no_case_records("changing one's own password")
class PasswordChangeView(auth_views.PasswordChangeView):
    """ "Change your password", for the signed-in person (and verified, where
    they need a second factor: the middleware sees to that)."""

    form_class = ChangePasswordForm
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("home")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.request}

    def form_valid(self, form):
        form.save(commit=False)
        services.password_change(request=self.request, user=form.user)
        messages.success(self.request, "Your password has been changed")
        return HttpResponseRedirect(self.get_success_url())


@shows_no_case_records("asking for a link to choose a password")
class ForgottenPasswordView(auth_views.PasswordResetView):
    """ "Forgotten your password?": whatever address is typed, the same page follows."""

    form_class = ForgottenPasswordForm
    template_name = "accounts/password_forgotten.html"
    success_url = reverse_lazy("password_reset_done")

    def form_valid(self, form):
        services.password_reset_request(request=self.request, email=form.cleaned_data["email"])
        return HttpResponseRedirect(self.get_success_url())


@shows_no_case_records("says a link has been sent if the address has an account")
class ForgottenPasswordSentView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_forgotten_sent.html"

    def get_context_data(self, **kwargs):
        lifetime = emails.link_lifetime(LinkKind.PASSWORD_RESET)
        return {**super().get_context_data(**kwargs), "valid_for": emails.duration_text(lifetime)}


@shows_no_case_records("choosing a password with a link (an invitation or a reset)")
class PasswordLinkView(auth_views.PasswordResetConfirmView):
    """The page a link to choose a password opens (Django's: it moves the
    token from the address into the session before showing the form, so the
    token never reaches another site in a Referer header). The person then
    chooses a password and is signed in, and a second factor is asked for as
    at any sign-in."""

    form_class = ChoosePasswordForm
    template_name = "accounts/password_choose.html"
    token_generator = password_reset_tokens
    kind = LinkKind.PASSWORD_RESET

    def get_user(self, uidb64):
        user = super().get_user(uidb64)
        return user if user is not None and user.is_active else None

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "invitation": self.kind == LinkKind.INVITATION}

    def form_valid(self, form):
        user = form.save(commit=False)
        del self.request.session[auth_views.INTERNAL_RESET_SESSION_TOKEN]
        step = services.password_link_used(request=self.request, user=user, kind=self.kind)
        if self.kind == LinkKind.INVITATION:
            messages.success(self.request, "Your password has been set")
        else:
            messages.success(self.request, "Your password has been changed")
        if step is not None:
            return redirect(f"two_factor:{step}")
        return redirect(services.next_after_two_factor(self.request))


class InvitationView(PasswordLinkView):
    token_generator = invitation_tokens
    kind = LinkKind.INVITATION
