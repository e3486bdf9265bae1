"""Load the demo agencies, staff, children and adults.

Idempotent: each record is looked up by a natural key first, so a second run
changes nothing (not even the history tables).
"""

from datetime import date, timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from exchange.demo import seed_open_requests
from records import services
from records.models import Adult, Agency, Child, ChildAdultRelationship, StaffMembership, User
from records.roles import Role
from sharing.demo import seed_decisions

AGENCIES = [
    {
        "name": "Northgate Children's Services",
        "kind": Agency.Kind.CHILDRENS_SOCIAL_CARE,
        "address": "Civic Centre, 1 Market Street, Northgate NG1 1AA",
        "phone": "01632 960 001",
        "email": "mash@northgate.example",
    },
    {
        "name": "Northgate NHS Foundation Trust",
        "kind": Agency.Kind.HEALTH,
        "address": "Northgate General Hospital, Infirmary Road, Northgate NG2 7ZZ",
        "phone": "01632 960 200",
        "email": "safeguarding@northgate-nhs.example",
    },
    {
        # The police answer requests only in the categories of 3.6.9 (the request page asks which).
        "name": "Northgate Police",
        "kind": Agency.Kind.POLICE,
        "address": "Police Station, Castle Street, Northgate NG1 3PL",
        "phone": "01632 960 101",
        "email": "public-protection@northgate-police.example",
    },
    {
        "name": "Northgate Academy",
        "kind": Agency.Kind.SCHOOL,
        "address": "Academy Road, Northgate NG5 3AB",
        "phone": "01632 960 300",
        "email": "safeguarding@northgate-academy.example",
    },
]

STAFF = [
    {
        "agency": "Northgate Children's Services",
        "email": "practitioner@northgate.example",
        "full_name": "Priya Shah",
        "role": Role.PRACTITIONER,
        "job_title": "Social worker",
    },
    {
        "agency": "Northgate Children's Services",
        "email": "lead@northgate.example",
        "full_name": "Laura Bennett",
        "role": Role.SAFEGUARDING_LEAD,
        "job_title": "Designated safeguarding lead",
        "is_lead_information_officer": True,
    },
    {
        "agency": "Northgate Children's Services",
        "email": "admin@northgate.example",
        "full_name": "Adam Okafor",
        "role": Role.AGENCY_ADMIN,
        "job_title": "Business support manager",
    },
    {
        "agency": "Northgate NHS Foundation Trust",
        "email": "practitioner@northgate-nhs.example",
        "full_name": "Nadia Hughes",
        "role": Role.PRACTITIONER,
        "job_title": "Health visitor",
    },
    {
        "agency": "Northgate Police",
        "email": "officer@northgate-police.example",
        "full_name": "Tom Fielding",
        "role": Role.PRACTITIONER,
        "job_title": "Detective constable, child abuse investigation team",
    },
    {
        "agency": "Northgate Academy",
        "email": "dsl@northgate-academy.example",
        "full_name": "Helen Marsh",
        "role": Role.SAFEGUARDING_LEAD,
        "job_title": "Designated safeguarding lead",
    },
    {
        "agency": "Northgate Academy",
        "email": "teacher@northgate-academy.example",
        "full_name": "Daniel Okoye",
        "role": Role.PRACTITIONER,
        "job_title": "Class teacher",
    },
]

# Each family: children (by case reference) and the adults connected to them.
FAMILIES = [
    {
        "agency": "Northgate Children's Services",
        "children": [
            {
                "local_reference": "NCS-1042",
                "given_name": "Mia",
                "family_name": "Turner",
                "age_days": 9 * 365 + 40,
                "sex": "female",
                "nhs_number": "9434765919",
                "address": "14 Elm Grove\nNorthgate",
                "postcode": "NG3 4QT",
            },
            {
                "local_reference": "NCS-1043",
                "given_name": "Jayden",
                "family_name": "Turner",
                "age_days": 4 * 365 + 200,
                "sex": "male",
                "address": "14 Elm Grove\nNorthgate",
                "postcode": "NG3 4QT",
            },
        ],
        "adults": [
            {
                "given_name": "Kelly",
                "family_name": "Turner",
                "birth_year": 1991,
                "phone": "07700 900 123",
                "links": {
                    "NCS-1042": ("mother", "yes", True),
                    "NCS-1043": ("mother", "yes", True),
                },
            },
            {
                "given_name": "Dean",
                "family_name": "Turner",
                "birth_year": 1988,
                "links": {
                    # Separated: holds parental responsibility, lives elsewhere (3.3.19).
                    "NCS-1042": ("father", "yes", False),
                    "NCS-1043": ("father", "yes", False),
                },
            },
            {
                "given_name": "Ryan",
                "family_name": "Cole",
                "birth_year": 1993,
                "links": {
                    "NCS-1042": ("parents_partner", "no", True),
                    "NCS-1043": ("parents_partner", "no", True),
                },
            },
        ],
    },
    {
        "agency": "Northgate Children's Services",
        "children": [
            {
                "local_reference": "NCS-2210",
                "given_name": "Ellie",
                "family_name": "Adeyemi",
                "age_days": 15 * 365 + 100,
                "sex": "female",
                "other_names": "Ellie Brooks",
                "address": "Flat 3, 27 Canal Side\nNorthgate",
                "postcode": "NG5 2LP",
            },
        ],
        "adults": [
            {
                "given_name": "Grace",
                "family_name": "Adeyemi",
                "birth_year": 1958,
                "links": {"NCS-2210": ("special_guardian", "yes", True)},
            },
        ],
    },
    {
        "agency": "Northgate Children's Services",
        "children": [
            {
                "local_reference": "NCS-3001",
                "given_name": "",
                "family_name": "Walsh",
                "expected_in_days": 70,
                "sex": "not_known",
            },
        ],
        "adults": [
            {
                "given_name": "Chloe",
                "family_name": "Walsh",
                "birth_year": 2006,
                "links": {"NCS-3001": ("mother", "yes", True)},
            },
        ],
    },
    {
        "agency": "Northgate NHS Foundation Trust",
        "children": [
            {
                "local_reference": "NHS-HV-7781",
                "given_name": "Oliver",
                "family_name": "Price",
                "age_days": 300,
                "sex": "male",
                "nhs_number": "4010232137",
            },
        ],
        "adults": [
            {
                "given_name": "Sophie",
                "family_name": "Price",
                "birth_year": 1997,
                "links": {"NHS-HV-7781": ("mother", "yes", True)},
            },
        ],
    },
    {
        # The police's own record of Mia, after the call-out to her home (sharing.demo: the social worker's
        # decision mentions it); children's services have asked them about it (exchange.demo).
        "agency": "Northgate Police",
        "children": [
            {
                "local_reference": "NP-CAIT-0412",
                "given_name": "Mia",
                "family_name": "Turner",
                "age_days": 9 * 365 + 40,
                "sex": "female",
                "address": "14 Elm Grove\nNorthgate",
                "postcode": "NG3 4QT",
            },
        ],
        "adults": [
            {
                "given_name": "Kelly",
                "family_name": "Turner",
                "birth_year": 1991,
                "links": {"NP-CAIT-0412": ("mother", "yes", True)},
            },
            {
                "given_name": "Ryan",
                "family_name": "Cole",
                "birth_year": 1993,
                "links": {"NP-CAIT-0412": ("parents_partner", "no", True)},
            },
        ],
    },
    {
        # The school's own record of Ellie, a pupil in year 10.
        "agency": "Northgate Academy",
        "children": [
            {
                "local_reference": "NA-10-2217",
                "given_name": "Ellie",
                "family_name": "Adeyemi",
                "age_days": 15 * 365 + 100,
                "sex": "female",
                "other_names": "Ellie Brooks",
                "address": "Flat 3, 27 Canal Side\nNorthgate",
                "postcode": "NG5 2LP",
            },
        ],
        "adults": [
            {
                "given_name": "Grace",
                "family_name": "Adeyemi",
                "birth_year": 1958,
                "links": {"NA-10-2217": ("special_guardian", "yes", True)},
            },
        ],
    },
]


