"""The questionnaire's preview in the organiser console (the questions part's `preview`)."""

from django.shortcuts import render

from registration.forms import RegistrationForm


def questionnaire_preview(request, event):
    """The registration form of `event` as a participant gets it: the same form class,
    themes, questions and consents, unbound (the organiser's own profile facts filled in,
    as each participant's are), shown with its button disabled, so nothing is sent."""
    form = RegistrationForm(event=event, user=request.user, questions=event.questions.all())
    return render(
        request, "registration/questionnaire_preview.html", {"event": event, "form": form}
    )
