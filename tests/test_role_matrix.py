"""Who reaches which page: every URL of the service, for every role, against
records of the user's own agency and of another agency.

The whole access policy is the one table below; each cell is a subtest of
``test_access[<role>]``, which signs the role in once and makes each request
in a savepoint that is rolled back, so no cell sees another's changes. A URL
pattern added to the project without a row here fails
``test_every_url_is_in_the_matrix``, so a new page cannot ship without a
decision about who may open it.

Reading a row: the URL's name, whose record it is given (when the URL names
one), the method, then what each role gets:

- ``login``: 302 to the sign-in page (for the admin's pages, to ``/admin/login/``,
  which leads to the same sign-in);
- ``200``, ``302``, ``400``, ``403``, ``404``, ``405``: exactly that status. ``302`` is
  a redirect somewhere else, e.g. after a POST that was accepted.

Objects: ``-`` the URL names none; ``A`` a record of agency A, made by
``prac_A`` (so it is prac_A's draft or decision); ``A-colleague`` a record of
agency A made by another practitioner of agency A; ``B`` a record of agency B
made by ``prac_B``. POSTs carry an empty body: the point is the access
decision, not the form, so an allowed POST usually answers 200 with the form's
errors.

Where the application differs from the rules, the cell says what the rules
require and the test fails until the view is fixed.

Each cell also checks the access log (ASVS 16.3.2). Every view declares what
it logs (core/access_log.py), and a URL whose view declares nothing fails
``test_every_view_declares_what_it_logs``. A page of a view that shows case
records (``@logs``) is one event, of the action and subject declared, about
the child of the record the URL names; a refusal (403, 404) is one event,
"refused"; and nothing else is a look: a redirect, a page that shows no case
record (``@shows_no_case_records``) or an answer to someone not signed in
writes no view, search or export.
"""

import copy
import os
from functools import cached_property

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_otp_webauthn.models import WebAuthnCredential

from audit.middleware import NOT_NAMED
from audit.models import AccessEvent, Action, Subject
from bundles.models import Kind
from consent import services as consent_services
from core.access_log import Logs, declaration_of, shows_no_case_records
from exchange import disclosure_drafts
from exchange import services as exchange_services
from notifications.models import Kind as NotificationKind
from notifications.services import Notice, Recipients, notifications_make
from records.roles import Role
from sharing import services as sharing_services
from sharing.guidance import QuestionKey
from sharing.models import LegalBasis
from subject_access import services as subject_access_services
from tests.advice.asked import ask
from tests.bundles.bundle_data import made_by
from tests.consent.consent_data import consent_details
from tests.delivery.sent import send
from tests.exchange.recorded import disclose
from tests.factories import AgencyFactory, ChildFactory, RelationshipFactory, StaffMembershipFactory, UserFactory
from tests.ledger_data import seal
from tests.sharing.recorded import complete_draft, record_decision
from tests.subject_access.sar_data import redact_words, request_about

# Column heading -> the conftest fixture that makes that user (None: not signed in).
ROLES = {
    "anon": None,
    "prac_A": "practitioner",  # practitioner of agency A
    "prac_B": "other_practitioner",  # practitioner of agency B
    "lead_A": "lead",  # safeguarding lead of agency A
    "admin_A": "agency_admin",  # agency administrator of agency A: staff management, no case role
    "platform": "platform_admin",  # platform administrator: superuser, no agency
}

