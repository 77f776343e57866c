"""Drafts must not show through listings or links: what the status matrix cannot see.

Who may see draft D is decided by the matrix's row for D's public page; these tests
hold the listings and the links between events to that same decision.
"""

import pytest
from django.urls import reverse

from tests.security.matrix import ROWS
from tests.security.roles import ROLES

DRAFT_PAGE = next(row for row in ROWS if row.id == "event_detail-GET-draft")


def _sees_draft(role: str) -> bool:
    return DRAFT_PAGE.expect[role] == 200


@pytest.mark.parametrize("role", ROLES)
def test_api_event_list_shows_draft_only_to_roles_that_may_open_it(role, world):
    response = ROLES[role](world).get(reverse("api:event-list"))

    listed = {event["slug"] for event in response.json()["results"]}
    assert (world.d.event.slug in listed) == _sees_draft(role)


@pytest.mark.parametrize("role", ROLES)
def test_home_page_lists_no_draft(role, world):
    response = ROLES[role](world).get(reverse("home"))

    assert response.status_code == 200
    assert f"/events/{world.d.event.slug}/" not in response.content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_api_event_hides_previous_event_that_is_draft(role, world):
    # D's organiser may legitimately make A follow D; A is public, D is not.
    world.a.event.previous_event = world.d.event
    world.a.event.save(update_fields=["previous_event"])

    response = ROLES[role](world).get(reverse("api:event-detail", kwargs={"slug": "event-a"}))

    assert response.status_code == 200
    expected = world.d.event.slug if _sees_draft(role) else None
    assert response.json()["previous_event"] == expected


def test_event_form_offers_no_foreign_draft_as_previous_event(world):
    client = ROLES["other_organiser"](world)

    response = client.get(reverse("organise_event_edit", kwargs={"slug": world.b.event.slug}))

    assert response.status_code == 200
    choices = response.context["form"].fields["previous_event"].queryset
    assert world.d.event not in choices
    assert world.d.event.name not in response.content.decode()
