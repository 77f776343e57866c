from django.db import migrations


def create_policies(apps, schema_editor):
    Event = apps.get_model("events", "Event")
    TeamPolicy = apps.get_model("teams", "TeamPolicy")
    for event in Event.objects.filter(team_policy__isnull=True):
        TeamPolicy.objects.create(event=event)


class Migration(migrations.Migration):
    dependencies = [("teams", "0001_initial")]

    operations = [migrations.RunPython(create_policies, migrations.RunPython.noop)]
