"""The demo's judging: December's entries presented in the main hall and scored by five
judges on the default rubric, a lenient and a harsh one among them."""

import io
from itertools import pairwise

import pytest
from django.core.management import call_command

from events.models import Event
from judging.models import Assignment, Judge, PresentationSlot, Score, ScoreSheet
from judging.selectors import conflicted_pairs, event_results

pytestmark = pytest.mark.django_db


def test_december_is_judged_by_five_judges_one_lenient_and_one_harsh(demo_seeded):
    december = Event.objects.get(slug="community-data-hackathon-2024")
    entries = december.submissions.count()

    judges = Judge.objects.filter(event=december)
    assert judges.count() == 5
    assert {str(judge) for judge in judges} >= {"Jamal Hughes", "Amara Bello", "Tom Whitley"}
    slots = list(PresentationSlot.objects.filter(room__event=december).order_by("starts_at"))
    # Back-to-back slots through the presentations, every entry in one, in the order the
    # entries were started (the slots services made them).
    assert all(later.starts_at == earlier.ends_at for earlier, later in pairwise(slots))
    entry_ids = sorted(december.submissions.values_list("pk", flat=True))
    assert [slot.submission_id for slot in slots if slot.submission_id] == entry_ids
    conflicts = conflicted_pairs(december)
    assert Assignment.objects.filter(judge__event=december).count() == 5 * entries - len(conflicts)
    sheets = ScoreSheet.objects.filter(judge__event=december)
    assert sheets.count() == 5 * entries - len(conflicts)
    assert Score.objects.filter(sheet__in=sheets).count() == 6 * sheets.count()
    results = event_results(december, resamples=0)
    assert len(results.submissions) == entries
    means = {str(Judge.objects.get(pk=c.judge_id)): c.mean_total for c in results.judges}
    assert max(means, key=means.get) == "Amara Bello"  # the lenient one
    assert min(means, key=means.get) == "Tom Whitley"  # the harsh one


def test_seeding_again_changes_no_score(demo_seeded):
    before = sorted(Score.objects.values_list("sheet__judge_id", "sheet__submission_id",
                                              "criterion_id", "value"))  # fmt: skip

    call_command("seed_demo", stdout=io.StringIO())

    after = sorted(Score.objects.values_list("sheet__judge_id", "sheet__submission_id",
                                             "criterion_id", "value"))  # fmt: skip
    assert after == before and len(before) > 0


def test_the_dashboard_shows_each_judges_progress_by_name_in_flat_queries(demo_seeded, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from judging.selectors import judging_progress

    december = Event.objects.get(slug="community-data-hackathon-2024")
    organiser = december.roles.get(role="organiser").user
    client.force_login(organiser)

    page = client.get(f"/organise/{december.slug}/").content.decode()
    with CaptureQueriesContext(connection) as queries:
        progress = judging_progress(december)

    assert "Each judge&#x27;s progress" in page or "Each judge's progress" in page
    assert "Amara Bello" in page and "amara.bello@" not in page
    assert progress["complete"] == progress["assigned"] > 0
    assert len(queries) == 5
    from judging.models import Room
    from tests.factories import UserFactory

    hall = Room.objects.get(event=december)
    Judge.objects.bulk_create(
        Judge(event=december, user=UserFactory(), room=hall) for _ in range(20)
    )
    with CaptureQueriesContext(connection) as more:
        assert len(judging_progress(december)["judges"]) == 25
    assert len(more) == 5
