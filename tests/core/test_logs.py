"""Log lines (core/logs.py, ADR 28): JSON with the request's id, and never a child's details."""

import io
import json
import logging
from datetime import date

import pytest
from django.conf import settings
from django.db import IntegrityError
from django.urls import reverse

from core.logs import JsonFormatter, PlainFormatter, RequestIdFilter, logging_config, request_id_from
from tests.factories import ChildFactory
from tests.sharing.recorded import record_decision

NGINX_REQUEST_ID = "5f2b6c0e9d8a47f1b3c2a1908e7d6c5b"


@pytest.mark.parametrize(
    "header",
    [NGINX_REQUEST_ID, "0f5e7d4c-3b2a-4908-8172-635445362718"],
    ids=["nginx", "uuid"],
)
def test_a_proxys_request_id_is_kept(header):
    assert request_id_from(header) == header


@pytest.mark.parametrize(
    "header",
    [None, "", "Ava Brown", "abc", "x" * 40, "5f2b6c0e9d8a47f1b3c2a1908e7d6c5b\n{}", "f" * 65, "ava-brown-2019-07-04"],
)
def test_anything_else_is_replaced_by_an_id_of_our_own(header):
    made = request_id_from(header)
    assert made != header
    assert len(made) == 32 and int(made, 16) >= 0


@pytest.mark.django_db
def test_every_response_carries_its_request_id(client):
    kept = client.get("/healthz", HTTP_X_REQUEST_ID=NGINX_REQUEST_ID)
    assert kept["X-Request-ID"] == NGINX_REQUEST_ID
    replaced = client.get("/healthz", HTTP_X_REQUEST_ID="Ava Brown")
    assert replaced["X-Request-ID"] != "Ava Brown" and len(replaced["X-Request-ID"]) == 32
    assert client.get("/healthz")["X-Request-ID"] != client.get("/healthz")["X-Request-ID"]


def _record(message: str, *args, name: str = "records", exc_info=None) -> logging.LogRecord:
    return logging.LogRecord(name, logging.WARNING, __file__, 1, message, args, exc_info)


def test_a_json_line_has_the_time_level_logger_request_id_and_message():
    record = _record("Database unavailable (%s) on %s %s", "OperationalError", "GET", "/children/")
    record.request_id = NGINX_REQUEST_ID
    line = json.loads(JsonFormatter().format(record))
    assert line == {
        "time": line["time"],
        "level": "WARNING",
        "logger": "records",
        "request_id": NGINX_REQUEST_ID,
        "message": "Database unavailable (OperationalError) on GET /children/",
    }
    assert line["time"].endswith("+00:00")


def test_what_a_database_error_quotes_is_left_out_of_a_line():
    error = (
        'duplicate key value violates unique constraint "records_child_nhs_number"\n'
        "DETAIL:  Key (nhs_number)=(9434765919) already exists."
    )
    try:
        raise IntegrityError(error)
    except IntegrityError:
        import sys

        record = _record("Could not save: %s", error, exc_info=sys.exc_info())
    for formatter in (JsonFormatter(), PlainFormatter()):
        RequestIdFilter().filter(record)
        text = formatter.format(record)
        assert "9434765919" not in text
        assert "records_child_nhs_number" in text, "what went wrong is still said"


def test_gunicorns_access_line_keeps_the_path_and_request_id_but_not_the_query_string_or_address():
    atoms = {
        "m": "GET",
        "U": "/children/0b7c/",
        "q": "text=Ava+Brown",
        "r": "GET /children/0b7c/?text=Ava+Brown HTTP/1.1",
        "h": "203.0.113.7",
        "a": "Mozilla/5.0",
        "f": "https://service.example/children/?text=Ava+Brown",
        "s": "200",
        "B": 5120,
        "M": 12,
        "{x-request-id}o": NGINX_REQUEST_ID,
    }
    record = logging.LogRecord("gunicorn.access", logging.INFO, __file__, 1, "%(r)s", (atoms,), None)
    line = JsonFormatter().format(record)
    assert json.loads(line) == {
        "time": json.loads(line)["time"],
        "level": "INFO",
        "logger": "gunicorn.access",
        "request_id": NGINX_REQUEST_ID,
        "method": "GET",
        "path": "/children/0b7c/",
        "status": "200",
        "bytes": 5120,
        "duration_ms": 12,
        "message": "GET /children/0b7c/ 200",
    }
    for left_out in ("Ava", "203.0.113.7", "Mozilla"):
        assert left_out not in line


