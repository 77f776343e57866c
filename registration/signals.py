from django.db.models.signals import post_save
from django.dispatch import receiver

from events.models import Event
from registration.models import RegistrationPolicy
from registration.questionnaire import questions_create_default


@receiver(post_save, sender=Event, dispatch_uid="registration_policy_for_new_event")
def set_up_registration_for_new_event(sender, instance, created, raw=False, **kwargs):
    # The policy row is the event's capacity lock; it must exist before anyone races
    # to register, or the racers would serialise on inserting it instead.
    if created and not raw:
        RegistrationPolicy.objects.get_or_create(event=instance)
        if not instance.questions.exists():
            questions_create_default(event=instance)
