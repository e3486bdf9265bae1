"""The benchmark's browser: one person's cookies, CSRF token and connection, and signing in."""

from __future__ import annotations

import base64
import hashlib
import hmac
import http.client
import re
import struct
import time
import urllib.parse
from dataclasses import dataclass
from http.cookies import SimpleCookie

HOST = "127.0.0.1"
# gunicorn ends a request after SERVER_TIMEOUT seconds; the client waits a little longer to see it do so.
SERVER_TIMEOUT = 120
REQUEST_TIMEOUT = SERVER_TIMEOUT + 10

CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
TYPED_KEY = re.compile(r'id="typed-key">([A-Z2-7 ]+)<')
# Forms that record something carry a one-use key (records.middleware.SubmitOnceMiddleware).
SUBMISSION_KEY = re.compile(r'name="submission_key" value="([^"]+)"')


class BenchError(RuntimeError):
    pass


# The client: a browser's cookie jar, CSRF token and keep-alive connection


@dataclass
class Response:
    method: str
    path: str
    status: int
    headers: dict[str, str]
    body: str
    seconds: float

    @property
    def location(self) -> str:
        return self.headers.get("location", "")

    @property
    def queries(self) -> int | None:
        value = self.headers.get("x-query-count")
        return int(value) if value is not None else None

    @property
    def query_ms(self) -> float | None:
        value = self.headers.get("x-query-time-ms")
        return float(value) if value is not None else None


class Client:
    """One person's browser: its own connection, cookies and CSRF token."""

    def __init__(self, port: int, name: str):
        self.port = port
        self.name = name
        self.origin = f"https://{HOST}:{port}"
        self.cookies: dict[str, str] = {}
        self.csrf_token = ""
        # The submission key of the form last shown at each path, sent back with that form once.
        self.submission_keys: dict[str, str] = {}
        # Sent with every request as well (the benchmark's switch for the access log, bench/run.py).
        self.extra_headers: dict[str, str] = {}
        self.connection = http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT)

    def _store_cookies(self, response: http.client.HTTPResponse) -> None:
        for header in response.headers.get_all("Set-Cookie") or []:
            jar = SimpleCookie()
            jar.load(header)
            for name, morsel in jar.items():
                if morsel["max-age"] == "0" or not morsel.value:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value

    def request(self, method: str, path: str, data: dict | None = None, expect: tuple[int, ...] = (200,)) -> Response:
        headers = {
            "Host": f"{HOST}:{self.port}",
            "X-Forwarded-Proto": "https",
            "Accept": "text/html",
            **self.extra_headers,
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        body = None
        if method == "POST":
            fields = {"csrfmiddlewaretoken": self.csrf_token, **(data or {})}
            if path in self.submission_keys:
                fields["submission_key"] = self.submission_keys.pop(path)
            body = urllib.parse.urlencode(fields, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = self.origin
            headers["Referer"] = self.origin + path
        started = time.perf_counter()
        try:
            self.connection.request(method, path, body=body, headers=headers)
            raw = self.connection.getresponse()
            content = raw.read()
        except (ConnectionError, http.client.HTTPException):
            self.connection.close()
            if time.perf_counter() - started > 1:
                raise  # the server gave up on the request (its timeout): not to be sent again
            # A worker had closed the kept-alive connection: a browser opens another.
            started = time.perf_counter()
            self.connection.request(method, path, body=body, headers=headers)
            raw = self.connection.getresponse()
            content = raw.read()
        seconds = time.perf_counter() - started
        if raw.getheader("Connection", "").lower() == "close":
            self.connection.close()
        self._store_cookies(raw)
        response = Response(
            method,
            path,
            raw.status,
            {key.lower(): value for key, value in raw.getheaders()},
            content.decode("utf-8", "replace"),
            seconds,
        )
        if response.status not in expect:
            raise BenchError(
                f"{self.name}: {method} {path} answered {response.status} (expected {expect}), "
                f"location {response.location!r}: {response.body[:300]!r}"
            )
        if "text/html" in response.headers.get("content-type", ""):
            found = CSRF_FIELD.search(response.body)
            if found:
                self.csrf_token = found.group(1)
            found = SUBMISSION_KEY.search(response.body)
            if found and method == "GET":
                self.submission_keys[path] = found.group(1)
        return response

    def get(self, path: str, expect: tuple[int, ...] = (200,)) -> Response:
        return self.request("GET", path, expect=expect)

    def post(self, path: str, data: dict | None = None, expect: tuple[int, ...] = (302,)) -> Response:
        return self.request("POST", path, data, expect=expect)

    def follow(self, path: str) -> Response:
        """Get a page, following redirects as a browser does."""
        for _ in range(5):
            response = self.get(path, expect=(200, 302))
            if response.status == 200:
                return response
            path = path_of(response.location)
        raise BenchError(f"{self.name}: too many redirects from {path}")

    def post_then_get(self, path: str, data: dict | None = None) -> list[Response]:
        """A form sent and the page it leads to: what the person waits for."""
        sent = self.post(path, data)
        return [sent, self.get(path_of(sent.location))]

    def close(self) -> None:
        self.connection.close()


def path_of(location: str) -> str:
    parsed = urllib.parse.urlsplit(location)
    return parsed.path + (f"?{parsed.query}" if parsed.query else "")


def totp(key_hex: str, *, step: int = 30, t0: int = 0, digits: int = 6, drift: int = 0, at: float | None = None):
    """The code an authenticator app shows (RFC 6238, SHA-1), and the time step it belongs to."""
    counter = int(((time.time() if at is None else at) - t0) // step) + drift
    digest = hmac.new(bytes.fromhex(key_hex), struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(number % 10**digits).zfill(digits), counter


def sign_in(client: Client, email: str, password: str, authenticator: dict | None) -> dict | None:
    """Sign in as a person would, the second step included; returns the authenticator set up, if any."""
    client.get("/accounts/login/")
    sent = client.post("/accounts/login/", {"username": email, "password": password})
    location = path_of(sent.location)
    if location.startswith("/accounts/two-factor/set-up/"):
        # First sign-in of a lead: set up an authenticator app from the typed key, as a person would.
        page = client.get(location)
        found = TYPED_KEY.search(page.body)
        if not found:
            raise BenchError("The set-up page shows no typed key")
        key = base64.b32decode(found.group(1).replace(" ", "") + "=" * (-len(found.group(1).replace(" ", "")) % 8))
        authenticator = {"key_hex": key.hex(), "step": 30, "t0": 0, "digits": 6, "drift": 0}
        code, _ = totp(**authenticator)
        recovery = client.post(location, {"code": code})
        codes_page = client.get(path_of(recovery.location))
        onward = re.search(r'href="([^"]+)"[^>]*>\s*Continue', codes_page.body)
        client.follow(onward.group(1) if onward else "/")
        return authenticator
    if location.startswith("/accounts/two-factor/code/"):
        if authenticator is None:
            raise BenchError(f"{email} needs a code, and has no authenticator app in the database")
        client.get(location)
        for _attempt in range(3):
            code, counter = totp(**authenticator)
            answer = client.post(location, {"code": code}, expect=(200, 302))
            if answer.status == 302:
                client.follow(path_of(answer.location))
                return authenticator
            # That code was used already (a sign-in within the same 30 seconds): wait for the next.
            step = authenticator.get("step", 30)
            time.sleep(max(0.0, (counter + 1 - authenticator.get("drift", 0)) * step - time.time()) + 1)
        raise BenchError(f"{email}: the authenticator code was refused three times")
    client.follow(location)
    return authenticator
