import datetime
from dataclasses import dataclass

import rules
from django.contrib.contenttypes.models import ContentType
from django.db.models import Case, Count, F, IntegerField, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce, Lower, NullIf
from django.utils import timezone

from accounts.enums import ParticipantType
from common.exceptions import raise_problems
from common.models import AuditEntry
from registration.enums import (
    APPLY_AGAIN,
    CHOICE_KINDS,
    TAKING_PART,
    Actor,
    AdmissionMode,
    QuestionKind,
    RegistrationStatus,
)
from registration.models import Answer, Registration

# Questions whose answers the registrations table can filter by: those with set options.
FILTERABLE_KINDS = CHOICE_KINDS | {QuestionKind.YES_NO}
YES_NO_OPTIONS = {"yes": True, "no": False}


def _ahead_in_line(applied_at, pk) -> Q:
    """Those who applied before (applied_at, pk). The `applied_at <=` bound is what lets
    the (event, status, applied_at) index stop the scan there, so counting them costs
    as much as the position, not as the whole waiting list."""
    return Q(applied_at__lte=applied_at) & (Q(applied_at__lt=applied_at) | Q(id__lt=pk))


def waitlist_position(registration) -> int | None:
    """1 for the first in line; None when not waitlisted. Gap-free by construction."""
    if registration.status != RegistrationStatus.WAITLISTED:
        return None
    ahead = Registration.objects.filter(
        _ahead_in_line(registration.applied_at, registration.pk),
        event=registration.event_id,
        status=RegistrationStatus.WAITLISTED,
    ).count()
    return ahead + 1


def person_matches(query: str, *, by_email: bool = True) -> Q:
    """Registrations whose person's name (or walk-in name), or email when `by_email`,
    contains `query`."""
    matches = Q(user__display_name__icontains=query) | Q(walk_in_name__icontains=query)
    return matches | Q(user__email__icontains=query) if by_email else matches


def registrations_of(user):
    """The person's registrations, newest event first, each with `waitlist_position`."""
    waitlisted_ahead = (
        Registration.objects.filter(event=OuterRef("event"), status=RegistrationStatus.WAITLISTED)
        .filter(_ahead_in_line(OuterRef("applied_at"), OuterRef("id")))
        .order_by()
        .values("event")
        .annotate(ahead=Count("id"))
        .values("ahead")
    )
    position = Case(
        When(
            status=RegistrationStatus.WAITLISTED,
            then=Coalesce(Subquery(waitlisted_ahead), 0) + 1,
        ),
        default=None,
        output_field=IntegerField(),
    )
    return (
        Registration.objects.filter(user=user)
        .select_related("event")
        .annotate(waitlist_position=position)
        .order_by("-event__starts_at")
    )


@dataclass(frozen=True)
class Capacity:
    """Where an event's seats stand, by status: the one count every page shows (event
    page, door, dashboard, registrations table), so no two pages disagree. Counted from
    the registrations; the services decide by RegistrationPolicy.seats_held, which every
    status change keeps equal to `held` under the capacity lock (the concurrency tests
    check the two agree)."""

    capacity: int
    confirmed: int
    offered: int
    checked_in: int
    waitlisted: int
    awaiting_review: int

    @property
    def held(self) -> int:
        """Seats taken: confirmed, offered (until accepted, declined or expired) and
        checked in."""
        return self.confirmed + self.offered + self.checked_in

    @property
    def places_left(self) -> int:
        # A capacity lowered below the seats held leaves none, not a negative number.
        return max(self.capacity - self.held, 0)

    @property
    def is_full(self) -> bool:
        return self.places_left == 0


