"""seed_scale: a data set of the size asked for, entered in the log so that it
verifies, that the real forms and services would have stored, and that the
benchmark can use."""

import json
import random
from dataclasses import asdict, fields
from datetime import date
from io import StringIO
from itertools import chain

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db.models import Min
from django.test import RequestFactory
from django.utils import timezone
from django.utils.datastructures import MultiValueDict

from audit.models import AccessEvent
from consent import capacity
from consent import services as consent_services
from consent.forms import ConsentRecordForm
from consent.models import ConsentRecord
from exchange.disclosure_forms import DisclosureForm
from exchange.forms import CloseRequestForm, FollowUpForm, RequestForm
from exchange.models import Disclosure, InformationRequest, InformedFollowUp, RequestOutcome
from ledger import history, merkle, witness
from ledger.models import Checkpoint, Entry, Leaf, Node, Pending, TreeHead
from oversight.chronology import chronology
from records import identity
from records.models import Adult, Agency, Child, ChildAdultRelationship, StaffMembership, User
from records.roles import Role
from records.selectors import ChildSearch, child_search
from scale.generate.base import Clock
from scale.generate.casework import Casework
from scale.generate.people import plan_people
from scale.models import Fixture
from sharing import services as sharing_services
from sharing.forms import QUESTION_FORMS, AddendumForm, ReviewForm
from sharing.guidance import QuestionKey
from sharing.models import Addendum, DecisionReview, SharingDecision
from tests.factories import ChildFactory
from tests.ledger.attack_data import db_id, sql, unguarded
from tests.ledger_data import seal

pytestmark = pytest.mark.django_db

SMALL = {"children": 40, "records": 400, "access_events": 150, "chronology_entries": 20}
RECORD_MODELS = (
    InformationRequest,
    RequestOutcome,
    SharingDecision,
    Addendum,
    DecisionReview,
    ConsentRecord,
    Disclosure,
    InformedFollowUp,
)
# What ConsentRecordForm.details() hands to consent_record.
CONSENT_DETAILS = [column.name for column in fields(consent_services.ConsentDetails)]


@pytest.fixture
def seed(settings, tmp_path, django_capture_on_commit_callbacks):
    settings.DEBUG = True

    def run(**options) -> dict:
        fixture = tmp_path / f"fixture-{len(list(tmp_path.iterdir()))}.json"
        # The checkpoint is witnessed once committed: here, when the test's own transaction would have.
        with django_capture_on_commit_callbacks(execute=True):
            call_command("seed_scale", **{**SMALL, **options}, fixture=fixture, stdout=StringIO(), stderr=StringIO())
        return json.loads(fixture.read_text())

    return run


def verify() -> str:
    out = StringIO()
    call_command("verify_records", stdout=out)
    return out.getvalue()


def records() -> int:
    return sum(model.objects.count() for model in RECORD_MODELS)


def history_rows() -> int:
    return sum(model.objects.count() for model in history.historical_models())


def leaf_hashes() -> list[bytes]:
    return [
        bytes.fromhex(leaf) for leaf in Leaf.objects.order_by("position").values_list("entry__leaf_hash", flat=True)
    ]


def assert_the_tree_is_whole() -> int:
    """Every entry placed once, positions from 0 without gaps, every complete subtree stored and right,
    the newest tree head and checkpoint of the whole tree; returns its size."""
    size = Entry.objects.count()
    assert not Pending.objects.exists()
    assert list(Leaf.objects.order_by("position").values_list("position", flat=True)) == list(range(size))
    assert Leaf.objects.values("entry_id").distinct().count() == size
    leaves = leaf_hashes()
    proofs = merkle.Proofs(leaves)
    stored = {
        (level, index): bytes.fromhex(node) for level, index, node in Node.objects.values_list("level", "index", "hash")
    }
    expected = {(level, index) for level in range(1, size.bit_length()) for index in range(size >> level)}
    assert set(stored) == expected
    assert all(proofs.complete(level, index) == node for (level, index), node in stored.items())
    head = TreeHead.objects.order_by("-size").first()
    assert (head.size, head.root) == (size, merkle.root_of(leaves).hex())
    assert head.as_frontier() == _frontier(leaves)
    newest = Checkpoint.objects.order_by("-size").first()
    assert (newest.size, newest.root) == (size, head.root)
    return size


