"""The organiser console at /organise/: events, their set-up pages and their people."""

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Max
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from common.views import act_and_report, apply_form, confirm_page, is_confirmed
from events import services
from events.enums import RoleKind
from events.extensions import ConsolePart, console_parts, dashboard_panels, render_sections
from events.forms import (
    ChallengeForm,
    EventForm,
    NextEventForm,
    RoleInviteForm,
    ScheduleItemForm,
    ThemeForm,
)
from events.models import Challenge, EventRole, ScheduleItem, Theme
from events.selectors import event_get_managed, events_managed_by, roles_for_event


@login_required
def organise_home(request):
    claimed = services.role_invitations_claim(user=request.user)
    for role in claimed:
        messages.success(request, f"You are now {role.get_role_display().lower()} of {role.event}.")
    context = {
        "events": events_managed_by(request.user),
        "can_create": rules.has_perm("events.add_event", request.user),
        "other_roles": EventRole.objects.filter(user=request.user)
        .exclude(role=RoleKind.ORGANISER)
        .select_related("event"),
    }
    return render(request, "events/organise/home.html", context)


@login_required
def event_create(request):
    if not rules.has_perm("events.add_event", request.user):
        raise PermissionDenied
    form = EventForm(request.POST or None, user=request.user)
    created = {}

    def save():
        created["event"] = services.event_create(actor=request.user, **form.cleaned_data)

    if request.method == "POST" and apply_form(form, save):
        messages.success(request, "Event created as a draft. Add themes, then publish it.")
        return redirect("organise_dashboard", slug=created["event"].slug)
    return render(request, "events/organise/event_create.html", {"form": form, "event": None})


@login_required
def dashboard(request, slug):
    event = event_get_managed(slug=slug, user=request.user)
    context = {
        "event": event,
        "panels": render_sections(dashboard_panels, event, request),
        "can_create_next": rules.has_perm("events.create_next_event", request.user, event),
    }
    return render(request, "events/organise/dashboard.html", context)


@login_required
def event_create_next(request, slug):
    """The next event of the series, made from this one: a draft with its set-up."""
    source = event_get_managed(slug=slug, user=request.user)
    if not rules.has_perm("events.create_next_event", request.user, source):
        raise PermissionDenied  # they run this event, but may not create events
    form = NextEventForm(request.POST or None, source=source)
    created, copied = {}, []

    def save():
        created["event"] = services.event_create_next(
            source=source, actor=request.user, report=copied.append, **form.cleaned_data
        )

    if request.method == "POST" and apply_form(form, save):
        event = created["event"]
        messages.success(
            request,
            f"{event.name} is created as a draft, following {source.name}. "
            f"Copied: {'; '.join(copied)}. Check its details and dates before publishing.",
        )
        return redirect("organise_dashboard", slug=event.slug)
    return render(request, "events/organise/create_next.html", {"event": source, "form": form})


@login_required
def event_edit(request, slug):
    event = event_get_managed(slug=slug, user=request.user)
    # The form writes onto its own copy, so the service sees what actually changed.
    form = EventForm(
        request.POST or None, instance=type(event).objects.get(pk=event.pk), user=request.user
    )
    # What followed in other apps (offers sent for new seats) joins the message.
    followed = []
    if request.method == "POST" and apply_form(
        form,
        lambda: services.event_update(
            actor=request.user, event=event, report=followed.append, **form.cleaned_data
        ),
    ):
        messages.success(request, " ".join(["Event details saved.", *followed]))
        return redirect("organise_dashboard", slug=event.slug)
    return render(request, "events/organise/event_form.html", {"form": form, "event": event})


