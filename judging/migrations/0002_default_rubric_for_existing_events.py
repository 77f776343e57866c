from django.db import migrations

from judging.rubric import DEFAULT_CRITERIA


def add_default_rubric(apps, schema_editor):
    Event = apps.get_model("events", "Event")
    Criterion = apps.get_model("judging", "Criterion")
    for event in Event.objects.filter(criteria__isnull=True):
        Criterion.objects.bulk_create(
            Criterion(event=event, name=name, weight=weight, description=description,
                      levels=[[score, text] for score, text in levels.items()], order=order)
            for order, (name, weight, description, levels) in enumerate(DEFAULT_CRITERIA)
        )  # fmt: skip


class Migration(migrations.Migration):
    dependencies = [("judging", "0001_rubric")]

    operations = [migrations.RunPython(add_default_rubric, migrations.RunPython.noop)]
