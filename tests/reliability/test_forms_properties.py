"""Property-based tests: every form page, posted anything at all, answers with
a page that says what is wrong, or saves something the form would accept.

Each page starts from a valid post (tests/reliability/pages.py) and Hypothesis
spoils a few of its fields at a time: arbitrary text, right-to-left text,
combining marks, emoji, NUL characters, values over 10,000 characters, blank
and missing fields, a field sent twice, text where a number or a date part
goes, several values where one is expected, impossible or out-of-range dates,
choices that are not on offer (a record of another agency, a value of another
form's radios), an upload where text goes, and fields nobody asked for.

For every response:

- never a server error (the test client raises the view's exception, so the
  failure shows its traceback);
- a redirect (a save, or the next step) to a page of this service, and that
  page opens; or a 200 page with the GOV.UK error summary ("There is a
  problem") listing at least one message, having stored nothing of the case
  records;
- whatever was stored passes its model's ``full_clean()`` and holds no NUL
  character (PostgreSQL refuses them, and they are never what someone meant).

Each example runs in a savepoint that is rolled back, so every post meets the
same records. ``HYPOTHESIS_PROFILE=long`` runs many more examples
(tests/reliability/conftest.py). A failure found here that is a fault of the
application is kept below as an explicit ``@example`` until it is fixed.
"""

from __future__ import annotations

import copy
import inspect
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode, urljoin, urlsplit

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, models, transaction
from django.urls import URLPattern, URLResolver, get_resolver
from hypothesis import event, example, given
from hypothesis import strategies as st

from ledger import history as ledger_history
from ledger.models import Entry, LedgerRecord
from tests.reliability.pages import FORM_PAGES, FormPage, World, resolve

# Pages not driven here: the admin's own forms (Django's, for platform
# administrators, tests/records/test_admin.py), the health check, and "Stay
# signed in", which the time-out warning's script posts and which answers
# JSON, whatever the body (tests/accounts/test_time_out_warning.py); and a
# passkey's challenge and answer, which the page's script posts as JSON
# (tests/accounts/test_sign_in_methods.py, and through Chromium's virtual
# authenticator in tests/browser/test_passkeys.py).
NOT_DRIVEN = (
    "admin:",
    "stay_signed_in",
    "passkey_add_begin",
    "passkey_add_complete",
    "two_factor:passkey_begin",
    "two_factor:passkey_complete",
)

# Apps whose rows are case records or staff: a page that answers with errors
# must not have changed any of them.
CASE_APPS = {"records", "consent", "sharing", "exchange", "advice"}
# Apps whose stored rows must pass their model's full_clean() after a save
# (the access log and sign-in sessions are written on a save too).
CHECKED_APPS = CASE_APPS | {"audit", "accounts"}
# Tables that are not worth reading on every post (fixed reference data) or
# that hold only signed, encoded data (sessions).
NOT_COMPARED = {"auth.permission", "auth.group", "contenttypes.contenttype", "sessions.session"}
# Values a form promises to store in one shape only, whatever was typed: an
# NHS number in other digits (fullwidth, Arabic-Indic) would slip past the
# duplicate check and never be found by a search for the number.
STORED_SHAPES = {
    "records.child.nhs_number": ("10 ASCII digits, or blank", re.compile(r"(?:[0-9]{10})?")),
}

