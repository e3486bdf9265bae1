"""How the service connects to PostgreSQL, read from the environment in a fresh process (ADR 18 and 29)."""

from tests.accounts.test_settings import run

SHOW = (
    "import django; django.setup(); from django.conf import settings as s; d = s.DATABASES['default']; "
    "print(s.DATABASE_POOL_MODE, d.get('DISABLE_SERVER_SIDE_CURSORS', False), d.get('OPTIONS', {}).get('options'))"
)
URL = "postgres://service@db.internal:5432/safeguarding"


def test_connected_directly_the_session_is_set_up_at_start_up(tmp_path):
    result = run(["-c", SHOW], tmp_path, DEBUG="true", DATABASE_URL=URL)
    assert result.stdout.strip() == "session False -c jit=off -c max_parallel_workers_per_gather=0", result.stderr


def test_through_pgbouncer_transaction_pooling_nothing_is_kept_between_transactions(tmp_path):
    result = run(["-c", SHOW], tmp_path, DEBUG="true", DATABASE_URL=URL, DATABASE_POOL_MODE="Transaction")
    assert result.stdout.strip() == "transaction True None", result.stderr


def test_an_unknown_pool_mode_is_refused(tmp_path):
    result = run(["-c", SHOW], tmp_path, DEBUG="true", DATABASE_URL=URL, DATABASE_POOL_MODE="statement")
    assert result.returncode != 0
    assert "DATABASE_POOL_MODE must be session or transaction, not 'statement'" in result.stderr
