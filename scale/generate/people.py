"""An area's agencies, their staff, and families of children and adults."""

from __future__ import annotations

import itertools
import math
import random

from scale.generate import names
from scale.generate.base import (
    FAMILY_NAMES,
    MEN,
    WOMEN,
    Clock,
    choice,
    email_local,
    phone,
    postcode,
    randint,
    slug,
    split,
)
from scale.generate.families import Families
from scale.generate.plans import CHILDRENS_SOCIAL_CARE, AgencyPlan, Contact, People, StaffPlan

# (name, kind, share of the area's children, email domain, prefix of case references)
AGENCY_KINDS = [
    ("{area} Council Children's Services", "childrens_social_care", 0.40, "{slug}-council", "CS"),
    ("{area} and District NHS Foundation Trust", "health", 0.16, "{slug}-nhs", "NHS"),
    ("{area} Primary Care Network", "health", 0.06, "{slug}-pcn", "GP"),
    ("{area} Police", "police", 0.10, "{slug}-police", "POL"),
    (names.SCHOOL_NAMES[0], "school", 0.05, "{slug}-academy", "ACA"),
    (names.SCHOOL_NAMES[1], "school", 0.05, "st-annes-{slug}", "STA"),
    (names.SCHOOL_NAMES[2], "school", 0.05, "{slug}-park", "PPS"),
    (names.SCHOOL_NAMES[3], "school", 0.05, "oakfield-{slug}", "OCS"),
    ("{area} Family Support Project", "voluntary", 0.05, "{slug}-family-support", "FSP"),
    ("{area} Youth Justice Service", "other", 0.03, "{slug}-yjs", "YJS"),
]
JOB_TITLES = {
    "childrens_social_care": (
        ["Social worker", "Senior social worker", "Family support worker", "Advanced practitioner"],
        "Team manager, multi-agency safeguarding hub",
    ),
    "health": (["Health visitor", "School nurse", "Midwife", "Paediatric nurse"], "Named nurse for safeguarding"),
    "police": (["Detective constable", "Police constable", "MASH researcher"], "Detective sergeant, MASH"),
    "school": (["Class teacher", "Pastoral lead", "Head of year", "SENCo"], "Designated safeguarding lead"),
    "voluntary": (["Family support worker", "Project worker"], "Safeguarding lead"),
    "other": (["Youth justice officer", "Case manager"], "Team manager"),
}
PRACTITIONER, LEAD, ADMIN = "practitioner", "safeguarding_lead", "agency_admin"
CHILDREN_PER_PRACTITIONER = 120


def plan_agencies(area: str, code: str, rng: random.Random) -> list[AgencyPlan]:
    agencies = []
    for template, kind, share, domain, prefix in AGENCY_KINDS:
        domain = f"{domain.format(slug=slug(area))}.example"
        mailbox = {CHILDRENS_SOCIAL_CARE: "mash", "police": "mash.referrals"}.get(kind, "safeguarding")
        agencies.append(
            AgencyPlan(
                name=template.format(area=area),
                kind=kind,
                share=share,
                domain=domain,
                prefix=f"{code}{prefix}",
                address=f"{randint(rng, 1, 90)} {choice(rng, names.STREETS)}, {area} {postcode(code, rng)}",
                phone=phone(rng, mobile=False),
                email=f"{mailbox}@{domain}",
            )
        )
    return agencies


def plan_staff(agencies: list[AgencyPlan], child_counts: list[int], rng: random.Random) -> list[StaffPlan]:
    """Practitioners in proportion to the children an agency holds, its leads and one administrator."""
    staff: list[StaffPlan] = []
    emails: set[str] = set()

    def person(agency_index: int, role: str, job_title: str, **flags) -> None:
        given = (WOMEN if rng.random() < 0.75 else MEN).pick(rng)
        family = FAMILY_NAMES.pick(rng)
        domain = agencies[agency_index].domain
        email = f"{email_local(given, family)}@{domain}"
        for number in itertools.count(2):
            if email not in emails:
                break
            email = f"{email_local(given, family)}{number}@{domain}"
        emails.add(email)
        activity = rng.lognormvariate(0, 0.5)
        staff.append(StaffPlan(agency_index, email, f"{given} {family}", role, job_title, activity=activity, **flags))
        agency = agencies[agency_index]
        {PRACTITIONER: agency.practitioners, LEAD: agency.leads, ADMIN: agency.admins}[role].append(len(staff) - 1)

    for index, (agency, count) in enumerate(zip(agencies, child_counts, strict=True)):
        titles, lead_title = JOB_TITLES[agency.kind]
        practitioners = max(3, math.ceil(count / CHILDREN_PER_PRACTITIONER))
        for _ in range(practitioners):
            person(index, PRACTITIONER, choice(rng, titles))
        for number in range(max(2, math.ceil(practitioners / 8))):
            first = number == 0
            person(
                index,
                LEAD,
                lead_title,
                is_lead_information_officer=first,
                is_caldicott_guardian=first and agency.kind == "health",
            )
        person(index, ADMIN, "Business support manager")
    return staff


def plan_contacts(area: str, agencies: list[AgencyPlan], staff: list[StaffPlan], rng) -> list[Contact]:
    """Everyone who may ask for or receive information: the area's staff, and services outside it."""
    contacts = []
    for member in staff:
        if member.role != ADMIN:
            agency = agencies[member.agency]
            contacts.append(
                Contact(member.full_name, member.job_title, agency.name, agency.kind, member.email, member.agency)
            )
    for template, kind, role in names.EXTERNAL_AGENCIES:
        agency = template.format(area=area)
        for _ in range(3):
            given, family = (WOMEN if rng.random() < 0.7 else MEN).pick(rng), FAMILY_NAMES.pick(rng)
            contacts.append(
                Contact(
                    f"{given} {family}",
                    role,
                    agency,
                    kind,
                    f"{email_local(given, family)}@{slug(agency)}.example",
                    None,
                )
            )
    return contacts


def plan_people(*, area: str, code: str, children: int, clock: Clock, rng: random.Random) -> People:
    """An area's agencies and staff, and ``children`` children in families with their adults."""
    agencies = plan_agencies(area, code, rng)
    counts = split(children, [agency.share for agency in agencies])
    staff = plan_staff(agencies, counts, rng)
    families = Families(area=area, code=code, agencies=agencies, clock=clock, rng=rng)
    for index, count in enumerate(counts):
        families.fill(index, count)
    for index, child in enumerate(families.children):
        agencies[child.agency].children.append(index)
    if families.chronology_child is None:
        raise ValueError("children's services holds no child: ask for more children")
    return People(
        area=area,
        agencies=agencies,
        staff=staff,
        children=families.children,
        adults=families.adults,
        links=families.links,
        contacts=plan_contacts(area, agencies, staff, rng),
        chronology_child=families.chronology_child,
    )
