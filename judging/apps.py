from django.apps import AppConfig


class JudgingConfig(AppConfig):
    name = "judging"
    verbose_name = "Judging"

    def ready(self):
        from judging import (  # noqa: F401 — each registers itself
            contributions,
            contributions_prizes,
            demo,
            privacy,
            rules_prizes,
            signals,
        )