# Built from these: text a person could type, or a script could send.
# Hebrew and Arabic letters and digits, and the marks that turn text right to left.
RTL = "\u05d0\u05d1\u05d2\u05e9\u05dc\u05d5\u05dd \u0645\u0631\u062d\u0628\u0627 \u0661\u0662\u0663"
RTL += "\u202b\u202e\u200f\u061c"
COMBINING = "\u0300\u0301\u0302\u0303\u0308\u0327\u0336\u20dd\u0489\u1ab0\u1dc0\ufe20"
EMOJI = [
    "\U0001f600",
    "\U0001f469\u200d\U0001f469\u200d\U0001f467",
    "\U0001f1ec\U0001f1e7",
    "\u2764\ufe0f",
    "\U0001f44d\U0001f3fd",
]
# Text where a number or a date part goes; "²" and "①" are digits to str.isdigit() but not to int().
NOT_A_NUMBER = [
    "abc", "1.5", "-1", "1e3", "\u00b2", "\u2460", "\u0661\u0662", "\uff11\uff12", "0x1F", " 7 ", "NaN",
    "Infinity", "[]", "None", "99999999999999999999999",
]  # fmt: skip
# Dates as day, month, year: impossible, out of range, in other scripts, or far off.
BAD_DATES = [
    ("1", "1", "0"),
    ("1", "1", "0000"),
    ("1", "1", "0001"),
    ("1", "1", "99999"),
    ("31", "12", "9999"),
    ("31", "2", "2024"),
    ("29", "2", "2023"),
    ("0", "0", "2020"),
    ("32", "13", "2020"),
    ("1", "1", "-2020"),
    ("1", "1", "1900"),
    ("\uff11", "\uff11", "\uff12\uff10\uff12\uff10"),
    ("\u0661", "\u0661", "\u0662\u0660\u0662\u0660"),
    ("1", "1", "2999"),
    ("", "5", "2020"),
]
FORGED = [
    "", "0", "-1", "None", "null", "true", "on", "yes ", "YES", "\uff59es", "../", "' OR 1=1 --",
    "00000000-0000-0000-0000-000000000000",
]  # fmt: skip
ACTIONS = ["continue", "save_later", "add_item", "record", "delete", "__proto__"]
STRAY_FIELDS = [
    "item_31_text", "item_0_kind", "checks_fax", "item_rows", "action", "connect", "next", "__all__",
    "csrfmiddlewaretoken", "pk", "id", "agency", "recorded_by", "is_superuser", "content_sha256", "leaf_hash",
]  # fmt: skip

characters = st.characters(exclude_categories=["Cs"])
text = st.one_of(
    st.text(characters, max_size=40),
    st.text(st.sampled_from(RTL), min_size=1, max_size=40),
    st.builds(
        lambda base, marks: "".join(letter + marks for letter in base),
        st.text("aeMia ", min_size=1, max_size=8),
        st.text(st.sampled_from(COMBINING), min_size=1, max_size=12),
    ),
    st.lists(st.sampled_from(EMOJI), min_size=1, max_size=10).map("".join),
    st.builds(lambda a, b: f"{a}\x00{b}", st.text(characters, max_size=10), st.text(characters, max_size=10)),
    st.builds(
        lambda unit, times: unit * times,
        st.sampled_from(["x", "\u00e9", "\U0001f600", "\u05d0", "a\u0301", "<b>", "\x00"]),
        st.integers(10_001, 12_000),
    ),
    st.sampled_from(["", " ", "\t\r\n", "\u00a0", "\u200b", "\ufeff", "\r\n\r\n"]),
)
MUTATIONS = [
    "text",
    "missing",
    "twice",
    "not_a_number",
    "several",
    "bad_date",
    "forged_choice",
    "other_choice",
    "upload",
]


class Shape:
    """What a page's form takes: its field names, which are dates, which are choices."""

    def __init__(self, page: FormPage, world: World, valid: list[dict]):
        form = page.form(world)
        self.names: set[str] = set(page.extra_fields)
        self.date_groups: dict[str, list[str]] = {}
        self.choices: dict[str, list[str]] = {}
        for body in valid:
            self.names.update(body)
        if form is not None:
            for name, form_field in form.fields.items():
                widget = form_field.widget
                if hasattr(widget, "widgets"):
                    parts = [f"{name}{suffix}" for suffix in widget.widgets_names]
                    self.names.update(parts)
                    for part in parts:
                        self.date_groups[part] = parts
                else:
                    self.names.add(name)
                if getattr(form_field, "choices", None) is not None:
                    self.choices[name] = [str(value) for value, _ in form_field.choices if str(value)]
        # A page with nothing to fill in (a button) still gets fields nobody asked for.
        self.names = sorted(self.names) or list(STRAY_FIELDS)


