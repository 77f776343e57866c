from django.db import migrations

from feedback.template import DEFAULT_QUESTIONS, survey_closes_at


def add_default_survey(apps, schema_editor):
    Event = apps.get_model("events", "Event")
    Survey = apps.get_model("feedback", "Survey")
    SurveyQuestion = apps.get_model("feedback", "SurveyQuestion")
    for event in Event.objects.filter(survey__isnull=True):
        Survey.objects.create(event=event, closes_at=survey_closes_at(event))
        SurveyQuestion.objects.bulk_create(
            SurveyQuestion(event=event, key=key, text=text, kind=kind, choices=choices,
                           audiences=[str(a) for a in audiences], help_text=help_text, order=order)
            for order, (key, text, kind, audiences, choices, help_text) in enumerate(
                DEFAULT_QUESTIONS
            )
        )  # fmt: skip


class Migration(migrations.Migration):
    dependencies = [("feedback", "0001_surveys"), ("events", "0004_text_limits")]

    operations = [migrations.RunPython(add_default_survey, migrations.RunPython.noop)]
