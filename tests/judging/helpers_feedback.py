"""A small judged event for the after-publication tests, with hand-computed results.

Criteria: Impact (0 to 10, weight 3), Story (1 to 5, weight 1), and Local (1 to 5,
scoped to a theme, so a category of its own). Two judges score two entries:

- judge 1: ours Impact 10, Story 3, Local 4 -> (3 x 100 + 1 x 50) / 4 = 87.5 points;
  theirs Impact 5, Story 5 -> (3 x 50 + 1 x 100) / 4 = 62.5;
- judge 2: ours Impact 6, Story 5 -> (3 x 60 + 1 x 100) / 4 = 70; theirs Impact 8,
  Story 1 -> (3 x 80 + 0) / 4 = 60.

Raw: ours (87.5 + 70) / 2 = 78.75, theirs 61.25. Each judge's totals are one above and
one below their mean (z = +1 and -1); all totals have mean 70 and population standard
deviation sqrt((17.5² + 7.5² + 0² + 10²) / 4) = sqrt(115.625), so ours is normalised to
70 + sqrt(115.625) and ranks 1 of 2. Local: judge 1's 4 on 1 to 5 is 75 points.
A third judge saved a sheet on ours with blank feedback and no scores.
"""

from dataclasses import dataclass

from django.utils import timezone

from events.models import Event
from judging.models import Assignment, Criterion, Judge, Score, ScoreSheet
from judging.services.totals import sheet_totals_refresh
from tests.factories import (
    CriterionFactory,
    EventFactory,
    SubmissionFactory,
    ThemeFactory,
    UserFactory,
)
from tests.teams.helpers import team_with

NORMALISED_OURS = 70 + 115.625**0.5


@dataclass
class Judged:
    event: Event
    ours: object  # Submission
    theirs: object
    idle: object  # a third team's entry, never judged
    criteria: dict[str, Criterion]
    judges: list[Judge]


def sheet(judge, submission, values: dict, *, feedback="", note=""):
    """`judge`'s sheet on `submission`, assigned to them (results count no other), with
    its total kept as judging's services keep it."""
    Assignment.objects.get_or_create(judge=judge, submission=submission)
    saved = ScoreSheet.objects.create(
        judge=judge, submission=submission, feedback_for_team=feedback, note_to_organisers=note
    )
    Score.objects.bulk_create(
        Score(sheet=saved, criterion=criterion, value=value) for criterion, value in values.items()
    )
    sheet_totals_refresh(event_id=judge.event_id, sheet=saved)
    return saved


def judged_event() -> Judged:
    event = EventFactory()
    event.criteria.all().delete()
    theme = ThemeFactory(event=event, name="Green space")
    criteria = {
        "impact": CriterionFactory(event=event, name="Impact", scale_min=0, scale_max=10,
                                   weight=3, order=0),
        "story": CriterionFactory(event=event, name="Story", scale_min=1, scale_max=5,
                                  weight=1, order=1),
        "local": CriterionFactory(event=event, name="Local", scale_min=1, scale_max=5,
                                  theme=theme, order=2),
    }  # fmt: skip
    ours = SubmissionFactory(team=team_with(event, members=1, name="Tree Counters"),
                             title="Trees by ward")  # fmt: skip
    theirs = SubmissionFactory(team=team_with(event, name="Bus Watchers"), title="Late buses")
    idle = SubmissionFactory(team=team_with(event, name="Quiet Ones"), title="Unjudged")
    names = ("Juniper Marsh", "Oskar Lind", "Priya Vale")
    judges = [
        Judge.objects.create(event=event, user=UserFactory(display_name=name)) for name in names
    ]
    impact, story, local = criteria["impact"], criteria["story"], criteria["local"]
    sheet(judges[0], ours, {impact: 10, story: 3, local: 4},
          feedback="Great <b>map</b>.", note="Secret note from judge one")  # fmt: skip
    sheet(judges[0], theirs, {impact: 5, story: 5}, feedback="Good buses.")
    sheet(judges[1], ours, {impact: 6, story: 5}, feedback="Tell us more.",
          note="Secret note from judge two")  # fmt: skip
    sheet(judges[1], theirs, {impact: 8, story: 1})
    sheet(judges[2], ours, {}, feedback="  \n ")
    return Judged(event, ours, theirs, idle, criteria, judges)


def publish(event) -> None:
    Event.objects.filter(pk=event.pk).update(results_published_at=timezone.now())
    event.refresh_from_db()


def members(submission) -> list:
    return [m.user for m in submission.team.memberships.select_related("user").order_by("pk")]
