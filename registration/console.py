"""Organisers' view of who is coming: the registrations table, bulk decisions, CSV."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts.enums import ParticipantType
from common.exceptions import ApplicationError
from common.views import act_and_report
from events.selectors import event_get_managed
from registration import segments, services
from registration.enums import Actor, RegistrationStatus, moves_for
from registration.export import registrations_csv_response
from registration.forms import BulkDecisionForm, SegmentMessageForm
from registration.models import Registration
from registration.selectors import (
    answer_filter_options,
    questions_visible_to,
    registrations_for_organisers,
)
from registration.tickets import ticket_code_revoke

S = RegistrationStatus
PAGE_SIZE = 50
# What each decision is called on the bulk form, by the status it leads to.
VERBS = {
    S.CONFIRMED: "confirm",
    S.WAITLISTED: "waitlist",
    S.DECLINED: "decline",
    S.CANCELLED: "cancel",
}
# The bulk decisions, and the status each leads to: exactly the moves organisers may
# make in the lifecycle table (registration.enums.TRANSITIONS).
BULK_ACTIONS = {VERBS[status]: status for status in moves_for(Actor.ORGANISER)}


@login_required
def registrations(request, slug):
    event = event_get_managed(slug=slug, user=request.user)
    status = 200
    if request.method == "POST":
        form = BulkDecisionForm(request.POST, event=event, actions=BULK_ACTIONS)
        if form.is_valid():
            _bulk(request, BULK_ACTIONS[form.cleaned_data["action"]], form.cleaned_data)
            return redirect(request.get_full_path())
        for reasons in form.errors.values():
            messages.error(request, reasons[0])
        status = 400
    questions = questions_visible_to(event, request.user)
    try:
        registrations = registrations_for_organisers(event, request.GET, questions=questions)
    except ApplicationError as error:  # a filter value that is none of the choices
        messages.error(request, error.message)
        registrations, status = Registration.objects.none(), 400
    page = Paginator(registrations, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "event": event,
        "page": page,
        "statuses": S.choices,
        "types": ParticipantType.choices,
        "answer_options": answer_filter_options(questions),
        "params": request.GET,
        "actions": BULK_ACTIONS,
        "querystring": _without_page(request.GET),
    }
    return render(request, "registration/console/registrations.html", context, status=status)


def _without_page(params) -> str:
    params = params.copy()
    params.pop("page", None)
    return params.urlencode()


def _bulk(request, to, cleaned):
    done, refused = 0, []
    for registration in cleaned["registration"]:
        try:
            services.registration_transition(
                registration=registration, to=to, by=Actor.ORGANISER, actor=request.user
            )
            done += 1
        except ApplicationError as error:
            refused.append(f"{registration.person_name}: {error.message}")
    if done:
        messages.success(request, f"{done} registration(s) now {S(to).label.lower()}.")
    for reason in refused:
        messages.error(request, reason)


@login_required
@require_POST
def ticket_reissue(request, slug, pk):
    """Void a participant's ticket code; they fetch a new one from their ticket page."""
    event = event_get_managed(slug=slug, user=request.user)
    registration = get_object_or_404(
        Registration.objects.select_related("user"), pk=pk, event=event
    )
    act_and_report(
        request,
        lambda: ticket_code_revoke(registration=registration, actor=request.user),
        done=f"{registration.person_name}'s ticket code no longer works; we have emailed "
        "them to get a new one from their ticket page.",
    )
    # Back to the table as it was filtered, from the form the button sits in.
    back = request.POST.get("next", "")
    console = reverse("registration_console", kwargs={"slug": event.slug})
    return redirect(back if back.startswith(console) else console)


@login_required
def segment_messages(request, slug):
    event = event_get_managed(slug=slug, user=request.user)
    sizes = segments.segment_sizes(event)
    form = SegmentMessageForm(request.POST or None, sizes=sizes)
    if request.method == "POST" and form.is_valid():
        try:
            message = segments.segment_message_send(
                event=event, actor=request.user, **form.cleaned_data
            )
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            people = sizes[message.segment]
            messages.success(
                request, f"“{message.subject}” is on its way to {segments.people(people)}."
            )
            return redirect("registration_messages", slug=event.slug)
    sent = event.segment_messages.select_related("sent_by")
    context = {"event": event, "form": form, "sent": sent}
    status = 400 if form.is_bound else 200
    return render(request, "registration/console/messages.html", context, status=status)


@login_required
def registrations_csv(request, slug):
    event = event_get_managed(slug=slug, user=request.user)
    questions = questions_visible_to(event, request.user)
    try:
        registrations = registrations_for_organisers(event, request.GET, questions=questions)
    except ApplicationError as error:
        return render(request, "400.html", {"message": error.message}, status=400)
    return registrations_csv_response(event, registrations, questions)
