"""Permissions are declared where they are checked: every API action names its real rule
in `permission_rules`, and no action checks a permission by hand."""

import pathlib
import re

import pytest
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.test import APIClient

from common.permissions import ALLOW_ANY
from teams import services
from tests.factories import EventFactory
from tests.teams.helpers import participant, team_with

SIGNED_IN = "common.signed_in"
# Where being signed in is the whole rule: one's own profile and registrations (the
# lookups are limited to them, their ticket codes included), registering oneself, and the
# list of one's own join requests and those to one's teams.
SIGNED_IN_IS_THE_RULE = {
    ("MeView", "get"),
    ("MeView", "patch"),
    ("EventRegistrationView", "post"),
    *(
        ("RegistrationViewSet", action)
        for action in ("list", "retrieve", "leave", "accept", "decline", "details", "ticket")
    ),
    ("JoinRequestViewSet", "list"),
}


def _api_views():
    """(view class, {action or method}) for every route under /api/v1/."""

    def walk(patterns):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns)
            elif isinstance(pattern, URLPattern):
                cls = getattr(pattern.callback, "cls", None)
                if cls is not None and hasattr(cls, "permission_rules"):
                    actions = getattr(pattern.callback, "actions", None)
                    names = actions.values() if actions else cls.http_method_names
                    yield cls, {name for name in names if hasattr(cls, name)} - {"options"}

    return list(walk(get_resolver().url_patterns))


def test_every_api_action_names_a_rule():
    missing = [
        f"{cls.__name__}.{action}"
        for cls, actions in _api_views()
        for action in actions
        if action != "head" and action not in cls.permission_rules
    ]
    assert missing == []


def test_signed_in_placeholder_only_where_signed_in_is_the_rule():
    used = {
        (cls.__name__, action)
        for cls, _ in _api_views()
        for action, rule in cls.permission_rules.items()
        if rule == SIGNED_IN
    }
    assert used == SIGNED_IN_IS_THE_RULE


def test_every_rule_named_is_registered():
    import rules

    named = {
        rule
        for cls, _ in _api_views()
        for rule in cls.permission_rules.values()
        if rule is not ALLOW_ANY
    }
    assert {rule for rule in named if not rules.perm_exists(rule)} == set()


HAND_CHECK = re.compile(r"\bhas_perm\(|\bPermissionDenied\b|\bis_authenticated\b")


def test_no_api_view_checks_a_permission_by_hand():
    # Serializers may still hide what someone may not see (a draft event's slug); the
    # views decide who may act only through permission_rules.
    root = pathlib.Path(settings.BASE_DIR)
    offenders = sorted(
        str(path.relative_to(root))
        for app in ("accounts", "events", "registration", "teams")
        for path in (root / app / "api").glob("*.py")
        if path.name != "serializers.py" and HAND_CHECK.search(path.read_text())
    )
    assert offenders == []


@pytest.mark.django_db
def test_a_member_of_another_team_cannot_ask_help_for_this_one():
    event = EventFactory()
    theirs, mine = team_with(event), team_with(event)
    api = APIClient()
    api.force_authenticate(mine.memberships.get().user)

    response = api.post(
        f"/api/v1/events/{event.slug}/help-requests/", {"team": theirs.pk, "topic": "Maps"}
    )

    assert response.status_code == 403
    assert not theirs.help_requests.exists()


@pytest.mark.django_db
def test_the_person_who_asked_cannot_approve_their_own_request():
    event = EventFactory()
    team = team_with(event)
    person = participant(event)
    join_request = services.join_request_create(team=team, user=person)
    api = APIClient()
    api.force_authenticate(person)

    response = api.post(f"/api/v1/team-requests/{join_request.pk}/decide/", {"approve": True})

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"
    assert not team.memberships.filter(user=person).exists()
