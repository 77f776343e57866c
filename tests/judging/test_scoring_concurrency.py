"""Two tabs autosaving one score sheet at once, on PostgreSQL with real row locks.

The sheet exists with one score; each tab adds the others. The save holds the race
window open with CAPACITY_RACE_DELAY (between reading the sheet's scores and writing
them); the negative control turns the lock off and shows the same race failing.
"""

import pytest
from django.db import IntegrityError

from judging.models import Assignment, Judge, Score, ScoreSheet
from judging.services.scoring import sheet_save
from tests.concurrency import in_threads
from tests.factories import EventFactory, SubmissionFactory, UserFactory
from tests.teams.helpers import team_with

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.xdist_group("registration-concurrency"),
    pytest.mark.no_cover,
]


def _two_tabs(settings):
    event = EventFactory()
    judge = Judge.objects.create(event=event, user=UserFactory())
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
