"""A gunicorn worker is killed (SIGKILL) in the middle of requests under load,
on loopback: no record is half-written, every acknowledged record is there,
every record is entered in the log once, the log verifies, and the server
carries on with a new worker."""

import http.client
import http.cookiejar
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from consent.models import ConsentRecord
from ledger.models import Checkpoint, Entry, Leaf
from sharing.models import DecisionAnswer, SharingDecision
from tests.consent.consent_post_data import consent_post
from tests.factories import ChildFactory
from tests.ledger_data import seal, verify_log
from tests.sharing.recorded import complete_draft

ROOT = Path(settings.BASE_DIR)
PASSWORD = "a-long-enough-passphrase"
CLIENTS = 4
ROUNDS = 10  # each client records this many decisions and consents
KILL_AFTER = (8, 24, 40)  # a worker is killed when this many sends have been answered
CUT_OFF = 0  # no response: the connection closed with the worker

pytestmark = [
    pytest.mark.usefixtures("transactional_db"),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="a served database: PostgreSQL"),
]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def server(tmp_path, settings):
    params = connection.settings_dict
    user, host, port_number = params["USER"] or "postgres", params["HOST"] or "127.0.0.1", params["PORT"] or 5432
    url = f"postgres://{user}@{host}:{port_number}/{params['NAME']}"
    port = free_port()
    environment = {
        **os.environ,
        "DATABASE_URL": url,
        "DEBUG": "true",
        # What is tried here is a killed worker, not the second step: the practitioner signs in with a password.
        "TWO_FACTOR": "roles",
        "VAR_DIR": str(tmp_path),
        "CONN_MAX_AGE": "0",
        # The workers sequence and sign with the test's key, and witness into the test's own store.
        "LEDGER_SIGNING_KEY_FILE": str(settings.LEDGER_SIGNING_KEY_FILE),
        "LEDGER_WITNESS_DIR": str(settings.LEDGER_WITNESS_DIR),
        "LEDGER_ORIGIN": settings.LEDGER_ORIGIN,
    }
    process = subprocess.Popen(  # noqa: S603 (fixed arguments)
        [sys.executable, "-m", "gunicorn", "config.wsgi:application", f"--bind=127.0.0.1:{port}", "--workers=2"],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(f"{base}/healthz", timeout=5)  # noqa: S310 (loopback)
            break
        except OSError:  # not listening yet, or still starting
            time.sleep(0.2)
    yield base, process
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


def workers(master_pid: int) -> list[int]:
    children = Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split()
    return [int(pid) for pid in children]


class Browser:
    def __init__(self, base: str):
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), NoRedirect()
        )

    def get(self, path: str) -> tuple[int, str, str]:
        return self._open(urllib.request.Request(self.base + path))  # noqa: S310 (loopback http)

    def post(self, path: str, form_page: str, data: dict) -> tuple[int, str, str]:
        found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', self.get(form_page)[2])
        if found is None:
            return CUT_OFF, "", ""
        token = found.group(1)
        body = urllib.parse.urlencode({"csrfmiddlewaretoken": token, **data}, doseq=True).encode()
        headers = {"Referer": self.base + form_page}
        request = urllib.request.Request(self.base + path, data=body, headers=headers)  # noqa: S310 (loopback http)
        return self._open(request)

    def _open(self, request) -> tuple[int, str, str]:
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.headers.get("Location", ""), response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.headers.get("Location", ""), error.read().decode(errors="replace")
        except (OSError, http.client.HTTPException):
            return CUT_OFF, "", ""  # the worker died with the connection open

    def sign_in(self, email: str) -> None:
        for _ in range(5):
            try:
                status, _, _ = self.post(
                    "/accounts/login/", "/accounts/login/", {"username": email, "password": PASSWORD}
                )
            except AttributeError:  # the form page itself was cut off
                continue
            if status == 302:
                return
        raise AssertionError("could not sign in")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def record_consent_through_pages(browser, child) -> tuple[int, str]:
    """Each page of recording a consent answered (consent.pages), then "Record consent", sent with a submission
    key: the first answer that is not a redirect, else where recording it went."""
    url = f"/children/{child.pk}/consent/add/"
    while not url.endswith("/check/"):
        status, location, _ = browser.post(url, url, consent_post())
        if status != 302:
            return status, location
        url = location
    status, location, _ = browser.post(url, url, {"submission_key": str(uuid.uuid4())})
    return status, location


