"""What the browser tests share: an accessibility check, sign-in and a watch on browser errors."""

import hashlib
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from axe_playwright_python.base import AxeResults
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import ConsoleMessage, Error, Page, Request, Response

from accounts import selectors as account_selectors
from records.models import User
from tests.accounts.codes import authenticator_code

_axe = Axe()

# GOV.UK Frontend's radios and checkboxes script marks an option that reveals a
# conditional question with aria-expanded. ARIA 1.2 does not allow that on a
# radio or a checkbox, so axe reports it (aria-allowed-attr), but the GOV.UK
# Design System keeps it on purpose: screen readers announce it, and it helps
# (alphagov/govuk-frontend#979, #1280). That one finding, on those inputs only,
# is not a failure; any other attribute, element or rule still is.
_ARIA_EXPANDED = re.compile(r'^aria-expanded="(true|false)"$')


def _is_conditional_reveal_input(html: str) -> bool:
    """A GOV.UK radio (or checkbox) that controls a conditional question, attributes in any order."""
    tag = re.match(r"^<input\b[^>]*>", html)
    if tag is None:
        return False
    attributes = tag.group(0)
    return bool(
        re.search(r'\stype="(radio|checkbox)"', attributes)
        and re.search(r'\sclass="govuk-(radios|checkboxes)__input"', attributes)
        and re.search(r'\saria-controls="conditional[-_][^"]+"', attributes)
    )


def _govuk_conditional_reveal(rule: str, node: dict) -> bool:
    checks = node.get("all", []) + node.get("any", []) + node.get("none", [])
    return (
        rule == "aria-allowed-attr"
        and _is_conditional_reveal_input(node.get("html", ""))
        and bool(checks)
        and all(
            check["id"] == "aria-allowed-attr"
            and bool(check.get("data"))
            and all(_ARIA_EXPANDED.match(item) for item in check["data"])
            for check in checks
        )
    )


def _without_govuk_conditional_reveals(results: AxeResults) -> AxeResults:
    violations = []
    for violation in results.response["violations"]:
        nodes = [node for node in violation["nodes"] if not _govuk_conditional_reveal(violation["id"], node)]
        if nodes:
            violations.append({**violation, "nodes": nodes})
    return AxeResults({**results.response, "violations": violations})


# A page is the same page to axe when its address (ids aside) and its title are: the
# sign-in page, met in almost every test, is checked once a run, not sixty times.
_IDS_IN_A_PATH = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|\d+")


class _CheckedPages:
    """The pages axe has passed in this run, in every test process of it.

    With pytest-xdist each process would otherwise check again what the other
    has passed (about a fifth of the checks, at half a second of Chromium's CPU
    each). A page passed is a file named by its hash in a folder of this run's
    own (``PYTEST_XDIST_TESTRUNUID``, which every process of a run shares); on
    its own, a process keeps them in memory. Only a page that passed is kept:
    a failure is checked again, and fails again, wherever it is met.
    """

    def __init__(self) -> None:
        self._here: set[str] = set()
        run = os.environ.get("PYTEST_XDIST_TESTRUNUID")
        self._folder = Path(tempfile.gettempdir()) / f"axe-passed-{run}" if run else None

    @staticmethod
    def _key(seen: tuple) -> str:
        return hashlib.sha256(repr(seen).encode()).hexdigest()

    def __contains__(self, seen: tuple) -> bool:
        key = self._key(seen)
        return key in self._here or (self._folder is not None and (self._folder / key).exists())

    def add(self, seen: tuple) -> None:
        key = self._key(seen)
        self._here.add(key)
        if self._folder is not None:
            self._folder.mkdir(exist_ok=True)
            (self._folder / key).touch()


_checked_pages = _CheckedPages()


# WCAG 2.2's target size (2.5.8, at least 24 by 24 pixels), a rule axe runs only when asked.
TARGET_SIZE = "target-size"
# Rules axe leaves off unless asked that every page is held to: WCAG 2.2 AA's target size.
ALWAYS = (TARGET_SIZE,)


def assert_accessible(page: Page, *, also: tuple[str, ...] = ()) -> None:
    """axe-core finds no violations on the page as it is now (but for GOV.UK's aria-expanded, above),
    with the rules named in ``also`` run too.

    Each page (its address with ids left out, and its title, which says when it
    shows errors) is checked the first time a run meets it, in either test process.
    """
    # A link just followed may still be loading: axe reads the page once it has loaded, never half of it.
    page.wait_for_load_state()
    seen = (_IDS_IN_A_PATH.sub("<id>", urlsplit(page.url).path), page.title(), also)
    if seen in _checked_pages:
        return
    rules = (*ALWAYS, *also)
    options = {"resultTypes": ["violations"], "rules": {rule: {"enabled": True} for rule in rules}}
    results = _without_govuk_conditional_reveals(_axe.run(page, options=options))
    assert results.violations_count == 0, f"Accessibility violations on {page.url}:\n{results.generate_report()}"
    _checked_pages.add(seen)


