"""Who may judge, who reads results, who votes and who awards prizes.

Judging rights come only from an EventRole and an assignment: a superuser has none for
being one, since pages ask `rules.has_perm`, which (unlike `user.has_perm`) grants
superusers nothing of its own accord."""

import rules

from common.permissions import add_public_perm
from events.rules import can_manage_event, can_view_event, is_event_judge
from judging.models import Assignment, Judge
from judging.selectors import conflicted_pairs
from registration.enums import RegistrationStatus
from submissions.rules import is_submitting_team_member, results_published


@rules.predicate
def is_assigned_judge(user, entry):
    """Assigned to score `entry` (whether or not they marked its team absent)."""
    return Assignment.objects.filter(
        judge__event_id=entry.event_id, judge__user=user, submission=entry
    ).exists()


@rules.predicate
def has_conflict_with(user, entry):
    """In conflict of interest with `entry`'s team (judging.selectors.conflicted_pairs)."""
    judge = Judge.objects.filter(event_id=entry.event_id, user=user).first()
    return judge is not None and bool(
        conflicted_pairs(entry.event, judge_id=judge.pk, submission=entry)
    )


# A judge's own pages (their queue, the conflicts they declare): the event's accepted
# judges, seated or not.
rules.add_perm("judging.judge_event", rules.is_authenticated & is_event_judge)


@rules.predicate
def is_entry_event_judge(user, entry):
    """Still an accepted judge of the entry's event (a revoked role leaves the judge's
    assignments behind, and no rights with them)."""
    return is_event_judge(user, entry.event)


# An entry's score sheet: shown to its assigned judges, saved only without a conflict.
rules.add_perm(
    "judging.view_sheet", rules.is_authenticated & is_entry_event_judge & is_assigned_judge
)
rules.add_perm(
    "judging.score_entry",
    rules.is_authenticated & is_entry_event_judge & is_assigned_judge & ~has_conflict_with,
)


@rules.predicate
def entry_results_published(user, submission):
    return submission is not None and results_published(user, submission.event)


# An entry's results and the judges' feedback, on the team's page: its current members,
# once results are published. Organisers have their own results page.
rules.add_perm("judging.view_team_results", is_submitting_team_member & entry_results_published)


# An event's results: its organisers at any time; after publication, whoever may see it.
add_public_perm("judging.view_results", can_manage_event | (can_view_event & results_published))


@rules.predicate
def is_checked_in(user, event):
    """Someone with an account who was checked in at the event's door."""
    if not user.is_authenticated or event is None:
        return False
    return user.registrations.filter(event=event, status=RegistrationStatus.CHECKED_IN).exists()


# The people's choice: those who were there, and not the judges, who decide other prizes.
rules.add_perm("judging.cast_vote", is_checked_in & ~is_event_judge)
# Prizes, awards and the vote counts before publication: the event's organisers.
rules.add_perm("judging.manage_prizes", can_manage_event)
# The winners (and the people's choice count) are everyone's once results are published.
rules.add_perm("judging.view_winners", can_view_event & results_published)
