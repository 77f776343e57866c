"""Registrations: applying, and the one state-transition service of their lifecycle.

Every change that takes or frees a seat runs with the event's RegistrationPolicy row
locked (common.locking), so the seat count is exact at any concurrency. A lock that
cannot be had in time answers "busy, please try again".
"""

import datetime

from allauth.account.models import EmailAddress
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from common.audit import audit_record
from common.exceptions import ApplicationError, raise_problems
from common.locking import hold_race_window, lock_capacity_row
from common.services import audited_create, audited_update
from common.transitions import check_move
from events.enums import Phase
from registration.enums import (
    LEAVABLE,
    REQUIRED_CONSENTS,
    SEAT_HOLDING,
    TAKING_PART,
    TRANSITIONS,
    Actor,
    AdmissionMode,
    ConsentKind,
    RegistrationStatus,
)
from registration.extensions import place_released
from registration.models import Answer, Consent, Question, Registration, RegistrationPolicy
from registration.notifications import notify_status
from registration.questionnaire import answers_clean
from registration.selectors import waitlist_position

S = RegistrationStatus

BUSY_MESSAGE = "Registration is busy right now; please try again in a moment."


def _lock_policy(event_id) -> RegistrationPolicy:
    """Lock the event's capacity row (see common.locking), read with the event."""
    policies = RegistrationPolicy.objects.select_related("event").filter(event_id=event_id)
    return lock_capacity_row(policies, busy_message=BUSY_MESSAGE)


def _free_seats(policy) -> int:
    return max(policy.event.capacity - policy.seats_held, 0)


def _has_free_seat(policy) -> bool:
    return _free_seats(policy) > 0


def _check_can_register(event, user, now):
    if event.phase(now) != Phase.REGISTRATION_OPEN:
        raise ApplicationError(
            "Registration for this event is not open.", code="registration_closed", status=403
        )
    if not EmailAddress.objects.filter(user=user, verified=True).exists():
        raise ApplicationError(
            "Please verify your email address before registering; we sent you a link.",
            code="email_unverified",
            status=403,
        )


def _clean_consents(consents) -> set[str]:
    given = set(consents)
    unknown = given - set(ConsentKind.values)
    missing = REQUIRED_CONSENTS - given
    problems = {kind: ["Unknown consent."] for kind in sorted(unknown)} | {
        kind: ["Please accept this to register."] for kind in sorted(missing)
    }
    raise_problems(problems, code="consent_required", label=_consent_label)
    return given


def _consent_label(kind) -> str:
    return ConsentKind(kind).label if kind in ConsentKind.values else kind


def _clean_theme_interests(event, themes) -> list:
    themes = list(themes)
    if any(theme.event_id != event.pk for theme in themes):
        raise ApplicationError(
            "Choose themes of this event.",
            code="invalid_themes",
            details={"theme_interests": ["Not a theme of this event."]},
        )
    return themes


def registration_create(
    *, event, user, answers=None, theme_interests=(), consents=(), now=None
) -> tuple[Registration, bool]:
    """Apply for `event`: (the registration, whether this is a new application). Someone
    who has one already gets theirs back, whatever they sent, so a double submit
    registers once; someone who stepped back (APPLY_AGAIN) applies anew, in the same row.

    First come, first served: confirmed while seats remain, else waitlisted. Organiser
    review: applied, until an organiser decides. Answers, consents and theme interests
    are checked before anything is locked or saved.
    """
    explicit_now = now
    now = now or timezone.now()
    try:
        _check_can_register(event, user, now)
        cleaned_answers = answers_clean(questions=event.questions.all(), raw=answers or {})
        given_consents = _clean_consents(consents)
        themes = _clean_theme_interests(event, theme_interests)
        with transaction.atomic():
            policy = _lock_policy(event.pk)
            status = _admission_status(policy)
            hold_race_window()
            # Stamped after the lock, so application order is the order seats were
            # decided in and a newcomer to the waiting list is last in it.
            registration = Registration.objects.create(
                event=event, user=user, status=status, applied_at=explicit_now or timezone.now()
            )
            _admit(registration, policy, None, user)
            _store_details(registration, cleaned_answers, given_consents, themes, now, new=True)
    except (ApplicationError, IntegrityError) as error:
        # Only now ask whether they are registered already: a new registration (nearly
        # every one) is spared the look, and a repeat that passes every check is
        # stopped by the one-per-person constraint on the INSERT.
        existing = Registration.objects.filter(event=event, user=user).first()
        if existing is None:
            if isinstance(error, IntegrityError):
                # Something it refers to went meanwhile (a question or theme deleted).
                raise ApplicationError(
                    "The event's registration form changed while you were registering; "
                    "please reload it and try again.",
                    code="form_changed",
                    status=409,
                ) from error
            raise
        if not existing.can_apply_again:
            return _with_position(existing), False
        if isinstance(error, ApplicationError):
            raise  # a new application, refused for what it says
        details = (cleaned_answers, given_consents, themes)
        return _apply_again(existing, details, now, explicit_now, user)
    return registration, True


