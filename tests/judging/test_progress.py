"""The dashboard's judging progress: per judge, and per entry still being scored."""

import pytest
from django.test import override_settings

from judging.models import Assignment
from judging.selectors import judging_progress
from judging.services.scoring import sheet_save

pytestmark = pytest.mark.django_db


@override_settings(JUDGING_JUDGES_PER_SUBMISSION=1)
def test_an_entry_leaves_the_list_once_its_judges_are_done_and_absence_is_not_owed(judging):
    _client, event, judge, first, later = judging
    every = {criterion.pk: 3 for criterion in event.criteria.all()}
    sheet_save(actor=judge.user, submission=first, scores=every)

    before = judging_progress(event)
    Assignment.objects.filter(submission=later).update(absent_at=first.created_at)
    after = judging_progress(event)

    assert before["judges"][0] | {"name": ""} == {
        "name": "", "room": "Main hall", "assigned": 2, "complete": 1,
    }  # fmt: skip
    assert before["in_progress"] == [
        {"title": "Walking to work", "judges": 1, "assigned": 1, "complete": 0}
    ]
    assert after["in_progress"] == [] and after["complete"] == after["assigned"] == 1


def test_an_entry_with_too_few_judges_stays_listed(judging):
    _client, event, judge, first, _later = judging
    sheet_save(actor=judge.user, submission=first, scores={c.pk: 4 for c in event.criteria.all()})

    progress = judging_progress(event)

    assert progress["short"] == 2  # each entry has 1 of the 3 judges wanted
    assert [entry["title"] for entry in progress["in_progress"]] == [
        "Parks and jobs",
        "Walking to work",
    ]
