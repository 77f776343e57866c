from celery import shared_task

from common import outbox
from common.retry import retry_countdown


@shared_task(bind=True, max_retries=outbox.MAX_SEND_ATTEMPTS)
def send_outbox_message(self, *, message_id):
    try:
        outbox.outbox_send(message_id=message_id)
    except outbox.OutboxRetry as error:
        raise self.retry(exc=error, countdown=retry_countdown(self.request.retries)) from error


@shared_task
def outbox_requeue_stuck():
    return outbox.outbox_requeue_stuck()
