"""How django-otp-webauthn makes passkeys here (``OTP_WEBAUTHN_HELPER_CLASS``): each is named for the
person's list of sign-in methods."""

from django_otp_webauthn.helpers import WebAuthnHelper

PASSKEY_NAME = "Passkey"


class PasskeyHelper(WebAuthnHelper):
    def create_credential(self, user, response, parsed_credential, original_data):
        credential = super().create_credential(user, response, parsed_credential, original_data)
        credential.name = PASSKEY_NAME
        return credential