def _admission_status(policy):
    """The status a new application gets: applied (organiser review), else confirmed
    while seats remain, else waitlisted. The policy must be locked."""
    if policy.mode == AdmissionMode.REVIEW:
        return S.APPLIED
    return S.CONFIRMED if _has_free_seat(policy) else S.WAITLISTED


def _admit(registration, policy, previous, actor) -> None:
    """Count, audit and announce an application that has just taken its status; `previous`
    is the status of the application it replaces, if any."""
    status = registration.status
    _recount(policy, previous, status)
    registration.waitlist_position = policy.waitlisted if status == S.WAITLISTED else None
    moved = {"from": previous, "by": Actor.PARTICIPANT} if previous else {}
    audit_record(actor=actor, action=f"registration.{status}", target=registration, data=moved)
    notify_status(registration, position=registration.waitlist_position)


@transaction.atomic
def _apply_again(registration, details, now, explicit_now, user) -> tuple[Registration, bool]:
    """A new application in the row of one that was withdrawn, cancelled or let pass
    (one row per person and event, a database constraint): it takes its status as any
    new one does and joins the back of the queue; the old answers and consents go."""
    policy = _lock_policy(registration.event_id)
    # Read again under the lock: every status change holds it, so this is current.
    current = Registration.objects.select_related("event", "user").get(pk=registration.pk)
    if not current.can_apply_again:  # re-applied or moved meanwhile
        return _with_position(current), False
    previous, admitted = current.status, _admission_status(policy)
    _check_registration_move(previous, admitted, Actor.PARTICIPANT)
    current.status = admitted
    current.applied_at = explicit_now or timezone.now()  # after the lock, as a new one is
    current.offered_at = current.offer_expires_at = current.checked_in_at = None
    # The cancelled place's ticket code must not come back to life with the new one.
    current.ticket_code_hash, current.ticket_issued_at = "", None
    current.save(
        update_fields=[
            "status", "applied_at", "offered_at", "offer_expires_at", "checked_in_at",
            "ticket_code_hash", "ticket_issued_at", "updated_at",
        ]
    )  # fmt: skip
    current.answers.all().delete()
    current.consents.all().delete()
    _admit(current, policy, previous, user)
    _store_details(current, *details, now)
    return current, True


def _with_position(registration):
    registration.waitlist_position = waitlist_position(registration)
    return registration


def _recount(policy, before, after) -> None:
    """Keep the policy's counts right as one registration goes from status `before` to
    `after` (None: it did not exist). The policy must be locked."""
    held = (after in SEAT_HOLDING) - (before in SEAT_HOLDING)
    waiting = (after == S.WAITLISTED) - (before == S.WAITLISTED)
    if held or waiting:
        policy.seats_held += held
        policy.waitlisted += waiting
        policy.save(update_fields=["seats_held", "waitlisted"])


