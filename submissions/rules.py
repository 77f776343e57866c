"""Who may do what with submissions. Submission rules take a Submission (or an object
with `.submission`, such as an Artifact); event rules take the Event."""

import rules

from datasets.rules import is_catalogue_editor
from events.rules import can_manage_event, can_view_event, is_event_judge
from teams.rules import is_in_team_of, is_team_member


def submission_of(obj):
    return getattr(obj, "submission", obj)


@rules.predicate
def is_submitting_team_member(user, obj):
    """A current member of the team whose entry `obj` is (or belongs to)."""
    return obj is not None and is_team_member(user, submission_of(obj).team)


@rules.predicate
def is_submission_judge(user, obj):
    return obj is not None and is_event_judge(user, submission_of(obj).event)


@rules.predicate
def manages_submission_event(user, obj):
    return obj is not None and can_manage_event(user, submission_of(obj).event)


@rules.predicate
def results_published(user, event):
    return event is not None and event.results_published_at is not None


# A team's entry, its files and their reports: the team, the event's organisers and its
# accepted judges (who read entries before and while they score them).
can_read_submission = is_submitting_team_member | manages_submission_event | is_submission_judge
rules.add_perm("submissions.view_submission", can_read_submission)
rules.add_perm("submissions.change_submission", is_submitting_team_member)
# Starting the entry of a team (the rule takes the Team).
rules.add_perm("submissions.create_submission", is_team_member)
# An event's entries as a list, and its organisers' decisions (lock, extend, release).
rules.add_perm("submissions.list_submissions", can_manage_event | is_event_judge)
rules.add_perm("submissions.manage_submissions", can_manage_event)
# The API's list of an event's entries: organisers and judges see those handed in, a
# team member their team's (the view chooses which).
rules.add_perm("submissions.list_entries", can_manage_event | is_event_judge | is_in_team_of)
rules.add_perm("submissions.view_gallery", can_view_event & results_published)
# Which teams used which publisher's data, for the catalogue's editors.
rules.add_perm("submissions.view_publisher_usage", is_catalogue_editor)
