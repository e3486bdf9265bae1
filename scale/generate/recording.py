"""What each story's records say: their field values, as the services would save them.

``Recording.write(story)`` returns plain dictionaries keyed by the models'
attribute names (``recorded_by_id``, not ``recorded_by``). Snapshots copy the
services: a decision's subject is ``sharing.services._subject_snapshot``'s, a
consent's responder ``consent.services._responder_snapshot``'s, question 4's
label ``sharing.forms.consent_label``'s as of the day it was answered. The
tests compare each with the real thing.
"""

from __future__ import annotations

import random
from datetime import timedelta

from consent import capacity
from exchange import verification
from scale.generate import answers as answer_paths
from scale.generate import texts
from scale.generate.base import Clock, Weighted, choice, instant
from scale.generate.casework import ConsentPlan, Story
from scale.generate.plans import ChildPlan, People
from scale.generate.written import Labels, Written, consent_label, story_ids
from sharing import guidance

CHANNELS = Weighted({"phone": 35, "email": 30, "portal": 15, "meeting": 10, "letter": 5, "in_person": 5})
VERIFICATION = Weighted({"called_back": 60, "secure_email": 30, "in_person": 7, "other": 3})
DISCLOSURE_METHODS = {
    "secure_email": "secure_email",
    "secure_system": "secure_portal",
    "telephone": "phone",
    "in_person": "in_person",
    "post": "letter",
}
# 3.7.6-3.7.8: where a disclosure that is sent somewhere was sent (exchange.disclosure_pages asks it).
SENT_TO = {
    "secure_email": "the recipient agency's secure mailbox",
    "secure_portal": "the recipient agency's secure portal",
    "letter": "the recipient's office, by tracked post",
}
METHOD_CHECKS = {
    "secure_email": ["secure_system", "confidentiality_warning"],
    "secure_portal": ["secure_system"],
    "phone": ["caller_verified", "written_record"],
    "in_person": ["written_record"],
    "letter": ["marked_confidential", "tracked_delivery"],
}
# consent.services.consent_withdraw: what was explained is carried over to a withdrawal.
CARRIED_ON_WITHDRAWAL = (
    "scope_information",
    "scope_purposes",
    "scope_recipients",
    "scope_recipient_kinds",
    "scope_recipient_use",
    "told_can_withdraw",
)
KIND_ORDER = ["childrens_social_care", "health", "school", "police", "voluntary", "other"]
LANGUAGES = Weighted({"English": 90, "Polish": 3, "Urdu": 3, "Bengali": 2, "Romanian": 2})


