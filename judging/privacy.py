"""Judging in "download my data" and in account erasure (accounts.privacy).

The export holds the person's places as a judge, the conflicts they declared and, for
each score sheet, the scores with the note to organisers and the feedback for the team.
Erasure keeps every score, as the event's results rest on them: the judge's row stays,
without its account (results do not move and the erased judge's scores still group
together); the conflicts declared about or by the person go, and so does any place with
no score.
"""

from accounts.privacy import personal_data_erasers, personal_data_exporters
from judging.models import Conflict, Judge, ScoreSheet


@personal_data_exporters.register("judging", order=60)
def export_judging(user):
    judges = Judge.objects.filter(user=user).select_related("event", "room").order_by("pk")
    sheets = (
        ScoreSheet.objects.filter(judge__user=user)
        .select_related("judge__event", "submission")
        .prefetch_related("scores__criterion")
        .order_by("created_at", "pk")
    )
    conflicts = Conflict.objects.filter(judge__user=user).select_related(
        "judge__event", "team", "person"
    )
    return {
        "judging": [
            {"event": judge.event.name, "room": judge.room.name if judge.room else None}
            for judge in judges
        ],
        "score_sheets": [
            {
                "event": sheet.judge.event.name,
                "submission": sheet.submission.title,
                "scores": {score.criterion.name: score.value for score in sheet.scores.all()},
                "note_to_organisers": sheet.note_to_organisers,
                "feedback_for_team": sheet.feedback_for_team,
                "saved_at": sheet.updated_at.isoformat(),
            }
            for sheet in sheets
        ],
        "conflicts_declared": [
            {
                "event": conflict.judge.event.name,
                "kind": conflict.kind,
                "team": conflict.team.name if conflict.team else None,
                "person": str(conflict.person) if conflict.person else None,
                "organisation": conflict.organisation,
                "reason": conflict.reason,
            }
            for conflict in conflicts.order_by("created_at", "pk")
        ],
    }


@personal_data_erasers.register("judging", order=60)
def erase_judging(user):
    """Scores stay with an unnamed judge; nothing else about the person does."""
    Conflict.objects.filter(person=user).delete()
    Conflict.objects.filter(judge__user=user).delete()
    Judge.objects.filter(user=user, sheets__isnull=True).delete()
    Judge.objects.filter(user=user).update(user=None)
    Conflict.objects.filter(declared_by=user).update(declared_by=None)
