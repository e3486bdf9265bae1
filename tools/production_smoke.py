"""Start the service as in production, exactly as docs/deploy.md says, and check it answers (make test-production).

    tools/production_smoke.py postgres://postgres@127.0.0.1:5432/test

The URL is a superuser's (CI's PostgreSQL); only its server is used. In a database and two roles of its
own, made for the run and dropped after it, whatever happens:

1. once, as the superuser: the database, the owner's role and the service's role (``database_roles``),
   with passwords, the database given to the owner (docs/operations.md, "Database roles");
2. each deploy, as the owner: ``migrate``, ``database_roles``; then ``collectstatic`` and ``check --deploy``;
3. a member of staff with a password, in an agency, and a child in its records, written as the service's role;
4. gunicorn with gunicorn.conf.py and the background worker, DEBUG off, connected as the service's role,
   on a free port on 127.0.0.1, behind an imagined proxy that sets X-Forwarded-Proto and X-Request-ID;
5. the checks: /healthz; a hashed static file from WhiteNoise, compressed, cached for a year; the sign-in
   page, and a POST with the staff member's password that reaches the second step; the request's id on
   the response; then every line the processes logged is JSON with a request id, and holds neither a
   query string nor the child's or the staff member's details.

Exits 0 when every check passes, 1 naming the first that failed (with the processes' logs), and stops
its processes, drops its database and roles and removes its files in every case.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

import dj_database_url
import psycopg2

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
HOST = "service.example"
# What the smoke test writes, to be looked for in the logs afterwards (none of it may be there).
CHILD = {"given_name": "Zebedee", "family_name": "Quillfeather", "nhs_number": "9434765919"}
CHILD_DATE_OF_BIRTH = "2019-03-14"
STAFF_EMAIL = "smoke.practitioner@northgate.example"
QUERY_MARKER = "query-string-never-logged"
REQUEST_ID = "0f5e7d4c3b2a19081726354453627180"
CLIENT_ADDRESS = "203.0.113.7"

CREATE_STAFF_AND_CHILD = """
import datetime, os
from records import services
from records.models import Agency
from records.roles import Role
agency = services.agency_create(
    user=None, details=services.AgencyDetails(name="Smoke Test Agency", kind=Agency.Kind.CHILDRENS_SOCIAL_CARE)
)
membership = services.staff_create(
    user=None, agency=agency, email=os.environ["SMOKE_EMAIL"], password=os.environ["SMOKE_PASSWORD"],
    details=services.StaffDetails(full_name="Smoke Practitioner", role=Role.PRACTITIONER),
)
services.child_create(user=membership.user, agency=agency, details=services.ChildDetails(
    given_name=os.environ["SMOKE_GIVEN_NAME"], family_name=os.environ["SMOKE_FAMILY_NAME"],
    nhs_number=os.environ["SMOKE_NHS_NUMBER"],
    date_of_birth=datetime.date.fromisoformat(os.environ["SMOKE_DATE_OF_BIRTH"]),
))
"""


class SmokeFailure(Exception):
    pass


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def database_url(server: dict, *, user: str, password: str, name: str) -> str:
    host = server["HOST"] or "127.0.0.1"
    port = server["PORT"] or 5432
    return f"postgres://{urllib.parse.quote(user)}:{urllib.parse.quote(password)}@{host}:{port}/{name}"


def superuser_connection(server: dict, name: str = "postgres"):
    connection = psycopg2.connect(
        dbname=name,
        user=server["USER"] or None,
        password=server["PASSWORD"] or None,
        host=server["HOST"] or None,
        port=server["PORT"] or None,
        connect_timeout=5,
    )
    connection.autocommit = True
    return connection


def start(arguments: list[str], env: dict[str, str]) -> subprocess.Popen:
    process = subprocess.Popen(  # noqa: S603
        [PYTHON, *arguments], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    process.started = time.monotonic()
    return process


def finish(process: subprocess.Popen, what: str) -> str:
    try:
        output, _ = process.communicate(timeout=120)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        raise SmokeFailure(f"{what} took more than two minutes") from None
    if process.returncode != 0:
        raise SmokeFailure(f"{what} failed ({process.returncode}):\n{output}")
    print(f"  ok  {what} ({time.monotonic() - process.started:.1f} s)")
    return output


def run(arguments: list[str], env: dict[str, str], what: str) -> str:
    return finish(start(arguments, env), what)


class Client:
    """HTTP to gunicorn as the proxy would send it: X-Forwarded-Proto https, the service's Host, cookies kept."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, *, body: str | None = None, headers: dict | None = None, https=True):
        sent = {"Host": HOST, **(headers or {})}
        if https:
            # As nginx sets them (deploy/nginx.conf.example), for a client at a documentation address.
            sent["X-Forwarded-Proto"] = "https"
            sent["X-Forwarded-For"] = CLIENT_ADDRESS
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        if body is not None:
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=20)
        try:
            connection.request(method, path, body=body, headers=sent)
            response = connection.getresponse()
            content = response.read()
        finally:
            connection.close()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        return response, content


