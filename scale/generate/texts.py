"""What practitioners write, as templates for the scale data set.

Plain data, no Django. Placeholders are filled from the people in each case
({child}, {mother}, {partner}, {recipient}, {date}, ...), so two records
rarely read the same while no text is generated row by row.
"""

HIGH = "high"
LOWER = "lower"

PURPOSES = {
    HIGH: [
        "To tell children's social care about {child}'s injuries so that they can decide whether to start a "
        "section 47 enquiry.",
        "To share with the police what {child} said about {partner}, so that a strategy discussion can take place.",
        "To let the health visitor know of the domestic abuse incident before she visits {child} at home.",
        "To share {child}'s missed health appointments and the concerns about neglect with children's social care.",
        "To give the multi-agency safeguarding hub what we know about {child} going missing overnight.",
        "To share concerns about {mother}'s drinking with the midwife before the birth.",
    ],
    LOWER: [
        "To refer {child} to the school nurse for support with anxiety, which {child} asked for.",
        "To ask the early help team to offer the family support with {child}'s sleep and behaviour.",
        "To tell {child}'s new school about the support plan so that it carries on.",
        "To share {child}'s speech and language needs with the nursery.",
        "To let the GP know that {child} has been struggling since the family moved.",
    ],
}

# What a requester asks, by the kind of agency asking: (needed, why, use).
REQUESTS = {
    "health": [
        ("Whether the family is known to us, and any risk to a visitor.", "She is due to visit {child} at home "
         "next week.", "To plan a safe home visit."),
        ("Whether {child} has a social worker, and the current plan.", "{child} came to the emergency department "
         "on {date} with a head injury.", "To decide whether a child protection medical is needed."),
    ],
    "police": [
        ("Any concerns recorded about {child} and the adults in the household.", "Officers attended a domestic "
         "incident at the address on {date}.", "To assess the risk to {child} and decide on a referral."),
        ("Whether {child} is known to be missing from home or care.", "{child} was found in the town centre late "
         "at night on {date}.", "To plan a return home interview and a safety plan."),
    ],
    "school": [
        ("Whether there is a plan in place for {child}, and who the lead professional is.", "{child} has been "
         "absent {n} days this half term and seems withdrawn.", "To support {child} in school and know whom to "
         "contact."),
        ("Whether it is safe for {father} to collect {child} from school.", "{father} has asked to collect "
         "{child}; {mother} says there is a court order.", "To keep {child} safe at the end of the school day."),
    ],
    "childrens_social_care": [
        ("{child}'s health history and any missed appointments.", "A child and family assessment has started "
         "after a referral.", "To complete the assessment and decide what support is needed."),
        ("Attendance and any concerns the school has about {child}.", "A strategy discussion is planned for "
         "{date}.", "To decide whether to start a section 47 enquiry."),
    ],
    "voluntary": [
        ("Whether it is safe to offer {mother} a place on the parenting programme with {child}.", "{mother} "
         "referred herself to the programme.", "To decide whether the group setting is safe for the family."),
    ],
    "other": [
        ("Whether there are child protection concerns at the address.", "{partner} has asked to live at the "
         "address on release.", "To assess whether the address is suitable."),
        ("Whether the family is known to services.", "{mother} has applied for emergency housing with {child}.",
         "To decide on the priority of the housing application."),
    ],
}  # fmt: skip
OTHERS_TO_TELL = [
    "Her safeguarding supervisor.",
    "The designated safeguarding lead at school.",
    "The duty manager of the multi-agency safeguarding hub.",
    "The named nurse for safeguarding.",
]

CONFIDENTIALITY = {
    "formal": [
        "Given to us during an assessment, in confidence.",
        "Health records, held in confidence.",
        "Recorded by the social worker in the course of a child and family assessment.",
    ],
    "informal": [
        "{child} told their teacher and asked that it go no further without their say-so.",
        "{mother} told the family support worker and asked that it stay between them.",
    ],
    "assumed": [
        "{mother} told the health visitor at a routine visit and would expect it to stay private.",
        "Said by {child} at a drop-in session, where young people expect to be listened to in confidence.",
    ],
    "not_confidential": [
        "Already known to the police, who reported the incident to us.",
        "Given on the understanding that it would be passed to the school.",
    ],
}
WHO_IDENTIFIED = ["{child}", "{child} and {mother}", "{child}, {mother} and {partner}", "{child} and {father}"]
ANONYMISATION = [
    "Names, dates of birth and the address removed; the school is not named.",
    "A summary with no names, for a multi-agency audit of neglect cases.",
]