def _choice_values(world: World) -> list[str]:
    """Every choice any form offers, and ids of other agencies' records: forged choices to try."""
    offered: dict[str, None] = {}  # in the order the forms offer them
    for page in FORM_PAGES:
        form = page.form(world)
        for form_field in form.fields.values() if form is not None else ():
            for value, _ in getattr(form_field, "choices", None) or ():
                offered[str(value)] = None
    # Record ids differ from run to run: they go last, in a fixed order, so
    # that the same examples are drawn on every run.
    ids = [value for value in offered if value.isdigit() or UUID.fullmatch(value)] + world.foreign_ids
    words = sorted((set(FORGED) | set(ACTIONS) | set(offered)) - set(ids))
    return words + list(dict.fromkeys(ids))


@st.composite
def posts(draw, shape: Shape, valid: list[dict], choice_pool: list[str]):
    """A valid body with a few fields spoilt, and how it is encoded."""
    body = dict(draw(st.sampled_from(valid)))
    for _ in range(draw(st.integers(0, 4))):
        name = draw(st.sampled_from(shape.names))
        mutation = draw(st.sampled_from(MUTATIONS))
        if mutation == "text":
            body[name] = draw(text)
        elif mutation == "missing":
            # A date is left out whole, or one of its day, month and year.
            whole = shape.date_groups.get(name) if draw(st.booleans()) else None
            for part in whole or [name]:
                body.pop(part, None)
        elif mutation == "twice":
            spoilt = draw(text | st.sampled_from(choice_pool))
            original = body.get(name, "")
            original = original[-1] if isinstance(original, list) and original else original
            body[name] = draw(st.permutations([original, spoilt]))
        elif mutation == "not_a_number":
            body[name] = draw(st.sampled_from(NOT_A_NUMBER))
        elif mutation == "several":
            body[name] = draw(st.lists(text | st.sampled_from(choice_pool), min_size=2, max_size=4))
        elif mutation == "bad_date":
            group = shape.date_groups.get(name) or shape.date_groups.get(draw(st.sampled_from(shape.names)))
            if group:
                body.update(zip(group, draw(st.sampled_from(BAD_DATES)), strict=True))
            else:
                body[name] = draw(st.sampled_from(["31/02/2024", "2024-02-31", "0000-00-00", "99999-01-01"]))
        elif mutation == "forged_choice":
            body[name] = draw(st.sampled_from(choice_pool))
        elif mutation == "other_choice":
            # A real choice of this field: a different branch of the form's rules.
            offered = shape.choices.get(name)
            if offered:
                body[name] = draw(st.sampled_from(offered) | st.lists(st.sampled_from(offered), max_size=3))
        elif mutation == "upload":
            body[name] = SimpleUploadedFile(
                draw(st.sampled_from(["form.pdf", "../../etc/passwd", "x\x00.png", "\u202egnp.exe"])),
                draw(st.sampled_from([b"%PDF-1.4\n", b"", b"\x00" * 64, b"<script>alert(1)</script>"])),
            )
    if draw(st.integers(0, 4)) == 0:
        body[draw(st.sampled_from(STRAY_FIELDS) | st.text(characters, min_size=1, max_size=20))] = draw(text)
    has_upload = any(hasattr(value, "read") for value in body.values())
    encoding = "multipart" if has_upload else draw(st.sampled_from(["multipart", "urlencoded"]))
    return body, encoding


# What the database holds, to see what a post changed.


def _compared_models() -> list[type[models.Model]]:
    return [model for model in apps.get_models() if model._meta.label_lower not in NOT_COMPARED]


def _snapshot(compared) -> dict:
    state = {}
    for model in compared:
        names = [f.attname for f in model._meta.concrete_fields]
        state[model] = {row[0]: row for row in model.objects.values_list("pk", *names)}
    return state


