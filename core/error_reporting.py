"""Error reporting to Sentry (or a service that speaks its protocol), only when SENTRY_DSN is set (ADR 28).

A report says where the code failed and in which request, never who or what it was about: no request
bodies, cookies, headers but a few harmless ones, query strings, users, local variables, breadcrumbs'
messages or database values. ``event_scrubbed`` is the last word on every event, whatever the SDK's
integrations add, and is tested on a sample event (tests/core/test_error_reporting.py).
"""

from __future__ import annotations

from typing import Any

from core.logs import redacted

# Request headers that say nothing about a person: the rest (cookies, authorisation, referrer, user agent,
# forwarded addresses) are dropped.
_HEADERS_KEPT = {"content-type", "content-length", "x-request-id", "accept"}


def _scrubbed_request(request: dict[str, Any]) -> dict[str, Any]:
    headers = request.get("headers") or {}
    return {
        "method": request.get("method"),
        # The URL without its query string: paths hold opaque identifiers only (ADR 4).
        "url": (request.get("url") or "").split("?", 1)[0],
        "headers": {name: value for name, value in headers.items() if name.lower() in _HEADERS_KEPT},
    }


def _scrubbed_exception(exception: dict[str, Any]) -> None:
    for value in exception.get("values") or []:
        if isinstance(value.get("value"), str):
            value["value"] = redacted(value["value"])
        for frame in (value.get("stacktrace") or {}).get("frames") or []:
            frame.pop("vars", None)


def event_scrubbed(event: dict[str, Any], hint: dict[str, Any] | None = None) -> dict[str, Any]:
    """``event`` with everything that could name or describe a person taken out (Sentry's before_send)."""
    for key in ("user", "extra", "server_name"):
        event.pop(key, None)
    if "request" in event:
        event["request"] = _scrubbed_request(event["request"])
    for key in ("exception", "threads"):
        if key in event:
            _scrubbed_exception(event[key])
    if isinstance(event.get("logentry"), dict):
        # A logged error's template ("Could not send %s"), without the values put into it.
        event["logentry"] = {"message": redacted(str(event["logentry"].get("message", "")))}
    if isinstance(event.get("message"), str):
        event["message"] = redacted(event["message"])
    breadcrumbs = event.get("breadcrumbs")
    if isinstance(breadcrumbs, dict):
        breadcrumbs = breadcrumbs.get("values")
    if breadcrumbs:
        # When and what kind of thing happened, not what it said (SQL with values, log messages).
        event["breadcrumbs"] = {
            "values": [
                {key: crumb[key] for key in ("timestamp", "type", "category", "level") if key in crumb}
                for crumb in breadcrumbs
            ]
        }
    contexts = event.get("contexts")
    if isinstance(contexts, dict):
        contexts.pop("response", None)
    return event


def error_reporting_start(*, dsn: str, environment: str, release: str | None = None) -> None:
    """Start the Sentry SDK, personal data off, for errors only (no performance tracing)."""
    import sentry_sdk
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        release=release or None,
        send_default_pii=False,
        max_request_body_size="never",
        include_local_variables=False,
        include_source_context=False,
        traces_sample_rate=0,
        integrations=[DjangoIntegration(transaction_style="url", middleware_spans=False, signals_spans=False)],
        before_send=event_scrubbed,
        before_send_transaction=lambda event, hint: None,
    )
