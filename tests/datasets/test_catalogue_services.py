import datetime
import hashlib
import io
import os
import re

import openpyxl
import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import ProtectedError

from common.exceptions import ApplicationError
from common.models import AuditEntry
from datasets.enums import ProfileStatus
from datasets.models import Dataset, DatasetFeature, Download, Keyword, Licence, Resource
from datasets.rules import CATALOGUE_EDITORS
from datasets.services import catalogue, featuring, resources
from datasets.tableschema import table_schema_from_text
from tests.factories import (
    DEMO_CSV,
    ChallengeFactory,
    DatasetFactory,
    DatasetFeatureFactory,
    DatasetTermsFactory,
    EventFactory,
    PublisherFactory,
    ResourceFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"


@pytest.fixture
def editor():
    person = UserFactory()
    person.groups.add(Group.objects.get(name=CATALOGUE_EDITORS))
    return person


def _new_dataset(editor, **fields):
    fields.setdefault("title", "Claimant count by month")
    fields.setdefault("publisher", PublisherFactory())
    fields.setdefault("licence", Licence.objects.get(pk="uk-ogl"))
    return catalogue.dataset_create(actor=editor, **fields)


def _stored_path(resource) -> str:
    return os.path.realpath(resource.file.path)


# --- Datasets ----------------------------------------------------------------------------


def test_dataset_create_is_unpublished_with_slug_creator_and_audit(editor):
    dataset = _new_dataset(editor, keywords="benefits, Halton", themes=["ECON", "SOCI"])

    assert dataset.is_published is False
    assert dataset.slug == "claimant-count-by-month"
    assert dataset.created_by == editor
    assert {k.name for k in dataset.keywords.all()} == {"benefits", "Halton"}
    assert sorted(dataset.themes.values_list("theme", flat=True)) == ["ECON", "SOCI"]
    assert AuditEntry.objects.filter(action="dataset.created", target_id=str(dataset.pk)).exists()


def test_dataset_create_same_title_gets_next_slug(editor):
    _new_dataset(editor)

    assert _new_dataset(editor).slug == "claimant-count-by-month-2"


def test_dataset_create_unknown_field_refused(editor):
    with pytest.raises(ApplicationError, match="is_published"):
        _new_dataset(editor, is_published=True)

    assert not Dataset.objects.exists()


def test_keywords_parse_strips_collapses_and_dedupes_case_insensitively():
    text = " Transport, transport ,  active   travel,, TRANSPORT ,"

    assert catalogue.keywords_parse(text) == ["Transport", "active travel"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a" * 101, "longer than 100 characters"),
        (",".join(f"k{n}" for n in range(31)), "at most 30 keywords"),
        ("fine, bad\x00one", "control characters"),
    ],
)
def test_keywords_parse_refuses_bad_keywords(text, message):
    with pytest.raises(ApplicationError, match=message):
        catalogue.keywords_parse(text)


def test_keywords_set_reuses_a_keyword_spelt_otherwise(editor):
    Keyword.objects.create(name="transport")

    dataset = _new_dataset(editor, keywords="Transport")

    assert list(dataset.keywords.values_list("name", flat=True)) == ["transport"]
    assert Keyword.objects.count() == 1


def test_dataset_create_unknown_theme_refused_and_nothing_saved(editor):
    with pytest.raises(ApplicationError, match="“XXXX” is not a catalogue theme"):
        _new_dataset(editor, themes=["ECON", "XXXX"])


def test_dataset_update_replaces_keywords_and_themes_and_audits(editor):
    dataset = _new_dataset(editor, keywords="a, b", themes=["ECON"])

    catalogue.dataset_update(
        actor=editor, dataset=dataset, title="New title", keywords="c", themes=["TRAN"]
    )

    dataset.refresh_from_db()
    assert dataset.title == "New title"
    assert [k.name for k in dataset.keywords.all()] == ["c"]
    assert list(dataset.themes.values_list("theme", flat=True)) == ["TRAN"]
    entry = AuditEntry.objects.get(action="dataset.updated")
    assert entry.data == {"changed": ["title", "keywords", "themes"]}


def test_dataset_update_with_the_same_keywords_and_themes_audits_nothing(editor):
    dataset = _new_dataset(editor, keywords="a, b", themes=["ECON", "TRAN"])

    catalogue.dataset_update(
        actor=editor, dataset=dataset, keywords="B, a", themes=["TRAN", "ECON"]
    )

    assert AuditEntry.objects.filter(action="dataset.updated").count() == 0