def _frontier(leaves: list[bytes]) -> merkle.Frontier:
    frontier = merkle.Frontier()
    for leaf in leaves:
        frontier.append(leaf)
    return frontier


def test_refuses_when_debug_is_off(settings, tmp_path):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_scale", children=2, records=2, fixture=tmp_path / "fixture.json")
    assert not Child.objects.exists()


def test_the_plan_is_the_same_for_the_same_seed():
    clock = Clock(date(2026, 11, 21), timezone.get_current_timezone())

    def plan():
        rng = random.Random("7:0")  # noqa: S311
        people = plan_people(area="Westmere", code="WM", children=60, clock=clock, rng=rng)
        stories = Casework(people, clock, rng).plan(records=300, chronology_entries=25)
        return people, [(s.child, s.kind, s.scenario, s.chained()) for s in stories]

    assert plan() == plan()


def test_makes_what_was_asked_for_and_the_log_verifies(seed, client):
    fixture = seed()
    assert Child.objects.count() == 40
    assert records() == 400
    assert AccessEvent.objects.count() == 150
    assert {Agency.objects.get(pk=fixture["agency_id"]).kind} <= {"childrens_social_care"}
    assert set(Agency.objects.values_list("kind", flat=True)) >= {"childrens_social_care", "health", "school", "police"}
    # Every record of the log's kinds, every access event and every row of change history has its entry.
    entered = 400 - InformationRequest.objects.count() + 150 + history_rows()
    assert Entry.objects.count() == entered
    assert assert_the_tree_is_whole() == entered
    out = verify()
    assert f"Log intact: {entered} entries in the tree" in out
    assert f"{entered} records checked against their entries" in out
    # One checkpoint, witnessed with every leaf.
    assert Checkpoint.objects.count() == 1
    (witnessed,) = witness.read()
    assert (witnessed.first, witnessed.leaves) == (0, b"".join(leaf_hashes()))
    assert "1 witnessed checkpoints verified" in out

    # Realistic: ages 0 to 17 and a few unborn, valid NHS numbers, families with parental responsibility.
    today = timezone.localdate()
    for child in Child.objects.all():
        if child.date_of_birth:
            assert 0 <= identity.age_in_years(child.date_of_birth, today) <= 17
        else:
            assert child.expected_date_of_birth > today
        assert not child.nhs_number or identity.nhs_number_problem(child.nhs_number) is None
    assert ChildAdultRelationship.objects.filter(parental_responsibility="yes").exists()
    assert set(StaffMembership.objects.values_list("role", flat=True)) == set(Role.values)

    # In the log, records follow each other in time; the access log's entries come first.
    positions = {
        (kind, record_id): position
        for position, kind, record_id in Leaf.objects.values_list("position", "entry__kind", "entry__record_id")
    }
    recorded = sorted(
        chain.from_iterable(
            (
                (positions[(model.ledger_kind, str(pk))], when)
                for pk, when in model.objects.values_list("pk", "recorded_at")
            )
            for model in RECORD_MODELS[1:]
        )
    )
    assert [when for _, when in recorded] == sorted(when for _, when in recorded)
    looked = [positions[("access", str(pk))] for pk in AccessEvent.objects.values_list("pk", flat=True)]
    assert sorted(looked) == list(range(150))
    # Entries are numbered in the order they are placed.
    assert list(Leaf.objects.order_by("position").values_list("entry_id", flat=True)) == sorted(
        Entry.objects.values_list("pk", flat=True)
    )
    # Every look names something that existed by then.
    for event in AccessEvent.objects.exclude(child=None).select_related("child"):
        assert event.child.created_at <= event.occurred_at
    looked_at = AccessEvent.objects.filter(subject="decision").values_list("object_id", flat=True)
    for decision in SharingDecision.objects.filter(pk__in=list(looked_at)):
        first_look = AccessEvent.objects.filter(object_id=str(decision.pk)).aggregate(Min("occurred_at"))
        assert decision.recorded_at <= first_look["occurred_at__min"]


