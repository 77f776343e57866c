"""The dataset catalogue in the browser (issue 11).

A participant searches, narrows by a facet, reads a dataset's data dictionary and
preview, accepts a restricted dataset's terms and downloads it (JavaScript off on a
phone, on at desktop width); a catalogue editor adds a dataset, uploads its CSV and
publishes it; an organiser features datasets on an event, per challenge. Each page passes
axe and, at phone width, is no wider than the screen.
"""

import hashlib
import re

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import Page, expect

from datasets.enums import AccessLevel, GeographyLevel, ProfileStatus
from datasets.models import Dataset, DatasetFeature, DatasetTheme, Download, Keyword, Resource
from datasets.rules import CATALOGUE_EDITORS
from datasets.services.profiling import resource_profile
from events.enums import RoleKind
from tests.e2e.conftest import VIEWPORTS, assert_accessible, login
from tests.factories import (
    PASSWORD,
    ChallengeFactory,
    DatasetFactory,
    DatasetTermsFactory,
    EventRoleFactory,
    PublisherFactory,
    ResourceFactory,
    ThemeFactory,
    UserFactory,
)

pytestmark = pytest.mark.browser

CLAIMANTS_CSV = (
    b"area_code,area_name,month,claimants\n"
    b"E06000006,Halton,2026-01,3120\n"
    b"E08000011,Knowsley,2026-01,4410\n"
    b"E08000012,Liverpool,2026-01,15230\n"
    b"E08000014,Sefton,2026-01,5170\n"
    b"E08000013,St Helens,2026-01,3890\n"
    b"E08000015,Wirral,2026-01,6920\n"
)
VACANCIES_CSV = (
    b"area_code,area_name,sector,vacancies\n"
    b"E06000006,Halton,Health and social care,412\n"
    b"E06000006,Halton,Logistics,268\n"
    b"E08000012,Liverpool,Health and social care,1893\n"
    b"E08000012,Liverpool,Hospitality,1120\n"
)
COUNTS_CSV = (
    b"timestamp,site_id,local_authority,mode,count,latitude,longitude,weather\n"
    b"2025-06-02T08:00,HAL-004,Halton,cycling,37,53.3617,-2.7315,dry\n"
    b"2025-06-02T08:00,HAL-004,Halton,walking,112,53.3617,-2.7315,dry\n"
    b"2025-06-02T09:00,HAL-011,Halton,cycling,21,53.3338,-2.6949,rain\n"
)
# The first bytes of a PNG image: content that no name ending in .csv makes a table.
PNG_BYTES = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
TERMS = "Use these data only for the hackathon. Do not try to identify any employer."


def fits(page: Page) -> None:
    """At phone width, nothing on the page is wider than the screen."""
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= VIEWPORTS["phone"]["width"], f"{page.url} is {width}px wide on a phone"


def check(page: Page, name: str, viewport: str) -> None:
    """axe at this width and, on a phone, no sideways scrolling."""
    if viewport == "phone":
        fits(page)
    assert_accessible(page, f"catalogue-{name}-{viewport}")


def at_phone_width(page: Page, name: str) -> None:
    """The page as a phone shows it: it fits and passes axe; then back to desktop."""
    page.set_viewport_size(VIEWPORTS["phone"])
    check(page, name, "phone")
    page.set_viewport_size(VIEWPORTS["desktop"])


def banner(page: Page):
    return page.locator(".govuk-notification-banner--success")


def catalogue_editor(**fields):
    person = UserFactory(**fields)
    person.groups.add(Group.objects.get(name=CATALOGUE_EDITORS))
    return person


def dataset_with_file(*, keywords=(), themes=(), name, content, **fields) -> Dataset:
    """A published dataset with one uploaded CSV, profiled by the profiling service."""
    dataset = DatasetFactory(**fields)
    for word in keywords:
        dataset.keywords.add(Keyword.objects.get_or_create(name=word)[0])
    for theme in themes:
        DatasetTheme.objects.create(dataset=dataset, theme=theme)
    resource = ResourceFactory(
        dataset=dataset,
        name=name,
        file__data=content,
        file__filename="upload.csv",
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        profile_status=ProfileStatus.QUEUED,
    )
    assert resource_profile(resource_id=resource.pk) == ProfileStatus.DONE
    return dataset


