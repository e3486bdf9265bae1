"""Sending a disclosure through the service from its pages, and what each side reads of it (ADR 27)."""

import re
from datetime import timedelta
from html import unescape

from django.urls import reverse
from django.utils import timezone

from audit.models import AccessEvent, Action, Subject
from delivery.models import Acknowledgement, Delivery, Opened, ThreadMessage
from exchange.models import Disclosure
from tests.delivery.sent import NOT_TOLD_BECAUSE, send
from tests.exchange.recorded import date_fields, disclosure_post, through_the_pages
from tests.factories import AgencyFactory
from tests.page_text import page_line, page_text


def _through_the_service(other_agency, **overrides):
    keep_until = date_fields("keep_until", timezone.localdate() + timedelta(days=90))
    return disclosure_post(
        method="through_the_service",
        send_to_agency=str(other_agency.pk),
        send_to_person="leads",
        **{**keep_until, **overrides},
    )


def test_the_practitioner_sends_it_from_the_check_page_and_sees_it_sent(
    client, practitioner, decision, other_agency, other_lead, outsider
):
    client.force_login(practitioner)
    check = through_the_pages(client, decision, _through_the_service(other_agency), record=False)
    text = page_text(check)
    assert f"Which agency on this service do you want to send it to? {other_agency.name}" in " ".join(text.split())
    assert "Its safeguarding leads" in text
    assert "Send and record disclosure" in text
    # The check page of exchange does not send it: it goes from the delivery app's address only.
    assert client.post(check.wsgi_request.path).status_code == 302
    assert not Disclosure.objects.exists()
    sent = client.post(reverse("delivery:send", args=[decision.pk]))
    delivery = Delivery.objects.get()
    assert sent.url == reverse("delivery:sent_detail", args=[delivery.disclosure_id])
    assert (delivery.to_agency, delivery.to_person, delivery.disclosure.method) == (
        other_agency,
        None,
        "through_the_service",
    )
    line = page_line(client.get(sent.url))
    assert f"The disclosure has been recorded and sent to The safeguarding leads of {other_agency.name}" in line
    assert "Opened Not yet" in line
    assert "Acknowledged Not yet: due by" in line
    disclosure_page = page_line(client.get(reverse("exchange:disclosure_detail", args=[delivery.disclosure_id])))
    assert "Sent through this service. See whether it has been opened and acknowledged" in disclosure_page
    assert "Checks made None asked: the service was the secure route" in disclosure_page


def test_the_choice_of_agency_is_only_other_active_agencies(client, practitioner, decision, agency, other_agency):
    gone = AgencyFactory(name="Closed Trust", is_active=False)
    client.force_login(practitioner)
    data = _through_the_service(other_agency)
    through_the_pages(client, decision, data, record=False)
    page = client.get(reverse("exchange:disclosure_page", args=[decision.pk, "send-to"]))
    choices = re.findall(r'govuk-radios__label"[^>]*>\s*([^<]+?)\s*<', page.content.decode())
    assert [unescape(choice) for choice in choices] == [other_agency.name]
    assert gone.name not in page_text(page)
    refused = client.post(
        reverse("exchange:disclosure_page", args=[decision.pk, "send-to"]), {"send_to_agency": str(agency.pk)}
    )
    assert "Select the agency to send it to" in page_text(refused)


def test_a_date_to_keep_it_until_in_the_past_is_refused(client, practitioner, decision, other_agency):
    client.force_login(practitioner)
    data = _through_the_service(other_agency, **date_fields("keep_until", timezone.localdate()))
    refused = through_the_pages(client, decision, data, record=False)
    assert "The date until which they may keep it must be in the future" in page_text(refused)


def test_the_recipient_reads_what_was_sent_with_its_limits_acknowledges_and_asks(
    client, practitioner, lead, decision, other_agency, other_lead, child
):
    delivery = send(practitioner, decision, to_agency=other_agency)
    client.force_login(other_lead)
    listed = page_line(client.get(reverse("delivery:received_list")))
    assert f"{practitioner.full_name}, {decision.agency.name} {child.full_name}" in listed
    assert "To acknowledge" in listed
    url = reverse("delivery:received_detail", args=[delivery.pk])
    line = page_line(client.get(url))
    assert "Passing it on Not allowed: do not pass it on without asking the sender" in line
    assert "They have not been told. Do not tell them before" in line and NOT_TOLD_BECAUSE in line
    assert "Item 1 Fact Police attended the home" in line
    assert "Item 2 Opinion The health visitor thinks" in line
    assert "Item 3 Hypothesis The bruising may be" in line
    assert (
        f"Opened {timezone.localtime(Opened.objects.get().opened_at):%-d %B %Y, %H:%M} by {other_lead.full_name}"
        in (line)
    )
    event = AccessEvent.objects.filter(subject=Subject.DISCLOSURE, action=Action.VIEW).latest("pk")
    assert (event.user, event.object_id, event.child) == (other_lead, str(delivery.pk), None)
    client.get(url)
    assert Opened.objects.count() == 1, "opened once for each person"
    client.post(reverse("delivery:received_acknowledge", args=[delivery.pk]))
    assert Acknowledgement.objects.get().acknowledged_by == other_lead
    refused = client.post(url, {"text": ""})
    assert "Enter your question" in page_text(refused)
    client.post(url, {"text": "Is the father still living at the address?"})
    # The sender's lead answers on the same thread.
    client.force_login(lead)
    sent_url = reverse("delivery:sent_detail", args=[delivery.disclosure_id])
    sent_line = page_line(client.get(sent_url))
    assert f"Acknowledged {timezone.localtime(Acknowledgement.objects.get().acknowledged_at):%-d %B %Y, %H:%M}" in (
        sent_line
    )
    assert "Question from" in sent_line and "Is the father still living at the address?" in sent_line
    client.post(sent_url, {"text": "He moved out in April."})
    client.force_login(other_lead)
    assert "He moved out in April." in page_line(client.get(url))
    assert ThreadMessage.objects.count() == 2


def test_a_third_agency_and_the_recipient_are_told_nothing_exists(
    client, practitioner, decision, other_agency, other_lead, other_practitioner, outsider
):
    delivery = send(practitioner, decision, to_agency=other_agency)
    received = reverse("delivery:received_detail", args=[delivery.pk])
    acknowledge = reverse("delivery:received_acknowledge", args=[delivery.pk])
    sent = reverse("delivery:sent_detail", args=[delivery.disclosure_id])
    for user in (outsider, other_practitioner):
        client.force_login(user)
        assert client.get(received).status_code == 404
        assert client.post(acknowledge).status_code == 404
        assert client.post(received, {"text": "A question"}).status_code == 404
        assert client.get(sent).status_code == 404
        assert delivery.child_name not in page_line(client.get(reverse("delivery:received_list")))
    # The recipient reads what was sent, never the sender's disclosure, child or decision.
    client.force_login(other_lead)
    for url in (
        sent,
        reverse("exchange:disclosure_detail", args=[delivery.disclosure_id]),
        reverse("oversight:child_detail", args=[decision.child_id]),
        reverse("sharing:decision_detail", args=[decision.pk]),
    ):
        assert client.get(url).status_code == 404, url
    assert not Acknowledgement.objects.exists() and not ThreadMessage.objects.exists()
