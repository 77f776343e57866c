import pytest

from accounts.models import Skill
from common.exceptions import ApplicationError
from common.models import OutboxMessage
from teams import proposals, services
from teams.enums import MatchingStatus, MemberRole
from teams.models import MatchingRun, Team, TeamMembership
from tests.factories import EventFactory, ThemeFactory, UserFactory
from tests.query_budget import assert_flat_queries
from tests.registration.helpers import register
from tests.teams.helpers import participant, team_with

pytestmark = pytest.mark.django_db
KINDS = ["student", "researcher", "developer", "community_researcher", "local_professional"]


def _population(event, count):
    skills = list(Skill.objects.order_by("slug"))
    themes = [ThemeFactory(event=event), ThemeFactory(event=event)]
    people = []
    for n in range(count):
        person = UserFactory(participant_type=KINDS[n % len(KINDS)])
        person.skills.set([skills[n % len(skills)], skills[(n * 3 + 1) % len(skills)]])
        register(event, person, theme_interests=[themes[n % 2]])
        people.append(person)
    return people


def test_propose_places_everyone_free_in_sized_teams_and_keeps_pairs():
    event = EventFactory()
    people = _population(event, 11)
    services.partner_add(event=event, user=people[0], partner_email=people[5].email)
    services.partner_add(event=event, user=people[5], partner_email=people[0].email)
    already = team_with(event, members=1)

    run = proposals.matching_propose(event=event, actor=None, seed=7)

    teams = run.proposal["teams"]
    placed = [i for team in teams for i in team["member_ids"]]
    assert sorted(placed) == sorted(p.pk for p in people)
    assert all(2 <= len(team["member_ids"]) <= 5 for team in teams)
    together = next(team for team in teams if people[0].pk in team["member_ids"])
    assert people[5].pk in together["member_ids"]
    assert not set(placed) & set(already.memberships.values_list("user_id", flat=True))


def test_same_seed_same_proposal():
    event = EventFactory()
    _population(event, 9)

    first = proposals.matching_propose(event=event, actor=None, seed=3)
    second = proposals.matching_propose(event=event, actor=None, seed=3)

    assert first.proposal["teams"] == second.proposal["teams"]
    assert MatchingRun.objects.get(pk=first.pk).status == MatchingStatus.DISCARDED


def test_top_up_fills_an_under_filled_team():
    event = EventFactory()
    small = team_with(event)  # one person; the smallest team is two
    _population(event, 3)

    run = proposals.matching_propose(event=event, actor=None, seed=1, top_up=True)

    topped = [t for t in run.proposal["teams"] if t["existing_team_id"] == small.pk]
    assert topped and len(topped[0]["member_ids"]) >= 2


def test_move_rescores_and_apply_creates_teams_and_emails(django_capture_on_commit_callbacks):
    event = EventFactory()
    people = _population(event, 8)
    run = proposals.matching_propose(event=event, actor=None, seed=5)
    first, second = run.proposal["teams"][:2]
    moving = first["member_ids"][0]

    run = proposals.matching_move(run=run, user_id=moving, to_key=second["key"], actor=None)
    with django_capture_on_commit_callbacks(execute=True):
        teams = proposals.matching_apply(run=run, actor=None)

    moved_to = next(t for t in run.proposal["teams"] if moving in t["member_ids"])
    assert moved_to["key"] == second["key"]
    assert run.proposal["total"] == pytest.approx(
        sum(t["quality"]["score"] for t in run.proposal["teams"])
    )
    assert TeamMembership.objects.filter(event=event).count() == 8
    assert all(t.formed_by_matching for t in teams)
    assert all(t.memberships.filter(role=MemberRole.LEAD).count() == 1 for t in teams)
    emailed = set(
        OutboxMessage.objects.filter(purpose="team_matched").values_list("recipient", flat=True)
    )
    assert emailed == {p.email for p in people}
    assert MatchingRun.objects.get(pk=run.pk).status == MatchingStatus.APPLIED


def test_apply_refuses_out_of_bounds_sizes_and_changes_nothing():
    event = EventFactory()
    _population(event, 4)
    run = proposals.matching_propose(event=event, actor=None, seed=2)
    lonely = run.proposal["teams"][0]["member_ids"][0]
    run = proposals.matching_move(run=run, user_id=lonely, to_key=proposals.NEW, actor=None)

    with pytest.raises(ApplicationError) as raised:
        proposals.matching_apply(run=run, actor=None)

    assert raised.value.code == "proposal_invalid"
    assert not Team.objects.filter(event=event).exists()


def test_apply_after_someone_joined_a_team_is_stale_and_changes_nothing():
    event = EventFactory()
    people = _population(event, 6)
    run = proposals.matching_propose(event=event, actor=None, seed=2)
    services.team_create(event=event, user=people[0], name="Own team")

    with pytest.raises(ApplicationError) as raised:
        proposals.matching_apply(run=run, actor=None)

    assert raised.value.code == "proposal_stale"
    assert Team.objects.filter(event=event).count() == 1
    assert TeamMembership.objects.filter(event=event).count() == 1


def test_apply_twice_is_refused():
    event = EventFactory()
    _population(event, 4)
    run = proposals.matching_propose(event=event, actor=None, seed=2)
    proposals.matching_apply(run=run, actor=None)

    with pytest.raises(ApplicationError) as raised:
        proposals.matching_apply(run=run, actor=None)

    assert raised.value.code == "proposal_closed"
    assert Team.objects.filter(event=event).count() == 1


def test_nobody_to_match_says_so():
    event = EventFactory()
    team_with(event, members=1)

    with pytest.raises(ApplicationError) as raised:
        proposals.matching_propose(event=event, actor=None)

    assert raised.value.code == "nobody_to_match"
    assert not MatchingRun.objects.exists()


def test_matching_page_propose_move_apply(client, organiser):
    event = organiser.event
    _population(event, 6)
    url = f"/organise/{event.slug}/matching/"

    proposed = client.post(url, {"seed": "11"}, follow=True)
    run = MatchingRun.objects.get(event=event)
    someone = run.proposal["teams"][0]["member_ids"][0]
    target = run.proposal["teams"][-1]["key"]
    client.post(f"{url}{run.pk}/move/", {"user": someone, "to": target})
    applied = client.post(f"{url}{run.pk}/apply/", follow=True)

    assert "Total score" in proposed.content.decode()
    assert "teams formed or topped up" in applied.content.decode()
    assert TeamMembership.objects.filter(event=event).count() == 6


def test_matching_page_queries_flat(client, organiser):
    event = organiser.event

    def add(k):
        _population(event, k * 3)
        proposals.matching_propose(event=event, actor=None, seed=1)

    def fetch():
        response = client.get(f"/organise/{event.slug}/matching/")
        assert response.status_code == 200
        assert "Total score" in response.content.decode()
        return response

    # The people proposed, each named once in the proposal's table.
    assert_flat_queries(
        fetch=fetch,
        add_items=add,
        shown=lambda: [str(r.user) for r in proposals.without_team(event).select_related("user")],
    )


def test_teams_console_queries_flat(client, organiser):
    event = organiser.event

    def add(k):
        for _ in range(k):
            team_with(event, members=1)
        participant(event)

    def fetch():
        response = client.get(f"/organise/{event.slug}/teams/")
        assert response.status_code == 200
        assert "All teams" in response.content.decode()
        return response

    assert_flat_queries(
        fetch=fetch,
        add_items=add,
        shown=lambda: Team.objects.filter(event=event).values_list("name", flat=True),
    )
