"""Teams' part of the next event (events.extensions.event_copiers): the team sizes."""

from events.extensions import event_copiers
from teams.models import TeamPolicy


@event_copiers.register("teams", order=30)
def copy_team_sizes(source, target, copy) -> str | None:
    sizes = TeamPolicy.objects.filter(event=source).values("min_size", "max_size").first()
    if sizes is None:
        return None
    TeamPolicy.objects.filter(event=target).update(**sizes)
    return f"team sizes ({sizes['min_size']} to {sizes['max_size']})"
