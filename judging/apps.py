from django.apps import AppConfig


class JudgingConfig(AppConfig):
    name = "judging"
    verbose_name = "Judging"

    def ready(self):
        from judging import (  # noqa: F401 — each registers itself
            contributions,
            contributions_feedback,
            contributions_prizes,
            contributions_results,
            contributions_slots,
            copying,
            demo,
            privacy,
            rules,
            signals,
        )
