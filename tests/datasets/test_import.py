"""Importing CKAN JSON and CSV manifests: the command and the editors' page, updates on
re-import, and bad files refused with nothing written."""

import copy
import json

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from common.models import AuditEntry
from datasets.models import Dataset, Keyword, Publisher, Resource
from datasets.rules import CATALOGUE_EDITORS
from tests.datasets.interop_helpers import make_catalogue
from tests.factories import DatasetFactory, PublisherFactory, ResourceFactory, UserFactory

pytestmark = pytest.mark.django_db

PACKAGE_ID = "5b3f8c1e-2c1a-4b7e-9a55-0c6a1d2e3f40"
RESOURCE_ID = "9f0e7d6c-5b4a-4392-8170-6e5d4c3b2a10"


def ckan_package(**changes) -> dict:
    package = {
        "id": PACKAGE_ID,
        "name": "active-travel",
        "title": "Active travel counts",
        "notes": "Walking and cycling counts by counter site and day.",
        "url": "https://data.example.org/active-travel",
        "version": "1.0",
        "license_id": "odc-odbl",
        "maintainer": "Travel data team",
        "maintainer_email": "travel@example.org",
        "author": "Someone else",
        "author_email": "someone@example.org",
        "organization": {"name": "lcr-transport", "title": "LCR Transport"},
        "tags": [{"name": "cycling"}, {"name": "walking"}],
        "extras": [
            {"key": "theme", "value": '["TRAN", "http://publications.europa.eu/resource/authority/data-theme/HEAL"]'},
            {"key": "issued", "value": "2024-03-01T00:00:00"},
            {"key": "frequency", "value": "http://publications.europa.eu/resource/authority/frequency/DAILY"},
            {"key": "temporal_start", "value": "2023-01-01"},
            {"key": "temporal_end", "value": "2023-12-31"},
            {"key": "geography_level", "value": "site"},
            {"key": "geography_coverage", "value": "Liverpool City Region"},
        ],
        "resources": [
            {
                "id": RESOURCE_ID,
                "name": "Counts 2023",
                "description": "One row per site and day.",
                "url": "https://data.example.org/active-travel/2023.csv",
                "format": "csv",
                "mimetype": "text/csv",
                "size": 123456,
            }
        ],
    }  # fmt: skip
    package.update(changes)
    return package


def envelope(result) -> dict:
    return {
        "help": "https://ckan.example.org/api/3/action/help_show",
        "success": True,
        "result": result,
    }


def write(tmp_path, data, name="import.json") -> str:
    path = tmp_path / name
    path.write_bytes(data if isinstance(data, bytes) else json.dumps(data).encode())
    return str(path)


def run(path, *args) -> str:
    from io import StringIO

    out = StringIO()
    call_command("import_ckan", path, *args, stdout=out, stderr=StringIO())
    return out.getvalue()


# --- The command ----------------------------------------------------------------------------


def test_command_imports_package_show_as_unpublished_dataset(tmp_path):
    output = run(write(tmp_path, envelope(ckan_package())))

    dataset = Dataset.objects.get()
    assert output.strip() == "1 created, 0 updated: active-travel"
    assert str(dataset.pk) == PACKAGE_ID
    assert (dataset.slug, dataset.title, dataset.version) == (
        "active-travel",
        "Active travel counts",
        "1.0",
    )
    assert dataset.description == "Walking and cycling counts by counter site and day."
    assert dataset.landing_page == "https://data.example.org/active-travel"
    assert dataset.licence_id == "odc-odbl"
    assert (dataset.contact_name, dataset.contact_email) == (
        "Travel data team",
        "travel@example.org",
    )
    assert (dataset.publisher.slug, dataset.publisher.name) == ("lcr-transport", "LCR Transport")
    assert sorted(dataset.keywords.values_list("name", flat=True)) == ["cycling", "walking"]
    assert sorted(dataset.themes.values_list("theme", flat=True)) == ["HEAL", "TRAN"]
    assert str(dataset.issued) == "2024-03-01"
    assert dataset.update_frequency == "DAILY"
    assert (str(dataset.temporal_start), str(dataset.temporal_end)) == ("2023-01-01", "2023-12-31")
    assert (dataset.geography_level, dataset.geography_coverage) == (
        "site",
        "Liverpool City Region",
    )
    assert dataset.is_published is False
    assert dataset.access_level == "open"
    (resource,) = dataset.resources.all()
    assert str(resource.pk) == RESOURCE_ID
    assert (resource.url, resource.file.name, resource.format) == (
        "https://data.example.org/active-travel/2023.csv",
        "",
        "CSV",
    )
    assert (resource.media_type, resource.size, resource.description) == (
        "text/csv",
        123456,
        "One row per site and day.",
    )