@login_required
@require_POST
def event_publish(request, slug):
    event = event_get_managed(slug=slug, user=request.user)
    publish = request.POST.get("publish") == "1"
    dashboard_url = reverse("organise_dashboard", kwargs={"slug": event.slug})
    if not publish and event.is_published and not is_confirmed(request):
        return confirm_page(
            request,
            title=f"Take {event.name} back to draft?",
            lines=(
                "Its public page, schedule and registration form are hidden from the "
                "public: only the event's organisers, judges, mentors and volunteers can "
                "open them. People who registered cannot open the event's page while it "
                "is a draft, and nobody can register.",
                "Nothing is deleted and nobody is emailed: registrations, answers and "
                "everything set up are kept, and publishing again shows it all as before.",
            ),
            button="Yes, take it back to draft",
            back=dashboard_url,
            fields={"publish": "0"},
        )
    act_and_report(
        request,
        lambda: services.event_set_published(actor=request.user, event=event, published=publish),
        done="Event published." if publish else "Event back in draft.",
    )
    return redirect(dashboard_url)


# --- An event's parts (themes, challenges, schedule, …): one set of views --------------


def _local(value):
    return timezone.localtime(value).strftime("%d %b %Y %H:%M")


console_parts.register(
    "themes",
    ConsolePart(
        model=Theme,
        form_class=ThemeForm,
        services=services.EVENT_PARTS[Theme],
        url_prefix="organise_theme",
        title="Themes",
        singular="theme",
        columns=(("Name", lambda t: t.name), ("Order", lambda t: t.order)),
    ),
    order=10,
)
console_parts.register(
    "challenges",
    ConsolePart(
        model=Challenge,
        form_class=ChallengeForm,
        services=services.EVENT_PARTS[Challenge],
        url_prefix="organise_challenge",
        title="Challenges",
        singular="challenge",
        form_takes_event=True,
        related=("theme",),
        columns=(
            ("Title", lambda c: c.title),
            ("Theme", lambda c: c.theme.name),
            ("Partner", lambda c: c.partner_organisation or "—"),
        ),
    ),
    order=20,
)
console_parts.register(
    "schedule",
    ConsolePart(
        model=ScheduleItem,
        form_class=ScheduleItemForm,
        services=services.EVENT_PARTS[ScheduleItem],
        url_prefix="organise_schedule_item",
        title="Schedule",
        singular="schedule item",
        columns=(
            ("Starts", lambda s: _local(s.starts_at)),
            ("Ends", lambda s: _local(s.ends_at)),
            ("Title", lambda s: s.title),
            ("Kind", lambda s: s.get_kind_display()),
        ),
    ),
    order=30,
)


def _child_queryset(kind, event):
    return kind.model.objects.filter(event=event).select_related(*kind.related)


def _list_url(kind_name, event):
    return reverse("organise_" + kind_name, kwargs={"slug": event.slug})


def _part_form_page(request, event, kind, kind_name, form, item=None):
    """The form to add (item None) or edit one part, its error summary at the top."""
    context = {"event": event, "kind": kind, "kind_name": kind_name, "form": form, "item": item}
    return render(request, "events/organise/child_form.html", context)


@login_required
def child_list(request, slug, kind):
    kind_name, kind = kind, console_parts.get(kind)
    event = event_get_managed(slug=slug, user=request.user)
    # A new part comes last unless the organiser says otherwise.
    initial = {"order": _next_order(kind, event)} if kind.orderable else None
    form = kind.form(event, request.POST or None, initial=initial)
    if request.method == "POST":
        if apply_form(form, lambda: kind.services.create(request.user, event, form.cleaned_data)):
            messages.success(request, f"The {kind.singular} is added.")
            return redirect(request.path)
        # The form alone, so its errors are the first thing on the page, not below a list.
        return _part_form_page(request, event, kind, kind_name, form)
    rows = [
        (item, [(heading, column(item)) for heading, column in kind.columns])
        for item in _child_queryset(kind, event)
    ]
    context = {"event": event, "kind": kind, "kind_name": kind_name, "rows": rows, "form": form}
    return render(request, "events/organise/child_list.html", context)


def _next_order(kind, event) -> int:
    highest = kind.model.objects.filter(event=event).aggregate(highest=Max("order"))["highest"]
    return 0 if highest is None else highest + 1