def check(condition: bool, what: str, detail: str = "") -> None:
    if not condition:
        raise SmokeFailure(f"{what}{': ' + detail if detail else ''}")
    print(f"  ok  {what}")


def wait_until_healthy(client: Client, processes: dict[str, subprocess.Popen], timeout: float = 40) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for name, process in processes.items():
            if process.poll() is not None:
                raise SmokeFailure(f"{name} exited with {process.returncode} while starting")
        try:
            response, _ = client.request("GET", "/healthz", https=False)
            if response.status == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise SmokeFailure(f"gunicorn did not answer /healthz within {timeout:.0f} seconds")


def checks(client: Client, password: str) -> None:
    # The load balancer's probe, over plain http (SECURE_REDIRECT_EXEMPT), with a query string to be left out of
    # the access log.
    response, content = client.request("GET", f"/healthz?probe={QUERY_MARKER}", https=False)
    check(
        response.status == 200 and json.loads(content) == {"status": "ok", "database": "ok"},
        "/healthz answers 200 with the database ok",
        f"{response.status} {content[:200]!r}",
    )
    check(bool(re.fullmatch(r"[0-9a-f]{32}", response.getheader("X-Request-ID") or "")), "a request id of its own")

    response, content = client.request("GET", "/accounts/login/", headers={"X-Request-ID": REQUEST_ID})
    page = content.decode()
    check(response.status == 200 and "Sign in" in page, "the sign-in page answers", f"{response.status}")
    check(response.getheader("X-Request-ID") == REQUEST_ID, "the proxy's request id is kept and sent back")
    check("__Host-csrftoken" in client.cookies, "the CSRF cookie is the secure __Host- one", str(client.cookies))

    stylesheet = re.search(r'href="(/static/vendor/govuk/govuk-frontend\.min\.[0-9a-f]{12}\.css)"', page)
    check(stylesheet is not None, "the page links the hashed stylesheet", page[:500])
    for encoding in ("br", "gzip"):
        response, content = client.request("GET", stylesheet.group(1), headers={"Accept-Encoding": encoding})
        cache = response.getheader("Cache-Control") or ""
        check(
            response.status == 200
            and response.getheader("Content-Encoding") == encoding
            and "max-age=315360000" in cache
            and "immutable" in cache
            and len(content) > 1000,
            f"the hashed stylesheet, {encoding}-compressed and cached for ever, from WhiteNoise",
            f"{response.status} {response.getheaders()}",
        )

    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    check(token is not None, "the sign-in form carries a CSRF token")
    form = {"csrfmiddlewaretoken": token.group(1), "username": STAFF_EMAIL, "password": "not the password at all"}
    origin = {"Referer": f"https://{HOST}/accounts/login/", "Origin": f"https://{HOST}"}
    response, content = client.request("POST", "/accounts/login/", body=urllib.parse.urlencode(form), headers=origin)
    check(
        response.status == 200 and "Enter a correct email address and password" in content.decode(),
        "a wrong password is refused on the sign-in page",
        f"{response.status} {content.decode()[:300]!r}",
    )
    form["password"] = password
    response, _ = client.request("POST", "/accounts/login/", body=urllib.parse.urlencode(form), headers=origin)
    location = response.getheader("Location") or ""
    check(
        response.status == 302 and "/accounts/two-factor/" in location,
        "the staff member's password leads to the second step",
        f"{response.status} {location}",
    )
    response, content = client.request("GET", urllib.parse.urlsplit(location).path)
    check(
        response.status == 200 and "authenticator app" in content.decode().lower(),
        "the second step's page answers",
        f"{response.status} {content.decode()[:300]!r}",
    )


