"""The authorization matrix: for every named route, the exact status each role gets.

A row is one request (route name, URL kwargs built from the world, method, data) and
the status every registered role must get. `expect()` writes a row's expectations in
one line:

    expect(f"anonymous:{LOGIN} {OUTSIDERS}:404 {MANAGERS}:200")

where OUTSIDERS and MANAGERS are role groups (roles.py registers the roles, world.py
says who holds them). Adding a role means adding it to the groups it belongs to and
overriding the rows where it differs; test_matrix_rows_cover_every_role fails until
every row says what the new role gets.

A write row may also name its `effect`, a check of the database that is true once the
write happened: the test then asserts it happened exactly for the roles whose expected
status is a success, so a refusal that still changed something fails too.

Every named route of the project must have a row or an entry in EXEMPT with a reason
(test_every_named_route_is_in_the_matrix walks the URL resolver). Each (row, role)
pair runs as its own test against a fresh database, so rows may delete or change the
world's objects freely.
"""

import datetime
import fnmatch
from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

from django.conf import settings
from django.urls import URLResolver, get_resolver, reverse
from django.utils import timezone

from accounts import services as account_services
from accounts.models import ApiToken
from common.outbox import unsubscribe_token
from events.models import Challenge, Event, EventRole, ScheduleItem, Theme
from registration.enums import Actor, AdmissionMode
from registration.models import Registration, RegistrationPolicy, SegmentMessage
from registration.questionnaire import DEFAULT_QUESTIONS
from registration.services import registration_transition
from registration.tickets import ticket_code_issue
from teams import proposals
from teams.models import (
    BoardEntry,
    HelpRequest,
    JoinRequest,
    MatchingRun,
    PartnerPreference,
    Team,
    TeamPolicy,
)
from tests.factories import PASSWORD, UserFactory
from tests.registration.helpers import register
from tests.security.roles import ROLES
from tests.security.world import World

# @login_required answers 302 to the sign-in page with ?next=; the test checks both.
LOGIN = "login"

# The first authentication class (token) supplies WWW-Authenticate, so DRF answers an
# anonymous request 401.
API_ANONYMOUS = 401

Expected = int | str

# Role groups, from the point of view of events A and D (see world.py).
# Signed in with no role in any event (a catalogue editor's role is site-wide).
NO_ROLE = "user,catalogue_editor"
# Accepted judges of A: with no assignment, assigned to score A1's entry, and assigned to it
# but in conflict with A1. Only judging's scoring routes tell them apart.
JUDGES = "judge,assigned_judge,conflicted_judge"
SIGNED_IN = (
    f"{NO_ROLE},participant,{JUDGES},volunteer,mentor,team_member,team_lead,other_organiser,organiser,"
    "superuser"
)
EVERYONE = "anonymous," + SIGNED_IN
# No organiser role in A or D.
OUTSIDERS = f"{NO_ROLE},participant,{JUDGES},volunteer,mentor,team_member,team_lead,other_organiser"
PARTICIPANTS = "participant,team_member,team_lead"  # a confirmed place in A
NOT_REGISTERED = (
    f"{NO_ROLE},{JUDGES},volunteer,mentor,other_organiser,organiser,superuser"  # none in A
)
MANAGERS = "organiser,superuser"  # may manage A and D


def expect(spec: str) -> dict[str, Expected]:
    """`"anonymous:login user,judge:404 organiser:200"` -> {role: expected status}."""
    table: dict[str, Expected] = {}
    for group in spec.split():
        names, _, status = group.partition(":")
        for name in names.split(","):
            if name not in ROLES:
                raise ValueError(f"Unknown role {name!r} in {spec!r}.")
            if name in table:
                raise ValueError(f"Role {name!r} appears twice in {spec!r}.")
            table[name] = LOGIN if status == LOGIN else int(status)
    return table


def everyone(status: int) -> dict[str, Expected]:
    return expect(f"{EVERYONE}:{status}")


def signed_in(status: int, *, anonymous: Expected = LOGIN) -> dict[str, Expected]:
    return expect(f"anonymous:{anonymous} {SIGNED_IN}:{status}")


def console(ok: int) -> dict[str, Expected]:
    """Organiser console of A or D: outsiders must not learn the event exists."""
    return expect(f"anonymous:{LOGIN} {OUTSIDERS}:404 {MANAGERS}:{ok}")


def door(ok: int) -> dict[str, Expected]:
    """Event A's door: its organisers and its volunteer; everyone else 404."""
    return expect(
        f"anonymous:{LOGIN} {NO_ROLE},{PARTICIPANTS},{JUDGES},mentor,other_organiser:404 "
        f"volunteer:{ok} {MANAGERS}:{ok}"
    )


def draft(ok: int) -> dict[str, Expected]:
    """Draft D, public page or API: 404 to everyone without a role in it."""
    return expect(f"anonymous:404 {OUTSIDERS}:404 {MANAGERS}:{ok}")


def api_write(ok: int) -> dict[str, Expected]:
    """A write to published A through the API: A is public, so refusing says 403."""
    return expect(f"anonymous:{API_ANONYMOUS} {OUTSIDERS}:403 {MANAGERS}:{ok}")


def superuser_only(ok: int, *, anonymous: Expected) -> dict[str, Expected]:
    """Creating events: superusers (and the "Event creators" group, which nobody here
    is in), not organisers of other events."""
    return expect(f"anonymous:{anonymous} {OUTSIDERS},organiser:403 superuser:{ok}")


def signed_out_only(status: int) -> dict[str, Expected]:
    """allauth's sign-in and sign-up pages send the signed-in on to LOGIN_REDIRECT_URL."""
    return expect(f"anonymous:{status} {SIGNED_IN}:302")


# --- Rows -----------------------------------------------------------------------------

Kwargs = Callable[[World], dict]
Data = Callable[[World], dict]
Effect = Callable[[World], bool]


def no_kwargs(world: World) -> dict:
    return {}


@dataclass(frozen=True)
class Row:
    route: str
    method: str
    expect: dict[str, Expected]
    kwargs: Kwargs = no_kwargs
    data: Data | None = None
    label: str = ""  # tells apart several rows for one route and method
    effect: Effect | None = None  # true once the write happened

    @property
    def id(self) -> str:
        return "-".join(part for part in (self.route, self.method, self.label) if part)

    @property
    def is_api(self) -> bool:
        return self.route.startswith("api:")

    def succeeds_for(self, role: str) -> bool:
        """Whether `role`'s expected status means the write was done."""
        done = {200, 201, 202, 204} if self.is_api else {302}
        return self.expect[role] in done


def event(key: str, *, name: str = "slug") -> Kwargs:
    """URL kwargs naming event `key` ("a", "b" or "d")."""
    return lambda w: {name: getattr(w, key).event.slug}


A, B, D = event("a"), event("b"), event("d")
A_API, D_API = event("a", name="event_slug"), event("d", name="event_slug")


def part(key: str, attr: str, *, of: str | None = None) -> Kwargs:
    """Console URL kwargs: event `key`, and the pk of `attr` of event `of` (by default
    the same event; another one checks cross-event addressing)."""

    def build(w: World) -> dict:
        return {"slug": getattr(w, key).event.slug, "pk": getattr(getattr(w, of or key), attr).pk}

    return build


def api_part(key: str, attr: str, lookup: str, *, of: str | None = None) -> Kwargs:
    """API URL kwargs: event `key`, and the `lookup` of `attr` of event `of`."""

    def build(w: World) -> dict:
        target = getattr(getattr(w, of or key), attr)
        return {"event_slug": getattr(w, key).event.slug, lookup: getattr(target, lookup)}

    return build


def invitation(world: World) -> dict:
    return {"slug": world.a.event.slug, "pk": world.invitation.pk}


def constant(data: dict) -> Data:
    return lambda w: data


# Effects: each reads the database afresh.


def changed(key: str, attr: str, **values) -> Effect:
    """`attr` of event `key` now has `values`."""

    def check(w: World) -> bool:
        obj = getattr(getattr(w, key), attr)
        return type(obj).objects.filter(pk=obj.pk, **values).exists()

    return check


def deleted(key: str, attr: str) -> Effect:
    def check(w: World) -> bool:
        obj = getattr(getattr(w, key), attr)
        return not type(obj).objects.filter(pk=obj.pk).exists()

    return check


