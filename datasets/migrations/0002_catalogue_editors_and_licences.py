from django.db import migrations

# Members keep the shared catalogue (datasets.rules); superusers always may.
CATALOGUE_EDITORS = "Catalogue editors"

# CKAN's default licence list (ids as CKAN names them, so imports and CKAN clients
# match), with the licences' current addresses.
LICENCES = [
    ("cc-by", "Creative Commons Attribution", "https://creativecommons.org/licenses/by/4.0/", True),
    (
        "cc-by-sa",
        "Creative Commons Attribution Share-Alike",
        "https://creativecommons.org/licenses/by-sa/4.0/",
        True,
    ),
    ("cc-nc", "Creative Commons Non-Commercial (Any)", "https://creativecommons.org/licenses/by-nc/4.0/", False),
    ("cc-zero", "Creative Commons CCZero", "https://creativecommons.org/publicdomain/zero/1.0/", True),
    ("gfdl", "GNU Free Documentation License", "https://www.gnu.org/licenses/fdl-1.3.html", True),
    ("notspecified", "License not specified", "", False),
    ("odc-by", "Open Data Commons Attribution License", "https://opendatacommons.org/licenses/by/1-0/", True),
    (
        "odc-odbl",
        "Open Data Commons Open Database License (ODbL)",
        "https://opendatacommons.org/licenses/odbl/1-0/",
        True,
    ),
    (
        "odc-pddl",
        "Open Data Commons Public Domain Dedication and License (PDDL)",
        "https://opendatacommons.org/licenses/pddl/1-0/",
        True,
    ),
    ("other-at", "Other (Attribution)", "", True),
    ("other-closed", "Other (Not Open)", "", False),
    ("other-nc", "Other (Non-Commercial)", "", False),
    ("other-open", "Other (Open)", "", True),
    ("other-pd", "Other (Public Domain)", "", True),
    (
        "uk-ogl",
        "UK Open Government Licence (OGL)",
        "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
        True,
    ),
]


def add_group_and_licences(apps, schema_editor):
    apps.get_model("auth", "Group").objects.get_or_create(name=CATALOGUE_EDITORS)
    Licence = apps.get_model("datasets", "Licence")
    for licence_id, title, url, is_open in LICENCES:
        Licence.objects.update_or_create(
            id=licence_id, defaults={"title": title, "url": url, "is_open": is_open}
        )


class Migration(migrations.Migration):
    dependencies = [("datasets", "0001_initial"), ("auth", "0012_alter_user_first_name_max_length")]

    operations = [migrations.RunPython(add_group_and_licences, migrations.RunPython.noop)]
