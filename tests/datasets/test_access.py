"""Access to the data: downloads at each access level, accepting terms, and who sees
who used a dataset."""

import os
from urllib.parse import quote

import pytest
from django.urls import reverse

from common.models import AuditEntry
from datasets.models import Download, Resource, TermsAcceptance
from datasets.services.access import download_record, terms_accept
from events.enums import RoleKind
from tests.datasets.pages_helpers import catalogue_editor
from tests.factories import (
    DEMO_CSV,
    DatasetFactory,
    DatasetFeatureFactory,
    DatasetTermsFactory,
    EventFactory,
    EventRoleFactory,
    ResourceFactory,
    UserFactory,
)
from tests.query_budget import assert_flat_queries
from tests.registration.helpers import register

pytestmark = pytest.mark.django_db


def download_url(resource, *, slug=None) -> str:
    return reverse(
        "datasets:resource_download",
        kwargs={"slug": slug or resource.dataset.slug, "resource_id": resource.pk},
    )


def terms_url(dataset) -> str:
    return reverse("datasets:terms", args=[dataset.slug])


def login_redirect(url) -> str:
    return f"/accounts/login/?next={quote(url)}"


# --- Downloads ---------------------------------------------------------------------------


def test_download_sends_the_file_as_an_attachment_with_a_fixed_name(client):
    dataset = DatasetFactory(slug="claimants")
    resource = ResourceFactory(dataset=dataset, name="Claimants by month!", format="CSV")

    response = client.get(download_url(resource))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == DEMO_CSV
    assert response["Content-Disposition"] == (
        'attachment; filename="claimants-claimants-by-month.csv"'
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "text/csv"


def test_download_without_a_media_type_is_octet_stream(client):
    resource = ResourceFactory(media_type="", format="")

    response = client.get(download_url(resource))

    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"] == (
        f'attachment; filename="{resource.dataset.slug}-{resource.name.lower().replace(" ", "-")}"'
    )


def test_download_is_counted_and_recorded_each_time(client):
    resource = ResourceFactory()
    person = UserFactory()

    client.get(download_url(resource))
    client.force_login(person)
    client.get(download_url(resource))

    assert Resource.objects.get(pk=resource.pk).download_count == 2
    assert list(Download.objects.order_by("pk").values_list("user", flat=True)) == [None, person.pk]


@pytest.mark.parametrize("method", ["head", "post"])
def test_download_answers_only_a_get(client, method):
    resource = ResourceFactory()

    response = getattr(client, method)(download_url(resource))

    assert response.status_code == 405
    assert not Download.objects.exists()


def test_download_record_adds_to_the_count_in_the_database():
    resource = ResourceFactory()
    Resource.objects.filter(pk=resource.pk).update(download_count=41)

    download_record(resource=resource, user=None)  # `resource` still says 0

    assert Resource.objects.get(pk=resource.pk).download_count == 42


def test_download_of_a_link_redirects_to_it_after_counting(client):
    resource = ResourceFactory(file="", url="https://data.example.org/claimants.csv")

    response = client.get(download_url(resource))

    assert response.status_code == 302
    assert response["Location"] == "https://data.example.org/claimants.csv"
    assert Resource.objects.get(pk=resource.pk).download_count == 1


def test_download_of_a_missing_file_is_a_clear_404_and_not_counted(client):
    resource = ResourceFactory(name="Claimants CSV")
    os.remove(resource.file.path)

    response = client.get(download_url(resource))

    assert response.status_code == 404
    assert "The file of Claimants CSV is missing" in response.content.decode()
    assert not Download.objects.exists()
    assert Resource.objects.get(pk=resource.pk).download_count == 0


def test_download_of_another_datasets_resource_is_not_found(client):
    resource, other = ResourceFactory(), DatasetFactory()

    response = client.get(download_url(resource, slug=other.slug))

    assert response.status_code == 404
    assert not Download.objects.exists()