def created(model, key: str, **values) -> Effect:
    return lambda w: model.objects.filter(event=getattr(w, key).event, **values).exists()


def invitation_revoked(world: World) -> bool:
    return not EventRole.objects.filter(pk=world.invitation.pk).exists()


def d_pk(world: World) -> int:
    return world.d.event.pk


def b_follows_d(world: World) -> bool:
    return Event.objects.filter(pk=world.b.event.pk, previous_event=world.d.event).exists()


# Valid data for the forms and the API.


def _form_time(value: datetime.datetime) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%dT%H:%M")


def _api_time(value: datetime.datetime) -> str:
    return value.isoformat()


def event_fields(key: str, *, name: str, api: bool, **extra: Callable[[World], object]) -> Data:
    """Valid event fields: event `key`'s own place and dates, under a new name; `extra`
    adds fields computed from the world."""

    def build(w: World) -> dict:
        source, when = getattr(w, key).event, (_api_time if api else _form_time)
        return {
            "name": name,
            "venue_name": source.venue_name,
            "capacity": source.capacity,
            "starts_at": when(source.starts_at),
            "ends_at": when(source.ends_at),
            "registration_opens_at": when(source.registration_opens_at),
            "registration_closes_at": when(source.registration_closes_at),
        } | {field: value(w) for field, value in extra.items()}

    return build


def challenge_fields(key: str, *, title: str, api: bool) -> Data:
    def build(w: World) -> dict:
        theme = getattr(w, key).theme
        return {
            "theme": theme.slug if api else theme.pk,
            "title": title,
            "brief": "Find the gaps in bus coverage.",
            "order": 0,
        }

    return build


def schedule_fields(key: str, *, title: str, api: bool) -> Data:
    def build(w: World) -> dict:
        starts = getattr(w, key).event.starts_at + datetime.timedelta(hours=2)
        when = _api_time if api else _form_time
        return {
            "title": title,
            "kind": "talk",
            "starts_at": when(starts),
            "ends_at": when(starts + datetime.timedelta(minutes=30)),
        }

    return build


CONFIRMED = constant({"confirmed": "yes"})
UP, DOWN = constant({"direction": "up"}), constant({"direction": "down"})
NEW_THEME = "Open transport"
THEME_FORM = constant({"name": NEW_THEME, "description": "", "order": 1})

# --- The table ------------------------------------------------------------------------
# The rows are kept one request to a line or two, so the formatter is off for them.

NEW_EVENT = "Brand new event"


def new_event_exists(world: World) -> bool:
    return Event.objects.filter(name=NEW_EVENT).exists()


# fmt: off
def own_registration(world: World) -> dict:
    return {"pk": world.registration.pk}


def registration_is(status: str) -> Effect:
    return lambda w: Registration.objects.filter(pk=w.registration.pk, status=status).exists()


def ticket_of_participant(world: World) -> dict:
    code = ticket_code_issue(registration=world.registration, actor=world.people["participant"])
    return {"token": code}


def ticket_issued(world: World) -> bool:
    registration = Registration.objects.get(pk=world.registration.pk)
    return registration.ticket_issued_at is not None


def ticket_revoked(world: World) -> bool:
    return Registration.objects.filter(pk=world.registration.pk, ticket_code_hash="").exists()


def with_ticket(kwargs: Kwargs) -> Kwargs:
    """`kwargs`, once the participant has a ticket code (so revoking it changes something)."""

    def build(w: World) -> dict:
        ticket_code_issue(registration=w.registration, actor=w.people["participant"])
        return kwargs(w)

    return build


WALK_IN_FORM = {"name": "Jo Bloggs", "consent_code_of_conduct": "on", "consent_privacy": "on"}


def door_confirmed(data: Data) -> Data:
    """`data` as the door's "check in on another day?" page posts it again."""
    return lambda w: {**data(w), "confirmed": "yes"}


def walked_in(world: World) -> bool:
    return Registration.objects.filter(event=world.a.event, walk_in_name="Jo Bloggs").exists()


SEGMENT_MESSAGE = {"segment": "confirmed", "subject": "Doors open at 9", "body": "See you."}


def message_sent(world: World) -> bool:
    return SegmentMessage.objects.filter(event=world.a.event, subject="Doors open at 9").exists()


def message_of(key: str, *, under: str = "a") -> Kwargs:
    """A message sent to event `key`'s confirmed people, addressed under event `under`."""

    def build(w: World) -> dict:
        message = SegmentMessage.objects.create(
            event=getattr(w, key).event, segment="confirmed", subject="Earlier note", body="Hi",
            sent_at=timezone.now(),
        )
        return {"slug": getattr(w, under).event.slug, "pk": message.pk}

    return build


def waiting_with_a_free_seat(world: World) -> dict:
    """Someone in A whom organisers, reviewing applications, put on the waiting list
    while seats were free: a seat to offer them."""
    event = world.a.event
    RegistrationPolicy.objects.filter(event=event).update(mode=AdmissionMode.REVIEW)
    applied = register(event, UserFactory(display_name="Ada Okoye"))
    registration_transition(
        registration=applied, to="waitlisted", by=Actor.ORGANISER, actor=None
    )
    return {"slug": event.slug, "pk": applied.pk}


def someone_offered(world: World) -> bool:
    return Registration.objects.filter(event=world.a.event, status="offered").exists()


def api_door(ok: int) -> dict[str, Expected]:
    """Event A's door through the API: A is public, so those not running it get 403."""
    return expect(
        f"anonymous:{API_ANONYMOUS} {NO_ROLE},{PARTICIPANTS},{JUDGES},mentor,other_organiser:403 "
        f"volunteer:{ok} {MANAGERS}:{ok}"
    )


def api_registration(*, under: str = "a") -> Kwargs:
    """The participant's registration in A, addressed under event `under`'s API."""
    return lambda w: {"event_slug": getattr(w, under).event.slug, "pk": w.registration.pk}


EDIT_FORM = {
    "participant_type": "student",
    "consent_code_of_conduct": "on",
    "consent_privacy": "on",
    "consent_photography": "on",
}


def photography_consented(world: World) -> bool:
    return world.registration.consents.filter(kind="photography").exists()


def registration_in_a(world: World) -> dict:
    return {"slug": world.a.event.slug, "pk": world.registration.pk}


def registration_under_b(world: World) -> dict:
    """A's registration addressed under B's check-in: 404 even to B's organiser."""
    return {"slug": world.b.event.slug, "pk": world.registration.pk}


REGISTER_FORM = constant({
    "participant_type": "student", "consent_code_of_conduct": "on", "consent_privacy": "on",
})
REGISTER_API = constant({"consents": ["code_of_conduct", "privacy"]})
# All but the participant (team lead and member have registrations of their own).
NOT_THEIRS = (
    f"{NO_ROLE},{JUDGES},volunteer,mentor,team_member,team_lead,other_organiser,organiser,superuser"
)


def question_of(key: str, *, under: str | None = None) -> Kwargs:
    """A default question of event `key`, addressed under event `under` (same by default)."""
    return lambda w: {
        "slug": getattr(w, under or key).event.slug,
        "pk": getattr(w, key).event.questions.order_by("order").first().pk,
    }


def question_labelled(key: str, label: str) -> Effect:
    return lambda w: getattr(w, key).event.questions.filter(label=label).exists()


def first_question_gone(key: str) -> Effect:
    return lambda w: not getattr(w, key).event.questions.filter(order=0).exists()


def first_question_second(key: str) -> Effect:
    """The event's first default question has been moved down to the second place."""
    label = DEFAULT_QUESTIONS[0][0]
    return lambda w: getattr(w, key).event.questions.filter(label=label, order=1).exists()


QUESTION_FORM = constant({"label": "Which borough do you live in?", "kind": "short_text",
                          "choices": "", "order": 9})