MATRIX = """
url                          object       method  anon   prac_A  prac_B  lead_A  admin_A  platform

home                         -            GET     login  302     302     302     200      200
login                        -            GET     200    302     302     302     302      302
login                        -            POST    200    302     302     302     302      302
# Sign-out is open to anyone (signed out already after a time-out, it leads to sign-in).
logout                       -            GET     405    405     405     405     405      405
logout                       -            POST    login  login   login   login   login    login
# "Stay signed in", from the time-out warning: the signed-in person's own session.
stay_signed_in               -            GET     login  405     405     405     405      405
stay_signed_in               -            POST    login  200     200     200     200      200
# The second step of signing in, about the signed-in person only. Someone with
# nothing left to do there is sent on (everyone here has an app already).
two_factor:verify            -            GET     login  302     302     302     302      302
two_factor:verify            -            POST    login  302     302     302     302      302
two_factor:enrol             -            GET     login  302     302     302     302      302
two_factor:enrol             -            POST    login  302     302     302     302      302
two_factor:recovery_codes    -            GET     login  200     200     200     200      200
# A passkey's challenge and answer (JSON), for the person's own passkeys only;
# an answer sent without a challenge first is refused (400).
two_factor:passkey_begin     -            GET     login  405     405     405     405      405
two_factor:passkey_begin     -            POST    login  200     200     200     200      200
two_factor:passkey_complete  -            GET     login  405     405     405     405      405
two_factor:passkey_complete  -            POST    login  400     400     400     400      400
# "Your sign-in methods": one's own passkeys, app and recovery codes. A passkey
# is removed by its owner only; the only app (all anyone has here) stays, with
# a message; new recovery codes are shown on the next page.
sign_in_methods              -            GET     login  200     200     200     200      200
sign_in_methods              -            POST    login  405     405     405     405      405
passkey_add_begin            -            GET     login  405     405     405     405      405
passkey_add_begin            -            POST    login  200     200     200     200      200
passkey_add_complete         -            GET     login  405     405     405     405      405
passkey_add_complete         -            POST    login  400     400     400     400      400
passkey_remove               A            GET     login  405     405     405     405      405
passkey_remove               A            POST    login  302     404     404     404      404
passkey_remove               B            POST    login  404     302     404     404      404
authenticator_remove         -            GET     login  405     405     405     405      405
authenticator_remove         -            POST    login  302     302     302     302      302
recovery_codes_regenerate    -            GET     login  405     405     405     405      405
recovery_codes_regenerate    -            POST    login  302     302     302     302      302
# Passwords: one's own is changed signed in; a forgotten one is reset by email.
# A link to choose a password (a reset, an invitation) opens its page for
# whoever holds it; without a valid token, as here, that page says the link
# does not work.
password_change              -            GET     login  200     200     200     200      200
password_change              -            POST    login  200     200     200     200      200
password_reset               -            GET     200    200     200     200     200      200
password_reset               -            POST    200    200     200     200     200      200
password_reset_done          -            GET     200    200     200     200     200      200
password_reset_confirm       A            GET     200    200     200     200     200      200
password_reset_confirm       A            POST    200    200     200     200     200      200
password_reset_confirm       B            GET     200    200     200     200     200      200
password_reset_confirm       B            POST    200    200     200     200     200      200
invitation_accept            A            GET     200    200     200     200     200      200
invitation_accept            A            POST    200    200     200     200     200      200
invitation_accept            B            GET     200    200     200     200     200      200
invitation_accept            B            POST    200    200     200     200     200      200
# The admin: platform administrators only, and no case records there
# (tests/records/test_admin.py).
admin:index                  -            GET     login  login   login   login   login    200

records:child_search         -            GET     login  200     200     200     403      403
records:child_search         -            POST    login  200     200     200     403      403
records:child_add            -            GET     login  200     200     200     403      403
records:child_add            -            POST    login  200     200     200     403      403
oversight:child_detail       A            GET     login  200     404     200     404      404
oversight:child_detail       B            GET     login  404     200     404     404      404
records:child_change         A            GET     login  200     404     200     404      404
records:child_change         A            POST    login  200     404     200     404      404
records:child_change         B            GET     login  404     200     404     404      404
records:child_change         B            POST    login  404     200     404     404      404
records:adult_add            A            GET     login  200     404     200     404      404
records:adult_add            A            POST    login  200     404     200     404      404
records:adult_add            B            GET     login  404     200     404     404      404
records:adult_add            B            POST    login  404     200     404     404      404
records:adult_link           A            GET     login  200     404     200     404      404
records:adult_link           A            POST    login  200     404     200     404      404
records:adult_link           B            GET     login  404     200     404     404      404
records:adult_link           B            POST    login  404     200     404     404      404
records:adult_change         A            GET     login  200     404     200     404      404
records:adult_change         A            POST    login  200     404     200     404      404
records:adult_change         B            GET     login  404     200     404     404      404
records:adult_change         B            POST    login  404     200     404     404      404

sharing:start                A            GET     login  200     404     200     404      404
sharing:start                A            POST    login  200     404     200     404      404
sharing:start                B            GET     login  404     200     404     404      404
sharing:start                B            POST    login  404     200     404     404      404
sharing:drafts               -            GET     login  200     200     200     403      403
# A practitioner's own decisions and the requests they handle: anyone with a case role, their own only.
sharing:mine                 -            GET     login  200     200     200     403      403
# Drafts: seen by their author and the agency's leads, changed by their author only.
# The task list: read by the author and the agency's leads; only the author's has links to the questions.
sharing:task_list            A            GET     login  200     404     200     404      404
sharing:task_list            A            POST    login  405     405     405     405      405
sharing:task_list            A-colleague  GET     login  404     404     200     404      404
sharing:task_list            B            GET     login  404     200     404     404      404
sharing:check                A            GET     login  200     404     200     404      404
sharing:check                A            POST    login  302     404     403     404      404
sharing:check                A-colleague  GET     login  404     404     200     404      404
sharing:check                A-colleague  POST    login  404     404     403     404      404
sharing:check                B            GET     login  404     200     404     404      404
sharing:check                B            POST    login  404     302     404     404      404
sharing:question             A            GET     login  200     404     403     404      404
sharing:question             A            POST    login  200     404     403     404      404
sharing:question             A-colleague  GET     login  404     404     403     404      404
sharing:question             A-colleague  POST    login  404     404     403     404      404
sharing:question             B            GET     login  404     200     404     404      404
sharing:question             B            POST    login  404     200     404     404      404
sharing:question_page        A            GET     login  200     404     403     404      404
sharing:question_page        A            POST    login  200     404     403     404      404
sharing:question_page        A-colleague  GET     login  404     404     403     404      404
sharing:question_page        A-colleague  POST    login  404     404     403     404      404
sharing:question_page        B            GET     login  404     200     404     404      404
sharing:question_page        B            POST    login  404     200     404     404      404
sharing:question_item        A            GET     login  200     404     403     404      404
sharing:question_item        A            POST    login  200     404     403     404      404
sharing:question_item        A-colleague  GET     login  404     404     403     404      404
sharing:question_item        A-colleague  POST    login  404     404     403     404      404
sharing:question_item        B            GET     login  404     200     404     404      404
sharing:question_item        B            POST    login  404     200     404     404      404
# Recorded decisions: open to the agency's case staff; addenda by the recorder or a lead.
sharing:decision_detail      A            GET     login  200     404     200     404      404
sharing:decision_detail      A-colleague  GET     login  200     404     200     404      404
sharing:decision_detail      B            GET     login  404     200     404     404      404
# A record's receipt (ADR 13): whoever may see the record; a review's, whoever may see its decision.
# A record's PDF (ADR 20): whoever may see the record, as its page.
sharing:decision_pdf         A            GET     login  200     404     200     404      404
sharing:decision_pdf         A-colleague  GET     login  200     404     200     404      404
sharing:decision_pdf         B            GET     login  404     200     404     404      404
sharing:decision_receipt     A            GET     login  200     404     200     404      404
sharing:decision_receipt     B            GET     login  404     200     404     404      404
sharing:review_receipt       A            GET     login  200     404     200     404      404
sharing:review_receipt       B            GET     login  404     200     404     404      404
sharing:addendum_receipt     A            GET     login  200     404     200     404      404
sharing:addendum_receipt     B            GET     login  404     200     404     404      404
sharing:addendum_add         A            GET     login  405     405     405     405      405
sharing:addendum_add         A            POST    login  200     404     200     404      404
sharing:addendum_add         A-colleague  POST    login  403     404     200     404      404
sharing:addendum_add         B            POST    login  404     200     404     404      404
# Reviews: by a lead of the agency, of someone else's decision.
sharing:review_add           A            GET     login  403     404     200     404      404
sharing:review_add           A            POST    login  403     404     200     404      404
sharing:review_add           A-colleague  GET     login  403     404     200     404      404
sharing:review_add           B            GET     login  404     403     404     404      404
sharing:review_add           B            POST    login  404     403     404     404      404

consent:add                  A            GET     login  200     404     200     404      404
consent:add                  A            POST    login  200     404     200     404      404
consent:add                  B            GET     login  404     200     404     404      404
consent:add                  B            POST    login  404     200     404     404      404
consent:renew                A            GET     login  200     404     200     404      404
consent:renew                A            POST    login  200     404     200     404      404
consent:renew                B            GET     login  404     200     404     404      404
consent:renew                B            POST    login  404     200     404     404      404
consent:add_page             A            GET     login  302     404     302     404      404
consent:add_page             A            POST    login  302     404     302     404      404
consent:add_page             B            GET     login  404     302     404     404      404
consent:add_page             B            POST    login  404     302     404     404      404
consent:renew_page           A            GET     login  302     404     302     404      404
consent:renew_page           A            POST    login  302     404     302     404      404
consent:renew_page           B            GET     login  404     302     404     404      404
consent:renew_page           B            POST    login  404     302     404     404      404
consent:detail               A            GET     login  200     404     200     404      404
consent:detail               B            GET     login  404     200     404     404      404
consent:withdraw             A            GET     login  200     404     200     404      404
consent:withdraw             A            POST    login  200     404     200     404      404
consent:withdraw             B            GET     login  404     200     404     404      404
consent:withdraw             B            POST    login  404     200     404     404      404
consent:signed_form          A            GET     login  200     404     200     404      404
consent:signed_form          B            GET     login  404     200     404     404      404
consent:consent_pdf          A            GET     login  200     404     200     404      404
consent:consent_pdf          B            GET     login  404     200     404     404      404
consent:consent_receipt      A            GET     login  200     404     200     404      404
consent:consent_receipt      B            GET     login  404     200     404     404      404

exchange:request_add         A            GET     login  200     404     200     404      404
exchange:request_add         A            POST    login  200     404     200     404      404
exchange:request_add         B            GET     login  404     200     404     404      404
exchange:request_add         B            POST    login  404     200     404     404      404
# A later page of logging a request, or its check page: with nothing answered yet, it sends to the first page.
exchange:request_add_page    A            GET     login  302     404     302     404      404
exchange:request_add_page    A            POST    login  302     404     302     404      404
exchange:request_add_page    B            GET     login  404     302     404     404      404
exchange:request_add_page    B            POST    login  404     302     404     404      404
# Asked to share: which request the decision answers, or log it first (as sharing:start).
exchange:request_before_decision A        GET     login  200     404     200     404      404
exchange:request_before_decision A        POST    login  200     404     200     404      404
exchange:request_before_decision B        GET     login  404     200     404     404      404
exchange:request_before_decision B        POST    login  404     200     404     404      404
oversight:chronology         A            GET     login  200     404     200     404      404
oversight:chronology         B            GET     login  404     200     404     404      404
exchange:request_list        -            GET     login  200     200     200     403      403
exchange:mine                -            GET     login  200     200     200     403      403
exchange:request_detail      A            GET     login  200     404     200     404      404
exchange:request_detail      B            GET     login  404     200     404     404      404
# Correcting a request starts from its check page (a redirect there); each page, and the check page, is then
# open to whoever may log a request for the child. With no correction started in the session, a page sends
# back to the start.
exchange:request_change      A            GET     login  302     404     302     404      404
exchange:request_change      A            POST    login  405     405     405     405      405
exchange:request_change      B            GET     login  404     302     404     404      404
exchange:request_change_page A            GET     login  302     404     302     404      404
exchange:request_change_page A            POST    login  302     404     302     404      404
exchange:request_change_page B            GET     login  404     302     404     404      404
exchange:request_change_page B            POST    login  404     302     404     404      404
exchange:request_verify      A            GET     login  405     405     405     405      405
exchange:request_verify      A            POST    login  200     404     200     404      404
exchange:request_verify      B            POST    login  404     200     404     404      404
exchange:request_close       A            GET     login  405     405     405     405      405
exchange:request_close       A            POST    login  200     404     200     404      404
exchange:request_close       B            POST    login  404     200     404     404      404
exchange:request_decide      A            GET     login  405     405     405     405      405
exchange:request_decide      A            POST    login  302     404     302     404      404
exchange:request_decide      B            POST    login  404     302     404     404      404
# Asking another agency on this service (ADR 26): the child's requests sent, the pages of asking (a later page
# with nothing answered sends to the first), and one sent, seen by the agency that sent it only. Object A's is
# sent by prac_A to a third agency.
exchange:sent_requests       A            GET     login  200     404     200     404      404
exchange:sent_requests       B            GET     login  404     200     404     404      404
exchange:sent_request_add    A            GET     login  200     404     200     404      404
exchange:sent_request_add    A            POST    login  200     404     200     404      404
exchange:sent_request_add    B            GET     login  404     200     404     404      404
exchange:sent_request_add    B            POST    login  404     200     404     404      404
exchange:sent_request_add_page A          GET     login  302     404     302     404      404
exchange:sent_request_add_page A          POST    login  302     404     302     404      404
exchange:sent_request_add_page B          GET     login  404     302     404     404      404
exchange:sent_request_add_page B          POST    login  404     302     404     404      404
exchange:sent_request_detail A            GET     login  200     404     200     404      404
exchange:sent_request_detail B            GET     login  404     200     404     404      404
# Received through this service: object A's is sent to agency A by a third agency, not yet matched; only the
# case staff of the agency asked open it, search their children for it (a POST), match it or say it is not known.
exchange:received_detail     A            GET     login  200     404     200     404      404
exchange:received_detail     A            POST    login  200     404     200     404      404
exchange:received_detail     B            GET     login  404     200     404     404      404
exchange:received_detail     B            POST    login  404     200     404     404      404
exchange:received_match      A            GET     login  405     405     405     405      405
exchange:received_match      A            POST    login  200     404     200     404      404
exchange:received_match      B            POST    login  404     200     404     404      404
exchange:received_not_known  A            GET     login  405     405     405     405      405
exchange:received_not_known  A            POST    login  200     404     200     404      404
exchange:received_not_known  B            POST    login  404     200     404     404      404
# Recording a disclosure, a page at a time: started (on to its first page), the items, an item, the check page.
# The draft is its author's: a lead is sent to begin their own.
exchange:disclosure_add      A            GET     login  302     404     302     404      404
exchange:disclosure_add      A            POST    login  405     405     405     405      405
exchange:disclosure_add      B            GET     login  404     302     404     404      404
exchange:disclosure_page     A            GET     login  200     404     302     404      404
exchange:disclosure_page     A            POST    login  200     404     302     404      404
exchange:disclosure_page     B            GET     login  404     200     404     404      404
exchange:disclosure_page     B            POST    login  404     200     404     404      404
exchange:disclosure_item     A            GET     login  200     404     302     404      404
exchange:disclosure_item     A            POST    login  200     404     302     404      404
exchange:disclosure_item     B            GET     login  404     200     404     404      404
exchange:disclosure_item     B            POST    login  404     200     404     404      404
exchange:disclosure_detail   A            GET     login  200     404     200     404      404
exchange:disclosure_detail   B            GET     login  404     200     404     404      404
exchange:disclosure_pdf      A            GET     login  200     404     200     404      404
exchange:disclosure_pdf      B            GET     login  404     200     404     404      404
exchange:disclosure_receipt  A            GET     login  200     404     200     404      404
exchange:disclosure_receipt  B            GET     login  404     200     404     404      404
exchange:follow_up_receipt   A            GET     login  200     404     200     404      404
exchange:follow_up_receipt   B            GET     login  404     200     404     404      404
exchange:follow_up_add       A            GET     login  405     405     405     405      405
exchange:follow_up_add       A            POST    login  200     404     200     404      404
exchange:follow_up_add       B            POST    login  404     200     404     404      404

# Advice about a draft (3.5.17): asked by the draft's author, of the agency's own staff; read by who asked,
# whoever it was asked of (here any lead) and the agency's leads; answered only by whom it was asked of.
advice:ask                   A            GET     login  200     404     403     404      404
advice:ask                   A            POST    login  200     404     403     404      404
advice:ask                   A-colleague  GET     login  404     404     403     404      404
advice:ask                   B            GET     login  404     200     404     404      404
advice:ask                   B            POST    login  404     200     404     404      404
advice:list                  -            GET     login  200     200     200     403      403
advice:detail                A            GET     login  200     404     200     404      404
advice:detail                A            POST    login  403     404     200     404      404
advice:detail                A-colleague  GET     login  404     404     200     404      404
advice:detail                A-colleague  POST    login  404     404     200     404      404
advice:detail                B            GET     login  404     200     404     404      404
advice:detail                B            POST    login  404     403     404     404      404

# Notifications (ADR 24): each person's own, for staff who work with case records. One of someone else's is not
# found, a lead's colleagues' too; opening one's own goes to the thing waiting, whose page checks access itself.
# Disclosures sent through the service (ADR 27). Sending: from the check page of the author's draft (here
# begun, not finished, so it sends back to the page to answer). The sending side's page: the sender and the
# sending agency's leads. Received (A: sent to prac_A by name from a third agency; A-colleague: to a colleague
# by name): the person named and the receiving agency's leads; anyone else, of any agency, is told nothing.
delivery:send                A            GET     login  405     405     405     405      405
delivery:send                A            POST    login  302     404     302     404      404
delivery:send                B            POST    login  404     302     404     404      404
delivery:sent_detail         A            GET     login  200     404     200     404      404
delivery:sent_detail         A            POST    login  200     404     200     404      404
delivery:sent_detail         A-colleague  GET     login  404     404     200     404      404
delivery:sent_detail         B            GET     login  404     200     404     404      404
delivery:sent_detail         B            POST    login  404     200     404     404      404
delivery:received_list       -            GET     login  200     200     200     403      403
delivery:received_detail     A            GET     login  200     404     200     404      404
delivery:received_detail     A            POST    login  200     404     200     404      404
delivery:received_detail     A-colleague  GET     login  404     404     200     404      404
delivery:received_detail     B            GET     login  404     200     404     404      404
delivery:received_detail     B            POST    login  404     200     404     404      404
delivery:received_acknowledge A           GET     login  405     405     405     405      405
delivery:received_acknowledge A           POST    login  302     404     302     404      404
delivery:received_acknowledge A-colleague POST    login  404     404     302     404      404
delivery:received_acknowledge B           POST    login  404     302     404     404      404
notifications:list           -            GET     login  200     200     200     403      403
notifications:preferences    -            GET     login  200     200     200     403      403
notifications:preferences    -            POST    login  200     200     200     403      403
notifications:all_read       -            GET     login  405     405     405     405      405
notifications:all_read       -            POST    login  302     302     302     403      403
notifications:open           A            GET     login  302     404     404     403      403
notifications:open           A            POST    login  405     405     405     405      405
notifications:open           B            GET     login  404     302     404     403      403

# Staff management: an agency administrator's own staff, on the service's pages.
records:staff_list           -            GET     login  403     403     403     200     403
records:staff_add            -            GET     login  403     403     403     200     403
records:staff_add            -            POST    login  403     403     403     200     403
records:staff_change         A            GET     login  403     404     403     200     404
records:staff_change         A            POST    login  403     404     403     200     404
records:staff_change         B            GET     login  404     403     404     404     404
records:staff_change         B            POST    login  404     403     404     404     404
records:staff_two_factor_reset A          POST    login  403     404     403     302     404
records:staff_two_factor_reset B          POST    login  404     403     404     404     404
# An invitation sent again, or a password reset: a link to the person, never a password.
records:staff_password_link  A            POST    login  403     404     403     302     404
records:staff_password_link  B            POST    login  404     403     404     404     404

# Platform administration, on the service's pages: agencies (A and B are both open to it), an agency's
# first administrator, question 1's legal bases, and the platform's own administrators (the records'
# "administrator" is a platform administrator other than the one signed in).
records:agency_list          -            GET     login  403     403     403     403      200
records:agency_add           -            GET     login  403     403     403     403      200
records:agency_add           -            POST    login  403     403     403     403      200
records:agency_change        A            GET     login  403     403     403     403      200
records:agency_change        A            POST    login  403     403     403     403      200
records:agency_change        B            GET     login  403     403     403     403      200
records:agency_admin_add     A            GET     login  403     403     403     403      200
records:agency_admin_add     A            POST    login  403     403     403     403      200
records:agency_admin_add     B            GET     login  403     403     403     403      200
records:platform_admin_list  -            GET     login  403     403     403     403      200
records:platform_admin_add   -            GET     login  403     403     403     403      200
records:platform_admin_add   -            POST    login  403     403     403     403      200
records:platform_invitation_send A        GET     login  405     405     405     405      405
records:platform_invitation_send A        POST    login  403     403     403     403      302
records:platform_invitation_send B        POST    login  403     403     403     403      302
records:platform_admin_deactivate A       GET     login  405     405     405     405      405
records:platform_admin_deactivate A       POST    login  403     403     403     403      302
records:platform_admin_deactivate B       POST    login  403     403     403     403      302
sharing:legal_basis_list     -            GET     login  403     403     403     403      200
sharing:legal_basis_add      -            GET     login  403     403     403     403      200
sharing:legal_basis_add      -            POST    login  403     403     403     403      200
sharing:legal_basis_change   A            GET     login  403     403     403     403      200
sharing:legal_basis_change   A            POST    login  403     403     403     403      200
sharing:legal_basis_change   B            GET     login  403     403     403     403      200

# Oversight: "For review" and the audit histories are for the agency's leads.
oversight:dashboard          -            GET     login  403     403     200     403      403
oversight:child_history      A            GET     login  403     404     200     404      404
oversight:child_history      B            GET     login  404     403     404     404      404
oversight:staff_list         -            GET     login  403     403     200     403      403
oversight:staff_history      A            GET     login  403     404     200     403      404
oversight:staff_history      B            GET     login  404     403     404     404      404
oversight:change_history     -            GET     login  403     403     200     403      403

# A child's bundles for court or a conference (ADR 21): made, listed and downloaded by the agency's leads
# (and its lead information officer); a practitioner sees the child's records but not its bundles.
bundles:list                 A            GET     login  403     404     200     404      404
bundles:list                 B            GET     login  404     403     404     404      404
bundles:make                 A            GET     login  403     404     200     404      404
bundles:make                 A            POST    login  403     404     200     404      404
bundles:make                 B            GET     login  404     403     404     404      404
bundles:make                 B            POST    login  404     403     404     404      404
bundles:download             A            GET     login  403     404     200     404      404
bundles:download             B            GET     login  404     403     404     404      404
# Subject access requests (ADR 22): the agency's leads only. lead_A made none of the request's redactions (a
# colleague lead did), so lead_A may approve its release; an empty form is the form again with its errors.
subject_access:list              -            GET     login  403     403     200     403      403
subject_access:new_for_child     A            GET     login  403     404     200     404      404
subject_access:new_for_child     A            POST    login  403     404     200     404      404
subject_access:new_for_child     B            GET     login  404     403     404     404      404
subject_access:new_for_adult     A            GET     login  403     404     200     403      404
subject_access:new_for_adult     A            POST    login  403     404     200     403      404
subject_access:new_for_adult     B            GET     login  404     403     404     404      404
subject_access:detail            A            GET     login  403     404     200     403      404
subject_access:detail            B            GET     login  404     403     404     404      404
subject_access:extend            A            GET     login  403     404     200     403      404
subject_access:extend            A            POST    login  403     404     200     403      404
subject_access:extend            B            POST    login  404     403     404     404      404
subject_access:record            A            GET     login  403     404     200     403      404
subject_access:record            A            POST    login  403     404     200     403      404
subject_access:record            B            GET     login  404     403     404     404      404
subject_access:record            B            POST    login  404     403     404     404      404
subject_access:redaction_remove  A            GET     login  405     405     405     405      405
subject_access:redaction_remove  A            POST    login  403     404     302     403      404
subject_access:redaction_remove  B            POST    login  404     403     404     404      404
subject_access:approve           A            GET     login  403     404     200     403      404
subject_access:approve           A            POST    login  403     404     200     403      404
subject_access:approve           B            POST    login  404     403     404     404      404
subject_access:release_pdf       A            GET     login  403     404     200     403      404
subject_access:release_pdf       B            GET     login  404     403     404     404      404
subject_access:redaction_log     A            GET     login  403     404     200     403      404
subject_access:redaction_log     B            GET     login  404     403     404     404      404

# The log (ADR 13): its public key is for anyone checking a receipt; its newest checkpoint, for staff.
ledger:public_key            -            GET     200    200     200     200     200      200
ledger:checkpoint            -            GET     login  200     200     200     200      200

# Help and the statements a public service owes everyone: open to anyone, signed in or not.
about:help                   -            GET     200    200     200     200     200      200
about:accessibility          -            GET     200    200     200     200     200      200
about:privacy                -            GET     200    200     200     200     200      200
about:cookies                -            GET     200    200     200     200     200      200
# The guidance, a paragraph at a time: public text, shown to staff beside their work, so behind sign-in.
about:guidance_contents      -            GET     login  200     200     200     200      200
about:guidance               -            GET     login  200     200     200     200      200
"""

