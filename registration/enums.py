from django.db import models

from common.transitions import moves_for as lifecycle_moves


class RegistrationStatus(models.TextChoices):
    APPLIED = "applied", "Applied"
    CONFIRMED = "confirmed", "Confirmed"
    WAITLISTED = "waitlisted", "Waitlisted"
    OFFERED = "offered", "Seat offered"
    DECLINED = "declined", "Declined"
    WITHDRAWN = "withdrawn", "Withdrawn"
    CANCELLED = "cancelled", "Cancelled"
    OFFER_DECLINED = "offer_declined", "Offer declined"
    EXPIRED = "expired", "Offer expired"
    CHECKED_IN = "checked_in", "Checked in"
    NO_SHOW = "no_show", "No-show"


# Statuses that hold one of the event's seats.
SEAT_HOLDING = frozenset(
    {RegistrationStatus.CONFIRMED, RegistrationStatus.OFFERED, RegistrationStatus.CHECKED_IN}
)


# The colour of a status's tag (govuk-tag--<colour>) wherever a registration is shown:
# green with a place, blue offered, yellow waiting, light blue to review, red declined,
# grey once it has ended.
STATUS_TAG_COLOURS = {
    RegistrationStatus.CONFIRMED: "green",
    RegistrationStatus.CHECKED_IN: "green",
    RegistrationStatus.OFFERED: "blue",
    RegistrationStatus.WAITLISTED: "yellow",
    RegistrationStatus.APPLIED: "light-blue",
    RegistrationStatus.DECLINED: "red",
}


# Statuses of someone taking part: they may join a team, see the board, submit.
TAKING_PART = frozenset({RegistrationStatus.CONFIRMED, RegistrationStatus.CHECKED_IN})


class Actor(models.TextChoices):
    """Who moves a registration. Each move of the lifecycle names who may make it."""

    PARTICIPANT = "participant", "the participant"
    ORGANISER = "organiser", "organisers"
    DOOR = "door", "the door (organisers and volunteers)"
    SWEEP = "sweep", "the system (offers, expiry, no-shows)"


_S, _A = RegistrationStatus, Actor

# The lifecycle: every move a registration can make, and who may make it. The one
# transition service (registration.services.registration_transition) refuses any other;
# the console and the API offer organisers exactly their moves from here. A freed seat
# is offered to those waiting in order by the system; a seat left free (an event that
# reviews applications, or one that has started) an organiser may offer to whom they choose.
TRANSITIONS: dict[tuple[str, str], frozenset[str]] = {
    (_S.APPLIED, _S.CONFIRMED): frozenset({_A.ORGANISER}),
    (_S.APPLIED, _S.WAITLISTED): frozenset({_A.ORGANISER}),
    (_S.APPLIED, _S.DECLINED): frozenset({_A.ORGANISER}),
    (_S.APPLIED, _S.WITHDRAWN): frozenset({_A.PARTICIPANT}),
    (_S.WAITLISTED, _S.OFFERED): frozenset({_A.SWEEP, _A.ORGANISER}),
    (_S.WAITLISTED, _S.WITHDRAWN): frozenset({_A.PARTICIPANT}),
    (_S.OFFERED, _S.CONFIRMED): frozenset({_A.PARTICIPANT}),
    (_S.OFFERED, _S.OFFER_DECLINED): frozenset({_A.PARTICIPANT}),
    (_S.OFFERED, _S.EXPIRED): frozenset({_A.SWEEP}),
    (_S.OFFERED, _S.WITHDRAWN): frozenset({_A.PARTICIPANT}),
    (_S.CONFIRMED, _S.CANCELLED): frozenset({_A.PARTICIPANT, _A.ORGANISER}),
    (_S.CONFIRMED, _S.CHECKED_IN): frozenset({_A.DOOR}),
    (_S.CONFIRMED, _S.NO_SHOW): frozenset({_A.SWEEP}),
    # Applying again (registration_create): someone who stepped back or let an offer pass
    # applies anew in the same row, at the back of the queue. An organiser's "declined"
    # is final.
    **{
        (start, admitted): frozenset({_A.PARTICIPANT})
        for start in (_S.WITHDRAWN, _S.CANCELLED, _S.OFFER_DECLINED, _S.EXPIRED)
        for admitted in (_S.APPLIED, _S.CONFIRMED, _S.WAITLISTED)
    },
}


def moves_for(actor, status=None) -> list[str]:
    """The statuses `actor` may move a registration to, from `status` (or from any)."""
    return lifecycle_moves(TRANSITIONS, RegistrationStatus, actor, status)


# Statuses a participant can step back from (cancel or withdraw).
LEAVABLE = frozenset(
    start
    for (start, to), actors in TRANSITIONS.items()
    if Actor.PARTICIPANT in actors and to in (_S.WITHDRAWN, _S.CANCELLED)
)


# Statuses from which one may apply again.
APPLY_AGAIN = frozenset(start for start, to in TRANSITIONS if to == RegistrationStatus.APPLIED)


class AdmissionMode(models.TextChoices):
    FIRST_COME = "first_come", "First come, first served"
    REVIEW = "review", "Organisers review each application"


class QuestionKind(models.TextChoices):
    SHORT_TEXT = "short_text", "Short text"
    LONG_TEXT = "long_text", "Long text"
    SINGLE_CHOICE = "single_choice", "Single choice"
    MULTIPLE_CHOICE = "multiple_choice", "Multiple choice"
    YES_NO = "yes_no", "Yes or no"
    NUMBER = "number", "Number"


CHOICE_KINDS = frozenset({QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE})
# Longest accepted answer, by kind of text question.
TEXT_LIMITS = {QuestionKind.SHORT_TEXT: 200, QuestionKind.LONG_TEXT: 2000}


class ConsentKind(models.TextChoices):
    CODE_OF_CONDUCT = "code_of_conduct", "Code of conduct"
    PRIVACY = "privacy", "Privacy notice"
    PHOTOGRAPHY = "photography", "Photography"


REQUIRED_CONSENTS = frozenset({ConsentKind.CODE_OF_CONDUCT, ConsentKind.PRIVACY})


class Segment(models.TextChoices):
    """Whom an organiser's message goes to: the people in one registration status."""

    CONFIRMED = RegistrationStatus.CONFIRMED, "Confirmed, not yet checked in"
    WAITLISTED = RegistrationStatus.WAITLISTED, "On the waiting list"
    CHECKED_IN = RegistrationStatus.CHECKED_IN, "Checked in"
