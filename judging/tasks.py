from celery import shared_task

from judging.services import feedback


@shared_task
def send_results_feedback(*, event_id):
    """Each judged entry's team members: an outbox email with their results, once."""
    return feedback.feedback_emails_send(event_id=event_id)


@shared_task
def resend_lost_results_feedback():
    """Periodic: fan out again the feedback emails of published events still missing some."""
    return feedback.feedback_emails_sweep()
