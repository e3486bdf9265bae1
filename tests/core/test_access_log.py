"""Each view declares once what it writes to the access log (core/access_log.py): what it logs, or that it
shows no case records and why. The declaration is found however the view is wrapped."""

import pytest
from django.views.decorators.http import require_GET, require_http_methods
from django.views.generic import TemplateView

from audit.models import Action, Subject
from core.access_log import Logs, ShowsNoCaseRecords, declaration_of, logs, shows_no_case_records


def page(request):
    raise AssertionError("not called")


def test_a_view_that_logs_declares_its_actions_and_subject_the_first_action_by_default():
    view = logs(Action.VIEW, Action.EXPORT, subject=Subject.CHILD_AUDIT)(page)
    declaration = declaration_of(view)
    assert declaration == Logs(actions=("view", "export"), subject="child_audit")
    assert declaration.action == Action.VIEW


def test_a_view_that_shows_no_case_records_says_why():
    def own_account(request):
        raise AssertionError("not called")

    assert declaration_of(shows_no_case_records("the person's own account")(own_account)) == ShowsNoCaseRecords(
        "the person's own account"
    )


def test_a_view_without_a_declaration_has_none():
    def undeclared(request):
        raise AssertionError("not called")

    assert declaration_of(undeclared) is None
    assert declaration_of(None) is None


@pytest.mark.parametrize("outermost", [True, False])
def test_the_declaration_is_found_above_or_below_djangos_decorators(outermost):
    def view(request):
        raise AssertionError("not called")

    declare = logs(Action.VIEW, subject=Subject.DRAFT)
    wrapped = declare(require_http_methods(["GET", "POST"])(view)) if outermost else require_GET(declare(view))
    assert declaration_of(wrapped) == Logs(actions=("view",), subject="draft")


def test_a_class_based_view_declares_on_its_class_and_its_subclasses_inherit_it():
    @shows_no_case_records("a password page")
    class PasswordPage(TemplateView):
        pass

    class InvitationPage(PasswordPage):
        pass

    assert declaration_of(PasswordPage.as_view()) == ShowsNoCaseRecords("a password page")
    assert declaration_of(InvitationPage.as_view()) == ShowsNoCaseRecords("a password page")


def test_a_view_declares_once():
    def view(request):
        raise AssertionError("not called")

    declared = logs(Action.VIEW, subject=Subject.CHILD)(view)
    with pytest.raises(TypeError, match="already declares"):
        shows_no_case_records("and yet")(declared)


@pytest.mark.parametrize(
    "declare",
    [lambda: logs(subject=Subject.CHILD), lambda: logs(Action.VIEW, subject=""), lambda: shows_no_case_records(" ")],
)
def test_a_declaration_says_something(declare):
    with pytest.raises(TypeError):
        declare()
