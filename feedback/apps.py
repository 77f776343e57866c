from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "feedback"
    verbose_name = "Feedback"

    def ready(self):
        from feedback import (  # noqa: F401 — each registers itself
            contributions,
            copying,
            demo,
            privacy,
            rules,
            signals,
        )
