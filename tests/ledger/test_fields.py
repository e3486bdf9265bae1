"""A decision's answers are stored as the canonical text that is hashed, and read back by the service as values."""

from django.core import serializers
from django.db import connection

from ledger import canonical
from sharing.models import DecisionAnswer
from tests.factories import ChildFactory
from tests.sharing.recorded import record_decision

COLUMNS = ("answers", "summary", "guidance_shown")


def test_the_stored_text_is_the_canonical_text_of_the_value_read_back(practitioner):
    decision = record_decision(user=practitioner, child=ChildFactory(agency=practitioner.agency))
    answers = list(decision.answers.order_by("position"))
    assert answers
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, answers, summary, guidance_shown FROM sharing_decisionanswer WHERE decision_id = %s",
            [DecisionAnswer._meta.get_field("decision").get_db_prep_value(decision.pk, connection)],
        )
        stored = {row[0]: row[1:] for row in cursor.fetchall()}
    for answer in answers:
        for name, text in zip(COLUMNS, stored[answer.pk], strict=True):
            value = getattr(answer, name)
            assert isinstance(value, dict | list), name
            assert text.encode() == canonical.canonical_bytes(value), name


def test_a_serializer_gives_the_values_and_takes_them_back():
    answer = DecisionAnswer(
        id=1, decision_id="00000000-0000-0000-0000-000000000001", position=1, question_key="purpose",
        question_number=1, question_wording="Why?", paragraphs="3.5.2", answers={"b": 1, "a": ["é"]},
        summary=[["Why?", "To plan a visit"]], guidance_shown=[],
    )  # fmt: skip
    back = next(serializers.deserialize("json", serializers.serialize("json", [answer]))).object
    assert [getattr(back, name) for name in COLUMNS] == [getattr(answer, name) for name in COLUMNS]
