from django.db import migrations


def create_policies(apps, schema_editor):
    Event = apps.get_model("events", "Event")
    RegistrationPolicy = apps.get_model("registration", "RegistrationPolicy")
    for event in Event.objects.filter(registration_policy__isnull=True):
        RegistrationPolicy.objects.create(event=event)


class Migration(migrations.Migration):
    dependencies = [("registration", "0001_initial")]

    operations = [migrations.RunPython(create_policies, migrations.RunPython.noop)]
