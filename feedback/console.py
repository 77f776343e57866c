"""Organisers' pages: the survey's settings and who has answered, and its preview."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from common.views import apply_form
from events.selectors import event_get_managed
from feedback.enums import Audience
from feedback.forms import SurveyAnswerForm, SurveySettingsForm
from feedback.models import Survey
from feedback.selectors import questions_for, response_rates, survey_of
from feedback.services import editing


@login_required
def survey_settings(request, slug):
    event = event_get_managed(slug=slug, user=request.user)
    survey = survey_of(event)
    # The form validates a copy, so the service compares against what is stored.
    form = SurveySettingsForm(
        request.POST or None, instance=Survey.objects.select_related("event").get(pk=survey.pk)
    )
    if request.method == "POST" and apply_form(
        form, lambda: editing.survey_update(actor=request.user, survey=survey, **form.cleaned_data)
    ):
        messages.success(request, "Survey settings saved.")
        return redirect("feedback_survey", slug=event.slug)
    context = {
        "event": event,
        "survey": survey,
        "form": form,
        "rates": response_rates(survey),
    }
    return render(
        request, "feedback/console/survey.html", context, status=400 if form.errors else 200
    )


def survey_preview(request, event):
    """The survey as one audience gets it (?audience=judges; participants by default),
    unbound, with its button disabled: nothing is saved or sent."""
    audience = request.GET.get("audience", Audience.PARTICIPANTS)
    if audience not in Audience.values:
        audience = Audience.PARTICIPANTS
    form = SurveyAnswerForm(questions=questions_for(event, audience))
    context = {
        "event": event,
        "survey": survey_of(event),
        "form": form,
        "audience": Audience(audience),
        "audiences": Audience,
    }
    return render(request, "feedback/console/preview.html", context)
