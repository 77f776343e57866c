"""Featured datasets: the organiser console part, the public event page's section and the
dashboard's Catalogue panel."""

import pytest

from datasets.enums import ProfileStatus
from datasets.models import DatasetFeature
from datasets.selectors.featured import featured_datasets
from tests.factories import (
    ChallengeFactory,
    DatasetFactory,
    DatasetFeatureFactory,
    EventFactory,
    ResourceFactory,
    ThemeFactory,
)
from tests.query_budget import assert_flat_queries

pytestmark = pytest.mark.django_db


def _ok(client, url):
    def fetch():
        response = client.get(url)
        assert response.status_code == 200, url
        return response

    return fetch


# --- The selector ----------------------------------------------------------------------


def test_featured_datasets_general_first_then_per_challenge_in_challenge_order():
    event = EventFactory()
    theme = ThemeFactory(event=event)
    second = ChallengeFactory(theme=theme, title="Second", order=2)
    first = ChallengeFactory(theme=theme, title="First", order=1)
    DatasetFeatureFactory(event=event, challenge=second, dataset=DatasetFactory(title="S"))
    DatasetFeatureFactory(event=event, challenge=first, dataset=DatasetFactory(title="F"))
    DatasetFeatureFactory(event=event, dataset=DatasetFactory(title="G2"), order=2)
    DatasetFeatureFactory(event=event, dataset=DatasetFactory(title="G1"), order=1)
    DatasetFeatureFactory(event=event, dataset=DatasetFactory(title="Hidden", is_published=False))
    DatasetFeatureFactory(dataset=DatasetFactory(title="Other event"))

    groups = featured_datasets(event)

    assert [
        (group.challenge, [feature.dataset.title for feature in group.features]) for group in groups
    ] == [(None, ["G1", "G2"]), (first, ["F"]), (second, ["S"])]


def test_featured_datasets_one_query(django_assert_num_queries):
    event = EventFactory()
    for _ in range(5):
        DatasetFeatureFactory(event=event, challenge=ChallengeFactory(theme__event=event))

    with django_assert_num_queries(1):
        groups = featured_datasets(event)
        [f.dataset.publisher.name + f.dataset.licence.title for g in groups for f in g.features]


# --- The console part ----------------------------------------------------------------------


def test_console_part_adds_feature_for_a_challenge(client, organiser):
    event = organiser.event
    challenge = ChallengeFactory(theme=ThemeFactory(event=event))
    dataset = DatasetFactory()

    response = client.post(
        f"/organise/{event.slug}/datasets/",
        {"dataset": dataset.pk, "challenge": challenge.pk, "note": "Start here.", "order": "0"},
    )

    assert response.status_code == 302
    feature = DatasetFeature.objects.get()
    assert (feature.event, feature.dataset, feature.challenge, feature.note) == (
        event,
        dataset,
        challenge,
        "Start here.",
    )


def test_console_part_form_offers_published_datasets_and_event_challenges(client, organiser):
    event = organiser.event
    ChallengeFactory(theme=ThemeFactory(event=event), title="Ours")
    ChallengeFactory(title="Theirs")
    DatasetFactory(title="Published one")
    DatasetFactory(title="Draft one", is_published=False)

    content = client.get(f"/organise/{event.slug}/datasets/").content.decode()

    assert "Published one" in content and "Draft one" not in content
    assert "Ours" in content and "Theirs" not in content
    assert "Every challenge" in content and "Choose a published dataset" in content
    assert "---------" not in content


def test_console_part_duplicate_refused_with_message(client, organiser):
    feature = DatasetFeatureFactory(event=organiser.event)

    response = client.post(
        f"/organise/{organiser.event.slug}/datasets/",
        {"dataset": feature.dataset.pk, "challenge": "", "order": "0"},
    )

    assert response.status_code == 200
    assert f"“{feature.dataset}” is already featured on this event" in response.content.decode()
    assert DatasetFeature.objects.count() == 1


def test_console_part_challenge_of_another_event_refused(client, organiser):
    response = client.post(
        f"/organise/{organiser.event.slug}/datasets/",
        {"dataset": DatasetFactory().pk, "challenge": ChallengeFactory().pk, "order": "0"},
    )

    assert response.status_code == 200
    assert not DatasetFeature.objects.exists()


def test_console_part_edit_and_move(client, organiser):
    event = organiser.event
    first = DatasetFeatureFactory(event=event, order=0)
    second = DatasetFeatureFactory(event=event, order=1)

    client.post(
        f"/organise/{event.slug}/datasets/{first.pk}/edit/",
        {"dataset": first.dataset.pk, "challenge": "", "note": "Changed", "order": "0"},
    )
    client.post(f"/organise/{event.slug}/datasets/{second.pk}/move/", {"direction": "up"})

    first.refresh_from_db()
    second.refresh_from_db()
    assert first.note == "Changed"
    assert (second.order, first.order) == (0, 1)


