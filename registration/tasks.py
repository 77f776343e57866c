from celery import shared_task
from django.utils import timezone

from registration import notifications, segments, services


@shared_task
def expire_offers():
    """Periodic: pass on seats whose offer was not accepted in time."""
    return services.offers_expire()


@shared_task
def erase_sensitive_answers():
    """Periodic: sensitive answers and walk-ins' names do not outlive their purpose."""
    return services.sensitive_answers_erase() + services.walk_in_names_erase()


@shared_task
def mark_no_shows():
    """Periodic: close the door on finished events."""
    return services.no_shows_mark()


@shared_task
def send_reminders():
    """Periodic: the two-days-before reminder, with the ticket (once per person)."""
    return notifications.remind_upcoming(now=timezone.now())


@shared_task
def deliver_segment_message(*, message_id):
    """One organiser's message to a segment: an outbox email per recipient, once."""
    return segments.segment_message_deliver(message_id=message_id)


@shared_task
def redeliver_segment_messages():
    """Periodic: deliver messages whose delivery task was lost."""
    return segments.segment_messages_redeliver()