def test_the_fixture_is_kept_in_the_database_it_describes(seed):
    fixture = seed()
    assert Fixture.objects.latest().data == fixture


def test_the_fixture_names_people_who_sign_in_and_records_of_their_agency(seed, client):
    fixture = seed(access_events=600)
    assert set(fixture) == {
        "password", "lead_email", "practitioner_email", "agency_id", "chronology_child_id", "decision_id",
        "staff_member_id", "search",
    }  # fmt: skip
    assert set(fixture["search"]) == {"family_name", "date_of_birth", "nhs_number"}
    agency = fixture["agency_id"]
    lead = User.objects.get(email=fixture["lead_email"])
    practitioner = User.objects.get(email=fixture["practitioner_email"])
    assert (lead.membership.role, lead.membership.agency_id) == (Role.SAFEGUARDING_LEAD, agency)
    assert (practitioner.membership.role, practitioner.membership.agency_id) == (Role.PRACTITIONER, agency)
    sign_in = RequestFactory().post("/accounts/login/")
    for email in (fixture["lead_email"], fixture["practitioner_email"]):
        assert client.login(request=sign_in, username=email, password=fixture["password"])
    client.force_login(practitioner)  # with the second factor everyone now gives
    child = Child.objects.get(pk=fixture["chronology_child_id"])
    assert child.agency_id == agency
    assert client.get(f"/children/{child.pk}/").status_code == 200
    assert SharingDecision.objects.get(pk=fixture["decision_id"]).agency_id == agency
    busy = User.objects.get(pk=fixture["staff_member_id"])
    assert busy.membership.agency_id == agency
    # Many: a few per cent of the whole log, against about one per cent for the average member of staff.
    assert busy.access_events.count() >= AccessEvent.objects.count() / 50

    # The designated child's chronology has exactly the entries asked for.
    assert len(chronology(child=child)) == SMALL["chronology_entries"]

    # The search terms find children of the agency.
    search = fixture["search"]
    by_name = child_search(user=lead, search=ChildSearch(text=search["family_name"]))
    assert by_name and {found.agency_id for found in by_name} == {agency}
    by_birth = child_search(user=lead, search=ChildSearch(date_of_birth=date.fromisoformat(search["date_of_birth"])))
    assert child in by_birth
    assert list(child_search(user=lead, search=ChildSearch(text=search["nhs_number"]))) == [child]
    # Viewing the child was logged and entered after the data set: still intact.
    seal()
    assert "Log intact" in verify()


def test_a_second_run_adds_another_area_and_the_log_still_verifies(seed, monkeypatch):
    # Small batches: rows are copied in many small steps, each after the rows it points to (PostgreSQL
    # checks every foreign key as it goes).
    monkeypatch.setattr("scale.writer.BATCH_ROWS", 7)
    first = seed()
    second = seed(chronology_entries=30)
    assert Child.objects.count() == 80
    assert records() == 800
    assert AccessEvent.objects.count() == 300
    assert first["agency_id"] != second["agency_id"]
    assert first["lead_email"] != second["lead_email"]
    assert len(chronology(child=Child.objects.get(pk=second["chronology_child_id"]))) == 30
    size = assert_the_tree_is_whole()
    assert size == 800 - InformationRequest.objects.count() + 300 + history_rows()
    assert f"Log intact: {size} entries in the tree" in verify()
    assert Checkpoint.objects.count() == 2