SIGN_IN_PATH = "/accounts/login/"
TWO_FACTOR_CODE_PATH = "/accounts/two-factor/code/"


def _has_set_up_an_authenticator_app(email: str) -> None:
    """Someone who needs a second factor has set up their app already (the
    setting up itself: test_two_factor.py)."""
    user = User.objects.get(email=email)
    if account_selectors.two_factor_required_for(user) and account_selectors.authenticator_for(user) is None:
        TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)


def enter_authenticator_code(page: Page, email: str) -> None:
    device = account_selectors.authenticator_for(User.objects.get(email=email))
    page.locator("#id_code").fill(authenticator_code(device.bin_key, after=device.last_t))
    page.get_by_role("button", name="Continue", exact=True).click()
    page.wait_for_url(lambda url: urlsplit(url).path != TWO_FACTOR_CODE_PATH)


def sign_in(page: Page, email: str, password: str | None = None) -> None:
    """Sign in through the real sign-in form, and the code page for those who
    need a second factor; axe checks each page on the way."""
    _has_set_up_an_authenticator_app(email)
    page.goto(SIGN_IN_PATH)
    assert_accessible(page)
    page.locator("#id_username").fill(email)
    page.locator("#id_password").fill(password or settings.DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.wait_for_url(lambda url: urlsplit(url).path != SIGN_IN_PATH)
    if urlsplit(page.url).path == TWO_FACTOR_CODE_PATH:
        assert_accessible(page)
        enter_authenticator_code(page, email)
    assert_accessible(page)


# The address of the live server the pages are served from (tests/browser/conftest.py, ``page``).
_live_server_url: list[str] = [""]


def serving_from(url: str) -> None:
    _live_server_url[0] = url


def signed_in(page: Page, email: str) -> None:
    """Start signed in, as the test client's ``force_login`` does (the suite's version includes the second
    factor): a session made on the server and its cookie handed to the browser, then the home page.

    For journeys whose subject is what follows signing in. The sign-in pages themselves are walked through
    the real form (``sign_in``) where they are the subject: signing in and out, two-factor, passkeys,
    passwords and the session's time-out. Each sign-in through the form is three more pages for the
    browser to lay out, some sixty times a run."""
    client = Client()
    client.force_login(User.objects.get(email=email))
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": _live_server_url[0]}])
    page.goto("/")
    assert_accessible(page)


@dataclass
class BrowserProblems:
    """Console errors, uncaught JavaScript errors and failed requests a page ran into."""

    problems: list[str] = field(default_factory=list)
    expected_statuses: dict[str, int] = field(default_factory=dict)
    # Responses sent as attachments: Chromium downloads them and aborts their navigation.
    downloads: set[str] = field(default_factory=set)

    def watch(self, page: Page) -> None:
        page.on("console", self._on_console)
        page.on("pageerror", self._on_page_error)
        page.on("response", self._on_response)
        page.on("requestfailed", self._on_request_failed)

    def check(self) -> None:
        """Fail with every problem seen so far (each is reported once)."""
        problems, self.problems = self.problems, []
        assert not problems, "The browser reported problems:\n" + "\n".join(problems)

    def expect_status(self, path: str, status: int) -> None:
        """A test that means to open a missing page says so: that response is then not a problem."""
        self.expected_statuses[path] = status

    def _expected(self, url: str, status: int | None) -> bool:
        return status is not None and self.expected_statuses.get(urlsplit(url).path) == status

    def _on_console(self, message: ConsoleMessage) -> None:
        if message.type != "error":
            return
        url = message.location.get("url", "")
        # Chromium logs every 4xx or 5xx response as a console error, the page's own included.
        logged = re.search(r"status of (\d{3})", message.text)
        if logged and self._expected(url, int(logged.group(1))):
            return
        self.problems.append(f"console error: {message.text} (at {url})")

    def _on_page_error(self, error: Error) -> None:
        self.problems.append(f"uncaught JavaScript error: {error.message}")

    def _on_response(self, response: Response) -> None:
        disposition = response.headers.get("content-disposition", "")
        if response.ok and disposition.lower().startswith("attachment"):
            self.downloads.add(response.url)
        if response.status >= 400 and not self._expected(response.url, response.status):
            self.problems.append(f"HTTP {response.status} for {response.request.resource_type} {response.url}")

    def _on_request_failed(self, request: Request) -> None:
        if request.failure == "net::ERR_ABORTED" and request.url in self.downloads:
            return  # a download (page.expect_download), not a failure
        if request.failure == "net::ERR_ABORTED" and request.resource_type != "document":
            # The test moved on to another page while this file was still
            # loading; a file that is really missing answers 404, caught above.
            return
        self.problems.append(f"request failed: {request.resource_type} {request.url} ({request.failure})")
