"""The people and records both sides of a disclosure sent through the service start from (ADR 27)."""

import pytest

from records.roles import Role
from tests.factories import AgencyFactory, ChildFactory, StaffMembershipFactory
from tests.sharing.recorded import record_decision


@pytest.fixture
def child(agency):
    return ChildFactory(agency=agency, given_name="Amira", family_name="Khan")


@pytest.fixture
def decision(practitioner, child):
    return record_decision(user=practitioner, child=child)


@pytest.fixture
def other_lead(other_agency):
    return StaffMembershipFactory(agency=other_agency, role=Role.SAFEGUARDING_LEAD, job_title="Designated lead").user


@pytest.fixture
def outsider(db):
    """A lead of a third agency on the service."""
    return StaffMembershipFactory(agency=AgencyFactory(name="Eastbrook Academy"), role=Role.SAFEGUARDING_LEAD).user
