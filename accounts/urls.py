from django.urls import include, path

from accounts import views

two_factor_patterns = [
    path("code/", views.two_factor_verify, name="verify"),
    path("set-up/", views.two_factor_enrol, name="enrol"),
    path("recovery-codes/", views.two_factor_recovery_codes, name="recovery_codes"),
    # A passkey, asked for by the page's script: the challenge, then the browser's answer (JSON).
    path("passkey/begin/", views.PasskeySignInBeginView.as_view(), name="passkey_begin"),
    path("passkey/complete/", views.PasskeySignInCompleteView.as_view(), name="passkey_complete"),
]

# "Your sign-in methods": the signed-in person's own passkeys, app and recovery codes.
sign_in_method_patterns = [
    path("", views.sign_in_methods, name="sign_in_methods"),
    path("passkeys/new/begin/", views.PasskeyAddBeginView.as_view(), name="passkey_add_begin"),
    path("passkeys/new/complete/", views.PasskeyAddCompleteView.as_view(), name="passkey_add_complete"),
    path("passkeys/<int:passkey_id>/remove/", views.passkey_remove, name="passkey_remove"),
    path("authenticator-app/remove/", views.authenticator_remove, name="authenticator_remove"),
    path("recovery-codes/new/", views.recovery_codes_regenerate, name="recovery_codes_regenerate"),
]

# "login" and "logout" keep their plain names: LOGIN_URL and the templates use them.
urlpatterns = [
    path("login/", views.SignInView.as_view(), name="login"),
    path("logout/", views.SignOutView.as_view(), name="logout"),
    path("stay-signed-in/", views.stay_signed_in, name="stay_signed_in"),
    path("two-factor/", include((two_factor_patterns, "two_factor"))),
    path("sign-in-methods/", include(sign_in_method_patterns)),
    # Passwords: the names are Django's own, so its views find each other.
    path("password/change/", views.PasswordChangeView.as_view(), name="password_change"),
    path("password/forgotten/", views.ForgottenPasswordView.as_view(), name="password_reset"),
    path("password/forgotten/sent/", views.ForgottenPasswordSentView.as_view(), name="password_reset_done"),
    path("password/reset/<uidb64>/<token>/", views.PasswordLinkView.as_view(), name="password_reset_confirm"),
    path("invitation/<uidb64>/<token>/", views.InvitationView.as_view(), name="invitation_accept"),
]