# A statement that may write to a table: the ORM's and the service's own SQL alike ("FOR UPDATE OF" or "DO UPDATE
# SET" name no table, and a name that is no model's table is passed over).
_WRITES = re.compile(r'\b(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)', re.IGNORECASE)


class _TablesWritten:
    """The tables written to by the statements run on the connection while this watches (``execute_wrapper``).

    After a post only the models of those tables are read again, not every row of every model: reading them
    all was half of each example's time. The database's own triggers write nothing (they refuse a change)."""

    def __init__(self) -> None:
        self.tables: set[str] = set()

    def __call__(self, execute, sql, params, many, context):
        self.tables.update(table.lower() for table in _WRITES.findall(sql))
        return execute(sql, params, many, context)

    def models_of(self, compared) -> list[type[models.Model]]:
        return [model for model in compared if model._meta.db_table.lower() in self.tables]


def _post_watched(client, url: str, posted: dict, encoding: str = "multipart"):
    """The response to the post, and the watch on what its statements wrote to."""
    written = _TablesWritten()
    with connection.execute_wrapper(written):
        if encoding == "urlencoded":
            body = urlencode(posted, doseq=True)
            return client.post(url, body, content_type="application/x-www-form-urlencoded"), written
        return client.post(url, posted), written


def _baseline(world: World) -> dict:
    """Every row before a post; every example is rolled back, so the database is the same before each."""
    if world.baseline is None:
        world.baseline = _snapshot(world.compared_models)
    return world.baseline


def _changed(before: dict, after: dict) -> Iterator[tuple[type[models.Model], tuple]]:
    for model, rows in after.items():
        for pk, row in rows.items():
            if before[model].get(pk) != row:
                yield model, row


