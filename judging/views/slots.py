"""Organisers' presentations page (/organise/<slug>/judging/slots/, a console page): each
room's slots in time order with the entry presenting in each, and forms to make slots,
place an entry, move, clear or delete a slot, and fill every free slot at once. Each form posts
to its own URL and comes back here (no JavaScript needed)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from common.exceptions import ApplicationError
from common.views import act_and_report, apply_form
from events.forms import DATETIME_WIDGET, whole_number_widget
from events.selectors import event_get_managed
from judging.models import PresentationSlot, Room
from judging.selectors_slots import entries_handed_in, slots_overview
from judging.services import slots as services


class RoomChoiceForm(forms.Form):
    room = forms.ModelChoiceField(queryset=Room.objects.none(), empty_label=None)

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["room"].queryset = Room.objects.filter(event=event)


class GenerateForm(RoomChoiceForm):
    length_minutes = forms.IntegerField(
        label="Minutes per slot", min_value=1, max_value=services.MAX_SLOT_MINUTES,
        widget=whole_number_widget(3),
        help_text="Fills the room's free time within the presentations with slots of "
        "this length, one after another; slots it has already stay.",
    )  # fmt: skip


class SlotTimesForm(forms.Form):
    starts_at = forms.DateTimeField(label="Starts", widget=DATETIME_WIDGET)
    ends_at = forms.DateTimeField(label="Ends", widget=DATETIME_WIDGET)


class SlotForm(RoomChoiceForm, SlotTimesForm):
    field_order = ["room", "starts_at", "ends_at"]


class PlaceForm(forms.Form):
    """An entry handed in for one slot; its choices come from the page's one read of the
    entries, so many slots cost no more queries than one."""

    submission = forms.TypedChoiceField(
        label="Entry",
        coerce=int,
        widget=forms.Select(attrs={"class": "govuk-select govuk-!-width-full"}),
    )

    def __init__(self, *args, slot, entries, placed, **kwargs):
        super().__init__(*args, prefix=f"slot-{slot.pk}", **kwargs)
        self.slot = slot
        when = timezone.localtime(slot.starts_at)
        self.fields["submission"].label = f"Entry for {slot.room.name} at {when:%H:%M}"
        self.fields["submission"].choices = [
            ("", "Choose an entry"),
            *(
                (entry.pk, f"{entry.title} ({entry.team.name})"
                 + (" – has a slot" if entry.pk in placed else ""))
                for entry in entries
            ),
        ]  # fmt: skip


def _page(request, event, *, generate=None, add=None, place=None, status=200):
    overview = slots_overview(event)
    placed = {entry.pk for entry in overview["entries"]} - {e.pk for e in overview["unplaced"]}

    def place_form(slot):
        if place is not None and place.slot.pk == slot.pk:
            return place
        return PlaceForm(slot=slot, entries=overview["entries"], placed=placed)

    rooms = [
        (room, [(s, None if s.submission_id else place_form(s)) for s in room.slots.all()])
        for room in overview["rooms"]
    ]
    context = {
        "event": event,
        "rooms": rooms,
        "unplaced": overview["unplaced"],
        "windows": overview["windows"],
        "generate_form": generate or GenerateForm(event=event, prefix="generate"),
        "add_form": add or SlotForm(event=event, prefix="add"),
        "failed_place": place,
    }
    return render(request, "judging/slots/console.html", context, status=status)


def _back(event):
    return redirect("judging_slots", slug=event.slug)


def _slot_of(event, pk) -> PresentationSlot:
    return get_object_or_404(
        PresentationSlot.objects.select_related("room__event"), pk=pk, room__event=event
    )


@login_required
@require_GET
def judging_slots(request, slug):
    return _page(request, event_get_managed(slug=slug, user=request.user))


@login_required
@require_POST
def judging_slots_generate(request, slug):
    event = event_get_managed(slug=slug, user=request.user)
    form = GenerateForm(request.POST, event=event, prefix="generate")
    made = []

    def save():
        made.extend(services.slots_generate(actor=request.user, event=event, **form.cleaned_data))

    if not apply_form(form, save):
        return _page(request, event, generate=form, status=400)
    room, minutes = form.cleaned_data["room"], form.cleaned_data["length_minutes"]
    if made:
        messages.success(request, f"{len(made)} slots of {minutes} minutes added to {room}.")
    else:
        messages.warning(request, f"{room} has no free time left for a {minutes}-minute slot "
                                  "within the presentations.")  # fmt: skip
    return _back(event)


@login_required
@require_POST
def judging_slot_add(request, slug):
    event = event_get_managed(slug=slug, user=request.user)
    form = SlotForm(request.POST, event=event, prefix="add")
    if not apply_form(form, lambda: services.slot_create(actor=request.user, **form.cleaned_data)):
        return _page(request, event, add=form, status=400)
    messages.success(request, "Slot added.")
    return _back(event)


@login_required
def judging_slot_edit(request, slug, pk):
    """Change a slot's times; its entry, if any, moves with it."""
    event = event_get_managed(slug=slug, user=request.user)
    slot = _slot_of(event, pk)
    if request.method != "POST":
        form = SlotTimesForm(initial={"starts_at": slot.starts_at, "ends_at": slot.ends_at})
        return render(request, "judging/slots/edit.html", {"event": event, "slot": slot,
                                                           "form": form})  # fmt: skip
    form = SlotTimesForm(request.POST)
    if not apply_form(
        form, lambda: services.slot_update(actor=request.user, slot=slot, **form.cleaned_data)
    ):
        context = {"event": event, "slot": _slot_of(event, pk), "form": form}
        return render(request, "judging/slots/edit.html", context, status=400)
    messages.success(request, "Slot moved.")
    return _back(event)


