"""A look at case records is written as its view declared it (``audit.services.shown``): the declared
subject, one of the declared actions, once a request, and only with someone signed in to log; a page of a
view that declares a look and did not log it is logged by the middleware, and reported."""

import logging

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import ResolverMatch

from audit.middleware import NOT_NAMED, EveryLookLoggedMiddleware
from audit.models import AccessEvent, Action, Subject
from audit.services import UndeclaredLook, nothing_shown, shown
from core.access_log import logs, shows_no_case_records
from tests.factories import ChildFactory


@logs(Action.VIEW, Action.EXPORT, subject=Subject.CHILD_AUDIT)
def child_audit_page(request):
    raise AssertionError("not called")


@shows_no_case_records("a staff account")
def staff_page(request):
    raise AssertionError("not called")


def undeclared_page(request):
    raise AssertionError("not called")


def request_to(view, user, path="/children/some-child/audit/"):
    request = RequestFactory().get(path)
    request.user = user
    request.resolver_match = ResolverMatch(view, (), {})
    return request


@pytest.fixture
def child(agency):
    return ChildFactory(agency=agency)


def test_a_look_is_written_with_the_declared_subject_and_first_action(practitioner, child):
    event = shown(request_to(child_audit_page, practitioner), child, detail="3 of 3 rows")
    assert (event.action, event.subject, event.child, event.user) == (
        Action.VIEW,
        Subject.CHILD_AUDIT,
        child,
        practitioner,
    )
    assert (event.object_id, event.detail, event.path) == (str(child.pk), "3 of 3 rows", "/children/some-child/audit/")


def test_another_declared_action_is_written_when_asked(practitioner, child):
    event = shown(request_to(child_audit_page, practitioner), child, action=Action.EXPORT)
    assert (event.action, event.subject) == (Action.EXPORT, Subject.CHILD_AUDIT)


@pytest.mark.parametrize(
    ("view", "action", "refusal"),
    [
        (undeclared_page, None, "does not declare"),
        (staff_page, None, "does not declare"),
        (child_audit_page, Action.SEARCH, "not among the actions"),
    ],
)
def test_a_look_the_view_did_not_declare_is_refused(practitioner, child, view, action, refusal):
    with pytest.raises(UndeclaredLook, match=refusal):
        shown(request_to(view, practitioner), child, action=action)
    assert not AccessEvent.objects.exists()


def test_a_page_is_one_look(practitioner, child):
    request = request_to(child_audit_page, practitioner)
    shown(request, child)
    with pytest.raises(UndeclaredLook, match="logged once"):
        shown(request, child, action=Action.EXPORT)
    assert AccessEvent.objects.count() == 1


def test_nobody_signed_in_is_nobody_to_log(db, child):
    with pytest.raises(UndeclaredLook, match="nobody is signed in"):
        shown(request_to(child_audit_page, AnonymousUser()), child)
    assert not AccessEvent.objects.exists()


def answered(request, status=200, look=None):
    def view(request):
        if look is not None:
            look(request)
        return HttpResponse(status=status)

    return EveryLookLoggedMiddleware(view)(request)


def test_a_page_shown_without_its_look_is_logged_by_the_middleware_and_reported(practitioner, caplog):
    with caplog.at_level(logging.ERROR, logger="audit.middleware"):
        answered(request_to(child_audit_page, practitioner))
    event = AccessEvent.objects.get()
    assert (event.action, event.subject, event.user, event.detail) == (
        Action.VIEW,
        Subject.CHILD_AUDIT,
        practitioner,
        NOT_NAMED,
    )
    assert event.path == "/children/some-child/audit/"
    assert "without logging the look its view declares" in caplog.text


def test_the_middleware_adds_nothing_to_a_look_the_view_logged(practitioner, child):
    answered(request_to(child_audit_page, practitioner), look=lambda request: shown(request, child))
    assert AccessEvent.objects.get().detail == ""


@pytest.mark.parametrize(
    ("view", "status", "look"),
    [
        (child_audit_page, 200, nothing_shown),  # the view said it showed no record
        (child_audit_page, 302, None),  # a redirect shows nothing
        (child_audit_page, 404, None),  # a refusal is logged as one (RefusedAccessMiddleware)
        (staff_page, 200, None),  # no case records
        (undeclared_page, 200, None),  # the role matrix fails for it instead
    ],
)
def test_the_middleware_logs_nothing_else(practitioner, view, status, look):
    answered(request_to(view, practitioner), status=status, look=look)
    assert not AccessEvent.objects.exists()