@pytest.mark.parametrize(("viewport", "javascript"), [("phone", False), ("desktop", True)])
def test_participant_finds_previews_accepts_terms_and_downloads(
    new_page, live_server, viewport, javascript
):
    council = PublisherFactory(slug="halton", name="Halton Borough Council")
    region = PublisherFactory(slug="lcr", name="Liverpool City Region Combined Authority")
    claimants = dataset_with_file(
        slug="claimant-count",
        title="Claimant count by local authority",
        description="People claiming unemployment-related benefits, by month (illustrative).",
        publisher=council,
        keywords=["employment", "benefits"],
        themes=["ECON"],
        geography_level=GeographyLevel.LOCAL_AUTHORITY,
        name="Claimants, January 2026",
        content=CLAIMANTS_CSV,
    )
    dataset_with_file(
        slug="vacancies-lcr",
        title="Job vacancies across the city region",
        publisher=region,
        keywords=["employment"],
        themes=["ECON"],
        name="Vacancies by area, 2026",
        content=CLAIMANTS_CSV,
    )
    vacancies = dataset_with_file(
        slug="job-vacancies",
        title="Job vacancies by area and sector",
        description="Advertised vacancies by local authority and sector (illustrative).",
        publisher=council,
        keywords=["vacancies", "jobs"],
        themes=["ECON"],
        access_level=AccessLevel.RESTRICTED,
        name="Vacancies by sector, 2026",
        content=VACANCIES_CSV,
    )
    DatasetTermsFactory(dataset=vacancies, text=TERMS)
    person = UserFactory(display_name="Carol Byrne")
    page = new_page(viewport, javascript=javascript)
    heading = page.get_by_role("heading", level=1)
    login(page, live_server, person)

    # Search by a keyword, then narrow by the publisher facet.
    page.goto(f"{live_server.url}/datasets/")
    page.get_by_label("Search datasets").fill("employment")
    page.get_by_role("button", name="Search", exact=True).click()
    results = page.get_by_role("list", name="Datasets found")
    expect(page.get_by_role("heading", name="2 datasets matching “employment”")).to_be_visible()
    page.get_by_role("group", name="Publisher").get_by_label("Halton Borough Council").check()
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_role("heading", name="1 dataset matching “employment”")).to_be_visible()
    expect(results.get_by_role("heading", level=3)).to_have_text([claimants.title])
    expect(page.get_by_role("link", name="Remove the filter Publisher: Halton")).to_be_visible()
    check(page, "search-with-facets", viewport)

    # The dataset: its data dictionary and preview, open to everyone.
    results.get_by_role("link", name=claimants.title).click()
    expect(heading).to_have_text(claimants.title)
    dictionary = page.get_by_role("table", name="Data dictionary of Claimants, January 2026")
    expect(dictionary.get_by_role("rowheader")).to_have_text(
        ["area_code", "area_name", "month", "claimants"]
    )
    expect(dictionary.get_by_role("row", name="claimants")).to_contain_text("3120 to 15230")
    preview = page.get_by_role("region", name="Preview of Claimants, January 2026")
    expect(preview.get_by_role("row")).to_have_count(7)  # the header and six rows
    expect(preview.get_by_role("row").nth(3)).to_contain_text("Liverpool")
    check(page, "dataset-with-access", viewport)

    page.get_by_role("link", name="Claimants, January 2026", exact=True).click()
    expect(heading).to_have_text("Claimants, January 2026")
    expect(page.locator("#profile-status")).to_contain_text("Profiled")
    expect(page.get_by_role("region", name="Preview of Claimants, January 2026")).to_be_visible()
    check(page, "resource", viewport)

    # The restricted dataset: described, but its data withheld until the terms are accepted.
    page.get_by_role("link", name="Datasets", exact=True).first.click()
    page.get_by_label("Search datasets").fill("vacancies")
    page.get_by_role("button", name="Search", exact=True).click()
    page.get_by_role("list", name="Datasets found").get_by_role(
        "link", name=vacancies.title
    ).click()
    expect(heading).to_have_text(vacancies.title)
    expect(page.locator(".govuk-inset-text").filter(has_text="accept its terms")).to_have_text(
        "The files, preview rows and most common values of this dataset are for people who "
        "accept its terms of use. Read and accept the terms to download it."
    )
    expect(
        page.get_by_role("table", name="Data dictionary of Vacancies by sector, 2026")
    ).to_be_visible()
    expect(page.get_by_role("region", name="Preview of Vacancies by sector, 2026")).to_have_count(0)
    expect(page.get_by_role("link", name="Download Vacancies by sector, 2026")).to_have_count(0)
    expect(page.get_by_text("Health and social care")).to_have_count(0)
    check(page, "dataset-without-access", viewport)

    page.get_by_role("link", name="Read and accept the terms").click()
    expect(heading).to_have_text("Terms of use")
    expect(page.locator("#terms-text")).to_have_text(TERMS)
    check(page, "terms", viewport)
    page.get_by_role("button", name="Continue").click()  # not ticked: refused, said why
    summary = page.locator(".govuk-error-summary")
    expect(summary.get_by_role("link")).to_have_text(
        ["Tick the box to accept the terms, or leave this page."]
    )
    check(page, "terms-error", viewport)
    summary.get_by_role("link").click()
    expect(page.get_by_label("I accept these terms")).to_be_focused()
    page.get_by_label("I accept these terms").check()
    page.get_by_role("button", name="Continue").click()

    # Without JavaScript the error link left #id_accept in the address; the redirect keeps it.
    expect(page).to_have_url(re.compile(rf"{live_server.url}/datasets/job-vacancies/(#.*)?$"))
    expect(banner(page)).to_contain_text(f"You accepted the terms of {vacancies.title}.")
    preview = page.get_by_role("region", name="Preview of Vacancies by sector, 2026")
    expect(preview.get_by_role("row")).to_have_count(5)
    expect(preview).to_contain_text("Health and social care")
    check(page, "dataset-after-terms", viewport)

    with page.expect_download() as downloading:
        page.get_by_role("link", name="Download Vacancies by sector, 2026").click()
    download = downloading.value
    assert download.suggested_filename == "job-vacancies-vacancies-by-sector-2026.csv"
    with open(download.path(), "rb") as saved:
        assert saved.read() == VACANCIES_CSV
    resource = Resource.objects.get(dataset=vacancies)
    assert resource.download_count == 1
    assert list(Download.objects.values_list("resource", "user")) == [(resource.pk, person.pk)]
    assert list(vacancies.acceptances.values_list("user", "version")) == [(person.pk, 1)]