def test_a_worker_killed_under_load_loses_nothing_acknowledged(server, practitioner, agency, settings):
    base, master = server
    # The server checks passwords with the production hasher, not the suite's fast one.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    practitioner.set_password(PASSWORD)
    practitioner.save()
    child = ChildFactory(agency=agency, date_of_birth=date(2011, 1, 1))
    drafts = [complete_draft(user=practitioner, child=child) for _ in range(CLIENTS * ROUNDS)]
    acknowledged: dict[str, list[str]] = {"decision": [], "consent": []}
    failures: list[int] = []
    lock = threading.Lock()
    signed_in = threading.Barrier(CLIENTS + 1)
    answered = threading.Semaphore(0)

    def work(index: int) -> None:
        browser = Browser(base)
        browser.sign_in(practitioner.email)
        signed_in.wait(timeout=120)
        mine = drafts[index::CLIENTS]
        for draft in mine:
            check = f"/decisions/drafts/{draft.pk}/check/"
            status, location, _ = browser.post(check, check, {})
            with lock:
                (acknowledged["decision"].append(location) if status == 302 else failures.append(status))
            answered.release()
            status, location = record_consent_through_pages(browser, child)
            with lock:
                (acknowledged["consent"].append(location) if status == 302 else failures.append(status))
            answered.release()

    threads = [threading.Thread(target=work, args=(index,)) for index in range(CLIENTS)]
    for thread in threads:
        thread.start()
    signed_in.wait(timeout=120)
    # Kills follow the load's progress, not the clock, so a slow machine kills mid-load too.
    killed, seen = [], 0
    for target in KILL_AFTER:
        while seen < target:
            assert answered.acquire(timeout=120), "the load stalled"
            seen += 1
        victims = workers(master.pid)
        if victims:
            os.kill(victims[0], signal.SIGKILL)
            killed.append(victims[0])
    for thread in threads:
        thread.join(timeout=300)

    assert len(killed) == 3, "three workers were killed mid-load"
    sends = 2 * CLIENTS * ROUNDS
    assert len(acknowledged["decision"]) + len(acknowledged["consent"]) + len(failures) == sends, "every send answered"
    assert len(failures) <= len(killed) * 2, "only the sends in flight when a worker died were cut off"
    # Every acknowledged decision and consent is there; nothing is half-written.
    recorded_decisions = {str(pk) for pk in SharingDecision.objects.values_list("pk", flat=True)}
    for location in acknowledged["decision"]:
        assert location.rstrip("/").rsplit("/", 1)[-1] in recorded_decisions, location
    recorded_consents = {str(pk) for pk in ConsentRecord.objects.values_list("pk", flat=True)}
    for location in acknowledged["consent"]:
        assert location.rstrip("/").rsplit("/", 1)[-1] in recorded_consents, location
    for decision in SharingDecision.objects.all():
        assert DecisionAnswer.objects.filter(decision=decision).exists(), "a decision without its answers"
    # Each record entered once, none without its entry and no entry without its record.
    for kind, recorded in (("decision", recorded_decisions), ("consent", recorded_consents)):
        entries = list(Entry.objects.filter(kind=kind).values_list("record_id", flat=True))
        assert sorted(entries) == sorted(recorded), kind
    # The workers placed entries in the tree and signed checkpoints as they went, killed or not.
    assert Leaf.objects.exists() and Checkpoint.objects.exists()
    # The server stopped as a deployment stops it (SIGTERM: requests in flight finish, with what they do
    # after their response), so nothing is still being written when the log is sealed.
    os.killpg(master.pid, signal.SIGTERM)
    master.wait(timeout=60)
    seal()
    report = verify_log()
    assert report.intact, report.first_problem
    assert report.pending == 0 and report.entries == Entry.objects.count()
    assert report.witnessed >= 2, "the workers' checkpoints and the last one were witnessed"
    # A request cut off by the kill is answered with an error (or not at all), never a half-record.
    assert all(status == CUT_OFF or status >= 500 for status in failures), failures
    print(
        f"killed {len(killed)} workers; acknowledged {len(acknowledged['decision'])} decisions and "
        f"{len(acknowledged['consent'])} consents; {len(failures)} requests cut off; "
        f"{report.records} records verified against {report.entries} log entries"
    )
