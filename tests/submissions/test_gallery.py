"""The public gallery of an event once its results are published, its files (never one
the checks held back unless an organiser released it), the event page's link to it and
a dataset page's "Used by"."""

import pytest
from django.utils import timezone

from events.models import Event
from submissions.models import DatasetCitation, Submission
from submissions.services.publication import artifact_release
from tests.factories import DEMO_CSV, ChallengeFactory, DatasetFactory, EventFactory
from tests.query_budget import assert_flat_queries
from tests.submissions.page_helpers import checked_file, entry

pytestmark = pytest.mark.django_db


def _gallery(event):
    return f"/events/{event.slug}/gallery/"


def _download(event, submission, artifact):
    return f"{_gallery(event)}{submission.pk}/files/{artifact.pk}/"


def _publish_results(event):
    Event.objects.filter(pk=event.pk).update(results_published_at=timezone.now())


@pytest.fixture
def shown():
    """A published event with one gallery entry: a file that passed, one held back, one
    held back and released, one not yet checked."""
    event = EventFactory()
    submission = entry(event, title="Green space and jobs", in_gallery=True)
    files = {
        "passed": checked_file(submission, outcome="pass", original_filename="passed.csv"),
        "held": checked_file(
            submission, outcome="fail", withholds=True, original_filename="held.csv"
        ),
        "released": checked_file(
            submission, outcome="warning", withholds=True, original_filename="released.csv"
        ),
        "unchecked": checked_file(submission, original_filename="unchecked.csv"),
    }
    artifact_release(actor=None, artifact=files["released"])
    return event, submission, files


def test_gallery_is_404_before_results_are_published(client, organiser, shown):
    event, _submission, _files = shown

    assert client.get(_gallery(event)).status_code == 404  # the event's organiser too
    client.logout()
    assert client.get(_gallery(event)).status_code == 404


def test_gallery_of_a_draft_event_is_404_to_the_public(client, shown):
    event, _submission, _files = shown
    Event.objects.filter(pk=event.pk).update(is_published=False)
    _publish_results(event)

    assert client.get(_gallery(event)).status_code == 404


def test_gallery_shows_opted_in_entries_handed_in_with_authors_challenge_datasets_and_badge(
    client, shown
):
    event, submission, _files = shown
    challenge = ChallengeFactory(theme__event=event, title="Jobs near parks")
    Submission.objects.filter(pk=submission.pk).update(challenge=challenge)
    published = DatasetFactory(title="Claimant count")
    unpublished = DatasetFactory(title="Secret draft data", is_published=False)
    for dataset in (published, unpublished):
        DatasetCitation.objects.create(submission=submission, dataset=dataset)
    entry(event, title="Opted out", in_gallery=False)
    entry(event, status="draft", title="A draft in the gallery", in_gallery=True)
    entry(event, status="locked", title="Locked and shown", in_gallery=True)
    _publish_results(event)

    response = client.get(_gallery(event))

    assert response.status_code == 200
    page = response.content.decode()
    assert [e.title for e in response.context["entries"]] == [
        "Green space and jobs",
        "Locked and shown",
    ]
    assert "Opted out" not in page and "A draft in the gallery" not in page
    assert submission.team.name in page
    for author in submission.authors.select_related("user"):
        assert author.name in page
        assert author.user.email not in page
    assert "Jobs near parks" in page
    assert f'href="{published.get_absolute_url()}">Claimant count</a>' in page
    assert "Secret draft data" not in page
    # Its files: two failed and held back (one released), one passed, one queued.
    assert '<strong class="govuk-tag govuk-tag--red">Failed</strong>' in page


def test_gallery_lists_only_files_the_public_may_have(client, shown):
    event, submission, files = shown
    _publish_results(event)

    page = client.get(_gallery(event)).content.decode()

    assert _download(event, submission, files["passed"]) in page
    assert _download(event, submission, files["released"]) in page
    assert "held.csv" not in page and _download(event, submission, files["held"]) not in page
    assert "unchecked.csv" not in page


@pytest.mark.parametrize("key", ["passed", "released"])
def test_anyone_downloads_a_public_file_as_an_attachment(client, shown, key):
    event, submission, files = shown
    _publish_results(event)

    response = client.get(_download(event, submission, files[key]))

    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="{key}.csv"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == DEMO_CSV


