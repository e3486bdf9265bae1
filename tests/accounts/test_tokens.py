"""The tokens in links to choose a password (accounts/tokens.py): Django's
generator, a key of its own for invitations, each kind with its own time limit."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.tokens import invitation_tokens, password_reset_tokens


@pytest.fixture
def invited(practitioner):
    practitioner.set_unusable_password()
    practitioner.save()
    return practitioner


def test_an_invitation_token_works_until_its_time_is_up(invited, frozen, settings):
    token = invitation_tokens.make_token(invited)
    frozen.shift(timedelta(seconds=settings.INVITATION_TIMEOUT))
    assert invitation_tokens.check_token(invited, token)
    frozen.shift(timedelta(seconds=1))
    assert not invitation_tokens.check_token(invited, token)


def test_the_invitation_limit_is_its_own(invited, frozen, settings):
    """Longer than a reset's: Django's own check would have ended it after PASSWORD_RESET_TIMEOUT."""
    assert settings.INVITATION_TIMEOUT > settings.PASSWORD_RESET_TIMEOUT
    token = invitation_tokens.make_token(invited)
    frozen.shift(timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT + 60))
    assert invitation_tokens.check_token(invited, token)


def test_neither_kind_of_token_opens_the_other(invited):
    assert not password_reset_tokens.check_token(invited, invitation_tokens.make_token(invited))
    assert not invitation_tokens.check_token(invited, password_reset_tokens.make_token(invited))


@pytest.mark.parametrize("tokens", [invitation_tokens, password_reset_tokens])
def test_a_token_ends_when_a_password_is_chosen_or_the_person_signs_in(invited, tokens):
    token = tokens.make_token(invited)
    invited.set_password("lantern orchard pebble 42")
    assert not tokens.check_token(invited, token)
    token = tokens.make_token(invited)
    invited.last_login = timezone.now()
    assert not tokens.check_token(invited, token)


@pytest.mark.parametrize("token", ["", "no-dash-here-x", "zzzzzzzzzzzzz-abc", "1-2-3", None])
def test_a_malformed_token_is_refused(invited, token):
    assert not invitation_tokens.check_token(invited, token)
