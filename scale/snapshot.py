"""A decision's answers as ``sharing.services.decision_record`` stores them.

Each needed question becomes a ``DecisionAnswer`` with its wording, its
paragraphs, the answers, the answers as shown (the question form's own
``summarise``) and the guidance shown (``guidance.notes_for``). Forms are
built once for each way a question's page can look, not once per decision.
"""

from __future__ import annotations

from typing import Any

from scale.instances import unsaved
from sharing import guidance
from sharing.forms import QUESTION_FORMS
from sharing.guidance import QuestionKey
from sharing.models import DecisionAnswer, SharingDecision


class _Answered:
    """What a question form reads of its draft: the answers so far."""

    def __init__(self, answers: dict[str, Any]):
        self.answers = answers


# Answers that give each shape of the sharing and decision pages.
_SHAPES = {
    (QuestionKey.SHARING, True): {QuestionKey.CONSENT: {"status": "obtained"}},
    (QuestionKey.SHARING, False): {},
    (QuestionKey.DECISION, True): {
        QuestionKey.PURPOSE: {"legitimate_purpose": False},
        QuestionKey.SHARING: {"outcome": "share"},
    },
    (QuestionKey.DECISION, False): {},
}


class DecisionAnswers:
    def __init__(self):
        # Every form now: building one may query (the legal bases), and later the connection is busy copying.
        self.forms: dict = {}
        for key in QUESTION_FORMS:
            self.form(key, {})
        for (key, _), answers in _SHAPES.items():
            self.form(key, answers)

    @staticmethod
    def _shape(key: QuestionKey, answers: dict[str, Any]) -> bool | None:
        # The sharing page shows a consent check only with consent, and the
        # decision page asks for a departure's reason only with a departure.
        if key == QuestionKey.SHARING:
            return guidance.has_consent(answers)
        if key == QuestionKey.DECISION:
            return guidance.departs_from_guidance(answers)
        return None

    def form(self, key: QuestionKey, answers: dict[str, Any]):
        shape = self._shape(key, answers)
        if (key, shape) not in self.forms:
            draft = _Answered(answers) if shape is not None else None
            self.forms[(key, shape)] = QUESTION_FORMS[key](draft=draft)
        return self.forms[(key, shape)]

    def rows(self, decision: SharingDecision, answers: dict[str, Any]) -> list[DecisionAnswer]:
        rows = []
        for position, key in enumerate(guidance.questions_needed(answers), start=1):
            question = guidance.QUESTION_BY_KEY[key]
            values = {
                "id": None,
                "decision_id": decision.pk,
                "position": position,
                "question_key": key.value,
                "question_number": question.number,
                "question_wording": question.wording,
                "paragraphs": question.paragraphs,
                "answers": answers[key],
                "summary": self.form(key, answers).summarise(answers[key]),
                "guidance_shown": [[note.paragraph, note.text] for note in guidance.notes_for(key, answers)],
            }
            rows.append(unsaved(DecisionAnswer, values))
        return rows
