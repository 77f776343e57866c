from django.db import migrations

from accounts.enums import DEFAULT_SKILLS


def add_default_skills(apps, schema_editor):
    Skill = apps.get_model("accounts", "Skill")
    for slug, name in DEFAULT_SKILLS:
        Skill.objects.get_or_create(slug=slug, defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]

    operations = [migrations.RunPython(add_default_skills, migrations.RunPython.noop)]
