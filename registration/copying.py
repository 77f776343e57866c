"""Registration's part of the next event (events.extensions.event_copiers): how people
are admitted, and the questionnaire in place of the default one. Counts of seats held
and people waiting belong to the source's registrations, not to its settings."""

from events.copying import copy_of, counted
from events.extensions import event_copiers
from registration.models import Question, RegistrationPolicy

POLICY_COPIED = ("mode", "offer_window_hours")
QUESTION_COPIED = ("label", "help_text", "kind", "choices", "required", "sensitive", "order")


@event_copiers.register("registration", order=20)
def copy_registration(source, target, copy) -> str:
    settings = RegistrationPolicy.objects.filter(event=source).values(*POLICY_COPIED).first()
    if settings:
        RegistrationPolicy.objects.filter(event=target).update(**settings)
    questions = list(Question.objects.filter(event=source))
    Question.objects.filter(event=target).delete()  # the defaults every new event gets
    Question.objects.bulk_create(copy_of(q, QUESTION_COPIED, event=target) for q in questions)
    return (
        f"the registration questionnaire ({counted(len(questions), 'question')}) "
        "and how people are admitted"
    )
