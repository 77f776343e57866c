"""Who may do what with prizes and the people's choice vote. Rules take the Event."""

import rules

from events.rules import can_manage_event, can_view_event, is_event_judge
from registration.enums import RegistrationStatus
from submissions.rules import results_published


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
