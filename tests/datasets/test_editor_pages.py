import os

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from common.files import upload_cap_message
from datasets.enums import ProfileStatus
from datasets.models import Dataset, Publisher, Resource
from datasets.rules import CATALOGUE_EDITORS
from tests.factories import (
    DEMO_CSV,
    DatasetFactory,
    DatasetFeatureFactory,
    EventFactory,
    PublisherFactory,
    ResourceFactory,
    UserFactory,
)
from tests.query_budget import assert_flat_queries

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"


@pytest.fixture
def editor_client(client):
    editor = UserFactory()
    editor.groups.add(Group.objects.get(name=CATALOGUE_EDITORS))
    client.force_login(editor)
    client.editor = editor
    return client


def _messages(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def _dataset_form(publisher, **changes) -> dict:
    data = {
        "title": "Green spaces",
        "description": "Parks and playing fields (illustrative).",
        "keywords": "parks, Parks, green space",
        "themes": ["ENVI", "REGI"],
        "publisher": publisher.pk,
        "licence": "uk-ogl",
        "update_frequency": "ANNUAL",
        "geography_level": "site",
        "access_level": "open",
    }
    data.update(changes)
    return data


# --- Who may ------------------------------------------------------------------------------


def test_editor_home_anonymous_sent_to_sign_in(client):
    response = client.get("/catalogue/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/catalogue/")


def test_editor_home_other_user_refused(client):
    client.force_login(UserFactory())

    assert client.get("/catalogue/").status_code == 403


def test_editor_home_lists_every_dataset_with_its_state(editor_client):
    draft = DatasetFactory(title="Draft data", is_published=False)
    ResourceFactory(dataset=draft, download_count=3)
    ResourceFactory(dataset=draft, download_count=4, profile_status=ProfileStatus.DONE)
    DatasetFactory(title="Published data")

    response = editor_client.get("/catalogue/")

    content = response.content.decode()
    assert "Draft data" in content and "Published data" in content
    rows = {dataset.title: dataset for dataset in response.context["datasets"]}
    assert rows["Draft data"].resource_count == 2
    assert rows["Draft data"].downloads == 7
    assert rows["Draft data"].profile_summary == [("Not profiled", 1), ("Profiled", 1)]
    assert "Not published" in content


def test_editor_home_query_count_flat(editor_client):
    publisher = PublisherFactory()
    made = []

    def add_items(count):
        for _ in range(count):
            dataset = DatasetFactory(publisher=publisher, is_published=False)
            ResourceFactory(dataset=dataset)
            made.append(dataset)

    def fetch():
        response = editor_client.get("/catalogue/")
        assert response.status_code == 200
        return response

    assert_flat_queries(
        fetch=fetch, add_items=add_items, shown=lambda: [dataset.title for dataset in made]
    )


def test_navigation_shows_catalogue_to_editors_only(editor_client):
    other = Client()
    other.force_login(UserFactory())

    labels = [item.label for item in editor_client.get("/").context["navigation"]]
    other_labels = [item.label for item in other.get("/").context["navigation"]]

    assert "Catalogue" in labels
    assert "Catalogue" not in other_labels


# --- Datasets ------------------------------------------------------------------------------


def test_dataset_create_page_has_no_dashes_choice(editor_client):
    content = editor_client.get("/catalogue/new/").content.decode()

    assert "---------" not in content
    assert "Choose a publisher" in content and "Not stated" in content
    assert '<legend class="govuk-fieldset__legend govuk-fieldset__legend--m">' in content


def test_dataset_create_page_saves_unpublished_dataset(editor_client):
    publisher = PublisherFactory()

    response = editor_client.post("/catalogue/new/", _dataset_form(publisher))

    dataset = Dataset.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/catalogue/datasets/{dataset.slug}/"
    assert (dataset.slug, dataset.is_published) == ("green-spaces", False)
    assert {k.name for k in dataset.keywords.all()} == {"parks", "green space"}
    assert sorted(dataset.themes.values_list("theme", flat=True)) == ["ENVI", "REGI"]


def test_dataset_create_page_bad_input_shown_and_nothing_saved(editor_client):
    publisher = PublisherFactory()
    data = _dataset_form(publisher, title="", temporal_start="2026-02-01")

    response = editor_client.post("/catalogue/new/", data | {"temporal_end": "2026-01-01"})

    assert response.status_code == 200
    assert response.context["form"].errors["title"] == ["This field is required."]
    assert response.context["form"].errors["temporal_end"] == [
        "The coverage must end after it starts."
    ]
    assert not Dataset.objects.exists()


def test_dataset_create_page_long_keyword_named(editor_client):
    response = editor_client.post(
        "/catalogue/new/", _dataset_form(PublisherFactory(), keywords="k" * 101)
    )

    assert response.status_code == 200
    assert response.context["form"].errors["keywords"] == [
        f"The keyword “{'k' * 30}…” is longer than 100 characters."
    ]


def test_dataset_edit_page_saves_changes(editor_client):
    dataset = DatasetFactory(title="Old")
    data = _dataset_form(dataset.publisher, title="New title", keywords="one")

    response = editor_client.post(f"/catalogue/datasets/{dataset.slug}/edit/", data)

    dataset.refresh_from_db()
    assert response.status_code == 302
    assert dataset.title == "New title"
    assert [k.name for k in dataset.keywords.all()] == ["one"]


def test_dataset_page_shows_resources_and_actions(editor_client):
    resource = ResourceFactory(name="Claimants file")

    response = editor_client.get(f"/catalogue/datasets/{resource.dataset.slug}/")

    content = response.content.decode()
    assert "Claimants file" in content
    assert (
        f"/catalogue/datasets/{resource.dataset.slug}/resources/{resource.pk}/replace/" in content
    )


def test_dataset_publish_asks_first_then_publishes(editor_client):
    dataset = DatasetFactory(is_published=False)
    url = f"/catalogue/datasets/{dataset.slug}/publish/"

    asked = editor_client.post(url)
    dataset.refresh_from_db()
    still_draft = dataset.is_published is False
    done = editor_client.post(url, {"confirmed": "yes"})

    dataset.refresh_from_db()
    assert asked.status_code == 200 and still_draft
    assert asked.context["title"] == f"Publish “{dataset.title}”?"
    assert done.status_code == 302
    assert dataset.is_published is True


def test_dataset_unpublish_names_events_featuring_it(editor_client):
    feature = DatasetFeatureFactory(event=EventFactory(name="Widnes Data Day"))
    url = f"/catalogue/datasets/{feature.dataset.slug}/unpublish/"

    asked = editor_client.get(url)

    assert "It stops showing on the events that feature it: Widnes Data Day." in (
        asked.content.decode()
    )


def test_dataset_publish_refusal_shown(editor_client):
    dataset = DatasetFactory(is_published=False, access_level="restricted")

    response = editor_client.post(
        f"/catalogue/datasets/{dataset.slug}/publish/", {"confirmed": "yes"}, follow=True
    )

    assert _messages(response)[0].startswith("A restricted dataset needs its terms of use")
    dataset.refresh_from_db()
    assert dataset.is_published is False


def test_dataset_delete_featured_refused_with_reason(editor_client):
    feature = DatasetFeatureFactory(event=EventFactory(name="Widnes Data Day"))

    response = editor_client.post(
        f"/catalogue/datasets/{feature.dataset.slug}/delete/", {"confirmed": "yes"}, follow=True
    )

    assert "featured on Widnes Data Day" in _messages(response)[0]
    assert Dataset.objects.filter(pk=feature.dataset_id).exists()


def test_dataset_delete_asks_then_deletes(editor_client):
    dataset = DatasetFactory()
    url = f"/catalogue/datasets/{dataset.slug}/delete/"

    asked = editor_client.get(url)
    done = editor_client.post(url, {"confirmed": "yes"})

    assert asked.status_code == 200
    assert done.status_code == 302 and done["Location"] == "/catalogue/"
    assert not Dataset.objects.exists()


def test_terms_page_publishes_next_version(editor_client):
    dataset = DatasetFactory(access_level="restricted")
    url = f"/catalogue/datasets/{dataset.slug}/terms/"

    editor_client.post(url, {"text": "First."})
    editor_client.post(url, {"text": "Second."})

    assert list(dataset.terms.values_list("version", "text")) == [(2, "Second."), (1, "First.")]
    assert "Publish as version 3" in editor_client.get(url).content.decode()


# --- Publishers -----------------------------------------------------------------------------


def test_publisher_pages_add_and_edit(editor_client):
    editor_client.post("/catalogue/publishers/new/", {"name": "Halton Council"})
    publisher = Publisher.objects.get()

    response = editor_client.post(
        f"/catalogue/publishers/{publisher.slug}/edit/",
        {"name": "Halton Borough Council", "url": "halton.gov.uk"},
    )

    publisher.refresh_from_db()
    assert response.status_code == 302
    assert (publisher.name, publisher.url) == ("Halton Borough Council", "https://halton.gov.uk")


# --- Resources ----------------------------------------------------------------------------


def _upload(client, dataset, filename, content, **data):
    url = f"/catalogue/datasets/{dataset.slug}/resources/upload/"
    return client.post(url, {"file": SimpleUploadedFile(filename, content), **data})


def test_resource_upload_page_stores_csv(editor_client):
    dataset = DatasetFactory()

    response = _upload(editor_client, dataset, "claimants.csv", DEMO_CSV, name="Claimants")

    resource = Resource.objects.get()
    assert response.status_code == 302
    assert (resource.name, resource.format, resource.profile_status) == (
        "Claimants",
        "CSV",
        ProfileStatus.QUEUED,
    )


@pytest.mark.parametrize(
    ("filename", "content", "message"),
    [
        ("empty.csv", b"", "The submitted file is empty."),
        ("data.csv", b"\x00\x01\x02binary" * 10, "not a kind of file the catalogue takes"),
        ("data.csv", PNG, "“data.csv” is named as .csv but its content is a PNG image"),
    ],
)
def test_resource_upload_page_bad_file_shown_on_field(editor_client, filename, content, message):
    dataset = DatasetFactory()

    response = _upload(editor_client, dataset, filename, content)

    assert response.status_code == 200
    (error,) = response.context["form"].errors["file"]
    assert message in error
    assert not Resource.objects.exists()


def test_resource_upload_page_over_cap_refused_while_uploading(editor_client, settings):
    settings.UPLOAD_MAX_BYTES = 20
    dataset = DatasetFactory()

    response = _upload(editor_client, dataset, "claimants.csv", DEMO_CSV)

    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [upload_cap_message()]
    assert upload_cap_message() in response.content.decode()
    assert not Resource.objects.exists()


def test_resource_upload_page_hostile_name_stored_inside_media_root(editor_client):
    dataset = DatasetFactory()

    _upload(editor_client, dataset, "../../../tmp/evil.csv", DEMO_CSV)

    resource = Resource.objects.get()
    stored = os.path.realpath(resource.file.path)
    assert stored.startswith(os.path.realpath(settings.MEDIA_ROOT) + os.sep)
    assert "evil" not in stored
    assert resource.original_filename == "evil.csv"


def test_resource_link_page_adds_link(editor_client):
    dataset = DatasetFactory()

    editor_client.post(
        f"/catalogue/datasets/{dataset.slug}/resources/link/",
        {"url": "https://example.org/api", "name": "Live API", "format": "api"},
    )

    resource = Resource.objects.get()
    assert (resource.url, resource.format, resource.file.name) == (
        "https://example.org/api",
        "API",
        "",
    )


def test_resource_edit_page_saves_table_schema(editor_client):
    resource = ResourceFactory()
    url = f"/catalogue/datasets/{resource.dataset.slug}/resources/{resource.pk}/edit/"

    response = editor_client.post(
        url,
        {
            "name": "Claimants",
            "description": "",
            "table_schema": '{"fields": [{"name": "claimants", "type": "integer"}]}',
        },
    )

    resource.refresh_from_db()
    assert response.status_code == 302
    assert resource.table_schema == {"fields": [{"name": "claimants", "type": "integer"}]}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[" * 50_000, "nests deeper than 10 levels"),
        ("{not json", "not valid JSON"),
        ('{"fields": [{"name": "a", "type": "bogus"}]}', 'field type "bogus" is not supported'),
    ],
)
def test_resource_edit_page_bad_schema_shown(editor_client, text, message):
    resource = ResourceFactory()
    url = f"/catalogue/datasets/{resource.dataset.slug}/resources/{resource.pk}/edit/"

    response = editor_client.post(url, {"name": "Claimants", "table_schema": text})

    assert response.status_code == 200
    (error,) = response.context["form"].errors["table_schema"]
    assert message in error
    resource.refresh_from_db()
    assert resource.table_schema is None