def test_catalogue_finds_a_dataset_by_a_column_name_once_profiled(page, live_server):
    """The upload's own reindex runs before profiling (after commit), so only profiling
    can make the columns searchable."""
    dataset = DatasetFactory(slug="active-travel", title="Active travel counts")
    ResourceFactory(
        dataset=dataset,
        file__data=COUNTS_CSV,
        size=len(COUNTS_CSV),
        sha256=hashlib.sha256(COUNTS_CSV).hexdigest(),
        profile_status=ProfileStatus.QUEUED,
    )
    resource_profile(resource_id=dataset.resources.get().pk)

    page.goto(f"{live_server.url}/datasets/?q=weather")
    expect(page.get_by_role("list", name="Datasets found").get_by_role("link")).to_have_text(
        ["Active travel counts"]
    )


def test_catalogue_editor_adds_uploads_and_publishes_a_dataset(new_page, live_server):
    PublisherFactory(slug="halton", name="Halton Borough Council")
    editor = catalogue_editor(display_name="Wen Li")
    page = new_page("desktop")
    heading = page.get_by_role("heading", level=1)
    title = "Walking and cycling counts in Widnes"
    login(page, live_server, editor)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Catalogue").click()
    expect(heading).to_have_text("Catalogue")
    page.get_by_role("link", name="Add a dataset").click()
    expect(heading).to_have_text("Add a dataset")
    at_phone_width(page, "editor-dataset-form")
    page.get_by_label("Data from").fill("2025-06-30")
    page.get_by_label("Data up to").fill("2025-06-01")
    page.get_by_role("button", name="Create dataset").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link")).to_have_text(
        [
            "Enter the dataset's title",
            "Choose a publisher",
            "Choose a licence",
            "The coverage must end after it starts.",
        ]
    )
    at_phone_width(page, "editor-dataset-form-errors")
    targets = ["Title", "Publisher", "Licence", "Data up to"]
    for link, label in zip(summary.get_by_role("link").all(), targets, strict=True):
        link.click()
        expect(page.get_by_label(label, exact=True)).to_be_focused()
    page.get_by_label("Title").fill(title)
    page.get_by_label("Description").fill(
        "Hourly counts at automatic counters on Widnes's main routes (illustrative)."
    )
    page.get_by_label("Keywords").fill("active travel, cycling, Halton")
    page.get_by_label("Transport").check()
    page.get_by_label("Publisher", exact=True).select_option(label="Halton Borough Council")
    page.get_by_label("Licence").select_option(label="UK Open Government Licence (OGL)")
    page.get_by_label("Data from").fill("2025-06-01")
    page.get_by_label("Data up to").fill("2025-06-30")
    page.get_by_label("Geography coverage").fill("Widnes, Halton")
    page.get_by_label("Site or point").check()
    page.get_by_label("Open to everyone").check()
    page.get_by_role("button", name="Create dataset").click()

    expect(banner(page)).to_contain_text("Dataset created, not yet published.")
    expect(heading).to_have_text(title)
    dataset = Dataset.objects.get(title=title)
    assert (dataset.slug, dataset.is_published) == ("walking-and-cycling-counts-in-widnes", False)
    at_phone_width(page, "editor-dataset")

    # A PNG named .csv is refused, with the summary pointing at the file field.
    page.get_by_role("link", name="Upload a file").click()
    expect(heading).to_have_text("Upload a file")
    at_phone_width(page, "editor-upload-form")
    upload = {"name": "counts.csv", "mimeType": "text/csv", "buffer": PNG_BYTES}
    page.get_by_label("File", exact=True).set_input_files(upload)
    page.get_by_role("button", name="Upload", exact=True).click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    message = (
        "“counts.csv” is named as .csv but its content is a PNG image. Upload the file its "
        "name says, or rename it."
    )
    expect(summary.get_by_role("link")).to_have_text([message])
    expect(page).to_have_title("Error: Upload a file · CivicHack")
    at_phone_width(page, "editor-upload-error")
    summary.get_by_role("link", name=message).click()
    expect(page.get_by_label("File", exact=True)).to_be_focused()
    assert not dataset.resources.exists()

    counts = {"name": "widnes-counts.csv", "mimeType": "text/csv", "buffer": COUNTS_CSV}
    page.get_by_label("File", exact=True).set_input_files(counts)
    page.get_by_label("Name").fill("Counts, June 2025")
    page.get_by_role("button", name="Upload", exact=True).click()
    expect(banner(page)).to_contain_text("File uploaded")
    row = page.get_by_role("row", name="Counts, June 2025")
    expect(row).to_contain_text("widnes-counts.csv")
    expect(row).to_contain_text("Profiled")  # tasks run in-process in tests

    resource = dataset.resources.get()
    page.goto(f"{live_server.url}/datasets/{dataset.slug}/resources/{resource.pk}/")
    expect(heading).to_have_text("Counts, June 2025")
    expect(page.locator("#profile-status")).to_have_text("Profiled")
    expect(
        page.get_by_role("table", name="Data dictionary of Counts, June 2025").get_by_role(
            "rowheader"
        )
    ).to_have_text(
        ["timestamp", "site_id", "local_authority", "mode", "count", "latitude", "longitude",
         "weather"]
    )  # fmt: skip
    at_phone_width(page, "editor-resource")

    page.goto(f"{live_server.url}/catalogue/datasets/{dataset.slug}/")
    page.get_by_role("button", name="Publish").click()
    expect(heading).to_have_text(f"Publish “{title}”?")
    at_phone_width(page, "editor-publish-confirm")
    page.get_by_role("button", name="Yes, publish it").click()
    expect(banner(page)).to_contain_text(f"“{title}” is published.")

    visitor = new_page("phone", javascript=False)
    visitor.goto(f"{live_server.url}/datasets/?q=cycling")
    found = visitor.get_by_role("list", name="Datasets found")
    expect(found.get_by_role("link")).to_have_text([title])
    check(visitor, "search-after-publishing", "phone")
    dataset.refresh_from_db()
    assert dataset.is_published


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_organiser_features_datasets_per_challenge(new_page, live_server, viewport):
    role = EventRoleFactory(role=RoleKind.ORGANISER)
    event = role.event
    theme = ThemeFactory(event=event, name="Active travel")
    routes = ChallengeFactory(event=event, theme=theme, title="Safer routes to school")
    ChallengeFactory(event=event, theme=theme, title="Quieter streets")
    counts = dataset_with_file(
        title="Active travel counts",
        slug="active-travel-counts",
        name="Counts, June 2025",
        content=COUNTS_CSV,
    )
    population = DatasetFactory(title="Mid-year population estimates", slug="population")
    DatasetFactory(title="Unpublished draft", slug="draft", is_published=False)
    page = new_page(viewport, javascript=False)
    heading = page.get_by_role("heading", level=1)
    login(page, live_server, role.user)

    page.goto(f"{live_server.url}/organise/{event.slug}/")
    page.get_by_role("navigation", name="Event set-up").get_by_role("link", name="Datasets").click()
    expect(heading).to_have_text("Datasets")
    dataset_choice = page.get_by_label("Dataset", exact=True)
    expect(dataset_choice.locator("option")).to_have_text(
        ["Choose a published dataset", "Active travel counts", "Mid-year population estimates"]
    )
    check(page, "console-empty", viewport)

    dataset_choice.select_option(label="Active travel counts")
    page.get_by_label("Safer routes to school").check()
    page.get_by_label("Note").fill("Counts by school-run hour at each counter.")
    page.get_by_role("button", name="Add featured dataset").click()
    expect(banner(page)).to_be_visible()

    page.get_by_label("Dataset", exact=True).select_option(label="Mid-year population estimates")
    page.get_by_label("Every challenge").check()
    page.get_by_role("button", name="Add featured dataset").click()
    expect(page.get_by_role("row", name="Active travel counts")).to_contain_text(
        "Safer routes to school"
    )
    expect(page.get_by_role("row", name="Mid-year population estimates")).to_contain_text(
        "Every challenge"
    )
    check(page, "console-list", viewport)
    features = DatasetFeature.objects.filter(event=event).order_by("dataset__title")
    assert [(f.dataset, f.challenge) for f in features] == [
        (counts, routes),
        (population, None),
    ]

    setup = page.get_by_role("navigation", name="Event set-up")
    setup.get_by_role("link", name="Dashboard").click()
    panel = page.get_by_role("region", name="Catalogue")
    expect(panel.get_by_role("row", name="Active travel counts")).to_contain_text(
        "Counts, June 2025: profiled"
    )
    check(page, "dashboard-panel", viewport)

    setup.get_by_role("link", name="Public page").click()
    section = page.get_by_role("region", name="Datasets")
    expect(section.get_by_role("heading", level=3)).to_have_text(
        ["For every challenge", "For “Safer routes to school”"]
    )
    expect(section.get_by_role("list").nth(0).get_by_role("link")).to_have_text(
        ["Mid-year population estimates"]
    )
    expect(section.get_by_role("list").nth(1)).to_contain_text(
        "Counts by school-run hour at each counter."
    )
    check(page, "event-page", viewport)
    section.get_by_role("link", name="Active travel counts").click()
    expect(heading).to_have_text("Active travel counts")


