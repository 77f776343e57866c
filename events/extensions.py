"""Extension points of the event pages, filled by this app and the apps after it.

- dashboard_panels: panels on the organiser dashboard of an event.
- event_page_sections: sections of the public event page.
- ical_items: entries in the event's iCalendar feed.
- console_parts: the kinds of an event's parts the organiser console lists, adds,
  edits and deletes (themes, challenges, schedule; later apps add theirs), each a
  `ConsolePart`, shown in the console's navigation in registry order.
- console_pages: further pages of an event's console (registrations, messages, ...),
  each a `ConsolePage` linked from the console's navigation after the parts.
- demo_seeders: steps of `manage.py seed_demo`; each is `f(demo: dict) -> None`, adds
  its app's demo data idempotently and may read or add to the shared `demo` dict
  (users by key, events by key, and `logins`, the accounts printed at the end).
- event_copiers: steps of "create the next event from this one"
  (events.services.event_create_next); each is `f(source, target, copy) -> str | None`,
  copies its app's set-up of `source` onto the new draft `target` (replacing the defaults
  a new event gets) and returns what it copied, in a few words, or None for nothing.
  `copy` is a `NextEventCopy`; events' own copier, first, fills its maps.

A panel or section is a `Section`; its `context(event, request)` returns the template
context, or None to leave the section out. An iCalendar item provider is
`f(event) -> iterable of icalendar.Event`. Later apps register from AppConfig.ready().
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.dispatch import Signal

from common.registry import Registry


@dataclass(frozen=True)
class Section:
    title: str
    template: str
    context: Callable


@dataclass(frozen=True)
class RenderedSection:
    key: str
    title: str
    template: str
    context: dict


@dataclass(frozen=True)
class ConsolePart:
    """One kind of an event's parts in the organiser console, listed under its key.

    `services` has create(actor, event, fields), update(actor, obj, fields) and
    delete(actor, obj); `columns` are (heading, f(obj)) pairs for the list; URL names are
    organise_<key> for the list and <url_prefix>_edit / _delete for one object, and
    <url_prefix>_move when the model has an `order` field (Move up / Move down).
    `preview(request, event)`, when given, answers organise_<key>_preview with the
    parts as the public will see them (the questionnaire as a participant's form).
    """

    model: type
    form_class: type
    services: object
    url_prefix: str
    title: str
    singular: str
    columns: tuple
    form_takes_event: bool = False
    related: tuple = ()
    preview: Callable | None = None

    @property
    def has_preview(self) -> bool:  # templates would call `preview` itself
        return self.preview is not None

    @property
    def orderable(self) -> bool:
        return any(field.name == "order" for field in self.model._meta.get_fields())

    def form(self, event, *args, **kwargs):
        if self.form_takes_event:
            kwargs["event"] = event
        return self.form_class(*args, **kwargs)


@dataclass(frozen=True)
class ConsolePage:
    """A console page of its own; `url_name` takes the event's slug."""

    title: str
    url_name: str


@dataclass
class NextEventCopy:
    """What the copiers of one "next event" share.

    `shift` is the new start minus the source's start: a time tied to the event (a
    schedule item, a voting window) moves by it. `themes` and `challenges` map the
    source's ids to the new event's objects; events' copier fills them before any later
    app's copier runs, so those remap what they scope to a theme or challenge.
    """

    shift: datetime.timedelta
    themes: dict = field(default_factory=dict)
    challenges: dict = field(default_factory=dict)


dashboard_panels = Registry("organiser dashboard panels")
console_parts = Registry("organiser console parts")
console_pages = Registry("organiser console pages")
event_page_sections = Registry("public event page sections")
ical_items = Registry("event iCalendar items")
demo_seeders = Registry("demo data seeders")
event_copiers = Registry("next-event copiers")


def render_sections(registry: Registry, event, request) -> list[RenderedSection]:
    rendered = []
    for key, section in registry.items():
        context = section.context(event, request)
        if context is not None:
            rendered.append(RenderedSection(key, section.title, section.template, context))
    return rendered


capacity_changed = Signal()
"""An event's capacity was changed by its organisers (sent inside the transaction).

Arguments:
    sender: the Event class.
    event: the Event, saved with its new capacity.
    previous: the capacity before the change.

Returns: a receiver may return a sentence telling the organiser what followed from the
change (e.g. "2 offers sent to people on the waiting list."), or None; event_update
passes each sentence to its `report`.
"""