@login_required
@require_POST
def judging_slot_place(request, slug, pk):
    event = event_get_managed(slug=slug, user=request.user)
    slot = _slot_of(event, pk)
    entries = {entry.pk: entry for entry in entries_handed_in(event)}
    form = PlaceForm(request.POST, slot=slot, entries=entries.values(), placed=set())

    def save():
        chosen = entries[form.cleaned_data["submission"]]
        services.slot_place(actor=request.user, slot=slot, submission=chosen)
        when = timezone.localtime(slot.starts_at)
        messages.success(request, f"“{chosen.title}” presents in {slot.room} at {when:%H:%M}.")

    if not apply_form(form, save):
        return _page(request, event, place=form, status=400)
    return _back(event)


@login_required
@require_POST
def judging_slot_clear(request, slug, pk):
    event = event_get_managed(slug=slug, user=request.user)
    slot = _slot_of(event, pk)
    act_and_report(request, lambda: services.slot_clear(actor=request.user, slot=slot),
                   done="Slot cleared: it is free now.")  # fmt: skip
    return _back(event)


@login_required
@require_POST
def judging_slot_delete(request, slug, pk):
    event = event_get_managed(slug=slug, user=request.user)
    slot = _slot_of(event, pk)
    act_and_report(request, lambda: services.slot_delete(actor=request.user, slot=slot),
                   done="Slot deleted.")  # fmt: skip
    return _back(event)


@login_required
@require_POST
def judging_slots_fill(request, slug):
    event = event_get_managed(slug=slug, user=request.user)
    try:
        report = services.slots_fill(actor=request.user, event=event)
    except ApplicationError as error:
        messages.error(request, error.message)
        return _back(event)
    messages.success(request, f"Free slots filled: {len(report.placed)} entries given a slot.")
    if report.left:
        names = ", ".join(f"“{entry.title}” ({entry.team.name})" for entry in report.left)
        messages.warning(request, f"No free slot left for {len(report.left)} entries: {names}. "
                                  "Add slots, then fill again.")  # fmt: skip
    return _back(event)


SLOTS = "organise/<slug:slug>/judging/slots/"

urlpatterns = [
    path(SLOTS, judging_slots, name="judging_slots"),
    path(f"{SLOTS}generate/", judging_slots_generate, name="judging_slots_generate"),
    path(f"{SLOTS}add/", judging_slot_add, name="judging_slot_add"),
    path(f"{SLOTS}fill/", judging_slots_fill, name="judging_slots_fill"),
    path(f"{SLOTS}<int:pk>/edit/", judging_slot_edit, name="judging_slot_edit"),
    path(f"{SLOTS}<int:pk>/place/", judging_slot_place, name="judging_slot_place"),
    path(f"{SLOTS}<int:pk>/clear/", judging_slot_clear, name="judging_slot_clear"),
    path(f"{SLOTS}<int:pk>/delete/", judging_slot_delete, name="judging_slot_delete"),
]
