"""What the plan of an area is made of: plain values, no Django."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from records import identity

CHILDRENS_SOCIAL_CARE = "childrens_social_care"


@dataclass(slots=True)
class AgencyPlan:
    name: str
    kind: str
    share: float
    domain: str
    prefix: str
    address: str
    phone: str
    email: str
    practitioners: list[int] = field(default_factory=list)
    leads: list[int] = field(default_factory=list)
    admins: list[int] = field(default_factory=list)
    children: list[int] = field(default_factory=list)


@dataclass(slots=True)
class StaffPlan:
    agency: int
    email: str
    full_name: str
    role: str
    job_title: str
    is_lead_information_officer: bool = False
    is_caldicott_guardian: bool = False
    activity: float = 1.0


@dataclass(slots=True)
class ChildPlan:
    id: str
    agency: int
    given_name: str
    family_name: str
    other_names: str
    date_of_birth: date | None
    expected_date_of_birth: date | None
    sex: str
    gender_identity: str
    nhs_number: str
    local_reference: str
    address: str
    postcode: str
    created_at: int
    created_by: int
    # A later move: (when, new address, new postcode).
    moved: tuple | None = None
    links: list[int] = field(default_factory=list)
    activity: float = 1.0

    @property
    def full_name(self) -> str:
        if self.given_name:
            return f"{self.given_name} {self.family_name}"
        return f"Unborn child of the {self.family_name} family"

    def age_on(self, on: date) -> int | None:
        if self.date_of_birth is None or on < self.date_of_birth:
            return None
        return identity.age_in_years(self.date_of_birth, on)


@dataclass(slots=True)
class AdultPlan:
    id: str
    agency: int
    given_name: str
    family_name: str
    date_of_birth: date | None
    address: str
    postcode: str
    phone: str
    email: str
    created_at: int
    created_by: int

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}"


@dataclass(slots=True)
class LinkPlan:
    child: int
    adult: int
    relationship: str
    relationship_other: str
    parental_responsibility: str
    lives_with_child: bool
    created_at: int
    created_by: int


@dataclass(slots=True)
class Contact:
    """A professional who asks for, or receives, information: staff of the area, or of a service outside it."""

    name: str
    role: str
    agency: str
    kind: str
    email: str
    agency_index: int | None


@dataclass
class People:
    area: str
    agencies: list[AgencyPlan]
    staff: list[StaffPlan]
    children: list[ChildPlan]
    adults: list[AdultPlan]
    links: list[LinkPlan]
    contacts: list[Contact]
    # The child whose history is built to an exact number of chronology entries.
    chronology_child: int
