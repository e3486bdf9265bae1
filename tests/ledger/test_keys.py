"""With DEBUG off the service will not start unless the ledger can sign with a private key and witness."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

from ledger import note

ROOT = Path(__file__).resolve().parents[2]


def start(tmp_path, **env: str) -> subprocess.CompletedProcess:
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "DEBUG"} and not key.startswith("LEDGER_")
    }
    environment.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="service.example",
        VAR_DIR=str(tmp_path),
        **env,
    )
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); import config.wsgi; print('started')"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_the_service_will_not_start_without_a_signing_key(tmp_path):
    result = start(tmp_path, LEDGER_WITNESS_DIR=str(tmp_path / "witness"))
    assert result.returncode != 0
    assert "LEDGER_SIGNING_KEY_FILE is not set: the ledger cannot sign checkpoints." in result.stderr
    assert "started" not in result.stdout


def test_the_service_will_not_start_with_a_key_others_can_read(tmp_path):
    key = tmp_path / "signing.key"
    note.generate_key_file(key)
    key.chmod(0o640)
    result = start(tmp_path, LEDGER_SIGNING_KEY_FILE=str(key), LEDGER_WITNESS_DIR=str(tmp_path / "witness"))
    assert result.returncode != 0
    assert "gives group or other users access to it" in result.stderr


def test_the_service_will_not_start_without_a_witness_store(tmp_path):
    key = tmp_path / "signing.key"
    note.generate_key_file(key)
    result = start(tmp_path, LEDGER_SIGNING_KEY_FILE=str(key))
    assert result.returncode != 0
    assert "LEDGER_WITNESS_DIR is not set" in result.stderr


def test_the_service_starts_with_a_private_key_and_a_witness_store(tmp_path):
    key = tmp_path / "signing.key"
    note.generate_key_file(key)
    result = start(tmp_path, LEDGER_SIGNING_KEY_FILE=str(key), LEDGER_WITNESS_DIR=str(tmp_path / "witness"))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "started"