def question_rows() -> list[Row]:
    """The questionnaire editor; B's question under A's address answers 404 to all."""
    renamed = question_labelled("a", "Which borough do you live in?")
    return [
        Row("organise_questions", "GET", console(200), A),
        Row("organise_questions", "GET", console(200), D, label="draft"),
        Row("organise_questions", "POST", console(302), A, data=QUESTION_FORM, effect=renamed),
        Row("organise_question_edit", "GET", console(200), question_of("a")),
        Row("organise_question_edit", "POST", console(302), question_of("a"),
            data=QUESTION_FORM, effect=renamed),
        Row("organise_question_edit", "GET", signed_in(404), question_of("b", under="a"),
            label="other-event"),
        Row("organise_question_edit", "POST", signed_in(404), question_of("b", under="a"),
            label="other-event", data=QUESTION_FORM,
            effect=question_labelled("b", "Which borough do you live in?")),
        Row("organise_question_delete", "GET", console(200), question_of("a")),
        Row("organise_question_delete", "POST", console(200), question_of("a"),
            label="unconfirmed", effect=first_question_gone("a")),
        Row("organise_question_delete", "POST", console(302), question_of("a"),
            data=CONFIRMED, effect=first_question_gone("a")),
        Row("organise_question_delete", "POST", signed_in(404), question_of("b", under="a"),
            label="other-event", data=CONFIRMED, effect=first_question_gone("b")),
        Row("organise_question_move", "POST", console(302), question_of("a"), data=DOWN,
            effect=first_question_second("a")),
        Row("organise_question_move", "POST", signed_in(404), question_of("b", under="a"),
            label="other-event", data=DOWN, effect=first_question_second("b")),
        Row("organise_question_move", "GET", signed_in(405), question_of("a")),
        Row("organise_questions_preview", "GET", console(200), A),
        Row("organise_questions_preview", "GET", console(200), D, label="draft"),
    ]


def registration_rows() -> list[Row]:
    """Registering, and a person's own registrations (anyone else's answer 404)."""
    others = NOT_THEIRS
    return [
        # The participant is sent on to their registrations; everyone else gets the form.
        Row("registration_register", "GET",
            expect(f"anonymous:{LOGIN} {PARTICIPANTS}:302 {NOT_REGISTERED}:200"), A),
        Row("registration_register", "GET", expect(
            f"anonymous:{LOGIN} {OUTSIDERS}:404 {MANAGERS}:200"), D, label="draft"),
        Row("registration_register", "POST", signed_in(302), A, data=REGISTER_FORM),
        Row("registration_mine", "GET", signed_in(200)),
        # Cancelling asks first: the first POST shows the question, the confirmed one acts.
        Row("registration_leave", "POST",
            expect(f"anonymous:{LOGIN} participant:200 {others}:404"), own_registration,
            label="asks", effect=registration_is("cancelled")),
        Row("registration_leave", "POST",
            expect(f"anonymous:{LOGIN} participant:302 {others}:404"), own_registration,
            data=constant({"confirmed": "yes"}), effect=registration_is("cancelled")),
        # The offer page (linked from the offer email); no offer is open, so it says so.
        Row("registration_offer", "GET",
            expect(f"anonymous:{LOGIN} participant:200 {others}:404"), own_registration),
        Row("registration_offer", "POST",
            expect(f"anonymous:{LOGIN} participant:302 {others}:404"), own_registration,
            data=constant({"accept": "1"})),
        Row("api:event-register", "POST",
            expect(f"anonymous:{API_ANONYMOUS} {PARTICIPANTS}:200 {NOT_REGISTERED}:201"), A_API,
            data=REGISTER_API),
        # A draft is not open for registration, even to the people preparing it.
        Row("api:event-register", "POST", expect(
            f"anonymous:{API_ANONYMOUS} {OUTSIDERS}:404 {MANAGERS}:403"), D_API, label="draft",
            data=REGISTER_API),
        Row("api:registration-list", "GET", signed_in(200, anonymous=API_ANONYMOUS)),
        Row("api:registration-detail", "GET",
            expect(f"anonymous:{API_ANONYMOUS} participant:200 {others}:404"), own_registration),
        Row("api:registration-leave", "POST",
            expect(f"anonymous:{API_ANONYMOUS} participant:200 {others}:404"), own_registration,
            effect=registration_is("cancelled")),
        Row("api:registration-details", "PUT",
            expect(f"anonymous:{API_ANONYMOUS} participant:200 {others}:404"), own_registration,
            data=constant({"consents": ["code_of_conduct", "privacy", "photography"]}),
            effect=photography_consented),
        Row("registration_edit", "GET",
            expect(f"anonymous:{LOGIN} participant:200 {others}:404"), own_registration),
        Row("registration_edit", "POST",
            expect(f"anonymous:{LOGIN} participant:302 {others}:404"), own_registration,
            data=constant(EDIT_FORM), effect=photography_consented),
        Row("registration_ticket", "GET",
            expect(f"anonymous:{LOGIN} participant:200 {others}:404"), own_registration),
        Row("registration_ticket", "POST",
            expect(f"anonymous:{LOGIN} participant:302 {others}:404"), own_registration,
            effect=ticket_issued),
        Row("api:registration-ticket", "POST",
            expect(f"anonymous:{API_ANONYMOUS} participant:201 {others}:404"), own_registration,
            effect=ticket_issued),
        Row("registration_ticket_reissue", "POST", console(302), with_ticket(registration_in_a),
            effect=ticket_revoked),
        Row("registration_ticket_reissue", "GET", signed_in(405), registration_in_a),
        Row("registration_ticket_reissue", "POST", console(404), registration_under_b,
            label="other-event"),
        Row("api:event-registration-reissue-ticket", "POST", api_write(200),
            with_ticket(api_registration()), effect=ticket_revoked),
        # Organisers' table of registrations; the door is also for volunteers.
        Row("registration_console", "GET", console(200), A),
        Row("registration_console", "GET", console(200), D, label="draft"),
        # Cancelling asks first: the first POST shows the question, the confirmed one acts.
        Row("registration_console", "POST", console(200), A, label="ask-first",
            data=lambda w: {"action": "cancel", "registration": [w.registration.pk]}),
        Row("registration_console", "POST", console(302), A,
            data=lambda w: {"action": "cancel", "registration": [w.registration.pk],
                            "confirmed": "yes"},
            effect=registration_is("cancelled")),
        Row("registration_messages", "GET", console(200), A),
        Row("registration_messages", "GET", console(200), D, label="draft"),
        # A registration's own page, and offering a free seat from it or the table.
        Row("registration_person", "GET", console(200), registration_in_a),
        Row("registration_person", "GET", console(404), registration_under_b,
            label="other-event"),
        Row("registration_person", "POST", console(302), registration_in_a,
            data=constant({"action": "cancel", "confirmed": "yes"}),
            effect=registration_is("cancelled")),
        Row("registration_person", "POST", console(404), registration_under_b,
            label="other-event", data=constant({"action": "cancel", "confirmed": "yes"}),
            effect=registration_is("cancelled")),
        Row("registration_offer_place", "POST", console(302), waiting_with_a_free_seat,
            effect=someone_offered),
        Row("registration_offer_place", "GET", signed_in(405), registration_in_a),
        Row("registration_offer_place", "POST", console(404), registration_under_b,
            label="other-event"),
        # Sending asks first: the first POST shows the preview, the confirmed one sends.
        Row("registration_messages", "POST", console(200), A, label="preview",
            data=constant(SEGMENT_MESSAGE)),
        Row("registration_message", "GET", console(200), message_of("a")),
        Row("registration_message", "GET", console(404), message_of("b"), label="other-event"),
        Row("registration_messages", "POST", console(302), A,
            data=constant({**SEGMENT_MESSAGE, "confirmed": "yes"}),
            effect=message_sent),
        # The organisers' API of A's registrations; check-in and walk-ins also for the door.
        Row("api:event-registration-list", "GET", api_write(200), A_API),
        Row("api:event-registration-list", "GET", draft(200), D_API, label="draft"),
        Row("api:event-registration-detail", "GET", api_write(200), api_registration()),
        # A's registration under B's URL: 404 to those who may manage B.
        Row("api:event-registration-detail", "GET", expect(
            f"anonymous:{API_ANONYMOUS} {NO_ROLE},{PARTICIPANTS},{JUDGES},volunteer,mentor,"
            "organiser:403 other_organiser:404 superuser:404"), api_registration(under="b"),
            label="other-event"),
        Row("api:event-registration-export", "GET", api_write(200), A_API),
        Row("api:event-registration-set-status", "POST", api_write(200), api_registration(),
            data=constant({"status": "cancelled"}), effect=registration_is("cancelled")),
        Row("api:event-registration-check-in", "POST", api_door(200), api_registration(),
            effect=registration_is("checked_in")),
        Row("api:event-registration-check-in-ticket", "POST", api_door(200), A_API,
            data=ticket_of_participant, effect=registration_is("checked_in")),
        Row("api:event-registration-walk-in", "POST", api_door(201), A_API,
            data=constant({"name": "Jo Bloggs", "consents": ["code_of_conduct", "privacy"]}),
            effect=walked_in),
        Row("api:segment-message-list", "GET", api_write(200), A_API),
        Row("api:segment-message-list", "GET", draft(200), D_API, label="draft"),
        Row("api:segment-message-list", "POST", api_write(201), A_API,
            data=constant(SEGMENT_MESSAGE), effect=message_sent),
        Row("registration_console_csv", "GET", console(200), A),
        Row("registration_console_csv", "GET", console(200), D, label="draft"),
        Row("registration_check_in", "GET", door(200), A),
        Row("registration_check_in", "GET", console(200), D, label="draft"),
        # A's day is weeks away: each check-in asks first, and acts once confirmed.
        Row("registration_check_in", "POST", door(302), A,
            data=door_confirmed(ticket_of_participant), effect=registration_is("checked_in")),
        Row("registration_check_in", "POST", door(200), A, label="asks-off-the-day",
            data=ticket_of_participant, effect=registration_is("checked_in")),
        Row("registration_walk_in", "POST", door(302), A,
            data=door_confirmed(constant(WALK_IN_FORM)), effect=walked_in),
        Row("registration_walk_in", "POST", door(200), A, label="asks-off-the-day",
            data=constant(WALK_IN_FORM), effect=walked_in),
        Row("registration_walk_in", "POST", console(400), D, label="draft",
            data=door_confirmed(constant(WALK_IN_FORM))),
        Row("registration_check_in_one", "POST", door(302), registration_in_a,
            data=door_confirmed(constant({})), effect=registration_is("checked_in")),
        Row("registration_check_in_one", "POST", door(200), registration_in_a,
            label="asks-off-the-day", effect=registration_is("checked_in")),
        Row("registration_check_in_one", "POST", console(404), registration_under_b,
            label="other-event"),
        *(
            Row(f"api:registration-{answer}", "POST",
                expect(f"anonymous:{API_ANONYMOUS} participant:409 {others}:404"),
                own_registration, effect=registration_is("offer_declined"))
            for answer in ("accept", "decline")
        ),
    ]