def _strings(value) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(key)
            yield from _strings(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _strings(item)


UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
ERROR_LIST = re.compile(r'<ul class="govuk-list govuk-error-summary__list">(.*?)</ul>', re.S)


def _error_messages(html: str) -> list[str]:
    if "There is a problem" not in html:
        return []
    found = ERROR_LIST.search(html)
    return re.findall(r"<li>.*?</li>", found.group(1), re.S) if found else []


def _is_history(model) -> bool:
    return model.__name__.startswith("Historical")


def _ledger_kind(model) -> str:
    """The kind its rows are entered in the log as, or "" for a model whose rows are not."""
    if issubclass(model, LedgerRecord):
        return model.ledger_kind
    return ledger_history.kind_of(model) if model in ledger_history.historical_models() else ""


def _assert_valid(url: str, stored: models.Model) -> None:
    """What a save stored is what its model accepts, and an upload is kept where uploads go."""
    fields = stored._meta.fields
    files = [f for f in fields if isinstance(f, models.FileField)]
    stored.full_clean(exclude=[f.name for f in fields if not f.editable or f in files])
    for file_field in files:
        kept = getattr(stored, file_field.attname)
        if kept:
            where = Path(kept.storage.path(kept.name)).resolve()
            assert Path(kept.storage.location).resolve() in where.parents, f"POST {url} kept a file at {where}"


def _check(page: FormPage, world: World, body: dict, encoding: str) -> None:
    client = world.client_for(page.role)
    signed_in = world.cookies[page.role]
    client.cookies = copy.deepcopy(signed_in)  # a sign-out or sign-in in one example ends with it
    url = page.url(world)
    posted = resolve(body)
    compared = world.compared_models
    before = _baseline(world)
    with transaction.atomic():
        response, written = _post_watched(client, url, posted, encoding)
        after = _snapshot(written.models_of(compared))
        changed = list(_changed(before, after))
        status = response.status_code
        assert status < 500, f"POST {url} answered {status}"

        for model, row in changed:
            names = ["pk", *(f.attname for f in model._meta.concrete_fields)]
            nul = [name for name, value in zip(names, row, strict=True) if any("\x00" in s for s in _strings(value))]
            assert not nul, f"POST {url} stored a NUL character in {model._meta.label}.{nul}"
            for name, value in zip(names, row, strict=True):
                shape = STORED_SHAPES.get(f"{model._meta.label_lower}.{name}")
                assert shape is None or shape[1].fullmatch(value), (
                    f"POST {url} stored {model._meta.label}.{name} {value!r}, not {shape[0]}"
                )

        # Whatever was written once (a record, an access event, a row of change history) is in the log.
        for model, row in changed:
            kind = _ledger_kind(model)
            if kind:
                assert Entry.objects.filter(kind=kind, record_id=str(row[0])).count() == 1, (
                    f"POST {url} stored {model._meta.label} {row[0]} without entering it in the log once"
                )

        event("saved, or the next step" if status in (301, 302, 303) else "a page with errors")
        if status in (301, 302, 303):
            location = urljoin(url, response["Location"])
            assert urlsplit(location).netloc in ("", "testserver") and not location.startswith("//"), (
                f"POST {url} redirected off the service, to {location}"
            )
            for model, row in changed:
                if model._meta.app_label in CHECKED_APPS and not _is_history(model):
                    _assert_valid(url, model.objects.get(pk=row[0]))
            following = client.get(location)
            assert following.status_code < 500, f"after POST {url}, GET {location} answered {following.status_code}"
        else:
            assert status == 200, f"POST {url} answered {status}"
            html = response.content.decode()
            if not page.plain_page_ok(posted):
                assert _error_messages(html), f"POST {url} answered 200 without an error summary and messages"
            stored = sorted({m._meta.label for m, _ in changed if m._meta.app_label in CASE_APPS})
            assert not stored, f"POST {url} answered with errors but changed {stored}"
        transaction.set_rollback(True)


@pytest.fixture
def world(agency, practitioner, lead, agency_admin, other_practitioner):
    world = World(
        agency=agency,
        practitioner=practitioner,
        lead=lead,
        agency_admin=agency_admin,
        other_practitioner=other_practitioner,
    )
    world.compared_models = _compared_models()
    world.baseline = None
    world.cookies = _CookieJars(world)
    return world


class _CookieJars(dict):
    def __init__(self, world):
        super().__init__()
        self.world = world

    def __missing__(self, role):
        self[role] = copy.deepcopy(self.world.client_for(role).cookies)
        return self[role]


MISSING = object()  # in an example: leave the field out


def _example_body(valid: list[dict], changes: dict) -> dict:
    """The page's first valid body with these fields changed (or left out)."""
    body = dict(valid[0])
    for name, value in changes.items():
        if value is MISSING:
            body.pop(name, None)
        else:
            body[name] = value
    return body


# Inputs tried first on every run, as changes to the page's first valid body:
# weak spots worth checking every time (digits that are not ASCII, buttons
# of another page, impossible and far-off dates, NUL characters).
PROBES: dict[str, list[tuple[dict, str]]] = {
    "sharing:question[sharing]": [({"action": "add_item", "item_rows": "99999999999999999999"}, "urlencoded")],
    "sharing:question[purpose]": [({"action": "save_later"}, "multipart")],
    # Question 7's list of items: an item to remove that is no number, or none of the list.
    "sharing:question_page[sharing/items]": [({"remove": "\u00b2"}, "multipart"), ({"remove": "29"}, "urlencoded")],
    # Question 8's date and time, on its page of them (guidance.PAGES).
    "sharing:question_page[decision/when]": [
        ({"decided_on_0": "1", "decided_on_1": "1", "decided_on_2": "0001", "decided_time": "00:00"}, "multipart"),
        ({"decided_time": "24:00"}, "multipart"),
    ],
    "exchange:disclosure_page[told]": [
        ({"informed_on_0": "1", "informed_on_1": "1", "informed_on_2": "0001"}, "multipart"),
    ],
    # The list of items disclosed: an item to remove that is no number, or none of the list.
    "exchange:disclosure_page[items]": [({"remove": "\u00b2"}, "multipart"), ({"remove": "29"}, "urlencoded")],
    "exchange:request_add_page[received]": [
        ({"received_on_0": "1", "received_on_1": "1", "received_on_2": "0001", "received_time": "00:00"}, "multipart"),
    ],
    "consent:add": [
        ({"responded_on_2": "0001", "assessed_on_2": "0001", "review_on_2": "0002"}, "multipart"),
        ({"review_on_0": "31", "review_on_1": "12", "review_on_2": "9999"}, "multipart"),
    ],
    "records:child_add": [({"date_of_birth_2": "0001"}, "multipart")],
    "records:adult_link": [({"adult": MISSING, "connect": MISSING, "name": "\x00"}, "multipart")],
    "login": [({"username": "person\x00@example.org"}, "multipart"), ({"next": "//evil.example/"}, "multipart")],
}

# Failing examples found by this test, kept until the application is fixed,
# in the same form as PROBES.
KNOWN_FAILURES: dict[str, list[tuple[dict, str]]] = {
    # "Add another item" is a button of question 7 only; sent to another
    # question, draft_question reads form.item_count, which only question 7's
    # form has: AttributeError, a 500 (sharing/views.py, draft_question).
    **{
        f"sharing:question[{question}]": [({"action": "add_item"}, "multipart")]
        for question in (
            "purpose",
            "identifiable",
            "confidential",
            "consent",
            "statutory",
            "public-interest",
            "decision",
        )
    },
    # item_rows "²" or "①" passes str.isdigit() but not int(): ValueError, a
    # 500 (sharing/forms.py, ItemRowsMixin.add_item_fields), on question 7.
    "sharing:question[sharing]": [({"item_rows": "\u00b2"}, "multipart")],
}
# A day or month too large for a C long ("99999999999999999999999"): date()
# raises OverflowError, which GovukDateField.compress does not catch (it
# catches ValueError), so every day-month-year date input answers with a 500
# (core/forms.py, GovukDateField.compress).
HUGE = "99999999999999999999999"
for page_id, changes in (
    ("consent:withdraw", {"responded_on_0": HUGE}),
    ("records:child_add", {"date_of_birth_1": HUGE}),
    ("records:child_search", {"date_of_birth_0": HUGE, "date_of_birth_1": "1", "date_of_birth_2": "2015"}),
    ("sharing:question_page[decision/when]", {"decided_on_0": HUGE}),
    ("exchange:request_add_page[received]", {"received_on_1": HUGE}),
    ("exchange:follow_up_add", {"informed_on_0": HUGE}),
):
    KNOWN_FAILURES.setdefault(page_id, []).append((changes, "multipart"))
# An NHS number with a digit int() cannot read ("943476591²": "²".isdigit()
# is true) passes nhs_number_problem's isdigit() check, then int() raises
# ValueError: a 500 on adding or changing a child (records/identity.py,
# nhs_number_problem and nhs_number_check_digit).
# An NHS number typed in fullwidth or Arabic-Indic digits is accepted and
# stored as typed (identity.nhs_number_normalise keeps them), so the same
# child can be added twice and a search for the number does not find them.
for page_id in ("records:child_add", "records:child_change"):
    KNOWN_FAILURES.setdefault(page_id, []).append(({"nhs_number": "943476591\u00b2"}, "multipart"))
KNOWN_FAILURES["records:child_add"].append(
    ({"nhs_number": "\uff19\uff14\uff13 \uff14\uff17\uff16 \uff15\uff19\uff11\uff19"}, "multipart")
)
# "Save and come back later" keeps what was typed without checking it, NUL
# characters included, in DecisionDraft.unsaved (sharing/services.py,
# draft_save_unsaved); PostgreSQL's jsonb refuses \u0000, so there it is a 500.
KNOWN_FAILURES["sharing:question[sharing]"].append(
    ({"action": "save_later", "recipient_name": "Nadia\x00Hughes"}, "multipart")
)


@pytest.mark.django_db
@pytest.mark.parametrize("page", FORM_PAGES, ids=[page.id for page in FORM_PAGES])
def test_a_form_page_answers_any_post_with_errors_or_a_valid_save(world, page):
    valid = page.valid(world)
    shape = Shape(page, world, valid)
    strategy = posts(shape, valid, _choice_values(world))

    def post(case):
        body, encoding = case
        if not isinstance(body, tuple):
            _check(page, world, body, encoding)
        else:  # an explicit example: changes to the first valid body
            _check(page, world, _example_body(valid, dict(body)), encoding)

    for changes, encoding in KNOWN_FAILURES.get(page.id, []) + PROBES.get(page.id, []):
        post = example(case=(tuple(changes.items()), encoding))(post)
    given(case=strategy)(post)()


@pytest.mark.django_db
@pytest.mark.parametrize("page", FORM_PAGES, ids=[page.id for page in FORM_PAGES])
def test_each_valid_post_saves(world, page):
    """The starting points are right: unspoilt, each body is accepted. And every row it changed is in a
    table the watch on its statements saw written to, which is all the test above reads again."""
    url = page.url(world)  # the records are made outside the savepoints
    bodies, client, signed_in = page.valid(world), world.client_for(page.role), world.cookies[page.role]
    before = _baseline(world)
    for body in bodies:
        client.cookies = copy.deepcopy(signed_in)
        with transaction.atomic():
            response, written = _post_watched(client, url, resolve(body))
            assert response.status_code == 302, (
                f"{page.id}: a valid post answered {response.status_code}: "
                f"{_error_messages(response.content.decode()) or response.content[:300]}"
            )
            changed = {model for model, _ in _changed(before, _snapshot(world.compared_models))}
            unseen = sorted(model._meta.label for model in changed - set(written.models_of(world.compared_models)))
            assert not unseen, f"{page.id}: rows changed in tables no statement was seen writing to: {unseen}"
            transaction.set_rollback(True)


# Every URL that takes a form is driven above.


def _named_patterns(resolver=None, namespace=""):
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _named_patterns(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}", pattern.callback


HTTP_METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE"}


def _allowed_methods(view) -> set[str] | None:
    """The methods ``require_http_methods`` lets through, or None if the view has no such decorator."""
    for cell in getattr(view, "__closure__", None) or ():
        try:
            contents = cell.cell_contents
        except ValueError:
            continue
        if isinstance(contents, (list, tuple)) and contents and set(contents) <= HTTP_METHODS:
            return set(contents)
    return None


def _takes_post(view) -> bool:
    view_class = getattr(view, "view_class", None)
    if view_class is not None:
        return "post" in view_class.http_method_names and hasattr(view_class, "post")
    allowed = _allowed_methods(view)
    if allowed is not None:
        return "POST" in allowed
    # No decorator: a view that reads a form reads request.POST.
    source = inspect.getsource(inspect.unwrap(view))
    return "request.POST" in source or "request.FILES" in source


def _form_url_names() -> set[str]:
    return {name for name, view in _named_patterns() if not name.startswith(NOT_DRIVEN) and _takes_post(view)}


def test_every_url_that_takes_a_post_is_driven():
    driven = {page.name for page in FORM_PAGES}
    missing = sorted(_form_url_names() - driven)
    stale = sorted(driven - _form_url_names())
    assert not missing, f"URLs that take a POST with no FormPage in tests/reliability/pages.py: {missing}"
    assert not stale, f"FormPages for URLs that take no POST (or no longer exist): {stale}"


def test_the_completeness_check_sees_forms_and_only_forms():
    names = _form_url_names()
    assert {"records:child_add", "sharing:question", "exchange:follow_up_add", "login", "logout"} <= names
    assert not names & {"oversight:child_detail", "oversight:dashboard", "consent:signed_form", "healthz"}
