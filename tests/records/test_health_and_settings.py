"""The health check and the settings read from the environment, exercised
in a fresh process with a real (unreachable) database where needed."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def run_django(code: str, **env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "SECRET_KEY", "DEBUG"}}
    environment.update({"DJANGO_SETTINGS_MODULE": "config.settings", **env})
    return subprocess.run(  # noqa: S603
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.django_db
def test_healthz_answers_without_sign_in(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_healthz_answers_503_when_the_database_is_down(tmp_path):
    # A PostgreSQL URL on a port nothing listens on: a real failed connection.
    result = run_django(
        "from django.test import Client; r = Client().get('/healthz', HTTP_HOST='localhost'); "
        "print(r.status_code, r.content.decode())",
        DEBUG="true",
        DATABASE_URL="postgres://nobody@127.0.0.1:9/nothing",
        VAR_DIR=str(tmp_path),
    )
    assert result.stdout.strip() == '503 {"status": "unavailable", "database": "unreachable"}', result.stderr


def test_the_service_will_not_start_without_a_secret_key_when_debug_is_off(tmp_path):
    for entry_point in ("config.wsgi", "config.asgi"):
        result = run_django(f"import {entry_point}; print('started')", DEBUG="false", VAR_DIR=str(tmp_path))
        assert result.returncode != 0, entry_point
        assert "SECRET_KEY must be set when DEBUG is off" in result.stderr
        assert "started" not in result.stdout


def test_nothing_is_signed_without_a_secret_key(tmp_path):
    code = "from django.core import signing; signing.dumps('x')"
    result = run_django(code, DEBUG="false", VAR_DIR=str(tmp_path))
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_migrations_can_be_checked_without_a_secret_key(tmp_path):
    environment = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "SECRET_KEY", "DEBUG"}}
    environment["VAR_DIR"] = str(tmp_path)
    result = subprocess.run(
        [sys.executable, "manage.py", "makemigrations", "--check", "--dry-run"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "No changes detected" in result.stdout


def test_the_demo_keeps_a_generated_secret_key(tmp_path):
    code = "from django.conf import settings; print(settings.SECRET_KEY)"
    first = run_django(code, DEBUG="true", VAR_DIR=str(tmp_path))
    second = run_django(code, DEBUG="true", VAR_DIR=str(tmp_path))
    assert first.stdout == second.stdout
    assert len(first.stdout.strip()) >= 50
    assert oct((tmp_path / "secret_key").stat().st_mode)[-3:] == "600"


def test_production_defaults_are_safe(tmp_path):
    code = (
        "from django.conf import settings as s; "
        "print(s.DEBUG, s.ALLOWED_HOSTS, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE)"
    )
    result = run_django(code, DEBUG="false", SECRET_KEY="x" * 60, VAR_DIR=str(tmp_path))
    assert result.stdout.strip() == "False [] True True", result.stderr


@pytest.mark.django_db
def test_the_database_is_configured_for_concurrent_writers():
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode")
            mode = cursor.fetchone()[0]
        # The test database is in memory, which cannot use WAL; the setting is what matters.
        assert mode in {"wal", "memory"}
        options = settings.DATABASES["default"]["OPTIONS"]
        assert options["transaction_mode"] == "IMMEDIATE"
        assert "journal_mode=WAL" in options["init_command"]
    else:
        assert connection.vendor == "postgresql"
        assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True
        assert settings.DATABASES["default"]["CONN_MAX_AGE"] > 0


def test_a_sqlite_file_database_really_uses_wal(tmp_path):
    code = (
        "from django.db import connection; c = connection.cursor(); "
        "c.execute('PRAGMA journal_mode'); print(c.fetchone()[0])"
    )
    result = run_django(code, DEBUG="true", DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}", VAR_DIR=str(tmp_path))
    assert result.stdout.strip() == "wal", result.stderr


def _clean_environment(tmp_path, **env: str) -> dict[str, str]:
    """This process's environment without the settings a shell might override, plus ``env``."""
    # DJANGO_ALLOW_ASYNC_UNSAFE is set by the browser tests' fixtures, never in production.
    read_by_settings = {
        "DATABASE_URL",
        "SECRET_KEY",
        "DEBUG",
        "ALLOWED_HOSTS",
        "CSRF_TRUSTED_ORIGINS",
        "TWO_FACTOR",
        "DJANGO_ALLOW_ASYNC_UNSAFE",
        "LEDGER_SIGNING_KEY_FILE",
        "LEDGER_VERIFIER_KEY",
        "LEDGER_WITNESS_DIR",
        "SERVICE_URL",
        "LOG_FORMAT",
        "STATIC_FILES",
        "SENTRY_DSN",
    }
    environment = {k: v for k, v in os.environ.items() if k not in read_by_settings and not k.startswith("SECURE_")}
    return {**environment, "DJANGO_SETTINGS_MODULE": "config.settings", "VAR_DIR": str(tmp_path), **env}


def _production(tmp_path, **env: str) -> dict[str, str]:
    """Production settings, with the ledger's signing key (readable by its owner alone) and witness store."""
    from ledger import note

    key = tmp_path / "ledger-signing.key"
    if not key.exists():
        note.generate_key_file(key)
    ledger = {"LEDGER_SIGNING_KEY_FILE": str(key), "LEDGER_WITNESS_DIR": str(tmp_path / "witness")}
    return _clean_environment(
        tmp_path,
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="service.example",
        **{"SERVICE_URL": "https://service.example", **ledger, **env},
    )


