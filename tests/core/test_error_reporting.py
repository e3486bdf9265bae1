"""Error reports (core/error_reporting.py, ADR 28): on only with SENTRY_DSN, and nothing personal in them."""

import json

from core.error_reporting import event_scrubbed
from tests.records.test_health_and_settings import _production, _run

CHILD = ["Zebedee", "Quillfeather", "9434765919", "2019-03-14", "14 Elm Grove", "NG3 4QT"]
STAFF = ["priya.shah@northgate.example", "Priya Shah", "203.0.113.7", "sessionid=abc123"]


def sample_event() -> dict:
    """An event as the SDK's Django integration makes it for an error on a child's page, with everything that
    could slip into one: the form posted, cookies, the user, local variables, a database error's values."""
    return {
        "event_id": "fc6d8c0c43fc4630ad850ee518f1b9d0",
        "level": "error",
        "platform": "python",
        "server_name": "web-1.council.internal",
        "transaction": "/children/{child_id}/change/",
        "request": {
            "method": "POST",
            "url": "https://service.example/children/0b7c5e1a-0000-4000-8000-000000000001/change/?text=Quillfeather",
            "query_string": "text=Quillfeather",
            "data": {"given_name": "Zebedee", "family_name": "Quillfeather", "nhs_number": "9434765919"},
            "cookies": {"sessionid": "abc123"},
            "headers": {
                "Cookie": "sessionid=abc123",
                "Content-Type": "application/x-www-form-urlencoded",
                "X-Request-Id": "5f2b6c0e9d8a47f1b3c2a1908e7d6c5b",
                "X-Forwarded-For": "203.0.113.7",
                "Referer": "https://service.example/children/?text=Zebedee",
                "User-Agent": "Mozilla/5.0",
            },
            "env": {"REMOTE_ADDR": "203.0.113.7"},
        },
        "user": {"id": "42", "email": "priya.shah@northgate.example", "ip_address": "203.0.113.7"},
        "extra": {"child": "Zebedee Quillfeather"},
        "exception": {
            "values": [
                {
                    "type": "IntegrityError",
                    "value": 'duplicate key value violates unique constraint "records_child_nhs_number"\n'
                    "DETAIL:  Key (nhs_number)=(9434765919) already exists.",
                    "stacktrace": {
                        "frames": [
                            {
                                "filename": "records/services.py",
                                "function": "child_update",
                                "lineno": 112,
                                "vars": {"details": "ChildDetails(family_name='Quillfeather', address='14 Elm Grove')"},
                            }
                        ]
                    },
                }
            ]
        },
        "logentry": {"message": "Saving %s failed", "params": ["Zebedee"], "formatted": "Saving Zebedee failed"},
        "breadcrumbs": {
            "values": [
                {
                    "timestamp": "2026-12-06T14:00:00Z",
                    "type": "default",
                    "category": "query",
                    "message": "SELECT ... WHERE postcode = 'NG3 4QT'",
                    "data": {"params": ["NG3 4QT"]},
                },
                {"timestamp": "2026-12-06T14:00:01Z", "category": "records", "message": "born 2019-03-14"},
            ]
        },
        "contexts": {"response": {"status_code": 500}, "runtime": {"name": "CPython"}},
    }


def test_a_report_keeps_where_it_failed_and_drops_who_it_was_about():
    event = event_scrubbed(sample_event(), {})
    text = json.dumps(event)
    assert [word for word in CHILD + STAFF if word.lower() in text.lower()] == []
    # What someone fixing the error needs is still there.
    failure = event["exception"]["values"][0]
    assert failure["type"] == "IntegrityError"
    assert 'unique constraint "records_child_nhs_number"' in failure["value"]
    assert failure["stacktrace"]["frames"][0]["function"] == "child_update"
    assert event["request"] == {
        "method": "POST",
        "url": "https://service.example/children/0b7c5e1a-0000-4000-8000-000000000001/change/",
        "headers": {
            "Content-Type": "application/x-www-form-urlencoded",
            "X-Request-Id": "5f2b6c0e9d8a47f1b3c2a1908e7d6c5b",
        },
    }
    assert event["transaction"] == "/children/{child_id}/change/"
    assert [crumb["category"] for crumb in event["breadcrumbs"]["values"]] == ["query", "records"]
    assert event["logentry"] == {"message": "Saving %s failed"}


def test_error_reporting_is_off_without_a_dsn_and_on_with_one_personal_data_off(tmp_path):
    code = (
        "import django; django.setup(); import sentry_sdk; client = sentry_sdk.get_client(); o = client.options; "
        "print(client.is_active(), *((o['send_default_pii'], o['max_request_body_size'], "
        "o['include_local_variables'], o['before_send'].__name__) if client.is_active() else ()))"
    )
    off = _run(["-c", code], _production(tmp_path))
    assert off.stdout.strip() == "False", off.stderr
    # A DSN on a port nothing listens on: nothing is sent unless an error happens.
    on = _run(["-c", code], _production(tmp_path, SENTRY_DSN="http://public@127.0.0.1:9/1"))
    assert on.stdout.strip() == "True False never False event_scrubbed", on.stderr