def capacity_of(event) -> Capacity:
    """The event's seats by status, in one query."""
    statuses = {
        "confirmed": RegistrationStatus.CONFIRMED,
        "offered": RegistrationStatus.OFFERED,
        "checked_in": RegistrationStatus.CHECKED_IN,
        "waitlisted": RegistrationStatus.WAITLISTED,
        "awaiting_review": RegistrationStatus.APPLIED,
    }
    counts = Registration.objects.filter(event=event).aggregate(
        **{name: Count("pk", filter=Q(status=status)) for name, status in statuses.items()}
    )
    return Capacity(capacity=event.capacity, **counts)


def event_days(event) -> tuple[datetime.date, datetime.date]:
    """The first and last local dates the event runs on (an end at midnight is the day
    before's)."""
    last = event.ends_at - datetime.timedelta(microseconds=1)
    return timezone.localdate(event.starts_at), timezone.localdate(last)


def is_event_day(event, *, now=None) -> bool:
    """Whether `now` falls on one of the event's days, by the local calendar: the door
    asks before checking anyone in on another day (a mistaken event, a rehearsal)."""
    first, last = event_days(event)
    return first <= timezone.localdate(now or timezone.now()) <= last


@dataclass(frozen=True)
class AdmissionOutlook:
    """What registering now would lead to, told to people before they apply."""

    capacity: Capacity
    review: bool  # organisers review each application before anyone gets a place

    @property
    def joins_waiting_list(self) -> bool:
        return not self.review and self.capacity.is_full


def admission_outlook(event) -> AdmissionOutlook:
    review = event.registration_policy.mode == AdmissionMode.REVIEW
    return AdmissionOutlook(capacity=capacity_of(event), review=review)


def answer_filter_options(questions) -> list[tuple[str, list[tuple[str, str]]]]:
    """(question label, [(filter value, option label)]) for the table's answer filter.

    A filter value is "<question id>:<option>", so one select covers every question.
    """
    options = []
    for question in questions:
        if question.kind not in FILTERABLE_KINDS:
            continue
        values = [(f"{question.pk}:{c}", _option_label(question, c)) for c in _options(question)]
        options.append((question.label, values))
    return options


def _option_label(question, option) -> str:
    """An organiser's option exactly as they wrote it ("XL", not "Xl"); our own yes/no
    keys as words."""
    return option.capitalize() if question.kind == QuestionKind.YES_NO else str(option)


def _options(question) -> list:
    return list(YES_NO_OPTIONS) if question.kind == QuestionKind.YES_NO else question.choices


def _answer_matches(question, value, option) -> bool:
    if question.kind == QuestionKind.YES_NO:
        return option in YES_NO_OPTIONS and value is YES_NO_OPTIONS[option]
    if question.kind == QuestionKind.MULTIPLE_CHOICE:
        return isinstance(value, list) and option in value
    return value == option


def _answered_with(question, option) -> list[int]:
    """Ids of the registrations whose answer to `question` is or includes `option`.

    Matched here rather than in SQL: containment in a JSON list is not portable across
    databases, and one event's answers to one question are a few thousand at most.
    """
    answers = Answer.objects.filter(question=question).values_list("registration_id", "value")
    return [pk for pk, value in answers.iterator() if _answer_matches(question, value, option)]


def _ranked(field, values) -> Case:
    """`field`'s position in `values` (unknown or empty last), for ordering by it."""
    whens = [When(**{field: value}, then=rank) for rank, value in enumerate(values)]
    return Case(*whens, default=len(values), output_field=IntegerField())


# The table's sort keys (`sort`, "-" before one for descending): each an expression,
# ties broken by application order.
SORTS = {
    "name": Lower(
        Coalesce(NullIf("user__display_name", Value("")), NullIf("walk_in_name", Value("")))
    ),
    # In the lifecycle's order, as the statuses are declared.
    "status": _ranked("status", RegistrationStatus.values),
    "applied": F("applied_at"),
    # Alphabetically by the type's name, those without one last.
    "type": _ranked(
        "user__participant_type",
        [value for value, label in sorted(ParticipantType.choices, key=lambda c: c[1])],
    ),
}


