from django.apps import AppConfig


class SubmissionsConfig(AppConfig):
    name = "submissions"
    verbose_name = "Submissions"

    def ready(self):
        from submissions import (  # noqa: F401 — each registers itself
            contributions,
            contributions_organise,
            demo,
            privacy,
            rules,
        )
