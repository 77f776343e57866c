"""Organisers' view of who is coming: the registrations table, bulk decisions, CSV."""

import csv

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.http import StreamingHttpResponse
from django.shortcuts import redirect, render

from accounts.enums import ParticipantType
from common.exceptions import ApplicationError
from events.selectors import event_get_managed
from registration import segments, services
from registration.enums import RegistrationStatus
from registration.forms import SegmentMessageForm
from registration.models import Answer, Registration

S = RegistrationStatus
PAGE_SIZE = 50
# Bulk decisions an organiser can take from the table, and the status each leads to.
BULK_ACTIONS = {
    "confirm": S.CONFIRMED,
    "waitlist": S.WAITLISTED,
    "decline": S.DECLINED,
    "cancel": S.CANCELLED,
}


def _filtered(event, params):
    registrations = Registration.objects.filter(event=event).select_related("user")
    if params.get("status") in S.values:
        registrations = registrations.filter(status=params["status"])
    if params.get("type") in ParticipantType.values:
        registrations = registrations.filter(user__participant_type=params["type"])
    query = params.get("q", "").strip()
    if query:
        registrations = registrations.filter(
            Q(user__display_name__icontains=query)
            | Q(user__email__icontains=query)
            | Q(walk_in_name__icontains=query)
        )
    return registrations.order_by("applied_at", "id")


@login_required
def registrations(request, slug):
    event = event_get_managed(slug=slug, user=request.user)
    if request.method == "POST":
        _bulk(request, event)
        return redirect(request.get_full_path())
    page = Paginator(_filtered(event, request.GET), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "event": event,
        "page": page,
        "statuses": S.choices,
        "types": ParticipantType.choices,
        "params": request.GET,
        "actions": BULK_ACTIONS,
        "querystring": _without_page(request.GET),
    }
    return render(request, "registration/console/registrations.html", context)


def _without_page(params) -> str:
    params = params.copy()
    params.pop("page", None)
    return params.urlencode()


def _bulk(request, event):
    to = BULK_ACTIONS.get(request.POST.get("action"))
    ids = request.POST.getlist("registration")
    if to is None or not ids:
        messages.error(request, "Choose an action and at least one registration.")
        return
    done, refused = 0, []
    for registration in Registration.objects.filter(event=event, pk__in=ids).select_related("user"):
        try:
            services.registration_transition(registration=registration, to=to, actor=request.user)
            done += 1
        except ApplicationError as error:
            refused.append(f"{registration.person_name}: {error.message}")
    if done:
        messages.success(request, f"{done} registration(s) now {S(to).label.lower()}.")
    for reason in refused:
        messages.error(request, reason)


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
                request, f"“{message.subject}” is on its way to {people} {_people(people)}."
            )
            return redirect("registration_messages", slug=event.slug)
    sent = event.segment_messages.select_related("sent_by")
    context = {"event": event, "form": form, "sent": sent}
    status = 400 if form.is_bound else 200
    return render(request, "registration/console/messages.html", context, status=status)


def _people(count: int) -> str:
    return "person" if count == 1 else "people"


class _Echo:
    """csv.writer writes to this and gets the line back, for streaming."""

    def write(self, value):
        return value


@login_required
def registrations_csv(request, slug):
    event = event_get_managed(slug=slug, user=request.user)
    questions = list(event.questions.all())
    if not rules.has_perm("registration.see_sensitive", request.user, event):
        questions = [q for q in questions if not q.sensitive]
    rows = (
        _filtered(event, request.GET)
        .prefetch_related(Prefetch("answers", queryset=Answer.objects.all()), "theme_interests")
        .iterator(chunk_size=500)
    )
    writer = csv.writer(_Echo())

    def lines():
        yield writer.writerow(
            _cell(heading)
            for heading in [
                "name",
                "email",
                "participant type",
                "status",
                "applied at",
                "checked in at",
                "themes",
                *[q.label for q in questions],
            ]
        )
        for registration in rows:
            answers = {a.question_id: a.value for a in registration.answers.all()}
            person = registration.user
            cells = [
                registration.person_name,
                person.email if person else "",
                person.get_participant_type_display() if person else "",
                registration.get_status_display(),
                registration.applied_at.isoformat(),
                registration.checked_in_at.isoformat() if registration.checked_in_at else "",
                [t.name for t in registration.theme_interests.all()],
                *[answers.get(q.pk) for q in questions],
            ]
            yield writer.writerow([_cell(cell) for cell in cells])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{event.slug}-registrations.csv"'
    return response


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(map(str, value))
    if isinstance(value, bool):
        return "yes" if value else "no"
    text = str(value)
    # A leading =, +, - or @ would run as a formula in a spreadsheet.
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text
