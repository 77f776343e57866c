"""Organisers' view of who is coming: the registrations table, a page per person, their
decisions, CSV."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts.enums import ParticipantType
from common.exceptions import ApplicationError
from common.views import act_and_report, confirm_page, is_confirmed
from events.selectors import event_get_managed
from registration import segments, services
from registration.enums import SEAT_HOLDING, Actor, RegistrationStatus, moves_for
from registration.export import registrations_csv_response
from registration.forms import BulkDecisionForm, SegmentMessageForm
from registration.models import Registration
from registration.selectors import (
    answer_filter_options,
    capacity_of,
    questions_visible_to,
    registration_history,
    registrations_for_organisers,
)
from registration.tickets import ticket_code_revoke

S = RegistrationStatus
PAGE_SIZE = 50
# What each decision is called, by the status it leads to.
VERBS = {
    S.CONFIRMED: "confirm",
    S.WAITLISTED: "waitlist",
    S.DECLINED: "decline",
    S.CANCELLED: "cancel",
    S.OFFERED: "offer",
}
# How each decision reads on a button, and what it says once done.
BUTTONS = {
    S.CONFIRMED: "Confirm their place",
    S.WAITLISTED: "Put them on the waiting list",
    S.DECLINED: "Decline the application",
    S.CANCELLED: "Cancel their place",
    S.OFFERED: "Offer a place",
}
DONE = {
    S.CONFIRMED: "{name} has a confirmed place; we have emailed them.",
    S.WAITLISTED: "{name} is on the waiting list; we have emailed them.",
    S.DECLINED: "{name}'s application is declined; we have emailed them.",
    S.CANCELLED: "{name}'s place is cancelled; we have emailed them.",
    S.OFFERED: "{name} has been offered a place; we have emailed them a link to accept it.",
}
# Decisions that cannot be taken back ask first: (question, what follows, button).
ASK_FIRST = {
    S.DECLINED: (
        "Decline {name}'s application?",
        "They will be emailed that their application was not accepted. This is final: "
        "they cannot apply again.",
        "Yes, decline the application",
    ),
    S.CANCELLED: (
        "Cancel {name}'s place?",
        "They will be emailed that their place is cancelled, and the seat will be offered "
        "to the first person on the waiting list.",
        "Yes, cancel their place",
    ),
}
# A seat is offered one person at a time, from their row or page, never in bulk.
PER_PERSON = frozenset({S.OFFERED})


def decisions(status, capacity, *, bulk: bool, offers_open: bool) -> list[str]:
    """The statuses organisers may move a registration in `status` (any, when None) to,
    leaving out what can only fail: taking a seat when none is free, offering one once
    the event has started (services.offers_open)."""
    moves = moves_for(Actor.ORGANISER, status or None)
    if bulk:
        moves = [to for to in moves if to not in PER_PERSON]
    if not offers_open:
        moves = [to for to in moves if to != S.OFFERED]
    if capacity.is_full:
        # From a status that holds no seat, a move to one that does needs a free seat.
        holds = status in SEAT_HOLDING
        moves = [to for to in moves if holds or to not in SEAT_HOLDING]
    return moves


# The table's sortable columns, in order: (sort key, heading).
SORTABLE = [("name", "Name"), ("type", "Type"), ("status", "Status"), ("applied", "Applied")]


def _sort_headings(params) -> list[dict]:
    """Each sortable column's heading, link (this column, the other way when it is the
    current one) and aria-sort."""
    current = params.get("sort", "") or "applied"
    headings = []
    for key, label in SORTABLE:
        query = params.copy()
        query.pop("page", None)
        if current == key:
            query["sort"], aria = f"-{key}", "ascending"
        elif current == f"-{key}":
            query["sort"], aria = key, "descending"
        else:
            query["sort"], aria = key, "none"
        headings.append({"label": label, "href": f"?{query.urlencode()}", "aria_sort": aria})
    return headings


@login_required
def registrations(request, slug):
    event = event_get_managed(slug=slug, user=request.user)
    capacity = capacity_of(event)
    offering = services.offers_open(event)
    filtered = request.GET.get("status", "")
    actions = {
        VERBS[to]: to
        for to in decisions(
            filtered if filtered in S.values else None,
            capacity,
            bulk=True,
            offers_open=offering,
        )
    }
    status = 200
    if request.method == "POST":
        form = BulkDecisionForm(request.POST, event=event, actions=actions)
        if form.is_valid():
            to, chosen = actions[form.cleaned_data["action"]], form.cleaned_data["registration"]
            if to in ASK_FIRST and not is_confirmed(request):
                return _confirm_bulk(request, to, chosen)
            _bulk(request, to, chosen)
            return redirect(request.get_full_path())
        for reasons in form.errors.values():
            messages.error(request, reasons[0])
        status = 400
    questions = questions_visible_to(event, request.user)
    try:
        registrations = registrations_for_organisers(event, request.GET, questions=questions)
    except ApplicationError as error:  # a filter or sort value that is none of the choices
        messages.error(request, error.message)
        registrations, status = Registration.objects.none(), 400
    page = Paginator(registrations, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "event": event,
        "capacity": capacity,
        "page": page,
        "statuses": S.choices,
        "types": ParticipantType.choices,
        "answer_options": answer_filter_options(questions),
        "params": request.GET,
        "actions": actions,
        "headings": _sort_headings(request.GET),
        # Waitlisted rows get an "Offer a place" button while a seat is free.
        "can_offer": S.OFFERED
        in decisions(S.WAITLISTED, capacity, bulk=False, offers_open=offering),
        "querystring": _without_page(request.GET),
    }
    return render(request, "registration/console/registrations.html", context, status=status)


def _without_page(params) -> str:
    params = params.copy()
    params.pop("page", None)
    return params.urlencode()


class _HiddenFields(list):
    """(name, value) pairs for confirm.html's hidden inputs, where a name repeats for each
    registration ticked (which the usual dict cannot hold); `items` is what it reads."""

    def items(self):
        return self


# Asking before a bulk decision that cannot be taken back: (question, what follows).
ASK_FIRST_BULK = {
    S.DECLINED: (
        "Decline {count}?",
        "{names} will be emailed that their application was not accepted. This is final.",
    ),
    S.CANCELLED: (
        "Cancel the places of {count}?",
        "{names} will be emailed that their place is cancelled; each seat is offered to "
        "the next person on the waiting list.",
    ),
}


def _confirm_bulk(request, to, chosen):
    question, consequence = ASK_FIRST_BULK[to]
    names = [registration.person_name for registration in chosen]
    count = segments.people(len(names))
    listed = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
    fields = _HiddenFields([("action", VERBS[to])])
    fields += [("registration", registration.pk) for registration in chosen]
    return confirm_page(
        request,
        title=question.format(count=count),
        lines=[consequence.format(names=listed)],
        button=f"Yes, {VERBS[to]} {count}",
        back=request.get_full_path(),
        fields=fields,
    )


def _bulk(request, to, chosen):
    done, refused = 0, []
    for registration in chosen:
        try:
            services.registration_transition(
                registration=registration, to=to, by=Actor.ORGANISER, actor=request.user
            )
            done += 1
        except ApplicationError as error:
            refused.append(f"{registration.person_name}: {error.message}")
    if done:
        noun = "registration" if done == 1 else "registrations"
        messages.success(request, f"{done} {noun} now {S(to).label.lower()}.")
    for reason in refused:
        messages.error(request, reason)


def _registration_of(event, pk) -> Registration:
    # Another event's registration answers 404, as if it did not exist.
    return get_object_or_404(Registration.objects.select_related("user"), pk=pk, event=event)


@login_required
def person(request, slug, pk):
    """One registration: the person's answers, where they stand, what happened to them,
    and the decisions organisers may make about them now."""
    event = event_get_managed(slug=slug, user=request.user)
    registration = _registration_of(event, pk)
    if request.method == "POST":
        return _decide(request, event, registration)
    capacity = capacity_of(event)
    questions = questions_visible_to(event, request.user)
    answers = {a.question_id: a.value for a in registration.answers.all()}
    offering = services.offers_open(event)
    moves = decisions(registration.status, capacity, bulk=False, offers_open=offering)
    context = {
        "event": event,
        "registration": registration,
        "capacity": capacity,
        "answers": [(question, answers.get(question.pk)) for question in questions],
        "themes": registration.theme_interests.all(),
        "consents": registration.consents.all(),
        "history": registration_history(registration),
        "actions": [
            {"name": VERBS[to], "label": BUTTONS[to], "warning": to in ASK_FIRST}
            for to in moves
            if to != S.OFFERED
        ],
        "can_offer": S.OFFERED in moves,
        # Waiting, but no offer can be made: say why instead of a button that would fail.
        "no_seat_to_offer": offering
        and S.OFFERED in moves_for(Actor.ORGANISER, registration.status)
        and S.OFFERED not in moves,
        "offers_closed": not offering and registration.status == S.WAITLISTED,
        "back": reverse("registration_console", kwargs={"slug": event.slug}),
    }
    return render(request, "registration/console/person.html", context)


def _decide(request, event, registration):
    here = reverse("registration_person", kwargs={"slug": event.slug, "pk": registration.pk})
    to = {verb: status for status, verb in VERBS.items() if status not in PER_PERSON}.get(
        request.POST.get("action", "")
    )
    if to is None:
        messages.error(request, "Choose one of the decisions on this page.")
        return redirect(here)
    name = registration.person_name
    if to in ASK_FIRST and not is_confirmed(request):
        question, consequence, button = ASK_FIRST[to]
        return confirm_page(
            request,
            title=question.format(name=name),
            lines=[consequence],
            button=button,
            back=here,
            fields={"action": VERBS[to]},
        )
    act_and_report(
        request,
        lambda: services.registration_transition(
            registration=registration, to=to, by=Actor.ORGANISER, actor=request.user
        ),
        done=DONE[to].format(name=name),
    )
    return redirect(here)


@login_required
@require_POST
def offer_place(request, slug, pk):
    """Offer a waitlisted person a free seat, as the system offers one: the same offer
    email, the same window to accept it."""
    event = event_get_managed(slug=slug, user=request.user)
    registration = _registration_of(event, pk)
    act_and_report(
        request,
        lambda: services.registration_transition(
            registration=registration, to=S.OFFERED, by=Actor.ORGANISER, actor=request.user
        ),
        done=DONE[S.OFFERED].format(name=registration.person_name),
    )
    return redirect(_back_within_console(request, event, registration))


def _back_within_console(request, event, registration) -> str:
    """Back to the page the button was on (the table as it was filtered, or the person's
    page), never to anywhere outside this event's registrations."""
    back = request.POST.get("next", "")
    console = reverse("registration_console", kwargs={"slug": event.slug})
    if back.startswith(console):
        return back
    return reverse("registration_person", kwargs={"slug": event.slug, "pk": registration.pk})


