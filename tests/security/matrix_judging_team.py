"""Authorization-matrix rows for the team's results page (see matrix.py for the row
format): before A's results are published nobody gets it; after, A1's members do
(team_member and team_lead) and everyone else gets 404, organisers, judges and
superusers included; a member of A1 asking at B, another event, gets 404 too."""

from django.utils import timezone

from events.models import Event
from judging.models import Judge, ScoreSheet
from tests.security.matrix import (
    JUDGES,
    LOGIN,
    MANAGERS,
    NO_ROLE,
    A,
    D,
    Row,
    expect,
    signed_in,
)

ROUTE = "judging_team_results"
NOT_A1 = f"{NO_ROLE},participant,{JUDGES},volunteer,mentor,other_organiser,{MANAGERS}"
PUBLISHED = expect(f"anonymous:{LOGIN} {NOT_A1}:404 team_member,team_lead:200")
PUBLISHED = expect(f"anonymous:{LOGIN} {NOT_A1}:404 team_member,team_lead:200")


def _published(key: str):
    """URL kwargs naming event `key`, once its results are published; on A, the
    assigned judge has scored A1's entry with feedback, so there is something to read."""

    def build(w) -> dict:
        event = getattr(w, key).event
        Event.objects.filter(pk=event.pk).update(results_published_at=timezone.now())
        if key == "a":
            judge = Judge.objects.get(event=event, user=w.people["assigned_judge"])
            ScoreSheet.objects.get_or_create(
                judge=judge, submission=w.entries.entry_a,
                defaults={"feedback_for_team": "Matrix feedback"},
            )  # fmt: skip
        return {"slug": event.slug}

    return build


def rows() -> list[Row]:
    return [
        Row(ROUTE, "GET", signed_in(404), A, label="unpublished"),
        Row(ROUTE, "GET", PUBLISHED, _published("a"), label="published"),
        Row(ROUTE, "GET", signed_in(404), _published("b"), label="other-event"),
        Row(ROUTE, "GET", signed_in(404), D, label="draft"),
        Row(ROUTE, "POST", signed_in(405), _published("a"), label="published"),
    ]
