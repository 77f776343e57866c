from django.db.models.signals import post_save
from django.dispatch import receiver

from events.extensions import capacity_changed
from events.models import Event
from registration import services
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


@receiver(capacity_changed, dispatch_uid="registration_offer_seats_on_capacity_change")
def offer_seats_when_capacity_raised(sender, event, previous, **kwargs):
    """Offer the new seats to those waiting; tells the organiser how many offers went."""
    if event.capacity <= previous:
        return None
    sent = services.seats_offer_free(event=event)
    if not sent:
        return None
    return f"{sent} {'offer' if sent == 1 else 'offers'} sent to people on the waiting list."
