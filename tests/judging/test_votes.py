"""The people's choice vote: one per checked-in participant (not a judge), never for
their own team, only while its window is open and results are unpublished; a second vote
replaces the first. The vote page works without JavaScript and answers bad input with a
clear error."""

import re

import pytest
from django.utils import timezone

from common.exceptions import ApplicationError
from common.models import AuditEntry
from events.enums import RoleKind
from judging.models import Vote
from judging.services.prizes import vote_cast, vote_withdraw
from submissions.enums import SubmissionStatus
from tests.factories import EventFactory, EventRoleFactory, SubmissionFactory, UserFactory
from tests.judging.prizes_helpers import (
    HOUR,
    check_in,
    checked_in_participant,
    handed_in,
    peoples_choice,
)
from tests.query_budget import assert_flat_queries
from tests.teams.helpers import participant, team_with

pytestmark = pytest.mark.django_db


@pytest.fixture
def ballot():
    event = EventFactory()
    prize = peoples_choice(event)
    entry = handed_in(event, title="Bus stops and benches")
    voter = checked_in_participant(event, display_name="Ada Voter")
    return event, prize, entry, voter


def _refused(code, **call):
    with pytest.raises(ApplicationError) as refusal:
        vote_cast(**call)
    assert refusal.value.code == code
    assert not Vote.objects.exists()
    return refusal.value


def test_a_checked_in_participant_votes_once_and_the_audit_does_not_say_for_whom(ballot):
    event, _prize, entry, voter = ballot

    vote = vote_cast(actor=voter, event=event, submission=entry)

    assert (vote.voter, vote.submission) == (voter, entry)
    audit = AuditEntry.objects.get(action="vote.cast")
    assert audit.actor == voter and audit.data == {}
    assert entry.title not in audit.target_repr


def test_a_second_vote_replaces_the_first_keeping_one_row(ballot):
    event, _prize, entry, voter = ballot
    other = handed_in(event)
    vote_cast(actor=voter, event=event, submission=entry)

    vote_cast(actor=voter, event=event, submission=other)

    assert list(Vote.objects.values_list("voter", "submission")) == [(voter.pk, other.pk)]


def test_someone_not_checked_in_is_refused(ballot):
    event, _prize, entry, _voter = ballot
    confirmed_only = participant(event)

    refusal = _refused("not_a_voter", actor=confirmed_only, event=event, submission=entry)

    assert refusal.message == "Only participants who were checked in at the event can vote."
    assert refusal.status == 403


def test_someone_checked_in_at_another_event_is_refused(ballot):
    event, _prize, entry, _voter = ballot
    elsewhere = checked_in_participant(EventFactory())

    _refused("not_a_voter", actor=elsewhere, event=event, submission=entry)


def test_a_judge_is_refused_even_when_checked_in(ballot):
    event, _prize, entry, _voter = ballot
    judge = checked_in_participant(event)
    EventRoleFactory(event=event, user=judge, role=RoleKind.JUDGE)

    refusal = _refused("not_a_voter", actor=judge, event=event, submission=entry)

    assert refusal.message == "Judges cannot vote for the people's choice."


def test_an_anonymous_person_is_refused(ballot):
    from django.contrib.auth.models import AnonymousUser

    event, _prize, entry, _voter = ballot

    _refused("not_signed_in", actor=AnonymousUser(), event=event, submission=entry)


def test_nobody_votes_for_their_own_team(ballot):
    event, _prize, _entry, _voter = ballot
    team = team_with(event, members=1)
    own = SubmissionFactory(team=team, status=SubmissionStatus.SUBMITTED)
    member = check_in(event, team.memberships.get(role="member").user)

    refusal = _refused("own_team", actor=member, event=event, submission=own)

    assert refusal.message == "You cannot vote for your own team."


@pytest.mark.parametrize(
    ("opens", "closes", "code"),
    [(HOUR, 2 * HOUR, "voting_not_open"), (-2 * HOUR, -HOUR, "voting_closed")],
    ids=["not-yet-open", "closed"],
)
def test_outside_the_window_votes_are_refused(opens, closes, code):
    event = EventFactory()
    now = timezone.now()
    peoples_choice(event, opens=now + opens, closes=now + closes)
    entry, voter = handed_in(event), checked_in_participant(event)

    _refused(code, actor=voter, event=event, submission=entry, now=now)


def test_the_window_closes_at_its_closing_time_exactly(ballot):
    event, prize, entry, voter = ballot

    _refused("voting_closed", actor=voter, event=event, submission=entry,
             now=prize.voting_closes_at)  # fmt: skip
    vote_cast(actor=voter, event=event, submission=entry, now=prize.voting_opens_at)


def test_voting_is_over_once_results_are_published(ballot):
    event, _prize, entry, voter = ballot
    # In the database only: the service reads the event afresh, under its row lock.
    type(event).objects.filter(pk=event.pk).update(results_published_at=timezone.now())

    _refused("voting_closed", actor=voter, event=event, submission=entry)


def test_another_events_entry_or_a_draft_is_refused(ballot):
    event, _prize, _entry, voter = ballot
    elsewhere = handed_in(EventFactory())
    draft = SubmissionFactory(team=team_with(event))

    _refused("not_an_entry", actor=voter, event=event, submission=elsewhere)
    _refused("not_an_entry", actor=voter, event=event, submission=draft)


