from django.core.management.base import BaseCommand
from django.db import transaction

from events.extensions import demo_seeders


class Command(BaseCommand):
    help = (
        "Create the demo events and accounts: the Community Data Hackathon of "
        "6 December 2024 and its follow-up. Safe to run again; it changes nothing then."
    )

    def handle(self, *args, **options):
        demo = {"users": {}, "events": {}, "logins": []}
        with transaction.atomic():
            for key, seed in demo_seeders.items():
                seed(demo)
                self.stdout.write(f"Seeded {key}.")
        self.stdout.write(self.style.SUCCESS("Demo data is ready. Sign in with:"))
        for email, password, what in demo["logins"]:
            self.stdout.write(f"  {email:<36} {password:<18} {what}")
