from celery import shared_task

from feedback.services import invitations, reporting


@shared_task
def send_survey_emails():
    """Periodic: each survey taking answers: invitations, then reminders, once each."""
    return invitations.survey_emails_send()


@shared_task
def build_survey_report(*, survey_id):
    """Build and keep one survey's report (again: the same data gives the same report)."""
    reporting.report_build(survey_id=survey_id)


@shared_task
def build_due_survey_reports():
    """Periodic: the report of each survey that closed, and requests whose task was lost."""
    return reporting.reports_sweep()
