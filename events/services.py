"""Every write to events, themes, challenges, schedule items and roles."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify

from common.audit import audit_record
from common.exceptions import ApplicationError
from common.input import text_problem
from common.locking import hold_race_window, lock_capacity_row, lock_rows
from common.outbox import outbox_enqueue
from common.services import (
    audited_create,
    audited_update,
    delete_or_refuse,
    full_clean_or_raise,
)
from events.enums import RoleKind
from events.extensions import NextEventCopy, capacity_changed, event_copiers
from events.models import Challenge, Event, EventRole, ScheduleItem, Series, Theme

# What organisers edit about an event, in the order forms and the API show it.
EVENT_DETAIL_FIELDS = (
    "name",
    "tagline",
    "description",
    "series",
    "previous_event",
    "venue_name",
    "venue_address",
    "starts_at",
    "ends_at",
    "capacity",
    "registration_opens_at",
    "registration_closes_at",
    "submission_deadline",
)
EVENT_FIELDS = ("slug", *EVENT_DETAIL_FIELDS)
THEME_FIELDS = ("name", "slug", "description", "order")
CHALLENGE_FIELDS = (
    "theme",
    "title",
    "slug",
    "brief",
    "partner_organisation",
    "partner_url",
    "order",
)
SCHEDULE_FIELDS = ("title", "kind", "starts_at", "ends_at", "location", "description")


def _unique_slug(model, base, **scope) -> str:
    slug = slugify(base)[:45] or "item"
    candidate, n = slug, 2
    while model.objects.filter(slug=candidate, **scope).exists():
        candidate, n = f"{slug}-{n}", n + 1
    return candidate


# --- Events ---------------------------------------------------------------------------


@transaction.atomic
def event_create(*, actor, **fields) -> Event:
    """Create a draft event; its creator becomes its first organiser."""
    fields.setdefault("slug", _unique_slug(Event, fields.get("name", "")))
    unknown = set(fields) - set(EVENT_FIELDS)
    if unknown:
        raise ApplicationError(f"Unknown event fields: {', '.join(sorted(unknown))}.")
    event = audited_create(Event, actor=actor, action="event.created", **fields)
    _make_organiser(event, actor)
    return event


def _make_organiser(event: Event, actor) -> None:
    """The person who made `event` is its first organiser, accepted at once."""
    EventRole.objects.create(
        event=event,
        role=RoleKind.ORGANISER,
        email=actor.email,
        user=actor,
        invited_by=actor,
        accepted_at=timezone.now(),
    )


@transaction.atomic
def event_create_next(
    *,
    source: Event,
    actor,
    name: str,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    venue_name: str,
    capacity: int,
    slug: str = "",
    venue_address: str = "",
    registration_opens_at: datetime.datetime | None = None,
    registration_closes_at: datetime.datetime | None = None,
    report: Callable[[str], object] | None = None,
) -> Event:
    """The next event of `source`'s series: a draft following `source`, made by `actor`
    (its first organiser), with `source`'s set-up copied by every `event_copiers` entry.

    Registration opens and closes, and submissions are due, as long before or after the
    start as they were for `source` (pretix keeps an event's times relative to its start
    when it copies one too), unless the opening or closing is given; nothing runs past
    the new end. A blank `slug` is made from the name. A `source` outside any series,
    once published, starts one named after it, which both events join; a draft's name
    is not put in the series list every organiser's form shows, so a draft's next event
    follows it by `previous_event` alone. `report(words)` is called with what each
    copier copied, for the organiser.
    """
    shift = starts_at - source.starts_at

    def shifted(value):
        return None if value is None else min(value + shift, ends_at)

    event = Event(
        series=source.series,
        previous_event=source,
        name=name,
        slug=slug or _unique_slug(Event, name),
        tagline=source.tagline,
        description=source.description,
        venue_name=venue_name,
        venue_address=venue_address,
        starts_at=starts_at,
        ends_at=ends_at,
        capacity=capacity,
        registration_opens_at=registration_opens_at or shifted(source.registration_opens_at),
        registration_closes_at=registration_closes_at or shifted(source.registration_closes_at),
        submission_deadline=shifted(source.submission_deadline),
        is_published=False,
    )
    full_clean_or_raise(event, problems=_event_problems(event), validate_constraints=False)
    if event.series is None and source.is_published:
        event.series = _series_start(source, actor)
    try:
        with transaction.atomic():
            event.save()
    except IntegrityError as error:  # the same address taken a moment ago
        raise ApplicationError(
            f"The address “{event.slug}” was taken a moment ago; choose another.",
            code="duplicate",
            details={"slug": ["Taken by another event."]},
        ) from error
    _make_organiser(event, actor)
    copy = NextEventCopy(shift=shift)
    copied = [words for words in (f(source, event, copy) for f in event_copiers) if words]
    audit_record(
        actor=actor,
        action="event.created_next",
        target=event,
        data={"source": source.slug, "copied": copied},
    )
    if report is not None:
        for words in copied:
            report(words)
    return event


def _event_problems(event: Event) -> dict[str, list[str]]:
    """What is wrong with `event`'s text and times, field by field: text no database
    stores, and Event's check constraints in words."""
    problems = {}
    for field in ("name", "slug", "venue_name", "venue_address"):
        problem = text_problem(getattr(event, field))
        if problem:
            problems[field] = [problem]
    if event.capacity is not None and event.capacity < 1:
        problems["capacity"] = ["The event must have room for at least one participant."]
    if event.ends_at <= event.starts_at:
        problems["ends_at"] = ["The event must end after it starts."]
    if event.registration_closes_at <= event.registration_opens_at:
        problems["registration_closes_at"] = ["Registration must close after it opens."]
    elif event.registration_closes_at > event.ends_at:
        problems["registration_closes_at"] = ["Registration must close by the end of the event."]
    return problems


