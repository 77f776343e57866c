"""Authorization-matrix rows for "create the next event from this one" (see matrix.py).

It takes both rights: running the source event (its organisers, superusers) and creating
events (superusers, the "Event creators" group, which nobody in the world is in). So in
the world as built only superusers may: the organiser of A and D is refused with 403 on
the page (they run the event, so it is no secret) and through the API; everyone else
gets the console's 404 on the page, and the API's 403 for public A and 404 for draft D.
The "creators" rows put both organisers in the group: A's organiser may then, and B's
organiser, an event creator who does not run A, still may not.
"""

from django.contrib.auth.models import Group

from events.models import Event
from tests.security.matrix import (
    API_ANONYMOUS,
    LOGIN,
    OUTSIDERS,
    A,
    D,
    Row,
    event_fields,
    expect,
)
from tests.security.world import World

PAGE, API = "organise_event_create_next", "api:event-create-next"


def _creators(key: str):
    """URL kwargs naming event `key`, once both organisers are event creators."""

    def build(w: World) -> dict:
        group = Group.objects.get(name="Event creators")
        group.user_set.add(w.people["organiser"], w.people["other_organiser"])
        return {"slug": getattr(w, key).event.slug}

    return build


def _followed(key: str):
    return lambda w: Event.objects.filter(previous_event=getattr(w, key).event).exists()


def rows() -> list[Row]:
    page = expect(f"anonymous:{LOGIN} {OUTSIDERS}:404 organiser:403 superuser:200")
    page_post = expect(f"anonymous:{LOGIN} {OUTSIDERS}:404 organiser:403 superuser:302")
    creators = expect(f"anonymous:{LOGIN} {OUTSIDERS}:404 organiser,superuser:200")
    creators_post = expect(f"anonymous:{LOGIN} {OUTSIDERS}:404 organiser,superuser:302")
    api_public = expect(f"anonymous:{API_ANONYMOUS} {OUTSIDERS}:403 organiser:403 superuser:201")
    api_draft = expect(f"anonymous:404 {OUTSIDERS}:404 organiser:403 superuser:201")
    api_creators = expect(f"anonymous:{API_ANONYMOUS} {OUTSIDERS}:403 organiser,superuser:201")
    # The source's own place and times: the next event may overlap it.
    form_a, form_d = (event_fields(key, name="The next one", api=False) for key in "ad")
    json_a, json_d = (event_fields(key, name="The next one", api=True) for key in "ad")
    return [
        Row(PAGE, "GET", page, A),
        Row(PAGE, "GET", page, D, label="draft"),
        Row(PAGE, "POST", page_post, A, data=form_a, effect=_followed("a")),
        Row(PAGE, "POST", page_post, D, data=form_d, label="draft", effect=_followed("d")),
        Row(PAGE, "GET", creators, _creators("a"), label="creators"),
        Row(PAGE, "POST", creators_post, _creators("a"), data=form_a, label="creators",
            effect=_followed("a")),
        Row(API, "POST", api_public, A, data=json_a, effect=_followed("a")),
        Row(API, "POST", api_draft, D, data=json_d, label="draft", effect=_followed("d")),
        Row(API, "POST", api_creators, _creators("a"), data=json_a, label="creators",
            effect=_followed("a")),
    ]  # fmt: skip
