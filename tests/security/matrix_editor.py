"""Authorization-matrix rows for the catalogue's editor routes (see matrix.py for the
row format; `world.catalogue` holds the datasets they run against).

The editors' pages answer people who are not catalogue editors 403, as creating an event
does (`superuser_only`): the catalogue's existence is no secret, only its editing is
reserved. An unknown dataset or resource answers editors 404. The featured datasets of
an event are a console part, so they follow the console's rows: the organisers of A (and
superusers) may, everyone else gets 404.
"""

from django.core.files.uploadedfile import SimpleUploadedFile

from datasets.models import Dataset, DatasetFeature, DatasetTerms, Publisher, Resource
from tests.factories import DEMO_CSV
from tests.security.matrix import (
    CONFIRMED,
    LOGIN,
    SIGNED_IN,
    UP,
    A,
    D,
    Row,
    console,
    constant,
    expect,
    signed_in,
)
from tests.security.world import World

EDITORS = "catalogue_editor,superuser"
NOT_EDITORS = ",".join(role for role in SIGNED_IN.split(",") if role not in EDITORS.split(","))


def editors(ok: int):
    return expect(f"anonymous:{LOGIN} {NOT_EDITORS}:403 {EDITORS}:{ok}")


# URL kwargs ---------------------------------------------------------------------------


def dataset(attr: str):
    return lambda w: {"slug": getattr(w.catalogue, attr).slug}


def resource(attr: str, *, under: str | None = None):
    """A resource of the catalogue, addressed under its own dataset or `under` another."""

    def build(w: World) -> dict:
        target = getattr(w.catalogue, attr)
        owner = getattr(w.catalogue, under) if under else target.dataset
        return {"slug": owner.slug, "pk": target.pk}

    return build


def publisher(w: World) -> dict:
    return {"slug": w.catalogue.open_dataset.publisher.slug}


def unknown_dataset(w: World) -> dict:
    return {"slug": "no-such-dataset"}


def feature_of_a(w: World) -> dict:
    return {"slug": w.a.event.slug, "pk": w.catalogue.feature.pk}


def feature_of_b_under_a(w: World) -> dict:
    feature, _ = DatasetFeature.objects.get_or_create(
        event=w.b.event, dataset=w.catalogue.open_dataset
    )
    return {"slug": w.a.event.slug, "pk": feature.pk}


# Data ---------------------------------------------------------------------------------


def dataset_form(title: str):
    def build(w: World) -> dict:
        return {
            "title": title,
            "publisher": w.catalogue.open_dataset.publisher_id,
            "licence": "uk-ogl",
            "update_frequency": "ANNUAL",
            "access_level": "open",
            "keywords": "matrix",
        }

    return build


def upload(filename: str):
    return lambda w: {"file": SimpleUploadedFile(filename, DEMO_CSV), "name": "Matrix upload"}


LINK_FORM = constant({"url": "https://example.org/data", "name": "Matrix link", "format": "csv"})
RESOURCE_FORM = constant({"name": "Matrix renamed", "description": "", "table_schema": ""})
PUBLISHER_FORM = constant({"name": "Matrix publisher", "url": ""})
TERMS_FORM = constant({"text": "Matrix terms."})


def feature_form(w: World) -> dict:
    return {"dataset": w.catalogue.restricted_dataset.pk, "challenge": "", "order": 0}


def feature_edit_form(w: World) -> dict:
    return {"dataset": w.catalogue.open_dataset.pk, "challenge": "", "note": "Matrix", "order": 0}


# Effects ------------------------------------------------------------------------------


def dataset_titled(title: str):
    return lambda w: Dataset.objects.filter(title=title).exists()


def dataset_state(attr: str, **values):
    return lambda w: Dataset.objects.filter(pk=getattr(w.catalogue, attr).pk, **values).exists()


def dataset_gone(attr: str):
    return lambda w: not Dataset.objects.filter(pk=getattr(w.catalogue, attr).pk).exists()


def resource_state(attr: str, **values):
    return lambda w: Resource.objects.filter(pk=getattr(w.catalogue, attr).pk, **values).exists()


def resource_gone(attr: str):
    return lambda w: not Resource.objects.filter(pk=getattr(w.catalogue, attr).pk).exists()


def resource_named(name: str):
    return lambda w: Resource.objects.filter(name=name).exists()


def terms_version_2(w: World) -> bool:
    return DatasetTerms.objects.filter(dataset=w.catalogue.restricted_dataset, version=2).exists()


def publisher_named(name: str):
    return lambda w: Publisher.objects.filter(name=name).exists()


def restricted_featured_on_a(w: World) -> bool:
    return DatasetFeature.objects.filter(
        event=w.a.event, dataset=w.catalogue.restricted_dataset
    ).exists()


def feature_note(note: str, *, event: str = "a"):
    def check(w: World) -> bool:
        return DatasetFeature.objects.filter(event=getattr(w, event).event, note=note).exists()

    return check


def feature_gone(w: World) -> bool:
    return not DatasetFeature.objects.filter(pk=w.catalogue.feature.pk).exists()


def b_feature_gone(w: World) -> bool:
    return not DatasetFeature.objects.filter(event=w.b.event).exists()