def test_command_publishes_new_datasets_when_asked(tmp_path):
    run(write(tmp_path, ckan_package()), "--publish")

    assert Dataset.objects.get().is_published is True


def test_publishing_leaves_a_restricted_dataset_without_terms_unpublished(tmp_path):
    from io import StringIO

    restricted = ckan_package(extras=[{"key": "access_level", "value": "restricted"}])
    errors = StringIO()

    call_command(
        "import_ckan", write(tmp_path, restricted), "--publish", stdout=StringIO(), stderr=errors
    )

    assert Dataset.objects.get().is_published is False
    assert "active-travel (item 1): left unpublished: A restricted dataset needs its terms" in (
        errors.getvalue()
    )


def test_reimport_cannot_make_a_published_dataset_restricted_without_terms(tmp_path):
    run(write(tmp_path, ckan_package()), "--publish")
    restricted = ckan_package(extras=[{"key": "access_level", "value": "restricted"}])

    with pytest.raises(
        CommandError, match="active-travel \\(item 1\\): access_level: A restricted"
    ):
        run(write(tmp_path, restricted))

    assert Dataset.objects.get().access_level == "open"


def test_import_reuses_a_keyword_spelt_in_another_case(tmp_path):
    Keyword.objects.create(name="Cycling")

    run(write(tmp_path, ckan_package()))

    assert sorted(Keyword.objects.values_list("name", flat=True)) == ["Cycling", "walking"]


def test_too_many_keywords_is_a_problem_of_its_dataset(tmp_path):
    tags = [{"name": f"tag {n}"} for n in range(31)]

    with pytest.raises(CommandError, match=r"active-travel \(item 1\): keywords: A dataset can"):
        run(write(tmp_path, ckan_package(tags=tags)))

    assert Dataset.objects.count() == 0


def test_command_imports_package_search_results(tmp_path):
    second = ckan_package(id="not-a-uuid", name="green-spaces", title="Green spaces", resources=[])
    data = envelope({"count": 2, "results": [ckan_package(), second]})

    output = run(write(tmp_path, data))

    assert output.strip() == "2 created, 0 updated: active-travel, green-spaces"
    assert sorted(Dataset.objects.values_list("slug", flat=True)) == [
        "active-travel",
        "green-spaces",
    ]
    assert Publisher.objects.count() == 1


def test_reimport_updates_instead_of_duplicating(tmp_path):
    run(write(tmp_path, ckan_package()))
    changed = ckan_package(title="Active travel counts (revised)", tags=[{"name": "cycling"}])
    changed["resources"][0]["name"] = "Counts 2023, revised"

    output = run(write(tmp_path, changed))

    dataset = Dataset.objects.get()
    assert output.strip() == "0 created, 1 updated: active-travel"
    assert dataset.title == "Active travel counts (revised)"
    assert list(dataset.keywords.values_list("name", flat=True)) == ["cycling"]
    assert list(Resource.objects.values_list("name", flat=True)) == ["Counts 2023, revised"]


