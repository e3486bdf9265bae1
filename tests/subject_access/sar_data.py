"""Subject access requests as tests, the escaping scenario and the role matrix make them."""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from subject_access import paper, services
from subject_access.models import Reason, SubjectAccessRequest

IDENTITY_CHECKED = "Saw his passport, and the child's birth certificate naming him"


def request_about(*, lead, child=None, adult=None, received_on: date | None = None) -> SubjectAccessRequest:
    return services.subject_access_request_record(
        user=lead,
        child=child,
        adult=adult,
        details=services.RequestDetails(
            requester_name="Dan Hughes",
            requester_is="parent",
            identity_checked=IDENTITY_CHECKED,
            received_on=received_on or timezone.localdate(),
        ),
    )


def redact_words(
    subject_access_request,
    *,
    user,
    words: str,
    reason=Reason.THIRD_PARTY,
    kind=paper.DETAILS,
    beside: str = "",
    everywhere: bool = False,
):
    """Redact ``words`` from the first piece of the request's records of ``kind`` that holds them (and the words
    ``beside``, when given); ``everywhere``: from every piece of every record that holds them."""
    if kind == paper.DETAILS and not everywhere:  # the person's details alone: no need to print every record
        records = [paper.details(subject_access_request.person)]
    else:
        records = paper.gather(subject_access_request=subject_access_request, user=user)
    found = [
        (record, piece)
        for record in records
        if record.kind == kind
        for piece in record.pieces
        if words in piece.text and beside in piece.text
    ]
    places = found[:1]
    if everywhere:
        places = [(record, piece) for record in records for piece in record.pieces if words in piece.text]
    made = services.redactions_add(
        user=user,
        subject_access_request=subject_access_request,
        redactions=[
            services.RedactionDetails(
                record_kind=record.kind,
                record_id=record.id,
                piece=piece.number,
                where=piece.label,
                words=words,
                reason=reason,
                reason_detail="Named in confidence" if reason == Reason.OTHER else "",
            )
            for record, piece in places
        ],
    )
    return made[0]


def received_on_fields(day: date, name: str = "received_on") -> dict:
    return {f"{name}_0": day.day, f"{name}_1": day.month, f"{name}_2": day.year}


def approved(client, subject_access_request):
    """The release approved through its page by the signed-in lead; the request read again."""
    from django.urls import reverse

    response = client.post(reverse("subject_access:approve", args=[subject_access_request.pk]), {"confirmed": "on"})
    assert response.status_code == 302, response.content[:3000]
    return SubjectAccessRequest.objects.select_related("release").get(pk=subject_access_request.pk)