def _store_details(registration, answers, consents, themes, now, *, new=False):
    Answer.objects.bulk_create(
        Answer(registration=registration, question=question, value=value)
        for question, value in answers
    )
    versions = settings.REGISTRATION_CONSENT_VERSIONS
    Consent.objects.bulk_create(
        Consent(registration=registration, kind=kind, version=versions[kind], accepted_at=now)
        for kind in sorted(consents)
    )
    if new:  # nothing to replace: one INSERT instead of set()'s read and write
        through = Registration.theme_interests.through
        through.objects.bulk_create(
            through(registration_id=registration.pk, theme_id=theme.pk) for theme in themes
        )
    else:
        registration.theme_interests.set(themes)


@transaction.atomic
def registration_details_update(
    *, registration, answers, theme_interests, consents, actor, now=None
) -> Registration:
    """Change one's answers, theme interests and optional consents while registration is
    open. Everything is checked first; a bad answer changes nothing."""
    now = now or timezone.now()
    event = registration.event
    if event.phase(now) != Phase.REGISTRATION_OPEN:
        raise ApplicationError(
            "Registration has closed, so answers can no longer be changed; please contact "
            "the organisers.",
            code="registration_closed",
            status=403,
        )
    if registration.status not in LEAVABLE:
        raise ApplicationError(
            f"A registration that is {registration.get_status_display().lower()} cannot be "
            "changed.",
            code="invalid_transition",
            status=409,
        )
    cleaned_answers = answers_clean(questions=event.questions.all(), raw=answers or {})
    given_consents = _clean_consents(consents)
    themes = _clean_theme_interests(event, theme_interests)
    registration.answers.all().delete()
    # A consent kept keeps the version and time it was first given; a new one is stamped now.
    registration.consents.exclude(kind__in=given_consents).delete()
    already = set(registration.consents.values_list("kind", flat=True))
    _store_details(registration, cleaned_answers, given_consents - already, themes, now)
    audit_record(actor=actor, action="registration.details_updated", target=registration)
    return registration


def _check_registration_move(start, to, by) -> None:
    check_move(
        TRANSITIONS, noun="a registration", statuses=S, actors=Actor, start=start, to=to, by=by
    )


@transaction.atomic
def registration_transition(*, registration, to, by: Actor, actor=None, now=None) -> Registration:
    """Move a registration to status `to` on behalf of `by` (who is moving it: the
    participant, an organiser, the door or the sweep), keeping the seat count and the
    waitlist right.

    The only place a registration's status changes after it is created; the move must be
    one `by` may make in the lifecycle table (registration.enums.TRANSITIONS).
    """
    now = now or timezone.now()
    policy = _lock_policy(registration.event_id)
    # Read again under the lock: every status change holds it, so this is current.
    current = Registration.objects.select_related("event", "user").get(pk=registration.pk)
    _check_registration_move(current.status, to, by)
    if to == S.OFFERED and not offers_open(current.event, now):
        raise ApplicationError(
            "The event has started, so no place can be offered any more.",
            code="event_started",
            status=409,
        )
    takes_seat = to in SEAT_HOLDING and current.status not in SEAT_HOLDING
    frees_seat = current.status in SEAT_HOLDING and to not in SEAT_HOLDING
    if takes_seat and not _has_free_seat(policy):
        raise ApplicationError(
            "The event is full.",
            code="event_full",
            status=409,
            details={"capacity": [policy.event.capacity]},
        )
    hold_race_window()
    previous = current.status
    _apply_status(current, to, now, policy)
    _recount(policy, previous, to)
    audit_record(
        actor=actor, action=f"registration.{to}", target=current, data={"from": previous, "by": by}
    )
    notify_status(current)
    if previous in TAKING_PART and to not in TAKING_PART:
        place_released.send(sender=Registration, registration=current, now=now)
    if frees_seat:
        _offer_free_seats(policy, now)
    return current


def _apply_status(registration, to, now, policy):
    registration.status = to
    fields = ["status", "updated_at"]
    if to == S.OFFERED:
        window = datetime.timedelta(hours=policy.offer_window_hours)
        registration.offered_at, registration.offer_expires_at = now, now + window
        fields += ["offered_at", "offer_expires_at"]
    if to == S.CHECKED_IN:
        registration.checked_in_at = now
        fields.append("checked_in_at")
    registration.save(update_fields=fields)


