import contextlib
import logging

from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings

from common.models import OutboxMessage
from events.extensions import demo_seeders

SEEDED_MAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
# Celery logs each task it runs in the web process; the story runs some hundreds.
TASK_LOGGER = logging.getLogger("celery.app.trace")


@contextlib.contextmanager
def tasks_quiet():
    level = TASK_LOGGER.level
    TASK_LOGGER.setLevel(logging.WARNING)
    try:
        yield
    finally:
        TASK_LOGGER.setLevel(level)


class Command(BaseCommand):
    help = (
        "Create the demo events and accounts: the Community Data Hackathon of "
        "6 December 2024 and its follow-up. Safe to run again; it changes nothing then."
    )

    def handle(self, *args, **options):
        demo = {"users": {}, "events": {}, "logins": []}
        emails_before = OutboxMessage.objects.count()
        # The story's emails are marked sent, not printed over the logins.
        with (
            override_settings(EMAIL_BACKEND=SEEDED_MAIL_BACKEND),
            tasks_quiet(),
            transaction.atomic(),
        ):
            for key, seed in demo_seeders.items():
                seed(demo)
                self.stdout.write(f"Seeded {key}.")
        seeded_emails = OutboxMessage.objects.count() - emails_before
        if seeded_emails:
            self.stdout.write(
                f"The demo's story sent {seeded_emails} emails (not shown); "
                "emails sent from now on are delivered as configured."
            )
        self.stdout.write(self.style.SUCCESS("Demo data is ready. Sign in with:"))
        for email, password, what in demo["logins"]:
            self.stdout.write(f"  {email:<36} {password:<18} {what}")
