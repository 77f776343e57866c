"""Copying an event's set-up onto the next event (events.services.event_create_next):
the helpers every app's copier uses, and this app's own copier, which runs first.

Copiers write with bulk_create, a query or two per kind of row whatever their number,
and copy only the fields they name: nothing that says who took part, judged or won.
"""

from events.extensions import event_copiers
from events.models import Challenge, ScheduleItem, Theme

THEME_COPIED = ("name", "slug", "description", "order")
CHALLENGE_COPIED = ("title", "slug", "brief", "partner_organisation", "partner_url", "order")
SCHEDULE_COPIED = ("title", "kind", "location", "description")


def copy_of(obj, fields, **changes):
    """A new, unsaved row of `obj`'s model with `obj`'s `fields` and `changes`."""
    return type(obj)(**{name: getattr(obj, name) for name in fields}, **changes)


def counted(number: int, singular: str, plural: str = "") -> str:
    """ "1 theme", "3 themes"."""
    return f"{number} {singular if number == 1 else plural or singular + 's'}"


def remapped(mapping: dict, old_id):
    """The new object for `old_id` in one of NextEventCopy's maps; None stays None."""
    return None if old_id is None else mapping[old_id]


@event_copiers.register("programme", order=0)
def copy_programme(source, target, copy) -> str:
    """Themes, then challenges within the new themes, then the schedule moved with the
    start; an item that would then fall outside the new event's times is left out."""
    themes = list(source.themes.all())
    new_themes = Theme.objects.bulk_create(
        copy_of(theme, THEME_COPIED, event=target) for theme in themes
    )
    copy.themes.update({old.pk: new for old, new in zip(themes, new_themes, strict=True)})
    challenges = list(source.challenges.all())
    new_challenges = Challenge.objects.bulk_create(
        copy_of(challenge, CHALLENGE_COPIED, event=target, theme=copy.themes[challenge.theme_id])
        for challenge in challenges
    )
    copy.challenges.update(
        {old.pk: new for old, new in zip(challenges, new_challenges, strict=True)}
    )
    items = [
        copy_of(
            item,
            SCHEDULE_COPIED,
            event=target,
            starts_at=item.starts_at + copy.shift,
            ends_at=item.ends_at + copy.shift,
        )
        for item in source.schedule_items.all()
    ]
    fitting = [i for i in items if target.starts_at <= i.starts_at and i.ends_at <= target.ends_at]
    ScheduleItem.objects.bulk_create(fitting)
    words = ", ".join(
        (
            counted(len(themes), "theme"),
            counted(len(challenges), "challenge"),
            counted(len(fitting), "schedule item"),
        )
    )
    left_out = len(items) - len(fitting)
    if left_out:
        words += f" ({counted(left_out, 'schedule item')} left out: outside the new times)"
    return words
