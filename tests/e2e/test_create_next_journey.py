"""An organiser who may create events makes next year's event from this one, without
JavaScript, at phone and desktop widths: the link on the dashboard, a mistake shown at
the top and on its field, then the new draft's dashboard saying what was copied."""

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone
from playwright.sync_api import expect

from events.enums import RoleKind
from events.models import Event
from tests.e2e.conftest import assert_accessible, login
from tests.e2e.test_organiser_journey import assert_fits, banner
from tests.events.next_event_helpers import finished_source
from tests.factories import EventRoleFactory

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_organiser_creates_the_next_event_without_javascript(new_page, live_server, viewport):
    source = finished_source().event
    role = EventRoleFactory(event=source, role=RoleKind.ORGANISER)
    # get_or_create: a live-server test's database starts without the migration's rows.
    role.user.groups.add(Group.objects.get_or_create(name="Event creators")[0])
    page = new_page(viewport, javascript=False)
    heading = page.get_by_role("heading", level=1)
    login(page, live_server, role.user)

    page.goto(f"{live_server.url}/organise/{source.slug}/")
    page.get_by_role("link", name="Create the next event from this one").click()
    expect(heading).to_have_text("Create the next event")
    assert_fits(page, viewport)
    assert_accessible(page, f"create-next-{viewport}")

    page.get_by_label("Name", exact=True).fill("Data Hackathon 2026")
    starts = page.get_by_label("Starts at").input_value()
    page.get_by_label("Ends at").fill(starts)
    page.get_by_role("button", name="Create the next event").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("The event must end after it starts.")
    assert_accessible(page, f"create-next-error-{viewport}")

    ends = timezone.localtime(source.ends_at).strftime("%H:%M")
    page.get_by_label("Ends at").fill(f"{starts[:10]}T{ends}")
    page.get_by_role("button", name="Create the next event").click()

    expect(heading).to_have_text("Data Hackathon 2026")
    expect(banner(page)).to_contain_text("is created as a draft, following Data Hackathon 2025")
    expect(page.get_by_text("This event is a draft")).to_be_visible()
    assert_accessible(page, f"create-next-done-{viewport}")
    assert Event.objects.get(slug="data-hackathon-2026").previous_event == source