def public_pages() -> list[Row]:
    missing = constant({"slug": "no-such-event"})
    return [
        Row("home", "GET", everyone(200)),
        Row("event_detail", "GET", everyone(200), A, label="published"),
        Row("event_detail", "GET", draft(200), D, label="draft"),
        # What a draft must look like to those without a role in it.
        Row("event_detail", "GET", everyone(404), missing, label="missing"),
        Row("event_ical", "GET", everyone(200), A, label="published"),
        Row("event_ical", "GET", draft(200), D, label="draft"),
        # The texts accepted with a consent: public, current and by version.
        *(
            row
            for kind, version in settings.REGISTRATION_CONSENT_VERSIONS.items()
            for row in (
                Row(f"legal_{kind}", "GET", everyone(200)),
                Row(f"legal_{kind}_version", "GET", everyone(200), constant({"version": version})),
                Row(f"legal_{kind}_version", "GET", everyone(404),
                    constant({"version": "1999-01"}), label="unpublished"),
            )
        ),
    ]


def organiser_console() -> list[Row]:
    new_event = event_fields("a", name=NEW_EVENT, api=False)
    renamed = event_fields("a", name="Event A, renamed", api=False)
    b_after_d = event_fields("b", name="Event B", api=False, previous_event=d_pk)
    invite = constant({"email": "new.judge@example.org", "role": "judge"})
    rows = [
        Row("organise_home", "GET", signed_in(200)),
        Row("organise_event_create", "GET", superuser_only(200, anonymous=LOGIN)),
        Row("organise_event_create", "POST", superuser_only(302, anonymous=LOGIN),
            data=new_event, effect=new_event_exists),
        Row("organise_dashboard", "GET", console(200), A),
        Row("organise_dashboard", "GET", console(200), D, label="draft"),
        Row("organise_event_edit", "GET", console(200), A),
        Row("organise_event_edit", "POST", console(302), A, data=renamed,
            effect=changed("a", "event", name="Event A, renamed")),
        # B's organiser may not make B follow a draft they cannot see (B's public API
        # would then show D's slug): the form must refuse D as an invalid choice.
        Row("organise_event_edit", "POST",
            expect(f"anonymous:{LOGIN} {NO_ROLE},{PARTICIPANTS},{JUDGES},volunteer,mentor,"
                   "organiser:404 other_organiser:200 superuser:302"),
            B, data=b_after_d, label="previous-event-foreign-draft", effect=b_follows_d),
        Row("organise_event_publish", "POST", console(302), D, data=constant({"publish": "1"}),
            label="draft", effect=changed("d", "event", is_published=True)),
        # Taking an event back to draft asks first: only the confirmed POST does it.
        Row("organise_event_publish", "POST", console(200), A, data=constant({"publish": "0"}),
            label="unpublish-unconfirmed", effect=changed("a", "event", is_published=False)),
        Row("organise_event_publish", "POST", console(302), A,
            data=constant({"publish": "0", "confirmed": "yes"}),
            label="unpublish", effect=changed("a", "event", is_published=False)),
        # POST only, refused before the event is looked up, so nothing leaks.
        Row("organise_event_publish", "GET", signed_in(405), A),
        Row("organise_roles", "GET", console(200), A),
        Row("organise_roles", "POST", console(302), A, data=invite,
            effect=created(EventRole, "a", email="new.judge@example.org")),
        # Removing a role asks first: a GET or the first POST shows the question.
        Row("organise_role_revoke", "GET", console(200), invitation),
        Row("organise_role_revoke", "POST", console(200), invitation, label="unconfirmed",
            effect=invitation_revoked),
        Row("organise_role_revoke", "POST", console(302), invitation, data=CONFIRMED,
            effect=invitation_revoked),
        Row("organise_role_revoke", "POST", signed_in(404), part("a", "organiser_role", of="b"),
            label="other-event", data=CONFIRMED, effect=deleted("b", "organiser_role")),
        Row("organise_themes", "GET", console(200), A),
        Row("organise_themes", "GET", console(200), D, label="draft"),
        Row("organise_themes", "POST", console(302), A, data=THEME_FORM,
            effect=created(Theme, "a", name=NEW_THEME)),
        Row("organise_challenges", "GET", console(200), A),
        Row("organise_challenges", "POST", console(302), A,
            data=challenge_fields("a", title="New challenge", api=False),
            effect=created(Challenge, "a", title="New challenge")),
        Row("organise_schedule", "GET", console(200), A),
        Row("organise_schedule", "POST", console(302), A,
            data=schedule_fields("a", title="New session", api=False),
            effect=created(ScheduleItem, "a", title="New session")),
    ]
    # Edit and delete pages of each kind: A's own object, then B's addressed under A's
    # URL, which must answer 404 even to A's organisers and superusers.
    kinds = (
        ("theme", "theme", "spare_theme", THEME_FORM, {"name": NEW_THEME}),
        ("challenge", "challenge", "challenge",
         challenge_fields("a", title="Renamed challenge", api=False),
         {"title": "Renamed challenge"}),
        ("schedule_item", "schedule_item", "schedule_item",
         schedule_fields("a", title="Renamed session", api=False),
         {"title": "Renamed session"}),
    )
    for kind, attr, spare, form, saved in kinds:
        edit, delete = f"organise_{kind}_edit", f"organise_{kind}_delete"
        own, own_spare = part("a", attr), part("a", spare)
        theirs, spare_theirs = part("a", attr, of="b"), part("a", spare, of="b")
        rows += [
            Row(edit, "GET", console(200), own),
            Row(edit, "POST", console(302), own, data=form, effect=changed("a", attr, **saved)),
            Row(edit, "GET", signed_in(404), theirs, label="other-event"),
            Row(edit, "POST", signed_in(404), theirs, data=form, label="other-event",
                effect=changed("b", attr, **saved)),
            Row(delete, "GET", console(200), own_spare),
            # The first POST only asks (templates/confirm.html); the confirmed one deletes.
            Row(delete, "POST", console(200), own_spare, label="unconfirmed",
                effect=deleted("a", spare)),
            Row(delete, "POST", console(302), own_spare, data=CONFIRMED,
                effect=deleted("a", spare)),
            Row(delete, "GET", signed_in(404), spare_theirs, label="other-event"),
            Row(delete, "POST", signed_in(404), spare_theirs, label="other-event",
                data=CONFIRMED, effect=deleted("b", spare)),
        ]
    # Move up / Move down, for the parts with an order: the spare theme (order 9) goes
    # before the theme; the only challenge is already first, so the move is refused.
    rows += [
        Row("organise_theme_move", "POST", console(302), part("a", "spare_theme"),
            data=UP, effect=changed("a", "spare_theme", order=0)),
        Row("organise_theme_move", "POST", signed_in(404), part("a", "spare_theme", of="b"),
            label="other-event", data=UP, effect=changed("b", "spare_theme", order=0)),
        Row("organise_theme_move", "GET", signed_in(405), part("a", "spare_theme")),
        Row("organise_challenge_move", "POST", console(302), part("a", "challenge"), data=UP,
            label="already-first"),
        Row("organise_challenge_move", "POST", signed_in(404), part("a", "challenge", of="b"),
            label="other-event", data=UP),
    ]
    return rows


