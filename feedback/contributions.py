"""What feedback adds to earlier apps' pages: the survey's console part and page, the
dashboard's panel, and the event page's link to the directory."""

import rules
from django.utils import timezone

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
from feedback.console import survey_preview
from feedback.forms import SurveyQuestionForm
from feedback.models import DirectoryEntry, SurveyQuestion
from feedback.selectors import response_rates, survey_of
from feedback.series import lessons_from
from feedback.services import editing

console_parts.register(
    "survey_questions",
    ConsolePart(
        model=SurveyQuestion,
        form_class=SurveyQuestionForm,
        services=PartServices(
            create=lambda actor, event, fields: editing.question_create(
                actor=actor, event=event, **fields
            ),
            update=lambda actor, obj, fields: editing.question_update(
                actor=actor, question=obj, **fields
            ),
            delete=lambda actor, obj: editing.question_delete(actor=actor, question=obj),
        ),
        url_prefix="organise_survey_question",
        title="Survey questions",
        singular="survey question",
        columns=(
            ("Question", lambda q: q.text),
            ("Kind", lambda q: q.get_kind_display()),
            ("Asked of", lambda q: ", ".join(a.capitalize() for a in q.audiences)),
        ),
        preview=survey_preview,
    ),
    order=80,
)
console_pages.register("survey", ConsolePage("Feedback survey", "feedback_survey"), order=80)
console_pages.register("survey_report", ConsolePage("Feedback report", "feedback_report"), order=85)
console_pages.register(
    "series", ConsolePage("Compare the series' events", "feedback_series"), order=86
)


def _survey_panel(event, request):
    """From the end of the event: how many of each audience were invited and answered."""
    now = timezone.now()
    if now < event.ends_at:
        return None
    survey = survey_of(event)
    return {"survey": survey, "rates": response_rates(survey), "closed": now >= survey.closes_at}


dashboard_panels.register(
    "feedback",
    Section("Feedback", "feedback/panels/survey.html", _survey_panel),
    order=80,
)


def _directory_section(event, request):
    """After the event, for those who may read the directory: a link to it."""
    if not rules.has_perm("feedback.view_directory", request.user, event):
        return None
    joined = DirectoryEntry.objects.filter(event=event, user_id=request.user.pk).exists()
    return {"event": event, "joined": joined}


event_page_sections.register(
    "directory",
    Section("Stay in touch", "feedback/sections/directory.html", _directory_section),
    order=90,
)


def _lessons_panel(event, request):
    """On an event that follows another: what the last one's feedback said."""
    if event.previous_event_id is None:
        return None
    return {"lessons": lessons_from(event.previous_event), "event": event}


dashboard_panels.register(
    "lessons",
    Section("Lessons from last time", "feedback/panels/lessons.html", _lessons_panel),
    order=5,
)
