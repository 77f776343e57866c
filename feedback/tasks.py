from celery import shared_task

from feedback.services import invitations


@shared_task
def send_survey_emails():
    """Periodic: each survey taking answers: invitations, then reminders, once each."""
    return invitations.survey_emails_send()