def participant_token(world: World) -> dict:
    token, _ = account_services.api_token_create(
        user=world.people["participant"], name="script", days=90
    )
    return {"pk": token.pk}


def participant_token_revoked(world: World) -> bool:
    return not ApiToken.objects.filter(auth_token__user=world.people["participant"]).exists()


def participant_unsubscribe_token(world: World) -> dict:
    return {"token": unsubscribe_token(world.people["participant"])}


def own_account() -> list[Row]:
    # Effects here depend on who is signed in, so these rows check statuses only.
    return [
        Row("account_profile", "GET", signed_in(200)),
        Row("account_profile", "POST", signed_in(302), data=constant({"display_name": "New"})),
        # Creating answers 200: the page shows the new key on that response only.
        Row("account_api_token_create", "POST", signed_in(200),
            data=constant({"name": "script", "days": "90"})),
        Row("account_api_token_create", "GET", signed_in(405)),
        # The participant's token: only its owner may revoke it.
        Row("account_api_token_revoke", "POST",
            expect(f"anonymous:{LOGIN} participant:302 "
                   f"{NO_ROLE},{JUDGES},volunteer,mentor,team_member,team_lead,other_organiser,"
                   "organiser,superuser:404"),
            participant_token, effect=participant_token_revoked),
        Row("account_api_token_revoke", "GET", signed_in(405), participant_token),
        Row("account_data_export", "GET", signed_in(200)),
        Row("account_optional_email", "POST", signed_in(302), data=constant({})),
        Row("account_optional_email", "GET", signed_in(405)),
        # The signed token in the link is the whole right: whoever holds the
        # participant's link may stop (and resume) their optional mail, and nothing else.
        Row("email_unsubscribe", "GET", everyone(200), participant_unsubscribe_token),
        Row("email_unsubscribe", "POST", everyone(200), participant_unsubscribe_token),
        Row("account_delete", "GET", signed_in(200)),
        # A superuser may not delete itself: the form is shown again with the reason.
        Row("account_delete", "POST",
            expect(f"anonymous:{LOGIN} {OUTSIDERS},organiser:302 superuser:200"),
            data=constant({"password": PASSWORD})),
    ]


def allauth_pages() -> list[Row]:
    bad_confirmation = constant({"key": "bogus-confirmation-key"})
    bad_reset = constant({"uidb36": "zz", "key": "set-password-bogus-key"})
    return [
        Row("account_login", "GET", signed_out_only(200)),
        Row("account_logout", "GET", expect(f"anonymous:302 {SIGNED_IN}:200")),
        Row("account_logout", "POST", everyone(302)),
        Row("account_inactive", "GET", everyone(200)),
        Row("account_signup", "GET", signed_out_only(200)),
        Row("account_reauthenticate", "GET", signed_in(200)),
        # Reauthenticating by emailed code: the form that asks for one; nobody here has
        # asked, so the confirmation page sends the signed-in back to reauthenticate.
        Row("account_request_reauthentication_code", "GET", signed_in(200)),
        Row("account_confirm_reauthentication_code", "GET", signed_in(302)),
        Row("account_email", "GET", signed_in(200)),
        Row("account_email_verification_sent", "GET", everyone(200)),
        Row("account_change_password", "GET", signed_in(200)),
        # Everyone here has a password, so "set" sends them on to "change".
        Row("account_set_password", "GET", signed_in(302)),
        Row("account_reset_password", "GET", everyone(200)),
        Row("account_reset_password_done", "GET", everyone(200)),
        # No login is pending: allauth sends the anonymous to sign in, the rest home.
        Row("account_confirm_login_code", "GET", everyone(302)),
        # A bad key gets allauth's "link invalid or expired" page, not an error.
        Row("account_confirm_email", "GET", everyone(200), bad_confirmation),
        Row("account_reset_password_from_key", "GET", everyone(200), bad_reset),
        Row("account_reset_password_from_key_done", "GET", everyone(200)),
    ]


def api() -> list[Row]:
    new_event = event_fields("a", name=NEW_EVENT, api=True)
    renamed = event_fields("a", name="Event A, renamed", api=True)
    tagline = {"tagline": "Now with more data"}
    rows = [
        Row("api:event-list", "GET", everyone(200)),
        Row("api:event-list", "POST", superuser_only(201, anonymous=API_ANONYMOUS),
            data=new_event, effect=new_event_exists),
        Row("api:event-detail", "GET", everyone(200), A),
        Row("api:event-detail", "GET", draft(200), D, label="draft"),
        Row("api:event-detail", "PUT", api_write(200), A, data=renamed,
            effect=changed("a", "event", name="Event A, renamed")),
        Row("api:event-detail", "PATCH", api_write(200), A, data=constant(tagline),
            effect=changed("a", "event", **tagline)),
        Row("api:event-detail", "PATCH", draft(200), D, data=constant(tagline), label="draft",
            effect=changed("d", "event", **tagline)),
        # As in the console: B's organiser may not name a draft they cannot see as B's
        # previous event; D must answer as if it did not exist (400, no such slug).
        Row("api:event-detail", "PATCH",
            expect(f"anonymous:{API_ANONYMOUS} {NO_ROLE},{PARTICIPANTS},{JUDGES},volunteer,mentor,"
                   "organiser:403 "
                   "other_organiser:400 "
                   "superuser:200"),
            B, data=constant({"previous_event": "event-d"}),
            label="previous-event-foreign-draft", effect=b_follows_d),
        # Events have no destroy action: 405 for any slug, existing or not, so nothing
        # leaks and nothing is deleted.
        Row("api:event-detail", "DELETE", everyone(405), A, effect=deleted("a", "event")),
        Row("api:event-detail", "DELETE", everyone(405), D, label="draft",
            effect=deleted("d", "event")),
        Row("api:event-publish", "POST", api_write(200), A, data=constant({"published": False}),
            label="unpublish", effect=changed("a", "event", is_published=False)),
        Row("api:event-publish", "POST", draft(200), D, data=constant({"published": True}),
            label="draft", effect=changed("d", "event", is_published=True)),
        Row("api:me", "GET", signed_in(200, anonymous=API_ANONYMOUS)),
        Row("api:me", "PATCH", signed_in(200, anonymous=API_ANONYMOUS),
            data=constant({"display_name": "New Name"})),
        Row("api:skill-list", "GET", everyone(200)),
        # The questionnaire follows the event's visibility, anonymous readers included.
        Row("api:question-list", "GET", everyone(200), A_API),
        Row("api:question-list", "GET", draft(200), D_API, label="draft"),
    ]
    for kind in API_KINDS:
        rows += api_kind_rows(kind)
    return rows


class ApiKind(NamedTuple):
    """How to write one kind of an event's parts through the API."""

    basename: str  # the router's
    attr: str  # its attribute in world.py's EventParts
    spare: str  # the attribute of one that may be deleted
    lookup: str  # the URL's lookup field
    model: type
    create: Callable[[str], Data]  # valid data for a new one in event `key`
    created: dict  # fields identifying the new one
    update: Data  # valid data for a PUT to A's
    updated: dict  # fields the PUT sets
    patch: dict  # a PATCH, which sets exactly these fields