def test_dataset_update_audits_only_what_differs(editor):
    dataset = _new_dataset(editor, keywords="a, b", themes=["ECON"])

    catalogue.dataset_update(actor=editor, dataset=dataset, keywords="a, b", themes=["SOCI"])

    entry = AuditEntry.objects.get(action="dataset.updated")
    assert entry.data == {"changed": ["themes"]}


def test_dataset_update_coverage_ending_before_start_refused(editor):
    dataset = _new_dataset(editor)

    with pytest.raises(ApplicationError, match=re.escape("The coverage must end after it starts.")):
        catalogue.dataset_update(
            actor=editor,
            dataset=dataset,
            temporal_start=datetime.date(2026, 1, 1),
            temporal_end=datetime.date(2025, 1, 1),
        )


def test_dataset_publish_restricted_without_terms_refused(editor):
    dataset = _new_dataset(editor, access_level="restricted")

    with pytest.raises(ApplicationError, match="needs its terms of use"):
        catalogue.dataset_publish(actor=editor, dataset=dataset)

    dataset.refresh_from_db()
    assert dataset.is_published is False


def test_dataset_publish_and_unpublish_audited(editor):
    dataset = _new_dataset(editor, access_level="restricted")
    catalogue.terms_publish(actor=editor, dataset=dataset, text="Use it kindly.")

    catalogue.dataset_publish(actor=editor, dataset=dataset)
    published = Dataset.objects.get(pk=dataset.pk).is_published
    catalogue.dataset_unpublish(actor=editor, dataset=dataset)

    assert (published, Dataset.objects.get(pk=dataset.pk).is_published) == (True, False)
    actions = list(AuditEntry.objects.order_by("pk").values_list("action", flat=True))
    assert actions[-2:] == ["dataset.published", "dataset.unpublished"]


def test_dataset_delete_featured_refused_naming_the_event(editor):
    feature = DatasetFeatureFactory(event=EventFactory(name="Runcorn Data Day"))

    with pytest.raises(ApplicationError, match="featured on Runcorn Data Day") as refused:
        catalogue.dataset_delete(actor=editor, dataset=feature.dataset)

    assert refused.value.status == 409
    assert Dataset.objects.filter(pk=feature.dataset_id).exists()


def test_dataset_delete_downloaded_refused(editor):
    resource = ResourceFactory()
    Download.objects.create(resource=resource, user=None)

    with pytest.raises(ApplicationError, match="has been downloaded"):
        catalogue.dataset_delete(actor=editor, dataset=resource.dataset)


def test_dataset_delete_removes_its_files_after_commit(editor, django_capture_on_commit_callbacks):
    resource = ResourceFactory()
    path = _stored_path(resource)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        catalogue.dataset_delete(actor=editor, dataset=resource.dataset)
    kept_until_commit = os.path.exists(path)
    for callback in callbacks:
        callback()

    assert kept_until_commit is True
    assert not os.path.exists(path)
    assert not Dataset.objects.filter(pk=resource.dataset_id).exists()


# --- Terms ---------------------------------------------------------------------------------


def test_terms_publish_creates_next_version(editor):
    dataset = DatasetTermsFactory().dataset

    terms = catalogue.terms_publish(actor=editor, dataset=dataset, text="  Version two.  ")

    assert (terms.version, terms.text) == (2, "Version two.")
    assert list(dataset.terms.values_list("version", flat=True)) == [2, 1]


def test_terms_publish_blank_refused(editor):
    dataset = DatasetFactory()

    with pytest.raises(ApplicationError, match=re.escape("Text: This field cannot be blank.")):
        catalogue.terms_publish(actor=editor, dataset=dataset, text="   ")

    assert not dataset.terms.exists()


# --- Uploads -------------------------------------------------------------------------------


def test_resource_upload_csv_stored_under_generated_name_and_queued(editor):
    dataset = DatasetFactory()

    resource = resources.resource_create_upload(
        actor=editor,
        dataset=dataset,
        uploaded_file=SimpleUploadedFile("claimants.csv", DEMO_CSV),
        name="",
        description="Monthly.",
    )

    resource.refresh_from_db()
    assert (resource.name, resource.format, resource.media_type) == (
        "claimants.csv",
        "CSV",
        "text/csv",
    )
    assert resource.size == len(DEMO_CSV)
    assert resource.sha256 == hashlib.sha256(DEMO_CSV).hexdigest()
    assert resource.original_filename == "claimants.csv"
    assert "claimants" not in resource.file.name
    assert _stored_path(resource).startswith(os.path.realpath(settings.MEDIA_ROOT) + os.sep)
    assert resource.profile_status == ProfileStatus.QUEUED
    assert AuditEntry.objects.filter(action="resource.created").count() == 1


