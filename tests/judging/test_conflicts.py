"""Which judges may not score which submissions: their own team, their organisation's
authors, and what was declared."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from judging.enums import ConflictKind
from judging.models import Conflict, Judge
from judging.selectors import conflicted_pairs
from submissions.models import SubmissionAuthor
from teams import services as team_services
from tests.factories import EventFactory, SubmissionFactory, UserFactory
from tests.teams.helpers import participant, team_with

pytestmark = pytest.mark.django_db


def _entry(event, *, authors=()):
    """An entry of a new team, with authors (user, organisation) taken at first submit."""
    submission = SubmissionFactory(team=team_with(event))
    for user, organisation in authors:
        SubmissionAuthor.objects.create(
            submission=submission, user=user, name=str(user), organisation=organisation,
            taken_at=timezone.now(),
        )  # fmt: skip
    return submission


def _judge(event, *, organisation=""):
    return Judge.objects.create(event=event, user=UserFactory(organisation=organisation))


def test_a_judge_may_not_score_their_own_team_as_member_now_or_as_author():
    event = EventFactory()
    member_judge = Judge.objects.create(event=event, user=participant(event))
    author_judge = _judge(event)
    theirs = _entry(event)
    team_services.team_join(
        team=theirs.team, user=member_judge.user, invite_code=theirs.team.invite_code
    )
    authored = _entry(event, authors=[(author_judge.user, "")])
    other = _entry(event)

    pairs = conflicted_pairs(event)

    assert pairs == {(member_judge.pk, theirs.pk), (author_judge.pk, authored.pk)}
    assert (member_judge.pk, other.pk) not in pairs


def test_an_author_of_the_judges_organisation_is_a_conflict_compared_without_case_or_space():
    event = EventFactory()
    council, unaffiliated = _judge(event, organisation=" Halton Council "), _judge(event)
    colleague = UserFactory()
    nameless = UserFactory()
    shared = _entry(event, authors=[(colleague, "halton council")])
    blank = _entry(event, authors=[(nameless, "")])

    pairs = conflicted_pairs(event)

    assert (council.pk, shared.pk) in pairs
    assert (unaffiliated.pk, blank.pk) not in pairs  # a blank organisation never matches
    assert (council.pk, blank.pk) not in pairs


def test_declared_conflicts_with_a_team_a_person_and_an_organisation():
    event = EventFactory()
    judge = _judge(event)
    friend = UserFactory()
    by_team, by_person, by_organisation, clear = (
        _entry(event), _entry(event, authors=[(friend, "")]),
        _entry(event, authors=[(UserFactory(), "Riverside Trust")]), _entry(event),
    )  # fmt: skip
    Conflict.objects.create(judge=judge, kind=ConflictKind.TEAM, team=by_team.team)
    Conflict.objects.create(judge=judge, kind=ConflictKind.PERSON, person=friend)
    Conflict.objects.create(
        judge=judge, kind=ConflictKind.ORGANISATION, organisation="RIVERSIDE trust "
    )

    pairs = conflicted_pairs(event)

    assert pairs == {
        (judge.pk, by_team.pk),
        (judge.pk, by_person.pk),
        (judge.pk, by_organisation.pk),
    }
    assert (judge.pk, clear.pk) not in pairs


def test_another_events_judges_and_teams_play_no_part_and_the_queries_stay_five():
    event, other = EventFactory(), EventFactory()
    judge, elsewhere = _judge(event), _judge(other)
    mine = _entry(event, authors=[(elsewhere.user, "")])
    _entry(other, authors=[(judge.user, "")])

    with CaptureQueriesContext(connection) as queries:
        pairs = conflicted_pairs(event)

    assert pairs == set()
    assert len(queries) == 5
    assert mine.event == event


def test_a_conflict_names_exactly_one_thing_of_its_kind():
    from django.db import IntegrityError, transaction

    judge = _judge(EventFactory())
    for fields in (
        {"kind": ConflictKind.TEAM},
        {"kind": ConflictKind.ORGANISATION, "organisation": ""},
        {"kind": ConflictKind.PERSON, "person": judge.user, "organisation": "Both"},
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            Conflict.objects.create(judge=judge, **fields)
    assert not Conflict.objects.exists()
