"""Who reads, acknowledges and writes on a disclosure sent through the service (ADR 27).

The receiving side: the person it was sent to by name, and the receiving agency's safeguarding leads. The
sending side: who sent it, and the sending agency's leads. Anyone else, of either agency or a third, is told
nothing exists (the selectors answer "not found").
"""

from __future__ import annotations

import rules as predicates

from records.models import User
from records.roles import Permission, Role
from records.rules import has_case_role


def _membership(user: User):
    return user.membership if has_case_role(user) else None


def receives(user: User, delivery) -> bool:
    """The person named, or a lead of the agency it was sent to."""
    membership = _membership(user)
    if membership is None or membership.agency_id != delivery.to_agency_id:
        return False
    return delivery.to_person_id == user.pk or membership.role == Role.SAFEGUARDING_LEAD


def sends(user: User, delivery) -> bool:
    """Who sent it, or a lead of the agency that sent it."""
    membership = _membership(user)
    if membership is None or membership.agency_id != delivery.from_agency_id:
        return False
    return delivery.sent_by_id == user.pk or membership.role == Role.SAFEGUARDING_LEAD


def may_answer(*, asked: bool) -> bool:
    """The sender answers once the recipient has asked something: the thread is the recipient's to open."""
    return asked


def is_overdue(*, acknowledge_by, now, acknowledged: bool) -> bool:
    """Not acknowledged by the time set when it was sent (DELIVERY_ACKNOWLEDGE_WITHIN_HOURS)."""
    return not acknowledged and now >= acknowledge_by


# The list of what was received: anyone who works with case records (each sees what they may read).
predicates.add_perm(Permission.DELIVERY_RECEIVED_LIST, has_case_role)
