"""docs/deploy.md lists every environment variable the service reads, and the files it points at exist."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = (ROOT / "docs" / "deploy.md").read_text()

# os.environ.get("NAME" / os.environ["NAME"] / env_bool("NAME" / env_int("NAME" / env_list("NAME" / _int("NAME"
READ = re.compile(
    r"""(?:os\.environ(?:\.get)?\(|os\.environ\[|env_(?:bool|int|list)\(|_int\()\s*["']([A-Z][A-Z0-9_]+)["']"""
)


def variables_read(path: Path) -> set[str]:
    return set(READ.findall(path.read_text()))


def test_every_variable_the_settings_and_gunicorn_read_is_documented():
    read = variables_read(ROOT / "config" / "settings.py") | variables_read(ROOT / "gunicorn.conf.py")
    assert {"SECRET_KEY", "DATABASE_URL", "GUNICORN_WORKERS", "LOG_FORMAT", "SENTRY_DSN"} <= read
    documented = set(re.findall(r"`([A-Z][A-Z0-9_]+)`", DEPLOY))
    assert sorted(read - documented) == []


def test_the_files_deploy_md_names_exist():
    named = set(re.findall(r"`((?:deploy|docs|tools)/[\w./-]+|gunicorn\.conf\.py)`", DEPLOY))
    assert "deploy/systemd/safeguarding-web.service" in named
    assert [name for name in sorted(named) if not (ROOT / name).exists()] == []


def test_the_units_run_what_deploy_md_says():
    web = (ROOT / "deploy" / "systemd" / "safeguarding-web.service").read_text()
    worker = (ROOT / "deploy" / "systemd" / "safeguarding-worker.service").read_text()
    assert "ExecStart=/srv/safeguarding/venv/bin/gunicorn --config gunicorn.conf.py" in web
    assert "ExecStart=/srv/safeguarding/venv/bin/python manage.py worker" in worker
    for unit in (web, worker):
        assert "EnvironmentFile=/etc/safeguarding/safeguarding.env" in unit
        assert "Restart=always" in unit
    environment = (ROOT / "deploy" / "safeguarding.env.example").read_text()
    assert "DEBUG=false" in environment
    assert "DATABASE_URL=postgres://safeguarding_service:" in environment, "the least-privilege role"


def test_the_proxy_allows_a_signed_form_and_the_rest_of_its_form():
    from django.conf import settings

    nginx = (ROOT / "deploy" / "nginx.conf.example").read_text()
    limit = int(re.search(r"client_max_body_size (\d+)m;", nginx).group(1)) * 1024 * 1024
    assert settings.CONSENT_FORM_MAX_BYTES + settings.DATA_UPLOAD_MAX_MEMORY_SIZE < limit <= 10 * 1024 * 1024
    assert "proxy_set_header X-Request-ID $request_id;" in nginx
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in nginx
