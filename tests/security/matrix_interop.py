"""Authorization-matrix rows for the catalogue's interop routes (see matrix.py for the
row format; `world.catalogue` holds the datasets they run against).

The CKAN API and the DCAT / Data Package exports are public and the same for everyone:
published datasets (open or restricted) answer 200 to every role, the draft 404 even to
catalogue editors. The import page is the catalogue editors' (and superusers'), like
event creation is the event creators'."""

from django.core.files.uploadedfile import SimpleUploadedFile

from datasets.models import Dataset
from tests.security.matrix import LOGIN, SIGNED_IN, Row, everyone, expect
from tests.security.world import World

EDITORS = "catalogue_editor,superuser"
NOT_EDITORS = ",".join(role for role in SIGNED_IN.split(",") if role not in EDITORS.split(","))


def editors_only(ok: int):
    return expect(f"anonymous:{LOGIN} {NOT_EDITORS}:403 {EDITORS}:{ok}")


def action(name: str):
    return lambda world: {"name": name}


def dataset(key: str):
    def kwargs(world: World) -> dict:
        return {"slug": getattr(world.catalogue, f"{key}_dataset").slug}

    return kwargs


def package_id(key: str):
    def data(world: World) -> dict:
        return {"id": getattr(world.catalogue, f"{key}_dataset").slug}

    return data


MANIFEST = b"slug,title,publisher\nimported-data,Imported data,City Region Data\n"


def manifest(world: World) -> dict:
    return {"file": SimpleUploadedFile("manifest.csv", MANIFEST, content_type="text/csv")}


def imported(world: World) -> bool:
    return Dataset.objects.filter(slug="imported-data").exists()


# fmt: off
def rows() -> list:
    return [
        Row("ckan:action_v3", "GET", everyone(200), action("package_list")),
        Row("ckan:action_v3", "GET", everyone(200), action("package_show"),
            data=package_id("restricted"), label="restricted"),
        Row("ckan:action_v3", "GET", everyone(404), action("package_show"),
            data=package_id("draft"), label="draft"),
        Row("ckan:action_v3", "GET", everyone(400), action("package_create"), label="unknown"),
        Row("ckan:action", "POST", everyone(200), action("package_show"),
            data=package_id("open")),
        Row("ckan:action", "POST", everyone(404), action("package_show"),
            data=package_id("draft"), label="draft"),
        Row("linked_data:catalogue_jsonld", "GET", everyone(200)),
        Row("linked_data:catalogue_ttl", "GET", everyone(200)),
        Row("linked_data:dataset_jsonld", "GET", everyone(200), dataset("restricted")),
        Row("linked_data:dataset_jsonld", "GET", everyone(404), dataset("draft"), label="draft"),
        Row("linked_data:dataset_ttl", "GET", everyone(200), dataset("open")),
        Row("linked_data:dataset_ttl", "GET", everyone(404), dataset("draft"), label="draft"),
        Row("linked_data:datapackage", "GET", everyone(200), dataset("restricted")),
        Row("linked_data:datapackage", "GET", everyone(404), dataset("draft"), label="draft"),
        Row("datasets:catalogue_import", "GET", editors_only(200)),
        Row("datasets:catalogue_import", "POST", editors_only(302), data=manifest,
            effect=imported),
    ]
# fmt: on
