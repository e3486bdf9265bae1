"""Staff roles and the permissions they carry, declared once.

Views ask ``request.user.has_perm(Permission.X, obj)``; the predicates behind
each permission live in ``rules.py``.
"""

from enum import StrEnum

from django.db import models


class Role(models.TextChoices):
    PRACTITIONER = "practitioner", "Practitioner"
    # The designated safeguarding / child protection lead, who reviews
    # decisions and their history.
    SAFEGUARDING_LEAD = "safeguarding_lead", "Safeguarding lead"
    AGENCY_ADMIN = "agency_admin", "Agency administrator"


# Roles that work with case records (children, adults, decisions). An agency
# administrator manages staff but does not read case records.
CASE_ROLES = frozenset({Role.PRACTITIONER, Role.SAFEGUARDING_LEAD})


class Permission(StrEnum):
    CHILD_VIEW = "records.child_view"
    CHILD_ADD = "records.child_add"
    CHILD_CHANGE = "records.child_change"
    ADULT_CHANGE = "records.adult_change"
    STAFF_MANAGE = "records.staff_manage"
    # Agencies, legal bases and the platform's own administrators.
    PLATFORM_MANAGE = "records.platform_manage"
    DECISION_START = "sharing.decision_start"
    DECISION_VIEW = "sharing.decision_view"
    DRAFT_VIEW = "sharing.draft_view"
    DRAFT_EDIT = "sharing.draft_edit"
    ADDENDUM_ADD = "sharing.addendum_add"
    DECISION_REVIEW = "sharing.decision_review"
    CONSENT_VIEW = "consent.consent_view"
    CONSENT_RECORD = "consent.consent_record"
    CONSENT_REVIEWS = "consent.consent_reviews"
    REQUEST_VIEW = "exchange.request_view"
    REQUEST_LOG = "exchange.request_log"
    DISCLOSURE_RECORD = "exchange.disclosure_record"
    CHRONOLOGY_VIEW = "exchange.chronology_view"
    ADVICE_ASK = "advice.advice_ask"
    ADVICE_LIST = "advice.advice_list"
    ADVICE_VIEW = "advice.advice_view"
    ADVICE_ANSWER = "advice.advice_answer"
    # Disclosures received through the service (ADR 27): each person's list of those they may read.
    DELIVERY_RECEIVED_LIST = "delivery.received_list"
    OVERSIGHT_VIEW = "audit.oversight_view"
    # A child's bundle for court or a conference: made, listed and downloaded again.
    BUNDLE_MAKE = "bundles.bundle_make"
    # Subject access requests (UK GDPR article 15): recorded, redacted and released by the agency's leads.
    SUBJECT_ACCESS = "subject_access.subject_access"
    SUBJECT_ACCESS_APPROVE = "subject_access.release_approve"
    # A person's own notifications and how they are told of them (ADR 24).
    NOTIFICATIONS = "notifications.notifications"
