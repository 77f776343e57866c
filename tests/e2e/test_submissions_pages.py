"""The organisers', judges' and public submissions pages in the browser: an organiser
filters the entries to the failing ones, gives a team more time (a wrong date first),
releases a held-back file; a judge reads the entries; anyone reads the gallery and a
dataset's "Used by"; a catalogue editor reads a publisher's usage. Every page passes axe
and, on a phone, is no wider than the screen."""

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone
from playwright.sync_api import expect

from datasets.rules import CATALOGUE_EDITORS
from events.enums import RoleKind
from events.models import Event
from submissions.models import Artifact, DatasetCitation, Submission
from tests.e2e.conftest import VIEWPORTS, assert_accessible, login
from tests.factories import DatasetFactory, EventRoleFactory, ResourceFactory, UserFactory
from tests.submissions.page_helpers import checked_file, entry

pytestmark = pytest.mark.browser


def _world():
    role = EventRoleFactory(role=RoleKind.ORGANISER, user__display_name="Olu Organiser")
    event = role.event
    judge = EventRoleFactory(event=event, role=RoleKind.JUDGE).user
    editor = UserFactory(display_name="Cat Editor")
    editor.groups.add(Group.objects.get(name=CATALOGUE_EDITORS))
    dataset = DatasetFactory(title="Claimant count by ward and month")
    resource = ResourceFactory(dataset=dataset, name="Claimants by ward")
    shown = entry(
        event,
        title="Where jobs and green space meet in Halton and Widnes",
        in_gallery=True,
        members=2,
    )
    DatasetCitation.objects.create(
        submission=shown, dataset=dataset, resource=resource, how_used="Joined to wards"
    )
    checked_file(shown, outcome="pass", original_filename="green-space-by-ward.csv")
    held = checked_file(shown, outcome="fail", withholds=True, original_filename="small-counts.csv")
    draft = entry(event, status="draft", title="Bus stops")
    Submission.objects.filter(pk=draft.pk).update(is_late=True)
    checked_file(draft, outcome="warning")
    Event.objects.filter(pk=event.pk).update(results_published_at=timezone.now())
    return role, event, judge, editor, dataset, shown, held


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_submissions_pages_pass_axe_and_fit_the_screen(new_page, live_server, viewport):
    role, event, judge, editor, dataset, shown, held = _world()
    width = VIEWPORTS[viewport]["width"]
    base = live_server.url

    def check(page, name):
        assert_accessible(page, f"submissions-{name}-{viewport}")
        assert page.evaluate("document.documentElement.scrollWidth") <= width, name

    page = new_page(viewport)
    login(page, live_server, role.user)
    page.goto(f"{base}/organise/{event.slug}/")
    check(page, "dashboard")
    page.get_by_role("link", name="See the 1 entry whose checks failed").click()
    expect(page.get_by_role("table")).to_contain_text(shown.team.name)
    expect(page.get_by_role("table")).not_to_contain_text("Bus stops")
    check(page, "organise-failing")
    page.goto(f"{base}/organise/{event.slug}/submissions/?status=nothing")
    check(page, "organise-bad-filter")

    page.goto(f"{base}/organise/{event.slug}/submissions/{shown.pk}/")
    check(page, "organise-entry")
    page.get_by_role("link", name=f"Give {shown.team.name} more time").click()
    page.get_by_label("This team's new deadline").fill("2020-01-01T10:00")
    page.get_by_role("button", name="Give more time").click()
    expect(page.get_by_role("alert")).to_contain_text("later than now")
    check(page, "organise-deadline-error")

    page.goto(f"{base}/organise/{event.slug}/submissions/{shown.pk}/")
    page.get_by_role("link", name="Release after review").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("small-counts.csv")
    check(page, "organise-release-question")
    page.get_by_role("button", name="Yes, release the file").click()
    expect(page.get_by_role("alert")).to_contain_text("is released")
    assert Artifact.objects.get(pk=held.pk).released_at is not None

    page = new_page(viewport)
    login(page, live_server, judge)
    page.goto(f"{base}/events/{event.slug}/submissions/")
    check(page, "judges-list")
    page.get_by_role("link", name=shown.title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(shown.title)
    check(page, "judges-entry")

    page = new_page(viewport)
    page.goto(f"{base}{event.get_absolute_url()}")
    page.get_by_role("link", name="See the entries in the gallery").click()
    expect(page.get_by_role("link", name="small-counts.csv")).to_have_count(1)  # released
    check(page, "gallery")
    page.goto(f"{base}{dataset.get_absolute_url()}")
    expect(page.get_by_role("link", name=shown.title)).to_be_visible()
    check(page, "dataset-used-by")

    page = new_page(viewport)
    login(page, live_server, editor)
    page.goto(f"{base}/catalogue/usage/")
    check(page, "usage-index")
    page.get_by_role("link", name=dataset.publisher.name).click()
    expect(page.get_by_role("table")).to_contain_text("Joined to wards")
    check(page, "usage")