LONG = "Supercalifragilisticexpialidocious-neighbourhood-regeneration-partnership"


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_every_catalogue_page_fits_a_phone_and_passes_axe(new_page, live_server, viewport):
    """Each public and editors' catalogue page, filled with long words, long addresses and
    a wide table, stays within the screen and has no serious accessibility problem."""
    editor = catalogue_editor(display_name=f"Editor {LONG}")
    publisher = PublisherFactory(
        slug="long",
        name=f"Publisher {LONG}",
        url=f"https://data.example.org/{LONG}/{LONG}",
        contact_name=f"Contact {LONG}",
    )
    column = "number_of_people_claiming_unemployment_related_benefits_in_the_month"
    content = (
        f"area_code,area_name,{column},notes\n"
        f"E06000006,Halton,3120,{LONG} {LONG}\n"
        f"E08000011,{LONG},4410,\n"
    ).encode()
    dataset = dataset_with_file(
        slug="long",
        title=f"Dataset {LONG}",
        description=f"About {LONG}.\n\n{LONG} {LONG}",
        publisher=publisher,
        contact_name=f"Contact {LONG}",
        contact_email=f"data.team@{LONG}.example.org",
        attribution=f"Contains data from {LONG}.",
        keywords=[LONG, "employment"],
        themes=["ECON", "REGI"],
        geography_coverage=f"{LONG}, Halton",
        geography_level=GeographyLevel.LSOA,
        landing_page=f"https://data.example.org/{LONG}/{LONG}",
        provenance=f"Compiled by {LONG}.",
        version="2026-01-provisional-release-candidate-7",
        access_level=AccessLevel.RESTRICTED,
        name=f"Resource {LONG}",
        content=content,
    )
    upload = dataset.resources.get()
    link = ResourceFactory(
        dataset=dataset, name=f"Link {LONG}", file="", original_filename="",
        url=f"https://api.example.org/{LONG}",
        format="API", size=None, sha256="",
    )  # fmt: skip
    terms = DatasetTermsFactory(dataset=dataset, text=f"Terms {LONG} {LONG}")
    dataset.acceptances.create(user=editor, version=terms.version)
    Download.objects.create(resource=upload, user=editor)
    role = EventRoleFactory(role=RoleKind.ORGANISER, event__name=f"Hackathon {LONG}")
    DatasetFactory.create_batch(20, description=f"Employment {LONG}")  # a second page
    DatasetFeature.objects.create(event=role.event, dataset=dataset, note=f"Note {LONG}")
    page = new_page(viewport)
    page.set_viewport_size(VIEWPORTS["desktop"])  # `login` looks for Sign out in the header
    login(page, live_server, editor)
    page.set_viewport_size(VIEWPORTS[viewport])

    public = f"{live_server.url}/datasets/{dataset.slug}"
    editing = f"{live_server.url}/catalogue/datasets/{dataset.slug}"
    pages = {
        "search": f"{live_server.url}/datasets/?q=employment&access=restricted",
        "search-page-2": f"{live_server.url}/datasets/?q=employment&page=2",
        "dataset": f"{public}/",
        "resource": f"{public}/resources/{upload.pk}/",
        "link": f"{public}/resources/{link.pk}/",
        "terms-page": f"{public}/terms/",
        "usage": f"{public}/usage/",
        "editor-home": f"{live_server.url}/catalogue/",
        "editor-create": f"{live_server.url}/catalogue/new/",
        "editor-publishers": f"{live_server.url}/catalogue/publishers/",
        "editor-publisher-create": f"{live_server.url}/catalogue/publishers/new/",
        "editor-publisher-edit": f"{live_server.url}/catalogue/publishers/long/edit/",
        "editor-dataset": f"{editing}/",
        "editor-edit": f"{editing}/edit/",
        "editor-terms": f"{editing}/terms/",
        "editor-unpublish": f"{editing}/unpublish/",
        "editor-delete": f"{editing}/delete/",
        "editor-upload": f"{editing}/resources/upload/",
        "editor-link": f"{editing}/resources/link/",
        "editor-resource-edit": f"{editing}/resources/{upload.pk}/edit/",
        "editor-resource-replace": f"{editing}/resources/{upload.pk}/replace/",
        "editor-resource-delete": f"{editing}/resources/{link.pk}/delete/",
    }
    for name, url in pages.items():
        response = page.goto(url)
        assert response.status == 200, url
        check(page, f"crawl-{name}", viewport)

    # A file gone from storage: a page that says so, and nothing counted.
    upload.file.storage.delete(upload.file.name)
    response = page.goto(f"{public}/resources/{upload.pk}/download/")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"The file of Resource {LONG} is missing"
    )
    check(page, "crawl-file-missing", viewport)
    assert Download.objects.count() == 1

    page.goto(f"{public}/")  # the level's own capitals kept after "By"
    expect(page.get_by_text("By lower layer super output area (LSOA)")).to_be_visible()


