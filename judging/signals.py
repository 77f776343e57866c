from django.db.models.signals import post_save
from django.dispatch import receiver

from events.models import Event
from judging.rubric import criteria_create_default


@receiver(post_save, sender=Event, dispatch_uid="judging_default_rubric_for_new_event")
def set_up_rubric_for_new_event(sender, instance, created, raw=False, **kwargs):
    if created and not raw and not instance.criteria.exists():
        criteria_create_default(event=instance)