OUTCOMES = {"login", "200", "302", "400", "403", "404", "405"}
OBJECTS = {"-", "A", "A-colleague", "B"}

# URL names deliberately left out of the matrix: the admin's own pages behind
# its index (it has its own tests) and the health check (open to load balancers).
NOT_IN_MATRIX = {"healthz"}


def _parse(table: str) -> list[tuple[str, str, str, dict[str, str]]]:
    lines = [line.split() for line in table.strip().splitlines() if line.strip() and not line.startswith("#")]
    header, *rows = lines
    roles = header[3:]  # after "url object method"
    assert roles == list(ROLES), f"the matrix's columns must be {list(ROLES)}"
    parsed = []
    for row in rows:
        name, target, method, *outcomes = row
        assert len(outcomes) == len(roles), f"{name} {target} {method}: one outcome per role"
        assert target in OBJECTS, f"{name}: unknown object {target!r}"
        assert method in {"GET", "POST"}, f"{name}: unknown method {method!r}"
        assert set(outcomes) <= OUTCOMES, f"{name} {target} {method}: unknown outcome in {outcomes}"
        parsed.append((name, target, method, dict(zip(roles, outcomes, strict=True))))
    return parsed


ROWS = _parse(MATRIX)


def _named_patterns(resolver=None, namespace=""):
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _named_patterns(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}", pattern