def _sorting(sort: str) -> list:
    key = sort.removeprefix("-")
    expression = SORTS[key]
    # Ties stay in application order whichever way the column runs.
    if sort.startswith("-"):
        return [expression.desc(nulls_last=True), "applied_at", "id"]
    return [expression.asc(nulls_last=True), "applied_at", "id"]


def registrations_for_organisers(event, params, *, questions=()):
    """An event's registrations filtered and sorted by the table's parameters.

    `params`: status, type (participant type), q (name or email), answer
    ("<question id>:<option>", matched against `questions`, the ones the viewer may see)
    and sort (a key of SORTS, "-" before it for descending; application order by
    default). A value that is none of the choices raises ApplicationError naming the
    parameter, rather than being ignored (which would answer with everyone).
    """
    status, kind = params.get("status", ""), params.get("type", "")
    sort = params.get("sort", "") or "applied"
    question_id, _, option = params.get("answer", "").partition(":")
    filterable = {str(q.pk): q for q in questions if q.kind in FILTERABLE_KINDS}
    question = filterable.get(question_id)
    problems = {}
    if status and status not in RegistrationStatus.values:
        problems["status"] = [f"Not a registration status: {', '.join(RegistrationStatus.values)}."]
    if kind and kind not in ParticipantType.values:
        problems["type"] = [f"Not a participant type: {', '.join(ParticipantType.values)}."]
    if question_id and (question is None or option not in _options(question)):
        problems["answer"] = ['Expected "<question id>:<option>" of a choice or yes/no question.']
    if sort.removeprefix("-") not in SORTS:
        problems["sort"] = [f"Sort by one of {', '.join(SORTS)} (with - before it to reverse)."]
    raise_problems(problems)

    registrations = Registration.objects.filter(event=event).select_related("user")
    if status:
        registrations = registrations.filter(status=status)
    if kind:
        registrations = registrations.filter(user__participant_type=kind)
    query = params.get("q", "").strip()
    if query:
        registrations = registrations.filter(person_matches(query))
    if question:
        registrations = registrations.filter(pk__in=_answered_with(question, option))
    return registrations.order_by(*_sorting(sort))


def questions_visible_to(event, user) -> list:
    """The event's questions whose answers `user` may read: sensitive ones for organisers."""
    questions = list(event.questions.all())
    if rules.has_perm("registration.see_sensitive", user, event):
        return questions
    return [question for question in questions if not question.sensitive]


# Funnel stages: everyone who applied; those with a place (held, used or missed); those
# who came. A cancelled or waitlisted registration stays in "applied" only.
HAD_A_PLACE = (
    RegistrationStatus.CONFIRMED,
    RegistrationStatus.CHECKED_IN,
    RegistrationStatus.NO_SHOW,
)


def registration_funnel(event) -> list[dict]:
    """Applied → confirmed → checked in, one row per participant type, then the total.

    Walk-ins and erased people have no profile, so they count under "Not given".
    """
    rows = (
        Registration.objects.filter(event=event)
        .order_by()
        .values("user__participant_type")
        .annotate(
            applied=Count("pk"),
            confirmed=Count("pk", filter=Q(status__in=HAD_A_PLACE)),
            checked_in=Count("pk", filter=Q(status=RegistrationStatus.CHECKED_IN)),
        )
    )
    by_type = {}
    for row in rows:
        label = participant_type_label(row.pop("user__participant_type"))
        counts = by_type.setdefault(label, dict.fromkeys(row, 0))
        for stage, count in row.items():
            counts[stage] += count
    order = [label for _, label in ParticipantType.choices] + [NOT_GIVEN]
    funnel = [{"type": label, **by_type[label]} for label in order if label in by_type]
    stages = ("applied", "confirmed", "checked_in")
    total = {stage: sum(row[stage] for row in funnel) for stage in stages}
    return [*funnel, {"type": "All", **total}]


NOT_GIVEN = "Not given"  # no type on the profile: walk-ins, erased people, those who skip it


