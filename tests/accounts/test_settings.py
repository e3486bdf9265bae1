"""The sign-in and session settings, read from the environment in a fresh process."""

import os
import socket
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
NAMES = (
    "TWO_FACTOR",
    "SIGN_IN_FAILURE_LIMIT",
    "SIGN_IN_COOL_OFF_MINUTES",
    "TRUSTED_PROXY_COUNT",
    "SESSION_IDLE_MINUTES",
    "SESSION_MAX_HOURS",
)
SHOW = (
    "from django.conf import settings as s; "
    "print(s.TWO_FACTOR, s.AXES_FAILURE_LIMIT, s.AXES_COOLOFF_TIME.total_seconds(), s.TRUSTED_PROXY_COUNT, "
    "s.SESSION_IDLE_MINUTES, s.SESSION_MAX_HOURS, s.SESSION_COOKIE_AGE)"
)


def run(arguments: list[str], tmp_path, **env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "SECRET_KEY", "DEBUG", *NAMES}}
    environment.update({"DJANGO_SETTINGS_MODULE": "config.settings", "VAR_DIR": str(tmp_path), **env})
    return subprocess.run(  # noqa: S603
        [sys.executable, *arguments], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=60
    )


def test_production_defaults(tmp_path):
    result = run(["-c", f"import django; django.setup(); {SHOW}"], tmp_path, DEBUG="false", SECRET_KEY="x" * 60)
    assert result.stdout.strip() == "everyone 5 900.0 0 30 12 43200", result.stderr


def test_every_limit_comes_from_the_environment(tmp_path):
    result = run(
        ["-c", f"import django; django.setup(); {SHOW}"],
        tmp_path,
        DEBUG="true",
        TWO_FACTOR="Roles",
        SIGN_IN_FAILURE_LIMIT="3",
        SIGN_IN_COOL_OFF_MINUTES="60",
        TRUSTED_PROXY_COUNT="1",
        SESSION_IDLE_MINUTES="15",
        SESSION_MAX_HOURS="8",
    )
    assert result.stdout.strip() == "roles 3 3600.0 1 15 8 28800", result.stderr


def test_an_unknown_two_factor_setting_is_refused(tmp_path):
    result = run(["-c", "import django; django.setup()"], tmp_path, DEBUG="true", TWO_FACTOR="sometimes")
    assert result.returncode != 0
    assert "TWO_FACTOR must be roles, everyone or off" in result.stderr


def test_two_factor_off_is_for_the_demo_only(tmp_path):
    production = run(["manage.py", "check"], tmp_path, DEBUG="false", SECRET_KEY="x" * 60, TWO_FACTOR="off")
    assert production.returncode != 0
    assert "accounts.E001" in production.stderr
    demo = run(["manage.py", "check"], tmp_path, DEBUG="true", TWO_FACTOR="off")
    assert demo.returncode == 0, demo.stderr


def test_the_server_refuses_to_start_with_two_factor_off_and_debug_off(tmp_path):
    """Not only ``manage.py check``: gunicorn itself, started as production starts it, refuses, so a
    password alone never reaches a case record."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    arguments = ["-m", "gunicorn", "config.wsgi:application", f"--bind=127.0.0.1:{port}", "--workers=1"]
    server = run(arguments, tmp_path, DEBUG="false", SECRET_KEY="x" * 60, TWO_FACTOR="off")
    assert server.returncode != 0
    assert "TWO_FACTOR=off is for the demo only and refused when DEBUG is off" in server.stderr
    assert "Worker failed to boot" in server.stderr