def _url_names_to_cover() -> set[str]:
    names = {name for name, _ in _named_patterns()}
    return {name for name in names if not name.startswith("admin:") or name == "admin:index"} - NOT_IN_MATRIX


def _pattern(name: str) -> URLPattern:
    return next(pattern for found, pattern in _named_patterns() if found == name)


PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


class CaseRecords:
    """One agency's case records, made by ``author``, each on first use."""

    def __init__(self, author):
        self.author = author
        self.agency = author.agency

    @cached_property
    def child(self):
        return ChildFactory(agency=self.agency)

    @cached_property
    def link(self):
        return RelationshipFactory(child=self.child)

    @cached_property
    def draft(self):
        # Complete, so its check page shows rather than sending the author back to a question.
        return complete_draft(user=self.author, child=self.child)

    @cached_property
    def decision(self):
        decision = record_decision(user=self.author, child=self.child)
        # Its author has begun recording a disclosure under it (exchange.disclosure_drafts): its pages open.
        disclosure_drafts.draft_start(user=self.author, decision=decision)
        return decision

    @cached_property
    def review(self):
        # By a lead of the same agency: nobody reviews their own decision.
        reviewer = StaffMembershipFactory(agency=self.agency, role=Role.SAFEGUARDING_LEAD).user
        return sharing_services.review_record(decision=self.decision, user=reviewer, outcome="agree")

    @cached_property
    def addendum(self):
        return sharing_services.addendum_add(decision=self.decision, user=self.author, text="A later note.")

    @cached_property
    def consent(self):
        return consent_services.consent_record(
            user=self.author,
            child=self.child,
            responder=self.link.adult,
            details=consent_details(),
            signed_form=SimpleUploadedFile("form.pdf", PDF, content_type="application/pdf"),
            signed_form_type="application/pdf",
        )

    @cached_property
    def information_request(self):
        details = exchange_services.RequestDetails(
            received_at=timezone.now(),
            channel="email",
            requester_name="Nadia Hughes",
            requester_role="Health visitor",
            requester_agency="Northgate NHS Foundation Trust",
            requester_agency_kind="health",
            requester_contact="nadia@nhs.example",
            information_needed="Whether the family is known",
            reason="Home visit",
            intended_use="Plan a safe visit",
            risk_level="lower",
        )
        return exchange_services.request_log(user=self.author, child=self.child, adults=[], details=details)

    def _ask(self, *, user, child, to_agency):
        details = exchange_services.SentRequestDetails(
            to_agency=to_agency, information_needed="Whether the family is known", reason="Home visit",
            intended_use="Plan a safe visit", others_to_tell="Nobody else", risk_level="lower",
        )  # fmt: skip
        return exchange_services.sent_request_send(user=user, child=child, details=details, two_factor=True)

    @cached_property
    def sent_request(self):
        # Sent to a third agency: the other agency of the matrix is not the one asked.
        return self._ask(user=self.author, child=self.child, to_agency=AgencyFactory())

    @cached_property
    def received_request(self):
        # Sent to this agency by a practitioner of a third agency, about that agency's child.
        sender = StaffMembershipFactory(role=Role.PRACTITIONER).user
        return self._ask(user=sender, child=ChildFactory(agency=sender.agency), to_agency=self.agency)

    @cached_property
    def disclosure(self):
        return disclose(self.author, self.decision)

    @cached_property
    def follow_up(self):
        details = exchange_services.FollowUpDetails(informed=True, informed_on=timezone.localdate(), informed_by="Sam")
        return exchange_services.follow_up_record(user=self.author, disclosure=self.disclosure, details=details)

    @cached_property
    def passkey(self):
        return WebAuthnCredential.objects.create(
            user=self.author, name="Passkey", credential_id=os.urandom(32), public_key=b"key", confirmed=True
        )

    @cached_property
    def notification(self):
        # The author's own, of a page of their own (the role matrix's other rows protect the pages linked to).
        (made,) = notifications_make(
            notice=Notice(
                kind=NotificationKind.ADVICE_ANSWERED, link=reverse("sharing:mine"), about=f"matrix:{self.author.pk}"
            ),
            to=Recipients(people=(self.author.pk,)),
        )
        return made

    @cached_property
    def legal_basis(self):
        return LegalBasis.objects.create(code=f"basis-{self.agency.pk}", label=f"A basis of {self.agency.name}")

    @cached_property
    def platform_administrator(self):
        return UserFactory(is_superuser=True, is_staff=True)

    @cached_property
    def bundle(self):
        return made_by(self.author, self.child, kinds=[Kind.CONSENTS])

    @cached_property
    def subject_access_lead(self):
        # A lead of the agency who handles its subject access requests (agency A's lead_A is another).
        return StaffMembershipFactory(agency=self.agency, role=Role.SAFEGUARDING_LEAD).user

    @cached_property
    def subject_access_request(self):
        return request_about(lead=self.subject_access_lead, child=self.child)

    @cached_property
    def redaction(self):
        return redact_words(self.subject_access_request, user=self.subject_access_lead, words=self.child.full_name)

    @cached_property
    def subject_access_release(self):
        answered = request_about(lead=self.subject_access_lead, child=self.child)
        return subject_access_services.subject_access_release(
            user=self.subject_access_lead,
            subject_access_request=answered,
            answer=subject_access_services.Answer(pdf=PDF, records=[], redaction_log=[], redaction_ids=frozenset()),
            approver_redacted=False,
        )

    @cached_property
    def sent(self):
        # Sent through the service by the author to a third agency, which has a lead to receive it.
        to_agency = AgencyFactory()
        StaffMembershipFactory(agency=to_agency, role=Role.SAFEGUARDING_LEAD)
        return send(self.author, self.decision, to_agency=to_agency)

    @cached_property
    def received(self):
        # Sent to the author by name, from a third agency, about a child of that agency's.
        sender = StaffMembershipFactory(agency=AgencyFactory(), role=Role.PRACTITIONER).user
        decision = record_decision(user=sender, child=ChildFactory(agency=sender.agency))
        return send(sender, decision, to_agency=self.agency, to_person=self.author)

    @cached_property
    def advice(self):
        # Asked of any lead of the agency, which then has one (agency B's only lead is this one).
        StaffMembershipFactory(agency=self.agency, role=Role.SAFEGUARDING_LEAD)
        return ask(self.author, self.draft)


