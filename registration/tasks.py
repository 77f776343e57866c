from celery import shared_task

from registration import services


@shared_task
def expire_offers():
    """Periodic: pass on seats whose offer was not accepted in time."""
    return services.offers_expire()