def test_reimport_matches_by_slug_when_ckan_id_is_not_a_uuid(tmp_path):
    run(write(tmp_path, ckan_package(id="local-42")))
    first = Dataset.objects.get()

    run(write(tmp_path, ckan_package(id="local-42", title="Renamed")))

    assert Dataset.objects.get().pk == first.pk
    assert Dataset.objects.get().title == "Renamed"


def test_reimport_matches_by_ckan_id_when_the_slug_changed(tmp_path):
    run(write(tmp_path, ckan_package()))

    run(write(tmp_path, ckan_package(name="active-travel-counts")))

    assert list(Dataset.objects.values_list("slug", flat=True)) == ["active-travel-counts"]


def test_reimport_of_our_own_api_output_updates_everything(client, tmp_path):
    catalogue = make_catalogue()
    response = client.get("/api/3/action/package_search", {"rows": 100, "sort": "name asc"})
    before = Dataset.objects.count(), Resource.objects.count()

    output = run(write(tmp_path, response.content))

    assert output.strip() == "0 created, 2 updated: claimants, vacancies"
    assert (Dataset.objects.count(), Resource.objects.count()) == before
    catalogue.open.refresh_from_db()
    catalogue.restricted.refresh_from_db()
    assert catalogue.open.is_published is True
    assert (catalogue.open.contact_name, catalogue.open.title) == (
        "Claimant statistics",
        "Claimant count",
    )
    assert (catalogue.restricted.contact_name, catalogue.restricted.contact_email) == ("", "")
    assert catalogue.restricted.access_level == "restricted"
    assert catalogue.csv.file.name == Resource.objects.get(pk=catalogue.csv.pk).file.name


def test_import_never_replaces_an_uploaded_file_with_a_link(tmp_path):
    dataset = DatasetFactory(slug="active-travel", publisher=PublisherFactory(slug="lcr-transport"))
    upload = ResourceFactory(dataset=dataset, url="")
    package = ckan_package()
    package["resources"][0]["id"] = str(upload.pk)

    run(write(tmp_path, package))

    upload.refresh_from_db()
    assert (upload.url, bool(upload.file)) == ("", True)
    assert upload.name == "Counts 2023"


@pytest.mark.parametrize(
    ("license_id", "expected", "warned"),
    [("CC-BY-4.0", "cc-by", False), ("Creative Commons CCZero", "cc-zero", False),
     ("", "notspecified", False), ("some-local-licence", "other-closed", True)],
)  # fmt: skip
def test_import_maps_licences(tmp_path, license_id, expected, warned):
    from io import StringIO

    errors = StringIO()
    call_command(
        "import_ckan",
        write(tmp_path, ckan_package(license_id=license_id)),
        stdout=StringIO(),
        stderr=errors,
    )

    assert Dataset.objects.get().licence_id == expected
    assert ("is not known here" in errors.getvalue()) is warned


def test_unknown_licence_without_a_fallback_row_is_a_problem(tmp_path):
    from datasets.models import Licence

    Licence.objects.filter(pk="other-closed").delete()

    with pytest.raises(
        CommandError, match="licence \\('license_id' in the file\\): 'mine' is not known"
    ):
        run(write(tmp_path, ckan_package(license_id="mine")))