# What each URL argument is, for a given set of case records.
URL_ARGUMENTS = {
    "child_id": lambda records: records.child.pk,
    "link_id": lambda records: records.link.pk,
    "draft_id": lambda records: records.draft.pk,
    "question": lambda records: QuestionKey.PURPOSE,
    # A later page of question 1 (the draft is complete, so each of its pages opens).
    "page": lambda records: "tests",
    # Question 7's first item (sharing:question_item, whose question is question 7: ARGUMENTS_OF).
    "number": lambda records: 1,
    "decision_id": lambda records: records.decision.pk,
    "review_id": lambda records: records.review.pk,
    "addendum_id": lambda records: records.addendum.pk,
    "consent_id": lambda records: records.consent.pk,
    "renews": lambda records: records.consent.pk,
    # The check page of recording a consent: with nothing answered yet in this session, it sends to the first page.
    "consent_page": lambda records: "check",
    # The list of items disclosed, in the draft its author began (CaseRecords.decision).
    "disclosure_page": lambda records: "items",
    "request_id": lambda records: records.information_request.pk,
    # The check page of logging or correcting a request: with nothing answered in this session, it sends back.
    "request_page": lambda records: "check",
    "sent_request_id": lambda records: records.sent_request.pk,
    "received_request_id": lambda records: records.received_request.pk,
    # The check page of asking another agency: with nothing answered in this session, it sends to the first page.
    "ask_page": lambda records: "check",
    "disclosure_id": lambda records: records.disclosure.pk,
    "follow_up_id": lambda records: records.follow_up.pk,
    "advice_id": lambda records: records.advice.pk,
    "sent_id": lambda records: records.sent.disclosure_id,
    "received_id": lambda records: records.received.pk,
    "bundle_id": lambda records: records.bundle.pk,
    "adult_id": lambda records: records.link.adult.pk,
    "sar_id": lambda records: records.subject_access_request.pk,
    # A subject access request's first record: the child's details (NAMING_NO_RECORD's "kind").
    "record_id": lambda records: records.child.pk,
    "redaction_id": lambda records: records.redaction.pk,
    "release_id": lambda records: records.subject_access_release.pk,
    "passkey_id": lambda records: records.passkey.pk,
    "notification_id": lambda records: records.notification.pk,
    "member_id": lambda records: records.author.pk,
    "agency_id": lambda records: records.agency.pk,
    "legal_basis_id": lambda records: records.legal_basis.pk,
    "administrator_id": lambda records: records.platform_administrator.pk,
    "uidb64": lambda records: urlsafe_base64_encode(force_bytes(records.author.pk)),
    # What Django's page puts in the address once it has moved the token into the session.
    "token": lambda records: "set-password",
}
# URL arguments that name no record: the same on every row.
NAMING_NO_RECORD = {"reference": "3.5.4", "kind": "details"}
# URL arguments that are the same on every row of one URL: an item is an item of question 7's.
ARGUMENTS_OF = {"sharing:question_item": {"question": QuestionKey.SHARING}}


