import pytest
from django.core.management import call_command

from teams.enums import HelpStatus
from teams.models import BoardEntry, HelpRequest, MatchingRun, Team, TeamMembership
from teams.selectors import places_of

pytestmark = pytest.mark.django_db
DECEMBER, FOLLOW_UP = "community-data-hackathon-2024", "community-data-hackathon-2"
MENTOR = "mentor@civichack.test"


def test_seed_demo_teams_for_december_and_follow_up(demo_seeded):

    december = Team.objects.filter(event__slug=DECEMBER)
    sizes = [team.memberships.count() for team in december]
    assert 8 <= december.count() <= 12
    assert all(2 <= size <= 5 for size in sizes)
    assert december.filter(formed_by_matching=True).count() > december.count() // 2
    assert not december.filter(challenge__isnull=True).exists()
    assert MatchingRun.objects.filter(event__slug=DECEMBER, status="applied").count() == 1
    resolved = HelpRequest.objects.filter(team__event__slug=DECEMBER, status=HelpStatus.RESOLVED)
    assert resolved.count() == 3
    assert Team.objects.filter(event__slug=FOLLOW_UP).count() == 2
    follow_up_help = HelpRequest.objects.filter(team__event__slug=FOLLOW_UP)
    assert sorted(follow_up_help.values_list("status", "team__location")) == [
        (HelpStatus.OPEN, "Table 2, main hall"),
        (HelpStatus.RESOLVED, "Table 2, main hall"),
    ]
    assert follow_up_help.get(status=HelpStatus.RESOLVED).claimed_by.email == MENTOR
    places = [places_of(team).left for team in Team.objects.filter(event__slug=FOLLOW_UP)]
    assert sorted(places) == [2, 3]
    assert not december.filter(location="").exists()
    assert BoardEntry.objects.filter(event__slug=FOLLOW_UP).count() == 3


def test_seed_demo_teams_twice_changes_nothing(demo_seeded):
    before = sorted(TeamMembership.objects.values_list("team_id", "user_id"))

    call_command("seed_demo")

    assert sorted(TeamMembership.objects.values_list("team_id", "user_id")) == before