API_KINDS = (
    ApiKind("theme", "theme", "spare_theme", "slug", Theme,
            create=lambda key: THEME_FORM, created={"name": NEW_THEME},
            update=THEME_FORM, updated={"name": NEW_THEME},
            patch={"description": "Buses and trams."}),
    ApiKind("challenge", "challenge", "challenge", "slug", Challenge,
            create=lambda key: challenge_fields(key, title="New challenge", api=True),
            created={"title": "New challenge"},
            update=challenge_fields("a", title="Renamed challenge", api=True),
            updated={"title": "Renamed challenge"},
            patch={"brief": "A sharper brief."}),
    ApiKind("schedule-item", "schedule_item", "schedule_item", "pk", ScheduleItem,
            create=lambda key: schedule_fields(key, title="New session", api=True),
            created={"title": "New session"},
            update=schedule_fields("a", title="Renamed session", api=True),
            updated={"title": "Renamed session"},
            patch={"location": "Room 2"}),
)


def api_kind_rows(kind: ApiKind) -> list[Row]:
    """An event's themes, challenges or schedule: read like the event, written by its
    managers. B's objects addressed under A's URL answer 404 to those who may write A
    (and 403, as any write to A does, to those who may not)."""
    listing, detail = f"api:{kind.basename}-list", f"api:{kind.basename}-detail"
    attr, spare, lookup, patch = kind.attr, kind.spare, kind.lookup, constant(kind.patch)
    own, own_spare = api_part("a", attr, lookup), api_part("a", spare, lookup)
    in_draft, spare_in_draft = api_part("d", attr, lookup), api_part("d", spare, lookup)
    theirs, spare_theirs = api_part("a", attr, lookup, of="b"), api_part("a", spare, lookup, of="b")
    return [
        Row(listing, "GET", everyone(200), A_API),
        Row(listing, "GET", draft(200), D_API, label="draft"),
        Row(listing, "POST", api_write(201), A_API, data=kind.create("a"),
            effect=created(kind.model, "a", **kind.created)),
        Row(listing, "POST", draft(201), D_API, data=kind.create("d"), label="draft",
            effect=created(kind.model, "d", **kind.created)),
        Row(detail, "GET", everyone(200), own),
        Row(detail, "GET", draft(200), in_draft, label="draft"),
        Row(detail, "PUT", api_write(200), own, data=kind.update,
            effect=changed("a", attr, **kind.updated)),
        Row(detail, "PATCH", api_write(200), own, data=patch,
            effect=changed("a", attr, **kind.patch)),
        Row(detail, "PATCH", draft(200), in_draft, data=patch, label="draft",
            effect=changed("d", attr, **kind.patch)),
        Row(detail, "DELETE", api_write(204), own_spare, effect=deleted("a", spare)),
        Row(detail, "DELETE", draft(204), spare_in_draft, label="draft",
            effect=deleted("d", spare)),
        Row(detail, "GET", everyone(404), theirs, label="other-event"),
        Row(detail, "PATCH", api_write(404), theirs, data=patch, label="other-event",
            effect=changed("b", attr, **kind.patch)),
        Row(detail, "DELETE", api_write(404), spare_theirs, label="other-event",
            effect=deleted("b", spare)),
    ]


def site() -> list[Row]:
    admin_login = expect(f"anonymous:{LOGIN} {OUTSIDERS},organiser:403 superuser:302")
    return [
        Row("healthz", "GET", everyone(200)),
        Row("api_schema", "GET", everyone(200)),
        Row("api_docs", "GET", everyone(200)),
        # A smoke check of the admin (the rest is exempt, below): staff only.
        Row("admin:index", "GET", expect(f"anonymous,{OUTSIDERS},organiser:302 superuser:200")),
        # The admin's own password form is replaced by the site's throttled sign-in.
        Row("admin:login", "GET", admin_login),
        Row("admin:login", "POST", admin_login,
            data=constant({"username": "superuser@example.org", "password": PASSWORD})),
    ]
# fmt: on


# --- Teams ------------------------------------------------------------------------------

# Who may see A's teams and board: those taking part, its mentor and its managers.
TEAM_VIEWERS = f"{PARTICIPANTS},mentor,{MANAGERS}"
NOT_TEAM_VIEWERS = f"{NO_ROLE},{JUDGES},volunteer,other_organiser"
NOT_LEAD = (
    f"{NO_ROLE},participant,{JUDGES},volunteer,mentor,team_member,other_organiser,"
    "organiser,superuser"
)
NOT_IN_A1 = f"{NO_ROLE},participant,{JUDGES},volunteer,mentor,other_organiser,organiser,superuser"


def team_a1(world: World) -> dict:
    return {"pk": world.team.pk}


def team_b1(world: World) -> dict:
    return {"pk": world.team_b.pk}


def member_of_a1(world: World) -> dict:
    return {"pk": world.team.pk, "user_pk": world.people["team_member"].pk}


def a1_invite(world: World) -> dict:
    return {"code": world.team.invite_code}


def a1_has(**values) -> Effect:
    return lambda w: Team.objects.filter(pk=w.team.pk, **values).exists()


def a1_disbanded(w: World) -> bool:
    return Team.objects.filter(pk=w.team.pk, disbanded_at__isnull=False).exists()


def in_a1(person: str) -> Effect:
    return lambda w: w.team.memberships.filter(user=w.people[person]).exists()


def help_is(status: str) -> Effect:
    return lambda w: HelpRequest.objects.filter(pk=w.help_request.pk, status=status).exists()


def help_step(step: str) -> Kwargs:
    return lambda w: {"pk": w.help_request.pk, "step": step}


def matching_run(*, under: str = "a", name: str = "slug") -> Kwargs:
    """A proposal for A (made when the row runs), addressed under event `under`."""

    def kwargs(w: World) -> dict:
        run = proposals.matching_propose(event=w.a.event, actor=None, seed=1)
        return {name: getattr(w, under).event.slug, "pk": run.pk}

    return kwargs


def api_team(*, under: str = "a") -> Kwargs:
    return lambda w: {"event_slug": getattr(w, under).event.slug, "pk": w.team.pk}


def api_help(w: World) -> dict:
    return {"event_slug": w.a.event.slug, "pk": w.help_request.pk}


def api_everyone_but(
    allowed: str, ok: int, *, refused: int = 403, besides: dict[int, str] | None = None
) -> dict[str, Expected]:
    """An API route of published A: `allowed` get `ok`, the roles in `besides` the status
    they are listed under, every other signed-in role `refused`; anonymous 401."""
    table: dict[str, Expected] = dict.fromkeys(SIGNED_IN.split(","), refused)
    table |= dict.fromkeys(allowed.split(","), ok)
    for status, roles in (besides or {}).items():
        table |= dict.fromkeys(roles.split(","), status)
    return {"anonymous": API_ANONYMOUS, **table}


def run_status(status: str) -> Effect:
    return lambda w: MatchingRun.objects.filter(event=w.a.event, status=status).exists()