def _series_start(source: Event, actor) -> Series:
    """`source`'s series, started with its name if it has none, which `source` joins. Its
    row is locked first, so two next events made from it at once share one series."""
    locked = lock_capacity_row(Event.objects.filter(pk=source.pk).select_related("series"))
    if locked.series is not None:
        return locked.series
    series = Series(name=locked.name, slug=_unique_slug(Series, locked.slug))
    full_clean_or_raise(series)
    series.save()
    audit_record(actor=actor, action="series.created", target=series)
    audited_update(
        locked, actor=actor, action="event.updated", allowed=("series",), fields={"series": series}
    )
    return series


@transaction.atomic
def event_update(
    *, actor, event: Event, report: Callable[[str], object] | None = None, **fields
) -> Event:
    """Change the event's details. `report(sentence)` is called with each thing that
    followed in a later app (offers sent when capacity is raised), for the organiser."""
    previous_capacity = event.capacity
    audited_update(event, actor=actor, action="event.updated", allowed=EVENT_FIELDS, fields=fields)
    if event.capacity != previous_capacity:
        for _, sentence in capacity_changed.send(
            sender=Event, event=event, previous=previous_capacity
        ):
            if sentence and report is not None:
                report(sentence)
    return event


@transaction.atomic
def event_set_published(*, actor, event: Event, published: bool) -> Event:
    if event.is_published == published:
        return event
    if published and not event.themes.exists():
        raise ApplicationError(
            "Add at least one theme before publishing, so participants know what the "
            "event is about.",
            code="no_themes",
        )
    event.is_published = published
    event.save(update_fields=["is_published", "updated_at"])
    audit_record(
        actor=actor, action="event.published" if published else "event.unpublished", target=event
    )
    return event


# --- Themes, challenges, schedule -----------------------------------------------------


@transaction.atomic
def theme_create(*, actor, event: Event, **fields) -> Theme:
    fields.setdefault("slug", _unique_slug(Theme, fields.get("name", ""), event=event))
    return audited_create(Theme, actor=actor, action="theme.created", event=event, **fields)


