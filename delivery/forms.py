from __future__ import annotations

from crispy_forms_gds.layout import Field, Layout, Size

from core.forms import GovukForm, text_area


class QuestionForm(GovukForm):
    """A question from the receiving side about what was sent (3.7.1)."""

    text = text_area(
        "Ask a question about this disclosure",
        "The sender sees it here and answers on the same thread. Ask about what was sent, not for more of their "
        "records: for more, send them a request",
        message="Enter your question",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(Field.textarea("text", label_size=Size.MEDIUM))


class AnswerForm(GovukForm):
    """The sending side's answer to a question on the thread."""

    text = text_area(
        "Answer their question",
        "They see it on the same thread. It cannot be changed afterwards",
        message="Enter your answer",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(Field.textarea("text", label_size=Size.MEDIUM))