@login_required
def child_edit(request, slug, kind, pk):
    kind_name, kind = kind, console_parts.get(kind)
    event = event_get_managed(slug=slug, user=request.user)
    item = get_object_or_404(kind.model, pk=pk, event=event)
    # The form writes onto its own copy, so the service sees what actually changed.
    form = kind.form(event, request.POST or None, instance=kind.model.objects.get(pk=item.pk))
    if request.method == "POST" and apply_form(
        form, lambda: kind.services.update(request.user, item, form.cleaned_data)
    ):
        messages.success(request, f"The {kind.singular} is saved.")
        return redirect(_list_url(kind_name, event))
    return _part_form_page(request, event, kind, kind_name, form, item)


@login_required
def child_delete(request, slug, kind, pk):
    kind_name, kind = kind, console_parts.get(kind)
    event = event_get_managed(slug=slug, user=request.user)
    item = get_object_or_404(kind.model, pk=pk, event=event)
    list_url = _list_url(kind_name, event)
    if not is_confirmed(request):
        return confirm_page(
            request,
            title=f"Delete the {kind.singular} “{item}”?",
            lines=(f"It is removed from {event.name} for good; this cannot be undone.",),
            button=f"Yes, delete this {kind.singular}",
            back=list_url,
        )
    act_and_report(
        request,
        lambda: kind.services.delete(request.user, item),
        done=f"The {kind.singular} “{item}” is deleted.",
    )
    return redirect(list_url)


@login_required
@require_POST
def child_move(request, slug, kind, pk):
    """Move up / Move down on the list of an ordered part: one place, then back to it."""
    kind_name, kind = kind, console_parts.get(kind)
    event = event_get_managed(slug=slug, user=request.user)
    item = get_object_or_404(kind.model, pk=pk, event=event)
    direction = request.POST.get("direction", "")
    act_and_report(
        request,
        lambda: services.part_move(actor=request.user, part=item, direction=direction),
        done=f"“{item}” moved {direction}.",
    )
    return redirect(f"{_list_url(kind_name, event)}#{kind_name}-{item.pk}")


@login_required
def child_preview(request, slug, kind):
    kind = console_parts.get(kind)
    event = event_get_managed(slug=slug, user=request.user)
    return kind.preview(request, event)


# --- Roles ----------------------------------------------------------------------------


@login_required
def roles(request, slug):
    event = event_get_managed(slug=slug, user=request.user)
    form = RoleInviteForm(request.POST or None)
    if request.method == "POST" and apply_form(
        form,
        lambda: services.role_invite(actor=request.user, event=event, **form.cleaned_data),
    ):
        messages.success(request, f"Invitation sent to {form.cleaned_data['email']}.")
        return redirect("organise_roles", slug=event.slug)
    return render(
        request,
        "events/organise/roles.html",
        {"event": event, "roles": roles_for_event(event), "form": form},
    )


@login_required
def role_revoke(request, slug, pk):
    event = event_get_managed(slug=slug, user=request.user)
    role = get_object_or_404(EventRole, pk=pk, event=event)
    if not is_confirmed(request):
        kind = role.get_role_display().lower()
        if role.is_pending:
            title = f"Withdraw the invitation to {role.email} as {kind}?"
            lines = ("The link in their invitation email will stop working.",)
        else:
            title = f"Remove {role.user} as {kind} of {event.name}?"
            lines = (f"They will no longer have a {kind}'s pages for this event.",)
        return confirm_page(
            request,
            title=title,
            lines=lines,
            button="Yes, remove" if not role.is_pending else "Yes, withdraw it",
            back=reverse("organise_roles", kwargs={"slug": event.slug}),
        )
    act_and_report(
        request,
        lambda: services.role_revoke(actor=request.user, role=role),
        done=f"{role} removed.",
    )
    return redirect("organise_roles", slug=event.slug)