def test_resource_replace_page_stores_new_file(editor_client):
    resource = ResourceFactory()
    url = f"/catalogue/datasets/{resource.dataset.slug}/resources/{resource.pk}/replace/"

    response = editor_client.post(url, {"file": SimpleUploadedFile("new.csv", b"a,b\n1,2\n")})

    resource.refresh_from_db()
    assert response.status_code == 302
    assert resource.original_filename == "new.csv"


def test_resource_replace_page_over_cap_refused(editor_client, settings):
    settings.UPLOAD_MAX_BYTES = 5
    resource = ResourceFactory()
    url = f"/catalogue/datasets/{resource.dataset.slug}/resources/{resource.pk}/replace/"

    response = editor_client.post(url, {"file": SimpleUploadedFile("new.csv", DEMO_CSV)})

    assert response.context["form"].errors["file"] == [upload_cap_message()]


def test_resource_delete_page_asks_then_deletes(editor_client):
    resource = ResourceFactory()
    url = f"/catalogue/datasets/{resource.dataset.slug}/resources/{resource.pk}/delete/"

    asked = editor_client.post(url)
    exists_after_asking = Resource.objects.filter(pk=resource.pk).exists()
    done = editor_client.post(url, {"confirmed": "yes"})

    assert asked.status_code == 200 and exists_after_asking
    assert done.status_code == 302
    assert not Resource.objects.filter(pk=resource.pk).exists()