@transaction.atomic
def theme_update(*, actor, theme: Theme, **fields) -> Theme:
    return audited_update(
        theme, actor=actor, action="theme.updated", allowed=THEME_FIELDS, fields=fields
    )


@transaction.atomic
def theme_delete(*, actor, theme: Theme) -> None:
    if theme.challenges.exists():
        raise ApplicationError(
            f"The theme “{theme}” still has challenges; move or delete them first.",
            code="theme_in_use",
        )
    audit_record(actor=actor, action="theme.deleted", target=theme)
    delete_or_refuse(theme, what=f"The theme “{theme}”")


@transaction.atomic
def challenge_create(*, actor, event: Event, **fields) -> Challenge:
    fields.setdefault("slug", _unique_slug(Challenge, fields.get("title", ""), event=event))
    return audited_create(Challenge, actor=actor, action="challenge.created", event=event, **fields)


@transaction.atomic
def challenge_update(*, actor, challenge: Challenge, **fields) -> Challenge:
    return audited_update(
        challenge, actor=actor, action="challenge.updated", allowed=CHALLENGE_FIELDS, fields=fields
    )


@transaction.atomic
def challenge_delete(*, actor, challenge: Challenge) -> None:
    audit_record(actor=actor, action="challenge.deleted", target=challenge)
    delete_or_refuse(challenge, what=f"The challenge “{challenge}”")


def _check_within_event(event: Event, starts_at, ends_at) -> None:
    if starts_at < event.starts_at or ends_at > event.ends_at:
        raise ApplicationError(
            "A schedule item must fall within the event, "
            f"{timezone.localtime(event.starts_at):%d %b %Y %H:%M} to "
            f"{timezone.localtime(event.ends_at):%d %b %Y %H:%M}.",
            code="outside_event",
            details={"starts_at": ["Outside the event's times."]},
        )


@transaction.atomic
def schedule_item_create(*, actor, event: Event, **fields) -> ScheduleItem:
    item = ScheduleItem(event=event, **fields)
    item.full_clean()
    _check_within_event(event, item.starts_at, item.ends_at)
    item.save()
    audit_record(actor=actor, action="schedule_item.created", target=item)
    return item


@transaction.atomic
def schedule_item_update(*, actor, item: ScheduleItem, **fields) -> ScheduleItem:
    starts_at = fields.get("starts_at", item.starts_at)
    ends_at = fields.get("ends_at", item.ends_at)
    _check_within_event(item.event, starts_at, ends_at)
    return audited_update(
        item, actor=actor, action="schedule_item.updated", allowed=SCHEDULE_FIELDS, fields=fields
    )


@transaction.atomic
def schedule_item_delete(*, actor, item: ScheduleItem) -> None:
    audit_record(actor=actor, action="schedule_item.deleted", target=item)
    item.delete()


# --- Roles ----------------------------------------------------------------------------


@transaction.atomic
def role_invite(*, actor, event: Event, email: str, role: str) -> EventRole:
    """Invite someone by email; the role is theirs once they sign in with that address."""
    email = email.strip().lower()
    if role not in RoleKind.values:
        raise ApplicationError(f"“{role}” is not a role.", details={"role": ["Unknown role."]})
    if EventRole.objects.filter(event=event, role=role, email=email).exists():
        raise ApplicationError(
            f"{email} is already invited as {RoleKind(role).label.lower()}.",
            code="already_invited",
            details={"email": ["Already invited for this role."]},
        )
    invitation = EventRole(event=event, role=role, email=email, invited_by=actor)
    invitation.full_clean()
    invitation.save()
    audit_record(actor=actor, action="role.invited", target=invitation)
    outbox_enqueue(
        recipient=email,
        purpose="role_invitation",
        target=invitation,
        template="events/email/role_invitation",
        context={"invitation": invitation, "event": event, "inviter": actor},
    )
    return invitation


