"""Disclosures sent through the service (ADR 27): sending one from its check page, the receiving agency's
list and page of each (opened, acknowledged, asked about), and the sending side's page of what became of it."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from audit.models import Action, Subject
from audit.services import shown
from core.access_log import logs, shows_no_case_records
from core.paging import page_number, page_query
from core.permissions import require_permission
from delivery import selectors, services
from delivery.forms import AnswerForm, QuestionForm
from exchange import disclosure_views
from records.roles import Permission


@shows_no_case_records("sends the disclosure checked on its check page, then goes to the disclosure's page")
@require_POST
def disclosure_send(request, decision_id: uuid.UUID):
    """Record the disclosure and send it through the service, from its "Check your answers" page."""
    checked = disclosure_views.checked(request, decision_id)
    if isinstance(checked, HttpResponse):
        return checked
    disclosing, form = checked
    sending = form.sending()
    if sending is None:
        # Another way of disclosing was chosen meanwhile: recorded from its own check page.
        return redirect(disclosure_views.page_url(disclosing.decision, "check"))
    delivery = services.disclosure_send(
        user=request.user,
        decision=disclosing.decision,
        details=form.details(),
        sending=sending,
        information_request=disclosing.info_request,
        draft=disclosing.draft,
    )
    messages.success(request, f"The disclosure has been recorded and sent to {delivery.addressed_to}.")
    return redirect("delivery:sent_detail", sent_id=delivery.disclosure_id)


@logs(Action.VIEW, subject=Subject.DISCLOSURE)
def received_list(request):
    """Disclosures received through the service that the person may read: their agency's, as one of its
    leads; those sent to them by name, as anyone else."""
    require_permission(request.user, Permission.DELIVERY_RECEIVED_LIST)
    listing = selectors.received_list(user=request.user, page=page_number(request))
    shown(request, detail=f"received through the service: {len(listing.rows)} of {listing.total_label}")
    return render(
        request,
        "delivery/received_list.html",
        {
            "listing": listing,
            "previous_query": page_query(request, listing.number - 1),
            "next_query": page_query(request, listing.number + 1),
        },
    )


@logs(Action.VIEW, subject=Subject.DISCLOSURE)
@require_http_methods(["GET", "POST"])
def received_detail(request, received_id: uuid.UUID):
    """What was sent and its limits; opening it is in the log (the first time for each person), and so are
    the acknowledgement and the questions asked back."""
    delivery = selectors.received_get_for_user(user=request.user, delivery_id=received_id)
    form = QuestionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        services.thread_write(user=request.user, delivery=delivery, text=form.cleaned_data["text"])
        messages.success(request, f"Your question has been sent to {delivery.sender_name}.")
        return redirect("delivery:received_detail", received_id=delivery.pk)
    opened_now = services.delivery_open(user=request.user, delivery=delivery) if request.method == "GET" else None
    # The record sent, not the sender's: no child of this agency is named (ADR 27).
    shown(request, delivery, detail=f"received through the service from {delivery.sender_agency}")
    return render(
        request,
        "delivery/received_detail.html",
        # The first opening, this one if there was none before.
        {"delivery": delivery, "form": form, "first_opened": selectors.first_opened(delivery) or opened_now},
    )


@shows_no_case_records("acknowledges a disclosure received, then goes back to its page")
@require_POST
def received_acknowledge(request, received_id: uuid.UUID):
    delivery = selectors.received_get_for_user(user=request.user, delivery_id=received_id)
    acknowledgement = services.delivery_acknowledge(user=request.user, delivery=delivery)
    if acknowledgement.acknowledged_by_id == request.user.pk:
        messages.success(request, f"You have acknowledged the disclosure. {delivery.sender_name} can see that.")
    else:
        messages.info(request, f"{acknowledgement.acknowledger_name} had acknowledged it already.")
    return redirect("delivery:received_detail", received_id=delivery.pk)


@logs(Action.VIEW, subject=Subject.DISCLOSURE)
@require_http_methods(["GET", "POST"])
def sent_detail(request, sent_id: uuid.UUID):
    """The sending side's page of a disclosure sent through the service: sent, opened, acknowledged, and
    the questions asked with their answers."""
    delivery = selectors.sent_get_for_user(user=request.user, disclosure_id=sent_id)
    form = AnswerForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        services.thread_write(user=request.user, delivery=delivery, text=form.cleaned_data["text"])
        messages.success(request, f"Your answer has been sent to {delivery.to_agency.name}.")
        return redirect("delivery:sent_detail", sent_id=delivery.disclosure_id)
    disclosure = delivery.disclosure
    shown(request, disclosure, detail="sent through the service: whether opened and acknowledged")
    return render(
        request,
        "delivery/sent_detail.html",
        {
            "delivery": delivery,
            "disclosure": disclosure,
            "form": form if selectors.asked(delivery) else None,
            "first_opened": selectors.first_opened(delivery),
        },
    )