def _case_records(request) -> dict[str, CaseRecords]:
    agency = request.getfixturevalue("agency")
    return {
        "A": CaseRecords(request.getfixturevalue("practitioner")),
        "A-colleague": CaseRecords(StaffMembershipFactory(agency=agency, role=Role.PRACTITIONER).user),
        "B": CaseRecords(request.getfixturevalue("other_practitioner")),
    }


def _url(records: dict[str, CaseRecords], name: str, target: str) -> str:
    arguments = set(_pattern(name).pattern.regex.groupindex)
    fixed = {argument: NAMING_NO_RECORD[argument] for argument in arguments & set(NAMING_NO_RECORD)}
    fixed |= ARGUMENTS_OF.get(name, {})
    arguments -= set(fixed)
    if target == "-":
        assert not arguments, f"{name} names a record: give it rows for objects A and B"
        return reverse(name, kwargs=fixed)
    return reverse(
        name, kwargs={**fixed, **{argument: URL_ARGUMENTS[argument](records[target]) for argument in arguments}}
    )


def _outcome(response, name: str) -> str:
    sign_in = reverse("admin:login" if name.startswith("admin:") else "login")
    if response.status_code == 302 and response.url.startswith(sign_in):
        return "login"
    return str(response.status_code)


# The admin's pages are Django's: they declare nothing, and hold no case record (tests/records/test_admin.py).
UNDECLARED = "admin:"
# Answers of a view that logs looks that show no record, and so log nothing.
NOTHING_SHOWN = {
    ("records:child_search", "POST"): "a search sent empty: the form and its error, no results",
}
LOOKS = {Action.VIEW, Action.SEARCH, Action.EXPORT}


