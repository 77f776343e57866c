"""This app's entries in the earlier apps' registries: event page, dashboard, privacy."""

import rules

from accounts.privacy import personal_data_erasers, personal_data_exporters
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
from registration import services
from registration.forms import QuestionForm
from registration.models import Answer, Consent, Question, Registration
from registration.preview import questionnaire_preview
from registration.selectors import admission_outlook, capacity_of, registration_funnel


def _registration_context(event, request):
    registration = None
    if request.user.is_authenticated:
        registration = Registration.objects.filter(event=event, user=request.user).first()
    is_open = event.is_registration_open
    return {
        "event": event,
        "registration": registration,
        "is_open": is_open,
        # Where the seats stand, said before anyone fills in the questionnaire.
        "admission": admission_outlook(event) if is_open else None,
        "can_check_in": rules.has_perm("registration.check_in", request.user, event),
    }


event_page_sections.register(
    "registration",
    Section("Registration", "registration/sections/event.html", _registration_context),
    order=0,
)


def _door_panel(event, request):
    return {
        "event": event,
        "capacity": capacity_of(event),
        "funnel": registration_funnel(event),
    }


dashboard_panels.register(
    "registrations",
    Section("Registrations", "registration/panels/registrations.html", _door_panel),
    order=15,
)


@personal_data_exporters.register("registrations", order=20)
def export_registrations(user):
    registrations = (
        Registration.objects.filter(user=user)
        .select_related("event")
        .prefetch_related("answers__question", "consents", "theme_interests")
    )
    return [
        {
            "event": registration.event.name,
            "status": registration.status,
            "applied_at": registration.applied_at.isoformat(),
            "checked_in_at": (
                registration.checked_in_at.isoformat() if registration.checked_in_at else None
            ),
            "theme_interests": [theme.name for theme in registration.theme_interests.all()],
            "answers": [
                {"question": answer.question.label, "answer": answer.value}
                for answer in registration.answers.all()
            ],
            "consents": [
                {
                    "consent": consent.kind,
                    "version": consent.version,
                    "accepted_at": consent.accepted_at.isoformat(),
                }
                for consent in registration.consents.all()
            ],
        }
        for registration in registrations
    ]


@personal_data_erasers.register("registrations", order=20)
def erase_registrations(user):
    """Answers and consents go; the registration stays, unnamed, so counts still add up."""
    registrations = Registration.objects.filter(user=user)
    Answer.objects.filter(registration__in=registrations).delete()
    Consent.objects.filter(registration__in=registrations).delete()
    # Nobody is left to hold the ticket: its code must not admit anyone.
    registrations.update(user=None, ticket_code_hash="", ticket_issued_at=None)


console_parts.register(
    "questions",
    ConsolePart(
        model=Question,
        form_class=QuestionForm,
        services=PartServices(
            create=lambda actor, event, fields: services.question_create(
                actor=actor, event=event, **fields
            ),
            update=lambda actor, obj, fields: services.question_update(
                actor=actor, question=obj, **fields
            ),
            delete=lambda actor, obj: services.question_delete(actor=actor, question=obj),
        ),
        url_prefix="organise_question",
        title="Registration questions",
        singular="question",
        columns=(
            ("Question", lambda q: q.label),
            ("Kind", lambda q: q.get_kind_display()),
            ("Required", lambda q: "yes" if q.required else "no"),
            ("Sensitive", lambda q: "yes" if q.sensitive else "no"),
        ),
        preview=questionnaire_preview,
    ),
    order=40,
)


console_pages.register(
    "registrations", ConsolePage("Registrations", "registration_console"), order=10
)
console_pages.register("messages", ConsolePage("Messages", "registration_messages"), order=20)