@pytest.mark.parametrize(
    ("filename", "content", "message"),
    [
        ("empty.csv", b"", "“empty.csv” is empty."),
        ("data.csv", b"a,b\n\x00\x01\x02\x03binary", "not a kind of file the catalogue takes"),
        ("data.csv", PNG, "“data.csv” is named as .csv but its content is a PNG image"),
        ("sheet.xlsx", DEMO_CSV, "named as .xlsx but its content is text (CSV)"),
    ],
)
def test_resource_upload_bad_file_refused_and_nothing_stored(editor, filename, content, message):
    dataset = DatasetFactory()
    media_before = sorted(os.walk(settings.MEDIA_ROOT))

    with pytest.raises(ApplicationError, match=re.escape(message)) as refused:
        resources.resource_create_upload(
            actor=editor,
            dataset=dataset,
            uploaded_file=SimpleUploadedFile(filename, content),
            name="x",
        )

    assert refused.value.details == {"file": [refused.value.details["file"][0]]}
    assert not Resource.objects.exists()
    assert sorted(os.walk(settings.MEDIA_ROOT)) == media_before


def test_resource_upload_over_cap_refused(editor, settings):
    settings.UPLOAD_MAX_BYTES = 10

    with pytest.raises(ApplicationError, match="larger than"):
        resources.resource_create_upload(
            actor=editor,
            dataset=DatasetFactory(),
            uploaded_file=SimpleUploadedFile("claimants.csv", DEMO_CSV),
        )


@pytest.mark.parametrize(
    "filename",
    ["../../etc/passwd.csv", "..\\..\\evil.csv", "nul\x00byte.csv", "x" * 1000 + ".csv"],
)
def test_resource_upload_hostile_filename_stored_under_generated_name(editor, filename):
    upload = SimpleUploadedFile("placeholder", DEMO_CSV)
    upload.name = filename  # past Django's own clean-up, as a hostile client might get it
    resource = resources.resource_create_upload(
        actor=editor, dataset=DatasetFactory(), uploaded_file=upload, name="Claimants"
    )

    stored = _stored_path(resource)
    assert stored.startswith(os.path.realpath(settings.MEDIA_ROOT) + os.sep)
    assert "passwd" not in stored and "evil" not in stored and "xxxx" not in stored
    assert "/" not in resource.original_filename and "\\" not in resource.original_filename
    assert "\x00" not in resource.original_filename
    assert len(resource.original_filename) <= 255


def test_resource_create_link_is_not_profiled(editor):
    resource = resources.resource_create_link(
        actor=editor,
        dataset=DatasetFactory(),
        url="https://example.org/data.csv",
        name="Upstream",
        format=" csv ",
    )

    assert (resource.format, resource.profile_status, resource.file.name) == (
        "CSV",
        ProfileStatus.NONE,
        "",
    )


def test_resource_create_link_bad_url_refused(editor):
    with pytest.raises(ApplicationError, match=re.escape("Url: Enter a valid URL.")):
        resources.resource_create_link(
            actor=editor, dataset=DatasetFactory(), url="javascript:alert(1)", name="Bad"
        )


def test_resource_replace_file_new_hash_and_old_file_removed_after_commit(
    editor, django_capture_on_commit_callbacks
):
    resource = ResourceFactory()
    old_path = _stored_path(resource)
    new_content = b'{"areas": ["Halton"]}'

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        resources.resource_replace_file(
            actor=editor,
            resource=resource,
            uploaded_file=SimpleUploadedFile("areas.json", new_content),
        )
    kept_until_commit = os.path.exists(old_path)
    for callback in callbacks:
        callback()

    resource.refresh_from_db()
    assert kept_until_commit is True
    assert not os.path.exists(old_path)
    assert resource.sha256 == hashlib.sha256(new_content).hexdigest()
    assert (resource.format, resource.original_filename) == ("JSON", "areas.json")
    assert resource.profile_status == ProfileStatus.NONE  # JSON is not profiled


def test_resource_replace_file_with_csv_queues_profiling_again(editor):
    resource = ResourceFactory(profile_status=ProfileStatus.DONE)

    resources.resource_replace_file(
        actor=editor,
        resource=resource,
        uploaded_file=SimpleUploadedFile("new.csv", b"a,b\n1,2\n"),
    )

    resource.refresh_from_db()
    assert resource.profile_status == ProfileStatus.QUEUED