def _run(arguments: list[str], environment: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603
        [sys.executable, *arguments], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=60
    )


def test_production_settings_pass_the_deployment_checklist(tmp_path):
    result = _run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], _production(tmp_path))
    assert result.returncode == 0, result.stderr
    keyless = _run(["manage.py", "check", "--deploy"], _production(tmp_path, LEDGER_SIGNING_KEY_FILE=""))
    assert keyless.returncode != 0 and "ledger.E001" in keyless.stderr, "production refuses to run unable to sign"
    nowhere = _run(["manage.py", "check", "--deploy"], _production(tmp_path, SERVICE_URL=""))
    assert nowhere.returncode != 0 and "notifications.E001" in nowhere.stderr, "emails would link to nowhere"


def test_https_is_enforced_in_production_and_off_for_the_demo(tmp_path):
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, "
        "s.SECURE_HSTS_PRELOAD, s.SECURE_PROXY_SSL_HEADER, s.CSRF_TRUSTED_ORIGINS)"
    )
    production = _run(["-c", code], _production(tmp_path))
    assert production.stdout.strip() == "True 31536000 True False None []", production.stderr
    behind_proxy = _run(
        ["-c", code],
        _production(
            tmp_path, SECURE_PROXY_SSL_HEADER="X-Forwarded-Proto", CSRF_TRUSTED_ORIGINS="https://service.example"
        ),
    )
    assert behind_proxy.stdout.strip() == (
        "True 31536000 True False ('HTTP_X_FORWARDED_PROTO', 'https') ['https://service.example']"
    ), behind_proxy.stderr
    demo = _run(["-c", code], _clean_environment(tmp_path, DEBUG="true"))
    assert demo.stdout.strip() == "False 0 False False None []", demo.stderr


@pytest.mark.django_db
def test_the_health_check_answers_over_plain_http_when_https_is_enforced(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz").status_code == 200
    response = client.get("/accounts/login/")
    assert response.status_code == 301
    assert response.url == "https://testserver/accounts/login/"


def test_each_log_line_is_written_once(tmp_path):
    # Django's default logging would print django.* a second time, bare, with DEBUG on.
    code = (
        "import django; django.setup(); import logging; "
        "logging.getLogger('django.tasks').info('Task ran'); logging.getLogger('django.request').error('Refused')"
    )
    demo = _run(["-c", code], _clean_environment(tmp_path, DEBUG="true"))
    # The demo's plain lines: time, level, [request id], logger, message.
    assert [line.split(" ", 4)[-1] for line in demo.stderr.splitlines()] == [
        "django.tasks Task ran",
        "django.request Refused",
    ], demo.stderr
    assert all(" [-] " in line for line in demo.stderr.splitlines()), "outside a request, no request id"
    production = _run(["-c", code], _production(tmp_path))
    lines = [json.loads(line) for line in production.stderr.splitlines()]
    assert [(line["logger"], line["message"], line["request_id"]) for line in lines] == [
        ("django.tasks", "Task ran", "-"),
        ("django.request", "Refused", "-"),
    ], production.stderr


def test_logs_are_json_lines_in_production_and_plain_for_the_demo_unless_log_format_says(tmp_path):
    code = "from django.conf import settings as s; print(s.LOG_FORMAT, s.LOGGING['formatters']['line']['()'])"
    assert _run(["-c", f"import django; django.setup(); {code}"], _production(tmp_path)).stdout.split() == [
        "json",
        "core.logs.JsonFormatter",
    ]
    demo = _clean_environment(tmp_path, DEBUG="true")
    assert _run(["-c", f"import django; django.setup(); {code}"], demo).stdout.split() == [
        "plain",
        "core.logs.PlainFormatter",
    ]
    asked = _clean_environment(tmp_path, DEBUG="true", LOG_FORMAT="json")
    assert _run(["-c", f"import django; django.setup(); {code}"], asked).stdout.split()[0] == "json"
    refused = _run(["-c", "import django; django.setup()"], _production(tmp_path, LOG_FORMAT="xml"))
    assert refused.returncode != 0 and "LOG_FORMAT must be json or plain" in refused.stderr


def test_static_files_are_hashed_and_compressed_in_production_and_plain_for_the_demo(tmp_path):
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.STORAGES['staticfiles']['BACKEND'], s.WHITENOISE_USE_FINDERS, "
        "s.MIDDLEWARE.index('whitenoise.middleware.WhiteNoiseMiddleware') - "
        "s.MIDDLEWARE.index('django.middleware.security.SecurityMiddleware'))"
    )
    production = _run(["-c", code], _production(tmp_path))
    # WhiteNoise straight after SecurityMiddleware, as its documentation asks.
    assert production.stdout.split() == ["whitenoise.storage.CompressedManifestStaticFilesStorage", "False", "1"]
    demo = _run(["-c", code], _clean_environment(tmp_path, DEBUG="true"))
    assert demo.stdout.split() == ["django.contrib.staticfiles.storage.StaticFilesStorage", "True", "1"]
