"""Participant pages: register for an event, see and change one's registrations."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import prefetch_related_objects
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.services import profile_update
from common.exceptions import ApplicationError
from common.forms import show_service_error
from common.views import act_and_report, confirm_page, is_confirmed
from events.selectors import event_get_visible
from registration import services
from registration.enums import SEAT_HOLDING, TAKING_PART, RegistrationStatus
from registration.forms import RegistrationForm
from registration.models import Registration
from registration.selectors import admission_outlook, registrations_of
from registration.tickets import current_code, ticket_code_issue, ticket_qr_svg

OUTCOME_MESSAGES = {
    RegistrationStatus.CONFIRMED: "You have a place. We have emailed you the details.",
    RegistrationStatus.WAITLISTED: "The event is full, so you are on the waiting list. "
    "We will email you if a place frees up.",
    RegistrationStatus.APPLIED: "Thank you for applying; the organisers will be in touch.",
}


def _show_error(form, error: ApplicationError) -> None:
    """Put a service's error on the form; consents are named without their prefix."""
    show_service_error(
        form, error, field_of=lambda name: name if name in form.fields else f"consent_{name}"
    )


@login_required
def register(request, slug):
    event = event_get_visible(slug=slug, user=request.user)
    existing = Registration.objects.filter(event=event, user=request.user).first()
    if existing is not None and not existing.can_apply_again:
        messages.info(request, "You are already registered for this event.")
        return redirect("registration_mine")
    prefetch_related_objects([event], "questions")  # read once, by the form and the service
    form = RegistrationForm(
        request.POST or None, event=event, user=request.user, questions=event.questions.all()
    )
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                _save_profile_facts(request.user, form)
                registration, _ = services.registration_create(
                    event=event,
                    user=request.user,
                    answers=form.answers(),
                    theme_interests=form.cleaned_data["theme_interests"],
                    consents=form.consents(),
                )
        except ApplicationError as error:
            _show_error(form, error)
        else:
            messages.success(request, OUTCOME_MESSAGES.get(registration.status, "Registered."))
            return redirect("registration_mine")
    is_open = event.is_registration_open
    context = {
        "event": event,
        "form": form,
        "is_open": is_open,
        # Said before the form, so nobody fills it in to find out they are waiting.
        "outlook": admission_outlook(event) if is_open else None,
    }
    return render(request, "registration/register.html", context)


@login_required
def edit(request, pk):
    """Change one's answers (and profile facts) while registration is open."""
    registration = _own_registration(request, pk)
    event = registration.event
    prefetch_related_objects([event], "questions")  # read once, by the form and the service
    form = RegistrationForm(
        request.POST or None,
        event=event,
        user=request.user,
        questions=event.questions.all(),
        registration=registration,
    )
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                _save_profile_facts(request.user, form)
                services.registration_details_update(
                    registration=registration,
                    answers=form.answers(),
                    theme_interests=form.cleaned_data["theme_interests"],
                    consents=form.consents(),
                    actor=request.user,
                )
        except ApplicationError as error:
            _show_error(form, error)
        else:
            messages.success(request, "Your answers are saved.")
            return redirect("registration_mine")
    context = {
        "event": event,
        "form": form,
        "is_open": event.is_registration_open and registration.can_leave,
        "registration": registration,
    }
    return render(request, "registration/register.html", context)


def _save_profile_facts(user, form):
    profile_update(
        user=user,
        participant_type=form.cleaned_data["participant_type"],
        skills=form.cleaned_data["skills"],
    )


@login_required
def mine(request):
    return render(
        request, "registration/mine.html", {"registrations": registrations_of(request.user)}
    )


def _own_registration(request, pk):
    return get_object_or_404(Registration.objects.select_related("event"), pk=pk, user=request.user)


@login_required
@require_POST
def leave(request, pk):
    """Cancel a place, or withdraw from the waiting list or an application: asked first."""
    registration = _own_registration(request, pk)
    event = registration.event
    if registration.can_leave and not is_confirmed(request):  # else the service says why not
        holds_place = registration.status in SEAT_HOLDING
        return confirm_page(
            request,
            title=f"Cancel your registration for {event.name}?",
            lines=[
                "Your place goes to the next person on the waiting list, if anyone is waiting."
                if holds_place
                else "You leave the waiting list or withdraw your application.",
                "You may register again while registration is open, but at the back of the queue.",
            ],
            button="Yes, cancel my registration",
            back=reverse("registration_mine"),
        )
    act_and_report(
        request,
        lambda: services.registration_leave(registration=registration, actor=request.user),
        done=f"You are no longer registered for {event}.",
    )
    return redirect("registration_mine")


@login_required
def offer(request, pk):
    """The page an offer email links to: GET shows the offer with Accept and Decline;
    POST answers it (declining is asked first). Accepting never happens on a GET, which
    mail scanners follow."""
    registration = _own_registration(request, pk)
    event = registration.event
    if request.method == "POST":
        accept = request.POST.get("accept") == "1"
        if not accept and _is_open_offer(registration) and not is_confirmed(request):
            return _confirm_decline(request, registration)
        done = act_and_report(
            request,
            lambda: services.registration_answer_offer(
                registration=registration, accept=accept, actor=request.user
            ),
            done=f"Your place at {event} is confirmed."
            if accept
            else "Thank you for letting us know; the place passes on.",
        )
        if done:
            return redirect("registration_mine")
        return redirect("registration_offer", pk=pk)  # which says why nothing changed
    if request.GET.get("answer") == "decline" and _is_open_offer(registration):
        return _confirm_decline(request, registration)
    context = {
        "registration": registration,
        "event": event,
        "is_open_offer": _is_open_offer(registration),
    }
    return render(request, "registration/offer.html", context)


def _is_open_offer(registration) -> bool:
    return registration.status == RegistrationStatus.OFFERED and not registration.offer_has_lapsed()


def _confirm_decline(request, registration):
    return confirm_page(
        request,
        title=f"Decline your place at {registration.event.name}?",
        lines=[
            "The place goes to the next person on the waiting list, and you cannot take it back.",
        ],
        button="Yes, decline the place",
        back=reverse("registration_offer", kwargs={"pk": registration.pk}),
        fields={"accept": "0"},
    )


@login_required
def ticket(request, pk):
    """The holder's ticket. The code is kept on the device that asked for it (see
    registration.tickets); POST issues a new one, and any earlier code stops working."""
    registration = _own_registration(request, pk)
    cookie = f"ticket_{registration.pk}"
    if request.method == "POST":
        try:
            code = ticket_code_issue(registration=registration, actor=request.user)
        except ApplicationError as error:
            messages.error(request, error.message)
            return redirect("registration_ticket", pk=registration.pk)
        response = redirect("registration_ticket", pk=registration.pk)
        response.set_cookie(
            cookie,
            code,
            max_age=_until_event_over(registration.event),
            path=request.path,
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
            samesite="Lax",  # sent when the reminder email's link is followed
        )
        return response
    held = request.COOKIES.get(cookie)
    code = current_code(registration, held) if registration.status in TAKING_PART else None
    context = {
        "registration": registration,
        "event": registration.event,
        "has_ticket": registration.status in TAKING_PART,
        "can_issue": registration.status == RegistrationStatus.CONFIRMED,
        "code": code,
        "qr_svg": ticket_qr_svg(code) if code else None,
    }
    response = render(request, "registration/ticket.html", context)
    if held and code is None:
        response.delete_cookie(cookie, path=request.path)  # replaced, revoked or void
    return response


def _until_event_over(event) -> int:
    return max(int((event.ends_at - timezone.now()).total_seconds()) + 86400, 86400)
