from celery import shared_task
from django.utils import timezone

from registration import notifications, services


@shared_task
def expire_offers():
    """Periodic: pass on seats whose offer was not accepted in time."""
    return services.offers_expire()


@shared_task
def erase_sensitive_answers():
    """Periodic: sensitive answers do not outlive their purpose."""
    return services.sensitive_answers_erase()


@shared_task
def mark_no_shows():
    """Periodic: close the door on finished events."""
    return services.no_shows_mark()


@shared_task
def send_reminders():
    """Periodic: the two-days-before reminder, with the ticket (once per person)."""
    return notifications.remind_upcoming(now=timezone.now())