PUBLIC_INTEREST = {
    HIGH: {
        "if_shared": [
            "{mother} may feel her trust has been broken and engage less with services for a while.",
            "The family may move away from the area if they learn of it.",
            "{child} may feel let down that what they said was passed on.",
        ],
        "if_not_shared": [
            "{child} may remain at risk of significant harm without anyone acting.",
            "The visitor would go to the home unaware of recent violence by {partner}.",
            "The police would not know of the risk to {child} from {partner}.",
        ],
        "proportionality": [
            "Only the incident and the name of {partner} are shared; the assessment is not.",
            "Only what the recipient needs for the next step is shared; more can follow if needed.",
        ],
    },
    LOWER: {
        "if_shared": ["Trust between the family and the service would suffer."],
        "if_not_shared": [
            "Little risk: there is no concern about harm, and {mother} will talk to them herself.",
            "The support would start a little later, once the family agrees.",
        ],
        "proportionality": ["No need to override a refusal where there is no safeguarding concern."],
    },
}
ADVICE_GIVEN = [
    "Share the risk information needed for a safe visit; do not share the assessment.",
    "Share with the police now; tell the family once the strategy discussion has taken place.",
    "Do not share without consent at this level of concern; go back to the family first.",
]
NO_ADVICE_REASONS = [
    "An urgent decision out of hours: the lead was told first thing the next morning.",
    "A routine request with no concern about harm.",
]

ITEMS = {
    "fact": [
        "Police attended a domestic incident at the home on {date}.",
        "{child} has missed {n} health appointments since {month}.",
        "{child}'s attendance this term is {pct}%.",
        "{child} arrived at school with a bruise to the left cheek on {date}.",
        "{mother} has told us she has moved in with {partner}.",
        "{child} has been reported missing {n} times since {month}.",
        "{child} has asked for support with anxiety.",
        "{child} is on the waiting list for a speech and language assessment.",
    ],
    "opinion": [
        "In my view {mother} is frightened of {partner}.",
        "I think {child} has become more withdrawn since {month}.",
        "{partner} can be hostile to professionals.",
    ],
    "hypothesis": [
        "{child}'s weight loss may be linked to food being short at home.",
        "The bruising may not have been accidental.",
    ],
    "mixed": ["{child} said they were hungry; they looked thin and tired."],
}
WITHHELD = [
    "The child and family assessment: not needed for this purpose.",
    "Details of {mother}'s own health: not relevant to the request.",
    "The names of the other children in the household.",
    "All of the notes: the guidance does not support sharing them.",
]
RECIPIENT_NEED = [
    "She visits the home alone.",
    "To decide whether a section 47 enquiry is needed.",
    "To support {child} in school.",
    "To plan the next steps with the family.",
]

REASONS = {
    "public_interest": "Reasonable cause to believe {child} may be at risk of significant harm; {recipient} needs to "
    "know to keep {child} safe. Only what is needed is shared.",
    "consent": "{consenter} consented and the sharing is what was agreed.",
    "refused_lower": "Consent refused and no safeguarding concern: the public interest does not justify sharing.",
    "refused_high": "Consent was refused, but the risk of significant harm to {child} outweighs the duty of "
    "confidence; only part of the information is shared.",
    "statutory": "A statutory duty or court order requires the information to be shared: {reference}.",
    "not_confidential": "The information is not confidential and the purpose is legitimate.",
    "anonymised": "Anonymised information for a legitimate purpose (3.5.5).",
    "no_purpose": "There is no legitimate purpose: the request is not within our functions, so nothing is shared.",
    "not_sought_lower": "A lower level of concern and consent has not been sought: nothing is shared until it is.",
    "departure": "{child} asked for the school to be told; only what {child} asked for is shared.",
}
DEPARTURE_REASONS = [
    "Although the concern is at a lower level and consent was not sought from a parent, {child} asked for this, "
    "and the sharing is limited to what {child} asked for.",
]
STATUTORY_REFERENCES = {
    "statutory_duty": [
        "Children Act 1989 section 47: information requested for a child protection enquiry",
        "Children Act 2004 section 11: a request of the local safeguarding partnership for a practice review",
    ],
    "court_order": ["Order of the Family Court at {area}, case {case}, dated {date}"],
}
NOT_SOUGHT_OTHER = ["The family could not be contacted before the strategy meeting."]
NOT_NEEDED = ["The information is shared under a statutory duty to co-operate with a section 47 enquiry."]

