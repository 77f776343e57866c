from django.apps import AppConfig


class SubmissionsConfig(AppConfig):
    name = "submissions"
    verbose_name = "Submissions"

    def ready(self):
        from submissions import rules  # noqa: F401 — registers the permissions