@login_required
@require_POST
def ticket_reissue(request, slug, pk):
    """Void a participant's ticket code; they fetch a new one from their ticket page."""
    event = event_get_managed(slug=slug, user=request.user)
    registration = _registration_of(event, pk)
    act_and_report(
        request,
        lambda: ticket_code_revoke(registration=registration, actor=request.user),
        done=f"{registration.person_name}'s ticket code no longer works; we have emailed "
        "them to get a new one from their ticket page.",
    )
    return redirect(_back_within_console(request, event, registration))


@login_required
def registrations_csv(request, slug):
    event = event_get_managed(slug=slug, user=request.user)
    questions = questions_visible_to(event, request.user)
    try:
        registrations = registrations_for_organisers(event, request.GET, questions=questions)
    except ApplicationError as error:
        return render(request, "400.html", {"message": error.message}, status=400)
    return registrations_csv_response(event, registrations, questions)


@login_required
def segment_messages(request, slug):
    """Write a message to one group, check it as they will get it, then send it."""
    event = event_get_managed(slug=slug, user=request.user)
    form = SegmentMessageForm(request.POST or None, sizes=segments.segment_sizes(event))
    if request.method == "POST" and form.is_valid() and "change" not in request.POST:
        try:
            if not is_confirmed(request):
                preview = segments.segment_message_preview(event=event, **form.cleaned_data)
                context = {"event": event, "preview": preview, "form": form}
                return render(request, "registration/console/message_preview.html", context)
            message = segments.segment_message_send(
                event=event, actor=request.user, **form.cleaned_data
            )
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                f"“{message.subject}” is on its way to "
                f"{segments.people(form.sizes[message.segment])}.",
            )
            return redirect("registration_messages", slug=event.slug)
    sent = event.segment_messages.select_related("sent_by")
    context = {"event": event, "form": form, "sent": sent}
    status = 400 if form.errors else 200
    return render(request, "registration/console/messages.html", context, status=status)


@login_required
def segment_message(request, slug, pk):
    """A message as it was sent: what, to whom, when, by whom, to how many."""
    event = event_get_managed(slug=slug, user=request.user)
    message = get_object_or_404(event.segment_messages.select_related("sent_by"), pk=pk)
    context = {
        "event": event,
        "message": message,
        "email": segments.segment_message_render(message),
    }
    return render(request, "registration/console/message.html", context)