def test_resource_of_another_dataset_not_found(editor_client):
    resource = ResourceFactory()
    other = DatasetFactory()

    url = f"/catalogue/datasets/{other.slug}/resources/{resource.pk}/edit/"

    assert editor_client.get(url).status_code == 404


def test_dataset_create_page_nul_byte_refused_not_crashing(editor_client):
    data = _dataset_form(PublisherFactory(), title="Bad\x00title", keywords="a\x00b")

    response = editor_client.post("/catalogue/new/", data)

    assert response.status_code == 400  # the project's answer to NUL bytes in a request
    assert not Dataset.objects.exists()


def test_dataset_create_page_impossible_date_refused(editor_client):
    data = _dataset_form(PublisherFactory(), issued="99999999-01-01")

    response = editor_client.post("/catalogue/new/", data)

    assert response.status_code == 200
    assert response.context["form"].errors["issued"] == ["Enter a valid date."]
    assert not Dataset.objects.exists()


def test_publishers_page_queries_flat(editor_client):
    made = []

    def fetch():
        response = editor_client.get("/catalogue/publishers/")
        assert response.status_code == 200
        return response

    assert_flat_queries(
        fetch=fetch,
        add_items=lambda count: made.extend(PublisherFactory.create_batch(count)),
        shown=lambda: [publisher.name for publisher in made],
    )


def test_dataset_page_queries_flat_in_resources(editor_client):
    dataset = DatasetFactory(is_published=False)
    made = []

    def fetch():
        response = editor_client.get(f"/catalogue/datasets/{dataset.slug}/")
        assert response.status_code == 200
        return response

    assert_flat_queries(
        fetch=fetch,
        add_items=lambda count: made.extend(ResourceFactory.create_batch(count, dataset=dataset)),
        shown=lambda: [resource.name for resource in made],
    )
