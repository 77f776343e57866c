"""Saving a judge's score sheet: only an assigned judge without a conflict, while
judging is open, with every score a whole number on its criterion's scale; a refusal
names the problem and saves nothing."""

import pytest
from django.utils import timezone

from common.exceptions import ApplicationError
from common.models import AuditEntry
from judging.enums import ConflictKind
from judging.models import Assignment, Conflict, Criterion, Score, ScoreSheet
from judging.services.scoring import sheet_save, team_absent_mark
from tests.factories import (
    ChallengeFactory,
    EventFactory,
    SubmissionFactory,
    ThemeFactory,
    UserFactory,
)
from tests.judging.helpers import accepted_judge
from tests.teams.helpers import team_with

pytestmark = pytest.mark.django_db


@pytest.fixture
def assigned():
    """A judge assigned to one submission of an event with the default rubric."""
    event = EventFactory()
    judge = accepted_judge(event)
    submission = SubmissionFactory(team=team_with(event))
    Assignment.objects.create(judge=judge, submission=submission)
    return judge, submission, list(event.criteria.all())


def _values(sheet):
    return dict(sheet.scores.values_list("criterion_id", "value"))


def test_a_sheet_is_saved_half_done_then_completed_and_cleared_one_row_per_criterion(assigned):
    judge, submission, criteria = assigned
    first, second, third = criteria[:3]

    sheet_save(actor=judge.user, submission=submission, scores={first.pk: 4, str(second.pk): 2})
    sheet = sheet_save(
        actor=judge.user, submission=submission, scores={second.pk: 5, third.pk: None},
        feedback_for_team="Strong use of the claimant count.",
    )  # fmt: skip
    sheet_save(actor=judge.user, submission=submission, scores={first.pk: None})

    assert _values(sheet) == {second.pk: 5}
    assert ScoreSheet.objects.get().feedback_for_team == "Strong use of the claimant count."
    assert Score.objects.count() == 1


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (6, "Score “Community impact” from 1 to 5."),
        (0, "Score “Community impact” from 1 to 5."),
        (10**100, "Score “Community impact” from 1 to 5."),
        (True, "Give “Community impact” a whole number."),
        ("4", "Give “Community impact” a whole number."),
        (4.0, "Give “Community impact” a whole number."),
    ],
)
def test_a_score_off_the_scale_or_not_whole_is_refused_and_nothing_is_saved(
    assigned, value, message
):
    judge, submission, criteria = assigned

    with pytest.raises(ApplicationError) as refused:
        sheet_save(
            actor=judge.user, submission=submission,
            scores={criteria[1].pk: 3, criteria[0].pk: value},
        )  # fmt: skip

    assert refused.value.details == {f"criterion_{criteria[0].pk}": [message]}
    assert not ScoreSheet.objects.exists() and not Score.objects.exists()


def test_another_events_criterion_or_a_made_up_one_is_refused(assigned):
    judge, submission, _criteria = assigned
    elsewhere = EventFactory().criteria.first()

    for key in (elsewhere.pk, "9" * 40, "١٢", None):
        with pytest.raises(ApplicationError) as refused:
            sheet_save(actor=judge.user, submission=submission, scores={key: 3})
        assert refused.value.code == "invalid_score"
    assert not Score.objects.exists()


def test_notes_with_a_nul_or_too_long_are_refused(assigned):
    judge, submission, criteria = assigned

    for note, feedback in (("bad\x00", None), (None, "x" * 4001), ("\ud800", None)):
        with pytest.raises(ApplicationError) as refused:
            sheet_save(
                actor=judge.user, submission=submission, scores={criteria[0].pk: 3},
                note_to_organisers=note, feedback_for_team=feedback,
            )  # fmt: skip
        assert refused.value.code == "invalid_note"
    assert not ScoreSheet.objects.exists()


def test_only_the_assigned_judge_may_score_not_a_participant_nor_a_superuser(assigned):
    _judge, submission, criteria = assigned
    other_judge = accepted_judge(submission.event)
    superuser = UserFactory(is_superuser=True, is_staff=True)
    lead = submission.team.memberships.get(role="lead").user

    for person in (other_judge.user, superuser, lead, None):
        with pytest.raises(ApplicationError) as refused:
            sheet_save(actor=person, submission=submission, scores={criteria[0].pk: 3})
        assert (refused.value.code, refused.value.status) == ("not_assigned", 404)
    assert not ScoreSheet.objects.exists()


