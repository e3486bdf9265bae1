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
]
