"""This app's entries in earlier apps' registries: the rubric and the presentation rooms
as organiser console parts, the rubric as the public event page's "How teams are
judged", and a judge's own "Your judging" on that page."""

import rules

from events.extensions import (
    ConsolePage,
    ConsolePart,
    Section,
    console_pages,
    console_parts,
    dashboard_panels,
    event_page_sections,
)
from events.services import PartServices
from judging.forms import CriterionForm, RoomForm
from judging.models import Criterion, Room
from judging.selectors import judging_progress, rubric_groups
from judging.selectors_judge import judge_queue
from judging.services import preparation as services


def _scale(criterion: Criterion) -> str:
    return f"{criterion.scale_min} to {criterion.scale_max}"


def _scope(criterion: Criterion) -> str:
    scope = criterion.scope
    if scope is None:
        return "Every team"
    return f"{'Challenge' if criterion.challenge_id else 'Theme'}: {scope}"


console_parts.register(
    "criteria",
    ConsolePart(
        model=Criterion,
        form_class=CriterionForm,
        services=PartServices(
            create=lambda actor, event, fields: services.criterion_create(
                actor=actor, event=event, **fields
            ),
            update=lambda actor, obj, fields: services.criterion_update(
                actor=actor, criterion=obj, **fields
            ),
            delete=lambda actor, obj: services.criterion_delete(actor=actor, criterion=obj),
        ),
        url_prefix="organise_criterion",
        title="Judging criteria",
        singular="criterion",
        form_takes_event=True,
        related=("theme", "challenge"),
        columns=(
            ("Criterion", lambda c: c.name),
            ("Weight", lambda c: f"{c.weight.normalize():f}"),
            ("Scale", _scale),
            ("For", _scope),
        ),
    ),
    order=60,
)

console_parts.register(
    "rooms",
    ConsolePart(
        model=Room,
        form_class=RoomForm,
        services=PartServices(
            create=lambda actor, event, fields: services.room_create(
                actor=actor, event=event, **fields
            ),
            update=lambda actor, obj, fields: services.room_update(actor=actor, room=obj, **fields),
            delete=lambda actor, obj: services.room_delete(actor=actor, room=obj),
        ),
        url_prefix="organise_room",
        title="Presentation rooms",
        singular="room",
        columns=(("Room", lambda room: room.name),),
    ),
    order=70,
)


def _rubric_section(event, request):
    groups = rubric_groups(event)
    return {"groups": groups} if groups else None


event_page_sections.register(
    "judging",
    Section("How teams are judged", "judging/event/section.html", _rubric_section),
    order=40,
)


def _your_judging_section(event, request):
    """For the event's accepted judges only: their progress and the way to their queue."""
    if not rules.has_perm("judging.judge_event", request.user, event):
        return None
    return {"event": event, "queue": judge_queue(event, request.user)}


# Early on the page: on the day, a judge opens the event page to find their queue.
event_page_sections.register(
    "your_judging",
    Section("Your judging", "judging/judge/section.html", _your_judging_section),
    order=5,
)


dashboard_panels.register(
    "judging",
    Section(
        "Judging",
        "judging/organise/panel.html",
        lambda event, request: (
            {"event": event, **progress} if (progress := judging_progress(event)) else None
        ),
    ),
    order=60,
)

console_pages.register("judging", ConsolePage("Judging", "judging_console"), order=50)