def test_download_of_signed_in_data_asks_the_signed_out_to_sign_in(client):
    resource = ResourceFactory(dataset=DatasetFactory(access_level="signed_in"))
    url = download_url(resource)

    assert client.get(url)["Location"] == login_redirect(url)
    client.force_login(UserFactory())
    assert client.get(url).status_code == 200
    assert Download.objects.count() == 1


def test_download_of_restricted_data_needs_the_current_terms_accepted(client):
    dataset = DatasetFactory(access_level="restricted")
    DatasetTermsFactory(dataset=dataset, version=1)
    resource = ResourceFactory(dataset=dataset)
    person = UserFactory()
    url = download_url(resource)

    assert client.get(url)["Location"] == login_redirect(url)
    client.force_login(person)
    assert client.get(url)["Location"] == f"{terms_url(dataset)}?next={quote(url, safe='')}"
    terms_accept(user=person, dataset=dataset, version=1)
    assert client.get(url).status_code == 200
    assert Download.objects.filter(user=person).count() == 1


def test_new_terms_supersede_an_earlier_acceptance(client):
    dataset = DatasetFactory(access_level="restricted")
    DatasetTermsFactory(dataset=dataset, version=1)
    resource = ResourceFactory(dataset=dataset)
    person = UserFactory()
    terms_accept(user=person, dataset=dataset, version=1)
    DatasetTermsFactory(dataset=dataset, version=2, text="New wording.")
    client.force_login(person)

    response = client.get(download_url(resource))

    assert response.status_code == 302
    assert response["Location"].startswith(terms_url(dataset))
    assert not Download.objects.exists()


def test_catalogue_editors_download_restricted_and_unpublished_data(client):
    dataset = DatasetFactory(access_level="restricted", is_published=False)
    resource = ResourceFactory(dataset=dataset)
    client.force_login(catalogue_editor())

    assert client.get(download_url(resource)).status_code == 200


def test_restricted_data_without_published_terms_is_refused(client):
    resource = ResourceFactory(dataset=DatasetFactory(access_level="restricted"))
    client.force_login(UserFactory())

    assert client.get(download_url(resource)).status_code == 403
    assert not Download.objects.exists()


# --- Terms -------------------------------------------------------------------------------


@pytest.fixture
def restricted():
    dataset = DatasetFactory(slug="vacancies", access_level="restricted")
    DatasetTermsFactory(dataset=dataset, version=1, text="Line one <b>bold</b>\nLine two")
    return dataset


def test_terms_page_shows_the_text_escaped_with_its_line_breaks(client, restricted):
    client.force_login(UserFactory())

    response = client.get(terms_url(restricted))

    content = response.content.decode()
    assert "Line one &lt;b&gt;bold&lt;/b&gt;<br>Line two" in content
    assert 'name="accept"' in content and "I accept these terms" in content
    assert 'name="version" value="1"' in content
    assert not TermsAcceptance.objects.exists()  # reading is not accepting


def test_accepting_terms_records_the_version_and_goes_on(client, restricted):
    person = UserFactory()
    client.force_login(person)
    next_url = "/datasets/vacancies/#resources"

    response = client.post(
        terms_url(restricted), {"accept": "on", "version": "1", "next": next_url}
    )

    assert response.status_code == 302
    assert response["Location"] == next_url
    acceptance = TermsAcceptance.objects.get()
    assert (acceptance.user, acceptance.dataset, acceptance.version) == (person, restricted, 1)
    assert (
        AuditEntry.objects.filter(
            action="dataset.terms_accepted", actor=person, data={"version": 1}
        ).count()
        == 1
    )


def test_accepting_twice_keeps_one_acceptance(client, restricted):
    person = UserFactory()
    client.force_login(person)

    for _ in range(2):
        client.post(terms_url(restricted), {"accept": "on", "version": "1"})

    assert TermsAcceptance.objects.filter(user=person).count() == 1
    assert AuditEntry.objects.filter(action="dataset.terms_accepted").count() == 1