def participant_type_label(value) -> str:
    return ParticipantType(value).label if value in ParticipantType.values else NOT_GIVEN


def participations(event):
    """Registrations of the people taking part in `event`: a confirmed or checked-in
    place, held with an account."""
    return Registration.objects.filter(event=event, status__in=TAKING_PART, user__isnull=False)


def is_taking_part(event, user) -> bool:
    return participations(event).filter(user=user).exists()


# A registration's history in words: what each status change did, by the status it led to.
HAPPENED = {
    RegistrationStatus.APPLIED: "Applied, for the organisers to review",
    RegistrationStatus.CONFIRMED: "Place confirmed",
    RegistrationStatus.WAITLISTED: "Put on the waiting list",
    RegistrationStatus.OFFERED: "Offered a place",
    RegistrationStatus.DECLINED: "Application declined",
    RegistrationStatus.WITHDRAWN: "Withdrew",
    RegistrationStatus.CANCELLED: "Place cancelled",
    RegistrationStatus.OFFER_DECLINED: "Turned down the offered place",
    RegistrationStatus.EXPIRED: "The offered place was not taken up in time and passed on",
    RegistrationStatus.CHECKED_IN: "Checked in",
    RegistrationStatus.NO_SHOW: "Marked as not having come",
}
# How an application began, by the status it was given (completing "Applied ...").
APPLIED_AS = {
    RegistrationStatus.APPLIED: "for the organisers to review",
    RegistrationStatus.CONFIRMED: "and got a place",
    RegistrationStatus.WAITLISTED: "and joined the waiting list",
}
# The other things done to a registration, by audit action.
DONE = {
    "registration.walk_in": "Arrived without registering and was checked in as a walk-in",
    "registration.details_updated": "Changed their answers",
    "registration.ticket_issued": "Fetched their ticket code",
    "registration.ticket_revoked": "Ticket code voided; they were emailed to fetch a new one",
}


@dataclass(frozen=True)
class HistoryLine:
    at: object  # datetime
    text: str


def registration_history(registration) -> list[HistoryLine]:
    """What happened to `registration`, oldest first, in words, from the audit log."""
    entries = AuditEntry.objects.filter(
        target_type=ContentType.objects.get_for_model(Registration),
        target_id=str(registration.pk),
    ).select_related("actor")
    return [
        HistoryLine(entry.created_at, _in_words(entry))
        for entry in entries.order_by("created_at", "id")
    ]


def _in_words(entry) -> str:
    if entry.action in DONE:
        return f"{DONE[entry.action]}{_by(entry.actor)}."
    status = entry.action.removeprefix("registration.")
    if status not in HAPPENED:
        return f"{entry.action}{_by(entry.actor)}."  # an action this page has no words for yet
    data = entry.data or {}
    start, by = data.get("from"), data.get("by")
    if start is None:  # a new application: its first status came with it
        return f"Applied {APPLIED_AS[status]}."
    if start in APPLY_AGAIN:  # the only move from there is a new application
        return f"Applied again {APPLIED_AS[status]}."
    if by == Actor.SWEEP:
        return f"{HAPPENED[status]} (automatically)."
    return f"{HAPPENED[status]}{_by(entry.actor)}."


def _by(actor) -> str:
    # People by name, never their address; the system (a sweep, a deleted account) unnamed.
    return f" by {actor}" if actor is not None else ""


def theme_interest_counts(event) -> list[tuple[str, int]]:
    """Each of the event's themes, in order, with how many people who held a place chose
    it as an interest when registering (two queries)."""
    chosen = dict(
        Registration.theme_interests.through.objects.filter(
            registration__event=event, registration__status__in=HAD_A_PLACE
        )
        .order_by()
        .values("theme_id")
        .annotate(people=Count("registration_id"))
        .values_list("theme_id", "people")
    )
    return [
        (name, chosen.get(pk, 0))
        for pk, name in event.themes.order_by("order", "pk").values_list("pk", "name")
    ]
