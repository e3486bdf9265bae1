"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's live server.

Every test here is marked ``browser``. Chromium is always ``/usr/bin/chromium``
(Debian's package), never a browser Playwright downloads. When it is missing the
tests fail in CI (``CI=true``) and are skipped, loudly, anywhere else.
"""

import os
from importlib import import_module
from io import BytesIO, StringIO
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, transaction
from playwright.sync_api import sync_playwright

from tests.browser.helpers import BrowserProblems, serving_from
from tests.conftest import KEPT_BY_FLUSH

# Playwright's sync API runs an event loop in this thread; without this Django
# refuses ORM calls made from the tests (creating users, reading records).
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
MISSING_CHROMIUM = (
    f"{CHROMIUM} is missing, so the browser tests did NOT run: install Debian's package (apt-get install chromium)"
)
# Playwright waits up to 30 s by default; a page of this service answers in well under a second.
TIMEOUT_MS = 10_000
BROWSER_DIR = Path(__file__).resolve().parent


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() == "true"


def pytest_collection_modifyitems(config, items):
    """Mark every test under tests/browser, and only those, as ``browser``."""
    for item in items:
        if BROWSER_DIR in Path(item.path).resolve().parents:
            item.add_marker(pytest.mark.browser)


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    """A developer without Chromium must notice that the browser tests did not run."""
    skipped = [
        report for report in terminalreporter.stats.get("skipped", []) if MISSING_CHROMIUM in str(report.longrepr)
    ]
    if not skipped:
        return
    banner = "!" * 78
    for line in (
        "",
        banner,
        f"!! WARNING: {len(skipped)} browser test(s) SKIPPED.",
        f"!! {MISSING_CHROMIUM}",
        banner,
    ):
        terminalreporter.write_line(line, red=True, bold=True)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    """Browser problems fail the test itself, not its teardown."""
    result = yield
    problems = item.funcargs.get("browser_problems")
    if problems is not None:
        problems.check()
    return result


@pytest.fixture(scope="session")
def browser():
    """One Chromium for the whole session; each test gets its own context."""
    if not CHROMIUM.exists():
        if _in_ci():
            pytest.fail(f"CI=true and {MISSING_CHROMIUM}. CI never skips them.", pytrace=False)
        pytest.skip(f"{MISSING_CHROMIUM} (with CI=true they fail)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def browser_problems():
    return BrowserProblems()


@pytest.fixture
def page(browser, live_server, browser_problems):
    """A page in a fresh browser context per test, pointed at the live server.

    Any console error, uncaught JavaScript error or failed request (a missing
    stylesheet, script, font or image) fails the test.
    """
    serving_from(live_server.url)
    context = browser.new_context(base_url=live_server.url, locale="en-GB", timezone_id="Europe/London")
    context.set_default_timeout(TIMEOUT_MS)
    browser_page = context.new_page()
    browser_problems.watch(browser_page)
    yield browser_page
    context.close()
    # Normally checked as the test ends (pytest_runtest_call); this catches stragglers.
    browser_problems.check()


# The reference data a migration puts in (the legal bases offered on question 1).
SHARING_REFERENCE_DATA = import_module("sharing.migrations.0002_immutability_chain_head_legal_bases")


class _DemoAsSeeded:
    """What ``seed_demo`` wrote, as it first wrote it in this test process, to be put back for each later test.

    Seeding goes through the services (some 800 queries, 1.3 s a browser test on PostgreSQL). Its rows are
    kept the first time, each table's as PostgreSQL's COPY writes them, with the checkpoints it witnessed,
    and later tests get them back by COPY, in one transaction, the foreign keys checked at its commit. The
    tables are those a transactional test's flush empties (the content types and permissions stay); their
    sequences are set past the keys put back. Elsewhere than on PostgreSQL each test seeds afresh."""

    def __init__(self) -> None:
        self.rows: dict[str, bytes] = {}
        self.witnessed: dict[str, bytes] = {}
        self.sequences: list[str] = []

    @staticmethod
    def _tables() -> list[str]:
        tables = connection.introspection.django_table_names(only_existing=True, include_views=False)
        return sorted(set(tables) - KEPT_BY_FLUSH)

    def empty(self) -> bool:
        """Nothing in the tables yet: what is kept after seeding is the demo's alone, no other fixture's."""
        quote = connection.ops.quote_name
        # The schema's own names, never input.
        anything = " OR ".join(f"EXISTS (SELECT 1 FROM {quote(table)})" for table in self._tables())  # noqa: S608
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {anything}")  # nosec B608
            return not cursor.fetchone()[0]

    def keep(self, witness_dir: Path) -> None:
        with connection.cursor() as cursor:
            for table in self._tables():
                buffer = BytesIO()
                cursor.cursor.copy_expert(f"COPY {connection.ops.quote_name(table)} TO STDOUT", buffer)
                if buffer.tell():
                    self.rows[table] = buffer.getvalue()
        if witness_dir.is_dir():
            self.witnessed = {path.name: path.read_bytes() for path in witness_dir.iterdir()}
        kept = [model for model in apps.get_models(include_auto_created=True) if model._meta.db_table in self.rows]
        self.sequences = connection.ops.sequence_reset_sql(no_style(), kept)

    def put_back(self, witness_dir: Path) -> None:
        with transaction.atomic(), connection.cursor() as cursor:
            for table, rows in self.rows.items():
                cursor.cursor.copy_expert(f"COPY {connection.ops.quote_name(table)} FROM STDIN", BytesIO(rows))
            cursor.execute(";".join(self.sequences))
        witness_dir.mkdir(parents=True, exist_ok=True)
        for name, lines in self.witnessed.items():
            (witness_dir / name).write_bytes(lines)


_demo_as_seeded = _DemoAsSeeded()


@pytest.fixture
def demo(transactional_db, settings):
    """The demo agencies, staff, children and adults (``manage.py seed_demo``).

    A browser test runs outside a transaction and ends by emptying every
    table, so the reference data the migrations put in is gone for the next
    one; it is put back first, as a migrated database would have it.

    seed_demo runs only with DEBUG on. DEBUG goes off again straight away: the
    live server shares these settings and must show the service's own error
    pages (404), not Django's debug pages.

    After the first time in a test process, on PostgreSQL, what it wrote is put back instead (above).
    """
    witness_dir = Path(settings.LEDGER_WITNESS_DIR)
    if _demo_as_seeded.rows:
        _demo_as_seeded.put_back(witness_dir)
        return
    keep = connection.vendor == "postgresql" and _demo_as_seeded.empty()
    SHARING_REFERENCE_DATA.seed_legal_bases(apps, None)
    settings.DEBUG = True
    try:
        call_command("seed_demo", stdout=StringIO())
    finally:
        settings.DEBUG = False
    if keep:
        _demo_as_seeded.keep(witness_dir)
