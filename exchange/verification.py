"""What the guidance says about the person asking for information, and about
checking who they are (3.7.1, 3.7.4, 3.7.9).

Plain Python with no Django imports, like ``sharing.guidance``: each rule can
be read next to its paragraph of ``shared/guidance/004`` and tested alone.
The views, forms, services and queries of ``exchange`` call these rules and
never restate them; where a rule is also a query (the lead's list of
requesters not verified) the query names the rule it mirrors.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from enum import StrEnum

# What became of a request (exchange.models.RequestStatus), as plain strings.
OPEN = "open"
DECIDED = "decided"
DECLINED = "declined"
WITHDRAWN = "withdrawn"

# The telephone check that says the person was verified (exchange.models.METHOD_CHECKS).
CALLER_VERIFIED = "caller_verified"


def verification_stays_open(*, outcome: str, disclosed: bool) -> bool:
    """3.7.4: "a telephone call received from a professional seeking information
    must be verified before information is divulged". Verifying matters for as
    long as something may still be divulged under the request: while it is
    open, and after a decision (to share, or not: a refusal records who asked,
    000) until something is disclosed under it. A request declined or
    withdrawn without a decision, or under which something has been disclosed
    (with the reason for not verifying first), is past verifying.
    """
    if disclosed:
        return False
    return outcome in (OPEN, DECIDED)


def not_verified(*, known: bool, verified: bool) -> bool:
    """3.7.4: "unless they are already known", the person asking is verified
    before anything is divulged. Neither known nor verified: disclosing needs
    the reason for going ahead without it (the override)."""
    return not (known or verified)


def can_verify(*, known: bool, verified: bool, outcome: str, disclosed: bool) -> bool:
    """3.7.4: a requester not already known, not yet verified, on a request
    still open to verifying (``verification_stays_open``) can be verified; the
    service offers "Verify the requester" exactly then."""
    return not_verified(known=known, verified=verified) and verification_stays_open(
        outcome=outcome, disclosed=disclosed
    )


def awaits_verification(*, known: bool, verified: bool, outcome: str, disclosed: bool) -> bool:
    """3.7.4: the lead's "Requests not verified" lists every request whose
    requester can still be verified and is not: recording a decision does not
    take a request off it, verifying does (or declining, withdrawing, or
    disclosing with the reason for not verifying).

    Mirrored by ``oversight.selectors.unverified_queryset`` (with the flag
    ``InformationRequest.verification_open`` kept by the services as
    ``verification_stays_open`` says); tests/exchange/test_verification.py
    pins both.
    """
    return can_verify(known=known, verified=verified, outcome=outcome, disclosed=disclosed)


def checks_asked(checks: Sequence[tuple[str, str]], *, disclosing_unverified: bool) -> list[tuple[str, str]]:
    """The checks a disclosure's method asks for (3.7.4-3.7.8).

    A disclosure to a requester who was not verified, with the reason for
    going ahead (``not_verified``), is not asked "The person was verified":
    the record cannot say both that they were and why they were not (3.7.4).
    """
    if not disclosing_unverified:
        return list(checks)
    return [(key, label) for key, label in checks if key != CALLER_VERIFIED]


class WhenVerified(StrEnum):
    """Whether the person asking was verified, seen from a decision answering their request."""

    KNOWN = "known"
    BEFORE = "before"
    AFTER = "after"
    NOT_VERIFIED = "not_verified"


def verified_when(*, known: bool, verified_at: datetime | None, decided_at: datetime) -> WhenVerified:
    """3.7.4, 3.7.9: a decision answering a request says whether the person
    asking was verified when it was made: already known to the practitioner,
    verified before the decision, verified only after it, or not at all."""
    if known:
        return WhenVerified.KNOWN
    if verified_at is None:
        return WhenVerified.NOT_VERIFIED
    return WhenVerified.BEFORE if verified_at <= decided_at else WhenVerified.AFTER


def unverified_warning(*, name: str, role: str, agency: str) -> str:
    """3.7.4: said on every page of a decision started from a request whose
    requester is not verified, so that nobody answering the questions takes
    the person asking for who they say they are."""
    return (
        f"{name} ({role}, {agency}) has not been verified. Unless they are already known to you, check who they "
        "are by calling their agency back before anything is disclosed (3.7.4)."
    )


def disclosure_told_line(*, informed: bool, reason: str) -> str:
    """3.5.19, 3.7.3, 3.7.5: a disclosure's line in the chronology says when the
    child or parents were not told of it, and why."""
    if informed:
        return ""
    reason = reason.strip()
    return f"The child or parents were not told{f': {reason}' if reason else ''}"


def verified_by_account(*, name: str, role: str, job_title: str, agency: str, two_factor: bool) -> str:
    """3.7.4: the person asking must be verified before anything is divulged. A request sent through this
    service comes from the account of a member of staff of an agency on it, signed in: the account is the
    verification (ADR 26), and the record says whose, in which role and agency, and whether they had signed in
    with a second factor. Nobody is called back."""
    held = f"{role}, {job_title}" if job_title else role
    signed_in = (
        "signed in with two factors"
        if two_factor
        else "signed in with a password alone (two-factor sign-in was not asked of them)"
    )
    return f"Sent through this service by {name} ({held}, {agency}) from their own account, {signed_in}."
