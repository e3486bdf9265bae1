"""Where email goes, read from the environment in a fresh process: files in
var/mail/ for the demo, SMTP in production (README, "Configuration")."""

import json

from tests.accounts.test_settings import run

SHOW = (
    "import json, django; django.setup(); from django.conf import settings as s; "
    "print(json.dumps({'mailer': s.MAILERS['default'], 'from': s.DEFAULT_FROM_EMAIL, 'url': s.SERVICE_URL, "
    "'invitation': s.INVITATION_TIMEOUT, 'reset': s.PASSWORD_RESET_TIMEOUT}))"
)
EMAIL_NAMES = ("EMAIL_BACKEND", "EMAIL_FILE_PATH", "EMAIL_HOST", "EMAIL_PORT", "EMAIL_HOST_USER")
EMAIL_NAMES += ("EMAIL_HOST_PASSWORD", "EMAIL_USE_TLS", "EMAIL_USE_SSL", "EMAIL_TIMEOUT", "DEFAULT_FROM_EMAIL")
EMAIL_NAMES += ("SERVICE_URL", "INVITATION_HOURS", "PASSWORD_RESET_MINUTES")


def settings_with(tmp_path, **env) -> dict:
    cleared = dict.fromkeys(EMAIL_NAMES, "")
    result = run(["-c", SHOW], tmp_path, **{**cleared, **env})
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_the_demo_writes_each_message_to_var_mail(tmp_path):
    shown = settings_with(tmp_path, DEBUG="true")
    assert shown["mailer"] == {
        "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "OPTIONS": {"file_path": str(tmp_path / "mail")},
    }
    assert (shown["invitation"], shown["reset"]) == (72 * 3600, 60 * 60)


def test_production_sends_by_smtp_with_starttls(tmp_path):
    shown = settings_with(tmp_path, DEBUG="false", SECRET_KEY="x" * 60)
    assert shown["mailer"]["BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert shown["mailer"]["OPTIONS"] == {
        "host": "localhost",
        "port": 587,
        "username": "",
        "password": "",
        "use_ssl": False,
        "use_tls": True,
        "timeout": 10,
    }


def test_every_mail_setting_comes_from_the_environment(tmp_path):
    shown = settings_with(
        tmp_path,
        DEBUG="false",
        SECRET_KEY="x" * 60,
        EMAIL_HOST="smtp.example.org",
        EMAIL_USE_SSL="true",
        EMAIL_HOST_USER="service",
        EMAIL_HOST_PASSWORD="from-the-secrets-store",
        EMAIL_TIMEOUT="5",
        DEFAULT_FROM_EMAIL="Safeguarding <no-reply@council.example>",
        SERVICE_URL="https://safeguarding.council.example/",
        INVITATION_HOURS="24",
        PASSWORD_RESET_MINUTES="30",
    )
    assert shown["mailer"]["OPTIONS"] == {
        "host": "smtp.example.org",
        "port": 465,
        "username": "service",
        "password": "from-the-secrets-store",
        "use_ssl": True,
        "use_tls": False,
        "timeout": 5,
    }
    assert shown["from"] == "Safeguarding <no-reply@council.example>"
    assert shown["url"] == "https://safeguarding.council.example"
    assert (shown["invitation"], shown["reset"]) == (24 * 3600, 30 * 60)


def test_the_demo_can_send_by_smtp_and_production_can_write_files(tmp_path):
    assert settings_with(tmp_path, DEBUG="true", EMAIL_BACKEND="smtp")["mailer"]["OPTIONS"]["port"] == 587
    written = settings_with(
        tmp_path, DEBUG="false", SECRET_KEY="x" * 60, EMAIL_BACKEND="file", EMAIL_FILE_PATH=str(tmp_path / "out")
    )
    assert written["mailer"]["OPTIONS"] == {"file_path": str(tmp_path / "out")}


def test_an_unknown_mailer_is_refused(tmp_path):
    result = run(["-c", "import django; django.setup()"], tmp_path, DEBUG="true", EMAIL_BACKEND="pigeon")
    assert result.returncode != 0
    assert "EMAIL_BACKEND must be file or smtp" in result.stderr