MONTHS = [None, "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]  # fmt: skip


class Recording:
    def __init__(self, people: People, clock: Clock, labels: Labels, *, user_ids: list[int], agency_ids: list[int]):
        self.people, self.clock, self.labels = people, clock, labels
        self.user_ids, self.agency_ids = user_ids, agency_ids

    # People as the records name them

    def staff(self, index: int) -> tuple[int, str, str, str]:
        member = self.people.staff[index]
        return self.user_ids[index], member.full_name, self.labels.roles[member.role], member.job_title

    def relationship(self, link_index: int) -> str:
        link = self.people.links[link_index]
        if link.relationship == "other" and link.relationship_other:
            return link.relationship_other
        return self.labels.relationships[link.relationship]

    def adult_named(self, child: ChildPlan, relationships: tuple[str, ...], fallback: str) -> str:
        for link_index in child.links:
            link = self.people.links[link_index]
            if link.relationship in relationships:
                return self.people.adults[link.adult].given_name
        return fallback

    def context(self, story: Story, child: ChildPlan, rng: random.Random) -> dict:
        when = self.clock.local(story.received or story.decided or story.consents[0].at) - timedelta(
            days=rng.randint(1, 20)
        )
        agency = self.people.agencies[child.agency]
        leads = agency.leads
        adviser = self.people.staff[choice(rng, leads)] if leads else self.people.staff[story.author]
        return {
            "child": child.given_name or "the baby",
            "mother": self.adult_named(child, ("mother",), "the child's mother"),
            "father": self.adult_named(child, ("father",), "the child's father"),
            "partner": self.adult_named(child, ("parents_partner", "step_parent"), "the mother's partner"),
            "date": f"{when.day} {MONTHS[when.month]} {when.year}",
            "month": MONTHS[when.month],
            "n": rng.randint(2, 9),
            "pct": rng.randint(55, 88),
            "area": self.people.area,
            "case": f"{self.people.area[:2].upper()}{rng.randint(10, 99)}P{rng.randint(100, 999)}",
            "lead": adviser.full_name,
            "adviser": f"{adviser.full_name}, {adviser.job_title.lower()}",
            "recipient": "the recipient",
            "recipient_role": "",
            "consenter": "",
        }

    def subject(self, child: ChildPlan, adult_links: list[int]) -> dict:
        """``sharing.services._subject_snapshot``: the child, and the chosen adults in name order."""
        adults = self.people.adults

        def name_order(link_index: int) -> tuple[str, str]:
            adult = adults[self.people.links[link_index].adult]
            return adult.family_name, adult.given_name

        links = sorted(adult_links, key=name_order)
        return {
            "child": {
                "id": str(child.id),
                "name": child.full_name,
                "other_names": child.other_names,
                "date_of_birth": child.date_of_birth.isoformat() if child.date_of_birth else None,
                "expected_date_of_birth": (
                    child.expected_date_of_birth.isoformat() if child.expected_date_of_birth else None
                ),
                "nhs_number": child.nhs_number,
                "local_reference": child.local_reference,
            },
            "adults": [
                {
                    "id": str(self.people.adults[self.people.links[i].adult].id),
                    "name": self.people.adults[self.people.links[i].adult].full_name,
                    "relationship": self.relationship(i),
                    "parental_responsibility": self.labels.responsibility[self.people.links[i].parental_responsibility],
                    "lives_with_child": self.people.links[i].lives_with_child,
                }
                for i in links
            ],
        }

    # Records

    def write(self, story: Story) -> Written:
        rng = random.Random(story.seed)  # noqa: S311 (reproducible test data, not a secret)
        ids = story_ids(story, rng)
        child = self.people.children[story.child]
        written = Written(ids=ids)
        context = self.context(story, child, rng)
        chosen_links = self.chosen_adults(child, rng)
        if story.received is not None:
            self.request(story, child, chosen_links, context, written, rng)
        for position, plan in enumerate(story.consents):
            record = self.consent(story, child, plan, written.consents, context, rng)
            record["id"] = ids.consents[position]
            written.consents.append(record)
        if story.decided is not None:
            self.decision(story, child, chosen_links, context, written, rng)
        if story.outcome_at is not None:
            self.outcome(story, written, rng)
        return written

    def chosen_adults(self, child: ChildPlan, rng: random.Random) -> list[int]:
        roll = rng.random()
        if roll < 0.25 or not child.links:
            return []
        if roll < 0.45:
            return list(child.links)
        mothers = [i for i in child.links if self.people.links[i].relationship == "mother"]
        return mothers or [child.links[0]]

    def request(self, story, child, chosen_links, context, written, rng) -> None:
        contact = self.people.contacts[story.requester]
        context.update(recipient=contact.name, recipient_role=contact.role)
        needed, reason, use = choice(rng, texts.REQUESTS[contact.kind])
        logged_by, *_ = self.staff(story.author)
        verified_by = self.user_ids[story.author]
        method = VERIFICATION.pick(rng)
        verified = story.verified is not None
        written.request = {
            "id": written.ids.request,
            "agency_id": self.agency_ids[child.agency],
            "child_id": child.id,
            "received_at": instant(story.received),
            "channel": CHANNELS.pick(rng),
            "requester_name": contact.name,
            "requester_role": contact.role,
            "requester_agency": contact.agency,
            "requester_agency_kind": contact.kind,
            "requester_contact": contact.email if rng.random() < 0.6 else f"01632 960 {rng.randint(0, 999):03d}",
            "requester_known": story.requester_known,
            "information_needed": answer_paths.fill(needed, context),
            "reason": answer_paths.fill(reason, context),
            "intended_use": answer_paths.fill(use, context),
            "others_to_tell": choice(rng, texts.OTHERS_TO_TELL) if rng.random() < 0.5 else "",
            "risk_level": story.concern,
            "police_category": story.police_category,
            "verified_at": instant(story.verified) if verified else None,
            "verified_by_id": verified_by if verified else None,
            "verification_method": method if verified else "",
            "verification_details": (
                texts.VERIFICATION[method].format(agency=contact.agency, name=contact.name) if verified else ""
            ),
            "logged_by_id": logged_by,
            "logged_at": instant(story.logged),
        }
        written.request_adults = [self.people.adults[self.people.links[i].adult].id for i in chosen_links]

    def consent(self, story, child, plan: ConsentPlan, earlier: list[dict], context, rng) -> dict:
        recorder, name, role, job_title = self.staff(story.author)
        responded_on = self.clock.local_date(plan.responded)
        if plan.by_child:
            responder = {
                "responder_id": None,
                "responder_name": child.full_name,
                "responder_relationship": "The child",
                "responder_parental_responsibility": "",
                "responder_lives_with_child": None,
            }
            adult_name = child.given_name
        else:
            link = self.people.links[plan.responder]
            adult = self.people.adults[link.adult]
            responder = {
                "responder_id": adult.id,
                "responder_name": adult.full_name,
                "responder_relationship": self.relationship(plan.responder),
                "responder_parental_responsibility": link.parental_responsibility,
                "responder_lives_with_child": link.lives_with_child,
            }
            adult_name = adult.given_name
        record = {
            "id": None,
            "agency_id": self.agency_ids[child.agency],
            "child_id": child.id,
            "about_adult_id": responder["responder_id"] if plan.about_adult else None,
            **responder,
            "child_age": child.age_on(responded_on),
            **capacity.NO_FAMILY_NOTES,
            "response": plan.response,
            "responded_on": responded_on,
            "signed_form": "",
            "signed_form_type": "",
            "signed_form_size": None,
            "signed_form_sha256": "",
            "supersedes_id": earlier[plan.supersedes]["id"] if plan.supersedes is not None else None,
            "recorded_by_id": recorder,
            "recorder_name": name,
            "recorder_role": role,
            "recorded_at": instant(plan.at),
        }
        words = {**context, "responder": adult_name}
        explicit = rng.random() < 0.85
        form = ("written" if rng.random() < 0.6 else "verbal") if explicit else ""
        record.update(explicitness="explicit" if explicit else "implied", form=form)
        if plan.response == "withdrawn":
            # consent.services.consent_withdraw: what was explained is carried over; no assessment.
            original = earlier[plan.supersedes]
            record.update({carried: original[carried] for carried in CARRIED_ON_WITHDRAWAL})
            record.update(
                how_signalled=answer_paths.fill(texts.CONSENT["withdrawn"], words),
                review_on=None,
                **capacity.NO_ASSESSMENT,
            )
            return record
        signalled = texts.CONSENT["refused"] if plan.response == "refused" else texts.CONSENT[form or "implied"]
        information, purposes, use = choice(rng, texts.CONSENT_SCOPE)
        kinds = set(rng.sample(KIND_ORDER[:3], k=rng.randint(1, 2)))
        if story.recipient is not None:
            kinds.add(self.people.contacts[story.recipient].kind)
        record.update(
            how_signalled=answer_paths.fill(signalled, words),
            scope_information=answer_paths.fill(information, words),
            scope_purposes=answer_paths.fill(purposes, words),
            scope_recipients=choice(rng, texts.CONSENT_RECIPIENTS),
            scope_recipient_kinds=[kind for kind in KIND_ORDER if kind in kinds],
            scope_recipient_use=answer_paths.fill(use, words),
            **capacity.NO_ASSESSMENT,
        )
        # consent.capacity.asks_about_withdrawal_and_review: a refusal has nothing to withdraw or review.
        given = capacity.asks_about_withdrawal_and_review(plan.response)
        record.update(
            told_can_withdraw=rng.random() < 0.95 if given else None,
            review_on=responded_on + timedelta(days=plan.review_days) if given and plan.review_days else None,
        )
        if plan.by_child and capacity.assessment_needed(record["child_age"]):
            # consent.capacity.assessment_needed: 3.3.15, a young person of 16 or 17 is presumed able to decide,
            # so only a child under 16 (or of unknown age) is assessed; the form asks nothing more of them.
            record.update(
                competence=dict.fromkeys(capacity.COMPETENCE_CRITERIA, True),
                child_competent=True,
                assessed_by=f"{name}, {job_title.lower()}",
                assessed_on=responded_on,
                explained_how=choice(rng, texts.EXPLAINED_HOW),
                language=LANGUAGES.pick(rng),
            )
        return record

    def decision(self, story: Story, child: ChildPlan, chosen_links, context, written, rng) -> None:
        recorder, name, role, job_title = self.staff(story.author)
        agency = self.people.agencies[child.agency]
        contact = self.people.contacts[story.recipient]
        recipient = {"name": contact.name, "role": contact.role, "agency": contact.agency, "kind": contact.kind}
        context.update(recipient=contact.name, recipient_role=contact.role.lower())
        relied_on = None
        if story.scenario in ("consent", "refused_high", "refused_lower"):
            record = written.consents[0]
            about = child.full_name if record["about_adult_id"] is None else record["responder_name"]
            relied_on = {
                "id": record["id"],
                "label": consent_label(record, about, self.clock.local_date(story.decided)),
                "kinds": record["scope_recipient_kinds"],
                "review_on": record["review_on"],
                "record": record,
            }
            context["consenter"] = record["responder_name"]
        if written.request is not None:
            request = written.request
            purpose = (
                f"{request['requester_name']} ({request['requester_role']}, {request['requester_agency']}) asked "
                f"for: {request['information_needed']}\nWhy: {request['reason']}\nWhat they will do with it: "
                f"{request['intended_use']}"
            )
            if request["others_to_tell"]:
                purpose += f"\nWho else needs to know: {request['others_to_tell']}"
        else:
            level = "high" if story.concern != "lower" else "lower"
            purpose = answer_paths.fill(choice(rng, texts.PURPOSES[level]), context)
        decided = self.clock.local(story.decided)
        answers = answer_paths.eight_questions(
            scenario=story.scenario,
            concern=story.concern,
            purpose=purpose,
            context=context,
            offered_bases=self.labels.offered_bases,
            recipient=recipient,
            consent=relied_on,
            person_informed=story.person_informed,
            decided=decided,
            rng=rng,
        )
        sharing, decided_answers = answers[guidance.QuestionKey.SHARING], answers[guidance.QuestionKey.DECISION]
        draft_id, decision_id = written.ids.draft, written.ids.decision
        after = written.consents[-1]["recorded_at"] if written.consents else None
        started = instant(story.decided) - timedelta(minutes=rng.randint(10, 50))
        if written.request is not None:
            after = max(after or started, written.request["verified_at"] or written.request["logged_at"])
        if after is not None and started <= after:
            started = after + (instant(story.decided) - after) / 2
        written.draft = {
            "id": draft_id,
            "agency_id": self.agency_ids[child.agency],
            "child_id": child.id,
            "author_id": recorder,
            "direction": "request_received" if written.request is not None else "proposing",
            "answers": answers,
            "unsaved": {},
            "created_at": started,
            "updated_at": instant(story.recorded + rng.randint(2_000, 20_000)),
            "decision_id": decision_id,
            "request_id": written.request["id"] if written.request is not None else None,
        }
        written.draft_adults = [self.people.adults[self.people.links[i].adult].id for i in chosen_links]
        if written.request is not None:
            written.draft_adults = list(written.request_adults)
            chosen = set(written.draft_adults)
            chosen_links = [i for i in child.links if self.people.adults[self.people.links[i].adult].id in chosen]
        written.answers = answers
        written.decision = {
            "id": decision_id,
            "agency_id": self.agency_ids[child.agency],
            "child_id": child.id,
            "recorded_by_id": recorder,
            "recorder_name": name,
            "recorder_role": role,
            "recorder_job_title": job_title,
            "agency_name": agency.name,
            "subject": self.subject(child, chosen_links),
            "direction": written.draft["direction"],
            "outcome": sharing["outcome"],
            "recommendation": str(guidance.recommendation(answers)),
            "departs_from_guidance": guidance.departs_from_guidance(answers),
            "reasons": decided_answers["reasons"],
            "departure_reason": decided_answers.get("departure_reason") or "",
            "decided_at": decided,
            "recorded_at": instant(story.recorded),
            "guidance_version": self.labels.guidance_version,
            "draft_key": draft_id,
            "reconsider_on": guidance.reconsider_date(answers),
        }
        if story.disclosure is not None:
            self.disclosure(story, child, written, context, rng)
        for position, (at, reviewer, outcome) in enumerate(story.reviews):
            self.review(at, reviewer, outcome, written, context, rng)
            written.reviews[-1]["id"] = written.ids.reviews[position]
        for position, (at, author) in enumerate(story.addenda):
            author_id, author_name, author_role, _ = self.staff(author)
            written.addenda.append(
                {
                    "id": written.ids.addenda[position],
                    "decision_id": decision_id,
                    "text": answer_paths.fill(choice(rng, texts.ADDENDA), context),
                    "author_id": author_id,
                    "author_name": author_name,
                    "author_role": author_role,
                    "recorded_at": instant(at),
                }
            )

    def disclosure(self, story: Story, child: ChildPlan, written: Written, context, rng) -> None:
        disclosed, recorded, told, reconsider = story.disclosure
        recorder, name, role, _ = self.staff(story.author)
        planned = written.answers[guidance.QuestionKey.SHARING]
        method = DISCLOSURE_METHODS[planned["method"]]
        request = written.request
        unverified = request is not None and not request["requester_known"] and request["verified_at"] is None
        disclosed_day = self.clock.local_date(disclosed)
        record = {
            "id": written.ids.disclosure,
            "agency_id": self.agency_ids[child.agency],
            "child_id": child.id,
            "decision_id": written.decision["id"],
            "request_id": request["id"] if request is not None else None,
            "items": planned["items"],
            "recipient_name": planned["recipient_name"],
            "recipient_role": planned["recipient_role"],
            "recipient_agency": planned["recipient_agency"],
            "disclosed_at": instant(disclosed),
            "method": method,
            # 3.7.6-3.7.8: where it was sent, for a method that sends it somewhere.
            "method_detail": SENT_TO.get(method, ""),
            # 3.7.4: with the override, the record does not say the person was verified.
            "checks": [
                key
                for key, _ in verification.checks_asked(
                    [(key, key) for key in METHOD_CHECKS[method]], disclosing_unverified=unverified
                )
            ],
            "onward_sharing": planned["onward_sharing"],
            "onward_detail": planned["onward_detail"],
            "consent_limits_told": True if guidance.has_consent(written.answers) else None,
            "informed": told,
            "informed_on": disclosed_day if told else None,
            "informed_by": name if told else "",
            "not_informed_reason": "",
            "reconsider_on": None if told else disclosed_day + timedelta(days=reconsider),
            "unverified_override": choice(rng, texts.UNVERIFIED_OVERRIDE) if unverified else "",
            "consent_lapsed_reason": "",
            "recorded_by_id": recorder,
            "recorder_name": name,
            "recorder_role": role,
            "recorded_at": instant(recorded),
        }
        if not told:
            record["not_informed_reason"] = planned.get("not_informed_reason") or answer_paths.fill(
                choice(rng, texts.WILL_BE_TOLD), context
            )
        written.disclosure = record
        for position, (at, informed) in enumerate(story.follow_ups):
            day = self.clock.local_date(at)
            follow_up = {
                "id": written.ids.follow_ups[position],
                "disclosure_id": record["id"],
                "informed": informed,
                "informed_on": day if informed else None,
                "informed_by": name if informed else "",
                "reasons": "" if informed else answer_paths.fill(choice(rng, texts.FOLLOW_UP_NOT_YET), context),
                "reconsider_on": None if informed else day + timedelta(days=rng.randint(30, 60)),
                "recorded_by_id": recorder,
                "recorder_name": name,
                "recorded_at": instant(at),
            }
            written.follow_ups.append(follow_up)

    def review(self, at: int, reviewer: int, outcome: str, written: Written, context, rng) -> None:
        reviewer_id, name, role, _ = self.staff(reviewer)
        comments = reasons = actions = ""
        if outcome == "agree_with_comments":
            comments = choice(rng, texts.REVIEW_COMMENTS)
        elif outcome == "disagree":
            reasons, actions = (answer_paths.fill(text, context) for text in choice(rng, texts.REVIEW_DISAGREE))
        written.reviews.append(
            {
                "id": None,
                "decision_id": written.decision["id"],
                "reviewer_id": reviewer_id,
                "reviewer_name": name,
                "reviewer_role": role,
                "outcome": outcome,
                "comments": comments,
                "reasons": reasons,
                "actions": actions,
                "recorded_at": instant(at),
            }
        )

    def outcome(self, story: Story, written: Written, rng) -> None:
        recorder, name, *_ = self.staff(story.author)
        reasons, decision_id = "", None
        if story.fate == "decided":
            decision_id = written.decision["id"]
        elif story.police_category == "none":
            reasons = texts.POLICE_DECLINED
        else:
            reasons = choice(rng, texts.DECLINED if story.fate == "declined" else texts.WITHDRAWN)
        written.outcome = {
            "id": written.ids.outcome,
            "request_id": written.request["id"],
            "outcome": story.fate,
            "decision_id": decision_id,
            "reasons": reasons,
            "recorded_by_id": recorder,
            "recorder_name": name,
            "recorded_at": instant(story.outcome_at),
        }