# fmt: off
def team_rows() -> list[Row]:
    """Teams of A: seen by those taking part, its mentor and managers; changed by the
    people in them (the lead for most changes); another event's team answers 404."""
    return [
        Row("team_board", "GET", expect(
            f"anonymous:{LOGIN} {TEAM_VIEWERS}:200 {NOT_TEAM_VIEWERS}:403"), A),
        Row("team_board", "GET", console(200), D, label="draft"),
        Row("team_create", "GET", expect(
            f"anonymous:{LOGIN} participant:200 team_member,team_lead:302 "
            f"{NOT_REGISTERED}:403"), A),
        Row("team_create", "POST", expect(
            f"anonymous:{LOGIN} participant:302 team_member,team_lead:400 "
            f"{NOT_REGISTERED}:403"), A, data=constant({"name": "New team"}),
            effect=lambda w: Team.objects.filter(event=w.a.event, name="New team").exists()),
        Row("team_looking", "GET", expect(
            f"anonymous:{LOGIN} {PARTICIPANTS}:200 {NOT_REGISTERED}:403"), A),
        Row("team_looking", "POST", expect(
            f"anonymous:{LOGIN} participant:302 team_member,team_lead:400 "
            f"{NOT_REGISTERED}:403"), A, data=constant({"action": "board", "pitch": "Maps"}),
            effect=lambda w: BoardEntry.objects.filter(event=w.a.event).exists()),
        Row("team_partner_remove", "POST", expect(
            f"anonymous:{LOGIN} participant:302 team_member,team_lead:404 "
            f"{NOT_REGISTERED}:403"),
            lambda w: {"slug": w.a.event.slug, "pk": w.partner.pk},
            effect=lambda w: not PartnerPreference.objects.filter(pk=w.partner.pk).exists()),
        Row("team_join", "GET", signed_in(200), a1_invite),
        Row("team_join", "POST", expect(
            f"anonymous:{LOGIN} participant:302 team_member,team_lead:409 "
            f"{NOT_REGISTERED}:403"), a1_invite, effect=in_a1("participant")),
        Row("team_detail", "GET", expect(
            f"anonymous:{LOGIN} {TEAM_VIEWERS}:200 {NOT_TEAM_VIEWERS}:404"), team_a1),
        # B1 is B's: its organiser and superusers see it; A's people get 404.
        Row("team_detail", "GET", expect(
            f"anonymous:{LOGIN} {NO_ROLE},{PARTICIPANTS},{JUDGES},volunteer,mentor,organiser:404 "
            "other_organiser,superuser:200"), team_b1, label="other-event"),
        Row("team_edit", "GET", expect(f"anonymous:{LOGIN} team_lead:200 {NOT_LEAD}:404"),
            team_a1),
        Row("team_edit", "POST", expect(f"anonymous:{LOGIN} team_lead:302 {NOT_LEAD}:404"),
            team_a1, data=constant({"name": "A1 renamed", "accepts_requests": "on"}),
            effect=a1_has(name="A1 renamed")),
        # The participant has already asked; a member is told they are in a team: both
        # are sent back to the team's page with the reason, so no write is checked here.
        Row("team_request", "POST", expect(
            f"anonymous:{LOGIN} {TEAM_VIEWERS}:302 {NOT_TEAM_VIEWERS}:404"), team_a1),
        Row("team_request_decide", "POST", expect(
            f"anonymous:{LOGIN} team_lead:302 {NOT_LEAD}:404"),
            lambda w: {"pk": w.join_request.pk}, data=constant({"approve": "1"}),
            effect=in_a1("participant")),
        Row("team_request_withdraw", "POST", expect(
            f"anonymous:{LOGIN} participant:302 {NOT_THEIRS}:404"),
            lambda w: {"pk": w.join_request.pk},
            effect=lambda w: JoinRequest.objects.filter(
                pk=w.join_request.pk, status="withdrawn").exists()),
        # Leaving and disbanding ask first: a GET or a POST without `confirmed` shows the
        # question and changes nothing; the lead's own leaving is refused with a reason.
        Row("team_leave", "GET", expect(
            f"anonymous:{LOGIN} team_member,team_lead:200 {NOT_IN_A1}:404"), team_a1),
        Row("team_leave", "POST", expect(
            f"anonymous:{LOGIN} team_member,team_lead:200 {NOT_IN_A1}:404"), team_a1,
            label="asks", effect=lambda w: not in_a1("team_member")(w)),
        Row("team_leave", "POST", expect(
            f"anonymous:{LOGIN} team_member,team_lead:302 {NOT_IN_A1}:404"), team_a1,
            data=constant({"confirmed": "yes"})),
        Row("team_location", "POST", expect(
            f"anonymous:{LOGIN} team_member,team_lead:302 {NOT_IN_A1}:404"), team_a1,
            data=constant({"location": "Table 4"}), effect=a1_has(location="Table 4")),
        Row("team_member_remove", "POST", expect(
            f"anonymous:{LOGIN} team_lead:302 {NOT_LEAD}:404"), member_of_a1,
            effect=lambda w: not in_a1("team_member")(w)),
        Row("team_lead_transfer", "POST", expect(
            f"anonymous:{LOGIN} team_lead:302 {NOT_LEAD}:404"), member_of_a1,
            effect=lambda w: w.team.memberships.filter(
                user=w.people["team_member"], role="lead").exists()),
        Row("team_disband", "GET", expect(f"anonymous:{LOGIN} team_lead:200 {NOT_LEAD}:404"),
            team_a1),
        Row("team_disband", "POST", expect(f"anonymous:{LOGIN} team_lead:200 {NOT_LEAD}:404"),
            team_a1, label="asks", effect=a1_disbanded),
        Row("team_disband", "POST", expect(f"anonymous:{LOGIN} team_lead:302 {NOT_LEAD}:404"),
            team_a1, data=constant({"confirmed": "yes"}), effect=a1_disbanded),
        Row("team_invite_regenerate", "POST", expect(
            f"anonymous:{LOGIN} team_lead:302 {NOT_LEAD}:404"), team_a1,
            effect=lambda w: not a1_has(invite_code=w.team.invite_code)(w)),
        Row("help_raise", "POST", expect(
            f"anonymous:{LOGIN} team_member,team_lead:302 {NOT_IN_A1}:404"), team_a1,
            data=constant({"topic": "Mapping postcodes"}),
            effect=lambda w: HelpRequest.objects.filter(topic="Mapping postcodes").exists()),
        Row("help_queue", "GET", expect(
            f"anonymous:{LOGIN} mentor,{MANAGERS}:200 "
            f"{NO_ROLE},{PARTICIPANTS},{JUDGES},volunteer,other_organiser:404"), A),
        Row("help_queue_live", "GET", expect(
            f"anonymous:{LOGIN} mentor,{MANAGERS}:200 "
            f"{NO_ROLE},{PARTICIPANTS},{JUDGES},volunteer,other_organiser:404"), A),
        Row("help_queue_live", "GET", expect(
            f"anonymous:{LOGIN} {OUTSIDERS}:404 {MANAGERS}:200"), D, label="draft"),
        Row("help_move", "POST", expect(
            f"anonymous:{LOGIN} mentor,{MANAGERS}:302 "
            f"{NO_ROLE},{PARTICIPANTS},{JUDGES},volunteer,other_organiser:404"),
            help_step("claim"), label="claim", effect=help_is("claimed")),
        Row("help_move", "POST", expect(
            f"anonymous:{LOGIN} mentor,team_member,team_lead,{MANAGERS}:302 "
            f"{NO_ROLE},participant,{JUDGES},volunteer,other_organiser:404"),
            help_step("resolve"), label="resolve", effect=help_is("resolved")),
        # The organisers' side: team sizes and matching.
        Row("teams_console", "GET", console(200), A),
        Row("teams_console", "GET", console(200), D, label="draft"),
        Row("teams_console", "POST", console(302), A,
            data=constant({"min_size": "3", "max_size": "4"}),
            effect=lambda w: TeamPolicy.objects.filter(event=w.a.event, min_size=3).exists()),
        Row("teams_matching", "GET", console(200), A),
        Row("teams_matching", "POST", console(302), A, data=constant({"seed": "1"}),
            effect=lambda w: MatchingRun.objects.filter(event=w.a.event).exists()),
        # Only the participant is free, too few for a team: the move is refused with a
        # message, so no write is checked here (tests/teams covers moves).
        Row("teams_matching_move", "POST", console(302), matching_run(),
            data=constant({"user": "0", "to": "new"})),
        Row("teams_matching_apply", "POST", console(302), matching_run(),
            effect=run_status("applied")),
        Row("teams_matching_discard", "POST", console(302), matching_run(),
            effect=run_status("discarded")),
        Row("teams_matching_discard", "POST", expect(
            f"anonymous:{LOGIN} {OUTSIDERS},organiser:404 superuser:404"),
            matching_run(under="b"), label="other-event"),
        *team_api_rows(),
    ]