@pytest.mark.parametrize("key", ["held", "unchecked"])
def test_a_held_back_or_unchecked_file_is_never_downloadable_by_the_public(
    client, organiser, shown, key
):
    event, submission, files = shown
    _publish_results(event)
    url = _download(event, submission, files[key])

    assert client.get(url).status_code == 404  # signed in as an organiser of another event
    client.logout()
    assert client.get(url).status_code == 404


def test_a_file_of_an_entry_not_in_the_gallery_is_404(client, shown):
    event, submission, files = shown
    Submission.objects.filter(pk=submission.pk).update(in_gallery=False)
    _publish_results(event)

    assert client.get(_download(event, submission, files["passed"])).status_code == 404


def test_a_file_of_an_entry_taken_back_to_draft_is_404(client, shown):
    event, submission, files = shown
    Submission.objects.filter(pk=submission.pk).update(status="draft")
    _publish_results(event)

    assert client.get(_download(event, submission, files["passed"])).status_code == 404


def test_a_file_before_publication_is_404(client, shown):
    event, submission, files = shown

    assert client.get(_download(event, submission, files["passed"])).status_code == 404


def test_another_event_s_entry_or_file_is_404_under_this_gallery(client, shown):
    event, submission, _files = shown
    other = EventFactory()
    theirs = entry(other, in_gallery=True)
    their_file = checked_file(theirs, outcome="pass")
    for published in (event, other):
        _publish_results(published)

    assert client.get(_download(event, theirs, their_file)).status_code == 404
    assert client.get(_download(event, submission, their_file)).status_code == 404
    assert client.get(_download(other, theirs, their_file)).status_code == 200


def test_gallery_costs_the_same_queries_for_1_and_20_entries(client):
    event = EventFactory()
    dataset = DatasetFactory()
    _publish_results(event)

    def add(k):
        for _ in range(k):
            submission = entry(event, in_gallery=True)
            checked_file(submission, outcome="pass")
            checked_file(submission, outcome="fail", withholds=True)
            DatasetCitation.objects.create(submission=submission, dataset=dataset)

    def fetch():
        response = client.get(_gallery(event))
        assert response.status_code == 200
        return response

    assert_flat_queries(
        fetch=fetch,
        add_items=add,
        shown=lambda: Submission.objects.filter(event=event).values_list("team__name", flat=True),
    )


# --- Links from the event page and the dataset page ---------------------------------------


def test_event_page_links_the_gallery_once_results_are_published_and_it_has_entries(client, shown):
    event, _submission, _files = shown
    link = f'href="{_gallery(event)}"'
    assert link not in client.get(event.get_absolute_url()).content.decode()

    _publish_results(event)

    assert link in client.get(event.get_absolute_url()).content.decode()


def test_event_page_has_no_gallery_link_when_no_entry_is_shown(client):
    event = EventFactory()
    entry(event, in_gallery=False)
    _publish_results(event)

    assert _gallery(event) not in client.get(event.get_absolute_url()).content.decode()


def test_dataset_page_lists_gallery_entries_that_used_it_and_nothing_private(client):
    dataset = DatasetFactory()
    published = EventFactory()
    shown_entry = entry(published, title="Shown in a gallery", in_gallery=True)
    hidden = [
        entry(published, title="Not in the gallery"),
        entry(published, status="draft", title="Only a draft", in_gallery=True),
        entry(EventFactory(), title="Results not out", in_gallery=True),
    ]
    draft_event = EventFactory()
    hidden.append(entry(draft_event, title="In a draft event", in_gallery=True))
    Event.objects.filter(pk=draft_event.pk).update(is_published=False)
    for submission in [shown_entry, *hidden]:
        DatasetCitation.objects.create(submission=submission, dataset=dataset)
    for event in (published, draft_event):
        _publish_results(event)

    page = client.get(dataset.get_absolute_url()).content.decode()

    assert "Used by" in page
    assert f'href="{_gallery(published)}#entry-{shown_entry.pk}">Shown in a gallery</a>' in page
    for submission in hidden:
        assert submission.title not in page


def test_dataset_page_without_gallery_use_has_no_used_by_section(client):
    dataset = DatasetFactory()

    assert "Used by" not in client.get(dataset.get_absolute_url()).content.decode()