def test_accepting_needs_the_box_ticked(client, restricted):
    client.force_login(UserFactory())

    response = client.post(terms_url(restricted), {"version": "1"})

    assert response.status_code == 400
    assert "Tick the box to accept the terms" in response.content.decode()
    assert not TermsAcceptance.objects.exists()


def test_accepting_an_outdated_version_asks_to_read_again(client, restricted):
    DatasetTermsFactory(dataset=restricted, version=2)
    client.force_login(UserFactory())

    response = client.post(terms_url(restricted), {"accept": "on", "version": "1"}, follow=True)

    content = response.content.decode()
    assert response.status_code == 409
    assert "The terms of this dataset have changed" in content
    assert 'name="version" value="2"' in content
    assert not TermsAcceptance.objects.exists()


@pytest.mark.parametrize("next_url", ["https://evil.example/", "//evil.example/", "/\\evil"])
def test_accepting_never_sends_anyone_off_the_site(client, restricted, next_url):
    client.force_login(UserFactory())

    response = client.post(
        terms_url(restricted), {"accept": "on", "version": "1", "next": next_url}
    )

    assert response["Location"] == restricted.get_absolute_url()


@pytest.mark.parametrize("version", ["0", "-1", "99999999999999999999", "x", "1\x00"])
def test_accepting_with_a_bad_version_changes_nothing(client, restricted, version):
    client.force_login(UserFactory())

    response = client.post(terms_url(restricted), {"accept": "on", "version": version})

    assert response.status_code == 400
    assert not TermsAcceptance.objects.exists()


def test_terms_of_a_dataset_that_is_not_restricted_are_not_found(client):
    dataset = DatasetFactory(access_level="signed_in")
    DatasetTermsFactory(dataset=dataset)
    client.force_login(UserFactory())

    assert client.get(terms_url(dataset)).status_code == 404


def test_terms_need_signing_in(client, restricted):
    response = client.get(terms_url(restricted))

    assert response["Location"] == login_redirect(terms_url(restricted))


# --- Usage -------------------------------------------------------------------------------


def usage_url(dataset, event=None) -> str:
    url = reverse("datasets:usage", args=[dataset.slug])
    return f"{url}?event={event.slug}" if event else url


@pytest.fixture
def used():
    """A restricted dataset featured on an event, used by one of its participants and by
    someone not taking part."""
    dataset = DatasetFactory(access_level="restricted")
    DatasetTermsFactory(dataset=dataset, version=1)
    resource = ResourceFactory(dataset=dataset, name="Vacancies CSV")
    event = EventFactory()
    DatasetFeatureFactory(event=event, dataset=dataset)
    organiser = EventRoleFactory(event=event, role=RoleKind.ORGANISER).user
    taking_part = UserFactory(display_name="Ada Participant", email="ada@example.org")
    register(event, taking_part)
    outsider = UserFactory(display_name="Olu Outsider")
    nameless = UserFactory(display_name="")
    register(event, nameless)
    for person in (taking_part, outsider, nameless):
        terms_accept(user=person, dataset=dataset, version=1)
        download_record(resource=resource, user=person)
    download_record(resource=resource, user=None)
    return dataset, event, organiser, nameless


def test_usage_shows_catalogue_editors_everyone_by_name(client, used):
    dataset, _, _, nameless = used
    client.force_login(catalogue_editor())

    content = client.get(usage_url(dataset)).content.decode()

    assert "Ada Participant" in content and "Olu Outsider" in content
    assert f"Participant #{nameless.pk}" in content
    assert "Signed out or deleted account" in content
    assert "Accepted the terms (3)" in content and "Downloads (4)" in content
    assert 'data-label="Downloads">4</td>' in content
    assert "ada@example.org" not in content


