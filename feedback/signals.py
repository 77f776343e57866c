from django.db.models.signals import post_save
from django.dispatch import receiver

from events.models import Event
from feedback.models import Survey
from feedback.template import survey_create_default


@receiver(post_save, sender=Event, dispatch_uid="feedback_default_survey_for_new_event")
def set_up_survey_for_new_event(sender, instance, created, raw=False, **kwargs):
    if created and not raw and not Survey.objects.filter(event=instance).exists():
        survey_create_default(event=instance)