def test_resource_replace_file_refused_keeps_old_file(editor):
    resource = ResourceFactory()
    old = (resource.file.name, resource.sha256)

    with pytest.raises(ApplicationError, match="is empty"):
        resources.resource_replace_file(
            actor=editor, resource=resource, uploaded_file=SimpleUploadedFile("new.csv", b"")
        )

    resource.refresh_from_db()
    assert (resource.file.name, resource.sha256) == old
    assert os.path.exists(_stored_path(resource))


# --- Resource metadata and schema --------------------------------------------------------


def test_resource_update_stores_valid_table_schema(editor):
    resource = ResourceFactory()
    schema = {"fields": [{"name": "claimants", "type": "integer"}]}

    resources.resource_update(actor=editor, resource=resource, name="Renamed", table_schema=schema)

    resource.refresh_from_db()
    assert (resource.name, resource.table_schema) == ("Renamed", schema)


@pytest.mark.parametrize(
    ("schema", "message"),
    [
        ({"fields": [{"name": "a", "type": "bogus"}]}, 'field type "bogus" is not supported'),
        ({"fieldz": []}, "'fields' is a required property"),
        ([1, 2], "A table schema is a JSON object"),
    ],
)
def test_resource_update_invalid_table_schema_refused(editor, schema, message):
    resource = ResourceFactory()

    with pytest.raises(ApplicationError, match=message):
        resources.resource_update(actor=editor, resource=resource, table_schema=schema)

    resource.refresh_from_db()
    assert resource.table_schema is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[" * 100_000, "nests deeper than 10 levels"),
        ('{"fields": [}', "not valid JSON"),
        ("x" * 100_001, "longer than 100,000 characters"),
    ],
)
def test_table_schema_from_text_refuses_bad_json(text, message):
    with pytest.raises(ApplicationError, match=message):
        table_schema_from_text(text)


def test_table_schema_from_text_brackets_inside_strings_do_not_count():
    text = '{"fields": [{"name": "[[[[[[[[[[[[", "type": "string"}]}'

    assert table_schema_from_text(text)["fields"][0]["name"] == "[[[[[[[[[[[["


def test_resource_update_format_of_upload_refused(editor):
    resource = ResourceFactory()

    with pytest.raises(ApplicationError, match="read from its content"):
        resources.resource_update(actor=editor, resource=resource, format="PDF")


def test_resource_delete_removes_file_after_commit(editor, django_capture_on_commit_callbacks):
    resource = ResourceFactory()
    path = _stored_path(resource)

    with django_capture_on_commit_callbacks(execute=True):
        resources.resource_delete(actor=editor, resource=resource)

    assert not os.path.exists(path)
    assert not Resource.objects.filter(pk=resource.pk).exists()


def test_resource_delete_downloaded_refused(editor):
    resource = ResourceFactory()
    Download.objects.create(resource=resource, user=UserFactory())

    with pytest.raises(ApplicationError, match="has been downloaded"):
        resources.resource_delete(actor=editor, resource=resource)

    assert Resource.objects.filter(pk=resource.pk).exists()


# --- Publishers ------------------------------------------------------------------------------


def test_publisher_create_and_update(editor):
    publisher = catalogue.publisher_create(actor=editor, name="Halton Council", url="")

    catalogue.publisher_update(actor=editor, publisher=publisher, url="https://halton.gov.uk/")

    publisher.refresh_from_db()
    assert (publisher.slug, publisher.url) == ("halton-council", "https://halton.gov.uk/")
    actions = list(AuditEntry.objects.order_by("pk").values_list("action", flat=True))
    assert actions == ["publisher.created", "publisher.updated"]


# --- Features --------------------------------------------------------------------------------


def test_feature_create_for_challenge_of_the_event(editor):
    challenge = ChallengeFactory()
    dataset = DatasetFactory()

    feature = featuring.feature_create(
        actor=editor, event=challenge.event, dataset=dataset, challenge=challenge
    )

    assert (feature.event, feature.challenge) == (challenge.event, challenge)


def test_feature_create_unpublished_dataset_refused(editor):
    with pytest.raises(ApplicationError, match="is not published"):
        featuring.feature_create(
            actor=editor, event=EventFactory(), dataset=DatasetFactory(is_published=False)
        )


def test_feature_create_challenge_of_another_event_refused(editor):
    with pytest.raises(ApplicationError, match="Choose one of this event's challenges"):
        featuring.feature_create(
            actor=editor,
            event=EventFactory(),
            dataset=DatasetFactory(),
            challenge=ChallengeFactory(),
        )

    assert not DatasetFeature.objects.exists()


