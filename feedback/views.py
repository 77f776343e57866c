"""Answering a survey through its emailed link (no sign-in)."""

from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from common.exceptions import ApplicationError
from common.forms import show_service_error
from feedback.forms import SurveyAnswerForm
from feedback.services.responding import link_open, response_submit


# The address carries a personal token: no cache may keep the page, and other sites it
# links to get no Referer (Django's default Referrer-Policy is same-origin).
@never_cache
@require_http_methods(["GET", "POST"])
def survey_answer(request, token):
    try:
        link = link_open(token=token)
    except ApplicationError as error:
        return _refused(request, error)
    if link.refusal is not None:
        return _refused(request, link.refusal, event=link.survey.event)
    posted = request.POST if request.method == "POST" else None  # an empty form is posted too
    form = SurveyAnswerForm(posted, questions=link.questions)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                response_submit(token=token, answers=form.answers())
            except ApplicationError as error:
                if error.code in {"already_answered", "survey_closed"}:
                    return _refused(request, error, event=link.survey.event)
                show_service_error(form, error)
            else:
                return redirect("survey_thanks")
        status = 400
    context = {"form": form, "survey": link.survey, "event": link.survey.event}
    return render(request, "feedback/answer.html", context, status=status)


def _refused(request, error, *, event=None):
    return render(
        request,
        "feedback/answer_refused.html",
        {"message": error.message, "event": event},
        status=error.status,
    )


def survey_thanks(request):
    return render(request, "feedback/thanks.html")
