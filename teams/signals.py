from django.db.models.signals import post_save
from django.dispatch import receiver

from events.models import Event
from registration.extensions import place_released
from teams import services


@receiver(post_save, sender=Event, dispatch_uid="team_policy_for_new_event")
def set_up_teams_for_new_event(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        services.team_policy(instance)


@receiver(place_released, dispatch_uid="teams_release_place")
def leave_teams_with_the_place(sender, registration, now, **kwargs):
    if registration.user is not None:
        services.participant_place_lost(event=registration.event, user=registration.user, now=now)
