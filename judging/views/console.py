"""Organisers' judging page (/organise/<slug>/judging/, a console page): the accepted
judges seated on the rooms' panels, and the judges assigned to each entry presenting,
made by one button that may be pressed again (scored pairs stay)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.views.decorators.http import require_POST

from common.exceptions import ApplicationError
from common.views import act_and_report
from events.selectors import event_get_managed
from judging.forms import ConflictForm
from judging.models import Conflict, Room
from judging.selectors import conflicts_of, panels_overview
from judging.services import preparation as services
from submissions.models import Submission

NO_ROOM = "none"


class PanelsForm(forms.Form):
    """One choice of room per accepted judge, named judge_<user id>."""

    def __init__(self, *args, judges, rooms, **kwargs):
        super().__init__(*args, **kwargs)
        self.rooms = {str(room.pk): room for room in rooms}
        choices = [(NO_ROOM, "No panel yet"), *((pk, room.name) for pk, room in self.rooms.items())]
        for user, seat in judges:
            self.fields[f"judge_{user.pk}"] = forms.ChoiceField(
                label=str(user),
                choices=choices,
                initial=str(seat.room_id) if seat and seat.room_id else NO_ROOM,
            )

    def placements(self) -> dict:
        return {
            int(name.removeprefix("judge_")): self.rooms.get(value)
            for name, value in self.cleaned_data.items()
        }


def _panels_form(overview, data=None) -> PanelsForm:
    return PanelsForm(data, judges=overview["judges"], rooms=overview["rooms"])


def _page(request, event, overview, form, conflict_form=None, status=200):
    context = {
        "event": event,
        "form": form,
        "conflict_form": conflict_form or ConflictForm(event=event),
        "conflicts": conflicts_of(event),
        **overview,
    }
    return render(request, "judging/organise/console.html", context, status=status)


@login_required
def judging_console(request, slug):
    event = event_get_managed(slug=slug, user=request.user)
    overview = panels_overview(event)
    if request.method != "POST":
        return _page(request, event, overview, _panels_form(overview))
    form = _panels_form(overview, request.POST)
    if not form.is_valid():
        return _page(request, event, overview, form, status=400)
    try:
        services.panels_set(actor=request.user, event=event, rooms=form.placements())
    except ApplicationError as error:
        form.add_error(None, error.message)
        return _page(request, event, overview, form, status=400)
    messages.success(request, "Panels saved.")
    return redirect("judging_console", slug=event.slug)


@login_required
@require_POST
def judging_assign(request, slug):
    event = event_get_managed(slug=slug, user=request.user)
    try:
        plan = services.assignments_make(actor=request.user, event=event)
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect("judging_console", slug=event.slug)
    messages.success(request, f"Judges assigned: {len(plan.pairs)} in all.")
    rooms = dict(Room.objects.filter(event=event).values_list("pk", "name"))
    titles = dict(Submission.objects.filter(event=event).values_list("pk", "title"))
    for shortfall in plan.shortfalls:
        messages.warning(
            request,
            f"“{titles[shortfall.submission_id]}” ({rooms[shortfall.room_id]}) has "
            f"{shortfall.assigned} of {shortfall.wanted} judges: only {shortfall.available} "
            "on its panel have no conflict with it.",
        )
    return redirect("judging_console", slug=event.slug)


@login_required
@require_POST
def judging_conflict_add(request, slug):
    event = event_get_managed(slug=slug, user=request.user)
    form = ConflictForm(request.POST, event=event)
    if not form.is_valid():
        return _refused_conflict(request, event, form)
    try:
        services.conflict_add(actor=request.user, **form.cleaned_data)
    except ApplicationError as error:
        form.add_error("kind" if "kind" in error.details else None, error.message)
        return _refused_conflict(request, event, form)
    messages.success(request, "Conflict recorded. Assign judges again to apply it.")
    return redirect("judging_console", slug=event.slug)


def _refused_conflict(request, event, form):
    overview = panels_overview(event)
    return _page(request, event, overview, _panels_form(overview), form, status=400)


@login_required
@require_POST
def judging_conflict_remove(request, slug, pk):
    event = event_get_managed(slug=slug, user=request.user)
    conflict = get_object_or_404(Conflict, pk=pk, judge__event=event)
    act_and_report(
        request,
        lambda: services.conflict_remove(actor=request.user, conflict=conflict),
        done="Conflict removed.",
    )
    return redirect("judging_console", slug=event.slug)


CONSOLE = "organise/<slug:slug>/judging/"

urlpatterns = [
    path(CONSOLE, judging_console, name="judging_console"),
    path(f"{CONSOLE}assign/", judging_assign, name="judging_assign"),
    path(f"{CONSOLE}conflicts/", judging_conflict_add, name="judging_conflict_add"),
    path(
        f"{CONSOLE}conflicts/<int:pk>/remove/",
        judging_conflict_remove,
        name="judging_conflict_remove",
    ),
]
