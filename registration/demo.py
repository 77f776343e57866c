"""Demo registrations: a full December 2024 (with check-ins) and a follow-up with a
waiting list, two places offered from it and a note sent to those still waiting.
Idempotent: people and registrations are found by their natural keys."""

import datetime
import random

from allauth.account.models import EmailAddress
from django.conf import settings

from accounts.enums import ParticipantType
from accounts.models import Skill, User
from events.extensions import demo_seeders
from events.services import event_update
from registration import services
from registration.enums import SEAT_HOLDING, RegistrationStatus, Segment
from registration.models import Consent, Registration, RegistrationPolicy, SegmentMessage
from registration.segments import segment_message_send, segment_recipients

S = RegistrationStatus
FIRST = [
    "Aisha",
    "Ben",
    "Chloe",
    "Dan",
    "Efua",
    "Finn",
    "Grace",
    "Hamza",
    "Isla",
    "Jack",
    "Kemi",
    "Liam",
    "Maya",
    "Niall",
    "Olu",
    "Phoebe",
]
LAST = ["Roberts", "Nguyen", "Murphy", "Okoye"]
# Roughly the December room: many students and researchers, some of everyone else.
TYPES = (
    [ParticipantType.STUDENT] * 5
    + [ParticipantType.RESEARCHER] * 4
    + [ParticipantType.DEVELOPER] * 3
    + [ParticipantType.LOCAL_PROFESSIONAL] * 2
    + [ParticipantType.COMMUNITY_RESEARCHER] * 2
)
PEOPLE = 64
DECEMBER_REGISTRATIONS, DECEMBER_NO_SHOWS = 57, 6
# People who came on the day without registering; they filled the room to its 60.
DECEMBER_WALK_INS = ["Rosa Delaney", "Tunde Bakare", "Megan Hughes"]
# The follow-up: two demo logins first (so they can be tried out as participants), then
# enough people to fill its 40 places and leave six waiting; one of them gives up their
# place, which is offered to the first in line.
FOLLOW_UP_LOGINS = ["student", "community"]
FOLLOW_UP_REGISTRATIONS = 44
FOLLOW_UP_CAPACITY, EXTRA_SEATS = 40, 2
THANK_YOU = (
    "Thank you for coming to the hackathon",
    "Thank you for a wonderful day at the Municipal Hotel. The slides and datasets stay "
    "online, and we would love your feedback before we plan the next one.",
)
WAITING_LIST_NOTE = (
    "You are on the waiting list",
    "The room is full for now. Places often free up in the last week; if one does, we "
    "will offer it to you by email, in the order people registered.",
)


def _people():
    rng = random.Random(2024)  # noqa: S311 — demo data, fixed so every demo has the same people
    skills = list(Skill.objects.all())
    people = []
    for n in range(PEOPLE):
        name = f"{FIRST[n % len(FIRST)]} {LAST[n // len(FIRST) % len(LAST)]}"
        email = f"participant{n + 1:02d}@civichack.test"
        user, created = User.objects.get_or_create(
            email=email,
            defaults={
                "display_name": name,
                "participant_type": TYPES[n % len(TYPES)],
                "organisation": "Liverpool City Region",
            },
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
            user.skills.set(rng.sample(skills, k=2))
            EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
        people.append(user)
    return people


def _past_registrations(event, people):
    """December 2024 is over, so its registrations are written as they ended."""
    if Registration.objects.filter(event=event).exists():
        return
    day_before = event.registration_closes_at - datetime.timedelta(days=20)
    registrations = []
    for n, person in enumerate(people[:DECEMBER_REGISTRATIONS]):
        no_show = n >= DECEMBER_REGISTRATIONS - DECEMBER_NO_SHOWS
        registrations.append(
            Registration(
                event=event,
                user=person,
                status=S.NO_SHOW if no_show else S.CHECKED_IN,
                applied_at=day_before + datetime.timedelta(hours=n * 7),
                checked_in_at=None if no_show else event.starts_at + datetime.timedelta(minutes=n),
            )
        )
    walked_in_at = event.starts_at + datetime.timedelta(minutes=20)
    registrations += [
        Registration(
            event=event,
            walk_in=True,
            walk_in_name=name,
            status=S.CHECKED_IN,
            applied_at=walked_in_at,
            checked_in_at=walked_in_at,
        )
        for name in DECEMBER_WALK_INS
    ]
    Registration.objects.bulk_create(registrations)
    versions = settings.REGISTRATION_CONSENT_VERSIONS
    Consent.objects.bulk_create(
        Consent(registration=r, kind=kind, version=versions[kind], accepted_at=r.applied_at)
        for r in registrations
        for kind in ("code_of_conduct", "privacy")
    )
    held = sum(1 for r in registrations if r.status in SEAT_HOLDING)
    RegistrationPolicy.objects.filter(event=event).update(seats_held=held)


def _messages(demo):
    """December's thank-you, as it was sent the day after; the follow-up's note to those
    waiting, sent now through the service like any organiser's message."""
    organiser = demo["users"].get("organiser")
    december, follow_up = demo["events"]["december"], demo["events"]["follow_up"]
    subject, body = THANK_YOU
    sent_at = december.starts_at + datetime.timedelta(days=1)
    SegmentMessage.objects.get_or_create(
        event=december,
        subject=subject,
        defaults={
            "segment": Segment.CHECKED_IN,
            "body": body,
            "sent_by": organiser,
            "sent_at": sent_at,
            "delivered_at": sent_at,
            "recipient_count": segment_recipients(december, Segment.CHECKED_IN).count(),
        },
    )
    subject, body = WAITING_LIST_NOTE
    if not SegmentMessage.objects.filter(event=follow_up, subject=subject).exists():
        segment_message_send(
            event=follow_up,
            segment=Segment.WAITLISTED,
            subject=subject,
            body=body,
            actor=organiser,
        )


def _more_seats(demo):
    """The organisers found two more chairs: raising the capacity offered them to the first
    two waiting, as it does in the console (the table then shows two offers open)."""
    follow_up = demo["events"]["follow_up"]
    if follow_up.capacity != FOLLOW_UP_CAPACITY or not follow_up.is_registration_open:
        return  # raised already (or the story is past)
    event_update(
        actor=demo["users"].get("organiser"),
        event=follow_up,
        capacity=FOLLOW_UP_CAPACITY + EXTRA_SEATS,
    )


def seed_registrations(demo):
    people = _people()
    december, follow_up = demo["events"]["december"], demo["events"]["follow_up"]
    _past_registrations(december, people)
    if follow_up.is_registration_open:
        logins = [demo["users"][key] for key in FOLLOW_UP_LOGINS]
        registered = set(follow_up.registrations.values_list("user_id", flat=True))
        for person in logins + people[:FOLLOW_UP_REGISTRATIONS]:
            if person.pk in registered:
                continue  # seeded before (and perhaps cancelled since: not applying again)
            services.registration_create(
                event=follow_up, user=person, consents={"code_of_conduct", "privacy"}
            )
        # By the seat count before the organisers add chairs, so seeding again picks
        # the same person.
        _changed_plans(follow_up, people[FOLLOW_UP_CAPACITY - len(logins) - 1])
    _more_seats(demo)
    _messages(demo)


def _changed_plans(event, person):
    """The last to get a place gives it up, so the first on the waiting list holds an open
    offer (its email links to the offer page) and the counts show one offer waiting."""
    registration = Registration.objects.get(event=event, user=person)
    if registration.status == S.CONFIRMED:
        services.registration_leave(registration=registration, actor=person)


demo_seeders.register("registrations", seed_registrations, order=20)
