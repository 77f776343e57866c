from django.db import migrations

from registration.questionnaire import DEFAULT_QUESTIONS


def add_default_questions(apps, schema_editor):
    Event = apps.get_model("events", "Event")
    Question = apps.get_model("registration", "Question")
    for event in Event.objects.filter(questions__isnull=True):
        Question.objects.bulk_create(
            Question(event=event, label=label, kind=kind, required=required,
                     sensitive=sensitive, choices=choices, help_text=help_text, order=order)
            for order, (label, kind, required, sensitive, choices, help_text)
            in enumerate(DEFAULT_QUESTIONS)
        )


class Migration(migrations.Migration):
    dependencies = [("registration", "0003_questionnaire_consents")]

    operations = [migrations.RunPython(add_default_questions, migrations.RunPython.noop)]
