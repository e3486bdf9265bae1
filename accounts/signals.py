"""Signals about passwords and second factors that this app sends, for whatever keeps a record
of them; and receivers that make sure no sign-in path and no way of
deactivating an account is missed (each calls a service)."""

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_save
from django.dispatch import Signal, receiver

from accounts import services

# Each is sent with ``request`` and ``user`` (the account concerned), after the
# change is made; none carries a password, a token or a link.
# A link to choose a password was sent: ``kind`` (emails.LinkKind) says whether
# an invitation, a reset asked for on "Forgotten your password?" (sent once the
# response has gone), or a reset by an administrator (``request.user``).
password_link_sent = Signal()
# A password was chosen with such a link (``kind``), and the person signed in.
password_link_used = Signal()
# Someone changed their own password while signed in.
password_changed = Signal()

# The second factor (ASVS 16.3.1), each sent with ``request`` and ``user`` (whose account), never a code or a
# secret. The second step of signing in passed, ``how`` (selectors.second_factor_kind), or failed, ``why``
# (forms.CodeRefused, with where it happened).
second_factor_passed = Signal()
second_factor_failed = Signal()
# A second factor set up or removed for ``user`` by whoever is signed in (themselves, or an administrator):
# ``what`` says which (an authenticator app, recovery codes) and how.
second_factor_added = Signal()
second_factor_removed = Signal()
# An administrator reset a person's two-factor authentication (a lost phone): ``what`` was removed.
two_factor_reset = Signal()


@receiver(user_logged_in, dispatch_uid="accounts_session_start")
def session_start(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        services.session_start(request=request, user=user)


@receiver(post_save, sender=get_user_model(), dispatch_uid="accounts_deactivated_user_sessions_end")
def deactivated_user_sessions_end(sender, instance, **kwargs):
    # However the account was saved (the admin, a shell, a script), a
    # deactivated person is signed out everywhere at once.
    if not instance.is_active:
        services.user_sessions_end(user=instance)
