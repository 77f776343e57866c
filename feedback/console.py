"""Organisers' pages: the survey's settings and who has answered, its preview, its report
and a CSV of every answer."""

from csp.decorators import csp_update
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from common.csv_export import csv_download
from common.views import apply_form
from events.selectors import event_get_managed
from feedback import series
from feedback.enums import Audience
from feedback.forms import SurveyAnswerForm, SurveySettingsForm
from feedback.models import Survey, SurveyQuestion, SurveyReportBuild, SurveyResponse
from feedback.report import HIDDEN, HIDDEN_NOTE
from feedback.selectors import questions_for, response_rates, survey_of
from feedback.services import editing, reporting


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


@login_required
@require_http_methods(["GET", "POST"])
def survey_report(request, slug):
    """The report as last built, printable; POST asks for it to be built again."""
    event = event_get_managed(slug=slug, user=request.user)
    survey = survey_of(event)
    if request.method == "POST":
        reporting.report_request(survey=survey, actor=request.user)
        messages.success(request, "The report is being built with the answers as they are now.")
        return redirect("feedback_report", slug=event.slug)
    build = SurveyReportBuild.objects.filter(survey=survey).first()
    content = build.content if build and build.built_at else {}
    context = {
        "event": event,
        "survey": survey,
        "build": build,
        "report": content.get("survey"),
        "facts": content.get("facts"),
        "by_type": content.get("participants_by_type"),
        "hidden_note": HIDDEN_NOTE,
        "hidden_word": HIDDEN,
    }
    return render(request, "feedback/console/report.html", context)


@login_required
def survey_answers_csv(request, slug):
    """Every response, one row each, a column per question. In an anonymous survey the
    rows carry no name or time and follow their random ids, so their order says nothing."""
    event = event_get_managed(slug=slug, user=request.user)
    survey = survey_of(event)
    questions = list(SurveyQuestion.objects.filter(event=event))
    named = not survey.anonymous
    responses = SurveyResponse.objects.filter(survey=survey).order_by("pk")
    if named:
        responses = responses.select_related("invitation__user")

    def rows():
        for response in responses.iterator(chunk_size=500):
            person = []
            if named:
                user = response.invitation.user if response.invitation else None
                person = [str(user) if user else "", response.submitted_at]
            answers = [response.answers.get(str(question.pk)) for question in questions]
            yield [response.get_audience_display(), *person, *answers]

    headings = ["Audience", *(["Name", "Answered at"] if named else [])]
    return csv_download(
        rows(),
        headings=[*headings, *(question.text for question in questions)],
        filename=f"{event.slug}-survey-answers.csv",
        name="survey answers",
    )


# The chart's SVG styles its text inline; it carries no script (matplotlib writes none)
# and is shown through <img>, where none would run anyway.
@csp_update({"style-src": ["'unsafe-inline'"]})
@login_required
def survey_report_chart(request, slug, key):
    """One chart of the built report, as an SVG image: "rates", or a question's id."""
    event = event_get_managed(slug=slug, user=request.user)
    build = SurveyReportBuild.objects.filter(survey__event=event, built_at__isnull=False).first()
    charts = report_charts(build.content["survey"]) if build else {}
    if key not in charts:
        raise Http404("No such chart in the report.")
    return HttpResponse(charts[key]["svg"], content_type="image/svg+xml; charset=utf-8")


def report_charts(report: dict) -> dict[str, dict]:
    """The charts of a built report by key: "rates", then each question's id."""
    charts = {"rates": report["rates_chart"]} if report.get("rates_chart") else {}
    for question in report["questions"]:
        if question.get("chart"):
            charts[question["question"]["id"]] = question["chart"]
    return charts


@login_required
def series_comparison(request, slug):
    """The events of this event's series side by side, from their kept reports."""
    event = event_get_managed(slug=slug, user=request.user)
    figures = series.series_figures(event)
    context = {
        "event": event,
        "figures": figures,
        "aspects": series.ASPECTS,
        "charts": series.series_charts(figures),
        "types": _types_in(figures),
    }
    return render(request, "feedback/console/series.html", context)


def _types_in(figures) -> list[str]:
    """The participant types any event of the series had, in the order first met."""
    return list(dict.fromkeys(name for f in figures for name in f.mix))


@csp_update({"style-src": ["'unsafe-inline'"]})
@login_required
def series_chart(request, slug, key):
    event = event_get_managed(slug=slug, user=request.user)
    charts = series.series_charts(series.series_figures(event))
    if key not in charts:
        raise Http404("No such chart.")
    return HttpResponse(charts[key].svg, content_type="image/svg+xml; charset=utf-8")