def test_the_log_carries_on_from_what_was_there(seed, django_capture_on_commit_callbacks, practitioner):
    """Demo data first: entries placed and signed, and one still waiting. The data set's come after them."""
    with django_capture_on_commit_callbacks(execute=True):
        ChildFactory(agency=practitioner.membership.agency)
        seal()
    placed = list(Leaf.objects.order_by("position").values_list("position", "entry_id", "entry__leaf_hash"))
    waiting = ChildFactory(agency=practitioner.membership.agency)
    (pending,) = Pending.objects.values_list("entry_id", flat=True)
    assert placed

    seed()
    size = assert_the_tree_is_whole()
    assert (
        list(Leaf.objects.order_by("position").values_list("position", "entry_id", "entry__leaf_hash"))[: len(placed)]
        == placed
    )
    # The entry that was waiting comes next, then the data set's, the access log first.
    assert Leaf.objects.get(entry_id=pending).position == len(placed)
    assert Entry.objects.get(pk=pending).record_id == str(waiting.history.latest().history_id)
    first_access = Leaf.objects.filter(entry__kind="access").order_by("position").first().position
    assert first_access == len(placed) + 1
    assert list(TreeHead.objects.order_by("size").values_list("size", flat=True))[-1] == size
    assert "Log intact" in verify()
    assert len(list(witness.read())) == 2


@pytest.mark.parametrize(
    ("table", "kind"),
    [
        ("sharing_sharingdecision", "decision"),
        ("audit_accessevent", "access"),
        ("records_historicalchild", "history records.historicalchild"),
    ],
)
@pytest.mark.owner_only(reason="rewrites a seeded row with the triggers dropped, as the owner could")
def test_a_seeded_record_changed_is_named(seed, table, kind):
    seed(children=10, records=60, access_events=40, chronology_entries=5)
    assert "Log intact" in verify()
    record_id, position = (
        Leaf.objects.filter(entry__kind=kind).order_by("-position").values_list("entry__record_id", "position").first()
    )
    column, key = {
        "decision": ("reasons", "id"),
        "access": ("detail", "id"),
        "history records.historicalchild": ("family_name", "history_id"),
    }[kind]
    stored = db_id(record_id) if kind == "decision" else int(record_id)
    unguarded(lambda: sql(f"UPDATE {table} SET {column} = 'Changed' WHERE {key} = %s", [stored]))  # noqa: S608
    with pytest.raises(CommandError) as error:
        verify()
    assert str(error.value) == (
        f"The log does not verify. First problem: log entry {position} ({kind} {record_id}): "
        "the record's content no longer matches its entry in the log"
    )


# The records are those the forms would accept and the services would store.


def post(form_class, values: dict) -> MultiValueDict:
    """What a browser would send for these cleaned values."""
    data = MultiValueDict()
    for name, value in values.items():
        field = form_class.base_fields.get(name)
        if value is None or value == "" or value == []:
            continue
        if isinstance(value, date):
            data.setlist(name + "_0", [str(value.day)])
            data.setlist(name + "_1", [str(value.month)])
            data.setlist(name + "_2", [str(value.year)])
        elif isinstance(value, bool):
            if field is not None and field.__class__.__name__ == "BooleanField":
                if value:
                    data.setlist(name, ["on"])
            else:
                data.setlist(name, ["yes" if value else "no"])
        elif isinstance(value, list):
            data.setlist(name, [str(item) for item in value])
        else:
            data.setlist(name, [str(value)])
    return data


def typed(moment) -> dict:
    local = timezone.localtime(moment)
    return {"on": local.date(), "time": local.strftime("%H:%M")}


def answers_post(key: str, answers: dict) -> MultiValueDict:
    form_class = QUESTION_FORMS[QuestionKey(key)]
    values = dict(answers)
    if key == QuestionKey.CONSENT:
        # The snapshot of the consent relied on is the form's to add, not the practitioner's to type.
        typed_in = ("status", "consent_record", "consent_covers", "not_sought_reason", "not_sought_other")
        values = {name: value for name, value in values.items() if name in (*typed_in, "not_needed_reason")}
    if key == QuestionKey.SHARING:
        for index, item in enumerate(values.pop("items", []), start=1):
            values[f"item_{index}_text"], values[f"item_{index}_kind"] = item["text"], item["kind"]
        if values.get("reconsider_on"):
            values["reconsider_on"] = date.fromisoformat(values["reconsider_on"])
    if key == QuestionKey.DECISION:
        values["decided_on"] = date.fromisoformat(values["decided_on"])
    return post(form_class, values)