def _new_events(since: int) -> list[AccessEvent]:
    return list(AccessEvent.objects.filter(pk__gt=since).order_by("pk"))


def _newest_event() -> int:
    return AccessEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def _logging_problem(name, url, method, actual, role, events, records) -> str | None:
    """What is wrong with the events one request wrote, or None."""
    declaration = declaration_of(resolve(url).func)
    looks = [event for event in events if event.action in LOOKS]
    written = [(event.action, event.subject, event.detail) for event in events]
    if actual in {"403", "404"} and role != "anon":
        if [event.action for event in events] != [Action.REFUSED]:
            return f"a refusal is one event, refused: {written}"
        return None
    if actual != "200" or not isinstance(declaration, Logs):
        return f"no look was shown: {written}" if looks else None
    if (name, method) in NOTHING_SHOWN:
        return f"nothing shown ({NOTHING_SHOWN[name, method]}): {written}" if events else None
    if len(events) != 1:
        return f"a page showing case records is one event, not {written}"
    (event,) = events
    if (event.action, event.subject) != (declaration.action, declaration.subject):
        return f"logged {event.action} {event.subject}, declared {declaration.action} {declaration.subject}"
    if event.detail == NOT_NAMED:
        return "the view did not name what it showed (audit.services.shown): the middleware logged it"
    # An adult is no one child's: a look at one names no child. Nor does a disclosure received through the
    # service: it is about another agency's child, whose records the reader has none of (ADR 27).
    # A request received through this service names no child of the agency asked until it is matched: a look is
    # logged against the child of the agency that sent it (ADR 26).
    named = set(resolve(url).kwargs) - {"member_id", "passkey_id", "adult_id", "received_id", "received_request_id"}
    names_a_case_record = bool(named)
    if records is not None and names_a_case_record and event.child_id != records.child.pk:
        return f"logged about child {event.child_id}, not the child of the record named, {records.child.pk}"
    return None


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(ROLES))
def test_access(request, client, subtests, role):
    # Every record is made before the first request, outside the savepoints.
    records = _case_records(request)
    urls = [_url(records, name, target) for name, target, _, _ in ROWS]
    seal()  # the records are in a signed checkpoint, so their receipts download
    if ROLES[role] is not None:
        client.force_login(request.getfixturevalue(ROLES[role]))
    signed_in = copy.deepcopy(client.cookies)
    client.raise_request_exception = False  # a server error is an outcome like any other: 500
    for url, (name, target, method, outcomes) in zip(urls, ROWS, strict=True):
        with subtests.test(msg=f"{method} {name} [{target}] as {role}"):
            client.cookies = copy.deepcopy(signed_in)  # signing out, say, ends only its own cell
            with transaction.atomic():
                since = _newest_event()
                response = client.get(url) if method == "GET" else client.post(url, {})
                events = _new_events(since)
                transaction.set_rollback(True)
            actual = _outcome(response, name)
            where = f" to {response.url}" if response.status_code == 302 else ""
            expected = outcomes[role]
            assert actual == expected, (
                f"{method} {url} ({name}, object {target}) as {role}: {actual}{where}, not {expected}"
            )
            problem = _logging_problem(name, url, method, actual, role, events, records.get(target))
            assert problem is None, f"{method} {url} ({name}, object {target}) as {role}: {problem}"