def test_resource_page_follows_profiling_while_it_runs(new_page, live_server):
    """With JavaScript the status updates itself (htmx, every few seconds); without it,
    the Refresh link shows the same."""
    editor = catalogue_editor()
    dataset = DatasetFactory(slug="active-travel", title="Active travel counts")
    resource = ResourceFactory(
        dataset=dataset,
        name="Counts, June 2025",
        file__data=COUNTS_CSV,
        size=len(COUNTS_CSV),
        sha256=hashlib.sha256(COUNTS_CSV).hexdigest(),
        profile_status=ProfileStatus.QUEUED,
    )
    url = f"{live_server.url}/datasets/{dataset.slug}/resources/{resource.pk}/"
    page = new_page("phone")
    plain = new_page("phone", javascript=False)
    for each in (page, plain):
        each.set_viewport_size(VIEWPORTS["desktop"])
        login(each, live_server, editor)
        each.set_viewport_size(VIEWPORTS["phone"])
        each.goto(url)
        expect(each.locator("#profile-status")).to_contain_text("Waiting to be profiled 0% done")
    check(page, "resource-queued", "phone")

    assert resource_profile(resource_id=resource.pk) == ProfileStatus.DONE
    status = page.locator("#profile-status")
    expect(status).to_contain_text("Profiled", timeout=10_000)
    status.get_by_role("link", name="show the data dictionary").click()
    expect(page.get_by_role("table", name="Data dictionary of Counts, June 2025")).to_be_visible()
    check(page, "resource-profiled", "phone")

    plain.get_by_role("link", name="Refresh").click()
    expect(plain.locator("#profile-status")).to_have_text("Profiled")
    expect(plain.get_by_role("table", name="Data dictionary of Counts, June 2025")).to_be_visible()