# fmt: off
def rows() -> list:
    return [
        Row("datasets:editor_home", "GET", editors(200)),
        Row("datasets:editor_dataset_create", "GET", editors(200)),
        Row("datasets:editor_dataset_create", "POST", editors(302),
            data=dataset_form("Matrix dataset"), effect=dataset_titled("Matrix dataset")),
        Row("datasets:editor_publishers", "GET", editors(200)),
        Row("datasets:editor_publisher_create", "GET", editors(200)),
        Row("datasets:editor_publisher_create", "POST", editors(302), data=PUBLISHER_FORM,
            effect=publisher_named("Matrix publisher")),
        Row("datasets:editor_publisher_edit", "GET", editors(200), publisher),
        Row("datasets:editor_publisher_edit", "POST", editors(302), publisher,
            data=PUBLISHER_FORM, effect=publisher_named("Matrix publisher")),
        Row("datasets:editor_dataset", "GET", editors(200), dataset("open_dataset")),
        Row("datasets:editor_dataset", "GET", editors(200), dataset("draft_dataset"),
            label="draft"),
        Row("datasets:editor_dataset", "GET", editors(404), unknown_dataset, label="unknown"),
        Row("datasets:editor_dataset_edit", "GET", editors(200), dataset("draft_dataset")),
        Row("datasets:editor_dataset_edit", "POST", editors(302), dataset("draft_dataset"),
            data=dataset_form("Matrix renamed"),
            effect=dataset_state("draft_dataset", title="Matrix renamed")),
        Row("datasets:editor_dataset_publish", "GET", editors(200), dataset("draft_dataset")),
        Row("datasets:editor_dataset_publish", "POST", editors(302), dataset("draft_dataset"),
            data=CONFIRMED, effect=dataset_state("draft_dataset", is_published=True)),
        Row("datasets:editor_dataset_unpublish", "GET", editors(200), dataset("open_dataset")),
        Row("datasets:editor_dataset_unpublish", "POST", editors(302), dataset("open_dataset"),
            data=CONFIRMED, effect=dataset_state("open_dataset", is_published=False)),
        Row("datasets:editor_dataset_delete", "GET", editors(200), dataset("draft_dataset")),
        Row("datasets:editor_dataset_delete", "POST", editors(302), dataset("draft_dataset"),
            data=CONFIRMED, effect=dataset_gone("draft_dataset")),
        # Featured on A: editors are sent back with the reason; nobody deletes it.
        Row("datasets:editor_dataset_delete", "POST", editors(302), dataset("open_dataset"),
            data=CONFIRMED, label="featured"),
        Row("datasets:editor_terms", "GET", editors(200), dataset("restricted_dataset")),
        Row("datasets:editor_terms", "POST", editors(302), dataset("restricted_dataset"),
            data=TERMS_FORM, effect=terms_version_2),
        Row("datasets:editor_resource_upload", "GET", editors(200), dataset("open_dataset")),
        Row("datasets:editor_resource_upload", "POST", editors(302), dataset("open_dataset"),
            data=upload("matrix.csv"), effect=resource_named("Matrix upload")),
        Row("datasets:editor_resource_link", "GET", editors(200), dataset("open_dataset")),
        Row("datasets:editor_resource_link", "POST", editors(302), dataset("open_dataset"),
            data=LINK_FORM, effect=resource_named("Matrix link")),
        Row("datasets:editor_resource_edit", "GET", editors(200), resource("open_resource")),
        Row("datasets:editor_resource_edit", "POST", editors(302), resource("open_resource"),
            data=RESOURCE_FORM, effect=resource_state("open_resource", name="Matrix renamed")),
        Row("datasets:editor_resource_edit", "POST", editors(404),
            resource("restricted_resource", under="open_dataset"), label="other-dataset",
            data=RESOURCE_FORM,
            effect=resource_state("restricted_resource", name="Matrix renamed")),
        Row("datasets:editor_resource_replace", "GET", editors(200), resource("open_resource")),
        Row("datasets:editor_resource_replace", "POST", editors(302), resource("open_resource"),
            data=upload("replaced.csv"),
            effect=resource_state("open_resource", original_filename="replaced.csv")),
        Row("datasets:editor_resource_delete", "GET", editors(200), resource("draft_resource")),
        Row("datasets:editor_resource_delete", "POST", editors(302), resource("draft_resource"),
            data=CONFIRMED, effect=resource_gone("draft_resource")),
        Row("datasets:editor_resource_delete", "POST", editors(404),
            resource("draft_resource", under="open_dataset"), label="other-dataset",
            data=CONFIRMED, effect=resource_gone("draft_resource")),
        # The featured datasets of an event: a console part.
        Row("organise_datasets", "GET", console(200), A),
        Row("organise_datasets", "GET", console(200), D, label="draft"),
        Row("organise_datasets", "POST", console(302), A, data=feature_form,
            effect=restricted_featured_on_a),
        Row("organise_dataset_feature_edit", "GET", console(200), feature_of_a),
        Row("organise_dataset_feature_edit", "POST", console(302), feature_of_a,
            data=feature_edit_form, effect=feature_note("Matrix")),
        Row("organise_dataset_feature_edit", "POST", signed_in(404), feature_of_b_under_a,
            label="other-event", data=feature_edit_form, effect=feature_note("Matrix", event="b")),
        Row("organise_dataset_feature_delete", "GET", console(200), feature_of_a),
        Row("organise_dataset_feature_delete", "POST", console(200), feature_of_a,
            label="unconfirmed", effect=feature_gone),
        Row("organise_dataset_feature_delete", "POST", console(302), feature_of_a,
            data=CONFIRMED, effect=feature_gone),
        Row("organise_dataset_feature_delete", "POST", signed_in(404), feature_of_b_under_a,
            label="other-event", data=CONFIRMED, effect=b_feature_gone),
        Row("organise_dataset_feature_move", "POST", console(302), feature_of_a, data=UP,
            label="already-first"),
        Row("organise_dataset_feature_move", "POST", signed_in(404), feature_of_b_under_a,
            label="other-event", data=UP),
        Row("organise_dataset_feature_move", "GET", signed_in(405), feature_of_a),
    ]
# fmt: on
