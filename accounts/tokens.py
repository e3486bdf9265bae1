"""The tokens in the links that let someone choose their password: Django's
``PasswordResetTokenGenerator`` for both, with a key of its own for invitations
so that neither kind of link opens the other's page.

A token is a signature over the account's id, email address, password hash and
last sign-in, with the time it was made. Choosing a password changes the hash
and signing in changes the last sign-in, so a link works once; a new link makes
the password unusable afresh, so it ends the one before; and each kind has a
time limit of its own (ASVS 6.4.1): ``PASSWORD_RESET_TIMEOUT`` and
``INVITATION_TIMEOUT``, in seconds.
"""

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator, default_token_generator
from django.utils.crypto import constant_time_compare
from django.utils.http import base36_to_int

password_reset_tokens = default_token_generator


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    key_salt = "accounts.tokens.InvitationTokenGenerator"

    def check_token(self, user, token):
        """Django's check, with the invitation's own time limit instead of
        ``PASSWORD_RESET_TIMEOUT`` (which Django's reads)."""
        if not (user and token):
            return False
        try:
            made_b36, _ = token.split("-")
            made = base36_to_int(made_b36)
        except ValueError:
            return False
        if not any(
            constant_time_compare(self._make_token_with_timestamp(user, made, secret), token)
            for secret in [self.secret, *self.secret_fallbacks]
        ):
            return False
        return self._num_seconds(self._now()) - made <= settings.INVITATION_TIMEOUT


invitation_tokens = InvitationTokenGenerator()