def test_decisions_are_what_the_eight_questions_and_decision_record_make(seed):
    seed(records=600)
    paths = {}
    for decision in SharingDecision.objects.select_related("draft", "child", "recorded_by"):
        answers = decision.draft.answers
        paths.setdefault((tuple(answers), decision.outcome), decision)
    assert len(paths) >= 6, "several paths through the guidance"
    for decision in paths.values():
        draft = decision.draft
        # Each question's answers are what its form saves from what a practitioner would type.
        with time_machine.travel(decision.decided_at, tick=False):
            for key, answers in draft.answers.items():
                record = answers.get("consent_record")
                if record and ConsentRecord.objects.filter(supersedes_id=record).exists():
                    continue  # withdrawn or renewed since: no longer offered
                form = QUESTION_FORMS[QuestionKey(key)](answers_post(key, answers), draft=draft)
                assert form.is_valid(), (key, form.errors)
                assert form.to_answers() == answers, key
        # Recording the same draft through the service stores the same snapshot and answers.
        again = sharing_services.draft_start(
            user=decision.recorded_by, child=decision.child, adults=list(draft.adults.all()), direction=draft.direction
        )
        again.answers = draft.answers
        again.save()
        made = sharing_services.decision_record(draft=again, user=decision.recorded_by)
        fields = [
            "agency_id", "child_id", "recorded_by_id", "recorder_name", "recorder_role", "recorder_job_title",
            "agency_name", "subject", "direction", "outcome", "recommendation", "departs_from_guidance", "reasons",
            "departure_reason", "decided_at", "guidance_version",
        ]  # fmt: skip
        assert {f: getattr(made, f) for f in fields} == {f: getattr(decision, f) for f in fields}
        rows = ["position", "question_key", "question_number", "question_wording", "paragraphs", "answers",
                "summary", "guidance_shown"]  # fmt: skip
        assert list(made.answers.values(*rows)) == list(decision.answers.values(*rows))
        assert draft.author_id == decision.recorded_by_id and draft.decision_id == decision.pk


def test_consents_are_what_the_form_and_consent_record_make(seed):
    seed()
    checked = 0
    for record in ConsentRecord.objects.filter(supersedes=None).select_related("child", "recorded_by")[:25]:
        links = list(record.child.relationships.select_related("adult"))
        values = {name: getattr(record, name) for name in CONSENT_DETAILS}
        data = post(ConsentRecordForm, {**values, "competence": None})
        data.setlist("about", [str(record.about_adult_id) if record.about_adult_id else "child"])
        data.setlist("responder", [str(record.responder_id) if record.responder_id else "child"])
        for criterion, met in record.competence.items():
            if met:
                data.setlist(f"criterion_{criterion}", ["on"])
        with time_machine.travel(record.recorded_at, tick=False):
            form = ConsentRecordForm(data, child=record.child, relationships=links)
            assert form.is_valid(), form.errors
            assert asdict(form.details()) == values
            again = consent_services.consent_record(
                user=record.recorded_by,
                child=record.child,
                about_adult=form.about_adult(),
                responder=form.responder_adult(),
                details=form.details(),
            )
        fields = [f.attname for f in ConsentRecord._meta.concrete_fields if f.attname != "id"]
        assert {f: getattr(again, f) for f in fields} == {f: getattr(record, f) for f in fields}
        checked += 1
    assert checked


