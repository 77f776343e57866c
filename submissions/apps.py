from django.apps import AppConfig


class SubmissionsConfig(AppConfig):
    name = "submissions"
    verbose_name = "Submissions"

    def ready(self):
        from submissions import contributions, rules  # noqa: F401 — registry entries, permissions
