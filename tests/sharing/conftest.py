import pytest
from django.utils import timezone

from tests.factories import ChildFactory


@pytest.fixture
def child(agency):
    """Ellie, 15: old enough to be asked for consent herself (3.3.19), in the practitioner's agency."""
    today = timezone.localdate()
    return ChildFactory(agency=agency, given_name="Ellie", date_of_birth=today.replace(year=today.year - 15))