def test_3_3_15_only_a_child_under_16_answering_for_themself_is_assessed(seed):
    seed(children=120)
    answered_by_child = ConsentRecord.objects.filter(responder=None).exclude(response="withdrawn")
    young_people = answered_by_child.filter(child_age__gte=capacity.AGE_OF_CONSENT)
    under_16 = answered_by_child.filter(child_age__lt=capacity.AGE_OF_CONSENT)
    assert young_people.exists() and under_16.exists(), "the data set has both to compare"
    # 3.3.15: presumed able to decide, a young person of 16 or 17 is asked nothing about their understanding.
    assert {(bool(r.competence), r.child_competent, r.assessed_by, r.assessed_on) for r in young_people} == {
        (False, None, "", None)
    }
    # 3.3.16-3.3.17: a child under 16 is judged competent, against every criterion, by someone, on a date.
    for record in under_16:
        assert record.child_competent is True
        assert set(record.competence) == set(capacity.COMPETENCE_CRITERIA)
        assert record.assessed_by and record.assessed_on


def test_requests_disclosures_and_the_rest_pass_their_forms_and_model_checks(seed):
    seed(records=600)
    for request in InformationRequest.objects.select_related("child", "agency")[:30]:
        received = typed(request.received_at)
        values = {name: getattr(request, name) for name in RequestForm.base_fields if hasattr(request, name)}
        values.update(received_on=received["on"], received_time=received["time"])
        values["adults"] = [str(adult.pk) for adult in request.adults.all()]
        links = list(request.child.relationships.select_related("adult"))
        with time_machine.travel(request.logged_at, tick=False):
            form = RequestForm(post(RequestForm, values), relationships=links, police=request.agency.kind == "police")
            assert form.is_valid(), form.errors
        details = asdict(form.details())
        assert details == {name: getattr(request, name) for name in details}
        request.full_clean()
    for outcome in RequestOutcome.objects.exclude(outcome="decided")[:10]:
        form = CloseRequestForm(post(CloseRequestForm, {"outcome": outcome.outcome, "reasons": outcome.reasons}))
        assert form.is_valid(), form.errors
    for disclosure in Disclosure.objects.select_related("decision", "request")[:30]:
        disclosed = typed(disclosure.disclosed_at)
        values = {
            **{name: getattr(disclosure, name) for name in DisclosureForm.base_fields if hasattr(disclosure, name)},
            "disclosed_on": disclosed["on"],
            "disclosed_time": disclosed["time"],
            f"checks_{disclosure.method}": disclosure.checks,
        }
        for index, item in enumerate(disclosure.items, start=1):
            values[f"item_{index}_text"], values[f"item_{index}_kind"] = item["text"], item["kind"]
        request = disclosure.request
        needs_override = request is not None and not request.is_verified
        with time_machine.travel(disclosure.recorded_at, tick=False):
            form = DisclosureForm(
                post(DisclosureForm, values),
                consent_relied_on=disclosure.consent_limits_told is not None,
                needs_override=needs_override,
                items=disclosure.items,
            )
            assert form.is_valid(), form.errors
        details = asdict(form.details())
        assert details == {name: getattr(disclosure, name) for name in details}
    for follow_up in InformedFollowUp.objects.all()[:10]:
        values = {name: getattr(follow_up, name) for name in FollowUpForm.base_fields}
        with time_machine.travel(follow_up.recorded_at, tick=False):
            form = FollowUpForm(post(FollowUpForm, values))
            assert form.is_valid(), form.errors
        assert asdict(form.details()) == values
    for review in DecisionReview.objects.select_related("decision")[:10]:
        values = {name: getattr(review, name) for name in ReviewForm.base_fields}
        form = ReviewForm(post(ReviewForm, values))
        assert form.is_valid(), form.errors
        assert form.cleaned_data == values
        assert review.reviewer_id != review.decision.recorded_by_id
    for addendum in Addendum.objects.all()[:5]:
        assert AddendumForm(post(AddendumForm, {"text": addendum.text})).is_valid()
    for model in (Child, Adult, ChildAdultRelationship, User, StaffMembership):
        for row in model.objects.all()[:40]:
            row.full_clean()
    for model in (SharingDecision, RequestOutcome, Disclosure, InformedFollowUp, DecisionReview, Addendum):
        for row in model.objects.all()[:20]:
            row.full_clean()