NOT_INFORMED = [
    "Telling {mother} now could put her at risk from {partner} (3.5.19).",
    "Telling the family before the strategy meeting could prejudice the police investigation.",
    "{child} asked that their parents are not told yet; to be reviewed with them.",
]
WILL_BE_TOLD = ["The family will be told at the next home visit.", "{mother} will be told when she is next seen."]
FOLLOW_UP_NOT_YET = [
    "The police investigation is still open.",
    "{mother} has not been seen since; another visit is booked.",
]
UNVERIFIED_OVERRIDE = [
    "Out of hours and the risk was immediate; the caller's force control room confirmed the officer's details.",
]

REVIEW_COMMENTS = [
    "Agree. Check the family has now been told.",
    "Agree. In future record the advice sought in more detail.",
    "Agree; the items shared could have been fewer.",
]
REVIEW_DISAGREE = [
    (
        "The concern recorded is at a lower level and consent should have been sought first.",
        "Seek {mother}'s consent before anything more is shared, and record the outcome by {date}.",
    ),
    (
        "The information shared went beyond what the recipient needed.",
        "Contact {recipient} to confirm the extra items are not used, and discuss at supervision.",
    ),
]
ADDENDA = [
    "Correction: the incident took place on {date}, not on the date recorded.",
    "{recipient} confirmed receipt on {date}.",
    "Later information: the police have closed their enquiry with no further action.",
    "Correction: {recipient}'s role is {recipient_role}.",
]

DECLINED = [
    "The request does not explain why the information is needed; the requester was asked to write with the reasons.",
    "The requester could not be verified and did not call back.",
    "The information asked for is held by the GP practice, not by us; the requester was redirected there.",
]
POLICE_DECLINED = "The request is outside the categories the police can lawfully answer (3.6.9, 3.6.10)."
WITHDRAWN = [
    "The requester said the information is no longer needed: the family has moved out of the area.",
    "Withdrawn: the strategy meeting took place and the information was shared there.",
]
VERIFICATION = {
    "called_back": "Called {agency} on its published number and was put through to {name}.",
    "secure_email": "Reply from a secure email address of {agency}.",
    "in_person": "Met {name} at the strategy meeting and saw their identification.",
    "other": "Confirmed through the multi-agency safeguarding hub's contact list.",
}

CONSENT = {
    "written": "{responder} signed the consent form after we talked it through.",
    "verbal": "On the phone: {responder} agreed after we talked it through. Case note of the call.",
    "implied": "{responder} brought {child} to the appointment with the referral letter, knowing what it was for.",
    "refused": "{responder} said they would rather tell the nursery themselves, and did not want us to.",
    "withdrawn": "{responder} phoned to say they no longer agree to information being shared.",
}
CONSENT_SCOPE = [
    (
        "Concerns about {child}'s wellbeing at home.",
        "To plan support for {child} and the family.",
        "To offer the family support.",
    ),
    (
        "That {child} has asked for support with anxiety.",
        "A referral to the school nurse for emotional support.",
        "To offer support sessions.",
    ),
    ("{child}'s health visiting notes.", "To help the nursery settle {child} in.", "Planning {child}'s care."),
]
CONSENT_RECIPIENTS = ["", "The school nurse", "The health visiting team", "The early help team"]
EXPLAINED_HOW = [
    "In plain words, at their pace, with time for questions.",
    "At school with a teaching assistant they trust, using the leaflet for young people.",
]
CONFLICT_ADVICE = "{lead}, information lead, advised seeking the resident parent's consent."
NON_RESIDENT_REASON = "{mother} asked that {father} be asked, as he takes {child} to appointments."