def check_logs(logs: dict[str, Path], password: str) -> None:
    forbidden = [*CHILD.values(), CHILD_DATE_OF_BIRTH, "14/03/2019", "14 March 2019", STAFF_EMAIL, password]
    forbidden += [QUERY_MARKER, CLIENT_ADDRESS]
    lines = []
    for name, path in logs.items():
        for line in path.read_text().splitlines():
            if line.strip():
                lines.append((name, line))
    check(len(lines) > 5, "the processes logged", f"{len(lines)} lines")
    for name, line in lines:
        try:
            fields = json.loads(line)
        except ValueError:
            raise SmokeFailure(f"a line of {name}'s log is not JSON: {line[:300]}") from None
        if not {"time", "level", "logger", "message", "request_id"} <= fields.keys():
            raise SmokeFailure(f"a line of {name}'s log lacks a field: {line[:300]}")
        for text in forbidden:
            if text.lower() in line.lower():
                raise SmokeFailure(f"{name}'s log holds what it must not ({text!r}): {line[:300]}")
    print(f"  ok  {len(lines)} log lines, each JSON with a request id, none with personal data or a query string")
    access = [json.loads(line) for name, line in lines if '"gunicorn.access"' in line]
    check(
        any(entry["request_id"] == REQUEST_ID and entry["path"] == "/accounts/login/" for entry in access),
        "the access log has the request's id and its path",
    )


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def main(url: str) -> int:
    started = time.monotonic()
    server = dj_database_url.parse(url)
    run_id = secrets.token_hex(4)
    name, owner, service = f"smoke_{run_id}", f"smoke_owner_{run_id}", f"smoke_service_{run_id}"
    owner_password, service_password = secrets.token_urlsafe(24), secrets.token_urlsafe(24)
    staff_password = secrets.token_urlsafe(18)
    folder = Path(tempfile.mkdtemp(prefix="production-smoke-"))
    processes: dict[str, subprocess.Popen] = {}
    logs: dict[str, Path] = {}
    port = free_port()
    superuser = superuser_connection(server)
    created_database = False
    try:
        print(f"Production smoke test: database {name}, roles {owner} and {service}, port {port}, {folder}")
        # 1. Once, as a superuser (docs/deploy.md, "The database").
        with superuser.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{name}"')
            created_database = True
        base = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("DJANGO_", "SECURE_", "LEDGER_", "GUNICORN_", "SENTRY_", "BENCH_", "TEST_"))
            and key not in {"DEBUG", "DATABASE_URL", "SECRET_KEY", "TWO_FACTOR", "STATIC_FILES", "LOG_FORMAT"}
        }
        superuser_url = database_url(
            server, user=server["USER"] or "postgres", password=server["PASSWORD"] or "", name=name
        )
        if not server["PASSWORD"]:
            superuser_url = superuser_url.replace(":@", "@", 1)
        # The ledger's key is made meanwhile (docs/operations.md, "The ledger").
        key = folder / "ledger-signing.key"
        key_made = start(["manage.py", "ledger", "generate-key", str(key)], {**base, "DEBUG": "false"})
        run(
            ["manage.py", "database_roles", "--owner", owner, "--service", service],
            {**base, "DEBUG": "false", "DATABASE_URL": superuser_url, "VAR_DIR": str(folder / "var")},
            "database_roles as the superuser (the roles made)",
        )
        finish(key_made, "the ledger's signing key")
        with superuser.cursor() as cursor:
            cursor.execute(f'ALTER DATABASE "{name}" OWNER TO "{owner}"')
            cursor.execute(f'ALTER ROLE "{owner}" PASSWORD %s', [owner_password])
            cursor.execute(f'ALTER ROLE "{service}" PASSWORD %s', [service_password])

        # The production environment of docs/deploy.md.
        production = {
            **base,
            "DEBUG": "false",
            "SECRET_KEY": secrets.token_urlsafe(64),
            "ALLOWED_HOSTS": HOST,
            "SERVICE_URL": f"https://{HOST}",
            "CSRF_TRUSTED_ORIGINS": f"https://{HOST}",
            "SECURE_PROXY_SSL_HEADER": "X-Forwarded-Proto",
            "LEDGER_SIGNING_KEY_FILE": str(key),
            "LEDGER_WITNESS_DIR": str(folder / "witness"),
            "LEDGER_ORIGIN": f"{HOST}/ledger",
            "VAR_DIR": str(folder / "var"),
            "PRIVATE_MEDIA_ROOT": str(folder / "private"),
            "STATIC_ROOT": str(folder / "static"),
            "GUNICORN_BIND": f"127.0.0.1:{port}",
            "GUNICORN_WORKERS": "2",
            "FORWARDED_ALLOW_IPS": "127.0.0.1",
            "TRUSTED_PROXY_COUNT": "1",
            "PYTHONUNBUFFERED": "1",
        }
        as_owner = {**production, "DATABASE_URL": database_url(server, user=owner, password=owner_password, name=name)}
        as_service = {
            **production,
            "DATABASE_URL": database_url(server, user=service, password=service_password, name=name),
        }

        # 2. Each deploy, as the owner; collectstatic needs no database, so it runs meanwhile.
        collected = start(["manage.py", "collectstatic", "--no-input"], production)
        processes["collectstatic"] = collected
        run(["manage.py", "migrate", "--no-input"], as_owner, "migrate as the owner")
        run(["manage.py", "database_roles", "--owner", owner, "--service", service], as_owner, "database_roles")
        checked = start(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], as_service)
        processes["check"] = checked

        # 3. Someone to sign in, and a child whose details must never reach a log.
        smoke_data = {
            "SMOKE_EMAIL": STAFF_EMAIL,
            "SMOKE_PASSWORD": staff_password,
            "SMOKE_DATE_OF_BIRTH": CHILD_DATE_OF_BIRTH,
            **{f"SMOKE_{key.upper()}": value for key, value in CHILD.items()},
        }
        run(
            ["manage.py", "shell", "--no-imports", "-c", CREATE_STAFF_AND_CHILD],
            {**as_service, **smoke_data},
            "a member of staff and a child, written as the service's role",
        )
        finish(processes.pop("check"), "check --deploy")
        finish(processes.pop("collectstatic"), "collectstatic")

        # 4. The web server and the worker, as the systemd units start them (deploy/systemd/).
        # Log lines go to standard error (Django's console handler) and gunicorn's access log to standard
        # output; the worker's standard output is what the command itself says, not a log line.
        for process_name, command in (
            ("gunicorn", [str(Path(PYTHON).parent / "gunicorn"), "--config", "gunicorn.conf.py"]),
            ("worker", [PYTHON, "manage.py", "worker"]),
        ):
            logs[process_name] = folder / f"{process_name}.log"
            said = folder / f"{process_name}.out"
            with logs[process_name].open("w") as log, said.open("w") as out:
                processes[process_name] = subprocess.Popen(  # noqa: S603
                    command,
                    cwd=ROOT,
                    env=as_service,
                    stdout=log if process_name == "gunicorn" else out,
                    stderr=log,
                    start_new_session=True,
                )
        client = Client(port)
        wait_until_healthy(client, processes)
        print("  ok  gunicorn answers")

        # 5. What an operator and a user would notice.
        checks(client, staff_password)
        for process_name, process in processes.items():
            check(process.poll() is None, f"{process_name} still running")
        for process in processes.values():
            stop(process)
        check_logs(logs, staff_password)
        said = (folder / "worker.out").read_text()
        check(
            not any(text.lower() in said.lower() for text in CHILD.values()), "nothing personal in what the worker said"
        )
    except (SmokeFailure, subprocess.TimeoutExpired, OSError, psycopg2.Error) as failure:
        print(f"FAILED: {failure}", file=sys.stderr)
        for process in processes.values():
            stop(process)
        for process_name, path in logs.items():
            if path.exists():
                print(f"--- {process_name}'s log (last 40 lines) ---", file=sys.stderr)
                print("\n".join(path.read_text().splitlines()[-40:]), file=sys.stderr)
        return 1
    finally:
        for process in processes.values():
            stop(process)
        with superuser.cursor() as cursor:
            if created_database:
                cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            for role in (service, owner):
                cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
                if cursor.fetchone():
                    cursor.execute(f'DROP ROLE "{role}"')
        superuser.close()
        shutil.rmtree(folder, ignore_errors=True)
    print(f"Production smoke test passed in {time.monotonic() - started:.0f} s.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "postgres://postgres@127.0.0.1:5432/postgres"))