def test_shared_download_link_leads_through_sign_in_and_terms_to_the_file(new_page, live_server):
    """Someone signed out follows a restricted file's download link (shared by a team
    mate): they sign in, accept the terms, and the file comes, on a phone without
    JavaScript."""
    dataset = dataset_with_file(
        slug="job-vacancies",
        title="Job vacancies by area and sector",
        access_level=AccessLevel.RESTRICTED,
        name="Vacancies by sector, 2026",
        content=VACANCIES_CSV,
    )
    DatasetTermsFactory(dataset=dataset, text=TERMS)
    resource = dataset.resources.get()
    person = UserFactory()
    page = new_page("phone", javascript=False)
    download_url = f"/datasets/{dataset.slug}/resources/{resource.pk}/download/"

    page.goto(f"{live_server.url}{download_url}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    page.get_by_label("Email").fill(person.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Terms of use")
    expect(page.locator("#terms-text")).to_have_text(TERMS)
    fits(page)
    page.get_by_label("I accept these terms").check()
    with page.expect_download() as downloading:
        page.get_by_role("button", name="Continue").click()
    download = downloading.value
    assert download.suggested_filename == "job-vacancies-vacancies-by-sector-2026.csv"
    with open(download.path(), "rb") as saved:
        assert saved.read() == VACANCIES_CSV
    assert list(Download.objects.values_list("user", flat=True)) == [person.pk]

    page.goto(f"{live_server.url}/datasets/{dataset.slug}/")  # the message waits for a page
    expect(banner(page)).to_contain_text(f"You accepted the terms of {dataset.title}.")