def offers_open(event, now=None) -> bool:
    """Whether a seat may still be offered: not once the event has started, when nobody
    could take it up (neither by the system nor by an organiser)."""
    return (now or timezone.now()) < event.starts_at


def _offer_free_seats(policy, now) -> int:
    """Offer each free seat to the next waitlisted person (the policy is locked, so
    those next in line are read at once); returns how many offers were made."""
    if not offers_open(policy.event, now):
        return 0
    next_in_line = (
        Registration.objects.filter(event=policy.event, status=S.WAITLISTED)
        .select_related("event", "user")
        .order_by("applied_at", "id")[: _free_seats(policy)]
    )
    for registration in next_in_line:
        _apply_status(registration, S.OFFERED, now, policy)
        _recount(policy, S.WAITLISTED, S.OFFERED)
        audit_record(
            actor=None,
            action="registration.offered",
            target=registration,
            data={"from": S.WAITLISTED, "by": Actor.SWEEP},
        )
        notify_status(registration)
    return len(next_in_line)


def offers_expire(*, now=None) -> int:
    """Expire every offer past its window, passing each seat on. Returns how many."""
    now = now or timezone.now()
    expired = Registration.objects.filter(status=S.OFFERED, offer_expires_at__lte=now)
    count = 0
    for registration in expired.select_related("event"):
        try:
            registration_transition(
                registration=registration, to=S.EXPIRED, by=Actor.SWEEP, now=now
            )
        except ApplicationError:
            continue  # accepted or withdrawn meanwhile: nothing to expire
        count += 1
    return count


def registration_leave(*, registration, actor) -> Registration:
    """The participant steps back: a held place is cancelled, anything else withdrawn."""
    to = S.CANCELLED if registration.status == S.CONFIRMED else S.WITHDRAWN
    return registration_transition(
        registration=registration, to=to, by=Actor.PARTICIPANT, actor=actor
    )


def registration_answer_offer(*, registration, accept: bool, actor, now=None) -> Registration:
    to = S.CONFIRMED if accept else S.OFFER_DECLINED
    if registration.status != S.OFFERED:
        raise ApplicationError("There is no open offer to answer.", code="no_offer", status=409)
    if accept and (now or timezone.now()) >= registration.event.ends_at:
        raise ApplicationError(
            "The event is over, so this place can no longer be taken.",
            code="event_over",
            status=409,
        )
    if registration.offer_has_lapsed(now):
        # Past its window the seat belongs to the next in line, whether or not the
        # sweep has passed it on yet.
        raise ApplicationError(
            "This offer has expired, so the place has passed to the next person waiting.",
            code="offer_expired",
            status=409,
        )
    return registration_transition(
        registration=registration, to=to, by=Actor.PARTICIPANT, actor=actor
    )


DOOR_OPEN_PHASES = frozenset({Phase.REGISTRATION_OPEN, Phase.REGISTRATION_CLOSED, Phase.RUNNING})
WALK_IN_NAME_MAX = Registration._meta.get_field("walk_in_name").max_length


def registration_walk_in(*, event, name, consents, actor, now=None) -> Registration:
    """Someone without a registration arrives at the door: checked in while seats remain.

    They need no account; the name they give is all that is kept about them, with the
    consents they accepted at the door.
    """
    now = now or timezone.now()
    name = " ".join(str(name or "").split())
    if not name:
        raise ApplicationError(
            "Name: give the walk-in's name.", code="invalid", details={"name": ["Required."]}
        )
    if len(name) > WALK_IN_NAME_MAX:
        raise ApplicationError(
            f"Name: at most {WALK_IN_NAME_MAX} characters.",
            code="invalid",
            details={"name": [f"At most {WALK_IN_NAME_MAX} characters."]},
        )
    if event.phase(now) not in DOOR_OPEN_PHASES:
        raise ApplicationError(
            "Walk-ins can be added from the opening of registration until the event ends.",
            code="door_closed",
            status=409,
        )
    given_consents = _clean_consents(consents)
    with transaction.atomic():
        policy = _lock_policy(event.pk)
        if not _has_free_seat(policy):
            raise ApplicationError(
                "The event is full: there is no seat for a walk-in.",
                code="event_full",
                status=409,
                details={"capacity": [event.capacity]},
            )
        registration = Registration.objects.create(
            event=event,
            walk_in=True,
            walk_in_name=name,
            status=S.CHECKED_IN,
            applied_at=now,
            checked_in_at=now,
        )
        _recount(policy, None, S.CHECKED_IN)
        _store_details(registration, [], given_consents, [], now, new=True)
        audit_record(actor=actor, action="registration.walk_in", target=registration)
    return registration