class Command(BaseCommand):
    help = "Create the demo agencies, staff, children and adults (idempotent; refuses when DEBUG is off)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("seed_demo creates accounts with a known password: it runs only when DEBUG is on.")
        with transaction.atomic():
            created = self.seed()
        if created:
            self.stdout.write(self.style.SUCCESS(f"Demo data loaded: {created} records created."))
        else:
            self.stdout.write("Demo data already present: nothing changed.")

    def seed(self) -> int:
        created = 0
        agencies = {}
        for spec in AGENCIES:
            agency = Agency.objects.filter(name=spec["name"]).first()
            if agency is None:
                agency = services.agency_create(user=None, details=services.AgencyDetails(**spec))
                created += 1
            agencies[spec["name"]] = agency

        for spec in STAFF:
            if not User.objects.filter(email=spec["email"]).exists():
                spec = dict(spec)
                services.staff_create(
                    user=None,
                    agency=agencies[spec.pop("agency")],
                    email=spec.pop("email"),
                    password=settings.DEMO_PASSWORD,
                    details=services.StaffDetails(**spec),
                )
                created += 1

        today = timezone.localdate()
        for family in FAMILIES:
            agency = agencies[family["agency"]]
            practitioner = (
                StaffMembership.objects.filter(agency=agency, role=Role.PRACTITIONER).select_related("user").first()
            ).user
            children = {}
            for spec in family["children"]:
                spec = dict(spec)
                reference = spec["local_reference"]
                child = Child.objects.filter(agency=agency, local_reference=reference).first()
                if child is None:
                    age_days = spec.pop("age_days", None)
                    expected_in = spec.pop("expected_in_days", None)
                    if age_days is not None:
                        spec["date_of_birth"] = today - timedelta(days=age_days)
                    else:
                        spec["expected_date_of_birth"] = today + timedelta(days=expected_in)
                    child = services.child_create(
                        user=practitioner, agency=agency, details=services.ChildDetails(**spec)
                    )
                    created += 1
                children[reference] = child
            for spec in family["adults"]:
                spec = dict(spec)
                links = spec.pop("links")
                birth_year = spec.pop("birth_year")
                adult = Adult.objects.filter(
                    agency=agency, given_name=spec["given_name"], family_name=spec["family_name"]
                ).first()
                for reference, (relationship, parental_responsibility, lives_with) in links.items():
                    child = children[reference]
                    if adult is not None and ChildAdultRelationship.objects.filter(child=child, adult=adult).exists():
                        continue
                    relationship_details = services.RelationshipDetails(
                        relationship=relationship,
                        parental_responsibility=parental_responsibility,
                        lives_with_child=lives_with,
                    )
                    if adult is None:
                        link = services.adult_add_to_child(
                            user=practitioner,
                            child=child,
                            details=services.AdultDetails(**spec, date_of_birth=date(birth_year, 6, 1)),
                            relationship=relationship_details,
                        )
                        adult = link.adult
                    else:
                        services.relationship_create(
                            user=practitioner, child=child, adult=adult, relationship=relationship_details
                        )
                    created += 1

        def practitioner_of(agency):
            return StaffMembership.objects.filter(agency=agency, role=Role.PRACTITIONER).first().user

        created += seed_decisions(author_for=practitioner_of)
        created += seed_open_requests(author_for=practitioner_of)
        return created