def test_usage_shows_organisers_only_their_events_participants(client, used):
    dataset, _, organiser, nameless = used
    client.force_login(organiser)

    content = client.get(usage_url(dataset)).content.decode()

    assert "Ada Participant" in content and f"Participant #{nameless.pk}" in content
    assert "Olu Outsider" not in content and "Signed out or deleted account" not in content
    assert "Accepted the terms (2)" in content and "Downloads (2)" in content
    assert 'data-label="Downloads">2</td>' in content


def test_usage_lets_an_organiser_choose_among_their_events(client, used):
    dataset, event, organiser, _ = used
    other = EventFactory(name="Second event")
    DatasetFeatureFactory(event=other, dataset=dataset)
    EventRoleFactory(event=other, user=organiser, role=RoleKind.ORGANISER)
    client.force_login(organiser)

    first = client.get(usage_url(dataset, event)).content.decode()
    second = client.get(usage_url(dataset, other)).content.decode()

    assert '<select class="govuk-select" name="event" id="id_event">' in first
    assert "Ada Participant" in first
    assert "Ada Participant" not in second and "Accepted the terms (0)" in second


def test_usage_of_an_event_the_organiser_does_not_run_is_not_found(client, used):
    dataset, _, organiser, _ = used
    elsewhere = EventFactory()
    DatasetFeatureFactory(event=elsewhere, dataset=dataset)
    client.force_login(organiser)

    assert client.get(usage_url(dataset, elsewhere)).status_code == 404


def test_usage_is_refused_to_organisers_of_events_not_featuring_it(client, used):
    dataset = used[0]
    client.force_login(EventRoleFactory(role=RoleKind.ORGANISER).user)

    assert client.get(usage_url(dataset)).status_code == 403


def test_usage_query_count_is_flat(client):
    dataset = DatasetFactory(access_level="restricted")
    DatasetTermsFactory(dataset=dataset, version=1)
    resource = ResourceFactory(dataset=dataset)
    event = EventFactory()
    DatasetFeatureFactory(event=event, dataset=dataset)
    organiser = EventRoleFactory(event=event, role=RoleKind.ORGANISER).user
    people = []

    def add_items(count):
        for _ in range(count):
            person = UserFactory()
            register(event, person)
            terms_accept(user=person, dataset=dataset, version=1)
            download_record(resource=resource, user=person)
            people.append(person)

    def fetch():
        response = client.get(usage_url(dataset))
        assert response.status_code == 200
        return response

    client.force_login(organiser)
    assert_flat_queries(fetch=fetch, add_items=add_items, shown=lambda: [str(p) for p in people])


def test_download_of_guarded_data_is_never_kept_by_a_shared_cache(client):
    open_resource = ResourceFactory()
    guarded = ResourceFactory(dataset=DatasetFactory(access_level="signed_in"))
    client.force_login(UserFactory())

    open_response = client.get(download_url(open_resource))
    guarded_response = client.get(download_url(guarded))

    assert "private" not in open_response.get("Cache-Control", "")
    assert guarded_response["Cache-Control"] == "private"


def test_empty_post_to_terms_says_what_is_missing(client, restricted):
    client.force_login(UserFactory())

    response = client.post(terms_url(restricted), {})

    assert response.status_code == 400
    assert "Tick the box to accept the terms" in response.content.decode()
    assert not TermsAcceptance.objects.exists()


@pytest.mark.parametrize("level", ["signed_in", "restricted"])
def test_resource_page_keeps_a_guarded_links_address_to_those_allowed(client, level):
    dataset = DatasetFactory(access_level=level)
    DatasetTermsFactory(dataset=dataset)
    link = ResourceFactory(dataset=dataset, file="", url="https://data.example.org/s?token=abc")
    page = reverse("datasets:resource", kwargs={"slug": dataset.slug, "resource_id": link.pk})

    hidden = client.get(page).content.decode()
    person = UserFactory()
    client.force_login(person)
    if level == "restricted":
        terms_accept(user=person, dataset=dataset, version=1)
    shown = client.get(page).content.decode()

    assert "token=abc" not in hidden
    assert "token=abc" in shown
