"""Advice asked and given through the real services, for tests."""

from advice import services
from advice.advisers import AskedOf, Urgency

QUESTION = "The mother has not agreed. Is the risk high enough to share the police call-out without her consent?"
ADVICE = "Yes: share the call-out and the health visitor's note, nothing more, and tell the mother unless unsafe."


def to_lead(lead) -> str:
    """A choice's value for a lead asked by name (advisers.Choice.value)."""
    return f"{AskedOf.NAMED_LEAD}:{lead.pk}"


def ask(user, draft, *, to: str = str(AskedOf.ANY_LEAD), urgency=Urgency.ROUTINE, question: str = QUESTION):
    return services.advice_ask(
        user=user, draft=draft, asking=services.Asking(question=question, to=to, urgency=Urgency(urgency))
    )


def answer(user, advice, text: str = ADVICE):
    return services.advice_answer(user=user, advice=advice, text=text)