def test_every_url_is_in_the_matrix():
    in_matrix = {name for name, *_ in ROWS}
    missing = sorted(_url_names_to_cover() - in_matrix)
    stale = sorted(in_matrix - _url_names_to_cover())
    assert not missing, f"URLs with no row in the role matrix (add them to MATRIX): {missing}"
    assert not stale, f"rows in the role matrix for URLs that no longer exist: {stale}"


def _undeclared(patterns) -> list[str]:
    return sorted(
        name
        for name, pattern in patterns
        if not name.startswith(UNDECLARED) and declaration_of(pattern.callback) is None
    )


def test_every_view_declares_what_it_logs():
    undeclared = _undeclared(_named_patterns())
    assert not undeclared, (
        "views that do not say what they write to the access log: declare @logs(...) or "
        f"@shows_no_case_records(...) (core/access_log.py): {undeclared}"
    )


def test_a_view_that_declares_nothing_is_found():
    from django.urls import path

    def undeclared(request):
        raise AssertionError("not called")

    declared = shows_no_case_records("a test page")(lambda request: None)
    patterns = [("undeclared", path("a/", undeclared)), ("declared", path("b/", declared))]
    assert _undeclared(patterns) == ["undeclared"]


def test_every_declared_look_is_of_the_access_logs_actions_and_subjects():
    for name, pattern in _named_patterns():
        declaration = declaration_of(pattern.callback)
        if isinstance(declaration, Logs):
            assert set(declaration.actions) <= set(Action), name
            assert declaration.subject in set(Subject), name


def test_every_url_argument_is_known():
    for name in _url_names_to_cover():
        unknown = set(_pattern(name).pattern.regex.groupindex) - set(URL_ARGUMENTS) - set(NAMING_NO_RECORD)
        assert not unknown, f"{name}: say in URL_ARGUMENTS which record {sorted(unknown)} names"


def test_every_record_url_is_tried_on_both_agencies_records():
    for name in {name for name, target, *_ in ROWS if target != "-"}:
        targets = {target for found, target, *_ in ROWS if found == name}
        assert {"A", "B"} <= targets, f"{name}: rows for objects A and B"


def test_the_matrix_has_one_row_per_url_object_and_method():
    keys = [(name, target, method) for name, target, method, _ in ROWS]
    assert len(keys) == len(set(keys))


def test_a_practitioner_lists_only_their_own_drafts_and_a_lead_lists_all(request, client, practitioner, lead):
    records = _case_records(request)
    own, colleagues = records["A"].draft, records["A-colleague"].draft
    assert records["B"].draft.agency != practitioner.agency
    client.force_login(practitioner)
    assert list(client.get(reverse("sharing:drafts")).context["drafts"]) == [own]
    client.force_login(lead)
    assert set(client.get(reverse("sharing:drafts")).context["drafts"]) == {own, colleagues}


def test_my_decisions_and_my_requests_list_the_users_own_only(request, client, practitioner, lead):
    records = _case_records(request)
    for author in ("A", "A-colleague", "B"):
        for made in ("draft", "decision", "information_request"):
            getattr(records[author], made)
    client.force_login(practitioner)
    mine = client.get(reverse("sharing:mine")).context
    assert [draft.pk for draft in mine["drafts"].rows] == [records["A"].draft.pk]
    assert [decision.pk for decision in mine["decisions"].rows] == [records["A"].decision.pk]
    handled = client.get(reverse("exchange:mine")).context["page"].rows
    assert [info_request.pk for info_request in handled] == [records["A"].information_request.pk]
    # A lead's own lists are their own too: the agency's are on "Draft decisions", "Requests" and "For review".
    client.force_login(lead)
    mine = client.get(reverse("sharing:mine")).context
    assert (mine["drafts"].rows, mine["decisions"].rows) == ([], [])
    assert client.get(reverse("exchange:mine")).context["page"].rows == []