def registration_check_in(*, registration, actor) -> Registration:
    """At the door: a confirmed participant is checked in (once)."""
    if registration.status == S.CHECKED_IN:
        raise ApplicationError(
            f"{registration.person_name} is already checked in.",
            code="already_checked_in",
            status=409,
        )
    return registration_transition(
        registration=registration, to=S.CHECKED_IN, by=Actor.DOOR, actor=actor
    )


def sensitive_answers_erase(*, now=None) -> int:
    """Delete sensitive answers (access, dietary needs) once their event is long over.

    Runs daily; REGISTRATION_SENSITIVE_RETENTION_DAYS after an event ends, what only
    its organisers needed for the day is gone. Returns how many answers were erased.
    """
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=settings.REGISTRATION_SENSITIVE_RETENTION_DAYS)
    erased, _ = Answer.objects.filter(
        question__sensitive=True, registration__event__ends_at__lt=cutoff
    ).delete()
    return erased


def walk_in_names_erase(*, now=None) -> int:
    """Erase walk-ins' names once their event is long over; returns how many.

    Runs daily with sensitive_answers_erase; REGISTRATION_WALK_IN_RETENTION_DAYS after an
    event ends, a walk-in is a counted, unnamed check-in (`walk_in` stays set).
    """
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=settings.REGISTRATION_WALK_IN_RETENTION_DAYS)
    return (
        Registration.objects.filter(walk_in=True, event__ends_at__lt=cutoff)
        .exclude(walk_in_name="")
        .update(walk_in_name="", updated_at=now)
    )


def no_shows_mark(*, now=None) -> int:
    """After an event, confirmed but never checked in becomes no-show. Returns how many."""
    now = now or timezone.now()
    missing = list(
        Registration.objects.filter(status=S.CONFIRMED, event__ends_at__lte=now).select_related(
            "event"
        )
    )
    for registration in missing:
        registration_transition(registration=registration, to=S.NO_SHOW, by=Actor.SWEEP, now=now)
    return len(missing)


@transaction.atomic
def seats_offer_free(*, event, now=None) -> int:
    """Offer any seats that are free (after capacity was raised) to those waiting;
    returns how many offers were sent."""
    now = now or timezone.now()
    return _offer_free_seats(_lock_policy(event.pk), now)


# --- The questionnaire, edited by organisers --------------------------------------------

QUESTION_FIELDS = ("label", "help_text", "kind", "choices", "required", "sensitive", "order")


@transaction.atomic
def question_create(*, actor, event, **fields) -> Question:
    return audited_create(Question, actor=actor, action="question.created", event=event, **fields)


@transaction.atomic
def question_update(*, actor, question, **fields) -> Question:
    if question.answers.exists() and fields.get("kind", question.kind) != question.kind:
        raise ApplicationError(
            "People have answered this question, so its kind cannot change; add a new "
            "question instead.",
            code="question_answered",
            details={"kind": ["Already answered."]},
        )
    return audited_update(
        question, actor=actor, action="question.updated", allowed=QUESTION_FIELDS, fields=fields
    )


@transaction.atomic
def question_delete(*, actor, question) -> None:
    if question.answers.exists():
        raise ApplicationError(
            f"People have answered “{question}”, so it cannot be deleted.",
            code="question_answered",
        )
    audit_record(actor=actor, action="question.deleted", target=question)
    question.delete()
