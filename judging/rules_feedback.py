"""Who may read an entry's results (the rule takes the Submission): its team's current
members, once the event's results are published. Nobody else, organisers included,
reads them through the team's page (they have their own results page); a superuser
gets nothing for being one."""

import rules

from submissions.rules import is_submitting_team_member


@rules.predicate
def entry_results_published(user, submission):
    return submission is not None and submission.event.results_published_at is not None


rules.add_perm("judging.view_team_results", is_submitting_team_member & entry_results_published)
