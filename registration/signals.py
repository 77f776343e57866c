from django.db.models.signals import post_save
from django.dispatch import receiver

from events.models import Event
from registration.models import RegistrationPolicy


@receiver(post_save, sender=Event, dispatch_uid="registration_policy_for_new_event")
def create_policy_for_new_event(sender, instance, created, raw=False, **kwargs):
    # The policy row is the event's capacity lock; it must exist before anyone races
    # to register, or the racers would serialise on inserting it instead.
    if created and not raw:
        RegistrationPolicy.objects.get_or_create(event=instance)