def test_log_format_is_json_or_plain():
    assert logging_config(log_format="json", level="INFO")["formatters"]["line"]["()"] == "core.logs.JsonFormatter"
    assert logging_config(log_format="plain", level="INFO")["formatters"]["line"]["()"] == "core.logs.PlainFormatter"
    with pytest.raises(ValueError, match="LOG_FORMAT"):
        logging_config(log_format="xml", level="INFO")


@pytest.fixture
def log_lines():
    """Every line the service has logged so far in the test, as production writes them (JSON), when called."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestIdFilter())
    # As with LOG_LEVEL=DEBUG, more than production writes, not less: the root and "django" (which does not
    # propagate) at DEBUG, but for the two loggers the settings keep at INFO (core.logs.logging_config).
    loggers = [logging.getLogger(), logging.getLogger("django")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.addHandler(handler)
        logger.setLevel(logging.DEBUG)
    for name in ("django.template", "django.db.backends"):
        assert logging.getLogger(name).getEffectiveLevel() >= logging.INFO or not settings.LOGGING
        assert settings.LOGGING["loggers"][name]["level"] != "DEBUG"
    try:
        yield lambda: [json.loads(line) for line in stream.getvalue().splitlines() if line.strip()]
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.removeHandler(handler)
            logger.setLevel(level)


@pytest.mark.django_db
def test_no_log_line_holds_a_childs_details(log_lines, practitioner_client, practitioner, agency, other_agency):
    """Pages that show, search for, change and refuse a child's record, with a bad form among them: the
    lines they log name paths and identifiers, never the child."""
    born = date(2019, 3, 14)
    child = ChildFactory(
        agency=agency, given_name="Zebedee", family_name="Quillfeather", date_of_birth=born, nhs_number="9434765919"
    )
    decision = record_decision(user=practitioner, child=child)
    foreign = ChildFactory(agency=other_agency, given_name="Ottoline", family_name="Marchbanks")
    before_pages = len(log_lines())
    pages = [
        reverse("oversight:child_detail", args=[child.pk]),
        reverse("oversight:chronology", args=[child.pk]),
        reverse("oversight:child_history", args=[child.pk]),
        reverse("records:child_change", args=[child.pk]),
        reverse("sharing:decision_detail", args=[decision.pk]),
        reverse("oversight:child_detail", args=[foreign.pk]),
        "/children/not-a-child/",
    ]
    statuses = [practitioner_client.get(page).status_code for page in pages]
    # The audit history is the leads' (refused here, and logged as refused), the other agency's child not found.
    assert statuses == [200, 200, 403, 200, 200, 404, 404]
    searched = practitioner_client.post(reverse("records:child_search"), {"text": "Quillfeather"})
    assert searched.status_code in (200, 302)
    searched = practitioner_client.post(reverse("records:child_search"), {"text": "943 476 5919"})
    assert searched.status_code in (200, 302)
    refused = practitioner_client.post(
        reverse("records:child_change", args=[child.pk]),
        {
            "given_name": "Zebedee",
            "family_name": "Quillfeather",
            "born": "yes",
            "date_of_birth_0": "14",
            "date_of_birth_1": "3",
            "date_of_birth_2": "2999",
            "nhs_number": "943 476 5918",
            "sex": "male",
        },
    )
    assert "Date of birth must be today or in the past" in refused.content.decode()

    # factory_boy's and Faker's lines are the test's own making of the records, not the service's.
    lines = [line for line in log_lines() if not line["logger"].startswith(("factory", "faker"))]
    assert lines, "the pages logged something (the refusals at least)"
    assert any(line["logger"] == "django.request" for line in lines), "the 404s are logged"
    forbidden = ["Zebedee", "Quillfeather", "Ottoline", "Marchbanks", "9434765919", "943 476 5919", "943 476 5918"]
    forbidden += [born.isoformat(), "14/03/2019", "14 March 2019", "2999"]
    for line in lines:
        text = json.dumps(line, ensure_ascii=False)
        assert not [word for word in forbidden if word.lower() in text.lower()], text
    for line in log_lines()[before_pages:]:
        assert line["request_id"] != "-", f"logged while serving a request, so with its id: {line}"