def team_api_rows() -> list[Row]:
    """The same rules through the API: A is public, so a refusal says 403."""
    a1 = api_team()
    member = lambda w: {"user": w.people["team_member"].pk}  # noqa: E731 - a row's data
    return [
        Row("api:team-list", "GET", api_everyone_but(TEAM_VIEWERS, 200), A_API),
        Row("api:team-list", "GET", draft(200), D_API, label="draft"),
        Row("api:team-list", "POST", api_everyone_but(
            "participant", 201, besides={409: "team_member,team_lead"}), A_API,
            data=constant({"name": "API team"}),
            effect=lambda w: Team.objects.filter(name="API team").exists()),
        Row("api:team-detail", "GET", api_everyone_but(TEAM_VIEWERS, 200), a1),
        # A1 under B's URL is not among B's teams: 404 to everyone, asked or not.
        Row("api:team-detail", "GET", everyone(404), api_team(under="b"),
            label="other-event"),
        Row("api:team-detail", "PATCH", api_everyone_but("team_lead", 200), a1,
            data=constant({"description": "Maps of active travel"}),
            effect=a1_has(description="Maps of active travel")),
        Row("api:team-join", "POST", api_everyone_but(
            "participant", 200, besides={409: "team_member,team_lead"}), a1,
            data=lambda w: {"invite_code": w.team.invite_code}, effect=in_a1("participant")),
        # The participant has asked already, the members are in the team: 409 for all.
        Row("api:team-ask", "POST", api_everyone_but(PARTICIPANTS, 409), a1),
        Row("api:team-leave", "POST", api_everyone_but(
            "team_member", 204, besides={409: "team_lead"}), a1,
            effect=lambda w: not in_a1("team_member")(w)),
        Row("api:team-disband", "POST", api_everyone_but("team_lead", 204), a1,
            effect=lambda w: Team.objects.filter(
                pk=w.team.pk, disbanded_at__isnull=False).exists()),
        Row("api:team-new-invite", "POST", api_everyone_but("team_lead", 200), a1,
            effect=lambda w: not a1_has(invite_code=w.team.invite_code)(w)),
        Row("api:team-remove-member", "POST", api_everyone_but("team_lead", 200), a1,
            data=member, effect=lambda w: not in_a1("team_member")(w)),
        Row("api:team-transfer-lead", "POST", api_everyone_but("team_lead", 200), a1,
            data=member, effect=lambda w: w.team.memberships.filter(
                user=w.people["team_member"], role="lead").exists()),
        Row("api:team-request-list", "GET", signed_in(200, anonymous=API_ANONYMOUS)),
        # Requests are found among one's own and those to teams one leads; else 404.
        Row("api:team-request-decide", "POST", api_everyone_but(
            "team_lead", 200, refused=404, besides={403: "participant"}),
            lambda w: {"pk": w.join_request.pk}, data=constant({"approve": True}),
            effect=in_a1("participant")),
        Row("api:team-request-withdraw", "POST", api_everyone_but(
            "participant", 200, refused=404, besides={403: "team_lead"}),
            lambda w: {"pk": w.join_request.pk},
            effect=lambda w: JoinRequest.objects.filter(
                pk=w.join_request.pk, status="withdrawn").exists()),
        Row("api:board-entry-list", "GET", api_everyone_but(TEAM_VIEWERS, 200), A_API),
        Row("api:board-entry-me", "PUT", api_everyone_but(
            "participant", 200, besides={409: "team_member,team_lead"}), A_API,
            data=constant({"pitch": "Maps"}),
            effect=lambda w: BoardEntry.objects.filter(event=w.a.event).exists()),
        Row("api:board-entry-me", "DELETE", api_everyone_but(PARTICIPANTS, 204), A_API),
        Row("api:help-request-list", "GET", api_everyone_but(f"mentor,{MANAGERS}", 200),
            A_API),
        Row("api:help-request-list", "POST", api_everyone_but("team_member,team_lead", 201),
            A_API, data=lambda w: {"team": w.team.pk, "topic": "API help"},
            effect=lambda w: HelpRequest.objects.filter(topic="API help").exists()),
        Row("api:help-request-claim", "POST", api_everyone_but(f"mentor,{MANAGERS}", 200),
            api_help, effect=help_is("claimed")),
        # The request is open, so there is nothing to release.
        Row("api:help-request-release", "POST", api_everyone_but(f"mentor,{MANAGERS}", 409),
            api_help),
        Row("api:help-request-resolve", "POST", api_everyone_but(
            f"mentor,team_member,team_lead,{MANAGERS}", 200), api_help,
            effect=help_is("resolved")),
        Row("api:help-request-cancel", "POST", api_everyone_but(
            f"mentor,team_member,team_lead,{MANAGERS}", 200), api_help,
            effect=help_is("cancelled")),
        Row("api:matching-run-list", "GET", api_write(200), A_API),
        Row("api:matching-run-list", "GET", draft(200), D_API, label="draft"),
        Row("api:matching-run-list", "POST", api_write(201), A_API,
            data=constant({"seed": 1}),
            effect=lambda w: MatchingRun.objects.filter(event=w.a.event).exists()),
        Row("api:matching-run-detail", "GET", api_write(200),
            matching_run(name="event_slug")),
        Row("api:matching-run-move", "POST", api_write(400), matching_run(name="event_slug"),
            data=constant({"user": 0, "to": "new"})),
        Row("api:matching-run-apply", "POST", api_write(200), matching_run(name="event_slug"),
            effect=run_status("applied")),
        Row("api:matching-run-discard", "POST", api_write(200),
            matching_run(name="event_slug"), effect=run_status("discarded")),
    ]
# fmt: on


def catalogue_rows() -> list[Row]:
    # Imported here: these modules build their rows with this module's helpers.
    from tests.security import matrix_catalogue, matrix_editor, matrix_interop

    return [*matrix_catalogue.rows(), *matrix_editor.rows(), *matrix_interop.rows()]


def submission_rows() -> list[Row]:
    from tests.security import (
        matrix_submission_api,
        matrix_submission_organise,
        matrix_submission_pages,
    )

    return [
        *matrix_submission_pages.rows(),
        *matrix_submission_organise.rows(),
        *matrix_submission_api.rows(),
    ]


def judging_rows() -> list[Row]:
    from tests.security import (
        matrix_judging,
        matrix_judging_prizes,
        matrix_judging_results,
        matrix_judging_slots,
        matrix_judging_team,
    )

    return [
        *matrix_judging.rows(),
        *matrix_judging_slots.rows(),
        *matrix_judging_results.rows(),
        *matrix_judging_team.rows(),
        *matrix_judging_prizes.rows(),
    ]


def create_next_rows() -> list[Row]:
    from tests.security import matrix_create_next

    return matrix_create_next.rows()


def feedback_rows() -> list[Row]:
    from tests.security import matrix_feedback

    return matrix_feedback.rows()


ROWS: list[Row] = [
    *registration_rows(),
    *feedback_rows(),
    *catalogue_rows(),
    *submission_rows(),
    *judging_rows(),
    *team_rows(),
    *question_rows(),
    *public_pages(),
    *organiser_console(),
    *create_next_rows(),
    *own_account(),
    *allauth_pages(),
    *api(),
    *site(),
]

# Routes (fnmatch patterns over namespaced names) deliberately left out, with why.
EXEMPT: dict[str, str] = {
    "admin:*": (
        "Django's admin: every view is wrapped in AdminSite.admin_view, which admits only "
        "active staff (here, superusers) and is tested by Django; admin:index has a row "
        "as a smoke check."
    ),
}


def perform(row: Row, client, world: World):
    """Send `row`'s request with `client`; API rows send and accept JSON."""
    url = reverse(row.route, kwargs=row.kwargs(world))
    data = row.data(world) if row.data else None
    send = getattr(client, row.method.lower())
    if not row.is_api:
        return send(url, data)
    if row.method == "GET":
        return send(url, data, HTTP_ACCEPT="application/json")
    # With data=None the test client would send the body b"None"; an empty object is meant.
    body = data if data is not None else {}
    return send(url, body, content_type="application/json", HTTP_ACCEPT="application/json")


# --- Completeness over the URL resolver -------------------------------------------------


def named_routes(urlconf=None) -> set[str]:
    """Every named route under `urlconf` (a URLResolver, a urlconf module or its dotted
    path; by default the project's), namespaces composed as reverse() takes them."""
    resolver = urlconf if isinstance(urlconf, URLResolver) else get_resolver(urlconf)
    return set(_walk(resolver, prefix=""))


def _walk(resolver: URLResolver, *, prefix: str):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
            yield from _walk(pattern, prefix=inner)
        elif pattern.name:
            yield prefix + pattern.name


def is_exempt(route: str) -> bool:
    return any(fnmatch.fnmatchcase(route, pattern) for pattern in EXEMPT)


def routes_missing_from_matrix(urlconf=None, rows: list[Row] = ROWS) -> list[str]:
    """Named routes with no row and no exemption, sorted."""
    covered = {row.route for row in rows}
    missing = (r for r in named_routes(urlconf) if r not in covered and not is_exempt(r))
    return sorted(missing)
