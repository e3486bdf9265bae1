"""Each page's CPU in one process, split between Python and its PostgreSQL backend, with where Python spends it.

    DATABASE_URL=postgres://... DEBUG=false SECRET_KEY=... ALLOWED_HOSTS=testserver \\
        BENCH_QUERY_HEADERS=true python bench/page_cpu.py FIXTURE.json [--requests 50] [--profile 20] [--only NAME]

FIXTURE is the file ``seed_scale --fixture`` wrote for the database. The fixture's practitioner and lead are
signed in (Django's test client, no HTTP), each with the authenticator app ``make bench`` set up for them (run it
once first), and each page is asked for 5 times untimed, then ``--requests`` times while the CPU of this process
and of its PostgreSQL backend (``/proc``, so the database must be on this machine) are read before and after. The
test client's own work counts as Python: the database's share is a lower bound. A search is the form sent and
the results it leads to, as ``make bench`` times it.

With ``--profile N``, each page is then asked for N more times under ``cProfile``: the functions that took
the most of it, by their own time and (the service's own code) with what they call, a request's share in
milliseconds (cProfile's overhead included: compare the figures with each other, not with the CPU above). Each
page's whole profile is written to ``var/bench/profile-<page>.pstats`` (``python -m pstats FILE``). ``make
bench`` runs this once the servers are stopped (its part ``cpu``; ``--profile 0``: no profile).
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django_otp import DEVICE_ID_SESSION_KEY  # noqa: E402
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402

TICK = os.sysconf("SC_CLK_TCK")
# The functions listed per page, by each measure.
TOP = 12


def _backend_cpu() -> tuple[int, float] | None:
    """The PostgreSQL backend's process and the CPU it has used, in seconds."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return pid, (int(fields[11]) + int(fields[12])) / TICK


def _signed_in(email: str) -> Client:
    """A client signed in as ``email``, verified with their authenticator app as ``make bench`` signs them in."""
    user = get_user_model().objects.get(email=email)
    client = Client()
    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is not None:
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


def pages(fixture: dict) -> dict:
    """Each page: who asks for it, and how (a search is the form sent and its results)."""
    child = fixture["chronology_child_id"]
    search = fixture["search"]
    blank_date = {"date_of_birth_0": "", "date_of_birth_1": "", "date_of_birth_2": ""}
    dob = search["date_of_birth"][:10].split("-")

    def get(url):
        return lambda client: client.get(url, secure=True)

    def searched(form):
        def send(client):
            sent = client.post("/children/", form, secure=True)
            return client.get(sent["Location"], secure=True) if sent.status_code == 302 else sent

        return send

    return {
        "Floor: a trivial signed-in page": ("practitioner", get("/bench/floor/")),
        "Child search by name": ("practitioner", searched({"text": search["family_name"], **blank_date})),
        "Child search by date of birth": (
            "practitioner",
            searched({"text": "", "date_of_birth_0": dob[2], "date_of_birth_1": dob[1], "date_of_birth_2": dob[0]}),
        ),
        "Child search by NHS number": ("practitioner", searched({"text": search["nhs_number"], **blank_date})),
        "Child's page (300 chronology entries)": ("practitioner", get(f"/children/{child}/")),
        "Chronology (300 entries)": ("practitioner", get(f"/children/{child}/chronology/")),
        "Decision page": ("practitioner", get(f"/decisions/{fixture['decision_id']}/")),
        "Lead's dashboard": ("lead", get("/for-review/")),
        "Audit history of a child": ("lead", get(f"/children/{child}/audit/")),
        "Access log of one member of staff": (
            "lead",
            get(f"/audit/staff/{fixture['staff_member_id']}/?section=accesses"),
        ),
    }


def _where(function: tuple) -> str:
    filename, line, name = function
    if filename == "~":
        return name
    path = Path(filename)
    shown = str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) and ".venv" not in path.parts else path.name
    for marker in ("site-packages/", "lib/python3"):
        if marker in filename:
            shown = filename.split(marker, 1)[1]
            break
    return f"{shown}:{line}({name})"


def _own_code(function: tuple) -> bool:
    """The service's own code below the middleware (every middleware's call holds the whole request)."""
    path = Path(function[0])
    if not path.is_relative_to(ROOT) or {".venv", "bench"} & set(path.parts):
        return False
    return not (path.name == "middleware.py" or path.parts[-2:] == ("config", "bench.py"))


def profile(ask, client, requests: int, slug: str) -> dict:
    # Timed by the clock (asking the process for its CPU time at every call would cost more than the calls):
    # a wait for the database is in psycopg2's execute, and on a busy machine a wait for a core is spread over all.
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(requests):
        ask(client)
    profiler.disable()
    out = ROOT / "var" / "bench" / f"profile-{slug}.pstats"
    out.parent.mkdir(parents=True, exist_ok=True)
    profiler.dump_stats(out)
    stats = pstats.Stats(profiler).stats  # {function: (primitive calls, calls, own time, cumulative, callers)}

    def listed(rows, index):
        return [
            {
                "function": _where(function),
                "calls": figures[1] // requests,
                "ms": round(figures[index] / requests * 1000, 2),
            }
            for function, figures in rows[:TOP]
        ]

    by_own = sorted(stats.items(), key=lambda item: item[1][2], reverse=True)
    ours = sorted(((f, s) for f, s in stats.items() if _own_code(f)), key=lambda item: item[1][3], reverse=True)
    total = sum(figures[2] for figures in stats.values())
    return {
        "requests": requests,
        "ms_per_request": round(total / requests * 1000, 2),
        "own_time": listed(by_own, 2),
        "service_code_with_what_it_calls": listed(ours, 3),
        "file": str(out.relative_to(ROOT)),
    }


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("fixture", type=Path)
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--profile", type=int, default=0, help="then this many requests a page under cProfile")
    parser.add_argument("--only", help="comma-separated names of pages, as they start (default every page)")
    options = parser.parse_args(argv)
    fixture = json.loads(options.fixture.read_text())
    clients = {"practitioner": _signed_in(fixture["practitioner_email"]), "lead": _signed_in(fixture["lead_email"])}
    chosen = [name.strip().lower() for name in options.only.split(",")] if options.only else None
    figures = {}
    for name, (who, ask) in pages(fixture).items():
        if chosen and not any(name.lower().startswith(start) for start in chosen):
            continue
        client = clients[who]
        response = ask(client)
        if response.status_code != 200:
            raise SystemExit(f"{name}: {response.status_code} {response.get('Location', '')} (run make bench once)")
        for _ in range(5):
            ask(client)
        database, python, clock = _backend_cpu(), time.process_time(), time.perf_counter()
        for _ in range(options.requests):
            ask(client)
        count = options.requests
        python_ms = (time.process_time() - python) / count * 1000
        database_after = _backend_cpu()
        # Not measured when the connection was opened again on the way (another backend's CPU).
        same_backend = database is not None and database_after is not None and database[0] == database_after[0]
        database_ms = (database_after[1] - database[1]) / count * 1000 if same_backend else None
        figures[name] = {
            "python_ms": round(python_ms, 2),
            "database_ms": None if database_ms is None else round(database_ms, 2),
            "database_share": None if database_ms is None else round(database_ms / (python_ms + database_ms), 2),
            "clock_ms": round((time.perf_counter() - clock) / count * 1000, 2),
        }
        if options.profile:
            slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
            figures[name]["profile"] = profile(ask, client, options.profile, slug)
    return {"requests": options.requests, "pages": figures, "load_average": [round(v, 2) for v in os.getloadavg()]}


if __name__ == "__main__":
    print(json.dumps(main(), indent=2))
