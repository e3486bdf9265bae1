from django.urls import include, path

from accounts import views

two_factor_patterns = [
    path("code/", views.two_factor_verify, name="verify"),
    path("set-up/", views.two_factor_enrol, name="enrol"),
    path("recovery-codes/", views.two_factor_recovery_codes, name="recovery_codes"),
]

# "login" and "logout" keep their plain names: LOGIN_URL and the templates use them.
urlpatterns = [
    path("login/", views.SignInView.as_view(), name="login"),
    path("logout/", views.SignOutView.as_view(), name="logout"),
    path("stay-signed-in/", views.stay_signed_in, name="stay_signed_in"),
    path("two-factor/", include((two_factor_patterns, "two_factor"))),
    # Passwords: the names are Django's own, so its views find each other.
    path("password/change/", views.PasswordChangeView.as_view(), name="password_change"),
    path("password/forgotten/", views.ForgottenPasswordView.as_view(), name="password_reset"),
    path("password/forgotten/sent/", views.ForgottenPasswordSentView.as_view(), name="password_reset_done"),
    path("password/reset/<uidb64>/<token>/", views.PasswordLinkView.as_view(), name="password_reset_confirm"),
    path("invitation/<uidb64>/<token>/", views.InvitationView.as_view(), name="invitation_accept"),
]
