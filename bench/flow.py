"""The decision flow as a practitioner walks it, from "Start" on the child's page to "Record decision"."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bench.client import BenchError, Client, path_of
from sharing import guidance
from sharing.examples import decided_posted, posted
from sharing.guidance import QuestionKey

LONDON = ZoneInfo("Europe/London")

# The decision flow: the path through all eight questions (3.5.16, consent not sought)


def _asks(page: guidance.Page, name: str) -> bool:
    """Whether ``page`` asks the posted ``name`` (a date is posted as three boxes, ``decided_on_0`` ...)."""
    return name in page.fields or name.rsplit("_", 1)[0] in page.fields


def flow_answers() -> list[tuple[str, dict]]:
    """The examples of sharing.examples, as the questions' addresses name them."""
    decided = datetime.now(LONDON) - timedelta(minutes=5)
    changes = {
        QuestionKey.IDENTIFIABLE: {"who_identified": "The child and her mother"},
        QuestionKey.PUBLIC_INTEREST: {"adviser_name": "The designated safeguarding lead"},
        QuestionKey.DECISION: decided_posted(decided),
    }
    steps = []
    for key in QuestionKey:
        answers = posted(key, **changes.get(key, {}))
        # A question asked one thing to a page (guidance.PAGES): each page the example answers is sent what it
        # asks (a follow-up the example does not answer is not asked on its path).
        pages = [
            page
            for page in guidance.pages_of(key)
            if page.name == guidance.ITEMS_PAGE or any(_asks(page, name) for name in answers)
        ]
        for page in pages:
            if page.name == guidance.ITEMS_PAGE:
                # The first item on a page of its own, then the list of items: "Do you need to add another item?"
                item = {"text": answers["item_1_text"], "kind": answers["item_1_kind"]}
                steps += [(f"{key}/{page.name}/1", item), (f"{key}/{page.name}", {"add_another": "no"})]
                continue
            steps.append(
                (
                    str(key) if page == guidance.pages_of(key)[0] else f"{key}/{page.name}",
                    {name: value for name, value in answers.items() if _asks(page, name)},
                )
            )
        if not pages:
            steps.append((str(key), answers))
    return steps


FLOW_STEPS = [
    "Decision: start page",
    "Decision: start, to question 1",
    "Question 1 (purpose), to its legal basis",
    "Question 1 (legal basis), to its level of concern",
    "Question 1 (level of concern), to its tests of 3.5.4",
    "Question 1 (tests of 3.5.4), to its conclusion",
    "Question 1 (conclusion), to 2",
    "Question 2 (identifiable), to who is identified",
    "Question 2 (who is identified), to 3",
    "Question 3 (confidential), to why",
    "Question 3 (why), to 4",
    "Question 4 (consent), to why it was not sought",
    "Question 4 (why consent was not sought), to 5",
    "Question 5 (statutory duty), to 6",
    "Question 6 (if shared), to if not shared",
    "Question 6 (if not shared), to proportionality",
    "Question 6 (proportionality), to advice",
    "Question 6 (advice), to the advice given",
    "Question 6 (the advice given), to 7",
    "Question 7 (decision), to its first item",
    "Question 7 (item 1), to the list of items",
    "Question 7 (list of items), to the recipient",
    "Question 7 (recipient), to how it is shared",
    "Question 7 (how it is shared), to passing it on",
    "Question 7 (passing it on), to telling the person",
    "Question 7 (telling the person), to 8",
    "Question 8 (reasons), to the date and time",
    "Question 8 (date and time), to check answers",
    "Record decision, to the decision page",
]


def walk_decision(client: Client, child_id: str, answers, *, follow: bool = True, record: bool = True):
    """One decision from the child's "Start" button to "Record decision": the responses of each step.

    With follow=False only the forms are sent (no page after each), to make
    drafts ready quickly; with record=False it stops at the check page.
    """
    steps = []
    if follow:
        steps.append([client.get(f"/children/{child_id}/decisions/start/")])
    sent = client.post(f"/children/{child_id}/decisions/start/", {"direction": "proposing"})
    steps.append([sent, client.get(path_of(sent.location))] if follow else [sent])
    for question, data in answers:
        url = path_of(sent.location)
        if f"/{question}/" not in url:
            raise BenchError(f"expected question {question}, the flow went to {url}")
        sent = client.post(url, data)
        steps.append([sent, client.get(path_of(sent.location))] if follow else [sent])
    check = path_of(sent.location)
    if not check.endswith("/check/"):
        raise BenchError(f"expected the check page after question 8, the flow went to {check}")
    if record:
        recorded = client.post(check)
        steps.append([recorded, client.get(path_of(recorded.location))] if follow else [recorded])
    return steps, check


class ChildPicker:
    """Children to record decisions about, taken in turn by the clients."""

    def __init__(self, children: list[str]):
        if not children:
            raise BenchError("No children to record decisions about")
        self.children = children
        self.position = 0
        self.lock = threading.Lock()

    def next(self) -> str:
        with self.lock:
            child = self.children[self.position % len(self.children)]
            self.position += 1
            return child