def test_feature_create_twice_refused_with_message(editor):
    feature = DatasetFeatureFactory()

    with pytest.raises(ApplicationError, match="is already featured on this event"):
        featuring.feature_create(actor=editor, event=feature.event, dataset=feature.dataset)

    assert DatasetFeature.objects.count() == 1


def test_feature_update_to_a_dataset_already_featured_refused(editor):
    first = DatasetFeatureFactory()
    second = DatasetFeatureFactory(event=first.event)

    with pytest.raises(ApplicationError, match="is already featured on this event"):
        featuring.feature_update(actor=editor, feature=second, dataset=first.dataset)


def test_feature_delete_audited(editor):
    feature = DatasetFeatureFactory()

    featuring.feature_delete(actor=editor, feature=feature)

    assert not DatasetFeature.objects.exists()
    assert AuditEntry.objects.filter(action="dataset_feature.deleted").count() == 1


def test_dataset_create_and_update_keep_search_text_current(editor):
    dataset = _new_dataset(editor, description="Monthly counts.", keywords="benefits")
    created_text = Dataset.objects.get(pk=dataset.pk).search_text

    catalogue.dataset_update(actor=editor, dataset=dataset, title="Jobseekers", keywords="work")

    updated_text = Dataset.objects.get(pk=dataset.pk).search_text
    assert created_text.split("\n") == ["Claimant count by month", "Monthly counts.", "benefits"]
    assert updated_text.split("\n") == ["Jobseekers", "Monthly counts.", "work"]


def test_resource_upload_xlsx_recognised_from_content(editor):
    workbook = openpyxl.Workbook()
    workbook.active.append(["area", "claimants"])
    workbook.active.append(["Halton", 3120])
    content = io.BytesIO()
    workbook.save(content)

    resource = resources.resource_create_upload(
        actor=editor,
        dataset=DatasetFactory(),
        uploaded_file=SimpleUploadedFile("claimants", content.getvalue()),  # no extension
    )

    assert (resource.format, resource.profile_status) == ("XLSX", ProfileStatus.QUEUED)


# --- Review regressions --------------------------------------------------------------------


def test_published_dataset_cannot_turn_restricted_without_terms(editor):
    dataset = _new_dataset(editor)
    catalogue.dataset_publish(actor=editor, dataset=dataset)

    with pytest.raises(ApplicationError, match="needs its terms of use while it is published"):
        catalogue.dataset_update(actor=editor, dataset=dataset, access_level="restricted")

    assert Dataset.objects.get(pk=dataset.pk).access_level == "open"


def test_replacing_a_file_keeps_counts_moved_while_it_uploaded(editor):
    resource = ResourceFactory()
    loaded = Resource.objects.get(pk=resource.pk)  # as the view read it, before the body
    Resource.objects.filter(pk=resource.pk).update(download_count=3)  # others downloaded

    resources.resource_replace_file(
        actor=editor, resource=loaded, uploaded_file=SimpleUploadedFile("new.csv", DEMO_CSV)
    )

    assert Resource.objects.get(pk=resource.pk).download_count == 3


def test_resource_named_after_a_long_filename_fits_the_name(editor):
    dataset = _new_dataset(editor)
    filename = "n" * 250 + ".csv"

    resource = resources.resource_create_upload(
        actor=editor, dataset=dataset, uploaded_file=SimpleUploadedFile(filename, DEMO_CSV)
    )

    assert resource.name == filename[:200]


@pytest.mark.parametrize(
    "schema_text",
    [
        '{"fields": [{"name": "a", "type": "number", "constraints": {"maximum": 1e999}}]}',
        '{"fields": [{"name": "a", "type": "number", "constraints": {"maximum": NaN}}]}',
        '{"fields": [{"name": "a\\u0000b", "type": "string"}]}',
        '{"fields": [{"name": "a\\ud800", "type": "string"}]}',
    ],
    ids=["infinity", "nan", "nul", "lone-surrogate"],
)
def test_table_schema_the_database_cannot_store_is_refused(editor, schema_text):
    resource = ResourceFactory()

    with pytest.raises(ApplicationError) as refused:
        resources.resource_update(
            actor=editor, resource=resource, table_schema=table_schema_from_text(schema_text)
        )

    assert refused.value.code == "invalid_table_schema"
    assert Resource.objects.get(pk=resource.pk).table_schema is None


def test_usage_records_are_protected_from_deletion_by_the_database():
    resource = ResourceFactory()
    Download.objects.create(resource=resource, user=None)

    # Even past the services' check (a download racing the delete), nothing cascades.
    with pytest.raises(ProtectedError):
        resource.dataset.delete()

    assert Download.objects.filter(resource=resource).count() == 1
