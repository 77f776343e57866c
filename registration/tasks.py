from celery import shared_task

from registration import services


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