def test_import_writes_an_audit_entry_per_dataset(tmp_path):
    editor = UserFactory()
    from datasets.services.importing import datasets_import

    datasets_import(actor=editor, content=json.dumps(ckan_package()).encode(), source="x.json")

    entry = AuditEntry.objects.get(action="dataset.imported")
    assert (entry.actor, entry.target_id) == (editor, PACKAGE_ID)
    assert entry.data["source"] == "x.json" and entry.data["created"] is True


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "The file is empty."),
        (b"\xff\xfe\x00bad", "The file must be UTF-8 text."),
        (b"{not json", "The file is not valid JSON."),
        (b'{"success": false, "error": {"__type": "Not Found Error"}}', "holds a CKAN error"),
        (b'{"success": true, "result": []}', "holds no CKAN datasets"),
        (b"[1, 2]", "Item 1 is not a CKAN dataset."),
        (b"[" * 100 + b"]" * 100, "nested more than"),
        (b'{"name": "x\\u0000y"}', "cannot be stored"),
    ],
)
def test_bad_file_is_refused_and_nothing_written(tmp_path, content, message):
    with pytest.raises(CommandError, match=message.replace("(", r"\(")):
        run(write(tmp_path, content))

    assert (Dataset.objects.count(), Publisher.objects.count(), Keyword.objects.count()) == (
        0,
        0,
        0,
    )


def test_one_bad_dataset_writes_nothing_and_names_dataset_and_field(tmp_path):
    bad = ckan_package(id="", name="bad-one", url="not a url", organization=None)
    bad_resource = copy.deepcopy(bad)
    bad_resource.update(name="bad-two", organization={"name": "lcr-transport"}, url="")
    bad_resource["resources"] = [{"name": "Broken", "url": "javascript:alert(1)"}]
    bad_theme = ckan_package(id="", name="bad-three", extras=[{"key": "theme", "value": "XYZ"}])
    data = [ckan_package(), bad, bad_resource, bad_theme]

    with pytest.raises(CommandError) as refused:
        run(write(tmp_path, data))

    text = str(refused.value)
    assert text.startswith("Nothing was imported: 3 of the 4 datasets in the file have problems.")
    assert "bad-one (item 2): publisher: Missing: every dataset needs a publisher." in text
    assert "bad-two (item 3): resource 1 (Broken) url: Enter a valid URL." in text
    assert "bad-three (item 4): themes: \u201cXYZ\u201d is not a catalogue theme." in text
    assert (Dataset.objects.count(), Publisher.objects.count(), Resource.objects.count()) == (
        0,
        0,
        0,
    )
    assert AuditEntry.objects.filter(action="dataset.imported").count() == 0


def test_bad_field_is_named_with_the_files_own_name(tmp_path):
    with pytest.raises(
        CommandError, match=r"landing_page \('url' in the file\): Enter a valid URL"
    ):
        run(write(tmp_path, ckan_package(url="not a url")))


def test_same_slug_twice_in_a_file_is_a_problem(tmp_path):
    with pytest.raises(CommandError, match="appears twice in the file"):
        run(write(tmp_path, [ckan_package(), ckan_package(id="")]))


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.sampled_from(["name", "id", "title", "url", "tags", "resources",
                                        "organization", "extras", "results", "result",
                                        "license_id", "key", "value"]), children, max_size=5),
    max_leaves=30,
)  # fmt: skip


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.one_of(
        st.binary(max_size=200),
        st.text(max_size=200).map(str.encode),
        JSON_VALUES.map(lambda value: json.dumps(value).encode()),
    )
)
def test_any_file_is_imported_or_refused_with_a_reason(content):
    from common.exceptions import ApplicationError
    from datasets.services.importing import datasets_import

    try:
        datasets_import(actor=None, content=content, source="fuzz")
    except ApplicationError as error:
        assert error.message