@transaction.atomic
def role_revoke(*, actor, role: EventRole) -> None:
    if role.role == RoleKind.ORGANISER and role.user_id is not None:
        others = EventRole.objects.filter(
            event=role.event, role=RoleKind.ORGANISER, user__isnull=False
        ).exclude(pk=role.pk)
        if not others.exists():
            raise ApplicationError(
                "An event needs at least one organiser; invite another before leaving.",
                code="last_organiser",
            )
    audit_record(actor=actor, action="role.revoked", target=role)
    role.delete()


@transaction.atomic
def role_invitations_claim(*, user) -> list[EventRole]:
    """Give `user` the roles invited to any of their verified email addresses."""
    verified = list(
        EmailAddress.objects.filter(user=user, verified=True).values_list("email", flat=True)
    )
    if not verified:
        return []
    matches = Q()
    for address in verified:
        matches |= Q(email__iexact=address)
    pending = list(
        EventRole.objects.select_for_update(of=("self",)).filter(matches, user__isnull=True)
    )
    now = timezone.now()
    for invitation in pending:
        invitation.user, invitation.accepted_at = user, now
        invitation.save(update_fields=["user", "accepted_at", "updated_at"])
        audit_record(actor=user, action="role.accepted", target=invitation)
    return pending


# --- One calling convention for the parts of an event (console and API share it) ------


@dataclass(frozen=True)
class PartServices:
    create: Callable  # (actor, event, fields) -> instance
    update: Callable  # (actor, instance, fields) -> instance
    delete: Callable  # (actor, instance) -> None


MOVES = {"up": -1, "down": 1}


@transaction.atomic
def part_move(*, actor, part, direction: str):
    """Move one of an event's ordered parts (a theme, a question, …) one place up or down.

    The event's parts of that kind are locked, the part swaps places with its neighbour
    in the order the console lists them, and all are numbered 0, 1, 2, … in the new
    order: swapping two equal `order` values (every new part starts at 0) would change
    nothing.
    """
    if direction not in MOVES:
        raise ApplicationError(
            f"“{direction}” is not a direction: move up or down.", code="invalid_direction"
        )
    siblings = type(part)._default_manager.filter(event_id=part.event_id)
    lock_rows(siblings.order_by("pk"))  # one lock order for every mover
    ordered = list(siblings)  # in the model's own ordering, as the console lists them
    hold_race_window()
    index = next((i for i, sibling in enumerate(ordered) if sibling.pk == part.pk), None)
    if index is None:  # deleted meanwhile
        raise ApplicationError(f"“{part}” no longer exists.", code="not_found", status=404)
    target = index + MOVES[direction]
    if not 0 <= target < len(ordered):
        raise ApplicationError(
            f"“{part}” is already {'first' if direction == 'up' else 'last'}.",
            code="cannot_move",
        )
    ordered[index], ordered[target] = ordered[target], ordered[index]
    renumbered = []
    for position, sibling in enumerate(ordered):
        if sibling.order != position:
            sibling.order = position
            renumbered.append(sibling)
    type(part)._default_manager.bulk_update(renumbered, ["order"])
    audit_record(
        actor=actor,
        action=f"{part._meta.model_name}.moved",
        target=part,
        data={"direction": direction, "position": target + 1},
    )
    return part


EVENT_PARTS = {
    Theme: PartServices(
        create=lambda actor, event, fields: theme_create(actor=actor, event=event, **fields),
        update=lambda actor, obj, fields: theme_update(actor=actor, theme=obj, **fields),
        delete=lambda actor, obj: theme_delete(actor=actor, theme=obj),
    ),
    Challenge: PartServices(
        create=lambda actor, event, fields: challenge_create(actor=actor, event=event, **fields),
        update=lambda actor, obj, fields: challenge_update(actor=actor, challenge=obj, **fields),
        delete=lambda actor, obj: challenge_delete(actor=actor, challenge=obj),
    ),
    ScheduleItem: PartServices(
        create=lambda actor, event, fields: schedule_item_create(
            actor=actor, event=event, **fields
        ),
        update=lambda actor, obj, fields: schedule_item_update(actor=actor, item=obj, **fields),
        delete=lambda actor, obj: schedule_item_delete(actor=actor, item=obj),
    ),
}
