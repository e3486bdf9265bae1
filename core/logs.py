"""Log lines: one JSON object a line in production, plain text for the demo, each with the request's id.

No Django import here: gunicorn.conf.py uses the same formatter for gunicorn's own lines before Django
is set up (ADR 28).

What a line may hold: request paths (opaque identifiers only, ADR 4), methods, statuses, durations,
class names of errors, counts. Never a child's or a family's details, nor what a form held. The
formatter also takes out what a database error quotes (PostgreSQL's ``DETAIL:  Key (...)=(...)``), in
case an exception's text reaches a log line.
"""

from __future__ import annotations

import contextvars
import json
import logging
import re
import uuid
from datetime import UTC, datetime

# The id of the request this thread or task is serving, "-" outside a request.
request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")

# What a proxy may send as X-Request-ID to be kept: hexadecimal with hyphens (nginx's $request_id, a
# UUID), 16 to 64 characters. Anything else (words, a name, a long string) is replaced by an id of our
# own, so a client cannot write into the logs through this header.
_SAFE_REQUEST_ID = re.compile(r"[0-9A-Fa-f-]{16,64}")

# PostgreSQL quotes the values behind a refused write ("DETAIL:  Key (nhs_number)=(943 476 5919) already
# exists."; "Failing row contains (...)"): everything from DETAIL on is dropped.
_DATABASE_DETAIL = re.compile(r"DETAIL:.*", re.DOTALL)


def request_id_from(header: str | None) -> str:
    """The proxy's id when it is a safe token, otherwise a new one (32 hexadecimal digits)."""
    if header and _SAFE_REQUEST_ID.fullmatch(header):
        return header
    return uuid.uuid4().hex


def request_id_clear(**kwargs) -> None:
    """When a response is finished (Django's request_finished): lines written after it belong to no request."""
    request_id_var.set("-")


def redacted(text: str) -> str:
    """``text`` without what a database error quotes of the row it refused."""
    return _DATABASE_DETAIL.sub("DETAIL: (values left out)", text)


class RequestIdFilter(logging.Filter):
    """Puts the id of the request being served on every record (``record.request_id``)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = request_id_var.get()
        return True


# gunicorn's access log passes its "atoms" as the record's arguments: these are kept, by name. Never the
# query string (q, r), the client's address (h), the user (u), the referrer (f) or the user agent (a).
_ACCESS_FIELDS = {"m": "method", "U": "path", "s": "status", "B": "bytes", "M": "duration_ms"}


def _access_fields(record: logging.LogRecord) -> dict | None:
    atoms = record.args
    if record.name != "gunicorn.access" or not hasattr(atoms, "get"):
        return None
    fields = {name: atoms.get(atom) for atom, name in _ACCESS_FIELDS.items()}
    # The id the service put on the response (core.middleware.RequestIdMiddleware).
    fields["request_id"] = atoms.get("{x-request-id}o") or "-"
    return fields


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time (UTC, ISO 8601), level, logger, request_id, message, and exception."""

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "request_id": getattr(record, "request_id", None) or request_id_var.get(),
        }
        access = _access_fields(record)
        if access is not None:
            line.update(access)
            line["message"] = "{method} {path} {status}".format(**access)
        else:
            line["message"] = redacted(record.getMessage())
        if record.exc_info:
            line["exception"] = redacted(self.formatException(record.exc_info))
        elif record.exc_text:
            line["exception"] = redacted(record.exc_text)
        if record.stack_info:
            line["stack"] = self.formatStack(record.stack_info)
        return json.dumps(line, ensure_ascii=False, default=str)


class PlainFormatter(logging.Formatter):
    """The demo's lines: ``time level [request id] logger message``, redacted as the JSON ones are."""

    def __init__(self) -> None:
        super().__init__("{asctime} {levelname} [{request_id}] {name} {message}", style="{")

    def format(self, record: logging.LogRecord) -> str:
        if not hasattr(record, "request_id"):
            record.request_id = request_id_var.get()
        access = _access_fields(record)
        if access is not None:
            record.request_id = access["request_id"]
            record.msg, record.args = "{method} {path} {status} {bytes} {duration_ms}ms".format(**access), None
        return redacted(super().format(record))


def _at_least_info(level: str) -> str:
    return "INFO" if logging.getLevelName(level.upper()) == logging.DEBUG else level.upper()


def logging_config(*, log_format: str, level: str) -> dict:
    """The ``LOGGING`` dictionary for Django (config/settings.py) with the formatter ``log_format`` asks for."""
    if log_format not in {"json", "plain"}:
        raise ValueError(f"LOG_FORMAT must be json or plain, not {log_format!r}.")
    formatter = "core.logs.JsonFormatter" if log_format == "json" else "core.logs.PlainFormatter"
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"line": {"()": formatter}},
        "filters": {"request_id": {"()": "core.logs.RequestIdFilter"}},
        "handlers": {
            "console": {"class": "logging.StreamHandler", "formatter": "line", "filters": ["request_id"]},
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            # WeasyPrint says at INFO what each step of making a PDF is doing; its warnings (a refused fetch)
            # are kept.
            "weasyprint": {"level": "WARNING"},
            "fontTools": {"level": "WARNING"},
            # Django's default sends django.* to a console of its own too (every line twice with DEBUG on)
            # and, with ADMINS, error reports by email, which would carry what a page showed: our console
            # alone, once.
            "django": {"handlers": ["console"], "level": level, "propagate": False},
            # Never at DEBUG, whatever LOG_LEVEL says: there the template engine prints a page's whole
            # context (the records it shows) and the database backend every query with its values.
            "django.template": {"level": _at_least_info(level)},
            "django.db.backends": {"level": _at_least_info(level)},
        },
    }