def test_console_part_delete_asks_first(client, organiser):
    feature = DatasetFeatureFactory(event=organiser.event)
    url = f"/organise/{organiser.event.slug}/datasets/{feature.pk}/delete/"

    asked = client.get(url)
    done = client.post(url, {"confirmed": "yes"})

    assert asked.status_code == 200
    assert done.status_code == 302
    assert not DatasetFeature.objects.exists()


def test_console_part_list_queries_flat(client, organiser):
    event = organiser.event
    theme = ThemeFactory(event=event)
    features = []

    def add_items(count):
        for _ in range(count):
            challenge = ChallengeFactory(theme=theme)
            features.append(DatasetFeatureFactory(event=event, challenge=challenge))

    assert_flat_queries(
        fetch=_ok(client, f"/organise/{event.slug}/datasets/"),
        add_items=add_items,
        shown=lambda: [feature.dataset.title for feature in features],
    )


# --- The public event page ---------------------------------------------------------------


def test_event_page_datasets_section_grouped_with_details(client):
    event = EventFactory()
    challenge = ChallengeFactory(theme=ThemeFactory(event=event), title="Jobs near home")
    general = DatasetFactory(title="Population", access_level="open")
    restricted = DatasetFactory(title="Vacancies", access_level="restricted")
    DatasetFeatureFactory(event=event, dataset=general)
    DatasetFeatureFactory(event=event, dataset=restricted, challenge=challenge, note="Use it.")

    content = client.get(event.get_absolute_url()).content.decode()

    assert 'id="section-datasets"' in content
    section = content[content.index('id="section-datasets"') :]
    assert section.index("For every challenge") < section.index("Population")
    assert section.index("For “Jobs near home”") < section.index("Vacancies")
    assert f'href="/datasets/{restricted.slug}/"' in section
    assert "Terms to accept" in section and "Use it." in section
    assert restricted.publisher.name in section and restricted.licence.title in section


def test_event_page_datasets_section_hidden_without_published_features(client):
    event = EventFactory()
    DatasetFeatureFactory(event=event, dataset=DatasetFactory(is_published=False))

    content = client.get(event.get_absolute_url()).content.decode()

    assert 'id="section-datasets"' not in content


def test_event_page_datasets_section_queries_flat(client):
    event = EventFactory()
    theme = ThemeFactory(event=event)
    features = []

    def add_items(count):
        for _ in range(count):
            challenge = ChallengeFactory(theme=theme)
            features.append(DatasetFeatureFactory(event=event, challenge=challenge))

    assert_flat_queries(
        fetch=_ok(client, event.get_absolute_url()),
        add_items=add_items,
        shown=lambda: [feature.dataset.title for feature in features],
    )


# --- The dashboard panel -------------------------------------------------------------------


def test_dashboard_catalogue_panel_shows_profiles_and_downloads(client, organiser):
    event = organiser.event
    dataset = DatasetFactory(title="Claimants")
    ResourceFactory(dataset=dataset, name="Monthly", download_count=5)
    ResourceFactory(
        dataset=dataset, name="Yearly", download_count=2, profile_status=ProfileStatus.DONE
    )
    DatasetFeatureFactory(event=event, dataset=dataset)

    response = client.get(f"/organise/{event.slug}/")

    content = response.content.decode()
    panel = content[content.index('id="panel-catalogue"') :]
    assert "Monthly: not profiled" in panel and "Yearly: profiled" in panel
    assert 'data-label="Downloads">7</td>' in panel
    assert f'href="/organise/{event.slug}/datasets/"' in panel


def test_dashboard_catalogue_panel_queries_flat(client, organiser):
    event = organiser.event
    features = []

    def add_items(count):
        for _ in range(count):
            feature = DatasetFeatureFactory(event=event)
            ResourceFactory(dataset=feature.dataset)
            features.append(feature)

    assert_flat_queries(
        fetch=_ok(client, f"/organise/{event.slug}/"),
        add_items=add_items,
        shown=lambda: [feature.dataset.title for feature in features],
    )


def test_console_part_huge_order_refused_not_crashing(client, organiser):
    response = client.post(
        f"/organise/{organiser.event.slug}/datasets/",
        {"dataset": DatasetFactory().pk, "challenge": "", "order": "9" * 30},
    )

    assert response.status_code == 200
    assert "order" in response.context["form"].errors
    assert not DatasetFeature.objects.exists()
