"""The decision flow as a practitioner walks it, from "Start" on the child's page to "Record decision"."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bench.client import BenchError, Client, path_of

LONDON = ZoneInfo("Europe/London")

# The decision flow: the path through all eight questions (3.5.16, consent not sought)


def flow_answers() -> list[tuple[str, dict]]:
    decided = datetime.now(LONDON) - timedelta(minutes=5)
    return [
        (
            "purpose",
            {
                "purpose": "Health visitor asks whether the family is known, to plan a home visit safely.",
                "legal_bases": ["ca2004-s11", "dpa2018-sch1-para18"],
                "concern_level": "reasonable_cause_to_believe",
                "need_to_know": "yes",
                "proportionate": "yes",
                "statutory_restriction": "no",
                "secondary_disclosure": "no",
                "anonymised_would_do": "no",
                "legitimate_purpose": "yes",
            },
        ),
        ("identifiable", {"identifies_person": "yes", "who_identified": "The child and her mother"}),
        ("confidential", {"confidentiality": "formal", "reason": "Given to the social worker during an assessment."}),
        ("consent", {"status": "not_sought", "not_sought_reason": "child_at_increased_risk"}),
        ("statutory", {"duty": "none"}),
        (
            "public-interest",
            {
                "if_shared": "Mother may disengage for a while.",
                "if_not_shared": "The health visitor may visit unaware of the risk from the partner.",
                "proportionality": "Only the fact of the concern and the partner's name are shared.",
                "advice_sought": "yes",
                "advice_from": "safeguarding_lead",
                "adviser_name": "The designated safeguarding lead",
                "advice_given": "Share the risk information with the health visitor.",
            },
        ),
        (
            "sharing",
            {
                "outcome": "share",
                "item_1_text": "Police attended a domestic incident at the home on 2 November.",
                "item_1_kind": "fact",
                "item_2_text": "In my view the mother is frightened of her partner.",
                "item_2_kind": "opinion",
                "recipient_name": "Nadia Hughes",
                "recipient_role": "Health visitor",
                "recipient_agency": "Northgate NHS Foundation Trust",
                "recipient_agency_kind": "health",
                "recipient_need": "She visits the home alone next week.",
                "accuracy_checked": "on",
                "method": "secure_email",
                "onward_sharing": "no",
                "consent_limits_explained": "on",
                "person_informed": "already",
            },
        ),
        (
            "decision",
            {
                "reasons": "The health visitor needs to know to keep herself and the child safe.",
                "decided_on_0": str(decided.day),
                "decided_on_1": str(decided.month),
                "decided_on_2": str(decided.year),
                "decided_time": decided.strftime("%H:%M"),
            },
        ),
    ]


FLOW_STEPS = [
    "Decision: start page",
    "Decision: start, to question 1",
    "Question 1 (purpose), to 2",
    "Question 2 (identifiable), to 3",
    "Question 3 (confidential), to 4",
    "Question 4 (consent), to 5",
    "Question 5 (statutory duty), to 6",
    "Question 6 (public interest), to 7",
    "Question 7 (sharing), to 8",
    "Question 8 (decision), to check answers",
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