def test_command_reports_a_missing_file(tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        run(str(tmp_path / "nothing.json"))


# --- The CSV manifest -------------------------------------------------------------------------

MANIFEST = (
    "slug,title,description,publisher,licence,keywords,themes,geography_level,"
    "geography_coverage,access_level,landing_page,resource_url,resource_name,resource_format\n"
    "gp-surgeries,GP surgeries,Surgeries and opening hours,Halton Council,uk-ogl,"
    "health;services,HEAL;SOCI,site,Halton,open,https://halton.example.org/gp,"
    "https://halton.example.org/gp.csv,Surgeries,CSV\n"
    "gp-surgeries,,,,,,,,,,,https://halton.example.org/gp-hours.json,Opening hours,\n"
    "libraries,Libraries,,Halton Council,,,,,,,,,,\n"
)


def test_manifest_rows_sharing_a_slug_form_one_dataset():
    from datasets.services.importing import datasets_import

    result = datasets_import(actor=None, content=MANIFEST.encode(), source="m.csv")

    assert (result.created, result.updated) == (["gp-surgeries", "libraries"], [])
    gp = Dataset.objects.get(slug="gp-surgeries")
    assert (gp.title, gp.publisher.name, gp.publisher.slug) == (
        "GP surgeries",
        "Halton Council",
        "halton-council",
    )
    assert sorted(gp.themes.values_list("theme", flat=True)) == ["HEAL", "SOCI"]
    assert list(gp.resources.values_list("name", "format")) == [
        ("Surgeries", "CSV"),
        ("Opening hours", "JSON"),
    ]
    libraries = Dataset.objects.get(slug="libraries")
    assert (libraries.resources.count(), libraries.licence_id) == (0, "notspecified")
    assert libraries.publisher == gp.publisher


def test_manifest_reimport_without_some_columns_keeps_those_fields():
    from datasets.services.importing import datasets_import

    datasets_import(actor=None, content=MANIFEST.encode(), source="m.csv")
    manifest = "slug,title,publisher\ngp-surgeries,GP surgeries (2026),Halton Council\n"

    result = datasets_import(actor=None, content=manifest.encode(), source="m.csv")

    assert result.updated == ["gp-surgeries"]
    gp = Dataset.objects.get(slug="gp-surgeries")
    assert (gp.title, gp.description, gp.licence_id) == (
        "GP surgeries (2026)",
        "Surgeries and opening hours",
        "uk-ogl",
    )
    assert (gp.geography_level, gp.geography_coverage, gp.landing_page) == (
        "site",
        "Halton",
        "https://halton.example.org/gp",
    )
    assert sorted(gp.keywords.values_list("name", flat=True)) == ["health", "services"]
    assert sorted(gp.themes.values_list("theme", flat=True)) == ["HEAL", "SOCI"]


def test_manifest_reimport_with_empty_cells_clears_those_fields():
    from datasets.services.importing import datasets_import

    datasets_import(actor=None, content=MANIFEST.encode(), source="m.csv")
    manifest = (
        "slug,title,publisher,description,keywords,themes\ngp-surgeries,GP,Halton Council,,,\n"
    )

    datasets_import(actor=None, content=manifest.encode(), source="m.csv")

    gp = Dataset.objects.get(slug="gp-surgeries")
    assert (gp.description, gp.keywords.count(), gp.themes.count()) == ("", 0, 0)


@pytest.mark.parametrize(
    ("manifest", "message"),
    [
        ("slug,title,publisher,colour\nx,X,P,red\n", "unknown columns 'colour'"),
        ("slug,title\nx,X\n", "missing columns publisher"),
        ("slug,title,publisher\n", "a header but no rows"),
        ("slug,title,publisher\nx,X,P,extra\n", "Row 2 has more cells than the header."),
        ("slug,title,publisher\nx,X,P\nx,Y,P\n", "Row 3: title differs from the first row"),
        ('slug,title,publisher\nx,"X,P\n', "cannot be read: unexpected end of data"),
        ('slug,title,publisher\nx,"X"Y,P\n', "cannot be read"),
    ],
)
def test_bad_manifest_is_refused_and_nothing_written(manifest, message):
    from common.exceptions import ApplicationError
    from datasets.services.importing import datasets_import

    with pytest.raises(ApplicationError, match=message):
        datasets_import(actor=None, content=manifest.encode(), source="m.csv")

    assert Dataset.objects.count() == 0


def test_manifest_dataset_with_bad_slug_is_named():
    from common.exceptions import ApplicationError
    from datasets.services.importing import datasets_import

    with pytest.raises(ApplicationError) as refused:
        datasets_import(actor=None, content=b"slug,title,publisher\nnot a slug,X,P\n", source="m")

    assert refused.value.details["datasets"] == {
        "not a slug (row 2)": [
            "slug: Enter a valid \u201cslug\u201d consisting of letters, numbers, underscores "
            "or hyphens."
        ]
    }


# --- The page ---------------------------------------------------------------------------------

URL = "/catalogue/import/"


@pytest.fixture
def editor(client):
    user = UserFactory()
    user.groups.add(Group.objects.get(name=CATALOGUE_EDITORS))
    client.force_login(user)
    return user


def upload(content: bytes, name="catalogue.json"):
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def test_import_page_shows_form_and_manifest_columns(client, editor):
    response = client.get(URL)

    assert response.status_code == 200
    content = response.content.decode()
    assert 'enctype="multipart/form-data"' in content
    assert "All or nothing" in content
    assert "<code>resource_format</code>" in content


def test_import_page_is_refused_to_people_who_are_not_editors(client):
    assert client.get(URL).status_code == 302
    client.force_login(UserFactory())
    assert client.get(URL).status_code == 403
    assert (
        client.post(URL, {"file": upload(json.dumps(ckan_package()).encode())}).status_code == 403
    )
    assert Dataset.objects.count() == 0


def test_import_page_imports_json_and_reports_counts(client, editor):
    response = client.post(URL, {"file": upload(json.dumps(ckan_package()).encode())}, follow=True)

    assert response.redirect_chain == [(URL, 302)]
    assert "Imported: 1 created, 0 updated." in response.content.decode()
    assert Dataset.objects.get().created_by == editor
    assert Dataset.objects.get().is_published is False


def test_import_page_imports_manifest_and_publishes_when_asked(client, editor):
    response = client.post(URL, {"file": upload(MANIFEST.encode(), "m.csv"), "publish": "on"})

    assert response.status_code == 302
    assert list(Dataset.objects.filter(is_published=True).values_list("slug", flat=True)) == [
        "gp-surgeries",
        "libraries",
    ]


def test_import_page_shows_warnings_for_unknown_licences(client, editor):
    content = json.dumps(ckan_package(license_id="local")).encode()

    response = client.post(URL, {"file": upload(content)}, follow=True)

    assert "the licence &#x27;local&#x27; is not known here" in response.content.decode()


def test_import_page_lists_problems_and_writes_nothing(client, editor):
    content = json.dumps([ckan_package(url="not a url")]).encode()

    response = client.post(URL, {"file": upload(content)})

    assert response.status_code == 200
    text = response.content.decode()
    assert "Nothing was imported: 1 of the 1 datasets in the file have problems." in text
    assert "active-travel (item 1)" in text
    assert "landing_page (&#x27;url&#x27; in the file): Enter a valid URL." in text
    assert Dataset.objects.count() == 0


def test_import_page_refuses_a_bad_file_with_its_reason(client, editor):
    response = client.post(URL, {"file": upload(b"\x00\x01binary")})

    assert response.status_code == 200
    assert "The file holds null characters." in response.content.decode()


def test_import_page_without_file_asks_for_one(client, editor):
    response = client.post(URL, {})

    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()


def test_import_page_says_when_upload_is_over_the_cap(client, editor, settings):
    settings.UPLOAD_MAX_BYTES = 10
    from common.files import upload_cap_message

    response = client.post(URL, {"file": upload(json.dumps(ckan_package()).encode())})

    assert response.status_code == 200
    assert upload_cap_message() in response.content.decode()
    assert Dataset.objects.count() == 0


def test_import_page_refuses_files_over_its_own_limit(client, editor, monkeypatch):
    from datasets.interop import import_views

    monkeypatch.setattr(import_views, "IMPORT_MAX_BYTES", 10)

    response = client.post(URL, {"file": upload(json.dumps(ckan_package()).encode())})

    assert "import the catalogue in parts" in response.content.decode()
    assert Dataset.objects.count() == 0


@pytest.mark.parametrize(
    ("theme", "message"),
    [
        ("[" * 5000 + "]" * 5000, "the theme is a list nested too deeply to read."),
        ("[" * 100_000 + "]" * 100_000, "the extra 'theme' is longer than 10000 characters."),
    ],
)
def test_deeply_nested_theme_is_refused_with_its_dataset(tmp_path, theme, message):
    package = ckan_package(extras=[{"key": "theme", "value": theme}])

    with pytest.raises(CommandError, match=f"^active-travel \\(item 1\\): {message}$"):
        run(write(tmp_path, package))

    assert Dataset.objects.count() == 0


def test_deeply_nested_theme_on_the_import_page_is_named(client, editor):
    package = ckan_package(extras=[{"key": "theme", "value": "[" * 5000 + "]" * 5000}])

    response = client.post(URL, {"file": upload(json.dumps(package).encode())})

    assert response.status_code == 200
    assert "the theme is a list nested too deeply to read." in response.content.decode()
    assert Dataset.objects.count() == 0


def test_reimport_of_an_unchanged_file_records_no_update(tmp_path):
    path = write(tmp_path, ckan_package())
    run(path)
    updates = AuditEntry.objects.filter(action="dataset.updated").count()

    run(path)

    assert AuditEntry.objects.filter(action="dataset.updated").count() == updates


def test_same_ckan_id_twice_in_a_file_is_a_problem_and_nothing_is_written(tmp_path):
    data = [ckan_package(), ckan_package(name="active-travel-copy")]

    with pytest.raises(CommandError) as refused:
        run(write(tmp_path, data))

    assert f"active-travel-copy (item 2): id: '{PACKAGE_ID}' appears twice in the file." in str(
        refused.value
    )
    assert (Dataset.objects.count(), Resource.objects.count()) == (0, 0)


def test_same_resource_id_twice_in_a_file_is_a_problem_and_nothing_is_written(tmp_path):
    package = ckan_package()
    package["resources"].append(
        {**package["resources"][0], "name": "Counts 2024", "url": "https://data.example.org/24.csv"}
    )

    with pytest.raises(CommandError) as refused:
        run(write(tmp_path, package))

    assert (
        f"active-travel (item 1): resource 2 (Counts 2024) id: '{RESOURCE_ID}' appears twice "
        "in the file."
    ) in str(refused.value)
    assert (Dataset.objects.count(), Resource.objects.count()) == (0, 0)


def test_reimport_numbers_new_resources_after_the_datasets_own(tmp_path):
    run(write(tmp_path, ckan_package()))
    dataset = Dataset.objects.get(pk=PACKAGE_ID)
    upload = ResourceFactory(dataset=dataset, name="Uploaded here", order=1)
    package = ckan_package()
    package["resources"].append(
        {"name": "Counts 2024", "url": "https://data.example.org/active-travel/2024.csv"}
    )

    run(write(tmp_path, package))

    assert list(dataset.resources.order_by("order").values_list("name", "order")) == [
        ("Counts 2023", 0),
        (upload.name, 1),
        ("Counts 2024", 2),
    ]


def test_reimport_keeps_a_link_dropped_upstream_and_says_so(tmp_path):
    from datasets.services.importing import datasets_import

    run(write(tmp_path, ckan_package()))
    ResourceFactory(dataset=Dataset.objects.get(pk=PACKAGE_ID), name="Uploaded here")

    result = datasets_import(
        actor=None, content=json.dumps(ckan_package(resources=[])).encode(), source="x.json"
    )

    assert result.warnings == [
        "active-travel (item 1): the resource 'Counts 2023' is not in the file, kept."
    ]
    assert Resource.objects.filter(dataset_id=PACKAGE_ID).count() == 2
