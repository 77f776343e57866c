"""The Celery application. Its settings are the CELERY_* names in hackathon.settings."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hackathon.settings")

app = Celery("hackathon")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
