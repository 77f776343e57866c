"""Each sheet's stored total (judging.services.totals): kept as its scores are saved and as
an overall criterion's weight or scope changes, given to sheets saved before totals were
kept, and ranking exactly as every score would."""

import dataclasses
import importlib
import random

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext

from judging.enums import ConflictKind
from judging.models import Assignment, Conflict, Criterion, Judge, Score, ScoreSheet
from judging.results import results_compute
from judging.selectors import counted_pairs, criterion_specs, event_results
from judging.services import preparation
from judging.services.scoring import sheet_save
from judging.services.totals import sheet_totals_refresh
from tests.factories import (
    CriterionFactory,
    EventFactory,
    SubmissionFactory,
    ThemeFactory,
    UserFactory,
)
from tests.judging.helpers import accepted_judge
from tests.judging.helpers_feedback import sheet
from tests.teams.helpers import team_with

pytestmark = pytest.mark.django_db


@pytest.fixture
def rubric():
    """Impact (0 to 10, weight 3), Story (1 to 5, weight 1) and Local (scoped to a theme,
    so kept out of the total)."""
    event = EventFactory()
    event.criteria.all().delete()
    impact = CriterionFactory(event=event, name="Impact", scale_min=0, scale_max=10, weight=3)
    story = CriterionFactory(event=event, name="Story", scale_min=1, scale_max=5, weight=1)
    local = CriterionFactory(event=event, name="Local", theme=ThemeFactory(event=event))
    return event, impact, story, local


def _totals(event):
    return dict(ScoreSheet.objects.filter(judge__event=event).values_list("submission_id", "total"))


def test_saving_a_sheet_keeps_its_total_from_the_overall_criteria_only(rubric):
    event, impact, story, local = rubric
    judge = accepted_judge(event)
    entry = SubmissionFactory(team=team_with(event), theme=local.theme)
    Assignment.objects.create(judge=judge, submission=entry)

    sheet_save(actor=judge.user, submission=entry, scores={local.pk: 5})
    scoped_only = _totals(event)[entry.pk]
    sheet_save(actor=judge.user, submission=entry, scores={impact.pk: 10, story.pk: 3})
    # (3 x 100 + 1 x 50) / 4
    both = _totals(event)[entry.pk]
    sheet_save(actor=judge.user, submission=entry, scores={story.pk: None})
    impact_alone = _totals(event)[entry.pk]
    sheet_save(actor=judge.user, submission=entry, scores={impact.pk: None})

    assert (scoped_only, both, impact_alone) == (None, 87.5, 100.0)
    assert _totals(event)[entry.pk] is None


def test_a_weight_or_scope_change_recomputes_every_total_and_the_ranking_follows(rubric):
    event, impact, story, local = rubric
    organiser = UserFactory()
    judge = Judge.objects.create(event=event, user=UserFactory())
    strong_story, strong_impact = (SubmissionFactory(team=team_with(event)) for _ in "ab")
    sheet(judge, strong_story, {impact: 4, story: 5})  # (3 x 40 + 100) / 4 = 55
    sheet(judge, strong_impact, {impact: 8, story: 1})  # (3 x 80 + 0) / 4 = 60

    def first():
        return event_results(event, resamples=0).submissions[0].submission_id

    assert first() == strong_impact.pk
    preparation.criterion_update(actor=organiser, criterion=story, weight=9)
    # (3 x 40 + 9 x 100) / 12 = 85 against (3 x 80) / 12 = 20
    assert _totals(event) == {strong_story.pk: 85.0, strong_impact.pk: 20.0}
    assert first() == strong_story.pk

    preparation.criterion_update(actor=organiser, criterion=impact, theme=local.theme)
    assert _totals(event) == {strong_story.pk: 100.0, strong_impact.pk: 0.0}


def test_a_change_of_wording_or_of_a_scoped_criterion_reads_no_sheet(rubric):
    event, impact, story, local = rubric
    entry = SubmissionFactory(team=team_with(event))
    sheet(Judge.objects.create(event=event, user=UserFactory()), entry, {impact: 4, story: 5})
    organiser = UserFactory()

    with CaptureQueriesContext(connection) as queries:
        preparation.criterion_update(actor=organiser, criterion=story, name="The story")
        preparation.criterion_update(actor=organiser, criterion=local, weight=5)

    assert Criterion.objects.get(pk=local.pk).weight == 5
    assert not [q for q in queries if '"judging_scoresheet"' in q["sql"]]
    assert _totals(event) == {entry.pk: 55.0}


def test_totals_kept_as_the_services_keep_them_rank_exactly_as_every_score_would(rubric):
    """Eight judges and twelve entries, some sheets half done, one judge conflicted with
    one entry: the stored totals and scoped scores give the same results, to the bit,
    as computing everything from every counted score."""
    event, impact, story, local = rubric
    draw = random.Random(13)
    # Half the entries are to Local's theme, and scored on it too.
    themes = (local.theme, None)
    entries = [SubmissionFactory(team=team_with(event), theme=themes[n % 2]) for n in range(12)]
    judges = [accepted_judge(event) for _ in range(8)]
    for n, entry in enumerate(entries):
        for judge in judges[n % 4 : n % 4 + 4]:
            Assignment.objects.create(judge=judge, submission=entry)
            scores = {impact.pk: draw.randint(0, 10)}
            if entry.theme_id:
                scores[local.pk] = draw.randint(1, 5)
            if draw.random() < 0.8:
                scores[story.pk] = draw.randint(1, 5)
            sheet_save(actor=judge.user, submission=entry, scores=scores)
    Conflict.objects.create(judge=judges[1], kind=ConflictKind.TEAM, team=entries[1].team)
    counted = counted_pairs(event)
    every_score = [
        row
        for row in Score.objects.values_list(
            "sheet__judge_id", "sheet__submission_id", "criterion_id", "value"
        )
        if row[:2] in counted
    ]

    stored = event_results(event, resamples=200)
    computed = results_compute(criteria=criterion_specs(event), scores=every_score, resamples=200)

    assert (judges[1].pk, entries[1].pk) not in counted
    assert len(stored.submissions) == 12 and stored.submissions[0].categories
    assert dataclasses.replace(stored, absent=()) == computed


def test_the_migration_totals_sheets_saved_before_totals_were_kept(rubric):
    event, impact, story, local = rubric
    judge = Judge.objects.create(event=event, user=UserFactory())
    whole, scoped_only = (SubmissionFactory(team=team_with(event)) for _ in "ab")
    sheet(judge, whole, {impact: 10, story: 3, local: 2})
    sheet(judge, scoped_only, {local: 4})
    kept = _totals(event)
    ScoreSheet.objects.update(total=None)
    migration = importlib.import_module("judging.migrations.0007_scoresheet_total")

    migration.total_existing_sheets(apps, None)

    assert _totals(event) == kept == {whole.pk: 87.5, scoped_only.pk: None}


def test_refreshing_the_whole_event_puts_a_stale_total_right(rubric):
    event, impact, story, _local = rubric
    judge = Judge.objects.create(event=event, user=UserFactory())
    for value in (2, 6):
        sheet(judge, SubmissionFactory(team=team_with(event)), {impact: value, story: 1})
    stale = ScoreSheet.objects.order_by("pk").first()
    ScoreSheet.objects.filter(pk=stale.pk).update(total=1.0)

    sheet_totals_refresh(event_id=event.pk)

    # (3 x 20 + 0) / 4
    assert _totals(event)[stale.submission_id] == 15.0
