from django.db import migrations

# Members may create events (events.rules: events.add_event); superusers always may.
EVENT_CREATORS = "Event creators"


def add_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.get_or_create(name=EVENT_CREATORS)


class Migration(migrations.Migration):
    dependencies = [("events", "0001_initial"), ("auth", "0012_alter_user_first_name_max_length")]

    operations = [migrations.RunPython(add_group, migrations.RunPython.noop)]
