"""Two tabs autosaving one score sheet at once, on PostgreSQL with real row locks.

The sheet exists with one score; each tab adds the others. The save holds the race
window open with CAPACITY_RACE_DELAY (between reading the sheet's scores and writing
them); the negative control turns the lock off and shows the same race failing. So do
a save and organisers locking judging at once: the save under way lands before the lock;
and a save and a criterion's new weight: the sheet's stored total is the new weight's.
"""

import time

import pytest
from django.db import IntegrityError

from events.models import Event
from judging.models import Assignment, Criterion, Score, ScoreSheet
from judging.results import sheets_compute
from judging.selectors import criterion_specs
from judging.services import preparation
from judging.services.publication import judging_lock
from judging.services.scoring import sheet_save
from tests.concurrency import in_threads
from tests.factories import EventFactory, SubmissionFactory, UserFactory
from tests.judging.helpers import accepted_judge
from tests.teams.helpers import team_with

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.xdist_group("registration-concurrency"),
    pytest.mark.no_cover,
]


def _two_tabs(settings):
    event = EventFactory()
    judge = accepted_judge(event)
    submission = SubmissionFactory(team=team_with(event))
    Assignment.objects.create(judge=judge, submission=submission)
    criteria = list(event.criteria.all())
    sheet_save(actor=judge.user, submission=submission, scores={criteria[0].pk: 3})
    settings.CAPACITY_RACE_DELAY = 0.5

    def save(value):
        def call():
            try:
                sheet_save(
                    actor=judge.user, submission=submission,
                    scores={criterion.pk: value for criterion in criteria},
                )  # fmt: skip
            except IntegrityError:
                return "integrity-error"
            return "saved"

        return call

    return in_threads([save(2), save(4)], workers=2), criteria


def test_two_tabs_saving_at_once_both_save_and_each_criterion_keeps_one_score(settings):
    settings.CAPACITY_LOCK_TIMEOUT_MS = 20_000

    outcomes, criteria = _two_tabs(settings)

    assert outcomes == ["saved", "saved"]
    assert ScoreSheet.objects.count() == 1
    assert Score.objects.count() == len(criteria)
    assert len(set(Score.objects.values_list("value", flat=True))) == 1  # the last save's


def test_negative_control_without_the_lock_the_second_tab_fails(settings):
    settings.CAPACITY_LOCK_TIMEOUT_MS = 20_000
    settings.CAPACITY_LOCKING = False

    outcomes, _criteria = _two_tabs(settings)

    assert sorted(outcomes) == ["integrity-error", "saved"]


def _save_while_judging_is_locked(settings):
    """A save holding its race window while organisers lock judging; the sheet's last
    change and the lock's time, as stored."""
    event = EventFactory()
    judge = accepted_judge(event)
    submission = SubmissionFactory(team=team_with(event))
    Assignment.objects.create(judge=judge, submission=submission)
    criteria = list(event.criteria.all())
    organiser = UserFactory()
    settings.CAPACITY_RACE_DELAY = 0.8

    def save():
        sheet_save(actor=judge.user, submission=submission, scores={criteria[0].pk: 4})
        return "saved"

    def lock():
        time.sleep(0.3)  # the save has its row and is inside its window
        judging_lock(actor=organiser, event=Event.objects.get(pk=event.pk))
        return "locked"

    outcomes = in_threads([save, lock], workers=2)
    event.refresh_from_db()
    return outcomes, ScoreSheet.objects.get().updated_at, event.judging_locked_at


def test_a_save_under_way_when_judging_is_locked_finishes_before_the_lock(settings):
    settings.CAPACITY_LOCK_TIMEOUT_MS = 20_000

    outcomes, saved_at, locked_at = _save_while_judging_is_locked(settings)

    assert outcomes == ["saved", "locked"]
    assert saved_at < locked_at


def test_negative_control_without_row_locks_a_save_lands_after_the_lock(settings):
    settings.CAPACITY_LOCK_TIMEOUT_MS = 20_000
    settings.CAPACITY_LOCKING = False

    outcomes, saved_at, locked_at = _save_while_judging_is_locked(settings)

    assert outcomes == ["saved", "locked"]
    assert saved_at > locked_at


def _save_while_a_weight_changes(settings):
    """A save holding its second window (it has read the rubric to total the sheet, and
    not yet written the total) while organisers weigh a criterion differently; the
    sheet's stored total, and the total its scores give under the rubric as it ends."""
    event = EventFactory()
    judge = accepted_judge(event)
    submission = SubmissionFactory(team=team_with(event))
    Assignment.objects.create(judge=judge, submission=submission)
    first, second = list(event.criteria.all())[:2]
    organiser = UserFactory()
    settings.CAPACITY_RACE_DELAY = 0.8

    def save():
        sheet_save(actor=judge.user, submission=submission, scores={first.pk: 5, second.pk: 1})
        return "saved"

    def reweigh():
        time.sleep(1.2)  # past the save's first window (0.8 s), inside its second
        criterion = Criterion.objects.get(pk=second.pk)
        preparation.criterion_update(actor=organiser, criterion=criterion, weight=9)
        return "reweighed"

    outcomes = in_threads([save, reweigh], workers=2)
    rows = Score.objects.values_list(
        "sheet__judge_id", "sheet__submission_id", "criterion_id", "value"
    )
    expected = sheets_compute(criteria=criterion_specs(event), scores=list(rows)).totals[0, 0]
    # 5 and 1 on two 1-to-5 criteria: 100 points weighing first.weight, 0 weighing 9.
    assert expected == pytest.approx(100 * float(first.weight) / (float(first.weight) + 9))
    return outcomes, ScoreSheet.objects.get().total, float(expected)


def test_a_save_under_way_when_a_weight_changes_ends_with_the_new_weights_total(settings):
    settings.CAPACITY_LOCK_TIMEOUT_MS = 20_000

    outcomes, stored, expected = _save_while_a_weight_changes(settings)

    assert outcomes == ["saved", "reweighed"]
    assert stored == expected


def test_negative_control_without_row_locks_the_save_keeps_the_old_weights_total(settings):
    settings.CAPACITY_LOCK_TIMEOUT_MS = 20_000
    settings.CAPACITY_LOCKING = False

    outcomes, stored, expected = _save_while_a_weight_changes(settings)

    assert outcomes == ["saved", "reweighed"]
    assert stored != expected
