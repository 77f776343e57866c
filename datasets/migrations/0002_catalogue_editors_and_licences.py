from django.db import migrations

from datasets.licences import licences_ensure

# Members keep the shared catalogue (datasets.rules); superusers always may.
CATALOGUE_EDITORS = "Catalogue editors"


def add_group_and_licences(apps, schema_editor):
    apps.get_model("auth", "Group").objects.get_or_create(name=CATALOGUE_EDITORS)
    licences_ensure(apps.get_model("datasets", "Licence"))


class Migration(migrations.Migration):
    dependencies = [("datasets", "0001_initial"), ("auth", "0012_alter_user_first_name_max_length")]

    operations = [migrations.RunPython(add_group_and_licences, migrations.RunPython.noop)]