def test_a_conflict_declared_after_assignment_or_a_team_marked_absent_stops_scoring(
    assigned,
):
    judge, submission, criteria = assigned
    Conflict.objects.create(judge=judge, kind=ConflictKind.TEAM, team=submission.team)

    with pytest.raises(ApplicationError) as conflicted:
        sheet_save(actor=judge.user, submission=submission, scores={criteria[0].pk: 3})
    Conflict.objects.all().delete()
    Assignment.objects.update(absent_at=timezone.now())
    with pytest.raises(ApplicationError) as absent:
        sheet_save(actor=judge.user, submission=submission, scores={criteria[0].pk: 3})

    assert conflicted.value.code == "conflicted"
    assert absent.value.code == "team_absent"
    assert not ScoreSheet.objects.exists()


def test_once_judging_is_locked_scores_stay_as_they_are(assigned):
    judge, submission, criteria = assigned
    sheet_save(actor=judge.user, submission=submission, scores={criteria[0].pk: 3})
    event = submission.event
    event.judging_locked_at = timezone.now()
    event.save(update_fields=["judging_locked_at"])

    with pytest.raises(ApplicationError) as refused:
        sheet_save(actor=judge.user, submission=submission, scores={criteria[0].pk: 5})

    assert refused.value.code == "judging_locked"
    assert Score.objects.get().value == 3


def test_a_criterion_scoped_to_another_challenge_is_refused_and_ones_own_is_kept(assigned):
    judge, submission, _criteria = assigned
    event = submission.event
    own = ChallengeFactory(theme=ThemeFactory(event=event))
    other = ChallengeFactory(theme=ThemeFactory(event=event))
    submission.challenge = own
    submission.save(update_fields=["challenge"])
    mine = Criterion.objects.create(event=event, name="Own challenge", challenge=own)
    via_theme = Criterion.objects.create(event=event, name="Own theme", theme=own.theme)
    theirs = Criterion.objects.create(event=event, name="Other challenge", challenge=other)

    with pytest.raises(ApplicationError) as refused:
        sheet_save(actor=judge.user, submission=submission, scores={mine.pk: 3, theirs.pk: 3})
    sheet = sheet_save(
        actor=judge.user, submission=submission, scores={mine.pk: 3, via_theme.pk: 4}
    )

    assert refused.value.details == {
        f"criterion_{theirs.pk}": ["This entry is not scored on this criterion."]
    }
    assert _values(sheet) == {mine.pk: 3, via_theme.pk: 4}


def test_a_judge_marks_a_team_absent_and_present_again_and_each_change_is_audited(assigned):
    judge, submission, criteria = assigned
    sheet_save(actor=judge.user, submission=submission, scores={criteria[0].pk: 4})

    team_absent_mark(actor=judge.user, submission=submission, absent=True)
    team_absent_mark(actor=judge.user, submission=submission, absent=True)  # no change
    absent_at = Assignment.objects.get().absent_at
    team_absent_mark(actor=judge.user, submission=submission, absent=False)

    assert absent_at is not None
    assert Assignment.objects.get().absent_at is None
    assert list(
        AuditEntry.objects.filter(action__startswith="judging.team_")
        .values_list("action", flat=True)
        .order_by("pk")
    ) == ["judging.team_absent", "judging.team_present"]
    assert _values(ScoreSheet.objects.get()) == {criteria[0].pk: 4}  # scores stay


@pytest.mark.parametrize("who", ["stranger", "superuser", "conflicted", "locked"])
def test_marking_a_team_absent_is_refused_without_a_clean_assignment_and_changes_nothing(
    assigned, who
):
    judge, submission, _criteria = assigned
    actor = judge.user
    if who == "stranger":
        actor = UserFactory()
    elif who == "superuser":
        actor = UserFactory(is_superuser=True, is_staff=True)
    elif who == "conflicted":
        Conflict.objects.create(judge=judge, kind=ConflictKind.TEAM, team=submission.team)
    else:
        submission.event.judging_locked_at = timezone.now()
        submission.event.save(update_fields=["judging_locked_at"])

    with pytest.raises(ApplicationError) as refused:
        team_absent_mark(actor=actor, submission=submission, absent=True)

    expected = {"stranger": "not_assigned", "superuser": "not_assigned",
                "conflicted": "conflicted", "locked": "judging_locked"}  # fmt: skip
    assert refused.value.code == expected[who]
    assert Assignment.objects.get().absent_at is None
