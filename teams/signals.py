from django.db.models.signals import post_save
from django.dispatch import receiver

from events.models import Event
from teams.models import TeamPolicy


@receiver(post_save, sender=Event, dispatch_uid="team_policy_for_new_event")
def set_up_teams_for_new_event(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        TeamPolicy.objects.get_or_create(event=instance)
