"""The licences the catalogue offers: CKAN's default licence list, with CKAN's ids (so
imports and CKAN clients match) and the licences' current addresses.

Migration 0002 adds them; `licences_ensure` adds them again where a database was
emptied since (the demo on a flushed database).
"""

# (id, title, url, is open)
LICENCES = [
    ("cc-by", "Creative Commons Attribution", "https://creativecommons.org/licenses/by/4.0/", True),
    (
        "cc-by-sa",
        "Creative Commons Attribution Share-Alike",
        "https://creativecommons.org/licenses/by-sa/4.0/",
        True,
    ),
    (
        "cc-nc",
        "Creative Commons Non-Commercial (Any)",
        "https://creativecommons.org/licenses/by-nc/4.0/",
        False,
    ),
    (
        "cc-zero",
        "Creative Commons CCZero",
        "https://creativecommons.org/publicdomain/zero/1.0/",
        True,
    ),
    ("gfdl", "GNU Free Documentation License", "https://www.gnu.org/licenses/fdl-1.3.html", True),
    ("notspecified", "License not specified", "", False),
    (
        "odc-by",
        "Open Data Commons Attribution License",
        "https://opendatacommons.org/licenses/by/1-0/",
        True,
    ),
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


def licences_ensure(licence_model=None) -> None:
    """Create or update every licence of LICENCES (`licence_model` for a migration's
    historical model)."""
    if licence_model is None:
        from datasets.models import Licence as licence_model
    for licence_id, title, url, is_open in LICENCES:
        licence_model.objects.update_or_create(
            id=licence_id, defaults={"title": title, "url": url, "is_open": is_open}
        )