def test_an_event_without_a_peoples_choice_has_no_vote():
    event = EventFactory()
    entry, voter = handed_in(event), checked_in_participant(event)

    refusal = _refused("no_vote", actor=voter, event=event, submission=entry)

    assert refusal.status == 404


def test_withdrawing_removes_the_vote_and_withdrawing_again_is_refused(ballot):
    event, _prize, entry, voter = ballot
    vote_cast(actor=voter, event=event, submission=entry)

    vote_withdraw(actor=voter, event=event)

    assert not Vote.objects.exists()
    with pytest.raises(ApplicationError, match="You have not voted"):
        vote_withdraw(actor=voter, event=event)


def test_the_vote_is_deleted_with_the_voters_account(ballot):
    from accounts.services import account_delete

    event, _prize, entry, voter = ballot
    vote_cast(actor=voter, event=event, submission=entry)

    account_delete(user=voter)

    assert not Vote.objects.exists()


def test_the_personal_data_export_lists_the_persons_votes(ballot):
    from accounts.privacy import personal_data_export

    event, _prize, entry, voter = ballot
    vote_cast(actor=voter, event=event, submission=entry)

    exported = personal_data_export(user=voter)["judging_votes"]

    assert [(row["event"], row["voted_for"], row["team"]) for row in exported] == [
        (event.name, "Bus stops and benches", entry.team.name)
    ]


# --- The page ---------------------------------------------------------------------------


def _page(event):
    return f"/events/{event.slug}/vote/"


def test_the_page_lists_the_other_teams_entries_and_not_the_voters_own(client, ballot):
    event, _prize, entry, _voter = ballot
    team = team_with(event, name="Own Team")
    own = SubmissionFactory(team=team, status=SubmissionStatus.SUBMITTED, title="Our own entry")
    lead = check_in(event, team.memberships.get(role="lead").user)
    client.force_login(lead)

    page = client.get(_page(event)).content.decode()

    assert f'value="{entry.pk}"' in page and "Bus stops and benches" in page
    assert entry.team.name in page
    assert f'value="{own.pk}"' not in page and "Our own entry" not in page


def test_voting_on_the_page_then_seeing_the_choice_without_javascript(client, ballot):
    event, _prize, entry, voter = ballot
    client.force_login(voter)

    response = client.post(_page(event), {"submission": str(entry.pk)}, follow=True)

    assert response.redirect_chain == [(_page(event), 302)]
    page = response.content.decode()
    assert "Your vote for “Bus stops and benches” is counted." in page
    assert "Your vote: <strong>Bus stops and benches</strong>" in page
    assert re.search(rf'value="{entry.pk}"\s+checked', page)
    assert Vote.objects.get().submission == entry


def test_the_page_tells_someone_not_checked_in_they_cannot_vote(client, ballot):
    event, _prize, entry, _voter = ballot
    client.force_login(participant(event))

    page = client.get(_page(event)).content.decode()
    posted = client.post(_page(event), {"submission": str(entry.pk)})

    assert "Only participants who were checked in at the event can vote" in page
    assert 'name="submission"' not in page
    assert posted.status_code == 403
    assert not Vote.objects.exists()


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("submission=", "There is a problem"),
        ("submission=abc", "There is a problem"),
        ("submission=" + "9" * 40, "There is a problem"),
        ("submission=-1", "There is a problem"),
        ("submission=1%00", "Null characters are not allowed."),
        ("submission=%ED%A0%80", "There is a problem"),  # decoded to U+FFFD: no entry
    ],
    ids=["empty", "text", "huge", "negative", "nul", "lone-surrogate"],
)
def test_bad_input_is_a_clear_error_and_changes_nothing(client, ballot, body, message):
    event, _prize, _entry, voter = ballot
    client.force_login(voter)

    response = client.post(_page(event), body, content_type="application/x-www-form-urlencoded")

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Vote.objects.exists()


def test_withdrawing_on_the_page(client, ballot):
    event, _prize, entry, voter = ballot
    vote_cast(actor=voter, event=event, submission=entry)
    client.force_login(voter)

    response = client.post(f"{_page(event)}withdraw/", follow=True)

    assert "Your vote is withdrawn." in response.content.decode()
    assert not Vote.objects.exists()


def test_the_page_of_an_event_without_a_peoples_choice_is_not_found(client):
    event = EventFactory()
    client.force_login(checked_in_participant(event))

    assert client.get(_page(event)).status_code == 404


def test_the_vote_page_costs_the_same_queries_for_1_and_20_entries(client):
    event = EventFactory()
    peoples_choice(event)
    voter = checked_in_participant(event)
    client.force_login(voter)
    titles = []

    def add(count):
        for _ in range(count):
            titles.append(handed_in(event, title=f"Entry number {len(titles)}").title)

    def fetch():
        response = client.get(_page(event))
        assert response.status_code == 200
        return response

    assert_flat_queries(fetch=fetch, add_items=add, shown=lambda: titles)


def test_the_event_page_links_to_the_vote_while_it_is_open(client, ballot):
    event, _prize, _entry, voter = ballot
    client.force_login(voter)

    page = client.get(event.get_absolute_url()).content.decode()

    assert f'href="{_page(event)}"' in page


def test_a_user_elsewhere_sees_no_link(client, ballot):
    event, _prize, _entry, _voter = ballot
    client.force_login(UserFactory())

    page = client.get(event.get_absolute_url()).content.decode()

    assert "Voting for “People&#x27;s choice” is open" in page
    assert f'href="{_page(event)}"' not in page
