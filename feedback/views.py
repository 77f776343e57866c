"""Answering a survey through its emailed link (no sign-in), and the event's directory."""

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseForbidden
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from common.exceptions import ApplicationError
from common.forms import show_service_error
from common.views import apply_form
from events.selectors import event_get_visible
from feedback import connections
from feedback.forms import DirectoryEntryForm, SurveyAnswerForm
from feedback.models import DirectoryEntry
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


@login_required
def directory(request, slug):
    """The event's directory, and the person's own entry (join, change, leave)."""
    event = event_get_visible(slug=slug, user=request.user)
    # Whoever may join may read: asked first, so the audience is read once for them.
    can_join = rules.has_perm("feedback.join_directory", request.user, event)
    if not (can_join or rules.has_perm("feedback.view_directory", request.user, event)):
        raise Http404("No directory here.")
    entry = DirectoryEntry.objects.filter(event=event, user=request.user).first()
    form = DirectoryEntryForm(
        request.POST if request.method == "POST" else None,
        initial={"about": entry.about, "shares_email": entry.shares_email} if entry else None,
    )
    status = 200
    if request.method == "POST":
        if not can_join:
            return HttpResponseForbidden("Only people who took part can be listed.")
        if request.POST.get("action") == "leave":
            connections.directory_leave(event=event, user=request.user)
            messages.success(request, "You are no longer in the directory.")
            return redirect("feedback_directory", slug=event.slug)
        if apply_form(
            form,
            lambda: connections.directory_join(event=event, user=request.user, **form.cleaned_data),
        ):
            messages.success(request, "Your entry in the directory is saved.")
            return redirect("feedback_directory", slug=event.slug)
        status = 400
    context = {
        "event": event,
        "listings": connections.directory_listings(event),
        "entry": entry,
        "form": form,
        "can_join": can_join,
        "consent_text": connections.EMAIL_CONSENT_TEXTS[connections.EMAIL_CONSENT_VERSION],
    }
    return render(request, "feedback/directory.html", context, status=status)
