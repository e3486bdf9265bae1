"""Sign-ins, failed sign-ins, lockouts, sign-outs, password changes and second factors go into the access log.

Django's authentication framework announces these wherever they happen (the
sign-in page, the admin's, a second factor), and so does ``accounts.signals``
for what is its own, so the log listens for them rather than each sign-in
view writing its own entry.

Signing in with a second factor is two events (ASVS 16.3.1): the password
accepted, with a second factor asked for, and then "Signed in" once it is
given; every code refused in between is one event, saying why, never the
code. Without a second factor to give, the password is the sign-in.
"""

from django.apps import apps
from django.contrib.auth import signals as auth_signals

from accounts import selectors as account_selectors
from accounts import signals as account_signals
from audit.models import Action, Subject
from audit.services import access_record

# What the password leads to: accounts.selectors.second_step_for.
SECOND_STEP = {"verify": "a passkey or a code asked for", "enrol": "a passkey or an authenticator app to set up first"}


def _signed_in(sender, request, user, **kwargs):
    if request is None:
        return
    step = account_selectors.second_step_for(user)
    if step is None:
        access_record(
            request=request, action=Action.SIGN_IN, subject=Subject.ACCOUNT, user=user, detail="password alone"
        )
    else:
        access_record(
            request=request,
            action=Action.PASSWORD_ACCEPTED,
            subject=Subject.ACCOUNT,
            user=user,
            detail=SECOND_STEP[step],
        )


def _second_factor_passed(sender, request, user, how, **kwargs):
    if request is not None:
        access_record(request=request, action=Action.SIGN_IN, subject=Subject.ACCOUNT, user=user, detail=str(how))


def _second_factor_failed(sender, request, user, why, **kwargs):
    if request is not None:
        access_record(
            request=request, action=Action.SECOND_FACTOR_FAILED, subject=Subject.ACCOUNT, user=user, detail=str(why)
        )


def _second_factor_added(sender, request, user, what, **kwargs):
    # The actor is whoever is signed in (the person, or a platform administrator in the admin); the account
    # whose second factor it is, the target.
    if request is not None:
        access_record(request=request, action=Action.DEVICE_ADDED, subject=Subject.ACCOUNT, target=user, detail=what)


def _second_factor_removed(sender, request, user, what, **kwargs):
    if request is not None:
        access_record(request=request, action=Action.DEVICE_REMOVED, subject=Subject.ACCOUNT, target=user, detail=what)


def _two_factor_reset(sender, request, user, what, **kwargs):
    if request is not None:
        access_record(
            request=request, action=Action.TWO_FACTOR_RESET, subject=Subject.ACCOUNT, target=user, detail=what
        )


def _sign_in_failed(sender, credentials, request=None, **kwargs):
    if request is not None:
        access_record(
            request=request,
            action=Action.SIGN_IN_FAILED,
            subject=Subject.ACCOUNT,
            user_email=str(credentials.get("username") or credentials.get("email") or ""),
        )


def _signed_out(sender, request, user, **kwargs):
    if request is not None and user is not None:
        access_record(request=request, action=Action.SIGN_OUT, subject=Subject.ACCOUNT, user=user)


def _locked_out(sender, request, username=None, ip_address=None, **kwargs):
    if request is not None:
        access_record(
            request=request, action=Action.LOCKED_OUT, subject=Subject.ACCOUNT, user_email=str(username or "")
        )


def _password_link_sent(sender, request, user, kind, **kwargs):
    # The actor is whoever asked (an administrator, or the person on "Forgotten your password?", not signed in);
    # the account concerned is the target. The kind of link, never the link.
    if request is not None:
        access_record(
            request=request,
            action=Action.PASSWORD_LINK_SENT,
            subject=Subject.ACCOUNT,
            target=user,
            detail=str(kind),
            user_email="" if getattr(request, "user", None) and request.user.is_authenticated else user.email,
        )


def _password_link_used(sender, request, user, kind, **kwargs):
    if request is not None:
        access_record(
            request=request,
            action=Action.PASSWORD_LINK_USED,
            subject=Subject.ACCOUNT,
            target=user,
            detail=str(kind),
            user=user,
        )


def _password_changed(sender, request, user, **kwargs):
    if request is not None:
        access_record(request=request, action=Action.PASSWORD_CHANGED, subject=Subject.ACCOUNT, target=user, user=user)


def connect() -> None:
    account_signals.password_link_sent.connect(_password_link_sent, dispatch_uid="audit_password_link_sent")
    account_signals.password_link_used.connect(_password_link_used, dispatch_uid="audit_password_link_used")
    account_signals.password_changed.connect(_password_changed, dispatch_uid="audit_password_changed")
    account_signals.second_factor_passed.connect(_second_factor_passed, dispatch_uid="audit_second_factor_passed")
    account_signals.second_factor_failed.connect(_second_factor_failed, dispatch_uid="audit_second_factor_failed")
    account_signals.second_factor_added.connect(_second_factor_added, dispatch_uid="audit_second_factor_added")
    account_signals.second_factor_removed.connect(_second_factor_removed, dispatch_uid="audit_second_factor_removed")
    account_signals.two_factor_reset.connect(_two_factor_reset, dispatch_uid="audit_two_factor_reset")
    auth_signals.user_logged_in.connect(_signed_in, dispatch_uid="audit_signed_in")
    auth_signals.user_login_failed.connect(_sign_in_failed, dispatch_uid="audit_sign_in_failed")
    auth_signals.user_logged_out.connect(_signed_out, dispatch_uid="audit_signed_out")
    if not apps.is_installed("axes"):
        return
    from axes.signals import user_locked_out

    user_locked_out.connect(_locked_out, dispatch_uid="audit_locked_out")
